import { expect, test, type Page } from './fixtures';
import { defaultExperiment } from '../src/methods/defaultExperiment';
import { defaultRun } from '../src/methods/registry';
import { findPreset } from '../src/presets';
import { iterationOf, urlFor } from './helpers';
import { startStaticServer, type SwitchableServer } from './staticServer';

/**
 * Offline after one visit (vite.config.ts: a Workbox service worker precaches the app, the WASM binaries and the
 * datasets) and new versions offered, never mixed in. Every other spec blocks service workers (playwright.config.ts);
 * these allow them, on a server of their own that can switch builds as a deployment would.
 */
test.use({ serviceWorkers: 'allow' });

let server: SwitchableServer;
test.beforeAll(async () => {
  server = await startStaticServer('dist');
});
test.afterAll(async () => {
  await server.close();
});

/** Wait until the page's service worker has precached everything and is active. */
async function offlineReady(page: Page): Promise<void> {
  await expect
    .poll(() => page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.active?.state ?? 'none'), { timeout: 120_000 })
    .toBe('activated');
}

test('after one online visit, the app opens offline from a preset link and trains a run on MNIST', async ({ page, context }) => {
  server.serve('dist');
  await page.goto(`${server.url}/`);
  await offlineReady(page);
  await context.setOffline(true);
  // A shared preset link opens with the network off…
  const preset = findPreset('2d-moons')!;
  await page.goto('about:blank'); // a new page load, not a hash change of the open one
  await page.goto(`${server.url}${urlFor(preset.experiment)}`);
  await expect(page.getByTestId('experiment-title')).toHaveText(preset.experiment.title);
  // …and so does an MNIST experiment: its dataset comes from the cache too.
  const e = defaultExperiment();
  e.title = 'offline MNIST';
  e.dataset = { ...e.dataset, kind: 'mnist', trainSize: 1000, testSize: 200, resolution: 14, classes: [] };
  e.network = { ...e.network, hidden: [16], activation: 'relu' };
  e.training = { ...e.training, batchSize: 32, maxIterations: 30, evalEvery: 10, backend: 'wasm' };
  e.runs = [defaultRun('adam')];
  await page.goto('about:blank');
  await page.goto(`${server.url}${urlFor(e)}`);
  await expect(page.getByTestId('experiment-title')).toHaveText('offline MNIST');
  await page.getByTestId('run').click();
  await expect(page.getByTestId('run-status-0')).toHaveText('finished', { timeout: 120_000 });
  expect(await iterationOf(page, 0)).toBe(30);
  expect(await page.evaluate(() => navigator.onLine)).toBe(false);
  // Cross-origin isolation (threaded WASM) holds for the page served from the cache.
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  await page.screenshot({ path: 'test-results/offline-start.png' });
});

test('a new build on the server is offered as "a new version is ready", and Reload switches to it', async ({ page }) => {
  server.serve('dist');
  await page.goto(`${server.url}/`);
  await offlineReady(page);
  // The next visit: the page is now served by the service worker.
  await page.reload();
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
  await expect(page.getByTestId('update-notice')).toHaveCount(0);
  // Deploy another build (the test build: it differs in content, and it alone has window.__testGate).
  server.serve('dist-e2e');
  await page.evaluate(async () => void (await (await navigator.serviceWorker.getRegistration())?.update()));
  await expect(page.getByTestId('update-notice')).toContainText('A new version of the playground is ready', { timeout: 120_000 });
  // The running page is still the old version until the user reloads.
  expect(await page.evaluate(() => typeof (window as unknown as { __testGate?: unknown }).__testGate)).toBe('undefined');
  await page.getByTestId('update-reload').click();
  // The page reloads into the new version (waitForFunction outlives the navigation).
  await page.waitForFunction(() => typeof (window as unknown as { __testGate?: unknown }).__testGate === 'object', null, { timeout: 60_000 });
  await expect(page.getByTestId('update-notice')).toHaveCount(0);
});
