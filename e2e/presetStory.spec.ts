import { devices, expect, test } from './fixtures';
import { findPreset } from '../src/presets';
import { urlFor } from './helpers';

/**
 * The preset's story on the working page (issue 31, item 3): what to look at and the lecture steps, on the desk, on
 * the stage and on a phone opened from the link; once the experiment is edited away from the preset, the page says
 * so instead of showing figures that no longer describe it.
 */
const twoPhase = findPreset('twophase-mnist')!;

test('the working page tells the preset’s story until an edit takes it away from the preset', async ({ page }) => {
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.goto(urlFor(twoPhase.experiment));
  const story = page.getByTestId('preset-story');
  await expect(story).toHaveAttribute('data-state', 'preset');
  await expect(page.getByTestId('preset-story-title')).toHaveText(twoPhase.title);
  // The text as the gallery renders it (figures filled in from bench/results), and every lecture step.
  await expect(page.getByTestId('preset-story-text')).toBeVisible();
  await expect(page.getByTestId('preset-story-text')).toContainText('Plot the gradient norm against the loss');
  await expect(page.getByTestId('preset-story-text')).not.toContainText('{{');
  await page.getByTestId('preset-story-steps-details').locator('summary').click();
  await expect(page.getByTestId('preset-story-steps').locator('li')).toHaveCount(twoPhase.steps!.length);
  await expect(page.getByTestId('preset-story-steps').locator('li').first()).toBeVisible();
  // Collapsible: the summary folds it to its title line.
  await page.getByTestId('preset-story-details').locator(':scope > summary').click();
  await expect(page.getByTestId('preset-story-text')).toBeHidden();
  await page.getByTestId('preset-story-details').locator(':scope > summary').click();
  await expect(page.getByTestId('preset-story-text')).toBeVisible();

  // A view change keeps the story; a setting that changes what runs leaves the preset, and the page says so.
  await page.getByTestId('log-y').click();
  await expect(story).toHaveAttribute('data-state', 'preset');
  await page.getByTestId('hyper-1-lr').fill('0.02');
  await page.getByTestId('hyper-1-lr').press('Enter');
  await expect(story).toHaveAttribute('data-state', 'edited');
  await expect(page.getByTestId('preset-story-edited')).toContainText(`Edited from preset “${twoPhase.title}”`);
  await expect(page.getByTestId('preset-story-text')).toHaveCount(0);
  await page.getByTestId('preset-story-reload').click();
  await expect(story).toHaveAttribute('data-state', 'preset');
  await expect(page.getByTestId('hyper-1-lr')).toHaveValue('0.01');

  // Presentation mode: folded to one line above the stage, inside the window; it opens on a click.
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.locator('h1').click();
  await page.keyboard.press('p');
  await expect(page.getByTestId('stage')).toBeVisible();
  await expect(page.getByTestId('preset-story-title')).toHaveText(twoPhase.title);
  await expect(page.getByTestId('preset-story-text')).toBeHidden();
  await page.getByTestId('preset-story-details').locator(':scope > summary').click();
  await expect(page.getByTestId('preset-story-text')).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollHeight)).toBeLessThanOrEqual(720);
});

test.describe('on a phone', () => {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { defaultBrowserType, ...pixel } = devices['Pixel 7'];
  test.use(pixel);

  test('a student opening the link gets the whole title, the explanation and the lecture steps', async ({ page }) => {
    await page.goto(urlFor(twoPhase.experiment));
    const title = page.getByTestId('preset-story-title');
    await expect(title).toHaveText(twoPhase.title);
    // Not cut: the story's title wraps inside the screen, and the header's (which once read "Two-phase …") fits its box.
    const box = (await title.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(pixel.viewport.width);
    expect(await page.getByTestId('experiment-title').evaluate((el) => el.scrollHeight <= el.clientHeight + 1 && el.scrollWidth <= el.clientWidth + 1)).toBe(true);
    // Folded to its title line so that Run stays on the first screen; one tap opens it.
    await page.getByTestId('preset-story-details').locator(':scope > summary').click();
    await expect(page.getByTestId('preset-story-text')).toBeVisible();
    await page.getByTestId('preset-story-steps-details').locator('summary').click();
    await expect(page.getByTestId('preset-story-steps').locator('li')).toHaveCount(twoPhase.steps!.length);
    await expect(page.getByTestId('preset-story-steps').locator('li').last()).toBeVisible();
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  });
});
