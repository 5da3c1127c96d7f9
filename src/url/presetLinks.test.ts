import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import QRCode from 'qrcode';
import { strToU8, zlibSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import type { Experiment } from '../engine/experiment';
import { PRESETS } from '../presets';
import { decodeHash, encodeExperiment } from './codec';
import { bytesToBase64Url } from './encode';
import { applyMergePatch, canonical, mergePatch, presetLinkVersion } from './presetLinks';

/** A site the playground might be hosted at (the QR code holds the whole address). */
const SITE = 'https://example.github.io/optimizer-playground/';
const qrVersion = (text: string) => QRCode.create(text, { errorCorrectionLevel: 'L' }).version;
/** The link format 2 would write: the whole experiment, compressed. */
const fullLink = (e: Experiment) => `e=2.${bytesToBase64Url(zlibSync(strToU8(JSON.stringify(e)), { level: 9 }))}`;

const fingerprint = (e: Experiment) => createHash('sha256').update(JSON.stringify(canonical(e))).digest('hex').slice(0, 16);
const FINGERPRINTS: Record<string, string> = JSON.parse(readFileSync(fileURLToPath(new URL('./fixtures/presetFingerprints.json', import.meta.url)), 'utf8'));

describe('preset links (format 3)', () => {
  it('every shipped preset scans from the back of a hall: its QR code is version 10 (57×57 modules) or less', () => {
    const rows: string[] = [];
    for (const p of PRESETS) {
      const before = qrVersion(`${SITE}#${fullLink(p.experiment)}`);
      const after = qrVersion(`${SITE}#${encodeExperiment(p.experiment)}`);
      rows.push(`| ${p.id} | ${before} | ${after} |`);
      expect(after, p.id).toBeLessThanOrEqual(10);
    }
    console.log(['| preset | QR version, whole experiment (format 2) | QR version, named preset (format 3) |', '|---|---|---|', ...rows].join('\n'));
  });

  it('an edited preset carries only its difference, opens exactly as edited, and stays short', () => {
    for (const p of PRESETS) {
      const e = structuredClone(p.experiment);
      e.training.maxIterations += 7;
      e.runs[0].hyper = { ...e.runs[0].hyper, ...(typeof e.runs[0].hyper.lr === 'number' ? { lr: 0.0123 } : {}) };
      e.title = `${e.title} (edited)`;
      const link = encodeExperiment(e);
      expect(link.startsWith(`e=3.${p.id}.${presetLinkVersion(p.id)}.`), p.id).toBe(true);
      const back = decodeHash(`#${link}`);
      expect(back.ok === true && back.value, p.id).toEqual(e);
      expect(link.length, p.id).toBeLessThan(fullLink(e).length);
    }
  });

  it('an experiment edited far from every preset opens exactly, and its link is never longer than the whole experiment (format 2)', () => {
    const e = structuredClone(PRESETS[0].experiment);
    e.title = 'x'.repeat(100);
    e.runs = e.runs.map((r) => ({ ...r, label: 'y'.repeat(50) }));
    e.dataset = { ...e.dataset, custom: { features: 2, classes: 2, rows: Array.from({ length: 40 }, (_, i) => [Math.round(100 * Math.sin(i)) / 100, Math.round(100 * Math.cos(i * 1.3)) / 100, i % 2]) }, kind: 'custom' };
    const link = encodeExperiment(e);
    expect(link.length).toBeLessThanOrEqual(fullLink(e).length);
    const back = decodeHash(`#${link}`);
    expect(back.ok === true && back.value).toEqual(e);
  });

  it('a link naming a preset or a version this release does not have is refused with a message saying which', () => {
    const unknown = decodeHash('#e=3.no-such-preset.1');
    expect(unknown.ok === false && unknown.errors.join(' ')).toMatch(/names a preset "no-such-preset" that this version of the playground does not have/);
    const later = decodeHash(`#e=3.${PRESETS[0].id}.99`);
    expect(later.ok === false && later.errors.join(' ')).toMatch(/names version 99 of the preset/);
    const malformed = decodeHash(`#e=3.${PRESETS[0].id}`);
    expect(malformed.ok === false && malformed.errors.join(' ')).toMatch(/not of the form 3\.<preset>\.<version>/);
  });

  it('a merge patch applied to its base gives the target (objects, removed keys, lists)', () => {
    const base = { a: 1, b: { c: [1, 2], d: 'x', e: true }, f: 'gone' };
    const target = { a: 1, b: { c: [1, 2, 3], d: 'y', e: true }, g: { h: 0 } };
    const patch = mergePatch(base, target)!;
    expect(patch).toEqual({ b: { c: [1, 2, 3], d: 'y' }, f: null, g: { h: 0 } });
    expect(applyMergePatch(base, patch)).toEqual(target);
    expect(mergePatch(base, structuredClone(base))).toBeUndefined();
  });

  it("a preset's experiment changes only with a new link version (its old links would otherwise open something else)", () => {
    const missing: string[] = [];
    for (const p of PRESETS) {
      const key = `${p.id}.${presetLinkVersion(p.id)}`;
      const expected = FINGERPRINTS[key];
      if (expected === undefined) missing.push(`"${key}": "${fingerprint(p.experiment)}"`);
      else
        expect(fingerprint(p.experiment), `${key} changed: raise its version in PRESET_LINK_VERSIONS, keep the old experiment in PRESET_ARCHIVE (src/url/presetLinks.ts), then add the new fingerprint to src/url/fixtures/presetFingerprints.json`).toBe(expected);
    }
    expect(missing, 'new presets: add these lines to src/url/fixtures/presetFingerprints.json').toEqual([]);
  });
});
