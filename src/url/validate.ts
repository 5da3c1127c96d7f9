import { z } from 'zod';
import type { HyperSpec } from '../engine/hyper';
import { CATALOG, LAB_METHODS, defaultLabRun } from '../methods/registry';
import { DATASET_KINDS, EXPERIMENT_VERSION, MAX_RUNS, MAX_SEEDS, MAX_SWEEP_TRIALS, SWEEP_MODES, TARGET_METRICS, type Experiment } from '../engine/experiment';
import { DATASET_SETTINGS, INIT_SETTINGS, LAYER_SETTINGS, NETWORK_OPTION_SETTINGS, NETWORK_SETTINGS, PRETRAIN_SETTINGS, TRAINING_SETTINGS, VIEW_SETTINGS, type Setting } from '../engine/settings';
import { defaultExperiment } from '../methods/defaultExperiment';
import { CUSTOM_LIMITS } from '../engine/data/csv';
import { pauseEventChoices } from '../methods/events';
import { legacyInit } from '../engine/init';
import { LAB_FIELDS, LAB_FOCUSES, LAB_MAX_RUNS, LAB_PROBLEMS, defaultLandscape, type LandscapeConfig } from '../engine/landscape/config';
import { semanticErrors, type PathKey } from './semantic';
import { MAX_LAYERS, PADDINGS } from '../engine/layers';
import type { Activation } from '../engine/types';

// zod compiles object parsers with `new Function` unless told not to; the app's Content-Security-Policy
// (index.html) allows no eval, and the probe alone would be reported as a violation.
z.config({ jitless: true });

/**
 * Validation of an untrusted Experiment (from a link, a JSON file, a preset, a UI edit). It never throws: it
 * returns either a complete, in-range Experiment or the list of problems, each naming the field by its path.
 *
 * The shape is a set of strict zod schemas: a key this version does not know is an error naming it (a typo such as
 * "netwrok" must not quietly give the default network). A link written by a newer format version is the one
 * exception: its unknown keys are dropped with a warning naming each. A field missing from an older link takes its
 * default, and a warning says which field and which value. Present-but-wrong values are always errors. After the
 * shape, the rules that span fields (semantic.ts) run: the same for links, JSON files and CSV imports.
 */
export type Validated<T> =
  | { ok: true; value: T; warnings: string[] }
  | { ok: false; errors: string[]; /** Parallel to errors: the path of the field each names ([] = whole experiment). */ errorPaths?: PathKey[][] };

export type { PathKey };

/** A value as the message shows it: JSON, except the numbers JSON cannot spell (1e309 parses to Infinity). */
export function showValue(v: unknown): string {
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
  if (v === undefined) return 'nothing';
  const s = JSON.stringify(v);
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
}

/** runs[0].hyper.lr */
export function pathText(path: readonly PathKey[]): string {
  if (path.length === 0) return 'experiment';
  let out = '';
  for (const k of path) out += typeof k === 'number' ? `[${k}]` : out ? `.${k}` : k;
  return out;
}

function num(min: number, max: number, int = false) {
  return z.number().superRefine((v, ctx) => {
    if (int && !Number.isInteger(v)) ctx.addIssue({ code: 'custom', message: `must be a whole number, got ${v}` });
    else if (v < min || v > max) ctx.addIssue({ code: 'custom', message: `= ${v} is outside [${min}, ${max}]` });
  });
}
/** A default that is a fresh copy each time (zod hands a default out as is). */
const fresh = <T>(v: T) => () => structuredClone(v);
const int = (min: number, max: number) => num(min, max, true);
const text = (maxLen: number) => z.string().max(maxLen);
const intList = (min: number, max: number, maxLen: number) => z.array(int(min, max)).max(maxLen);

/**
 * The rule of one experiment setting, from its declaration (engine/settings.ts): in range or one of its choices,
 * its default when missing — or, for an optional setting, absent (links made before it existed stay as they are).
 */
function fromSetting(s: Setting): z.ZodType {
  let rule: z.ZodType;
  if (s.kind === 'boolean') rule = z.boolean();
  else if (s.kind === 'choice') rule = z.enum(s.options.map((o) => o.value) as [string, ...string[]]);
  else if (s.options) {
    const allowed = s.options.map((o) => o.value);
    rule = z.number().refine((v) => allowed.includes(v), { message: `must be one of ${allowed.join(', ')}` });
  } else rule = num(s.min, s.max, s.kind === 'int');
  return s.optional ? rule.optional() : rule.default(s.default as never);
}

