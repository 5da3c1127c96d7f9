import { expect, test, type Page } from './fixtures';
import { findPreset } from '../src/presets';
import { urlFor } from './helpers';

/**
 * A lecturer without a mouse: every step by keyboard alone — reach Run with Tab (a visible focus ring on the way),
 * run the preset, enter presentation mode, step the lecture captions, leave it and export the slide.
 */
async function tabTo(page: Page, testId: string, max = 120): Promise<void> {
  for (let k = 0; k < max; k++) {
    await page.keyboard.press('Tab');
    if ((await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))) === testId) return;
  }
  throw new Error(`${testId} was not reached in ${max} presses of Tab`);
}

async function focusRing(page: Page): Promise<{ style: string; width: number }> {
  return page.evaluate(() => {
    const s = getComputedStyle(document.activeElement as Element);
    return { style: s.outlineStyle, width: parseFloat(s.outlineWidth) };
  });
}

test('keyboard only: run a preset, present it, step its lecture, export a slide', async ({ page }) => {
  const preset = findPreset('vi-glm')!;
  const e = structuredClone(preset.experiment);
  e.training.backend = 'wasm';
  await page.goto(urlFor(e));
  await tabTo(page, 'run');
  const ring = await focusRing(page);
  expect(ring.style).not.toBe('none');
  expect(ring.width).toBeGreaterThanOrEqual(2);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('run-status-0')).toHaveText(/running|finished/, { timeout: 60_000 });
  // Presentation mode and the lecture captions (the focus is on a button, where the shortcuts work).
  await page.keyboard.press('p');
  await expect(page.getByTestId('stage')).toBeVisible();
  await expect(page.getByTestId('lecture-step')).toHaveAttribute('data-step', '0');
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('lecture-step')).toHaveAttribute('data-step', '1');
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('lecture-step')).toHaveAttribute('data-step', '2');
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByTestId('lecture-step')).toHaveAttribute('data-step', '1');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('stage')).toHaveCount(0);
  // Pause (Space) and export the slide from the share bar.
  await page.keyboard.press(' ');
  await tabTo(page, 'export-png');
  const download = page.waitForEvent('download');
  await page.keyboard.press('Enter');
  expect((await download).suggestedFilename()).toMatch(/-slide\.png$/);
  await page.screenshot({ path: 'test-results/keyboard-focus-ring.png' });
});
