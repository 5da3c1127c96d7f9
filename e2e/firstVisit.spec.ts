import { expect, test } from './fixtures';
import { defaultExperiment } from '../src/methods/defaultExperiment';
import { holdRunsAt, urlFor } from './helpers';

/**
 * A first visit (a fresh browser profile: nothing remembered) must not wait for the backend probe: the first run
 * starts on WASM while the probe is still running, its card says so, the probe waits while the run trains, and its
 * answer decides the next run.
 */
test.use({ storageState: { cookies: [], origins: [] } });
test.setTimeout(400_000);

interface ProbeView {
  status: string;
  finishedAt?: number;
  backend?: string;
}
interface RunStart {
  backend?: string;
  backendSource?: string;
  startedAt?: number;
  points: number;
}

test('on a fresh profile the first run starts before the backend probe has finished', async ({ page }) => {
  const e = defaultExperiment();
  e.dataset.kind = 'moons';
  e.training.backend = 'auto';
  e.training.maxIterations = 100000;
  e.runs = [e.runs[1]];
  await page.goto(urlFor(e));
  expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.includes('backend-probe')))).toEqual([]);
  // The test-build gate holds the run at iteration 300: it is still training during the checks below at any speed.
  await holdRunsAt(page, 300);
  await page.getByTestId('run').click();
  await expect(page.getByTestId('run-backend-0')).toHaveText('wasm');
  await expect(page.getByTestId('run-backend-source-0')).toContainText('probe still running');
  const read = () =>
    page.evaluate(() => {
      const s = (window as unknown as { __playground: { store: { getState(): { probe: { status: string; finishedAt?: number; result?: { backend: string } }; runs: { backend?: string; backendSource?: string; startedAt?: number; points: unknown[] }[] } } } }).__playground.store.getState();
      const probe: ProbeView = { status: s.probe.status, finishedAt: s.probe.finishedAt, backend: s.probe.result?.backend };
      const r = s.runs[0];
      const run: RunStart = { backend: r.backend, backendSource: r.backendSource, startedAt: r.startedAt, points: r.points.length };
      return { probe, run };
    });
  // The run was started while the probe was running, and it trains (points arrive); the probe stops meanwhile
  // (its software GPU work starved the page's paints) and goes on once no run trains.
  await expect.poll(async () => (await read()).run.points, { timeout: 60_000 }).toBeGreaterThan(0);
  expect((await read()).probe.status).toBe('waiting');
  // The loss plot draws the points while the probe has not answered.
  const plotted = () => page.evaluate(() => ((document.querySelector('[data-plot="loss"]') as unknown as { data?: { x: unknown[] }[] } | null)?.data ?? []).reduce((n, t) => n + t.x.length, 0));
  await expect.poll(plotted, { timeout: 30_000 }).toBeGreaterThan(0);
  await page.waitForTimeout(3000);
  expect((await read()).probe.status).toBe('waiting');
  await page.getByTestId('pause').click();
  await expect(page.getByTestId('run-status-0')).toHaveText('paused');
  await expect.poll(async () => (await read()).probe.status, { timeout: 200_000 }).toBe('done');
  const { probe, run } = await read();
  expect(run.backendSource).toBe('before probe');
  expect(run.startedAt).toBeLessThan(probe.finishedAt!);
  // The probe's answer is remembered and decides the next run.
  expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.includes('backend-probe')).length)).toBe(1);
  await page.getByTestId('reset').click();
  await page.getByTestId('run').click();
  await expect(page.getByTestId('run-backend-0')).toHaveText(probe.backend!);
  await expect(page.getByTestId('run-backend-source-0')).toHaveCount(0);
  expect((await read()).run.backendSource).toBe('probe');
});