/** Every setting of a section, by key. */
function fromSettings<K extends string>(settings: Record<K, Setting>): Record<K, z.ZodType> {
  const shape = {} as Record<K, z.ZodType>;
  for (const key of Object.keys(settings) as K[]) shape[key] = fromSetting(settings[key]);
  return shape;
}

/** The hyperparameters of one algorithm: every key known, in range, defaulted when missing. */
export function hyperSchema(spec: readonly HyperSpec[]) {
  const shape: Record<string, z.ZodType> = {};
  for (const h of spec) {
    if (h.kind === 'number' || h.kind === 'int') shape[h.key] = num(h.min, h.max, h.kind === 'int').default(h.default);
    // absentMeans: what a link made before the key existed meant by leaving it out (e.g. a step bound whose default changed after links were shared).
    else if (h.kind === 'choice') shape[h.key] = z.enum(h.options.map((o) => o.value) as [string, ...string[]]).default(h.absentMeans ?? h.default);
    else shape[h.key] = z.boolean().default(h.default as boolean);
  }
  return z.strictObject(shape);
}

const runSchema = z.discriminatedUnion(
  'algorithm',
  CATALOG.map((spec) =>
    z.strictObject({
      algorithm: z.literal(spec.id),
      hyper: hyperSchema(spec.hyper).prefault({}),
      // A run's own name (legend, cards, stage); absent means the automatic name (methods/runLabels.ts).
      label: text(60).trim().refine((v) => v.length > 0, 'cannot be empty (leave the name out for the automatic one)').optional(),
      // Set when the run's setting came out of a tuning sweep ("promote best"): what the tuning cost.
      tuning: z
        .strictObject({
          keys: z.array(z.string()).superRefine((keys, ctx) => {
            if (keys.length < 1 || keys.length > 2 || !keys.every((k) => spec.hyper.some((h) => h.key === k)))
              ctx.addIssue({ code: 'custom', message: `must list one or two hyperparameters of ${spec.id}` });
          }),
          trials: int(1, 10_000).default(1),
          seeds: int(1, MAX_SEEDS).default(1),
          cost: num(0, 1e9).default(0),
        })
        .optional(),
    }),
  ) as unknown as [
    z.ZodObject,
    ...z.ZodObject[],
  ],
);

const customSchema = z
  .strictObject({
    features: int(1, CUSTOM_LIMITS.maxFeatures),
    classes: int(2, CUSTOM_LIMITS.maxClasses),
    rows: z.array(z.unknown()).min(CUSTOM_LIMITS.minRows).max(CUSTOM_LIMITS.maxRows),
  })
  .superRefine((c, ctx) => {
    // One message for the first bad row (a hand-edited link could otherwise list 3,000).
    for (let i = 0; i < c.rows.length; i++) {
      const r = c.rows[i];
      const ok = Array.isArray(r) && r.length === c.features + 1 && r.every((v) => typeof v === 'number' && Number.isFinite(v) && Math.abs(v) <= CUSTOM_LIMITS.maxAbs);
      const label = ok ? (r as number[])[c.features] : NaN;
      if (!ok || !Number.isInteger(label) || label < 0 || label >= c.classes) {
        ctx.addIssue({ code: 'custom', path: ['rows', i], message: `must be ${c.features} numbers (|x| ≤ ${CUSTOM_LIMITS.maxAbs}) and a class index below ${c.classes}, got ${showValue(r)}` });
        return;
      }
    }
  });

const labRunSchema = z.discriminatedUnion(
  'method',
  LAB_METHODS.map(({ id }) => {
    const d = defaultLabRun(id);
    return z.strictObject({
      method: z.literal(id),
      lr: num(1e-6, 100).default(d.lr),
      momentum: num(0, 0.999).default(d.momentum),
      beta1: num(0, 0.999).default(d.beta1),
      beta2: num(0, 0.99999).default(d.beta2),
      swapAt: int(0, 5000).default(d.swapAt),
      c2: num(1e-9, 0.9).default(d.c2),
      noise: num(0, 1000).default(d.noise),
    });
  }) as unknown as [z.ZodObject, ...z.ZodObject[]],
);

const pair = z.tuple([num(-1e3, 1e3), num(-1e3, 1e3)]);

