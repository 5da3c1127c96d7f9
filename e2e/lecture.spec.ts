import { readFile } from 'node:fs/promises';
import { expect, test } from './fixtures';
import { defaultExperiment } from '../src/methods/defaultExperiment';
import { defaultRun } from '../src/methods/registry';
import { decodeHash } from '../src/url/codec';
import { holdRunsAt, iterationOf, lastDrawnX, storeIteration, urlFor } from './helpers';

function fourRuns() {
  const e = defaultExperiment();
  e.title = 'Four optimisers on xor';
  e.dataset.kind = 'xor';
  e.network.hidden = [8];
  e.training.maxIterations = 100000;
  e.runs = [defaultRun('sgd'), defaultRun('adam'), { ...defaultRun('sgd'), hyper: { lr: 0.02, momentum: 0 } }, { ...defaultRun('adam'), hyper: { ...defaultRun('adam').hyper, lr: 0.001 } }];
  return e;
}

test('a 4-run comparison from a URL trains, and the copied link restores it', async ({ page, context }) => {
  await page.goto(urlFor(fourRuns()));
  // The test-build gate holds the four runs at iteration 40, then at 80: the curves are seen to grow at any speed.
  await holdRunsAt(page, 40);
  await page.getByTestId('run').click();
  for (let i = 0; i < 4; i++) await expect.poll(() => iterationOf(page, i), { timeout: 90_000 }).toBe(40);
  // Runs of the same method are told apart by the settings in which they differ.
  const names = ['1. SGD (momentum) γ 0.1 μ 0.9', '2. Adam γ 0.01', '3. SGD (momentum) γ 0.02 μ 0', '4. Adam γ 1e-3'];
  for (let i = 0; i < 4; i++) await expect(page.getByTestId(`run-label-${i}`)).toHaveText(names[i]);
  const drawnTo = () => Promise.all(names.map((n) => lastDrawnX(page, 'loss', n)));
  await expect.poll(drawnTo, { timeout: 60_000 }).toEqual([40, 40, 40, 40]);
  await holdRunsAt(page, 80);
  await expect.poll(drawnTo, { timeout: 60_000 }).toEqual([80, 80, 80, 80]);
  await page.getByTestId('copy-link').click();
  const link = await page.evaluate(() => navigator.clipboard.readText());
  const other = await context.newPage();
  await other.goto(link);
  await expect(other.getByTestId('experiment-title')).toHaveText('Four optimisers on xor');
  for (let i = 0; i < 4; i++) await expect(other.getByTestId(`run-config-${i}`)).toBeVisible();
  await expect(other.getByTestId('hyper-2-lr')).toHaveValue('0.02');
  const a = decodeHash(new URL(link).hash);
  const b = decodeHash(new URL(other.url()).hash);
  expect(a).toEqual(b);
});

test('presentation mode and every keyboard shortcut work', async ({ page }) => {
  const e = fourRuns();
  e.runs = e.runs.slice(0, 2);
  await page.goto(urlFor(e));
  await page.locator('h1').click();
  await page.keyboard.press('p');
  await expect(page.getByTestId('app')).toHaveClass(/presentation/);
  await expect(page.locator('.sidebar')).toHaveCount(0);
  await page.keyboard.press('?');
  await expect(page.getByTestId('help-overlay')).toContainText('presentation mode');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('help-overlay')).toHaveCount(0);
  await expect(page.getByTestId('app')).not.toHaveClass(/presentation/);
  await page.keyboard.press('p');
  // The stage: run chips instead of cards, the curves filling the window.
  await expect(page.getByTestId('stage')).toBeVisible();
  await page.keyboard.press('s'); // one step of every run
  await expect.poll(() => storeIteration(page, 0)).toBe(1);
  await page.keyboard.press('ArrowRight');
  await expect.poll(() => storeIteration(page, 1)).toBe(2);
  await holdRunsAt(page, 30); // test-build gate: the runs are still training when Space pauses them
  await page.keyboard.press(' '); // run
  await expect.poll(() => storeIteration(page, 0)).toBe(30);
  await page.keyboard.press(' '); // pause
  await expect(page.getByTestId('run-chip-status-0')).toHaveText('paused');
  await page.keyboard.press('2'); // hide run 2
  await expect(page.getByTestId('run-chip-1')).toHaveClass(/hidden-run/);
  await expect.poll(() => page.evaluate(() => (document.querySelector('[data-plot="loss"]') as unknown as { data?: { name: string; visible: unknown }[] } | null)?.data?.find((d) => d.name === '2. Adam')?.visible)).toBe('legendonly');
  await page.keyboard.press('2');
  await expect(page.getByTestId('run-chip-1')).not.toHaveClass(/hidden-run/);
  await page.keyboard.press('r'); // reset
  await expect(page.getByTestId('run-chip-status-0')).toHaveText('idle');
  await page.screenshot({ path: 'test-results/presentation-mode.png' });
});

