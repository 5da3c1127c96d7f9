import { expect, test } from './fixtures';
import type { Page } from '@playwright/test';
import { findPreset } from '../src/presets';
import { defaultRun } from '../src/methods/registry';
import { holdRunsAt, iterationOf, urlFor } from './helpers';

/** Console errors and uncaught exceptions of the page and its workers, collected from the start. */
function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

/** Every run of every CNN preset trains (held at a few iterations by the test-build gate), Fenchel on LeNet-5 included. */
for (const id of ['lenet5-mnist', 'cnn14-twophase', 'lenet5-vi', 'lenet5-fenchel']) {
  test(`CNN preset ${id}: every run trains, with no console error`, async ({ page }) => {
    const errors = collectErrors(page);
    const e = structuredClone(findPreset(id)!.experiment);
    // Fewer images keep the full-batch methods' (CG, L-BFGS) evaluations short on two cores; same network and runs.
    e.dataset.trainSize = 512;
    e.dataset.testSize = 200;
    await page.goto(urlFor(e));
    await holdRunsAt(page, 3);
    await page.getByTestId('run').click();
    for (let i = 0; i < e.runs.length; i++) {
      await expect.poll(() => iterationOf(page, i), { timeout: 120_000 }).toBe(3);
      await expect(page.getByTestId(`run-status-${i}`)).toHaveText('running');
    }
    expect(errors).toEqual([]);
  });
}

test('mDLAM on a convolutional network is refused, in a link and in the UI, saying why', async ({ page }) => {
  const e = structuredClone(findPreset('lenet5-mnist')!.experiment);
  e.runs = [defaultRun('mdlam')];
  await page.goto(urlFor(e));
  await expect(page.getByTestId('notice-error')).toContainText('mDLAM is defined by its paper for fully connected layers only');
  // From the preset itself: adding an mDLAM run is not applied, and the runs stay as they were.
  await page.goto('about:blank');
  await page.goto(urlFor(findPreset('lenet5-mnist')!.experiment));
  await page.getByTestId('add-run-algorithm').selectOption('mdlam');
  await page.getByTestId('add-run').click();
  await expect(page.getByTestId('notice-error')).toContainText('mDLAM is defined by its paper for fully connected layers only');
  await expect(page.getByTestId('run-config-2')).toHaveCount(0);
});

test('the layer editor: an MLP becomes a layer list, a convolution brings its flatten, and an impossible kernel is refused naming the layer', async ({ page }) => {
  const e = structuredClone(findPreset('mnist-mlp')!.experiment);
  await page.goto(urlFor(e));
  await page.getByTestId('edit-layer-list').click();
  await expect(page.getByTestId('network-summary')).toContainText('28×28 → 64 → 10');
  await page.getByTestId('add-layer').selectOption('conv2d');
  await expect(page.getByTestId('network-summary')).toContainText('28×28 → conv 6@5×5 → flatten → 64 → 10');
  await page.getByTestId('layer-kernel-0').fill('11');
  await page.getByTestId('layer-kernel-0').press('Enter');
  await expect(page.getByTestId('network-summary')).toContainText('conv 6@11×11');
  // Two convolutions of 11×11 do not fit 28×28 (28 → 18 → 8 < 11): refused as a whole, the list stays as it was.
  await page.getByTestId('add-layer').selectOption('conv2d');
  await page.getByTestId('layer-kernel-1').fill('11');
  await page.getByTestId('layer-kernel-1').press('Enter');
  await page.getByTestId('add-layer').selectOption('conv2d');
  await page.getByTestId('layer-kernel-2').fill('11');
  await page.getByTestId('layer-kernel-2').press('Enter');
  await expect(page.getByTestId('notice-error')).toContainText('layer 3 (convolution): its 11×11 kernel is larger than its 8×8 input');
  await expect(page.getByTestId('network-summary')).toContainText('conv 6@11×11 → conv 6@11×11 → conv 6@5×5 → flatten');
  // LeNet-5 in one click, and back: a list of dense layers returns to hidden widths.
  await page.goto('about:blank');
  await page.goto(urlFor(e));
  await page.getByTestId('use-lenet5').click();
  await expect(page.getByTestId('network-summary')).toContainText('44,426 parameters');
});
