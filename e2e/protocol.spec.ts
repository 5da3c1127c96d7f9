import { expect, test, type Page } from './fixtures';
import type { Experiment } from '../src/engine/experiment';
import { defaultExperiment } from '../src/methods/defaultExperiment';
import { defaultRun } from '../src/methods/registry';
import { decodeHash } from '../src/url/codec';
import { holdRunsAt, openGate, urlFor } from './helpers';

/** Small and quick: SGD vs Adam on the circle, 300 iterations, on the CPU backend (no probe). */
function small(): Experiment {
  const e = defaultExperiment();
  e.title = 'protocol e2e';
  e.dataset = { ...e.dataset, kind: 'circle', trainSize: 200, testSize: 100 };
  e.network.hidden = [4];
  e.training = { ...e.training, batchSize: 32, maxIterations: 300, evalEvery: 20, backend: 'cpu' };
  e.runs = [{ algorithm: 'sgd', hyper: { ...defaultRun('sgd').hyper, lr: 0.1 } }, defaultRun('adam')];
  return e;
}

async function currentExperiment(page: Page): Promise<Experiment> {
  const hash = await page.evaluate(() => location.hash);
  const back = decodeHash(hash);
  if (back.ok !== true) throw new Error(`link did not decode: ${JSON.stringify(back)}`);
  return back.value;
}

const doneJobs = async (page: Page) => Number(((await page.getByTestId('pool-status').textContent()) ?? '').match(/^(\d+) of/)?.[1] ?? -1);

test('5 seeds: a band per run, N = 5 on the cards, time-to-target table, and the link carries it', async ({ page }) => {
  const e = small();
  e.protocol = { seeds: 5, target: { metric: 'testAccuracy', value: 0.9 } };
  await page.goto(urlFor(e));
  await page.getByTestId('run-seeds').click();
  await expect(page.getByTestId('pool-status')).toContainText('10 of 10 jobs', { timeout: 150_000 });
  for (const i of [0, 1]) await expect(page.getByTestId(`run-seeds-${i}`)).toContainText('N = 5');
  // The band plot: per run a filled interquartile band and a median line (drawn after the last job's result arrives:
  // wait until both bands are there before reading them).
  // The plot redraws through the page's redraw queue: it may still show an earlier job's N. Wait for the bands of
  // all five seeds.
  const finalBands = () =>
    page.evaluate(() => ((document.querySelector('[data-plot="seeds-trainLoss"]') as unknown as { data?: { fill?: string; name: string }[] } | null)?.data ?? [])
      .filter((t) => t.fill === 'tonexty' || /N = 5\)$/.test(t.name)).map((t) => (t.fill === 'tonexty' ? 'band' : 'median')).sort().join(','));
  await expect.poll(finalBands, { timeout: 30_000 }).toBe('band,band,median,median');
  const traces = await page.evaluate(() => {
    const el = document.querySelector('[data-plot="seeds-trainLoss"]') as unknown as { data?: { name: string; fill?: string; y: (number | null)[] }[] };
    const title = document.querySelector('[data-plot-title="seeds-trainLoss"]')?.textContent ?? '';
    return { traces: (el.data ?? []).map((t) => ({ name: t.name, fill: t.fill ?? '', finite: t.y.filter((v) => v !== null).length })), title };
  });
  expect(traces.traces.filter((t) => t.fill === 'tonexty')).toHaveLength(2);
  expect(traces.traces.filter((t) => /N = 5\)$/.test(t.name))).toHaveLength(2);
  expect(traces.traces.every((t) => t.finite > 50)).toBe(true);
  expect(traces.title).toMatch(/interquartile/);
  // Time to target: every row has a verdict over N = 5.
  for (const i of [0, 1]) {
    const row = page.getByTestId(`target-row-${i}`);
    await expect(row).toContainText('of N = 5');
    await expect(row).toContainText(/not reached|\d/);
  }
  const cells = await page.getByTestId('target-row-1').locator('td').allTextContents();
  expect(cells.length).toBeGreaterThanOrEqual(3);
  const back = await currentExperiment(page);
  expect(back.protocol).toEqual(e.protocol);
  // Reopening the link restores the protocol settings.
  await page.goto('about:blank');
  await page.goto(urlFor(back));
  await expect(page.getByTestId('seeds-count')).toHaveValue('5');
  await expect(page.getByTestId('target-value')).toHaveValue('0.9');
});

