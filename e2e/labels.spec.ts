import { expect, test } from './fixtures';
import { defaultExperiment } from '../src/methods/defaultExperiment';
import { defaultRun } from '../src/methods/registry';
import { decodeHash } from '../src/url/codec';
import { urlFor } from './helpers';

function linked(url: string) {
  const r = decodeHash(new URL(url).hash);
  return r.ok === true ? r.value : null;
}

/** Run names and the experiment title (issue 15): what differs is said, names are the user's and live in the link. */

test('runs of one method say what differs; a run can be renamed and the name is kept in the link', async ({ page }) => {
  const e = defaultExperiment();
  e.runs = [{ ...defaultRun('sgd'), hyper: { lr: 0.3, momentum: 0.9 } }, defaultRun('adam'), { ...defaultRun('sgd'), hyper: { lr: 0.03, momentum: 0.9 } }];
  await page.goto(urlFor(e));
  await expect(page.getByTestId('run-label-0')).toHaveText('1. SGD (momentum) γ 0.3');
  await expect(page.getByTestId('run-label-1')).toHaveText('2. Adam');
  await expect(page.getByTestId('run-label-2')).toHaveText('3. SGD (momentum) γ 0.03');
  await expect(page.getByTestId('run-name-0')).toHaveAttribute('placeholder', 'SGD (momentum) γ 0.3');
  await page.getByTestId('run-name-0').fill('fast SGD');
  await page.getByTestId('run-name-0').press('Enter');
  await expect(page.getByTestId('run-label-0')).toHaveText('1. fast SGD');
  // The other SGD run no longer has an unnamed twin: it is plain SGD again.
  await expect(page.getByTestId('run-label-2')).toHaveText('3. SGD (momentum)');
  await expect.poll(() => linked(page.url())?.runs[0]?.label).toBe('fast SGD');
  await page.reload();
  await expect(page.getByTestId('run-label-0')).toHaveText('1. fast SGD');
  await expect.poll(() => page.evaluate(() => (document.querySelector('[data-plot="loss"]') as unknown as { data?: { name: string }[] })?.data?.map((d) => d.name) ?? [])).toContain('1. fast SGD');
  // Emptying the name gives the automatic one back.
  await page.getByTestId('run-name-0').fill('');
  await page.getByTestId('run-name-0').press('Enter');
  await expect(page.getByTestId('run-label-0')).toHaveText('1. SGD (momentum) γ 0.3');
});

test('a link with an empty run name is refused by name', async ({ page }) => {
  const e = defaultExperiment();
  e.runs[0].label = ' ';
  await page.goto(urlFor(e));
  await expect(page.getByTestId('notice-error')).toContainText('runs[0].label cannot be empty (leave the name out for the automatic one)');
});

test('the title follows the experiment until the user writes their own', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('experiment-title')).toHaveText('SGD vs Adam on two spirals');
  await page.getByTestId('dataset-kind').selectOption('moons');
  await expect(page.getByTestId('experiment-title')).toHaveText('SGD vs Adam on two moons');
  await page.getByTestId('experiment-title').click();
  await page.getByTestId('experiment-title-input').fill('Week 3: momentum');
  await page.getByTestId('experiment-title-input').press('Enter');
  await expect(page.getByTestId('experiment-title')).toHaveText('Week 3: momentum');
  await page.getByTestId('dataset-kind').selectOption('circle');
  await expect(page.getByTestId('experiment-title')).toHaveText('Week 3: momentum');
  await expect.poll(() => linked(page.url())?.title).toBe('Week 3: momentum');
});
