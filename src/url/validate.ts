import type { HyperSpec } from '../engine/hyper';
import { findSpec } from '../methods/registry';
import {
  BACKEND_CHOICES,
  DATASET_KINDS,
  EXPERIMENT_VERSION,
  MAX_RUNS,
  MAX_SEEDS,
  SWEEP_MODES,
  TARGET_METRICS,
  X_AXES,
  defaultExperiment,
  type Experiment,
  type ProtocolConfig,
  type RunConfig,
  type SweepAxis,
} from '../engine/experiment';
import { pauseEventChoices } from '../methods/events';
import { CUSTOM_LIMITS, type CustomData } from '../engine/data/csv';
import type { Hyper } from '../engine/types';
import { LAB_FIELDS, LAB_MAX_RUNS, LAB_METHODS, LAB_PROBLEMS, defaultLabRun, defaultLandscape, type LandscapeConfig } from '../engine/landscape/config';

/**
 * Validation of an untrusted Experiment (from a URL, a JSON file, a preset). It never throws: it returns
 * either a complete, in-range Experiment or the list of problems, each naming the field. Missing fields
 * take their defaults (so older links that lack a newer field keep working); present-but-wrong fields
 * are errors, never silently replaced.
 */
export type Validated<T> = { ok: true; value: T; warnings: string[] } | { ok: false; errors: string[] };

class Checker {
  errors: string[] = [];
  warnings: string[] = [];

  obj(v: unknown, path: string): Record<string, unknown> | undefined {
    if (v === undefined) return undefined;
    if (typeof v !== 'object' || v === null || Array.isArray(v)) {
      this.errors.push(`${path} must be an object`);
      return undefined;
    }
    return v as Record<string, unknown>;
  }

  num(o: Record<string, unknown> | undefined, key: string, path: string, def: number, min: number, max: number, int = false): number {
    const v = o?.[key];
    if (v === undefined) return def;
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      this.errors.push(`${path}.${key} must be a number, got ${JSON.stringify(v)}`);
      return def;
    }
    if (int && !Number.isInteger(v)) {
      this.errors.push(`${path}.${key} must be a whole number, got ${v}`);
      return def;
    }
    if (v < min || v > max) {
      this.errors.push(`${path}.${key} = ${v} is outside [${min}, ${max}]`);
      return def;
    }
    return v;
  }

  choice<T extends string>(o: Record<string, unknown> | undefined, key: string, path: string, def: T, options: readonly T[]): T {
    const v = o?.[key];
    if (v === undefined) return def;
    if (typeof v !== 'string' || !options.includes(v as T)) {
      this.errors.push(`${path}.${key} must be one of ${options.join(', ')}; got ${JSON.stringify(v)}`);
      return def;
    }
    return v as T;
  }

  bool(o: Record<string, unknown> | undefined, key: string, path: string, def: boolean): boolean {
    const v = o?.[key];
    if (v === undefined) return def;
    if (typeof v !== 'boolean') {
      this.errors.push(`${path}.${key} must be true or false`);
      return def;
    }
    return v;
  }

  str(o: Record<string, unknown> | undefined, key: string, path: string, def: string, maxLen: number): string {
    const v = o?.[key];
    if (v === undefined) return def;
    if (typeof v !== 'string' || v.length > maxLen) {
      this.errors.push(`${path}.${key} must be a text of at most ${maxLen} characters`);
      return def;
    }
    return v;
  }

  intList(o: Record<string, unknown> | undefined, key: string, path: string, def: number[], min: number, max: number, maxLen: number): number[] {
    const v = o?.[key];
    if (v === undefined) return def;
    if (!Array.isArray(v) || v.length > maxLen || !v.every((x) => typeof x === 'number' && Number.isInteger(x) && x >= min && x <= max)) {
      this.errors.push(`${path}.${key} must be a list of at most ${maxLen} whole numbers in [${min}, ${max}]`);
      return def;
    }
    return v as number[];
  }
}

export function validateHyper(spec: HyperSpec[], raw: unknown, path: string, c: Checker): Hyper {
  const o = c.obj(raw, path);
  const out: Hyper = {};
  for (const h of spec) {
    if (h.kind === 'number' || h.kind === 'int') out[h.key] = c.num(o, h.key, path, h.default, h.min, h.max, h.kind === 'int');
    else if (h.kind === 'choice') out[h.key] = c.choice(o, h.key, path, h.default, h.options.map((x) => x.value));
    else out[h.key] = c.bool(o, h.key, path, h.default as boolean);
  }
  if (o) for (const k of Object.keys(o)) if (!spec.some((h) => h.key === k)) c.warnings.push(`${path}.${k} is not a parameter of this algorithm and was ignored`);
  return out;
}

