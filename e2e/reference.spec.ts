import { expect, test } from './fixtures';
import { findPreset } from '../src/presets';
import { iterationOf, urlFor } from './helpers';

/**
 * The reference-protocol presets (and the VI authors' notebook setup) (algorithms.md §5) run from their own, unmodified links; every run card states
 * the shared setup (init, biases, input scaling), and the gallery shows each text with its measured figures filled in.
 */
const REFERENCE = [
  ['twophase-reference', /init N\(0, 0\.01²\), biases 0/],
  ['vi-moons-reference', /init He normal, biases 0 · native moons/],
  ['vi-moons-notebook', /init PyTorch default .*biases from the scheme · inputs standardised · native moons/],
  ['mdlam-reference', /init He normal, biases 0 · inputs standardised · native moons/],
  ['fenchel-reference', /init He normal, biases 0\.1 · inputs standardised · native moons/],
] as const;

for (const [id, setup] of REFERENCE)
  test(`${id}: runs from its link and every run card states the setup`, async ({ page }) => {
    const preset = findPreset(id)!;
    await page.goto(urlFor(preset.experiment));
    await page.getByTestId('run').click();
    for (let i = 0; i < preset.experiment.runs.length; i++) {
      await expect.poll(() => iterationOf(page, i), { timeout: 150_000 }).toBeGreaterThan(2);
      await expect(page.getByTestId(`run-setup-${i}`)).toHaveText(setup);
    }
  });

test('the gallery shows the reference presets with their figures, no template left unfilled', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('gallery-button').click();
  for (const [id] of REFERENCE) {
    const card = page.getByTestId(`preset-${id}`);
    await expect(card).toContainText('What differs from');
    const text = (await card.textContent()) ?? '';
    expect(text).not.toMatch(/\{\{|\[missing/);
    expect(text).toMatch(/\d/); // the figures are there, filled in from bench/results
  }
});
