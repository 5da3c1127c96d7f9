import { devices, expect, test, type Page } from './fixtures';
import { findPreset } from '../src/presets';
import { holdRunsAt, urlFor } from './helpers';

/**
 * A student opens a shared link (or the lecture's QR code) on a phone or a tablet, in either orientation: the page
 * fits the screen (no sideways scrolling, no zoomed-out desktop layout), Run is on the first screen, and after Run
 * the loss curve starts within the first screen.
 */
/** A device profile without its browser type: the project drives Debian's Chromium for every profile. */
function profile(name: keyof typeof devices) {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { defaultBrowserType, ...rest } = devices[name];
  return rest;
}

const PROFILES = {
  'phone portrait': profile('Pixel 7'),
  'phone landscape': profile('Pixel 7 landscape'),
  'tablet portrait': profile('Galaxy Tab S4'),
  'tablet landscape': profile('Galaxy Tab S4 landscape'),
};

const moons = findPreset('2d-moons')!;

async function expectFitsScreen(page: Page, deviceWidth: number): Promise<void> {
  const m = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
  // A page wider than the device makes Chromium zoom out and innerWidth grow with it: compare with the device.
  expect(m.inner).toBe(deviceWidth);
  expect(m.scroll).toBeLessThanOrEqual(m.inner);
}

async function expectRunOnFirstScreen(page: Page): Promise<void> {
  const height = await page.evaluate(() => window.innerHeight);
  const run = page.getByTestId('run');
  await expect(run).toBeVisible();
  const box = (await run.boundingBox())!;
  expect(box.y + box.height).toBeLessThanOrEqual(height);
}

async function expectRunThenCurveOnFirstScreen(page: Page): Promise<void> {
  const height = await page.evaluate(() => window.innerHeight);
  await expectRunOnFirstScreen(page);
  await holdRunsAt(page, 20); // test-build gate: the run is still training when Pause is pressed, at any speed
  await page.getByTestId('run').click();
  await expect(page.getByTestId('budget-dialog')).toHaveCount(0);
  await expect.poll(async () => Number(((await page.getByTestId('run-iteration-0').textContent()) ?? '').replace(/\D/g, '')), { timeout: 90_000 }).toBeGreaterThan(0);
  const loss = (await page.locator('[data-plot="loss"]').boundingBox())!;
  expect(loss.y).toBeGreaterThanOrEqual(0);
  expect(loss.y).toBeLessThan(height);
  await page.getByTestId('pause').click();
}

for (const [name, device] of Object.entries(PROFILES)) {
  test.describe(name, () => {
    test.use({ ...device });

    test(`a shared 2-D preset link opens as a viewer that fits the screen, Run on the first screen`, async ({ page }) => {
      await page.goto(urlFor(moons.experiment));
      await expect(page.getByTestId('experiment-title')).toHaveText(moons.experiment.title);
      await expectFitsScreen(page, device.viewport.width);
      // A landscape tablet is as wide as a small laptop and keeps the desktop layout, settings beside the curves.
      const { width, height } = device.viewport;
      if (width > 900 && height > 520) {
        await expect(page.getByTestId('settings')).toBeVisible();
        await expectRunOnFirstScreen(page);
        return;
      }
      // The viewer arrangement: settings are one tap away, folded into sections.
      await expect(page.getByTestId('settings')).toHaveCount(0);
      await page.getByTestId('edit-settings').click();
      await expect(page.getByTestId('settings-section-Dataset')).toBeVisible();
      await expectFitsScreen(page, device.viewport.width);
      await page.getByTestId('edit-settings').click();
      await expect(page.getByTestId('settings')).toHaveCount(0);
      await expectRunOnFirstScreen(page);
    });

    test(`the link in the QR code opens the same experiment, fitting the screen, and after Run the curves are on the first screen`, async ({ page }) => {
      await page.goto(urlFor(moons.experiment));
      // On narrow screens the share actions are in the header's menu.
      if (await page.getByTestId('menu-button').isVisible()) await page.getByTestId('menu-button').click();
      await page.getByTestId('qr-button').click();
      await expect(page.getByTestId('qr-canvas')).toBeVisible();
      await expect(page.getByTestId('qr-too-dense')).toHaveCount(0);
      const link = await page.getByTestId('qr-link').inputValue();
      expect(link).toContain('#');
      await page.goto('about:blank');
      await page.goto(link);
      await expect(page.getByTestId('experiment-title')).toHaveText(moons.experiment.title);
      await expectFitsScreen(page, device.viewport.width);
      await expectRunThenCurveOnFirstScreen(page);
      await expectFitsScreen(page, device.viewport.width);
    });
  });
}

test.describe('touch targets', () => {
  test.use(profile('Pixel 7'));
  test('buttons of the first screen are at least 44 px tall, and plots leave touches to the page until Zoom', async ({ page }) => {
    await page.goto(urlFor(moons.experiment));
    for (const id of ['run', 'step', 'reset', 'edit-settings', 'menu-button']) {
      const box = (await page.getByTestId(id).boundingBox())!;
      expect(box.height, id).toBeGreaterThanOrEqual(44);
    }
    const zoom = page.getByTestId('plot-zoom-loss');
    await expect(zoom).toHaveAttribute('aria-pressed', 'false');
    await zoom.click();
    await expect(zoom).toHaveAttribute('aria-pressed', 'true');
    // Every plot's Zoom button sits beside its heading and controls, covering none of them (it once lay over the
    // accuracy plot's "zoom to data" and the loss plot's subtitle).
    const overlaps = await page.evaluate(() => {
      const found: string[] = [];
      for (const wrap of document.querySelectorAll('.plot-wrap')) {
        const zoomButton = wrap.querySelector('.plot-zoom');
        if (!zoomButton) continue;
        const z = zoomButton.getBoundingClientRect();
        for (const other of wrap.querySelectorAll('.plot-head button:not(.plot-zoom), .plot-title, .plot-subtitle')) {
          const o = other.getBoundingClientRect();
          if (o.width > 0 && z.left < o.right && o.left < z.right && z.top < o.bottom && o.top < z.bottom) found.push(`${zoomButton.getAttribute('data-testid')} over ${other.textContent}`);
        }
      }
      return found;
    });
    expect(overlaps).toEqual([]);
  });
});

test.describe('phone portrait: image views', () => {
  test.use(PROFILES['phone portrait']);
  test('an MNIST link: the confusion matrix, the mistakes and the filters fit the screen', async ({ page }) => {
    const e = structuredClone(findPreset('mnist-mlp')!.experiment);
    e.dataset.testSize = 200;
    await page.goto(urlFor(e));
    await page.getByTestId('step').click();
    const matrix = page.getByTestId('confusion-matrix');
    await expect(matrix).toBeVisible({ timeout: 90_000 });
    await expectFitsScreen(page, PROFILES['phone portrait'].viewport.width);
    // The whole matrix, its recall column included, is on the screen's width without scrolling its card.
    const box = (await matrix.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(PROFILES['phone portrait'].viewport.width);
    await expect(page.getByTestId('filter-grid').locator('canvas')).toHaveCount(32);
  });
});