function landscapeSchema() {
  const d = defaultLandscape();
  return z.strictObject({
    open: z.boolean().default(d.open),
    focus: z.enum(LAB_FOCUSES).optional(),
    problem: z.enum(LAB_PROBLEMS).default(d.problem),
    condition: num(1, 1e4).default(d.condition),
    start: pair.default(fresh(d.start)),
    iterations: int(1, 5000).default(d.iterations),
    runs: z.array(labRunSchema).min(1).max(LAB_MAX_RUNS).default(fresh(d.runs) as never),
    show: z
      .strictObject({
        field: z.enum(LAB_FIELDS).default(d.show.field),
        convexity: z.boolean().default(d.show.convexity),
        trials: z.boolean().default(d.show.trials),
        logContours: z.boolean().default(d.show.logContours),
        scrub: z.boolean().default(d.show.scrub),
      })
      .default(fresh(d.show)),
    slice: z
      .strictObject({
        seed: int(0, 2 ** 31 - 1).default(d.slice.seed),
        resolution: int(3, 101).default(d.slice.resolution),
        span: num(0.01, 100).default(d.slice.span),
        samples: int(0, 12000).default(d.slice.samples),
        reference: int(0, MAX_RUNS - 1).default(d.slice.reference),
      })
      .default(fresh(d.slice)),
  });
}

function experimentSchema() {
  const d = defaultExperiment();
  const ds = fromSettings(DATASET_SETTINGS);
  return z.strictObject({
    version: z.number(),
    title: text(120).default(d.title),
    dataset: z
      .strictObject({
        kind: z.enum(DATASET_KINDS).default(d.dataset.kind),
        // The key order is the order a decoded experiment has (links compare as strings): the declared settings,
        // with the class list and an imported file's rows before the two options added later.
        seed: ds.seed,
        noise: ds.noise,
        trainSize: ds.trainSize,
        testSize: ds.testSize,
        resolution: ds.resolution,
        classes: intList(0, 9, 10).default(fresh(d.dataset.classes)),
        custom: customSchema.optional(),
        standardize: ds.standardize,
        coordinates: ds.coordinates,
      })
      .default(fresh(d.dataset) as never),
    network: z
      .strictObject({
        hidden: z.array(int(1, 512)).max(6).default(fresh(d.network.hidden)),
        ...fromSettings(NETWORK_SETTINGS),
        init: z.strictObject(fromSettings(INIT_SETTINGS)).default(fresh(d.network.init)),
        layers: layersSchema().optional(),
        ...fromSettings(NETWORK_OPTION_SETTINGS),
      })
      .default(fresh(d.network) as never),
    training: z.strictObject(fromSettings(TRAINING_SETTINGS)).default(fresh(d.training)),
    runs: z.array(runSchema).min(1).max(MAX_RUNS).default(fresh(d.runs) as never),
    view: z.strictObject(fromSettings(VIEW_SETTINGS)).default(fresh(d.view)),
    pretrain: z
      .strictObject({
        classes: intList(0, 9, 10).default(fresh([0, 1, 2, 3, 4])),
        ...fromSettings(PRETRAIN_SETTINGS),
      })
      .optional(),
    landscape: landscapeSchema().optional(),
    pauseOn: pauseOnSchema().optional(),
    protocol: protocolSchema().optional(),
  });
}

/**
 * network.layers: each layer's fields from their declarations (engine/layers.ts LAYER_SETTINGS); what the list as a
 * whole can build on the dataset is checked in semantic.ts.
 */
function layersSchema() {
  const L = LAYER_SETTINGS;
  const bounded = (s: { min: number; max: number }) => num(s.min, s.max, true);
  const activation = z.enum(NETWORK_SETTINGS.activation.options.map((o) => o.value) as [Activation, ...Activation[]]).optional();
  return z
    .array(
      z.discriminatedUnion('type', [
        z.strictObject({ type: z.literal('dense'), units: bounded(L.units), activation }),
        z.strictObject({
          type: z.literal('conv2d'),
          filters: bounded(L.filters),
          kernel: bounded(L.kernel),
          stride: bounded(L.stride).optional(),
          padding: z.enum(PADDINGS).optional(),
          activation,
        }),
        z.strictObject({ type: z.enum(['maxpool', 'avgpool']), size: bounded(L.size), stride: bounded(L.poolStride).optional() }),
        z.strictObject({ type: z.literal('flatten') }),
      ]),
    )
    .max(MAX_LAYERS);
}

