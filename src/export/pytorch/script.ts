import { GLM_DIM, type Experiment } from '../../engine/experiment';
import { runLabel } from '../../methods/registry';
import runtime from './runtime.py?raw';

/**
 * Experiment → one self-contained PyTorch script: a generated header of constants (the experiment's settings as
 * Python literals) followed by the static runtime (runtime.py, kept as a real Python file so it can be run and
 * linted on its own). The runtime reproduces the browser engine step by step; e2e/unit tests cross-check the two.
 */

/** A JSON value as a Python literal (dicts, lists, str, int/float, True/False/None). */
export function pyLiteral(v: unknown, indent = 0): string {
  const pad = ' '.repeat(indent);
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return 'float("nan")';
    if (!Number.isFinite(v)) return v > 0 ? 'float("inf")' : '-float("inf")';
    return String(v);
  }
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) {
    if (v.every((x) => typeof x !== 'object' || x === null)) return `[${v.map((x) => pyLiteral(x)).join(', ')}]`;
    return `[\n${v.map((x) => `${pad}    ${pyLiteral(x, indent + 4)},`).join('\n')}\n${pad}]`;
  }
  const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([k, x]) => `${pad}    ${JSON.stringify(k)}: ${pyLiteral(x, indent + 4)},`).join('\n')}\n${pad}}`;
}

/**
 * The methods the script implements: the keys of runtime.py's METHODS table, read from the runtime itself so the
 * two cannot disagree. A run of any other method is refused by the script, before anything runs, naming it.
 */
export const PYTORCH_METHODS: ReadonlySet<string> = (() => {
  const table = /^METHODS = \{([^}]*)\}/m.exec(runtime);
  if (!table) throw new Error('runtime.py has no METHODS table');
  return new Set(Array.from(table[1].matchAll(/"([A-Za-z0-9_-]+)":/g), (m) => m[1]));
})();

/** The runs (0-based) of `e` the exported script cannot reproduce: it has no implementation of their method. */
export function runsWithoutPytorch(e: Experiment): number[] {
  return e.runs.flatMap((r, i) => (PYTORCH_METHODS.has(r.algorithm) ? [] : [i]));
}

/** What the app and the script's header say about runs the script cannot reproduce; '' when it reproduces them all. */
export function pytorchGapText(e: Experiment): string {
  const missing = runsWithoutPytorch(e);
  if (!missing.length) return '';
  const others = e.runs.flatMap((_, i) => (missing.includes(i) ? [] : [i + 1]));
  const names = missing.map((i) => `run ${i + 1} (${runLabel(e.runs[i])})`).join(', ');
  return (
    `The PyTorch script cannot reproduce ${names}: the export has no implementation of ${missing.length > 1 ? 'these methods' : 'this method'} yet. ` +
    (others.length ? `It stops with this message unless you choose the other runs: --runs ${others.join(',')}.` : 'It stops with this message.')
  );
}

/** Text inside the script's docstring: backslashes and triple quotes escaped. */
const docText = (s: string) => s.replace(/\\/g, '\\\\').replace(/"""/g, '\\"\\"\\"');

export function pytorchScriptName(e: Experiment): string {
  const slug = e.title.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '').slice(0, 40) || 'experiment';
  return `${slug}.py`;
}

export function pytorchScript(e: Experiment): string {
  const { custom, ...dataset } = e.dataset;
  const runs = e.runs.map((r) => ({ algorithm: r.algorithm, hyper: r.hyper }));
  const name = pytorchScriptName(e);
  const gap = pytorchGapText(e);
  const lines = [
    '#!/usr/bin/env python3',
    `"""${docText(e.title)}`,
    '',
    'An Optimizer Playground experiment as a plain PyTorch script (needs only PyTorch). It reproduces every run of the',
    'experiment — data, network and initialisation, batch order, each method — and writes the metrics CSV of the app.',
    '',
    `    python3 ${name} --help                       # what can be overridden`,
    `    python3 ${name} --device cuda --out m.csv    # on a GPU`,
    `    torchrun --nproc_per_node 4 ${name}           # data-parallel (gradient methods)`,
    `    python3 ${name} --weights experiment.json    # start from the app's "JSON + weights" export`,
    ...(gap ? ['', `NOT EXPORTED: ${docText(gap)}`] : []),
    '"""',
    '',
    '# ---- The experiment (edit freely; most of it can also be overridden on the command line, see --help) ----',
    `TITLE = ${pyLiteral(e.title)}`,
    `DATASET = ${pyLiteral(dataset)}`,
    `NETWORK = ${pyLiteral(e.network)}`,
    `TRAINING = ${pyLiteral(e.training)}`,
    `PRETRAIN = ${pyLiteral(e.pretrain ?? null)}`,
    `RUNS = ${pyLiteral(runs)}`,
    `RUN_LABELS = ${pyLiteral(e.runs.map(runLabel))}`,
    `GLM_DIM = ${GLM_DIM}  # input dimension of the planted GLM dataset`,
    // The imported CSV rows (features..., label), one per line, so the script reproduces the split.
    `CUSTOM_ROWS = ${custom ? `[\n${custom.rows.map((r) => `    [${r.join(', ')}],`).join('\n')}\n]` : 'None'}`,
    '',
  ];
  return `${lines.join('\n')}\n${runtime}`;
}
