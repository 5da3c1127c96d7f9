import { expect, test } from './fixtures';
import { defaultExperiment } from '../src/methods/defaultExperiment';
import { urlFor } from './helpers';

/**
 * What you read is what runs (issue 31, item 1): a field whose text is refused keeps Run from training with the
 * previous value. The notice beside Run names each such field; Escape in the field restores the applied value.
 */
test('a refused edit disables Run and is named beside it; Escape restores the applied value', async ({ page }) => {
  const e = defaultExperiment();
  e.training.maxIterations = 40;
  await page.goto(urlFor(e));
  const lr = page.getByTestId('hyper-0-lr');
  const applied = await lr.inputValue();
  await lr.fill('-1');
  await lr.press('Tab');
  await expect(page.getByTestId('unapplied-notice')).toContainText('run 1 · learning rate: must be between 1e-6 and 100');
  await expect(page.getByTestId('run')).toBeDisabled();
  await expect(page.getByTestId('step')).toBeDisabled();

  // A second refused field is named too.
  const widths = page.getByTestId('hidden-widths');
  await widths.fill('abc');
  await widths.press('Tab');
  await expect(page.getByTestId('unapplied-field')).toHaveText(['run 1 · learning rate: must be between 1e-6 and 100', 'network · hidden widths: use whole numbers separated by commas']);

  // The keyboard cannot start the runs either: Space says why and nothing trains.
  await page.locator('h1').click();
  await page.keyboard.press(' ');
  await expect(page.getByTestId('notice-error').last()).toContainText('Not run: run 1 · learning rate');
  await expect(page.getByTestId('run-status-0')).toHaveText('idle');

  // Escape in each field restores what is applied; then Run is back and trains.
  await lr.focus();
  await lr.press('Escape');
  await expect(lr).toHaveValue(applied);
  await widths.focus();
  await widths.press('Escape');
  await expect(widths).toHaveValue(e.network.hidden.join(', '));
  await expect(page.getByTestId('unapplied-notice')).toHaveCount(0);
  await expect(page.getByTestId('run')).toBeEnabled();
  await page.getByTestId('run').click();
  await expect(page.getByTestId('run-status-0')).toHaveText('finished', { timeout: 90_000 });
});

test('a value the experiment refuses as a whole does not stay in its field as if applied', async ({ page }) => {
  const e = defaultExperiment();
  e.dataset.kind = 'glm';
  e.network = { ...e.network, hidden: [], outputLink: 'sigmoid', loss: 'mse' };
  e.runs = [{ algorithm: 'vi', hyper: { scope: 'single', direction: 'field', rule: 'constant', lr: 0, k0: 100, momentum: 0.9, hiddenDivBatch: false, warmStart: 0, monoEvery: 1 } }];
  await page.goto(urlFor(e));
  // A single-layer VI run needs a network without hidden layers: the widths parse, but the experiment refuses them.
  const widths = page.getByTestId('hidden-widths');
  await widths.fill('8');
  await widths.press('Tab');
  await expect(page.getByTestId('notice-error').last()).toContainText('Not applied');
  await expect(page.getByTestId('unapplied-notice')).toContainText('network · hidden widths: not applied');
  await expect(page.getByTestId('run')).toBeDisabled();
  await widths.focus();
  await widths.press('Escape');
  await expect(widths).toHaveValue('');
  await expect(page.getByTestId('run')).toBeEnabled();
});
