import { expect, test } from './fixtures';
import { defaultExperiment } from '../src/methods/defaultExperiment';
import { decodeHash } from '../src/url/codec';
import { holdRunsAt, iterationOf, lastDrawnX, openGate, urlFor, waitForGrowth } from './helpers';

test('two runs train side by side and both curves grow live', async ({ page }) => {
  const e = defaultExperiment();
  e.dataset.kind = 'moons';
  e.training.maxIterations = 100000;
  await page.goto(urlFor(e));
  // The test-build gate holds both runs at iteration 100, then at 400: the curves are seen growing at any speed.
  await holdRunsAt(page, 100);
  await page.getByTestId('run').click();
  await waitForGrowth(page, 0, 50);
  await waitForGrowth(page, 1, 50);
  // The plot redraws through the page's redraw queue after the store has the points: wait for the drawn curves to
  // reach the held iteration, then to reach the next one.
  const drawnTo = () => Promise.all(['1. SGD (momentum)', '2. Adam'].map((n) => lastDrawnX(page, 'loss', n)));
  await expect.poll(drawnTo).toEqual([100, 100]);
  await holdRunsAt(page, 400);
  await expect.poll(drawnTo).toEqual([400, 400]);
  // The backend in use is shown on each run and in the control bar.
  await expect(page.getByTestId('run-backend-0')).toHaveText(/webgpu|webgl|wasm|cpu/);
  await expect(page.getByTestId('backend-in-use')).toContainText(/webgpu|webgl|wasm|cpu/);
  // Both decision boundaries are drawn, and the page stays responsive while two runs train.
  await expect(page.getByTestId('boundary')).toHaveCount(2);
  await page.getByTestId('help-button').click();
  await expect(page.getByTestId('help-overlay')).toBeVisible();
  await page.keyboard.press('Escape');
  await page.getByTestId('pause').click();
  await expect(page.getByTestId('run-status-0')).toHaveText('paused');
  // Paused, with the gate open: nothing moves.
  await openGate(page);
  const paused = await iterationOf(page, 0);
  await page.waitForTimeout(800);
  expect(await iterationOf(page, 0)).toBe(paused);
  await page.getByTestId('step').click();
  await expect.poll(() => iterationOf(page, 0)).toBe(paused + 1);
});

test('a copied link restores the same experiment in a new page', async ({ page, context }) => {
  await page.goto('/');
  await page.getByTestId('hidden-widths').fill('12, 7');
  await page.getByTestId('hidden-widths').press('Enter');
  await page.getByTestId('hyper-0-lr').fill('0.037');
  await page.getByTestId('hyper-0-lr').press('Enter');
  await page.getByTestId('add-run-algorithm').selectOption('adam');
  await page.getByTestId('add-run').click();
  await page.getByTestId('copy-link').click();
  const link = await page.evaluate(() => navigator.clipboard.readText());
  const decoded = decodeHash(new URL(link).hash);
  expect(decoded.ok).toBe(true);
  const other = await context.newPage();
  await other.goto(link);
  await expect(other.getByTestId('hidden-widths')).toHaveValue('12, 7');
  await expect(other.getByTestId('hyper-0-lr')).toHaveValue('0.037');
  await expect(other.getByTestId('run-config-2')).toBeVisible();
  // Same experiment, same URL.
  expect(new URL(other.url()).hash).toBe(new URL(link).hash);
});

test('a damaged link shows a clear message and falls back to defaults', async ({ page }) => {
  await page.goto('/#e=this-is-not-an-experiment');
  await expect(page.getByTestId('notice-error')).toContainText('could not be opened');
  await expect(page.getByTestId('experiment-title')).toHaveText(defaultExperiment().title);
  const e = defaultExperiment() as unknown as Record<string, unknown>;
  (e.training as Record<string, unknown>).batchSize = -5;
  await page.goto(urlFor(e as never));
  await page.reload();
  await expect(page.getByTestId('notice-error')).toContainText('training.batchSize');
});

test('an out-of-range hyperparameter is refused with a message and changes nothing', async ({ page }) => {
  await page.goto('/');
  const before = page.url();
  await page.getByTestId('hyper-0-lr').fill('-3');
  await page.getByTestId('hyper-0-lr').press('Enter');
  // The field says why, and so does the notice beside Run (the value is not applied).
  await expect(page.getByTestId('run-config-0').getByRole('alert').filter({ hasText: 'learning rate' })).toBeVisible();
  await expect(page.getByTestId('unapplied-notice')).toContainText('learning rate');
  await page.getByTestId('hyper-0-lr').fill('fast');
  await page.getByTestId('hyper-0-lr').press('Enter');
  await expect(page.getByTestId('run-config-0').getByRole('alert').filter({ hasText: 'not a number' })).toBeVisible();
  expect(page.url()).toBe(before);
});