test('a 7-value learning-rate sweep of two methods: pause mid-sweep, sensitivity plot, promote best', async ({ page }) => {
  const e = small();
  e.protocol = { seeds: 1, sweep: { runs: [0, 1], axes: [{ key: 'lr', min: 1e-3, max: 1 }], mode: 'grid', points: 7, trialCost: 8, seed: 1 } };
  await page.goto(urlFor(e));
  await expect(page.getByTestId('sweep-budget-text')).toContainText('7 settings × 1 seed per method');
  // Every job holds at its 5th iteration (test-build gate): the sweep is in progress, none finished, at any speed.
  await holdRunsAt(page, 5);
  await page.getByTestId('run-sweep').click();
  await expect(page.getByTestId('pool-status')).toContainText(/^0 of 14 jobs · [1-9]\d* running/);
  await page.getByTestId('pool-pause').click();
  await expect(page.getByTestId('pool-status')).toContainText('paused');
  // Paused, the gate opened: the running jobs stay where they are and no job starts. (A broken pause would finish
  // the 14 short jobs in about 2 s on a 2-core machine; on a slower one this wait proves less, never fails wrongly.)
  await openGate(page);
  await page.waitForTimeout(3000);
  expect(await doneJobs(page)).toBe(0);
  await expect(page.getByTestId('pool-status')).toContainText('paused');
  await page.getByTestId('pool-pause').click();
  await expect(page.getByTestId('pool-status')).toContainText('14 of 14 jobs', { timeout: 150_000 });
  // The plot redraws on its own schedule after the results arrive (throttled): poll it rather than read it once in
  // the instant the status shows the last job (that single read failed once under load on a shared machine).
  const sensitivityLines = () =>
    page.evaluate(() => {
      const el = document.querySelector('[data-plot="sensitivity"]') as unknown as { data?: { name?: string; mode: string; x: number[]; showlegend?: boolean }[] };
      return (el.data ?? []).filter((t) => t.mode === 'lines+markers').map((t) => t.x.length);
    });
  await expect.poll(sensitivityLines, { timeout: 30_000 }).toEqual([7, 7]);
  await expect(page.getByTestId('promote-best-1')).toBeEnabled();
  await page.getByTestId('promote-best-1').click();
  await expect(page.getByTestId('run-card-2')).toBeVisible();
  await expect(page.getByTestId('run-tuned-2')).toContainText('lr over 7 settings × 1 seed, 56 cost units');
  await expect(page.getByTestId('tuning-notice')).toContainText('Unequal tuning');
  const back = await currentExperiment(page);
  expect(back.runs[2].tuning).toEqual({ keys: ['lr'], trials: 7, seeds: 1, cost: 56 });
  expect(back.protocol?.sweep).toEqual(e.protocol.sweep);
  // The promoted learning rate is one of the grid's values.
  expect([0.001, 0.00316228, 0.01, 0.0316228, 0.1, 0.316228, 1]).toContain(back.runs[2].hyper.lr);
});

test('Cancel stops a sweep at once and the pool can start again', async ({ page }) => {
  const e = small();
  e.protocol = { seeds: 2, sweep: { runs: [0, 1], axes: [{ key: 'lr', min: 1e-3, max: 1 }], mode: 'random', points: 6, trialCost: 8, seed: 3 } };
  await page.goto(urlFor(e));
  // Held at their 5th iteration (test-build gate), the first jobs are running and none is finished when Cancel comes.
  await holdRunsAt(page, 5);
  await page.getByTestId('run-sweep').click();
  await expect(page.getByTestId('pool-status')).toContainText(/^0 of 24 jobs · [1-9]\d* running/);
  await page.getByTestId('pool-cancel').click();
  await expect(page.getByTestId('pool-status')).toHaveText('cancelled after 0 of the jobs');
  // The cancelled jobs' workers are gone: opening the gate finishes none of them.
  await openGate(page);
  await page.waitForTimeout(2000);
  await expect(page.getByTestId('pool-status')).toHaveText('cancelled after 0 of the jobs');
  await expect(page.getByTestId('run-sweep')).toBeEnabled();
  // Starting again runs only the trials that are still missing.
  await page.getByTestId('run-sweep').click();
  await expect(page.getByTestId('pool-status')).toContainText(/\d+ of \d+ jobs/);
  await expect(page.getByTestId('pool-status')).toContainText('done in', { timeout: 150_000 });
});
