import type { Experiment } from '../engine/experiment';
import { PRESETS } from '../presets';

/**
 * Short links for presets (link format 3, encode.ts): a QR code projected in a lecture hall must be sparse enough to
 * scan from the back row. An unmodified preset's link names the preset and the version of its experiment
 * (`e=3.twophase-mnist.1`); an edited one adds only its difference from that preset, as a JSON merge patch
 * (RFC 7386: changed keys, null for a removed key, lists replaced whole).
 *
 * A link names a preset *version*, so it keeps its meaning when a later release changes the preset: then the
 * preset's version in PRESET_LINK_VERSIONS goes up and its previous experiment moves into PRESET_ARCHIVE under the
 * old version (a test, presetLinks.test.ts, fails when a preset's experiment changes without that).
 */

/** The link version of each preset whose experiment has changed since links began naming presets (default 1). */
export const PRESET_LINK_VERSIONS: Record<string, number> = {};

/** Earlier versions of presets, by `${id}.${version}`, so that their links still open (none yet). */
export const PRESET_ARCHIVE: Record<string, Experiment> = {};

export function presetLinkVersion(id: string): number {
  return PRESET_LINK_VERSIONS[id] ?? 1;
}

/** The experiment a preset link names, or an error saying why there is none. */
export function presetExperiment(id: string, version: number): Experiment | string {
  const current = PRESETS.find((p) => p.id === id);
  if (current && presetLinkVersion(id) === version) return current.experiment;
  const archived = PRESET_ARCHIVE[`${id}.${version}`];
  if (archived) return archived;
  if (!current) return `the link names a preset "${id}" that this version of the playground does not have`;
  return `the link names version ${version} of the preset "${id}", which this version of the playground does not have (it has version ${presetLinkVersion(id)})`;
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const isObject = (v: unknown): v is Record<string, Json> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** JSON with object keys in sorted order, so equal values always give the same text (and the same link). */
export function canonical(v: unknown): Json {
  if (Array.isArray(v)) return v.map(canonical);
  if (isObject(v)) {
    const out: Record<string, Json> = {};
    for (const k of Object.keys(v).sort()) if (v[k] !== undefined) out[k] = canonical(v[k]);
    return out;
  }
  return v as Json;
}

/** The merge patch that turns `base` into `target` (undefined when they are equal). */
export function mergePatch(base: unknown, target: unknown): Json | undefined {
  if (JSON.stringify(canonical(base)) === JSON.stringify(canonical(target))) return undefined;
  if (!isObject(base) || !isObject(target)) return canonical(target);
  const out: Record<string, Json> = {};
  for (const k of [...new Set([...Object.keys(base), ...Object.keys(target)])].sort()) {
    if (target[k] === undefined) {
      if (base[k] !== undefined) out[k] = null;
      continue;
    }
    const d = mergePatch(base[k], target[k]);
    if (d !== undefined) out[k] = d;
  }
  return out;
}

/** `base` with the merge patch applied (RFC 7386 §2). */
export function applyMergePatch(base: unknown, patch: Json): Json {
  if (!isObject(patch)) return patch;
  const out: Record<string, Json> = isObject(base) ? { ...(base as Record<string, Json>) } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = applyMergePatch(out[k], v);
  }
  return out;
}

const holdsNull = (v: unknown): boolean => v === null || (typeof v === 'object' && Object.values(v as object).some(holdsNull));

/**
 * The preset whose merge patch to `e` is shortest, with that patch (null patch: `e` is the preset itself). None for
 * an experiment that holds a null anywhere: a merge patch cannot say "null" (it means "remove"), and such an
 * experiment must reach the validator as written to be refused for it.
 */
export function nearestPreset(e: Experiment): { id: string; version: number; patch: Json | null; patchLength: number } | null {
  if (holdsNull(e)) return null;
  let best: { id: string; version: number; patch: Json | null; patchLength: number } | null = null;
  for (const p of PRESETS) {
    const patch = mergePatch(p.experiment, e) ?? null;
    const patchLength = patch === null ? 0 : JSON.stringify(patch).length;
    if (!best || patchLength < best.patchLength) best = { id: p.id, version: presetLinkVersion(p.id), patch, patchLength };
    if (patchLength === 0) break;
  }
  return best;
}
