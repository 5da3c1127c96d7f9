import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from './fixtures';
import { defaultExperiment } from '../src/methods/defaultExperiment';
import { defaultRun } from '../src/methods/registry';
import { urlFor } from './helpers';

test('the PyTorch export downloads a script that runs the experiment and writes the metrics CSV', async ({ page }) => {
  const e = defaultExperiment();
  e.title = 'Moons for PyTorch';
  e.dataset.kind = 'moons';
  e.network.hidden = [8];
  e.runs = [defaultRun('sgd'), defaultRun('adam')];
  await page.goto(urlFor(e));
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-pytorch').click()]);
  expect(download.suggestedFilename()).toBe('moons_for_pytorch.py');
  const file = (await download.path())!;
  const text = readFileSync(file, 'utf8');
  expect(text).toContain('TITLE = "Moons for PyTorch"');
  expect(text).toContain('"kind": "moons"');
  // one self-contained file: the shared core, every registered method's fragment, the command line
  expect(text).toContain('def run_first_order(');
  for (const line of ['METHODS["sgd"] = run_sgd', 'METHODS["adam"] = run_adam', 'METHODS["fenchel"] = run_fenchel', 'def main(']) expect(text).toContain(line);
  // Debian's python3-torch (scripts/ensure-torch.sh): --help lists the overrides, and a short run writes the CSV.
  const help = execFileSync('/usr/bin/python3', [file, '--help'], { encoding: 'utf8' });
  for (const option of ['--train-size', '--width', '--iterations', '--device', '--seed', '--weights']) expect(help).toContain(option);
  const out = join(mkdtempSync(join(tmpdir(), 'pt-e2e-')), 'metrics.csv');
  execFileSync('/usr/bin/python3', [file, '--iterations', '5', '--out', out, '--threads', '1'], { encoding: 'utf8', stdio: 'pipe' });
  const rows = readFileSync(out, 'utf8').trim().split('\n');
  expect(rows[0].startsWith('run,algorithm,iteration,time,cost,epoch,loss,gradNorm,trainLoss')).toBe(true);
  expect(rows.length - 1).toBe(10);
  expect(rows[1]).toMatch(/^1,SGD \(momentum\),1,/);
});
