import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { networkLayout, type Experiment } from '../../engine/experiment';
import { hasConvolution } from '../../engine/layers';
import { flattenParams } from '../../engine/params';
import { startTrainingRun } from '../../methods/algorithms';
import { useCpu, useWasm } from '../../testing/cpu';
import { nodeLoader } from '../../testing/nodeLoader';
import { experimentFileJson } from '../../io/experimentJson';
import { PRESETS } from '../../presets';
import { defaultRun } from '../../methods/registry';
import { crossCheckOf, pytorchScript, runsWithoutPytorch } from './script';

/**
 * Cross-check of the exported PyTorch script against the browser engine (issue 20): every preset's experiment is
 * exported through the same function as the UI's button (pytorchScript), run by Debian's python3-torch on CPU in
 * float32 from its own seeded initialisation (or, for the fine-tuning preset, from the engine's weights in the app's
 * "JSON + weights" file), and its per-step loss series is
 * compared with the engine's own run in Node (TF.js, WASM backend) over the steps and within the relative tolerance
 * that each method folder declares in its pytorch.ts (CrossCheckSpec: e.g. 50 steps within 1e-4 for gradient
 * methods, 10 sweeps within 1e-3 for lifted ones). Subsets are small so the whole check stays within a couple of
 * minutes on two cores.
 */

const PYTHON = '/usr/bin/python3';
/** The method's cross-check for experiment `e` (with its `convolutional` fields when the network has convolutions). */
const spec = (algorithm: string, e?: Experiment) => {
  const s = crossCheckOf(algorithm);
  if (!s) throw new Error(`"${algorithm}" has no PyTorch export`);
  return e && s.convolutional && hasConvolution(networkLayout(e).stages) ? { ...s, ...s.convolutional } : s;
};

/** The preset made small: image sets to 256 training / 100 test samples, pretraining shortened, K steps. */
export function crossCheckExperiment(e: Experiment): Experiment {
  const c: Experiment = structuredClone(e);
  // Runs the export does not reproduce are refused by the script (script.test.ts); the rest are compared.
  const without = runsWithoutPytorch(c);
  c.runs = c.runs.filter((_, i) => !without.includes(i));
  // the fewest steps any run asks for (no runs: the experiment is skipped below)
  const k = Math.min(...c.runs.map((r) => spec(r.algorithm, c).steps));
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
    // Runs whose method asks for it (CG's line search) use the CPU backend (its sums accumulate in float64, the
    // least rounding TF.js offers, which is what the float32-horizon argument below needs); the others the app's
    // usual WASM backend (a convolutional network's CPU steps are also 10-30x slower).
    await (spec(e.runs[i].algorithm, e).float32Horizon?.cpuBackend ? useCpu() : useWasm());
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
/**
 * No preset sets network.weightDecay, so two presets are also checked with it (λ = 0.01; with the script's penalty
 * removed, both fail: the small CNN at step 1 by 1.5e-3, 15× the tolerance, its small init making the term 0.15 % of
 * the loss, and the MLP by 0.94 at step 50): the small CNN (dense
 * layers by explicit back-propagation in the script, convolutions by autograd) and the MNIST MLP, each with SGD, Adam
 * and the monotone-VI field (which adds λW to every layer's field).
 */
for (const id of ['cnn14-twophase', 'mnist-mlp']) {
  const e = structuredClone(PRESETS.find((p) => p.id === id)!.experiment);
  e.network.weightDecay = 0.01;
  e.runs = [
    { algorithm: 'sgd', hyper: { ...defaultRun('sgd').hyper, lr: 0.05 } },
    { algorithm: 'adam', hyper: { ...defaultRun('adam').hyper, lr: 0.001 } },
    { algorithm: 'vi', hyper: { ...defaultRun('vi').hyper, scope: 'full', rule: 'momentum', lr: 0.05 } },
  ];
  unique.set(`${id} + weight decay`, { ids: [`${id} with weight decay 0.01`], experiment: crossCheckExperiment(e) });
}

const summary: string[] = [];

beforeAll(async () => {
  const probe = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' });
  if (probe.status !== 0) throw new Error(`${PYTHON} cannot import torch (run scripts/ensure-torch.sh): ${probe.stderr}`);
});

describe('exported PyTorch script reproduces the engine', () => {
  for (const { ids, experiment } of unique.values()) {
    it(`presets ${ids.join(', ')}`, async () => {
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
      // Where rounding grows step by step (the method's float32Horizon says why, in its folder's pytorch.ts), the
      // script also runs in float64, and the comparison covers the steps on which float32 still determines the
      // trajectory: up to the first step where the script's float32 and float64 losses part by more than the
      // method's `partsAt` (the float32 horizon, reported per run).
      const horizonRuns = experiment.runs.map((r, i) => (spec(r.algorithm, experiment).float32Horizon ? i + 1 : 0)).filter((i) => i > 0);
      let py64: Series[] | null = null;
      if (horizonRuns.length) {
        runScript(
          pytorchScript(experiment),
          [...start, '--data-dir', join(process.cwd(), 'public', 'datasets'), '--out', join(dir, 'metrics64.csv'), '--threads', '1', '--dtype', 'float64', '--runs', horizonRuns.join(',')],
          dir,
        );
        py64 = scriptRuns(readFileSync(join(dir, 'metrics64.csv'), 'utf8'), experiment.runs.length);
      }
      const t2 = performance.now();
      const py = scriptRuns(readFileSync(join(dir, 'metrics.csv'), 'utf8'), experiment.runs.length);
      const worst: string[] = [];
      if (process.env.CROSS_CHECK_DEBUG) console.log('SERIES', JSON.stringify(series.map((s, i) => s.loss.map((v, k) => [v, py[i].loss[k], py64?.[i]?.loss[k]]))));
      experiment.runs.forEach((run, i) => {
        const s = spec(run.algorithm, experiment);
        const tol = s.tolerance;
        const ts = series[i];
        const ps = py[i];
        let horizon = Math.min(ts.loss.length, ps.loss.length);
        let note = '';
        const p64 = py64?.[i];
        if (p64 && p64.loss.length) {
          const horizonTol = s.float32Horizon?.partsAt ?? tol;
          const k = ps.loss.findIndex((v, j) => !(relDiff(v, p64.loss[j]) <= horizonTol));
          if (k >= 0 && k < horizon) {
            horizon = k;
            note = `, float32 horizon ${k} steps`;
          }
        }
        const float32Stop = s.float32StopRule && ts.stop?.startsWith('converged to float32 precision') && ps.loss.length > ts.loss.length;
        if (float32Stop) {
          // The line search's stop rule (no decrease along d nor along −g) fires on a plateau flatter than float32
          // resolves: where it fires is float32 rounding; the losses up to it must agree.
          note += `, the engine stopped by its float32 rule at step ${ts.loss.length}, the script went on`;
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
