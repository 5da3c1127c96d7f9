import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Experiment } from '../../engine/experiment';
import { flattenParams } from '../../engine/params';
import { startTrainingRun } from '../../methods/algorithms';
import { useCpu, useWasm } from '../../engine/testing/cpu';
import { nodeLoader } from '../../engine/testing/nodeLoader';
import { experimentFileJson } from '../../io/experimentJson';
import { PRESETS } from '../../presets';
import { PYTORCH_METHODS, pytorchScript } from './script';

/**
 * Cross-check of the exported PyTorch script against the browser engine (issue 20): every preset's experiment is
 * exported through the same function as the UI's button (pytorchScript), run by Debian's python3-torch on CPU in
 * float32 from its own seeded initialisation (or, for the fine-tuning preset, from the engine's weights in the app's
 * "JSON + weights" file), and its per-step loss series is
 * compared with the engine's own run in Node (TF.js, WASM backend): relative difference ≤ 1e-4 over the first 50
 * steps of SGD, Adam, CG, two-phase and VI; ≤ 1e-3 over the first 10 sweeps of mDLAM and Fenchel.
 * Subsets are small so the whole check stays within a couple of minutes on two cores.
 */

const PYTHON = '/usr/bin/python3';
const LIFTED = new Set(['mdlam', 'mdlam-coupled', 'fenchel']);
const K_GRADIENT = 50;
const K_LIFTED = 10;

/** The preset made small: image sets to 256 training / 100 test samples, pretraining shortened, K steps. */
export function crossCheckExperiment(e: Experiment): Experiment {
  const c: Experiment = structuredClone(e);
  // Runs of a method the export does not implement are refused by the script (script.test.ts); the rest are compared.
  c.runs = c.runs.filter((r) => PYTORCH_METHODS.has(r.algorithm));
  const lifted = c.runs.some((r) => LIFTED.has(r.algorithm));
  const k = lifted ? K_LIFTED : K_GRADIENT;
  if (c.dataset.kind === 'mnist' || c.dataset.kind === 'fashion') {
    c.dataset.trainSize = Math.min(c.dataset.trainSize, 256);
    c.dataset.testSize = Math.min(c.dataset.testSize, 100);
  }
  if (c.pretrain) c.pretrain.iterations = Math.min(c.pretrain.iterations, 20);
  c.training.maxIterations = k;
  c.training.evalEvery = k;
  delete c.landscape;
  return c;
}

interface Series {
  loss: number[];
  /** Why the run stopped before the budget (engine only), e.g. CG's float32 rule. */
  stop?: string;
  trainLoss: Map<number, number>;
}

async function engineRuns(e: Experiment): Promise<{ series: Series[]; weights: { sizes: number[]; flat: number[] }[] }> {
  const series: Series[] = [];
  const weights: { sizes: number[]; flat: number[] }[] = [];
  for (let i = 0; i < e.runs.length; i++) {
    const run = await startTrainingRun(e, i, nodeLoader);
    weights.push({ sizes: run.problem.net.sizes, flat: Array.from(flattenParams(run.problem.initialParams)) });
    const s: Series = { loss: [], trainLoss: new Map() };
    for (let k = 0; k < e.training.maxIterations; k++) {
      const out = run.step();
      s.loss.push(out.point.loss);
      if (out.point.trainLoss !== undefined) s.trainLoss.set(out.point.iteration, out.point.trainLoss);
      if (out.stop) {
        if (k + 1 < e.training.maxIterations) s.stop = out.stop.message;
        break;
      }
    }
    run.dispose();
    series.push(s);
  }
  return { series, weights };
}

/** Minimal CSV reader for the metrics file (no quoted commas in the columns we read). */
function scriptRuns(csv: string, runCount: number): Series[] {
  const [head, ...rows] = csv.trim().split('\n');
  const cols = head.split(',');
  const at = (name: string) => cols.indexOf(name);
  const out: Series[] = Array.from({ length: runCount }, () => ({ loss: [], trainLoss: new Map() }));
  for (const line of rows) {
    // labels may be quoted and contain commas: read the run index first, the numbers from the right-hand side
    const cells = line.match(/("([^"]|"")*"|[^,]*)(,|$)/g)!.map((c) => c.replace(/,$/, ''));
    const run = Number(cells[at('run')]) - 1;
    out[run].loss.push(Number(cells[at('loss')]));
    const tl = cells[at('trainLoss')];
    if (tl !== '') out[run].trainLoss.set(Number(cells[at('iteration')]), Number(tl));
  }
  return out;
}