function validateRun(raw: unknown, path: string, c: Checker): RunConfig | undefined {
  const o = c.obj(raw, path);
  if (!o) {
    if (raw === undefined) c.errors.push(`${path} is missing`);
    return undefined;
  }
  const id = o.algorithm;
  const spec = typeof id === 'string' ? findSpec(id) : undefined;
  if (!spec) {
    c.errors.push(`${path}.algorithm ${JSON.stringify(id)} is not a known algorithm`);
    return undefined;
  }
  const run: RunConfig = { algorithm: spec.id, hyper: validateHyper(spec.hyper, o.hyper, `${path}.hyper`, c) };
  const label = c.str(o, 'label', path, '', 60);
  if (label) run.label = label;
  if (o.tuning !== undefined) {
    const t = c.obj(o.tuning, `${path}.tuning`);
    if (t) {
      const keys = t.keys;
      if (!Array.isArray(keys) || keys.length < 1 || keys.length > 2 || !keys.every((k) => typeof k === 'string' && spec.hyper.some((h) => h.key === k)))
        c.errors.push(`${path}.tuning.keys must list one or two hyperparameters of ${spec.id}`);
      run.tuning = {
        keys: Array.isArray(keys) ? (keys as string[]) : [],
        trials: c.num(t, 'trials', `${path}.tuning`, 1, 1, 10_000, true),
        seeds: c.num(t, 'seeds', `${path}.tuning`, 1, 1, MAX_SEEDS, true),
        cost: c.num(t, 'cost', `${path}.tuning`, 0, 0, 1e9),
      };
    }
  }
  return run;
}

/** Largest sweep: trials per method (grid points per axis to the power of the axes, or random samples). */
export const MAX_SWEEP_TRIALS = 64;

/** The optional comparison protocol (seeds, sweep, target); checked against the runs it refers to. */
function validateProtocol(raw: unknown, runs: RunConfig[], c: Checker): ProtocolConfig | undefined {
  const o = c.obj(raw, 'protocol');
  if (!o) return undefined;
  const out: ProtocolConfig = { seeds: c.num(o, 'seeds', 'protocol', 1, 1, MAX_SEEDS, true) };
  if (o.varySplit !== undefined) out.varySplit = c.bool(o, 'varySplit', 'protocol', false);
  if (o.target !== undefined) {
    const t = c.obj(o.target, 'protocol.target');
    if (t) {
      const metric = c.choice(t, 'metric', 'protocol.target', 'testAccuracy', TARGET_METRICS);
      const value = c.num(t, 'value', 'protocol.target', metric === 'testAccuracy' ? 0.9 : 0.1, 0, 1e6);
      if (metric === 'testAccuracy' && value > 1) c.errors.push(`protocol.target.value = ${value}: a test accuracy target lies in [0, 1]`);
      out.target = { metric, value };
    }
  }
  if (o.sweep !== undefined) {
    const sw = c.obj(o.sweep, 'protocol.sweep');
    if (sw) {
      const p = 'protocol.sweep';
      const runIdx = c.intList(sw, 'runs', p, [0], 0, MAX_RUNS - 1, MAX_RUNS);
      if (runIdx.length === 0) c.errors.push(`${p}.runs must name at least one run`);
      const bad = runIdx.filter((i) => i >= runs.length);
      if (bad.length) c.errors.push(`${p}.runs refers to run ${bad[0] + 1}, but the comparison has ${runs.length}`);
      const axes: SweepAxis[] = [];
      const rawAxes = sw.axes;
      if (!Array.isArray(rawAxes) || rawAxes.length < 1 || rawAxes.length > 2) c.errors.push(`${p}.axes must be a list of one or two axes`);
      else
        rawAxes.forEach((a, k) => {
          const ap = `${p}.axes[${k}]`;
          const ao = c.obj(a, ap);
          if (!ao) return;
          const key = c.str(ao, 'key', ap, 'lr', 40);
          const min = c.num(ao, 'min', ap, 1e-3, 1e-12, 1e6);
          const max = c.num(ao, 'max', ap, 1, 1e-12, 1e6);
          if (!(min < max)) c.errors.push(`${ap}: min (${min}) must be below max (${max})`);
          for (const i of runIdx) {
            const spec = runs[i] && findSpec(runs[i].algorithm);
            const h = spec?.hyper.find((x) => x.key === key);
            if (spec && (!h || (h.kind !== 'number' && h.kind !== 'int'))) c.errors.push(`${ap}.key "${key}" is not a numeric hyperparameter of run ${i + 1} (${spec.id})`);
            else if (h && (h.kind === 'number' || h.kind === 'int') && (min < h.min || max > h.max))
              c.errors.push(`${ap}: [${min}, ${max}] leaves the range of ${spec!.id}'s ${key}, [${h.min}, ${h.max}]`);
          }
          axes.push({ key, min, max });
        });
      if (axes.length === 2 && axes[0].key === axes[1].key) c.errors.push(`${p}.axes sweep "${axes[0].key}" twice`);
      const mode = c.choice(sw, 'mode', p, 'grid', SWEEP_MODES);
      const points = c.num(sw, 'points', p, 7, 2, MAX_SWEEP_TRIALS, true);
      const trials = mode === 'grid' ? points ** axes.length : points;
      if (trials > MAX_SWEEP_TRIALS) c.errors.push(`${p}: ${trials} settings per method is more than the ${MAX_SWEEP_TRIALS} a sweep may run`);
      out.sweep = {
        runs: runIdx,
        axes,
        mode,
        points,
        trialCost: c.num(sw, 'trialCost', p, 20, 0.01, 1e6),
        seed: c.num(sw, 'seed', p, 1, 0, 2 ** 31 - 1, true),
      };
    }
  }
  return out;
}

