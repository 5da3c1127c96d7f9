import { readdirSync, readFileSync } from 'node:fs';
import { expect, test } from './fixtures';
import { defaultExperiment } from '../src/methods/defaultExperiment';
import { defaultRun } from '../src/methods/registry';
import { parseExperimentFile } from '../src/io/experimentJson';
import { decodeHash } from '../src/url/codec';
import { LINK_SHARE_LIMIT } from '../src/url/linkLimits';
import { iterationOf, urlFor } from './helpers';

/** Links that always open, inputs never silently changed, and the page's own defences (issue 17). */

test('a production link with fault= trains normally: the test hook is compiled out of the production build', async ({ page }) => {
  const e = defaultExperiment();
  e.dataset.kind = 'circle';
  e.training = { ...e.training, maxIterations: 40, evalEvery: 10, backend: 'wasm' };
  e.runs = [defaultRun('adam')];
  await page.goto(urlFor(e, '&fault=crash:0:5,die:0:10,failbackend:wasm'));
  await page.getByTestId('run').click();
  await expect(page.getByTestId('run-status-0')).toHaveText('finished', { timeout: 90_000 });
  expect(await iterationOf(page, 0)).toBe(40);
  await expect(page.getByTestId('run-backend-0')).toHaveText('wasm');
  // A finished run shows why it stopped (run-message-0); no fault may show as an error.
  await expect(page.getByTestId('run-card-0').locator('.run-message.error')).toHaveCount(0);
  // The code itself is absent from the production bundle, and present in the test build the robustness e2e uses.
  const has = (dir: string, code: RegExp) => readdirSync(`${dir}/assets`).some((f) => f.endsWith('.js') && code.test(readFileSync(`${dir}/assets/${f}`, 'utf8')));
  expect(has('dist', /injected (fault|uncaught)/)).toBe(false);
  expect(has('dist-e2e', /injected (fault|uncaught)/)).toBe(true);
  // Likewise the gate that holds runs mid-training (src/workers/testGate.ts).
  expect(await page.evaluate(() => typeof (window as unknown as { __testGate?: unknown }).__testGate)).toBe('undefined');
  expect(has('dist', /playground-test-gate/)).toBe(false);
  expect(has('dist-e2e', /playground-test-gate/)).toBe(true);
});

test('the app runs under its Content-Security-Policy: training, plots, QR code and PNG export raise no violation; inline script is refused', async ({ page }) => {
  await page.addInitScript(() => {
    const w = window as unknown as { __csp: string[] };
    w.__csp = [];
    document.addEventListener('securitypolicyviolation', (ev) => w.__csp.push(`${ev.violatedDirective} ${ev.blockedURI}`));
  });
  const e = defaultExperiment();
  e.training = { ...e.training, maxIterations: 60, evalEvery: 10, backend: 'auto' };
  await page.goto(urlFor(e));
  const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
  expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  await page.getByTestId('run').click();
  await expect(page.getByTestId('run-status-1')).toHaveText('finished', { timeout: 90_000 });
  await expect.poll(() => page.evaluate(() => (document.querySelector('[data-plot="loss"]') as unknown as { data?: unknown[] })?.data?.length ?? 0)).toBeGreaterThan(0);
  await page.getByTestId('qr-button').click();
  await expect(page.getByTestId('qr-canvas')).toBeVisible();
  await page.getByTestId('qr-dialog').getByRole('button', { name: 'close' }).click();
  const download = page.waitForEvent('download');
  await page.getByTestId('export-png').click();
  expect((await download).suggestedFilename()).toMatch(/\.png$/);
  expect(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp)).toEqual([]);
  // An injected inline script does not run, and the browser reports it.
  const ran = await page.evaluate(() => {
    const s = document.createElement('script');
    s.textContent = 'window.__inlineRan = true';
    document.head.appendChild(s);
    return (window as unknown as { __inlineRan?: boolean }).__inlineRan ?? false;
  });
  expect(ran).toBe(false);
  await expect.poll(() => page.evaluate(() => (window as unknown as { __csp: string[] }).__csp.join(' '))).toMatch(/script-src/);
});