/** The optional comparison protocol (seeds, sweep, target); what it refers to is checked in semantic.ts. */
function protocolSchema() {
  return z.strictObject({
    seeds: int(1, MAX_SEEDS).default(1),
    varySplit: z.boolean().optional(),
    target: z.strictObject({ metric: z.enum(TARGET_METRICS).default('testAccuracy'), value: num(0, 1e6).default(0.9) }).optional(),
    sweep: z
      .strictObject({
        runs: intList(0, MAX_RUNS - 1, MAX_RUNS).default(fresh([0])),
        axes: z.array(z.strictObject({ key: text(40).default('lr'), min: num(1e-12, 1e6).default(1e-3), max: num(1e-12, 1e6).default(1) })).min(1).max(2),
        mode: z.enum(SWEEP_MODES).default('grid'),
        points: int(2, MAX_SWEEP_TRIALS).default(7),
        trialCost: num(0.01, 1e6).default(20),
        seed: int(0, 2 ** 31 - 1).default(1),
      })
      .optional(),
  });
}

/** experiment.pauseOn: distinct event ids that the catalogue's methods (or divergence) define (methods/events.ts). */
function pauseOnSchema() {
  const ids = pauseEventChoices().map((ev) => ev.id);
  return z
    .array(z.enum(ids as [string, ...string[]]))
    .max(ids.length)
    .superRefine((xs, ctx) => {
      xs.forEach((v, i) => {
        if (xs.indexOf(v) !== i) ctx.addIssue({ code: 'custom', path: [i], message: `: "${v}" is listed twice` });
      });
    });
}

let cached: ReturnType<typeof experimentSchema> | undefined;
const schema = () => (cached ??= experimentSchema());

const EXPECTED: Record<string, string> = {
  number: 'a number',
  string: 'a text',
  boolean: 'true or false',
  object: 'an object',
  array: 'a list',
  tuple: 'a list',
};

/** One line per problem, in the words of the field it names. */
function describeIssue(iss: z.core.$ZodIssue, input: unknown): string[] {
  const path = iss.path as PathKey[];
  const at = pathText(path);
  switch (iss.code) {
    case 'unrecognized_keys':
      return iss.keys.map((k) => `${pathText([...path, k])} is not a field this version knows (misspelt, or from another program)`);
    case 'invalid_type': {
      if (input === undefined) return [`${at} is missing`];
      if (typeof input === 'number' && !Number.isFinite(input)) return [`${at} is out of range: ${input} (a number beyond ±1.8e308, such as 1e309, cannot be used)`];
      const expected = iss.expected === 'literal' ? 'a known value' : (EXPECTED[iss.expected] ?? iss.expected);
      return [`${at} must be ${expected}, got ${showValue(input)}`];
    }
    case 'invalid_value':
      return [`${at} must be one of ${iss.values.map((v) => String(v)).join(', ')}; got ${showValue(input)}`];
    case 'invalid_union': {
      const u = iss as unknown as { discriminator?: string; options?: unknown[] };
      if (u.discriminator) {
        const got = input && typeof input === 'object' ? (input as Record<string, unknown>)[u.discriminator] : input;
        const where = input && typeof input === 'object' && !Array.isArray(input) ? pathText([...path, u.discriminator]) : at;
        if (!(input && typeof input === 'object' && !Array.isArray(input))) return [`${at} must be an object, got ${showValue(input)}`];
        return [`${where} ${showValue(got)} is not known; it must be one of ${(u.options ?? []).map(String).join(', ')}`];
      }
      return [`${at} is not valid`];
    }
    case 'too_big':
    case 'too_small': {
      const bound = iss.code === 'too_big' ? `at most ${iss.maximum}` : `at least ${iss.minimum}`;
      if (iss.origin === 'array') return [`${at} must hold ${bound} items, got ${Array.isArray(input) ? input.length : showValue(input)}`];
      if (iss.origin === 'string') return [`${at} must be a text of ${bound} characters`];
      return [`${at} = ${showValue(input)} must be ${bound}`];
    }
    case 'custom':
      return [iss.message.startsWith(':') ? `${at}${iss.message}` : `${at} ${iss.message}`];
    default:
      return [`${at}: ${iss.message}`];
  }
}

function valueAt(root: unknown, path: readonly PathKey[]): unknown {
  let v = root;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[k];
  }
  return v;
}