/** The imported rows of a custom dataset, re-checked (a link can be edited by hand). */
function validateCustom(raw: unknown, c: Checker): CustomData | undefined {
  const o = c.obj(raw, 'dataset.custom');
  if (!o) {
    c.errors.push('dataset.custom is missing: a custom dataset carries its rows');
    return undefined;
  }
  const features = c.num(o, 'features', 'dataset.custom', 2, 1, CUSTOM_LIMITS.maxFeatures, true);
  const classes = c.num(o, 'classes', 'dataset.custom', 2, 2, CUSTOM_LIMITS.maxClasses, true);
  const rows = o.rows;
  if (!Array.isArray(rows) || rows.length < CUSTOM_LIMITS.minRows || rows.length > CUSTOM_LIMITS.maxRows) {
    c.errors.push(`dataset.custom.rows must hold ${CUSTOM_LIMITS.minRows} to ${CUSTOM_LIMITS.maxRows} rows`);
    return undefined;
  }
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    const ok = Array.isArray(r) && r.length === features + 1 && r.every((v) => typeof v === 'number' && Number.isFinite(v) && Math.abs(v) <= 1e6);
    const label = ok ? (r as number[])[features] : NaN;
    if (!ok || !Number.isInteger(label) || label < 0 || label >= classes) {
      c.errors.push(`dataset.custom.rows[${i}] must be ${features} numbers and a class index below ${classes}`);
      return undefined;
    }
  }
  return { features, classes, rows: rows as number[][] };
}

