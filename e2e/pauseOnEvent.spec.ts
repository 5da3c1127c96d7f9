import { expect, test } from './fixtures';
import { findPreset } from '../src/presets';
import { holdRunsAt, urlFor } from './helpers';

/**
 * The two-phase MNIST preset pauses on the swap (experiment.pauseOn): when the Adam → CG run swaps, every run is
 * paused, the swapping run exactly at its swap, and presentation mode shows the lecture step written for the swap.
 */
// The lecture-hall projector size.
test.use({ viewport: { width: 1280, height: 720 } });

test('two-phase preset with pause-on-swap: all runs pause at the swap and the lecture caption shows the swap step', async ({ page }) => {
  test.setTimeout(480_000);
  const preset = findPreset('twophase-mnist')!;
  expect(preset.experiment.pauseOn).toEqual(['swap']);
  const swapRun = preset.experiment.runs.findIndex((r) => r.algorithm === 'twophase');
  const swapStep = preset.steps!.findIndex((s) => s.at === 'swap');
  // WASM rather than the probe's pick: on a loaded machine the probe can time out and fall back to the slow CPU
  // backend. The backend is not part of the preset's set-up, so its lecture steps still apply.
  const e = structuredClone(preset.experiment);
  e.training.backend = 'wasm';
  await page.goto(urlFor(e));
  await expect(page.getByTestId('pause-on-swap')).toBeChecked();
  await page.keyboard.press('p');
  await expect(page.getByTestId('lecture-step')).toHaveAttribute('data-step', '0');
  await expect(page.getByTestId('lecture-step')).toContainText(preset.steps![0].text);
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('lecture-step')).toHaveAttribute('data-step', '1');
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByTestId('lecture-step')).toHaveAttribute('data-step', '0');
  await page.keyboard.press(' ');
  await expect(page.getByTestId('paused-at')).toContainText(`run ${swapRun + 1} reached swap → CG`, { timeout: 420_000 });
  // Every run still training is paused (the stage's run chips say so); one that had already stopped by its own
  // rule (CG alone can stop on the small init's plateau before the swap) stays finished.
  for (let i = 0; i < preset.experiment.runs.length; i++) await expect(page.getByTestId(`run-chip-status-${i}`)).toHaveText(/^(paused|finished)$/, { timeout: 30_000 });
  await expect(page.getByTestId(`run-chip-status-${swapRun}`)).toHaveText('paused');
  await expect(page.getByTestId('run-chip-status-0')).toHaveText('paused');
  await expect(page.getByTestId('run-chip-status-1')).toHaveText('paused');
  await expect(page.getByTestId('lecture-step')).toHaveAttribute('data-step', String(swapStep));
  await expect(page.getByTestId('lecture-step')).toContainText('Paused at the swap');
  await page.screenshot({ path: 'test-results/pause-on-swap-presentation.png' });
  // Out of presentation mode the run cards give the details: the swapping run stopped at the step of its swap
  // (its last point is the swap point).
  await page.keyboard.press('p');
  await expect(page.getByTestId(`run-message-${swapRun}`)).toContainText('paused at swap → CG');
  const msg = (await page.getByTestId(`run-message-${swapRun}`).textContent()) ?? '';
  const at = Number(/iteration (\d+)/.exec(msg)?.[1]);
  await expect(page.getByTestId(`run-iteration-${swapRun}`)).toHaveText(`it ${at}`);
  await expect(page.getByTestId(`run-phase-${swapRun}`)).toContainText(`Adam → CG now (swap at epoch`);
  // frozen: nothing moves while paused
  const its = await Promise.all(preset.experiment.runs.map((_, i) => page.getByTestId(`run-iteration-${i}`).textContent()));
  await page.waitForTimeout(1500);
  expect(await Promise.all(preset.experiment.runs.map((_, i) => page.getByTestId(`run-iteration-${i}`).textContent()))).toEqual(its);
  // Run continues; the caption of the pause goes away. The test-build gate holds the runs a few steps on, so the
  // swapping run is still seen running at any machine speed.
  await holdRunsAt(page, at + 3);
  await page.keyboard.press(' ');
  await expect(page.getByTestId('paused-at')).toHaveCount(0);
  await expect(page.getByTestId(`run-status-${swapRun}`)).toHaveText('running');
});
