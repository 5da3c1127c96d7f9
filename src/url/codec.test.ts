import { describe, expect, it } from 'vitest';
import type { Experiment } from '../engine/experiment';
import { defaultExperiment } from '../methods/defaultExperiment';
import { PRESETS } from '../presets';
import { CATALOG, METHODS, defaultRun } from '../methods/registry';
import { legacyInit } from '../engine/init';
import { decodeHash, encodeExperiment } from './codec';
import { bytesToBase64Url, encodeExperimentFormat1 } from './encode';
import { FORMAT1_DEFAULT, FORMAT1_LAB_MNIST_SLICE } from './fixtures/format1Links';
import { LINK_HARD_LIMIT, LINK_SHARE_LIMIT } from './linkLimits';
import { strToU8, zlibSync } from 'fflate';
import { validateExperiment } from './validate';

type Loose = Record<string, Record<string, unknown>> & Record<string, unknown>;
const loose = (): Loose => defaultExperiment() as unknown as Loose;
const decodeRaw = (raw: unknown) => decodeHash('#' + encodeExperiment(raw as Experiment));
const errorsOf = (r: ReturnType<typeof decodeHash>) => (r.ok === false ? r.errors.join(' | ') : `accepted (${r.ok})`);

describe('URL codec: link formats', () => {
  it("round-trips every preset exactly; an unmodified preset's link names it and its version (format 3)", () => {
    expect(PRESETS.length).toBeGreaterThan(3);
    for (const p of PRESETS) {
      const link = encodeExperiment(p.experiment);
      expect(link, p.id).toBe(`e=3.${p.id}.1`);
      const back = decodeHash('#' + link);
      expect(back.ok, p.id).toBe(true);
      if (back.ok === true) {
        expect(back.value).toEqual(p.experiment);
        expect(back.warnings, p.id).toEqual([]);
      }
    }
  });

  it('every preset link fits the share limit and is at most two thirds of its uncompressed form', () => {
    for (const p of PRESETS) {
      const link = encodeExperiment(p.experiment);
      expect(link.length + 60, p.id).toBeLessThan(LINK_SHARE_LIMIT);
      expect(link.length, p.id).toBeLessThan((2 / 3) * encodeExperimentFormat1(p.experiment).length);
    }
  });

  it('still opens links written in format 1 (frozen text)', () => {
    const a = decodeHash('#e=' + FORMAT1_DEFAULT);
    expect(a.ok).toBe(true);
    // Written before init schemes: network.initScale reads as its exact translation (engine/init.ts legacyInit).
    const asWritten = (text: string) => {
      const x = JSON.parse(Buffer.from(text, 'base64url').toString());
      const { initScale, ...rest } = x.network;
      x.network = { ...rest, init: legacyInit(initScale) };
      return x;
    };
    if (a.ok === true) {
      expect(a.value).toEqual(asWritten(FORMAT1_DEFAULT));
      expect(a.warnings).toEqual([]);
    }
    const b = decodeHash('#e=' + FORMAT1_LAB_MNIST_SLICE + '&other=1');
    expect(b.ok).toBe(true);
    if (b.ok === true) expect(b.value).toEqual(asWritten(FORMAT1_LAB_MNIST_SLICE));
    for (const p of PRESETS) expect(decodeHash('#' + encodeExperimentFormat1(p.experiment)).ok, p.id).toBe(true);
  });

  it('a changed character anywhere in a compressed link never opens as a different experiment (zlib checksum)', () => {
    const e = defaultExperiment();
    const link = encodeExperiment(e);
    let refused = 0;
    for (let pos = 4; pos < link.length; pos++)
      for (const c of ['A', '_']) {
        if (link[pos] === c) continue;
        const res = decodeHash('#' + link.slice(0, pos) + c + link.slice(pos + 1));
        if (res.ok === true) expect(res.value, `position ${pos} → ${c}`).toEqual(e);
        else refused++;
      }
    expect(refused).toBeGreaterThan(link.length - 4);
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

  it('an old link without a key that has `absentMeans` keeps what it was made with; new runs get the default (every method of the registry)', () => {
    const keyed = CATALOG.flatMap((spec) => spec.hyper.flatMap((h) => (h.kind === 'choice' && h.absentMeans !== undefined ? [[spec.id, h] as const] : [])));
    expect(keyed.length, 'at least one schema key says what its absence meant').toBeGreaterThan(0);
    for (const [id, h] of keyed) {
      const e = defaultExperiment();
      e.dataset.kind = 'moons';
      // a ReLU softmax classifier: what every method's checkRun accepts
      e.network = { ...e.network, hidden: [8], activation: 'relu', outputLink: 'softmax', loss: 'ce' };
      const hyper = { ...defaultRun(id).hyper };
      delete hyper[h.key];
      e.runs = [{ algorithm: id, hyper }];
      const back = decodeHash('#' + encodeExperiment(e));
      expect(back.ok, `${id}.${h.key}: ${errorsOf(back)}`).toBe(true);
      expect(back.ok === true && back.value.runs[0].hyper[h.key], `${id}.${h.key} absent`).toBe(h.absentMeans);
      expect(defaultRun(id).hyper[h.key], `${id}.${h.key} default`).toBe(h.default);
    }
  });

  it('treats a hash without an experiment as absent, not as an error', () => {
    expect(decodeHash('').ok).toBe('absent');
    expect(decodeHash('#foo=bar').ok).toBe('absent');
  });

  it('says which link format is unknown or newer, and when compressed data is damaged', () => {
    expect(errorsOf(decodeHash('#e=4.abc'))).toMatch(/format 4, made by a newer version/);
    expect(errorsOf(decodeHash('#e=x.abc'))).toMatch(/not a link format/);
    // A whole-experiment link (format 2) cut short, and a preset link's list of changes (format 3) cut short.
    const whole = `e=2.${bytesToBase64Url(zlibSync(strToU8(JSON.stringify(defaultExperiment())), { level: 9 }))}`;
    expect(decodeHash('#' + whole).ok).toBe(true);
    expect(errorsOf(decodeHash('#' + whole.slice(0, whole.length - 40)))).toMatch(/damaged/);
    const edited = encodeExperiment({ ...defaultExperiment(), title: 'a title of its own' });
    expect(edited).toMatch(/^e=3\.[a-z0-9-]+\.\d+\./);
    expect(errorsOf(decodeHash('#' + edited.slice(0, edited.length - 3)))).toMatch(/damaged/);
  });
});

describe('strict decoding', () => {
  it('an unknown or misspelt key is an error naming it and its path', () => {
    const e = loose();
    e.netwrok = e.network;
    delete e.network;
    expect(errorsOf(decodeRaw(e))).toMatch(/netwrok is not a field/);
    const f = loose();
    f.training.maxIteration = 50;
    expect(errorsOf(decodeRaw(f))).toMatch(/training\.maxIteration is not a field/);
    const g = loose();
    (g.runs as unknown as { hyper: Record<string, unknown> }[])[1].hyper.learningRate = 0.1;
    expect(errorsOf(decodeRaw(g))).toMatch(/runs\[1\]\.hyper\.learningRate is not a field/);
  });

  it('a link from a newer experiment version: each unknown key is dropped with a warning naming it', () => {
    const e = { ...loose(), version: 2, colourScheme: 'dark' } as unknown as Loose;
    e.training.warmup = 10;
    const r = decodeRaw(e);
    expect(r.ok).toBe(true);
    if (r.ok !== true) return;
    expect(r.value.version).toBe(1);
    expect(r.value).toEqual(defaultExperiment());
    const w = r.warnings.join(' | ');
    expect(w).toMatch(/colourScheme was dropped: this link was made by a newer version/);
    expect(w).toMatch(/training\.warmup was dropped/);
    // What a newer version writes into a known field is still checked.
    const bad = { ...loose(), version: 2 } as unknown as Loose;
    bad.training.batchSize = -5;
    expect(errorsOf(decodeRaw(bad))).toMatch(/training\.batchSize = -5 is outside/);
  });

  it('fills fields missing from an older link with defaults, and says which', () => {
    const e = loose();
    delete e.view;
    delete e.training.backend;
    const back = decodeRaw(e);
    expect(back.ok).toBe(true);
    if (back.ok === true) {
      expect(back.value.view).toEqual(defaultExperiment().view);
      expect(back.value.training.backend).toBe('auto');
      expect(back.warnings.join(' | ')).toMatch(/training\.backend was not given .*the default "auto" is used/);
      expect(back.warnings.join(' | ')).toMatch(/^view was not given|\| view was not given/);
    }
  });

  it('a missing version, or a version that is not one, is refused', () => {
    const e = loose();
    delete e.version;
    expect(errorsOf(decodeRaw(e))).toMatch(/version is missing/);
    expect(errorsOf(decodeRaw({ ...loose(), version: 'one' }))).toMatch(/version "one" is not/);
  });

  it('names the field of an out-of-range or wrongly typed value', () => {
    const e = loose();
    e.training.batchSize = -1;
    (e.runs as unknown as { hyper: Record<string, unknown> }[])[0].hyper.lr = 'fast';
    const msg = errorsOf(decodeRaw(e));
    expect(msg).toMatch(/training\.batchSize = -1 is outside \[0, 12000\]/);
    expect(msg).toMatch(/runs\[0\]\.hyper\.lr must be a number, got "fast"/);
  });

  it('a number too large for a double (1e309 in the JSON) is reported as out of range, not as null', () => {
    const json = JSON.stringify(defaultExperiment()).replace('"maxIterations":3000', '"maxIterations":1e309');
    const r = decodeHash('#e=' + Buffer.from(json).toString('base64url'));
    const msg = errorsOf(r);
    expect(msg).toMatch(/training\.maxIterations is out of range/);
    expect(msg).not.toMatch(/null/);
  });
});

describe('semantic validation (the same for links, JSON files and CSV imports)', () => {
  const withDataset = (patch: Record<string, unknown>) => {
    const e = loose();
    Object.assign(e.dataset, patch);
    return e;
  };

  it('an image dataset needs at least two classes, each listed once', () => {
    expect(errorsOf(decodeRaw(withDataset({ kind: 'mnist', classes: [3] })))).toMatch(/dataset\.classes = \[3\] keeps one class/);
    expect(errorsOf(decodeRaw(withDataset({ kind: 'mnist', classes: [3, 3] })))).toMatch(/dataset\.classes lists 3 more than once/);
    expect(decodeRaw(withDataset({ kind: 'mnist', classes: [3, 5] })).ok).toBe(true);
    expect(decodeRaw(withDataset({ kind: 'mnist', classes: [] })).ok).toBe(true);
  });

  it('a custom dataset needs two classes in its training split, whatever door it comes through', () => {
    const rows = Array.from({ length: 20 }, (_, i) => [i / 10, -i / 10, 0]);
    const e = withDataset({ kind: 'custom', trainSize: 20, testSize: 10, custom: { features: 2, classes: 2, rows } });
    expect(errorsOf(decodeRaw(e))).toMatch(/dataset\.custom\.classes = 2 but the largest label in the rows is 0/);
    const f = withDataset({ kind: 'custom', trainSize: 20, testSize: 10, custom: { features: 2, classes: 1, rows } });
    expect(errorsOf(decodeRaw(f))).toMatch(/dataset\.custom\.classes = 1 is outside \[2, 10\]/);
    // One row of class 1, which the seeded split sends to the test set: the training split holds one class.
    for (let k = 0; k < rows.length; k++) {
      const r2 = rows.map((r, i) => (i === k ? [r[0], r[1], 1] : r));
      const g = withDataset({ kind: 'custom', trainSize: 20, testSize: 10, custom: { features: 2, classes: 2, rows: r2 } });
      const res = validateExperiment(g);
      if (!res.ok && /training split of dataset\.custom holds only class 0/.test(res.errors.join(' '))) return;
    }
    throw new Error('no row position put the single class-1 row in the test split');
  });

  it('refuses output link, loss and dataset combinations the model or the method does not support', () => {
    const glm = withDataset({ kind: 'glm' });
    glm.network = { ...glm.network, hidden: [], outputLink: 'softmax', loss: 'ce' };
    expect(errorsOf(decodeRaw(glm))).toMatch(/planted GLM has one output.*softmax/);
    glm.network.outputLink = 'sigmoid';
    glm.network.loss = 'mse';
    expect(decodeRaw(glm).ok).toBe(true);
    const ce = loose();
    ce.network.outputLink = 'identity';
    expect(errorsOf(decodeRaw(ce))).toMatch(/cross-entropy needs a softmax or sigmoid/);
  });

  it('refuses a run its method folder says it is not defined for (checkRun), with the folder’s own message', () => {
    // loose(): the default network, which is not what a lifted method is defined for; each method with a check
    // that refuses it must have its messages reported by the decoder, none replaced or dropped.
    let refused = 0;
    for (const m of METHODS.filter((x) => x.checkRun))
      for (const spec of m.specs) {
        const e = loose();
        (e as unknown as Experiment).runs = [{ algorithm: spec.id, hyper: {} }];
        const own = m.checkRun!(e as unknown as Experiment, 0);
        if (!own.length) continue;
        refused++;
        const errors = errorsOf(decodeRaw(e));
        for (const msg of own) expect(errors, spec.id).toContain(msg);
      }
    expect(refused, 'some method refuses the default network').toBeGreaterThan(0);
  });

  it('landscape.slice.reference must name a run that exists', () => {
    const e = loose();
    e.landscape = { slice: { reference: 2 } };
    expect(errorsOf(decodeRaw(e))).toMatch(/landscape\.slice\.reference = 2 points past the last run \(there are 2/);
    e.landscape = { slice: { reference: 1 } };
    expect(decodeRaw(e).ok).toBe(true);
  });
});

describe('link length', () => {
  const bigDataset = (features: number, digits: number) => {
    let s = 7;
    const rnd = () => ((s = (s * 16807) % 2147483647) / 2147483647) * 2 - 1;
    const rows = Array.from({ length: 3000 }, (_, i) => [...Array.from({ length: features }, () => Number(rnd().toPrecision(digits))), i % 10]);
    const e = defaultExperiment();
    e.dataset = { ...e.dataset, kind: 'custom', trainSize: 3000, testSize: 1000, custom: { features, classes: 10, rows } };
    e.network = { ...e.network, hidden: [16] };
    return e;
  };

  it('the largest dataset at full double precision would make a link no browser opens: refused, saying why', () => {
    const e = bigDataset(64, 17);
    const r = validateExperiment(JSON.parse(JSON.stringify(e)));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.join(' ')).toMatch(/link would be 2\.\d\d million characters; browsers open links up to 2\.10 million/);
  });

  it('the largest dataset at 6 significant digits fits: its link opens again and is under the hard limit', () => {
    const e = bigDataset(64, 6);
    const link = encodeExperiment(e);
    console.log(`largest allowed dataset (3,000 × 64, 6 digits): link of ${link.length} characters; hard limit ${LINK_HARD_LIMIT}`);
    expect(link.length).toBeLessThan(LINK_HARD_LIMIT);
    const back = decodeHash('#' + link);
    expect(back.ok).toBe(true);
    if (back.ok === true) expect(back.value).toEqual(e);
    // A hand-made link longer than any browser opens is refused before it is even decoded.
    expect(errorsOf(decodeHash('#e=2.' + 'A'.repeat(LINK_HARD_LIMIT)))).toMatch(/browsers open links up to/);
  });
});

describe('run names in links', () => {
  it('keep a run name, trimmed, and refuse a blank one by its path', () => {
    const e = defaultExperiment();
    e.runs[0].label = '  fast SGD ';
    const ok = validateExperiment(e);
    expect(ok.ok && ok.value.runs[0].label).toBe('fast SGD');
    e.runs[0].label = '   ';
    const bad = validateExperiment(e);
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.errors.join('; ')).toContain('runs[0].label cannot be empty');
    e.runs[0].label = 'x'.repeat(61);
    const long = validateExperiment(e);
    expect(!long.ok && long.errors.join('; ')).toContain('runs[0].label must be a text of at most 60 characters');
  });
});
