import { expect, test, type Page } from './fixtures';
import type { Experiment } from '../src/engine/experiment';
import { defaultExperiment } from '../src/methods/defaultExperiment';
import { defaultRun } from '../src/methods/registry';
import { holdRunsAt, iterationOf, openGate, storeIteration, urlFor } from './helpers';

function threeRuns(): Experiment {
  const e = defaultExperiment();
  e.dataset.kind = 'circle';
  e.network = { ...e.network, hidden: [8], activation: 'relu', outputLink: 'identity', loss: 'mse' };
  e.training = { ...e.training, maxIterations: 150, evalEvery: 10, backend: 'wasm' };
  e.runs = [
    { algorithm: 'sgd', hyper: { lr: 100, momentum: 0.99 } }, // surely diverges
    defaultRun('adam'), // made to crash by the fault hook
    { ...defaultRun('adam'), hyper: { ...defaultRun('adam').hyper, lr: 0.005 } },
  ];
  return e;
}

test('a divergent run and a crashed run are reported while the others finish', async ({ page }) => {
  await page.goto(urlFor(threeRuns(), '&fault=crash:1:30'));
  await page.getByTestId('run').click();
  await expect(page.getByTestId('run-status-2')).toHaveText('finished', { timeout: 90_000 });
  await expect(page.getByTestId('run-status-0')).toHaveText('diverged');
  await expect(page.getByTestId('run-message-0')).toContainText(/diverged at iteration \d+/);
  await expect(page.getByTestId('run-status-1')).toHaveText('error');
  await expect(page.getByTestId('run-message-1')).toContainText('injected fault at iteration 30');
  // The last finite values stay on the plot of the diverged run. The chart redraws through the page's redraw queue,
  // so it may not yet show the last points in the instant the card says "diverged": poll it.
  const finitePoints = () =>
    page.evaluate(() => {
      const el = document.querySelector('[data-plot="loss"]') as unknown as { data?: { name: string; y: number[] }[] } | null;
      const t = el?.data?.find((d) => d.name.startsWith('1.'));
      return t ? t.y.filter((v) => Number.isFinite(v)).length : 0;
    });
  await expect.poll(finitePoints, { timeout: 30_000 }).toBeGreaterThan(0);
  // The crashed run can be restarted: it trains again from the start (the fault fires again at iteration 30, so
  // it errors again there). The test-build gate holds it at iteration 5: it is seen running from the start, at any
  // machine speed; opened, it moves on to the fault.
  await holdRunsAt(page, 5);
  await page.getByTestId('run-message-1').getByRole('button', { name: 'restart' }).click();
  await expect(page.getByTestId('run-status-1')).toHaveText('running');
  await expect.poll(() => storeIteration(page, 1)).toBe(5);
  await openGate(page);
  await expect(page.getByTestId('run-message-1')).toContainText('injected fault at iteration 30', { timeout: 60_000 });
  await expect(page.getByTestId('run-status-1')).toHaveText('error');
  expect(await storeIteration(page, 1)).toBeGreaterThanOrEqual(20);
});

test('an uncaught error in a worker is reported on its run', async ({ page }) => {
  const e = threeRuns();
  e.runs = [defaultRun('adam'), defaultRun('sgd')];
  e.training.maxIterations = 100000;
  await page.goto(urlFor(e, '&fault=die:0:300'));
  await holdRunsAt(page, 1000); // run 2 is surely still running when run 1's worker dies
  await page.getByTestId('run').click();
  await expect(page.getByTestId('run-status-0')).toHaveText('error', { timeout: 60_000 });
  await expect(page.getByTestId('run-message-0')).toContainText('injected uncaught error');
  await expect(page.getByTestId('run-status-1')).toHaveText('running');
});

test('a backend that fails to initialise falls back to the next with a visible notice', async ({ page }) => {
  const e = threeRuns();
  e.runs = [defaultRun('adam')];
  e.training.backend = 'webgl';
  e.training.maxIterations = 20;
  await page.goto(urlFor(e, '&fault=failbackend:webgl'));
  await page.getByTestId('run').click();
  await expect(page.getByTestId('run-status-0')).toHaveText('finished', { timeout: 60_000 });
  await expect(page.getByTestId('run-backend-0')).toHaveText('wasm');
  // One run: its notice is its own, on its card (several runs sharing one are told once in the control bar).
  await expect(page.getByTestId('run-notice-0')).toContainText('webgl failed to initialise');
});

/** A small classification run on WASM, for the self-check hooks (fault=corrupt:…): WASM falls back to the CPU. */
function selfCheckRun(maxIterations: number): Experiment {
  const e = defaultExperiment();
  e.dataset = { ...e.dataset, kind: 'moons', trainSize: 200, testSize: 100 };
  e.network.hidden = [8];
  e.training = { ...e.training, maxIterations, evalEvery: 10, backend: 'wasm' };
  e.runs = [defaultRun('adam')];
  return e;
}

const SELF_CHECK_NOTICE = /wasm failed its self-check: loss 0 where \d+\.\d+ was expected \(injected\)/;