function relDiff(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), 1e-8);
}

export function runScript(script: string, args: string[], dir: string, command = PYTHON, pre: string[] = []): string {
  const file = join(dir, 'experiment.py');
  writeFileSync(file, script);
  const res = spawnSync(command, [...pre, file, ...args], {
    encoding: 'utf8',
    timeout: 300_000,
    env: { ...process.env, OMP_NUM_THREADS: '1' },
  });
  if (res.status !== 0) throw new Error(`${command} ${file} failed (${res.status}):\n${res.stderr}\n${res.stdout}`);
  return res.stderr;
}

const unique = new Map<string, { ids: string[]; experiment: Experiment }>();
for (const p of PRESETS) {
  const e = crossCheckExperiment(p.experiment);
  if (e.runs.length === 0) continue;
  const key = JSON.stringify({ ...e, title: '', view: null });
  const hit = unique.get(key);
  if (hit) hit.ids.push(p.id);
  else unique.set(key, { ids: [p.id], experiment: e });
}

const summary: string[] = [];

beforeAll(async () => {
  const probe = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' });
  if (probe.status !== 0) throw new Error(`${PYTHON} cannot import torch (run scripts/ensure-torch.sh): ${probe.stderr}`);
});

describe('exported PyTorch script reproduces the engine', () => {
  for (const { ids, experiment } of unique.values()) {
    it(`presets ${ids.join(', ')}`, async () => {
      // Runs with CG use the CPU backend (its sums accumulate in float64, the least rounding TF.js offers, which is
      // what the float32-horizon argument above needs); the others the faster WASM backend.
      const hasCg = experiment.runs.some((r) => r.algorithm === 'cg' || r.algorithm === 'twophase');
      await (hasCg ? useCpu() : useWasm());
      const t0 = performance.now();
      const { series, weights } = await engineRuns(experiment);
      const t1 = performance.now();
      const dir = mkdtempSync(join(tmpdir(), 'pt-cross-'));
      if (process.env.CROSS_CHECK_DEBUG) console.log(`files of ${ids.join(', ')} in ${dir}`);
      writeFileSync(join(dir, 'weights.json'), experimentFileJson(experiment, weights));
      // The script's own seeded initialisation must equal the engine's bit for bit, so it starts from it; with a
      // pretrained bottom (TF.js's Adam and torch's differ in the last bits after hundreds of steps) it starts from
      // the engine's exported weights, as a user would for an exact start.
      const start = experiment.pretrain ? ['--weights', join(dir, 'weights.json')] : [];
      runScript(
        pytorchScript(experiment),
        [...start, '--data-dir', join(process.cwd(), 'public', 'datasets'), '--out', join(dir, 'metrics.csv'), '--threads', '1'],
        dir,
      );
      // CG's strong-Wolfe line search turns rounding differences into different trial points, and the difference
      // grows step by step (measured on twophase-mnist-glorot: the engine on the CPU backend, the script in float32
      // and the script in float64 part from each other by 1e-4 after 10–40 steps, three arithmetics, no two alike).
      // For CG and two-phase runs the script therefore also runs in float64, and the comparison covers the steps on
      // which float32 still determines the trajectory to the tolerance: up to the first step where the script's
      // float32 and float64 losses differ by more than it (the float32 horizon, reported per run).
      // mDLAM's coupled variant solves each W block exactly: a ridge system on ReLU activations whose Gram matrix is
      // nearly singular for wide layers, so rounding grows sweep by sweep (measured on mdlam-paper, 2 × 100: engine
      // vs script 8e-8 after one sweep, 3.5e-4 after four, 1e-2 after ten, smoothly; the script's own float32 vs
      // float64 1e-5 after four, 6e-4 after ten — TF.js's float32 sums round differently from torch's, and the
      // ill-conditioned solve amplifies either). It gets a float32 horizon like CG's, drawn where the script's
      // float32 and float64 part by a tenth of the tolerance (the engine's rounding is not the script's).
      const precisionBound = (r: { algorithm: string }) => r.algorithm === 'cg' || r.algorithm === 'twophase' || r.algorithm === 'mdlam-coupled';
      const cgRuns = experiment.runs.map((r, i) => (precisionBound(r) ? i + 1 : 0)).filter((i) => i > 0);
      let py64: Series[] | null = null;
      if (cgRuns.length) {
        runScript(
          pytorchScript(experiment),
          [...start, '--data-dir', join(process.cwd(), 'public', 'datasets'), '--out', join(dir, 'metrics64.csv'), '--threads', '1', '--dtype', 'float64', '--runs', cgRuns.join(',')],
          dir,
        );
        py64 = scriptRuns(readFileSync(join(dir, 'metrics64.csv'), 'utf8'), experiment.runs.length);
      }
      const t2 = performance.now();
      const py = scriptRuns(readFileSync(join(dir, 'metrics.csv'), 'utf8'), experiment.runs.length);
      const worst: string[] = [];
      if (process.env.CROSS_CHECK_DEBUG) console.log('SERIES', JSON.stringify(series.map((s, i) => s.loss.map((v, k) => [v, py[i].loss[k], py64?.[i]?.loss[k]]))));
      experiment.runs.forEach((run, i) => {
        const tol = LIFTED.has(run.algorithm) ? 1e-3 : 1e-4;
        const ts = series[i];
        const ps = py[i];
        const isCg = run.algorithm === 'cg' || run.algorithm === 'twophase';
        let horizon = Math.min(ts.loss.length, ps.loss.length);
        let note = '';
        const p64 = py64?.[i];
        if (p64 && p64.loss.length) {
          const horizonTol = run.algorithm === 'mdlam-coupled' ? tol / 10 : tol;
          const k = ps.loss.findIndex((v, j) => !(relDiff(v, p64.loss[j]) <= horizonTol));
          if (k >= 0 && k < horizon) {
            horizon = k;
            note = `, float32 horizon ${k} steps`;
          }
        }
        const float32Stop = isCg && ts.stop?.startsWith('converged to float32 precision') && ps.loss.length > ts.loss.length;
        if (float32Stop) {
          // CG's stop rule (no decrease along d nor along −g) fires on a plateau flatter than float32 resolves (the
          // twophase-mnist preset text says so): where it fires is float32 rounding; the losses up to it must agree.
          note += `, the engine stopped by CG's float32 rule at step ${ts.loss.length}, the script went on`;
        } else {
          expect(ps.loss.length, `run ${i + 1} (${run.algorithm}) step count`).toBe(ts.loss.length);
          // At least 4 steps inside the float32 horizon: CG alone from the reference protocol's N(0, 0.01²) start leaves
          // it after 4 (the script's own float32 and float64 part there), the other runs after 5 or more.
          expect(horizon, `run ${i + 1} (${run.algorithm}): comparable steps`).toBeGreaterThanOrEqual(4);
        }
        let max = 0;
        let where = 0;
        for (let k = 0; k < horizon; k++) {
          const d = relDiff(ts.loss[k], ps.loss[k]);
          if (!(d <= max)) [max, where] = [d, k + 1];
        }
        for (const [it, v] of ts.trainLoss) if (it <= horizon) max = Math.max(max, relDiff(v, ps.trainLoss.get(it) ?? NaN));
        worst.push(`run ${i + 1} ${run.algorithm}: max rel. diff ${max.toExponential(2)} over ${horizon} steps${note}`);
        expect(max, `run ${i + 1} (${run.algorithm}): engine ${ts.loss[where - 1]} vs script ${ps.loss[where - 1]} at step ${where}`).toBeLessThanOrEqual(tol);
      });
      summary.push(`${ids.join(', ')} — ${worst.join('; ')} — engine ${((t1 - t0) / 1000).toFixed(1)} s, script ${((t2 - t1) / 1000).toFixed(1)} s`);
      console.log(summary[summary.length - 1]);
    }, 300_000);
  }

  it('prints the per-preset maximum relative differences', () => {
    console.log(`PyTorch cross-check (${unique.size} distinct experiments):\n${summary.join('\n')}`);
    expect(summary.length).toBe(unique.size);
  });
});
