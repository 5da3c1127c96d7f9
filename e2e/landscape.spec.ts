import { expect, test, type Page } from './fixtures';
import { defaultExperiment } from '../src/methods/defaultExperiment';
import { defaultRun } from '../src/methods/registry';
import { defaultLandscape } from '../src/engine/landscape/config';
import { findPreset } from '../src/presets';
import { decodeHash } from '../src/url/codec';
import { urlFor } from './helpers';
import { legacyInit } from '../src/engine/init';

type Traj = { path: [number, number][] };
const trajectories = (page: Page) =>
  page.evaluate(() => ((document.querySelector('[data-testid=lab-plot]') as unknown as { labTrajectories?: Traj[] }).labTrajectories ?? []).map((t) => t.path));
const redrawMs = async (page: Page) => Number(await page.getByTestId('redraw-ms').getAttribute('data-ms'));

test('landscape lab: dragging the start point changes every trajectory and the link', async ({ page }) => {
  await page.goto(urlFor(findPreset('lab-adam-cg-rosenbrock')!.experiment));
  await expect(page.getByTestId('landscape-lab')).toBeVisible();
  await expect.poll(async () => (await trajectories(page)).length).toBe(3);
  const before = await trajectories(page);
  expect(before[0][0]).toEqual([-1.5, 2]);
  const box = (await page.locator('[data-plot="landscape-2d-background"] .nsewdrag').first().boundingBox())!;
  // Drag from the start point's pixel to the lower right of the plot area.
  const px = (x: number) => box.x + ((x + 2) / 4) * box.width;
  const py = (y: number) => box.y + ((3 - y) / 4) * box.height;
  await page.mouse.move(px(-1.5), py(2));
  await page.mouse.down();
  for (let k = 1; k <= 5; k++) await page.mouse.move(px(-1.5 + 0.5 * k), py(2 - 0.5 * k));
  await page.mouse.up();
  const after = await trajectories(page);
  expect(after[0][0][0]).toBeCloseTo(1, 1);
  expect(after[0][0][1]).toBeCloseTo(-0.5, 1);
  for (let i = 0; i < 3; i++) expect(after[i]).not.toEqual(before[i]);
  console.log(`drag redraw: ${await redrawMs(page)} ms`);
  const back = decodeHash(new URL(page.url()).hash);
  expect(back.ok).toBe(true);
  if (back.ok === true) expect(back.value.landscape!.start[0]).toBeCloseTo(1, 1);
  // Export of the combined figure (contours + trajectories).
  const download = page.waitForEvent('download');
  await page.getByTestId('lab-export-svg').click();
  expect((await download).suggestedFilename()).toBe('landscape-rosenbrock.svg');
});

test('landscape lab: scrubbing a step-size slider recomputes and redraws on every step of the slider', async ({ page }) => {
  await page.goto(urlFor(findPreset('lab-cg-quadratic')!.experiment));
  await expect.poll(async () => (await trajectories(page)).length).toBe(3);
  const slider = page.getByTestId('lab-lr-slider-0');
  await slider.focus();
  const times: number[] = [];
  let prev = await trajectories(page);
  for (let k = 0; k < 8; k++) {
    await page.keyboard.press(k < 5 ? 'ArrowRight' : 'ArrowLeft');
    await expect.poll(async () => JSON.stringify((await trajectories(page))[0])).not.toBe(JSON.stringify(prev[0]));
    prev = await trajectories(page);
    times.push(await redrawMs(page));
  }
  // Printed, not asserted: how fast a scrub redraws depends on the machine (bench/frames.mjs measures speed).
  console.log(`scrub redraw times (input → trajectories recomputed → drawn), ms: ${times.map((t) => t.toFixed(1)).join(', ')}`);
  expect(times.every((t) => Number.isFinite(t) && t >= 0)).toBe(true);
  await expect(page.getByTestId('redraw-ms')).toContainText(/redraw \d/);
});

test('landscape lab: the slice of a finished small MNIST run renders and carries both trajectories', async ({ page }) => {
  const e = defaultExperiment();
  e.title = 'slice e2e';
  e.dataset = { kind: 'mnist', seed: 1, noise: 0, trainSize: 300, testSize: 100, resolution: 14, classes: [] };
  e.network = { hidden: [16], activation: 'relu', outputLink: 'softmax', loss: 'ce', init: legacyInit(1) };
  e.training = { batchSize: 32, maxIterations: 60, evalEvery: 20, seed: 1, backend: 'auto' };
  e.runs = [defaultRun('sgd'), defaultRun('adam')];
  e.landscape = { ...defaultLandscape(), focus: 'slice', slice: { seed: 3, resolution: 11, span: 1, samples: 0, reference: 1 } };
  await page.goto(urlFor(e));
  // The slice focus shows the slice panel alone, and one click trains the runs and then computes the slice.
  await expect(page.getByTestId('lab-plot')).toHaveCount(0);
  await expect(page.getByTestId('slice-compute')).toBeDisabled();
  await page.getByTestId('slice-train-compute').click();
  await expect(page.getByTestId('slice-info')).toBeVisible({ timeout: 180_000 });
  // Zoomed on the trajectories from the start: the axes span the snapshots, not the plane's ±1.
  await expect.poll(() => page.evaluate(() => {
    const el = document.querySelector('[data-plot="landscape-slice"]') as unknown as { layout?: { xaxis?: { range?: number[] } } } | null;
    return Math.abs(el?.layout?.xaxis?.range?.[1] ?? 99);
  }), { timeout: 10_000 }).toBeLessThan(1);
  const counts = async () =>
    page.evaluate(() => {
      const el = document.querySelector('[data-plot="landscape-slice"]') as unknown as { data?: { meta?: string; x: unknown[]; type: string }[] } | null;
      const d = el?.data ?? [];
      return { contour: d.filter((t) => t.type === 'contour').length, run0: d.find((t) => t.meta === 'slice-run-0')?.x.length ?? 0, run1: d.find((t) => t.meta === 'slice-run-1')?.x.length ?? 0 };
    });
  await expect.poll(async () => (await counts()).run0).toBeGreaterThan(2);
  const c = await counts();
  expect(c.contour).toBe(1);
  expect(c.run1).toBeGreaterThan(2);
  // The centre value is the reference run's final training loss (same samples: the whole training set).
  const info = (await page.getByTestId('slice-info').textContent()) ?? '';
  console.log(`slice: ${info}`);
  const m = info.match(/centre loss\s*([0-9.e-]+).*final training loss ([0-9.e-]+)/);
  expect(m).not.toBeNull();
  expect(Math.abs(Number(m![1]) - Number(m![2])) / Number(m![2])).toBeLessThan(1e-4);
});

test('landscape lab: the header toggle opens the lab in place of the training view and back', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('landscape-lab')).toHaveCount(0);
  await page.getByTestId('lab-toggle').click();
  await expect(page.getByTestId('landscape-lab')).toBeVisible();
  await expect.poll(async () => (await trajectories(page)).length).toBeGreaterThan(0);
  const back = decodeHash(new URL(page.url()).hash);
  expect(back.ok === true && back.value.landscape?.open).toBe(true);
  await page.getByTestId('lab-toggle').click();
  await expect(page.getByTestId('landscape-lab')).toHaveCount(0);
  await expect(page.getByTestId('run')).toBeVisible();
});
