import { expect, test, type Page } from './fixtures';
import { findPreset } from '../src/presets';
import { urlFor } from './helpers';

/**
 * The embed view (`&embed=1`, src/ui/EmbedView.tsx) inside an iframe as a slide or course page holds it, the Embed
 * button's snippet, and the reveal.js demo deck in docs/embed/ that embeds two experiments.
 */

/** A host page of its own with one 800×450 iframe of `src`. */
async function hostWithFrame(page: Page, src: string): Promise<void> {
  await page.goto('/');
  await page.evaluate((s) => {
    document.body.innerHTML = '';
    document.body.style.margin = '0';
    const f = document.createElement('iframe');
    f.src = s;
    f.width = '800';
    f.height = '450';
    f.style.border = '0';
    f.setAttribute('data-testid', 'host-frame');
    document.body.appendChild(f);
  }, src);
}

test('an experiment embedded in an 800×450 iframe: run controls, loss plot at least 45 % wide, no scrollbars, a link to the full playground', async ({ page }) => {
  const preset = findPreset('2d-moons')!;
  await hostWithFrame(page, `${urlFor(preset.experiment)}&embed=1`);
  const frame = page.frameLocator('[data-testid="host-frame"]');
  await expect(frame.getByTestId('embed')).toBeVisible();
  // No sidebar, no header: the stage with its run chips.
  await expect(frame.locator('.sidebar')).toHaveCount(0);
  await expect(frame.getByTestId('run-chips')).toBeVisible();
  await frame.getByTestId('run').click();
  await expect(frame.getByTestId('run-chip-status-0')).toHaveText(/running|finished|paused/, { timeout: 60_000 });
  const loss = await frame.locator('[data-plot="loss"]').boundingBox();
  expect(loss).not.toBeNull();
  expect(loss!.width).toBeGreaterThanOrEqual(0.45 * 800);
  expect(loss!.x + loss!.width).toBeLessThanOrEqual(800 + 1);
  expect(loss!.y + loss!.height).toBeLessThanOrEqual(450 + 1);
  const scroll = await page.frames()[1].evaluate(() => ({ w: document.documentElement.scrollWidth, h: document.documentElement.scrollHeight, cw: document.documentElement.clientWidth, ch: document.documentElement.clientHeight }));
  expect(scroll.w).toBeLessThanOrEqual(scroll.cw);
  expect(scroll.h).toBeLessThanOrEqual(scroll.ch);
  // "Open in the playground" opens the same experiment in the full app (no embed flag).
  const href = (await frame.getByTestId('embed-open').getAttribute('href')) ?? '';
  expect(href).not.toContain('embed=1');
  expect(new URL(href).hash).toContain(urlFor(preset.experiment).slice(2));
  // The embed flag stays in the frame's address when the experiment changes (a pause keeps the link as it was).
  expect(await page.frames()[1].evaluate(() => location.hash)).toContain('&embed=1');
  await page.screenshot({ path: 'test-results/embed-800x450.png' });
});

test('the Embed button copies an iframe snippet of the experiment', async ({ page }) => {
  const preset = findPreset('2d-moons')!;
  await page.goto(urlFor(preset.experiment));
  await page.getByTestId('copy-embed').click();
  const snippet = await page.evaluate(() => navigator.clipboard.readText());
  expect(snippet).toMatch(/^<iframe src="[^"]+&amp;embed=1" title="Two moons" width="800" height="450"/);
});

test('the reveal.js demo deck embeds two live experiments that train', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto('/docs/embed/slides.html');
  await expect(page.locator('.reveal.ready')).toHaveCount(1);
  // Slide 2: the moons experiment.
  await page.keyboard.press('ArrowRight');
  const moons = page.frameLocator('[data-testid="deck-frame-moons"]');
  await expect(moons.getByTestId('embed')).toBeVisible();
  // The slide may still be sliding in (reveal.js transitions move the iframe): a mouse click at coordinates taken a
  // moment earlier can miss, so the button's click is dispatched to it directly.
  await moons.getByTestId('run').dispatchEvent('click');
  await expect(moons.getByTestId('run-chip-status-0')).toHaveText(/running|finished|paused/, { timeout: 60_000 });
  await page.screenshot({ path: 'test-results/embed-reveal-deck.png' });
  // Slide 3: the second experiment.
  await page.keyboard.press('ArrowRight');
  const second = page.frameLocator('[data-testid="deck-frame-lbfgs"]');
  await expect(second.getByTestId('embed')).toBeVisible();
  await expect(second.getByTestId('run-chips')).toBeVisible();
});