export function validateExperiment(raw: unknown): Validated<Experiment> {
  const c = new Checker();
  const d = defaultExperiment();
  const root = c.obj(raw, 'experiment');
  if (!root) return { ok: false, errors: c.errors.length ? c.errors : ['experiment is missing'] };
  const version = root.version;
  if (version !== undefined && version !== EXPERIMENT_VERSION) {
    if (typeof version === 'number' && version > EXPERIMENT_VERSION)
      return { ok: false, errors: [`this link was made by a newer version of the playground (format ${version}; this one reads up to ${EXPERIMENT_VERSION})`] };
    return { ok: false, errors: [`unknown experiment format version ${JSON.stringify(version)}`] };
  }
  const ds = c.obj(root.dataset, 'dataset');
  const net = c.obj(root.network, 'network');
  const tr = c.obj(root.training, 'training');
  const view = c.obj(root.view, 'view');
  const e: Experiment = {
    version: EXPERIMENT_VERSION,
    title: c.str(root, 'title', 'experiment', d.title, 120),
    dataset: {
      kind: c.choice(ds, 'kind', 'dataset', d.dataset.kind, DATASET_KINDS),
      seed: c.num(ds, 'seed', 'dataset', d.dataset.seed, 0, 2 ** 31 - 1, true),
      noise: c.num(ds, 'noise', 'dataset', d.dataset.noise, 0, 2),
      trainSize: c.num(ds, 'trainSize', 'dataset', d.dataset.trainSize, 10, 12000, true),
      testSize: c.num(ds, 'testSize', 'dataset', d.dataset.testSize, 10, 2000, true),
      resolution: c.num(ds, 'resolution', 'dataset', d.dataset.resolution, 14, 28, true),
      classes: c.intList(ds, 'classes', 'dataset', d.dataset.classes, 0, 9, 10),
    },
    network: {
      hidden: c.intList(net, 'hidden', 'network', d.network.hidden, 1, 512, 6),
      activation: c.choice(net, 'activation', 'network', d.network.activation, ['relu', 'tanh', 'sigmoid', 'linear'] as const),
      outputLink: c.choice(net, 'outputLink', 'network', d.network.outputLink, ['softmax', 'sigmoid', 'identity'] as const),
      loss: c.choice(net, 'loss', 'network', d.network.loss, ['ce', 'mse'] as const),
      initScale: c.num(net, 'initScale', 'network', d.network.initScale, 1e-4, 100),
    },
    training: {
      batchSize: c.num(tr, 'batchSize', 'training', d.training.batchSize, 0, 12000, true),
      maxIterations: c.num(tr, 'maxIterations', 'training', d.training.maxIterations, 1, 1_000_000, true),
      evalEvery: c.num(tr, 'evalEvery', 'training', d.training.evalEvery, 1, 10_000, true),
      seed: c.num(tr, 'seed', 'training', d.training.seed, 0, 2 ** 31 - 1, true),
      backend: c.choice(tr, 'backend', 'training', d.training.backend, BACKEND_CHOICES),
    },
    runs: [],
    view: {
      xAxis: c.choice(view, 'xAxis', 'view', d.view.xAxis, X_AXES),
      logY: c.bool(view, 'logY', 'view', d.view.logY),
      smoothing: c.num(view, 'smoothing', 'view', d.view.smoothing, 0, 0.999),
    },
  };
  if (root.pretrain !== undefined) {
    const pt = c.obj(root.pretrain, 'pretrain');
    if (pt) {
      e.pretrain = {
        classes: c.intList(pt, 'classes', 'pretrain', [0, 1, 2, 3, 4], 0, 9, 10),
        iterations: c.num(pt, 'iterations', 'pretrain', 300, 1, 20_000, true),
        lr: c.num(pt, 'lr', 'pretrain', 0.001, 1e-6, 1),
        seed: c.num(pt, 'seed', 'pretrain', 1, 0, 2 ** 31 - 1, true),
      };
      if (e.dataset.kind !== 'mnist' && e.dataset.kind !== 'fashion') c.errors.push('pretrain needs an image dataset (mnist or fashion)');
      if (e.network.hidden.length === 0) c.errors.push('pretrain needs at least one hidden layer (the frozen bottom)');
      if (e.pretrain.classes.length < 2) c.errors.push('pretrain.classes must list at least two classes');
    }
  }
  if (e.dataset.kind === 'custom') {
    const custom = validateCustom(ds?.custom, c);
    if (custom) e.dataset.custom = custom;
  } else if (ds?.custom !== undefined) c.warnings.push('dataset.custom is only used with dataset.kind "custom" and was ignored');
  if (root.landscape !== undefined) {
    const ls = validateLandscape(root.landscape, c);
    if (ls) e.landscape = ls;
  }
  if (root.pauseOn !== undefined) {
    const pauseOn = validatePauseOn(root.pauseOn, c);
    if (pauseOn.length) e.pauseOn = pauseOn;
  }
  if (e.dataset.resolution !== 14 && e.dataset.resolution !== 28) c.errors.push(`dataset.resolution must be 28 or 14, got ${e.dataset.resolution}`);
  if (e.network.loss === 'ce' && e.network.outputLink === 'identity') c.errors.push('network: cross-entropy needs a softmax or sigmoid output link');
  const runs = root.runs;
  if (runs === undefined) e.runs = d.runs;
  else if (!Array.isArray(runs) || runs.length < 1 || runs.length > MAX_RUNS) c.errors.push(`runs must be a list of 1 to ${MAX_RUNS} runs`);
  else
    runs.forEach((r, i) => {
      const run = validateRun(r, `runs[${i}]`, c);
      if (run) e.runs.push(run);
    });
  if (root.protocol !== undefined) {
    const protocol = validateProtocol(root.protocol, e.runs, c);
    if (protocol) e.protocol = protocol;
  }
  if (c.errors.length) return { ok: false, errors: c.errors };
  return { ok: true, value: e, warnings: c.warnings };
}

