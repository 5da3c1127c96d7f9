import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultExperiment } from '../../methods/defaultExperiment';
import { defaultRun } from '../../methods/registry';
import { pytorchScript } from './script';

/**
 * Data-parallel training of an exported script under `torchrun --nproc_per_node 2` on CPU (gloo): every process
 * builds the same data and batch order and takes half of each batch; DistributedDataParallel (SGD, Adam, CG) or an
 * all-reduce of the field (VI) makes the step the single-process step, so the loss series must agree up to the
 * order of float sums. Both runs are in float64: in float32 CG's line search turns the different summation order
 * into different trial steps within a few iterations (measured on the spirals: equal for 4 steps, 1e-2 apart by
 * step 8), which would test float32 rather than the data parallelism.
 */

function lossColumn(csv: string): number[][] {
  const [head, ...rows] = csv.trim().split('\n');
  const cols = head.split(',');
  const out: number[][] = [];
  for (const line of rows) {
    const cells = line.split(',');
    const run = Number(cells[0]) - 1;
    (out[run] ??= []).push(Number(cells[cols.indexOf('loss')]));
  }
  return out;
}

function run(command: string, args: string[]): void {
  const res = spawnSync(command, args, { encoding: 'utf8', timeout: 300_000, env: { ...process.env, OMP_NUM_THREADS: '1' } });
  if (res.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${res.status}):\n${res.stderr}`);
}

describe('torchrun', () => {
  it('two CPU processes (gloo) give the single-process loss series for SGD, Adam, CG and VI', () => {
    const e = defaultExperiment();
    e.training.maxIterations = 20;
    e.training.evalEvery = 20;
    e.runs = [
      { ...defaultRun('sgd'), hyper: { lr: 0.1, momentum: 0.9 } },
      defaultRun('adam'),
      defaultRun('cg'),
      { ...defaultRun('vi'), hyper: { ...defaultRun('vi').hyper, scope: 'full', rule: 'momentum', lr: 0.1 } },
    ];
    const dir = mkdtempSync(join(tmpdir(), 'pt-torchrun-'));
    const file = join(dir, 'experiment.py');
    writeFileSync(file, pytorchScript(e));
    run('/usr/bin/python3', [file, '--out', join(dir, 'one.csv'), '--threads', '1', '--dtype', 'float64']);
    // Debian's torch 1.13 under Python 3.11 cannot parse torchrun's default `--redirects 0` (Std.NONE is not iterated
    // by 3.11's Flag enum), hence the explicit redirect of stdout, tee'd to the console.
    run('/usr/bin/torchrun', ['--standalone', '--nproc_per_node', '2', '--redirects', '1', '--tee', '1', file, '--out', join(dir, 'two.csv'), '--threads', '1', '--dtype', 'float64']);
    const one = lossColumn(readFileSync(join(dir, 'one.csv'), 'utf8'));
    const two = lossColumn(readFileSync(join(dir, 'two.csv'), 'utf8'));
    expect(two.length).toBe(4);
    e.runs.forEach((r, i) => {
      expect(two[i].length, r.algorithm).toBe(one[i].length);
      expect(one[i].length, r.algorithm).toBeGreaterThanOrEqual(10);
      const worst = Math.max(...one[i].map((v, k) => Math.abs(v - two[i][k]) / Math.abs(v)));
      expect(worst, `${r.algorithm}: two processes vs one`).toBeLessThanOrEqual(1e-9);
    });
  });
});
