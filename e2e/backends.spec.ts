import { expect, test, type Page } from '@playwright/test';
import type { BackendChoice, Experiment, RunConfig } from '../src/engine/experiment';
import { defaultInit } from '../src/engine/init';
import { defaultExperiment } from '../src/methods/defaultExperiment';
import { MDLAM_MOONS } from '../src/methods/mdlam/presets';
import { VI_MOONS_EXPERIMENT } from '../src/methods/monotoneVi/presets';
import { defaultRun } from '../src/methods/registry';
import { urlFor } from './helpers';

/**
 * Every backend computes the same experiment (issue 32): one small run per method, 40 iterations, forced onto
 * wasm, cpu, webgl and webgpu in turn. On each backend a run either trains there and its curve equals WASM's, or
 * the backend is refused (it did not initialise, failed its self-check or was lost) with the reason on the card —
 * and then its curve, computed on the backend it fell back to, still equals WASM's. Either outcome is allowed (the
 * software GPU adapters here are flaky); a wrong number never is.
 *
 * Tolerance, in two parts (what a float32 backend can and cannot differ by):
 *  - the first point (iteration 1: the step's loss, and the training and test loss and accuracy of the first
 *    evaluation), before any training step can amplify rounding, within FIRST_POINT_TOLERANCE (1e-4) relative: the
 *    backends differ there by float32 rounding only (summation order, transcendental functions), ~1e-7;
 *  - the whole curve: every loss within CURVE_TOLERANCE (2e-2) of the run's initial loss, every accuracy within
 *    ACCURACY_TOLERANCE (0.02, 4 of the 200 training points). Training amplifies rounding: CG's β reaches 15 and
 *    L-BFGS and the coupled mDLAM solve ill-conditioned systems, so even the two exact host backends (CPU and WASM)
 *    drift apart — measured up to 7.6e-3 of the initial loss (L-BFGS) after 40 iterations, and 0.33 relative for CG
 *    where its loss is 1e-3, which is why the curve is not compared value by value relative to itself.
 * A backend that reads zeros or garbage is off by the whole initial loss, at the first point.
 *
 * It prints the table method × backend → max |loss − WASM's loss| / WASM's initial loss, or the refusal with its reason.
 */
const FIRST_POINT_TOLERANCE = 1e-4;
const CURVE_TOLERANCE = 2e-2;
const ACCURACY_TOLERANCE = 0.02;
const ITERATIONS = 40;
const BACKENDS = ['wasm', 'cpu', 'webgl', 'webgpu'] as const;

/** Two moons, 200 / 100 points, a 2-16-16-2 ReLU network with softmax cross-entropy, full batch: every method can run it. */
function moonsExperiment(title: string, runs: RunConfig[]): Experiment {
  const e = defaultExperiment();
  return {
    ...e,
    title,
    dataset: { ...e.dataset, kind: 'moons', seed: 1, noise: 0.1, trainSize: 200, testSize: 100 },
    network: { hidden: [16, 16], activation: 'relu', outputLink: 'softmax', loss: 'ce', init: defaultInit() },
    training: { batchSize: 0, maxIterations: ITERATIONS, evalEvery: 10, seed: 1, backend: 'wasm' },
    runs,
    view: { ...e.view, smoothing: 0 },
  };
}

/** Up to six runs per page (one page load per group and backend). */
const GROUPS: { name: string; experiment: Experiment }[] = [
  {
    name: 'first-order, line-search and VI methods',
    experiment: moonsExperiment('backends: first-order and line-search methods', [
      defaultRun('sgd'),
      defaultRun('adam'),
      defaultRun('cg'),
      defaultRun('lbfgs'),
      defaultRun('twophase'),
      { ...VI_MOONS_EXPERIMENT.runs[0] },
    ]),
  },
  {
    name: 'lifted methods',
    experiment: moonsExperiment('backends: lifted methods', [
      { ...MDLAM_MOONS.experiment.runs[0] },
      { ...MDLAM_MOONS.experiment.runs[1] },
      defaultRun('fenchel'),
    ]),
  },
];

interface RunResult {
  status: string;
  backend?: string;
  notices: string[];
  message?: string;
  /** Per point: [iteration, loss, trainLoss, testLoss, trainAccuracy, testAccuracy] (absent values as null). */
  curve: (number | null)[][];
}

async function runOn(page: Page, e: Experiment, backend: BackendChoice): Promise<RunResult[]> {
  const forced = { ...e, training: { ...e.training, backend } };
  await page.goto('about:blank');
  await page.goto(urlFor(forced));
  await page.getByTestId('run').click();
  const terminal = ['finished', 'diverged', 'error', 'stopped'];
  const statuses = () =>
    page.evaluate(() => (window as unknown as { __playground: { store: { getState(): { runs: { status: string }[] } } } }).__playground.store.getState().runs.map((r) => r.status));
  await expect.poll(async () => (await statuses()).every((s) => terminal.includes(s)), { timeout: 150_000, intervals: [250, 500, 1000] }).toBe(true);
  const results = await page.evaluate(() => {
    type P = { iteration: number; loss: number; trainLoss?: number; testLoss?: number; trainAccuracy?: number; testAccuracy?: number };
    const store = (window as unknown as { __playground: { store: { getState(): { runs: { status: string; backend?: string; notices: string[]; message?: string; points: P[] }[] } } } }).__playground.store;
    return store.getState().runs.map((r) => ({
      status: r.status,
      backend: r.backend,
      notices: [...r.notices],
      message: r.message,
      curve: r.points.map((p) => [p.iteration, p.loss, p.trainLoss ?? null, p.testLoss ?? null, p.trainAccuracy ?? null, p.testAccuracy ?? null]),
    }));
  });
  // A run that fell back says why on its card.
  for (const [i, r] of results.entries()) if (r.backend !== backend && r.notices.length) await expect(page.getByTestId(`run-notice-${i}`)).toContainText(r.notices[0]);
  return results;
}