test('the address bar holds the whole experiment from the first load on', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('run')).toBeVisible();
  const hash = new URL(page.url()).hash;
  // The default experiment is a preset: its link names it and the preset's version (format 3), which keeps its meaning
  // when a later release changes the preset (src/url/presetLinks.ts).
  expect(hash).toMatch(/^#e=3\.[a-z0-9-]+\.\d+$/);
  const decoded = decodeHash(hash);
  expect(decoded.ok).toBe(true);
  if (decoded.ok === true) expect(decoded.value).toEqual(defaultExperiment());
});

test('a link with a degenerate or misspelt experiment is refused with the field named; a newer link names what it drops', async ({ page }) => {
  const e = defaultExperiment();
  e.dataset = { ...e.dataset, kind: 'mnist', classes: [3] };
  await page.goto(urlFor(e));
  await expect(page.getByTestId('notice-error')).toContainText('dataset.classes = [3] keeps one class');
  const typo = { ...defaultExperiment(), netwrok: { hidden: [4] } };
  await page.goto('about:blank');
  await page.goto(urlFor(typo as never));
  await expect(page.getByTestId('notice-error')).toContainText('netwrok is not a field');
  const newer = { ...defaultExperiment(), version: 2, title: 'from the future', colourScheme: 'dark' };
  await page.goto('about:blank');
  await page.goto(urlFor(newer as never));
  await expect(page.getByTestId('experiment-title')).toHaveText('from the future');
  await expect(page.getByTestId('notice-info').filter({ hasText: 'colourScheme was dropped' })).toBeVisible();
});

test('imports: a JSON that is not an experiment file and a CSV with a bad first row are refused by line and field', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('import-file').setInputFiles({ name: 'empty.json', mimeType: 'application/json', buffer: Buffer.from('{}') });
  await expect(page.getByTestId('notice-error')).toContainText('not an experiment file of the playground');
  const rows = Array.from({ length: 20 }, (_, i) => `${i / 10},${-i / 7},${i % 2}`);
  await page.getByTestId('import-file').setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(['1,abc,0', ...rows].join('\n')) });
  await expect(page.getByTestId('notice-error').filter({ hasText: 'bad.csv' })).toContainText('line 1, field 2: “abc” is not a decimal number');
  await expect(page.getByTestId('experiment-title')).toHaveText(defaultExperiment().title);
});

test('Copy link on a link longer than the share limit says so and offers the experiment file', async ({ page }) => {
  await page.goto('/');
  let s = 3;
  const rnd = () => ((s = (s * 16807) % 2147483647) / 2147483647) * 2 - 1;
  const csv = ['x1,x2,x3,x4,label', ...Array.from({ length: 600 }, (_, i) => `${rnd().toFixed(4)},${rnd().toFixed(4)},${rnd().toFixed(4)},${rnd().toFixed(4)},${i % 3}`)].join('\n');
  await page.getByTestId('import-file').setInputFiles({ name: 'big.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await expect(page.getByTestId('notice-info').filter({ hasText: 'Imported 600 rows' })).toBeVisible();
  expect(page.url().length).toBeGreaterThan(LINK_SHARE_LIMIT);
  await page.getByTestId('copy-link').click();
  const dialog = page.getByTestId('long-link-dialog');
  await expect(dialog).toContainText(/This link is [\d,]+ characters long/);
  await expect(dialog).toContainText('experiment file');
  const download = page.waitForEvent('download');
  await page.getByTestId('long-link-file').click();
  const file = await download;
  const text = readFileSync((await file.path())!, 'utf8');
  const parsed = parseExperimentFile(text);
  expect(parsed.ok).toBe(true);
  const current = await page.evaluate(() => (window as unknown as { __playground: { store: { getState(): { experiment: unknown } } } }).__playground.store.getState().experiment);
  if (parsed.ok) expect(parsed.value).toEqual(current);
  await expect(dialog).toHaveCount(0);
});
