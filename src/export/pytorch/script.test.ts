import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { Experiment } from '../../engine/experiment';
import { defaultExperiment } from '../../methods/defaultExperiment';
import { CATALOG, defaultRun } from '../../methods/registry';
import { PYTORCH_METHODS, pytorchGapText, pytorchScript, runsWithoutPytorch } from './script';

/**
 * A run the PyTorch export cannot reproduce is said so — in the app, in the script's header and by the script
 * itself before it runs anything — never skipped or replaced quietly.
 */

function withRuns(algorithms: string[]): Experiment {
  const e = defaultExperiment();
  e.runs = algorithms.map((a) => (CATALOG.some((s) => s.id === a) ? defaultRun(a) : { algorithm: a, hyper: {}, label: `method ${a}` }));
  return e;
}

function runPython(script: string, args: string[]): { status: number | null; stderr: string } {
  const dir = mkdtempSync(join(tmpdir(), 'pt-gap-'));
  const file = join(dir, 'experiment.py');
  writeFileSync(file, script);
  const res = spawnSync('/usr/bin/python3', [file, ...args, '--out', join(dir, 'm.csv')], { encoding: 'utf8', timeout: 120_000 });
  return { status: res.status, stderr: res.stderr };
}

describe('PyTorch export: methods it does not implement', () => {
  it('reads the implemented methods from the runtime: the first-order, VI, CG and lifted methods', () => {
    for (const id of ['sgd', 'adam', 'vi', 'cg', 'twophase', 'mdlam', 'fenchel']) expect(PYTORCH_METHODS.has(id), id).toBe(true);
    expect(PYTORCH_METHODS.has('nosuch')).toBe(false);
  });

  it('names the runs it cannot reproduce and the --runs that would work', () => {
    const e = withRuns(['sgd', 'nosuch', 'adam']);
    expect(runsWithoutPytorch(e)).toEqual([1]);
    const gap = pytorchGapText(e);
    expect(gap).toContain('run 2 (method nosuch)');
    expect(gap).toContain('--runs 1,3');
    expect(pytorchScript(e)).toContain(`NOT EXPORTED: ${gap}`);
    expect(pytorchGapText(withRuns(['sgd', 'adam']))).toBe('');
    expect(pytorchScript(withRuns(['sgd', 'adam']))).not.toContain('NOT EXPORTED');
  });

  it('the script stops before running anything, naming the run, and runs the others when asked', () => {
    const e = withRuns(['sgd', 'nosuch']);
    e.training.maxIterations = 3;
    e.training.evalEvery = 3;
    const refused = runPython(pytorchScript(e), ['--threads', '1']);
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toContain("run 2 (method nosuch): the PyTorch export has no 'nosuch' method");
    expect(refused.stderr).toContain('--runs 1');
    expect(refused.stderr).not.toContain('run 1:'); // nothing was started
    const others = runPython(pytorchScript(e), ['--threads', '1', '--runs', '1']);
    expect(others.stderr).toContain('run 1:');
    expect(others.status).toBe(0);
  }, 180_000);

  it('every method of the catalogue outside the export is announced the same way', () => {
    for (const spec of CATALOG.filter((s) => !PYTORCH_METHODS.has(s.id))) {
      const e = withRuns(['sgd', spec.id]);
      expect(pytorchGapText(e), spec.id).toContain(`run 2 (${spec.label})`);
    }
  });
});
