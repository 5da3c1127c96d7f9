import type { Experiment } from '../engine/experiment';
import { validateExperiment, type Validated } from './validate';

/**
 * Experiment ⇄ URL. The experiment travels as base64url-encoded JSON in the hash parameter `e`, so links
 * are self-contained and never reach a server. The version lives inside the JSON (validate.ts decides what
 * an old or newer version means). decode never throws.
 */
export const URL_PARAM = 'e';

function toBase64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let bin = '';
  for (let i = 0; i < bytes.length; i++) bin += String.fromCharCode(bytes[i]);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(s: string): string {
  if (!/^[A-Za-z0-9_-]*$/.test(s)) throw new Error('the link contains characters that are not base64url');
  const b64 = s.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (s.length % 4)) % 4);
  const bin = atob(b64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
}

export function encodeExperiment(e: Experiment): string {
  return `${URL_PARAM}=${toBase64Url(JSON.stringify(e))}`;
}

/** The hash part of a URL (with or without the leading '#'). No `e` parameter means "no experiment in the link". */
export function decodeHash(hash: string): Validated<Experiment> | { ok: 'absent' } {
  const h = hash.startsWith('#') ? hash.slice(1) : hash;
  const params = new URLSearchParams(h);
  const payload = params.get(URL_PARAM);
  if (payload === null) return { ok: 'absent' };
  let json: unknown;
  try {
    json = JSON.parse(fromBase64Url(payload));
  } catch (err) {
    return { ok: false, errors: [`the link is damaged and could not be read (${err instanceof Error ? err.message : String(err)})`] };
  }
  return validateExperiment(json);
}

export function experimentUrl(base: string, e: Experiment): string {
  const u = base.split('#')[0];
  return `${u}#${encodeExperiment(e)}`;
}
