/**
 * The embed flag of a link (`…#e=…&embed=1`): the page shows a chrome-less view of the experiment for an iframe in
 * slides or a course page (EmbedView.tsx). It is a property of the page's link, not of the experiment, so the
 * experiment (and its JSON export) never carries it; the URL sync keeps it in the address when the experiment
 * changes.
 */
export const EMBED_PARAM = 'embed=1';

export function isEmbedHash(hash: string): boolean {
  return new URLSearchParams(hash.replace(/^#/, '')).get('embed') === '1';
}

/** The embed link of a full-page link, and back. */
export function embedLink(link: string): string {
  const url = new URL(link);
  if (!isEmbedHash(url.hash)) url.hash = `${url.hash.replace(/^#/, '')}&${EMBED_PARAM}`;
  return url.href;
}

export function fullPageLink(link: string): string {
  const url = new URL(link);
  const params = url.hash.replace(/^#/, '').split('&').filter((p) => p !== EMBED_PARAM);
  url.hash = params.join('&');
  return url.href;
}

/** A copyable `<iframe>` for a slide or a course page (16:9, 800×450 by default). */
export function iframeSnippet(link: string, title: string, width = 800, height = 450): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  return `<iframe src="${esc(embedLink(link))}" title="${esc(title)}" width="${width}" height="${height}" style="border:0" allow="clipboard-write" loading="lazy"></iframe>`;
}
