import { expect, test } from './fixtures';
import { findPreset } from '../src/presets';
import { holdRunsAt, iterationOf, lastDrawnX, urlFor, viewPlot } from './helpers';

/** Number of traces with data in a plot (method panels draw one trace per run and series). */
async function tracesWithData(page: import('@playwright/test').Page, plotId: string): Promise<number> {
  return page.evaluate((id) => {
    const el = document.querySelector(`[data-plot="${id}"]`) as unknown as { data?: { x: unknown[] }[] } | null;
    return (el?.data ?? []).filter((t) => t.x.length > 0).length;
  }, plotId);
}

async function totalPoints(page: import('@playwright/test').Page, plotId: string): Promise<number> {
  return page.evaluate((id) => {
    const el = document.querySelector(`[data-plot="${id}"]`) as unknown as { data?: { x: unknown[] }[] } | null;
    return (el?.data ?? []).reduce((s, t) => s + t.x.length, 0);
  }, plotId);
}

test('VI fine-tuning preset runs from its URL; both curves and the monotonicity plot update', async ({ page }) => {
  const preset = findPreset('vi-finetune')!;
  const e = structuredClone(preset.experiment);
  // Same experiment, two of its runs and a shorter pretraining, to keep CI fast on two cores.
  e.runs = [e.runs[0], e.runs[1]];
  e.pretrain!.iterations = 100;
  e.dataset.trainSize = 1000;
  await page.goto(urlFor(e));
  // The test-build gate holds both runs at iteration 40, then at 80: the curves are seen to move at any speed.
  await holdRunsAt(page, 40);
  await page.getByTestId('run').click();
  await expect.poll(() => iterationOf(page, 0), { timeout: 120_000 }).toBe(40);
  await expect.poll(() => iterationOf(page, 1), { timeout: 120_000 }).toBe(40);
  // The chart redraws through the page's redraw queue: wait until it shows both runs' traces to the held iteration.
  const trainTraceNames = () =>
    page.evaluate(() => ((document.querySelector('[data-plot="loss"]') as unknown as { data?: { name: string }[] } | null)?.data ?? []).map((d) => d.name).filter((n) => !n.endsWith('(test)')));
  await expect.poll(async () => (await trainTraceNames()).length, { timeout: 30_000 }).toBe(2);
  const names = await trainTraceNames();
  const drawnTo = () => Promise.all(names.map((n) => lastDrawnX(page, 'loss', n)));
  await expect.poll(drawnTo, { timeout: 30_000 }).toEqual([40, 40]);
  await viewPlot(page, 'vi-monotonicity');
  await expect.poll(() => tracesWithData(page, 'vi-monotonicity'), { timeout: 30_000 }).toBeGreaterThanOrEqual(1);
  const monoBefore = await totalPoints(page, 'vi-monotonicity');
  await holdRunsAt(page, 80);
  await expect.poll(() => totalPoints(page, 'vi-monotonicity'), { timeout: 60_000 }).toBeGreaterThan(monoBefore);
  await viewPlot(page, 'loss');
  await expect.poll(drawnTo, { timeout: 60_000 }).toEqual([80, 80]);
});

test('two-phase preset: the swap marker appears in both plots and the phase change is reported', async ({ page }) => {
  const preset = findPreset('twophase-mnist')!;
  const e = structuredClone(preset.experiment);
  // The preset's Adam → CG run alone (its swap is what this test watches); same data, network and init.
  e.runs = e.runs.filter((r) => r.algorithm === 'twophase');
  e.training.maxIterations = 400;
  // The preset pauses every run at the swap for the lecture (docs e2e covers that); this test watches the run go on.
  delete e.pauseOn;
  await page.goto(urlFor(e));
  await page.getByTestId('run').click();
  await expect(page.getByTestId('run-phase-0')).toContainText('phase: CG (swapped at epoch', { timeout: 150_000 });
  const swapTrace = async () =>
    page.evaluate(() => (document.querySelector('[data-plot="gradnorm-vs-loss"]') as unknown as { data: { name: string; x: number[] }[] }).data.filter((d) => d.name.endsWith('— swap')).length);
  await viewPlot(page, 'gradnorm-vs-loss');
  await expect.poll(swapTrace, { timeout: 30_000 }).toBe(1);
  await viewPlot(page, 'loss');
  const lossShapes = async () =>
    page.evaluate(() => ((document.querySelector('[data-plot="loss"]') as unknown as { layout: { annotations?: { text: string }[] } }).layout.annotations ?? []).filter((a) => a.text.includes('swap')).length);
  await expect.poll(lossShapes, { timeout: 30_000 }).toBe(1);
});

/** Per-layer traces of a residual plot that hold data, and their total points. */
async function layerTraces(page: import('@playwright/test').Page, plotId: string): Promise<{ names: string[]; points: number }> {
  return page.evaluate((id) => {
    const el = document.querySelector(`[data-plot="${id}"]`) as unknown as { data?: { name: string; x: unknown[] }[] } | null;
    const traces = (el?.data ?? []).filter((t) => / — layer \d+$/.test(t.name) && t.x.length > 0);
    return { names: traces.map((t) => t.name), points: traces.reduce((s, t) => s + t.x.length, 0) };
  }, plotId);
}

/** Plots with a line for every layer including the output layer (the others have one per hidden layer). */
const PER_LAYER_WITH_OUTPUT = new Set(['res-linear', 'mdlam-relchange', 'mdlam-forwardgap']);

for (const [presetId, plots, trimMnist] of [
  ['mdlam-mnist', ['res-linear', 'res-activation', 'mdlam-relchange', 'mdlam-forwardgap'], true],
  ['fenchel-mnist', ['res-fenchel-b', 'res-fenchel-mismatch'], true],
] as const) {
  test(`${presetId}: the preset runs from its URL and the residual panel shows one updating line per layer`, async ({ page }) => {
    const e = structuredClone(findPreset(presetId)!.experiment);
    const method = e.runs.find((r) => r.algorithm === 'mdlam' || r.algorithm === 'fenchel')!;
    e.runs = [method, e.runs.find((r) => r.algorithm === 'adam')!];
    if (trimMnist) e.dataset.trainSize = 500; // a smaller subset of the same preset keeps CI fast
    await page.goto(urlFor(e));
    await page.getByTestId('run').click();
    await expect.poll(() => iterationOf(page, 0), { timeout: 120_000 }).toBeGreaterThan(3);
    const hiddenLayers = e.network.hidden.length;
    for (const plot of plots) {
      await viewPlot(page, plot);
      await expect.poll(async () => (await layerTraces(page, plot)).names.length, { timeout: 60_000 }).toBe(PER_LAYER_WITH_OUTPUT.has(plot) ? hiddenLayers + 1 : hiddenLayers);
    }
    await viewPlot(page, plots[0]);
    const before = await layerTraces(page, plots[0]);
    await expect.poll(async () => (await layerTraces(page, plots[0])).points, { timeout: 90_000 }).toBeGreaterThan(before.points);
  });
}