/** Warnings for every field the input lacked and the schema filled with its default (older links). */
function reportDefaults(raw: unknown, out: unknown, path: PathKey[], warnings: string[]): void {
  if (out === null || typeof out !== 'object' || raw === null || typeof raw !== 'object') return;
  if (Array.isArray(out)) {
    if (Array.isArray(raw)) out.forEach((v, i) => reportDefaults(raw[i], v, [...path, i], warnings));
    return;
  }
  for (const [k, v] of Object.entries(out)) {
    if (!(k in (raw as Record<string, unknown>))) {
      const what = v !== null && typeof v === 'object' && !Array.isArray(v) ? 'its defaults are used' : `the default ${showValue(v)} is used`;
      warnings.push(`${pathText([...path, k])} was not given (older versions did not write it); ${what}`);
    } else reportDefaults((raw as Record<string, unknown>)[k], v, [...path, k], warnings);
  }
}

function deleteAt(root: unknown, path: readonly PathKey[], key: string): void {
  const o = valueAt(root, path);
  if (o && typeof o === 'object') delete (o as Record<string, unknown>)[key];
}

export function validateExperiment(raw: unknown): Validated<Experiment> {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return { ok: false, errors: [`the experiment must be an object, got ${showValue(raw)}`], errorPaths: [[]] };
  const version = (raw as Record<string, unknown>).version;
  if (version === undefined) return { ok: false, errors: ['version is missing: an experiment states its format version'], errorPaths: [['version']] };
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1)
    return { ok: false, errors: [`version ${showValue(version)} is not an experiment format version`], errorPaths: [['version']] };
  const warnings: string[] = [];
  let input = raw;
  // Links made before init schemes carry network.initScale: Glorot-uniform × initScale with zero biases, which
  // legacyInit reproduces draw for draw (engine/init.ts). Both at once is an error.
  const net = (raw as Record<string, unknown>).network as Record<string, unknown> | undefined;
  if (net && typeof net === 'object' && net.initScale !== undefined) {
    if (net.init !== undefined)
      return { ok: false, errors: ['network has both init and the older initScale; keep init (initScale meant init.scheme "glorot-uniform" with that gain)'], errorPaths: [['network', 'initScale']] };
    const v = net.initScale;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 1e-4 || v > 100)
      return { ok: false, errors: [`network.initScale = ${showValue(v)} is outside [0.0001, 100]`], errorPaths: [['network', 'initScale']] };
    const { initScale: _legacy, ...rest } = net;
    void _legacy;
    input = { ...(raw as Record<string, unknown>), network: { ...rest, init: legacyInit(v) } };
  }
  let res = schema().safeParse(input, { reportInput: true });
  if (!res.success && version > EXPERIMENT_VERSION) {
    // A newer format: what this version does not know is dropped, and said so key by key. Anything else wrong
    // (a known field with a value this version cannot use) is still an error.
    const unknown = res.error.issues.filter((i) => i.code === 'unrecognized_keys');
    if (unknown.length) {
      input = structuredClone(input);
      for (const iss of unknown)
        for (const k of (iss as { keys: string[] }).keys) {
          deleteAt(input, iss.path as PathKey[], k);
          warnings.push(`${pathText([...(iss.path as PathKey[]), k])} was dropped: this link was made by a newer version of the playground (format ${version}) and this version does not know the field`);
        }
      res = schema().safeParse(input, { reportInput: true });
    }
  }
  if (!res.success) {
    const errors: string[] = [];
    const errorPaths: PathKey[][] = [];
    for (const iss of res.error.issues) {
      const path = iss.path as PathKey[];
      const v = 'input' in iss ? (iss as { input?: unknown }).input : valueAt(input, path);
      for (const m of describeIssue(iss, v)) {
        errors.push(m);
        errorPaths.push(iss.code === 'unrecognized_keys' ? [...path, (iss as { keys: string[] }).keys[0]] : path);
      }
    }
    if (version > EXPERIMENT_VERSION) errors.push(`(this link was made by a newer version of the playground, format ${version}; this one reads format ${EXPERIMENT_VERSION})`);
    return { ok: false, errors, errorPaths };
  }
  const e = { ...(res.data as unknown as Experiment), version: EXPERIMENT_VERSION };
  if (version > EXPERIMENT_VERSION && warnings.length === 0)
    warnings.push(`this link was made by a newer version of the playground (format ${version}); it holds nothing this version does not know`);
  reportDefaults(input, e, [], warnings);
  const semantic = semanticErrors(e);
  if (semantic.length) return { ok: false, errors: semantic.map((s) => s.message), errorPaths: semantic.map((s) => s.path) };
  return { ok: true, value: e, warnings };
}

/** The landscape field alone (lab edits), with the same rules. */
export type { LandscapeConfig };
