/**
 * How long a link may be — two limits, chosen here once.
 *
 * LINK_HARD_LIMIT: the longest link a browser opens. Chromium refuses URLs over 2 MiB (kMaxURLChars =
 * 2 * 1024 * 1024; longer ones fail with net::ERR_ABORTED or are cut when navigating); Firefox and Safari open
 * at least that much. An experiment whose link would exceed it is refused by the validator (semantic.ts), so no
 * door — link, JSON file, CSV import — accepts something whose link cannot be opened.
 *
 * LINK_SHARE_LIMIT: the longest link Copy link hands out without a warning. Links travel through chat tools,
 * e-mail, slides and the QR code: a QR code holds at most 2,953 bytes (version 40, error level L) and is hard to
 * scan from a projector long before that; Discord cuts messages at 2,000 characters; old browsers, many web
 * forms and sitemap tools stop at 2,048. 2,000 characters passes through all of these. Every preset's link is
 * far below it (url/links.test.ts measures them); links beyond it come from an imported dataset, and Copy link
 * then says so and offers the experiment file, which carries any size.
 */
export const LINK_HARD_LIMIT = 2 * 1024 * 1024;
export const LINK_SHARE_LIMIT = 2000;
/** Room kept for the origin and path of wherever the app is hosted (the limits apply to the whole URL). */
export const LINK_ORIGIN_ALLOWANCE = 200;
