import AxeBuilder from '@axe-core/playwright';
import { devices, expect, test, type Page } from './fixtures';
import { findPreset } from '../src/presets';
import { urlFor } from './helpers';

/**
 * Accessibility (WCAG 2.1 AA, as teaching material must meet): axe-core finds no violation of any impact on the
 * views a lecturer and a student use.
 */
async function violations(page: Page): Promise<string[]> {
  const res = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  return res.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
}

const twoPhase = findPreset('twophase-mnist')!;
const moons = findPreset('2d-moons')!;

test('ordinary layout, after a run; a plot gives its latest values as a table', async ({ page }) => {
  await page.goto(urlFor(moons.experiment));
  await page.getByTestId('step').click();
  await expect(page.getByTestId('run-status-0')).toHaveText('paused', { timeout: 60_000 });
  await page.getByTestId('plot-data-toggle-loss').click();
  const table = page.getByTestId('plot-data-loss');
  await expect(table).toContainText('the latest value of each series');
  // One row per run, at the iteration the runs reached.
  for (const name of ['1. SGD (momentum)', '2. Adam']) await expect(table.getByRole('row', { name: new RegExp(`^${name.replace(/[.()]/g, '\\$&')}`) })).toContainText('1');
  expect(await violations(page)).toEqual([]);
});

test('presentation mode', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto(urlFor(twoPhase.experiment));
  await page.locator('h1').click();
  await page.keyboard.press('p');
  await expect(page.getByTestId('stage')).toBeVisible();
  expect(await violations(page)).toEqual([]);
});

test('the image views of an MNIST run, on the page and on the stage', async ({ page }) => {
  const e = structuredClone(findPreset('mnist-mlp')!.experiment);
  e.dataset.testSize = 200;
  await page.goto(urlFor(e));
  await page.getByTestId('step').click();
  await expect(page.getByTestId('misclassified-grid').getByRole('button').first()).toBeVisible({ timeout: 60_000 });
  await page.getByTestId('misclassified-grid').getByRole('button').first().click();
  await expect(page.getByTestId('feature-verdict')).toContainText('taken for a');
  expect(await violations(page)).toEqual([]);
  await page.locator('h1').click();
  await page.keyboard.press('p');
  while ((await page.getByTestId('stage-slot-second').getAttribute('data-showing')) !== 'image-confusion') await page.keyboard.press('d');
  await expect(page.getByTestId('stage-image-confusion').getByTestId('confusion-matrix')).toBeVisible();
  expect(await violations(page)).toEqual([]);
});

test('landscape lab', async ({ page }) => {
  await page.goto(urlFor(findPreset('lab-cg-quadratic')!.experiment));
  await expect(page.getByTestId('lab-plot')).toBeVisible();
  expect(await violations(page)).toEqual([]);
});

test('a method page', async ({ page }) => {
  await page.goto(urlFor(twoPhase.experiment));
  await page.getByTestId('run-about-0').click();
  await expect(page.getByTestId('about-body')).toBeVisible();
  expect(await violations(page)).toEqual([]);
});

test('the QR dialog', async ({ page }) => {
  await page.goto(urlFor(moons.experiment));
  await page.getByTestId('qr-button').click();
  await expect(page.getByTestId('qr-dialog')).toBeVisible();
  expect(await violations(page)).toEqual([]);
});

test('the presets gallery', async ({ page }) => {
  await page.goto(urlFor(moons.experiment));
  await page.getByTestId('gallery-button').click();
  expect(await violations(page)).toEqual([]);
});

const { defaultBrowserType: _chromium, ...pixel7 } = devices['Pixel 7'];
test.describe('phone', () => {
  test.use(pixel7);
  test('a shared link on a phone', async ({ page }) => {
    await page.goto(urlFor(moons.experiment));
    await expect(page.getByTestId('run')).toBeVisible();
    expect(await violations(page)).toEqual([]);
  });
});
