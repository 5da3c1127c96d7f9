import { expect, test, type Page } from './fixtures';
import { findPreset } from '../src/presets';
import { holdRunsAt, openGate, urlFor } from './helpers';

/**
 * The image views (issue #28, item 4) on MNIST: the confusion matrix, the misclassified test images, the first
 * layer's weights as pictures and one test image's feature maps appear under the curves and follow the training.
 * The test-build gate holds the runs at chosen iterations, so "while it trains" is made at any machine speed.
 */
function mnistExperiment() {
  const e = structuredClone(findPreset('mnist-mlp')!.experiment);
  e.dataset.testSize = 200;
  e.training.maxIterations = 120;
  return e;
}

/** What the views show now: their iteration, the confusion matrix's cells, the first filter's pixels, the mistakes. */
async function snapshot(page: Page) {
  return page.evaluate(() => {
    const views = document.querySelector('[data-testid="image-views"]')!;
    const cells = [...views.querySelectorAll('[data-testid="confusion-matrix"] tbody td:not(.recall)')].map((td) => Number(td.textContent));
    const filter = views.querySelector('[data-testid="filter-grid"] canvas') as HTMLCanvasElement;
    return {
      iteration: Number(views.getAttribute('data-iteration')),
      cells,
      filter: filter.toDataURL(),
      mistakes: views.querySelector('[data-testid="misclassified-count"]')!.textContent,
    };
  });
}

const viewsIteration = (page: Page) => async () => Number(await page.getByTestId('image-views').getAttribute('data-iteration'));

test('MNIST: the confusion matrix, the mistakes and the filters follow the training; a mistake opens its feature maps', async ({ page }) => {
  await page.goto(urlFor(mnistExperiment()));
  await expect(page.getByTestId('image-views-waiting')).toContainText('Press Run or Step');

  await holdRunsAt(page, 1);
  await page.getByTestId('run').click();
  await expect.poll(viewsIteration(page), { timeout: 120_000 }).toBe(1);
  const early = await snapshot(page);
  // Ten classes, every test image counted once; the caption's figure is the diagonal's sum.
  expect(early.cells).toHaveLength(100);
  expect(early.cells.reduce((a, b) => a + b, 0)).toBe(200);
  const diagonal = (cells: number[]) => cells.filter((_, i) => i % 11 === 0).reduce((a, b) => a + b, 0);
  await expect(page.getByTestId('confusion-matrix')).toHaveAttribute('data-correct', String(diagonal(early.cells)));
  await expect(page.getByTestId('filter-grid').locator('canvas')).toHaveCount(32);

  // Held again further on, the run is still training: the views have moved with it.
  await holdRunsAt(page, 60);
  await expect.poll(viewsIteration(page), { timeout: 120_000 }).toBe(60);
  const later = await snapshot(page);
  expect(later.cells.reduce((a, b) => a + b, 0)).toBe(200);
  expect(later.cells).not.toEqual(early.cells);
  expect(later.filter).not.toEqual(early.filter);
  expect(diagonal(later.cells)).toBeGreaterThan(diagonal(early.cells));
  await expect(page.getByTestId('run-status-0')).toHaveText('running');

  // A misclassified image, clicked, becomes the feature maps' image: its label and the wrong prediction are named.
  const first = page.getByTestId('misclassified-grid').getByRole('button').first();
  const label = (await first.getAttribute('aria-label'))!;
  const index = Number(/test image (\d+)/.exec(label)![1]);
  await first.click();
  await expect(first).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('feature-image')).toHaveValue(String(index));
  await expect(page.getByTestId('feature-verdict')).toContainText('taken for a');
  await expect(page.getByTestId('feature-maps').locator('li')).toHaveCount(2); // the hidden layer and the output
  await expect(page.getByTestId('class-probabilities').locator('tr')).toHaveCount(10);

  await openGate(page);
  await expect(page.getByTestId('run-status-0')).toHaveText('finished', { timeout: 120_000 });
  await expect(page.getByTestId('run-status-1')).toHaveText('finished', { timeout: 120_000 });
  await expect.poll(viewsIteration(page), { timeout: 30_000 }).toBe(120);
  // The second run (Adam, from the same initial weights) has its own views.
  const sgd = (await snapshot(page)).filter;
  await page.getByTestId('image-views-run').selectOption({ value: '1' });
  await expect.poll(async () => (await snapshot(page)).filter, { timeout: 30_000 }).not.toEqual(sgd);
});

