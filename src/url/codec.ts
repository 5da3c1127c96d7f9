import { unzlibSync } from 'fflate';
import type { Experiment } from '../engine/experiment';
import { LINK_FORMAT, URL_PARAM, encodeExperiment } from './encode';
import { applyMergePatch, presetExperiment } from './presetLinks';
import { LINK_HARD_LIMIT } from './linkLimits';
import { validateExperiment, type Validated } from './validate';

/**
 * Link → Experiment, for every link format ever written (encode.ts lists them). decodeHash never throws: a
 * damaged link, one too long to have been opened, or one of an unknown format is an error saying which.
 */
export { URL_PARAM, encodeExperiment };

function base64UrlToBytes(s: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(s)) throw new Error('the link contains characters that are not base64url');
  if (s.length % 4 === 1) throw new Error('the link is cut short (its length is impossible for base64url)');
  const b64 = s.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (s.length % 4)) % 4);
  const bin = atob(b64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes;
}

/** Adler-32 (RFC 1950 §8.2), the zlib checksum: fflate inflates without checking it. */
function adler32(data: Uint8Array): number {
  let a = 1;
  let b = 0;
  for (let i = 0; i < data.length; ) {
    const end = Math.min(i + 3800, data.length); // keeps the sums below 2^31 before each reduction
    for (; i < end; i++) {
      a += data[i];
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  return ((b << 16) | a) >>> 0;
}

const utf8 = (bytes: Uint8Array) => new TextDecoder('utf-8', { fatal: true }).decode(bytes);

/** The JSON text of a payload, by link format. */
function payloadJson(payload: string): string {
  const dot = payload.indexOf('.');
  if (dot < 0) return utf8(base64UrlToBytes(payload)); // format 1
  const format = payload.slice(0, dot);
  if (format === '2') return inflateJson(payload.slice(dot + 1));
  if (format === '3') {
    // <preset id>.<version>[.<compressed merge patch>]
    const [id, version, patch, ...rest] = payload.slice(dot + 1).split('.');
    if (!id || !/^\d+$/.test(version ?? '') || rest.length) throw new Error('the preset link is not of the form 3.<preset>.<version>[.<changes>]');
    const preset = presetExperiment(id, Number(version));
    if (typeof preset === 'string') throw new Error(preset);
    return JSON.stringify(patch === undefined ? preset : applyMergePatch(preset, JSON.parse(inflateJson(patch))));
  }
  if (/^\d+$/.test(format) && Number(format) > LINK_FORMAT)
    throw new Error(`this link is in format ${format}, made by a newer version of the playground; this one reads formats 1 to ${LINK_FORMAT}`);
  throw new Error(`"${format.slice(0, 20)}" is not a link format`);
}

/** The JSON text of a zlib-compressed, base64url payload (formats 2 and 3), its checksum checked. */
function inflateJson(data: string): string {
  const packed = base64UrlToBytes(data);
  let inflated: Uint8Array;
  try {
    inflated = unzlibSync(packed);
  } catch {
    throw new Error('the compressed data is damaged (was the link cut short?)');
  }
  const n = packed.length;
  const stored = n >= 4 ? ((packed[n - 4] << 24) | (packed[n - 3] << 16) | (packed[n - 2] << 8) | packed[n - 1]) >>> 0 : -1;
  if (stored !== adler32(inflated)) throw new Error('the compressed data is damaged (its checksum does not match)');
  return utf8(inflated);
}

/** The hash part of a URL (with or without the leading '#'). No `e` parameter means "no experiment in the link". */
export function decodeHash(hash: string): Validated<Experiment> | { ok: 'absent' } {
  const h = hash.startsWith('#') ? hash.slice(1) : hash;
  if (h.length > LINK_HARD_LIMIT) return { ok: false, errors: [`the link is ${h.length} characters long; browsers open links up to ${LINK_HARD_LIMIT}`] };
  const params = new URLSearchParams(h);
  const payload = params.get(URL_PARAM);
  if (payload === null) return { ok: 'absent' };
  let json: unknown;
  try {
    json = JSON.parse(payloadJson(payload));
  } catch (err) {
    return { ok: false, errors: [`the link is damaged and could not be read (${err instanceof Error ? err.message : String(err)})`] };
  }
  return validateExperiment(json);
}

export function experimentUrl(base: string, e: Experiment): string {
  const u = base.split('#')[0];
  return `${u}#${encodeExperiment(e)}`;
}
