import { expect, test } from './fixtures';
import { CATALOG, defaultHyper } from '../src/methods/registry';
import { defaultExperiment } from '../src/methods/defaultExperiment';
import { findPreset } from '../src/presets';
import { urlFor } from './helpers';

/** The method pages in the app: from every run card, from the gallery, and the (i) of a plot. */

test('every method’s page opens from its run card, with rendered math and the run’s own values', async ({ page }) => {
  test.setTimeout(300_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // At most MAX_RUNS runs per experiment: the catalogue in groups of six, one page load per group.
  for (let from = 0; from < CATALOG.length; from += 6) {
    const specs = CATALOG.slice(from, from + 6);
    const e = defaultExperiment();
    // The lifted methods (mDLAM, Fenchel) are defined for ReLU networks only; a link that pairs them with the default
    // tanh network is refused (and the default experiment shown), so the catalogue is opened on a ReLU network.
    e.network.activation = 'relu';
    const changed: { key: string; value: number }[] = [];
    e.runs = specs.map((spec) => {
      const hyper = defaultHyper(spec);
      // A value that differs from the default, to see the run's own value on the page.
      const numeric = spec.hyper.find((h) => h.kind === 'number' && h.default !== h.max);
      if (numeric && numeric.kind === 'number') hyper[numeric.key] = numeric.max;
      changed.push(numeric ? { key: numeric.key, value: numeric.kind === 'number' ? numeric.max : 0 } : { key: '', value: 0 });
      return { algorithm: spec.id, hyper };
    });
    await page.goto('about:blank'); // a new document: a hash change alone does not reload the experiment
    await page.goto(urlFor(e));
    await expect(page.getByTestId('notice-error')).toHaveCount(0);
    for (let i = 0; i < specs.length; i++) {
      await page.getByTestId(`run-about-${i}`).click();
      const body = page.getByTestId('about-body');
      await expect(page.getByTestId('about-view'), specs[i].id).toContainText(new RegExp(`src/methods/\\w+/${specs[i].docsPage}\\.md`));
      await expect(body.locator('h1'), specs[i].id).toBeVisible();
      await expect.poll(() => body.locator('.katex').count(), { message: specs[i].id }).toBeGreaterThan(3);
      expect(await body.locator('.katex-error').count(), specs[i].id).toBe(0);
      await expect(page.getByTestId('about-view')).toContainText('values of this run');
      if (changed[i].key) await expect(body.locator(`[data-hyper="${changed[i].key}"]`).first(), specs[i].id).toHaveText(String(changed[i].value));
      await page.keyboard.press('Escape');
      await expect(page.getByTestId('about-view')).toHaveCount(0);
    }
  }
  // KaTeX's fonts come from the app itself (no CDN)
  const fonts = await page.evaluate(() => performance.getEntriesByType('resource').map((r) => r.name).filter((n) => /KaTeX_/.test(n)));
  expect(fonts.length).toBeGreaterThan(0);
  for (const f of fonts) expect(new URL(f).origin).toBe(new URL(page.url()).origin);
  expect(errors).toEqual([]);
});

test('the gallery opens a method page with the preset’s values; a link between pages opens the other page', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('gallery-button').click();
  await page.getByTestId('preset-about-twophase-mnist-twophase').click();
  const body = page.getByTestId('about-body');
  await expect(body.locator('h1')).toContainText('Two-phase');
  await expect.poll(() => body.locator('.katex').count()).toBeGreaterThan(3);
  await expect(page.getByTestId('about-view')).toContainText('default values');
  await body.locator('a[data-page="cg"]').first().click();
  await expect(body.locator('h1')).toContainText('conjugate gradient');
});

test('the (i) beside a plot shows that plot’s paragraph', async ({ page }) => {
  const preset = findPreset('twophase-mnist')!;
  await page.goto(urlFor(preset.experiment));
  await page.getByTestId('plot-info-gradnorm-vs-loss').click();
  const info = page.getByTestId('plot-info-view');
  await expect(info).toContainText('Gradient norm against loss');
  await expect.poll(() => info.locator('.katex').count()).toBeGreaterThan(0);
  await page.keyboard.press('Escape');
  await page.getByTestId('plot-info-loss').click();
  await expect(info).toContainText('Training loss.');
});
