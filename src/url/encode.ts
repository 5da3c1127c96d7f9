import { strToU8, zlibSync } from 'fflate';
import type { Experiment } from '../engine/experiment';
import { nearestPreset } from './presetLinks';

/**
 * Experiment → link payload (the hash parameter `e`). Link formats, newest first; codec.ts reads all of them:
 *   3: `e=3.<preset id>.<preset version>` for an unmodified preset, `e=3.<id>.<version>.<base64url(zlib(patch))>` for
 *      an experiment near one: the JSON merge patch from that preset to it (presetLinks.ts). Written when it is
 *      shorter than format 2 (a preset's link: 20–40 characters instead of 430–810, a QR code of version 3–4).
 *   2: `e=2.<base64url(zlib(JSON))>` — DEFLATE-compressed with fflate, in the zlib wrapper whose Adler-32 checksum
 *      lets the reader tell a damaged link from a valid one (raw DEFLATE has none: a changed character could
 *      decode to a different experiment). A preset is 430–730 characters.
 *   1: `e=<base64url(JSON)>` (uncompressed; written until the compressed format arrived). Its payload always starts
 *      with "ey" (base64 of `{"`) and holds no ".", so the two never look alike.
 * The experiment's own format version (Experiment.version) lives inside the JSON and is independent of these.
 */
export const URL_PARAM = 'e';
export const LINK_FORMAT = 3;

export function bytesToBase64Url(bytes: Uint8Array): string {
  let bin = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) bin += String.fromCharCode(...bytes.subarray(i, i + chunk));
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

// The validator and the address bar encode the same experiment one after the other; with an imported dataset of
// megabytes the compression takes a second, so the last result is kept.
let memo: { json: string; link: string } | undefined;

export function encodeExperiment(e: Experiment): string {
  const json = JSON.stringify(e);
  if (memo?.json === json) return memo.link;
  const deflate = (text: string) => bytesToBase64Url(zlibSync(strToU8(text), { level: 9 }));
  let link = `${URL_PARAM}=2.${deflate(json)}`;
  const near = nearestPreset(e);
  if (near && near.patchLength < json.length) {
    const named = `${URL_PARAM}=3.${near.id}.${near.version}`;
    const short = near.patch === null ? named : `${named}.${deflate(JSON.stringify(near.patch))}`;
    if (short.length < link.length) link = short;
  }
  memo = { json, link };
  return link;
}

/**
 * An upper bound of the encoded length that needs no compression: DEFLATE never grows data by more than 5 bytes
 * per 64 KiB block (stored blocks), zlib adds 6, and base64 takes 4 characters per 3 bytes.
 */
export function encodedLengthBound(e: Experiment): number {
  const bytes = strToU8(JSON.stringify(e)).length;
  return URL_PARAM.length + 3 + Math.ceil(((bytes + 5 * Math.ceil(bytes / 65535) + 5 + 6) * 4) / 3);
}

/** The uncompressed format 1, kept so that tests can make old links exactly as they were written. */
export function encodeExperimentFormat1(e: unknown): string {
  return `${URL_PARAM}=${bytesToBase64Url(strToU8(JSON.stringify(e)))}`;
}