/** experiment.pauseOn: a list of distinct event ids that the catalogue's methods (or divergence) define. */
function validatePauseOn(raw: unknown, c: Checker): string[] {
  const ids = pauseEventChoices().map((ev) => ev.id);
  if (!Array.isArray(raw) || raw.length > ids.length) {
    c.errors.push(`pauseOn must be a list of at most ${ids.length} event names (${ids.join(', ')})`);
    return [];
  }
  const out: string[] = [];
  raw.forEach((v, i) => {
    if (typeof v !== 'string' || !ids.includes(v)) c.errors.push(`pauseOn[${i}] must be one of ${ids.join(', ')}; got ${JSON.stringify(v)}`);
    else if (out.includes(v)) c.errors.push(`pauseOn[${i}]: "${v}" is listed twice`);
    else out.push(v);
  });
  return out;
}

/** The optional landscape-lab field (src/engine/landscape/config.ts); missing sub-fields take the defaults. */
function validateLandscape(raw: unknown, c: Checker): LandscapeConfig | undefined {
  const o = c.obj(raw, 'landscape');
  if (!o) return undefined;
  const d = defaultLandscape();
  const path = 'landscape';
  const pair = (v: unknown, key: string, def: [number, number]): [number, number] => {
    if (v === undefined) return def;
    if (!Array.isArray(v) || v.length !== 2 || !v.every((x) => typeof x === 'number' && Number.isFinite(x) && Math.abs(x) <= 1e3)) {
      c.errors.push(`${path}.${key} must be two numbers in [−1000, 1000]`);
      return def;
    }
    return [v[0], v[1]];
  };
  const show = c.obj(o.show, `${path}.show`);
  const sl = c.obj(o.slice, `${path}.slice`);
  const out: LandscapeConfig = {
    open: c.bool(o, 'open', path, d.open),
    problem: c.choice(o, 'problem', path, d.problem, LAB_PROBLEMS),
    condition: c.num(o, 'condition', path, d.condition, 1, 1e4),
    start: pair(o.start, 'start', d.start),
    iterations: c.num(o, 'iterations', path, d.iterations, 1, 5000, true),
    runs: [],
    show: {
      field: c.choice(show, 'field', `${path}.show`, d.show.field, LAB_FIELDS),
      convexity: c.bool(show, 'convexity', `${path}.show`, d.show.convexity),
      trials: c.bool(show, 'trials', `${path}.show`, d.show.trials),
      logContours: c.bool(show, 'logContours', `${path}.show`, d.show.logContours),
      scrub: c.bool(show, 'scrub', `${path}.show`, d.show.scrub),
    },
    slice: {
      seed: c.num(sl, 'seed', `${path}.slice`, d.slice.seed, 0, 2 ** 31 - 1, true),
      resolution: c.num(sl, 'resolution', `${path}.slice`, d.slice.resolution, 3, 101, true),
      span: c.num(sl, 'span', `${path}.slice`, d.slice.span, 0.01, 100),
      samples: c.num(sl, 'samples', `${path}.slice`, d.slice.samples, 0, 12000, true),
      reference: c.num(sl, 'reference', `${path}.slice`, d.slice.reference, 0, MAX_RUNS - 1, true),
    },
  };
  if (out.slice.resolution % 2 === 0) c.errors.push(`${path}.slice.resolution must be odd (so the centre is a grid point), got ${out.slice.resolution}`);
  const runs = o.runs;
  if (runs === undefined) out.runs = d.runs;
  else if (!Array.isArray(runs) || runs.length < 1 || runs.length > LAB_MAX_RUNS) c.errors.push(`${path}.runs must be a list of 1 to ${LAB_MAX_RUNS} runs`);
  else
    runs.forEach((r, i) => {
      const p = `${path}.runs[${i}]`;
      const ro = c.obj(r, p);
      if (!ro) return;
      const method = c.choice(ro, 'method', p, 'gd', LAB_METHODS);
      const def = defaultLabRun(method);
      out.runs.push({
        method,
        lr: c.num(ro, 'lr', p, def.lr, 1e-6, 100),
        momentum: c.num(ro, 'momentum', p, def.momentum, 0, 0.999),
        beta1: c.num(ro, 'beta1', p, def.beta1, 0, 0.999),
        beta2: c.num(ro, 'beta2', p, def.beta2, 0, 0.99999),
        swapAt: c.num(ro, 'swapAt', p, def.swapAt, 0, 5000, true),
        c2: c.num(ro, 'c2', p, def.c2, 1e-9, 0.9),
        noise: c.num(ro, 'noise', p, def.noise, 0, 1000),
      });
    });
  return out;
}

export { Checker };