test('a backend that initialises but fails its self-check is not used: the run trains on the next, saying why', async ({ page }) => {
  await page.goto(urlFor(selfCheckRun(20), '&fault=corrupt:wasm'));
  await page.getByTestId('run').click();
  await expect(page.getByTestId('run-status-0')).toHaveText('finished', { timeout: 60_000 });
  await expect(page.getByTestId('run-backend-0')).toHaveText('cpu');
  await expect(page.getByTestId('run-notice-0')).toContainText(SELF_CHECK_NOTICE);
  expect(await iterationOf(page, 0)).toBe(20);
});

test('a backend that goes bad mid-run is caught by the repeated self-check: the run restarts on the next backend', async ({ page }) => {
  await page.goto(urlFor(selfCheckRun(60), '&fault=corrupt:wasm:30'));
  await page.getByTestId('run').click();
  await expect(page.getByTestId('run-status-0')).toHaveText('finished', { timeout: 90_000 });
  await expect(page.getByTestId('run-backend-0')).toHaveText('cpu');
  await expect(page.getByTestId('run-notice-0')).toContainText(SELF_CHECK_NOTICE);
  await expect(page.getByTestId('run-notice-0')).toContainText('at iteration 30; restarted from iteration 0 on cpu');
  // The points from the bad backend were dropped: the curve is the CPU's 60 iterations, each once.
  const iterations = await page.evaluate(() => {
    const w = window as unknown as { __playground: { store: { getState(): { runs: { points: { iteration: number }[] }[] } } } };
    return w.__playground.store.getState().runs[0].points.map((p) => p.iteration);
  });
  expect(iterations).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
});

async function lossesAfterFinish(page: Page): Promise<number[]> {
  await expect(page.getByTestId('run-status-0')).toHaveText('finished', { timeout: 90_000 });
  return page.evaluate(() => {
    const w = window as unknown as { __playground: { store: { getState(): { runs: { points: { loss: number }[] }[] } } } };
    return w.__playground.store.getState().runs[0].points.map((p) => p.loss);
  });
}

for (const backend of ['wasm', 'cpu'] as const) {
  test(`the same link gives a bit-identical curve on ${backend}, with or without pause/resume`, async ({ page }) => {
    const e = defaultExperiment();
    e.dataset.kind = 'spiral';
    e.training = { ...e.training, maxIterations: 300, backend };
    e.runs = [defaultRun('adam')];
    await page.goto(urlFor(e));
    await page.getByTestId('run').click();
    const first = await lossesAfterFinish(page);
    expect(first.length).toBe(300);
    await page.goto('about:blank');
    await page.goto(urlFor(e));
    // Second time: start paused by single steps, step again, then run to the end.
    await page.locator('h1').click(); // keyboard focus on the page, not on a button
    await page.keyboard.press('s');
    await expect.poll(() => iterationOf(page, 0)).toBe(1);
    await expect(page.getByTestId('run-status-0')).toHaveText('paused');
    await page.keyboard.press('s');
    await page.keyboard.press('s');
    await expect.poll(() => iterationOf(page, 0)).toBe(3);
    await page.keyboard.press(' ');
    const second = await lossesAfterFinish(page);
    expect(second).toEqual(first);
  });
}

test('a backend lost mid-run: the run restarts on the next backend with a visible notice', async ({ page }) => {
  const e = threeRuns();
  e.runs = [defaultRun('adam'), { ...defaultRun('adam'), hyper: { ...defaultRun('adam').hyper, lr: 0.005 } }];
  e.training.backend = 'webgl';
  e.training.maxIterations = 60;
  await page.goto(urlFor(e, '&fault=lose:0:15'));
  await page.getByTestId('run').click();
  await expect(page.getByTestId('run-status-0')).toHaveText('finished', { timeout: 90_000 });
  await expect(page.getByTestId('run-backend-0')).toHaveText('wasm');
  await expect(page.getByTestId('run-notice-0')).toContainText('webgl backend was lost at iteration 15');
  expect(await iterationOf(page, 0)).toBe(60);
  await expect(page.getByTestId('run-status-1')).toHaveText('finished');
  await expect(page.getByTestId('run-backend-1')).toHaveText('webgl');
});

test('on WebGL the same link gives the same curve within 1e-5 relative', async ({ page }) => {
  const e = defaultExperiment();
  e.dataset.kind = 'moons';
  e.training = { ...e.training, maxIterations: 80, backend: 'webgl' };
  e.runs = [defaultRun('adam')];
  const once = async () => {
    await page.goto('about:blank');
    await page.goto(urlFor(e));
    await page.getByTestId('run').click();
    return lossesAfterFinish(page);
  };
  const a = await once();
  // The run really used WebGL (a fallback to another backend would make this test say nothing about WebGL).
  await expect(page.getByTestId('run-backend-0')).toHaveText('webgl');
  const b = await once();
  await expect(page.getByTestId('run-backend-0')).toHaveText('webgl');
  expect(b.length).toBe(80);
  for (let k = 0; k < a.length; k++) expect(Math.abs(a[k] - b[k])).toBeLessThanOrEqual(1e-5 * Math.abs(a[k]));
});