test('exports: CSV rows match the recorded points; PNG is an image', async ({ page }) => {
  const e = fourRuns();
  e.runs = e.runs.slice(0, 2);
  e.training.maxIterations = 60;
  await page.goto(urlFor(e));
  await page.getByTestId('run').click();
  await expect(page.getByTestId('run-status-0')).toHaveText('finished', { timeout: 60_000 });
  await expect(page.getByTestId('run-status-1')).toHaveText('finished', { timeout: 60_000 });
  const recorded = await page.evaluate(() => (window as unknown as { __playground: { store: { getState(): { runs: { points: unknown[] }[] } } } }).__playground.store.getState().runs.reduce((s, r) => s + r.points.length, 0));
  expect(recorded).toBe(120);
  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
  const text = await readFile((await csv.path())!, 'utf8');
  expect(text.trim().split('\n').length - 1).toBe(recorded);
  const [png] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-png').click()]);
  const bytes = await readFile((await png.path())!);
  expect(bytes.subarray(1, 4).toString()).toBe('PNG');
  expect(bytes.length).toBeGreaterThan(5000);
  // The PNG and the SVG are the whole comparison as a slide: title, runs with their settings, loss, accuracy, and the
  // decision boundaries on 2-D data.
  expect(png.suggestedFilename()).toBe('four-optimisers-on-xor-slide.png');
  expect(bytes.readUInt32BE(16)).toBe(3200); // PNG width: twice the 1600 px slide
  const [svg] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-svg').click()]);
  expect(svg.suggestedFilename()).toBe('four-optimisers-on-xor-slide.svg');
  const slide = await readFile((await svg.path())!, 'utf8');
  expect(slide).toContain('Four optimisers on xor');
  expect(slide).toContain('1. SGD (momentum)');
  expect(slide).toContain('γ 0.1, μ 0.9');
  const images = slide.match(/<image /g) ?? [];
  expect(images.length).toBe(2 + 2); // loss, accuracy, two boundaries
  expect(slide).toContain('Decision boundaries');
  const [plain] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-json').click()]);
  expect(plain.suggestedFilename()).toBe('four-optimisers-on-xor.json');
  const [json] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-json-weights').click()]);
  expect(json.suggestedFilename()).toBe('four-optimisers-on-xor-with-weights.json');
  const file = JSON.parse(await readFile((await json.path())!, 'utf8'));
  expect(file.experiment.runs.length).toBe(2);
  expect(file.weights[0].sizes).toEqual([2, 8, 2]);
  expect(file.weights[0].flat.length).toBe(2 * 8 + 8 + 8 * 2 + 2);
});

test('a malformed JSON and a CSV with a bad row are refused by name, leaving the experiment untouched', async ({ page }) => {
  await page.goto(urlFor(fourRuns()));
  const before = page.url();
  await page.getByTestId('import-file').setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{\n  "experiment": {\n    "title": "x",,\n  }\n}') });
  await expect(page.getByTestId('notice-error').last()).toContainText('broken.json was not imported');
  await expect(page.getByTestId('notice-error').last()).toContainText('line 3');
  const rows = ['x1,x2,label', ...Array.from({ length: 20 }, (_, i) => (i === 6 ? '0.1,abc,1' : `${i / 20},${(i % 5) / 5},${i % 2}`))].join('\n');
  await page.getByTestId('import-file').setInputFiles({ name: 'points.csv', mimeType: 'text/csv', buffer: Buffer.from(rows) });
  await expect(page.getByTestId('notice-error').last()).toContainText('line 8, field 2');
  expect(page.url()).toBe(before);
  await expect(page.getByTestId('experiment-title')).toHaveText('Four optimisers on xor');
  // A good CSV is accepted and becomes the dataset.
  const good = rows.replace('0.1,abc,1', '0.1,0.2,1');
  await page.getByTestId('import-file').setInputFiles({ name: 'points.csv', mimeType: 'text/csv', buffer: Buffer.from(good) });
  await expect(page.getByTestId('experiment-title')).toHaveText('Imported points.csv');
  await expect(page.getByTestId('dataset-kind')).toHaveValue('custom');
  // The sidebar says what the split takes from the file's 20 rows (a third at most to test), and has no noise field.
  await expect(page.getByTestId('custom-split')).toContainText("the file's 20 rows (2 features, 2 classes): 14 train, 6 test");
  await expect(page.getByText('noise', { exact: true })).toHaveCount(0);
});

test('the presets gallery opens a preset and the QR code renders', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('gallery-button').click();
  await expect(page.getByTestId('preset-gallery')).toBeVisible();
  await page.getByTestId('preset-2d-moons').getByRole('button', { name: 'Open' }).click();
  await expect(page.getByTestId('experiment-title')).toHaveText('Two moons');
  await page.getByTestId('qr-button').click();
  await expect(page.getByTestId('qr-canvas')).toBeVisible();
});
