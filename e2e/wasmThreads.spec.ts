import { expect, test, type Page } from './fixtures';
import type { Experiment } from '../src/engine/experiment';
import { defaultExperiment } from '../src/methods/defaultExperiment';
import { legacyInit } from '../src/engine/init';
import { urlFor } from './helpers';

/**
 * The page is cross-origin isolated (COOP/COEP from the preview server), so a run that trains alone uses TF.js's
 * threaded WASM build (pthreads started from public/tfjs-wasm, scripts/tfjsWasmThreads.ts), while runs of a
 * comparison use one thread each. Both must give the same numbers: XNNPACK splits work by output tiles, not
 * inside a dot product.
 */
function experiment(runs: number): Experiment {
  const e = defaultExperiment();
  e.dataset = { kind: 'mnist', seed: 1, noise: 0, trainSize: 1000, testSize: 200, resolution: 28, classes: [] };
  e.network = { hidden: [64, 64], activation: 'relu', outputLink: 'softmax', loss: 'ce', init: legacyInit(1) };
  e.training.backend = 'wasm';
  e.training.maxIterations = 25;
  e.training.evalEvery = 5;
  e.runs = Array.from({ length: runs }, () => ({ ...e.runs[1] }));
  return e;
}

async function lossesOfRun0(page: Page): Promise<number[]> {
  await expect(page.getByTestId('run-status-0')).toHaveText('finished', { timeout: 120_000 });
  return page.evaluate(() => {
    const s = (window as unknown as { __playground: { store: { getState(): { runs: { points: { loss: number; trainLoss?: number }[] }[] } } } }).__playground.store.getState();
    return s.runs[0].points.flatMap((p) => (p.trainLoss === undefined ? [p.loss] : [p.loss, p.trainLoss]));
  });
}

test('a run alone trains on threaded WASM, with the same numbers as on one thread', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/favicon/.test(m.text())) errors.push(m.text());
  });
  // The pthreads start under the app's Content-Security-Policy, which allows workers from the app's origin only.
  await page.addInitScript(() => {
    const w = window as unknown as { __csp: string[] };
    w.__csp = [];
    document.addEventListener('securitypolicyviolation', (ev) => w.__csp.push(`${ev.violatedDirective} ${ev.blockedURI}`));
  });
  await page.goto(urlFor(experiment(1)));
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  expect(await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content')).toContain("worker-src 'self';");
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  await page.getByTestId('run').click();
  const alone = await lossesOfRun0(page);
  await expect(page.getByTestId('run-backend-0')).toHaveText('wasm');
  if (cores > 1) await expect(page.getByTestId('run-threads-0')).toHaveText(`${Math.min(4, cores)} threads`);
  else await expect(page.getByTestId('run-threads-0')).toHaveCount(0);
  expect(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp)).toEqual([]);

  await page.goto('about:blank');
  await page.goto(urlFor(experiment(2)));
  await expect(page.getByTestId('run-card-1')).toBeVisible();
  await page.getByTestId('run').click();
  const shared = await lossesOfRun0(page);
  await expect(page.getByTestId('run-threads-0')).toHaveCount(0);
  expect(alone.length).toBeGreaterThan(25);
  expect(shared).toEqual(alone);
  expect(errors).toEqual([]);
});