test('the LeNet-5 preset: the filters are its 5×5 kernels, changing as it trains, and the chosen image has a map per filter at every convolution', async ({ page }) => {
  await page.goto(urlFor(findPreset('lenet5-mnist')!.experiment));
  await holdRunsAt(page, 1);
  await page.getByTestId('run').click();
  await expect.poll(viewsIteration(page), { timeout: 120_000 }).toBe(1);
  const filters = page.getByTestId('filter-grid').locator('canvas');
  await expect(filters).toHaveCount(6);
  await expect(filters.first()).toHaveAttribute('width', '5');
  const early = await snapshot(page);
  await holdRunsAt(page, 30);
  await expect.poll(viewsIteration(page), { timeout: 120_000 }).toBe(30);
  const later = await snapshot(page);
  expect(later.filter).not.toEqual(early.filter);
  expect(later.cells).not.toEqual(early.cells);
  // 28×28 → conv 5×5 (6) 24×24 → max-pool 12×12 → conv 5×5 (16) 8×8 → max-pool 4×4 → dense 120 → dense 84 → 10.
  const layers = page.getByTestId('feature-maps').locator(':scope > li');
  await expect(layers).toHaveCount(5);
  await expect(layers.nth(0).locator('h4')).toHaveText('Layer 1, convolution 5×5: 6 feature maps of 24×24, pooled to 12×12');
  await expect(layers.nth(0).locator('canvas')).toHaveCount(6);
  await expect(layers.nth(1).locator('h4')).toHaveText('Layer 2, convolution 5×5: 16 feature maps of 8×8, pooled to 4×4');
  await expect(layers.nth(1).locator('canvas')).toHaveCount(16);
  await expect(layers.nth(1).locator('canvas').first()).toHaveAttribute('width', '4');
  await expect(layers.nth(2).locator('h4')).toContainText('Hidden layer 3: 120 units');
  await expect(layers.nth(3).locator('h4')).toContainText('Hidden layer 4: 84 units');
  await openGate(page);
});

test('Fashion-MNIST with three classes: the matrix names them in the dataset order', async ({ page }) => {
  const e = mnistExperiment();
  e.dataset = { ...e.dataset, kind: 'fashion', classes: [9, 0, 5] };
  e.runs = e.runs.slice(0, 1);
  await page.goto(urlFor(e));
  await page.getByTestId('step').click();
  await expect.poll(viewsIteration(page), { timeout: 120_000 }).toBe(1);
  const heads = await page.getByTestId('confusion-matrix').locator('thead th').allTextContents();
  expect(heads.slice(1, 4)).toEqual(['Ankle boot', 'T-shirt/top', 'Sandal']);
  await expect(page.getByTestId('confusion-matrix').locator('tbody tr')).toHaveCount(3);
});

for (const size of [{ width: 1280, height: 720 }, { width: 1920, height: 1080 }]) {
  test(`presentation mode at ${size.width}×${size.height}: D reaches each view, and each fits its slot without scrolling`, async ({ page }) => {
    await page.setViewportSize(size);
    await page.goto(urlFor(mnistExperiment()));
    await holdRunsAt(page, 10);
    await page.getByTestId('run').click();
    await expect.poll(viewsIteration(page), { timeout: 120_000 }).toBe(10);
    await page.locator('h1').click();
    await page.keyboard.press('p');
    const second = page.getByTestId('stage-slot-second');
    for (const id of ['image-confusion', 'image-mistakes', 'image-filters', 'image-features']) {
      while ((await second.getAttribute('data-showing')) !== id) await page.keyboard.press('d');
      const part = page.getByTestId(`stage-${id}`).locator('.stage-image-part');
      await expect(part.locator('table, canvas').first()).toBeVisible({ timeout: 30_000 });
      // Neither the slot's view nor the matrix's own sideways scroller has anything hidden.
      const hidden = await part.evaluate((el) =>
        [el, ...el.querySelectorAll('.confusion-wrap')].map((e) => Math.max(e.scrollHeight - e.clientHeight, e.scrollWidth - e.clientWidth)),
      );
      expect(hidden.every((px) => px <= 0), `${id}: ${hidden}`).toBe(true);
    }
    const page_ = await page.evaluate(() => ({ h: document.documentElement.scrollHeight - window.innerHeight, w: document.documentElement.scrollWidth - window.innerWidth }));
    expect(page_).toEqual({ h: 0, w: 0 });
    await openGate(page);
  });
}
