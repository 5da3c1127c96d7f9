import { expect, test, type Page } from './fixtures';
import { findPreset } from '../src/presets';
import { holdRunsAt, openGate, urlFor } from './helpers';

/** Marker colours (= values) of a trace of the lifted-activation plot, read from plotly's own data. */
async function traceValues(page: Page, name: string): Promise<number[]> {
  return page.evaluate((n) => {
    const el = document.querySelector('[data-plot="lifted-activations"]') as unknown as { data?: { name: string; marker?: { color?: number[] } }[] } | null;
    return el?.data?.find((t) => t.name === n)?.marker?.color ?? [];
  }, name);
}

const maxDiff = (a: number[], b: number[]) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

test('fenchel-moons: the lifted-activation panel draws the training points and refreshes while the run trains', async ({ page }) => {
  const e = structuredClone(findPreset('fenchel-moons')!.experiment);
  e.runs = [e.runs[0], e.runs.find((r) => r.algorithm === 'adam')!]; // Fenchel (PG blocks) beside Adam
  e.training.maxIterations = 80;
  await page.goto(urlFor(e));
  const info = page.getByTestId('lifted-view-info');
  await expect(page.getByTestId('lifted-view-panel')).toBeVisible();
  await expect(info).toContainText('Press Run or Step');
  // Only the lifted run is offered.
  await expect(page.getByTestId('lifted-run').locator('option')).toHaveCount(1);
  const shown = async () => Number((await info.getAttribute('data-iteration')) || 0);

  // One step: the paused run's lifted activations after the first sweep, over all 500 training points.
  await page.getByTestId('step').click();
  await expect.poll(shown, { timeout: 90_000 }).toBe(1);
  // The view's data arrive before the plot's throttled redraw (Plot.tsx): wait for the drawn points.
  await expect.poll(async () => (await traceValues(page, 'lifted')).length, { timeout: 30_000 }).toBe(e.dataset.trainSize);
  const afterOne = await traceValues(page, 'lifted');
  const forwardOne = await traceValues(page, 'forward');
  expect(afterOne.length).toBe(e.dataset.trainSize);
  expect(Math.max(...afterOne)).toBeGreaterThan(0);
  expect(maxDiff(afterOne, forwardOne)).toBeGreaterThan(1e-3); // the lifted values are not the forward pass
  await expect(info).toContainText('lifted vs forward pass RMS');

  // Run: the picture refreshes while training (the test-build gate holds the runs at iteration 40, mid-run at any
  // machine speed) and ends on the last iteration.
  await holdRunsAt(page, 40);
  await page.getByTestId('run').click();
  await expect.poll(shown, { timeout: 120_000 }).toBe(40);
  await openGate(page);
  await expect.poll(shown, { timeout: 120_000 }).toBe(80);
  // The chart redraws through the page's redraw queue: wait for the drawn picture to follow the last view.
  await expect.poll(async () => maxDiff(afterOne, await traceValues(page, 'lifted')), { timeout: 30_000 }).toBeGreaterThan(1e-3);
  const final = await traceValues(page, 'lifted');

  // Another layer and unit: the plot switches to them.
  await page.getByTestId('lifted-layer').selectOption({ value: '2' });
  await page.getByTestId('lifted-unit').selectOption({ value: '3' });
  await expect(page.locator('[data-plot-title="lifted-activations"]')).toHaveText('Run 1, hidden layer 2, unit 4');
  await expect.poll(async () => maxDiff(final, await traceValues(page, 'lifted')), { timeout: 30_000 }).toBeGreaterThan(1e-3);
});
