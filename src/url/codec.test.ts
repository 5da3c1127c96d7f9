import { describe, expect, it } from 'vitest';
import { defaultExperiment } from '../engine/experiment';
import { defaultRun } from '../methods/registry';
import { makeRng } from '../engine/random';
import { PRESETS } from '../presets';
import { decodeHash, encodeExperiment } from './codec';

describe('URL codec', () => {
  it('round-trips every preset exactly', () => {
    expect(PRESETS.length).toBeGreaterThan(3);
    for (const p of PRESETS) {
      const back = decodeHash('#' + encodeExperiment(p.experiment));
      expect(back.ok, p.id).toBe(true);
      if (back.ok === true) expect(back.value).toEqual(p.experiment);
    }
  });

  it('round-trips the setup fields (init scheme, gain, σ, biases, standardisation, moons coordinates) and refuses bad ones by name', () => {
    const e = defaultExperiment();
    e.dataset = { ...e.dataset, kind: 'moons', standardize: true, coordinates: 'native' };
    e.network.init = { scheme: 'normal', gain: 2, sigma: 0.01, bias: 'constant', biasValue: 0.1 };
    const back = decodeHash('#' + encodeExperiment(e));
    expect(back.ok === true && back.value).toEqual(e);
    const bad = (patch: (x: Record<string, any>) => void) => {
      const x = JSON.parse(JSON.stringify(e));
      patch(x);
      const r = decodeHash('#' + encodeExperiment(x));
      return r.ok === false ? r.errors.join(' | ') : 'accepted';
    };
    expect(bad((x) => (x.network.init.scheme = 'xavier'))).toMatch(/network\.init\.scheme/);
    expect(bad((x) => (x.network.init.gain = 0))).toMatch(/network\.init\.gain/);
    expect(bad((x) => (x.network.init.extra = 1))).toMatch(/network\.init\.extra/);
    expect(bad((x) => (x.dataset.standardize = 'yes'))).toMatch(/dataset\.standardize/);
    expect(bad((x) => (x.dataset.kind = 'spiral'))).toMatch(/dataset\.coordinates/);
    expect(bad((x) => { x.dataset.kind = 'glm'; delete x.dataset.coordinates; })).toMatch(/standardize/);
  });

  it('an old Fenchel link (no step-bound key) keeps the Frobenius steps it was made with; new runs default to spectral', () => {
    const e = defaultExperiment();
    e.dataset.kind = 'moons';
    e.network = { ...e.network, hidden: [8], activation: 'relu' };
    e.runs = [{ algorithm: 'fenchel', hyper: { lambda: 1 } }];
    const back = decodeHash('#' + encodeExperiment(e));
    expect(back.ok === true && back.value.runs[0].hyper.lipschitz).toBe('frobenius');
    expect(defaultRun('fenchel').hyper.lipschitz).toBe('spectral');
  });

  it('treats a hash without an experiment as absent, not as an error', () => {
    expect(decodeHash('').ok).toBe('absent');
    expect(decodeHash('#foo=bar').ok).toBe('absent');
  });

  it('fills fields missing from an older link with defaults', () => {
    const e = defaultExperiment() as unknown as Record<string, unknown>;
    delete e.view;
    delete (e.training as Record<string, unknown>).backend;
    const back = decodeHash('#' + encodeExperiment(e as never));
    expect(back.ok).toBe(true);
    if (back.ok === true) {
      expect(back.value.view).toEqual(defaultExperiment().view);
      expect(back.value.training.backend).toBe('auto');
    }
  });

  it('says clearly when a link comes from a newer format', () => {
    const e = { ...defaultExperiment(), version: 99 };
    const back = decodeHash('#' + encodeExperiment(e));
    expect(back.ok).toBe(false);
    if (back.ok === false) expect(back.errors[0]).toMatch(/newer version/);
  });

  it('names the field of an out-of-range or wrongly typed value', () => {
    const e = defaultExperiment() as unknown as { training: Record<string, unknown>; runs: { hyper: Record<string, unknown> }[] };
    e.training.batchSize = -1;
    e.runs[0].hyper.lr = 'fast';
    const back = decodeHash('#' + encodeExperiment(e as never));
    expect(back.ok).toBe(false);
    if (back.ok === false) {
      expect(back.errors.join(' ')).toMatch(/training\.batchSize/);
      expect(back.errors.join(' ')).toMatch(/runs\[0\]\.hyper\.lr/);
    }
  });

  it('never throws on 1,000 mutated links and returns a valid experiment or typed errors', () => {
    const rng = makeRng(7);
    const base = encodeExperiment(defaultExperiment()).slice(2);
    const json = JSON.stringify(defaultExperiment());
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=%+/!{}"';
    let valid = 0;
    for (let i = 0; i < 1000; i++) {
      let payload: string;
      if (i % 2 === 0) {
        // mutate the encoded text
        const chars = base.split('');
        const edits = 1 + Math.floor(rng() * 4);
        for (let k = 0; k < edits; k++) {
          const pos = Math.floor(rng() * chars.length);
          const op = rng();
          if (op < 0.4) chars[pos] = alphabet[Math.floor(rng() * alphabet.length)];
          else if (op < 0.7) chars.splice(pos, 1);
          else chars.splice(pos, 0, alphabet[Math.floor(rng() * alphabet.length)]);
        }
        payload = chars.join('');
      } else {
        // mutate the JSON, then encode it properly (exercises the validator rather than the decoder)
        const chars = json.split('');
        const pos = Math.floor(rng() * chars.length);
        chars[pos] = alphabet[Math.floor(rng() * alphabet.length)];
        payload = Buffer.from(chars.join('')).toString('base64url');
      }
      const res = decodeHash('#e=' + payload);
      expect(res.ok === true || res.ok === false).toBe(true);
      if (res.ok === true) {
        valid++;
        expect(res.value.runs.length).toBeGreaterThan(0);
      } else if (res.ok === false) expect(res.errors.length).toBeGreaterThan(0);
    }
    expect(valid).toBeGreaterThan(0);
  });
});
