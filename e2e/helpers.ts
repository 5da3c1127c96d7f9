import { expect, type Page } from '@playwright/test';
import { encodeExperiment } from '../src/url/codec';
import type { Experiment } from '../src/engine/experiment';

export function urlFor(e: Experiment, extraHash = ''): string {
  return `/#${encodeExperiment(e)}${extraHash}`;
}

/** Iteration shown on a run card. */
export async function iterationOf(page: Page, run: number): Promise<number> {
  const text = (await page.getByTestId(`run-iteration-${run}`).textContent()) ?? '';
  return Number(text.replace(/[^0-9]/g, '')) || 0;
}

/**
 * The last x (iteration, on the default axis) a chart has drawn for a trace: how far the drawn curve reaches. The point
 * count says less: a chart draws at most two points per pixel column (columnDecimation.ts), so a growing run's count
 * can fall.
 */
/**
 * Scrolls a chart into view, as a viewer does to watch it: while runs train a chart off screen is not redrawn (it
 * catches up when it comes into view, redrawScheduler.ts), so a test that watches a chart move looks at it.
 */
export async function viewPlot(page: Page, plotId: string): Promise<void> {
  await page.locator(`[data-plot="${plotId}"]`).scrollIntoViewIfNeeded();
}

export async function lastDrawnX(page: Page, plotId: string, traceName: string): Promise<number> {
  return page.evaluate(
    ([id, name]) => {
      const el = document.querySelector(`[data-plot="${id}"]`) as unknown as { data?: { name: string; x: number[] }[] } | null;
      const x = el?.data?.find((d) => d.name === name)?.x ?? [];
      return x.length ? Number(x[x.length - 1]) : 0;
    },
    [plotId, traceName],
  );
}

export async function waitForGrowth(page: Page, run: number, min: number): Promise<void> {
  await expect.poll(() => iterationOf(page, run), { timeout: 90_000 }).toBeGreaterThanOrEqual(min);
}

/** Last recorded iteration of a run, from the store (presentation mode shows chips, not cards with iterations). */
export async function storeIteration(page: Page, run: number): Promise<number> {
  return page.evaluate((i) => {
    const pts = (window as unknown as { __playground: { store: { getState(): { runs: { points: { iteration: number }[] }[] } } } }).__playground.store.getState().runs[i]?.points ?? [];
    return pts[pts.length - 1]?.iteration ?? 0;
  }, run);
}

/**
 * Test build only (the "test build (hooks)" project): every run and pool job holds before it steps past `iteration`
 * (src/workers/testGate.ts), so a test sees a run "in progress" whatever the machine's speed. A held run reports
 * everything up to `iteration`, stays "running" and still answers Pause.
 */
export async function holdRunsAt(page: Page, iteration: number): Promise<void> {
  await page.evaluate((at) => (window as unknown as { __testGate: { hold(at: number): void } }).__testGate.hold(at), iteration);
}

/** Test build only: lets every held run go on (see holdRunsAt). */
export async function openGate(page: Page): Promise<void> {
  await page.evaluate(() => (window as unknown as { __testGate: { open(): void } }).__testGate.open());
}
