import { GLM_DIM, type Experiment } from '../../engine/experiment';
import type { CrossCheckSpec, PytorchExport } from '../../methods/pytorchExport';
import { CATALOG, runLabel } from '../../methods/registry';
import core from './runtime.py?raw';
import cli from './main.py?raw';

/**
 * Experiment → one self-contained PyTorch script: a generated header of constants (the experiment's settings as
 * Python literals) followed by the static runtime: the shared core (runtime.py), each registered method's fragment
 * (src/methods/<name>/pytorch.py, declared by the folder's pytorch.ts) and the command line (main.py), all kept as
 * real Python files so they can be read and linted on their own. The runtime reproduces the browser engine step by
 * step; e2e/unit tests cross-check the two.
 */

/** Every method folder's pytorch.ts, found by its place in the folder (Vite's import.meta.glob, also under vitest). */
const DECLARED = Object.values(import.meta.glob<PytorchExport>('../../methods/*/pytorch.ts', { eager: true, import: 'pytorch' }));

/** Menu position of an algorithm id in the registry (−1 if it is not registered). */
const catalogIndex = (id: string) => CATALOG.findIndex((s) => s.id === id);

/**
 * The fragments of the registered methods, in the registry's menu order (Python resolves names when a run function
 * is called, so the order is for the reader). A fragment whose ids the registry does not list is left out, as its
 * method is (script.test.ts checks that none is).
 */
export const PYTORCH_EXPORTS: readonly PytorchExport[] = DECLARED.filter((x) => Object.keys(x.algorithms).every((id) => catalogIndex(id) >= 0)).sort(
  (a, b) => Math.min(...Object.keys(a.algorithms).map(catalogIndex)) - Math.min(...Object.keys(b.algorithms).map(catalogIndex)),
);

/** The static part of every script: core, method fragments, command line. */
export const PYTORCH_RUNTIME = [core, ...PYTORCH_EXPORTS.map((x) => x.source), cli].map((s) => s.replace(/\n+$/, '\n')).join('\n\n');

/** How the cross-check compares algorithm `id`'s exported runs with the engine (undefined: not exported). */
export function crossCheckOf(id: string): CrossCheckSpec | undefined {
  return PYTORCH_EXPORTS.find((x) => id in x.algorithms)?.algorithms[id];
}

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
 * The methods the script implements: the ids the method folders declare (script.test.ts checks each fragment
 * registers exactly these in the script's METHODS). A run of any other method is refused by the script, before
 * anything runs, naming it.
 */
export const PYTORCH_METHODS: ReadonlySet<string> = new Set(PYTORCH_EXPORTS.flatMap((x) => Object.keys(x.algorithms)));

/** Why the script cannot reproduce run `r` of `e` (no implementation of its method, or not on this network); null: it can. */
function notExported(e: Experiment, algorithm: string): string | null {
  const x = PYTORCH_EXPORTS.find((ex) => algorithm in ex.algorithms);
  if (!x) return 'the export has no implementation of this method yet';
  return x.notExportedFor?.(e) ?? null;
}

/** The runs (0-based) of `e` the exported script cannot reproduce: no implementation of their method, or not on this network. */
export function runsWithoutPytorch(e: Experiment): number[] {
  return e.runs.flatMap((r, i) => (notExported(e, r.algorithm) === null ? [] : [i]));
}

/** What the app and the script's header say about runs the script cannot reproduce; '' when it reproduces them all. */
export function pytorchGapText(e: Experiment): string {
  const missing = runsWithoutPytorch(e);
  if (!missing.length) return '';
  const others = e.runs.flatMap((_, i) => (missing.includes(i) ? [] : [i + 1]));
  const reasons = [...new Set(missing.map((i) => notExported(e, e.runs[i].algorithm)!))];
  const names = missing.map((i) => `run ${i + 1} (${runLabel(e.runs[i])})`).join(', ');
  const why = reasons.length === 1 && reasons[0] === 'the export has no implementation of this method yet'
    ? `the export has no implementation of ${missing.length > 1 ? 'these methods' : 'this method'} yet`
    : reasons.join('; ');
  return (
    `The PyTorch script cannot reproduce ${names}: ${why}. ` +
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
  return `${lines.join('\n')}\n${PYTORCH_RUNTIME}`;
}