/** Columns of a curve point (RunResult.curve). */
const LOSSES = [1, 2, 3];
const ACCURACIES = [4, 5];

interface CurveComparison {
  /** Largest relative difference at the first point (Infinity when it is missing or a value is absent on one side only). */
  firstPoint: number;
  /** Largest |loss − reference loss| over the curve, divided by the reference's initial loss. */
  loss: number;
  /** Largest |accuracy − reference accuracy| over the curve. */
  accuracy: number;
}

function compareCurves(curve: (number | null)[][], reference: (number | null)[][]): CurveComparison {
  const worst: CurveComparison = { firstPoint: 0, loss: 0, accuracy: 0 };
  if (curve.length !== reference.length || !reference.length) return { firstPoint: Infinity, loss: Infinity, accuracy: Infinity };
  const scale = Math.abs(reference[0][1]!);
  const grow = (key: keyof CurveComparison, v: number) => (worst[key] = Math.max(worst[key], Number.isNaN(v) ? Infinity : v));
  for (let i = 0; i < curve.length; i++) {
    for (const j of [...LOSSES, ...ACCURACIES]) {
      const a = curve[i][j];
      const b = reference[i][j];
      if (a === null || b === null) {
        if (a !== b) return { firstPoint: Infinity, loss: Infinity, accuracy: Infinity };
        continue;
      }
      if (i === 0) grow('firstPoint', a === b ? 0 : Math.abs(a - b) / Math.max(Math.abs(b), 1e-6));
      grow(LOSSES.includes(j) ? 'loss' : 'accuracy', LOSSES.includes(j) ? Math.abs(a - b) / scale : Math.abs(a - b));
    }
  }
  return worst;
}

/** Rows by method label (a repeated test, --repeat-each, overwrites its rows rather than adding them again). */
const rows = new Map<string, string[]>();

test.afterAll(() => {
  const table = [...rows.values()];
  if (!table.length) return;
  const header = ['method', ...BACKENDS];
  const widths = header.map((h, c) => Math.max(h.length, ...table.map((r) => r[c].length)));
  const line = (cells: string[]) => '| ' + cells.map((x, c) => x.padEnd(widths[c])).join(' | ') + ' |';
  console.log(
    [`Max |loss − WASM's| / WASM's initial loss over ${ITERATIONS} iterations (tolerance ${CURVE_TOLERANCE}; first point ${FIRST_POINT_TOLERANCE} relative):`, line(header), line(widths.map((w) => '-'.repeat(w))), ...table.map(line)].join('\n'),
  );
});

for (const group of GROUPS) {
  test(`${group.name}: the same curves on every backend, or the backend refused with its reason`, async ({ page }) => {
    test.setTimeout(600_000);
    const results = new Map<string, RunResult[]>();
    for (const backend of BACKENDS) results.set(backend, await runOn(page, group.experiment, backend));
    const reference = results.get('wasm')!;
    group.experiment.runs.forEach((run, i) => {
      const label = run.label ?? run.algorithm;
      const row = [label];
      for (const backend of BACKENDS) {
        const r = results.get(backend)![i];
        const diff = compareCurves(r.curve, reference[i].curve);
        const refused = r.backend !== backend;
        const accuracy = diff.accuracy >= 5e-4 ? `, accuracy ±${diff.accuracy.toFixed(3)}` : '';
        row.push(`${diff.loss === 0 ? '0' : diff.loss.toExponential(1)}${accuracy}${refused ? ` (refused → ${r.backend ?? 'none'}: ${r.notices.join('; ') || r.message})` : ''}`);
      }
      rows.set(label, row);
    });
    for (const backend of BACKENDS) {
      results.get(backend)!.forEach((r, i) => {
        const what = `${group.experiment.runs[i].algorithm} on ${backend}`;
        // The run trained to the end (a method may stop earlier by its own rule, the same on every backend).
        expect(r.status, `${what}: ${r.message}`).toBe('finished');
        expect(r.curve.length, what).toBeGreaterThan(0);
        // Not silently zero: a softmax classifier's loss is never exactly 0 beside accuracy 0.
        expect(r.curve.some((p) => p[2] === 0 && p[4] === 0), what).toBe(false);
        // Trained here, or refused with a reason the card shows.
        if (r.backend !== backend) expect(r.notices.length, `${what}: fell back to ${r.backend} without a notice`).toBeGreaterThan(0);
        const diff = compareCurves(r.curve, reference[i].curve);
        const against = `${what} (ran on ${r.backend}) against wasm`;
        expect(diff.firstPoint, `${against}: first point`).toBeLessThanOrEqual(FIRST_POINT_TOLERANCE);
        expect(diff.loss, `${against}: loss curve`).toBeLessThanOrEqual(CURVE_TOLERANCE);
        expect(diff.accuracy, `${against}: accuracy curve`).toBeLessThanOrEqual(ACCURACY_TOLERANCE);
      });
    }
    // The reference itself trained on WASM.
    for (const r of reference) expect(r.backend).toBe('wasm');
  });
}
