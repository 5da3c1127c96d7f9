import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { Experiment } from '../../engine/experiment';
import { defaultExperiment } from '../../methods/defaultExperiment';
import { CATALOG, METHODS, defaultRun } from '../../methods/registry';
import { FENCHEL_CONV_NOT_EXPORTED } from '../../methods/fenchel/pytorch';
import { PYTORCH_EXPORTS, PYTORCH_METHODS, PYTORCH_RUNTIME, pytorchGapText, pytorchScript, runsWithoutPytorch } from './script';

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
  it('takes every method folder’s fragment, and each fragment registers in METHODS exactly the ids its folder declares', () => {
    // every src/methods/<name>/pytorch.py is declared by a pytorch.ts beside it and is part of the script
    const dir = join(__dirname, '..', '..', 'methods');
    const folders = readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory() && existsSync(join(dir, d.name, 'pytorch.py')));
    expect(folders.length).toBeGreaterThanOrEqual(7);
    for (const d of folders) {
      const source = readFileSync(join(dir, d.name, 'pytorch.py'), 'utf8');
      expect(PYTORCH_EXPORTS.some((x) => x.source === source), `${d.name}/pytorch.py is in the script`).toBe(true);
    }
    expect(PYTORCH_EXPORTS.length).toBe(folders.length);
    for (const x of PYTORCH_EXPORTS) {
      const registered = Array.from(x.source.matchAll(/^METHODS\["([\w-]+)"\] = /gm), (m) => m[1]);
      expect(registered.sort()).toEqual(Object.keys(x.algorithms).sort());
      for (const id of registered) expect(PYTORCH_RUNTIME.match(new RegExp(`^METHODS\\["${id}"\\] = `, 'gm'))?.length, id).toBe(1);
    }
    expect(PYTORCH_METHODS.has('nosuch')).toBe(false);
  });

  it('the script’s lifted methods (not split under torchrun) are the registry’s methods with a lifted view', () => {
    const lifted = Array.from(PYTORCH_RUNTIME.matchAll(/^LIFTED\.(?:add\(|update\(\{)([^)}]*)/gm), (m) => Array.from(m[1].matchAll(/"([\w-]+)"/g), (q) => q[1])).flat();
    const withView = METHODS.filter((m) => m.liftedView).flatMap((m) => m.specs.map((s) => s.id)).filter((id) => PYTORCH_METHODS.has(id));
    expect(withView.length).toBeGreaterThan(0);
    expect(lifted.sort()).toEqual(withView.sort());
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

  it('a layer list with convolutions: lifted methods are refused before anything runs, with the app\'s reasons; --width does not apply', () => {
    const e = withRuns(['sgd', 'mdlam', 'fenchel']);
    e.dataset = { kind: 'mnist', seed: 1, noise: 0, trainSize: 64, testSize: 32, resolution: 14, classes: [] };
    e.network = { ...e.network, hidden: [], activation: 'relu', outputLink: 'softmax', loss: 'ce', layers: [{ type: 'conv2d', filters: 2, kernel: 3 }, { type: 'maxpool', size: 2 }, { type: 'flatten' }] };
    e.training.maxIterations = 2;
    e.training.evalEvery = 2;
    const script = pytorchScript(e);
    const refused = runPython(script, ['--threads', '1']);
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toContain('run 2 (mDLAM');
    expect(refused.stderr).toContain('mDLAM is defined by its paper for fully connected layers only');
    expect(refused.stderr).toContain('Fenchel lifted BCD lifts dense layers only');
    expect(refused.stderr).toContain('--runs 1');
    expect(refused.stderr).not.toContain('run 1:'); // nothing was started
    // The app announces the Fenchel run as not exported (it trains it), with the script's own words.
    expect(runsWithoutPytorch(e)).toEqual([2]);
    expect(pytorchGapText(e)).toContain(FENCHEL_CONV_NOT_EXPORTED);
    expect(refused.stderr).toContain(FENCHEL_CONV_NOT_EXPORTED);
    const width = runPython(script, ['--threads', '1', '--runs', '1', '--width', '64']);
    expect(width.status).not.toBe(0);
    expect(width.stderr).toContain("--width 64: this network is a list of layers, not an MLP of hidden widths; edit NETWORK['layers']");
    const help = spawnSync('/usr/bin/python3', ['-c', `${script.replace(/\nif __name__ == "__main__":\n    main\(\)\n?$/, '')}\nparse_args(["--help"])`], { encoding: 'utf8' });
    expect(help.stdout.replace(/\s+/g, ' ')).toContain('NOT USED by this network: it is a list of layers');
    const weightDecay = structuredClone(e);
    weightDecay.network = { ...weightDecay.network, layers: undefined, hidden: [8], weightDecay: 0.01 };
    const decayRefused = runPython(pytorchScript(weightDecay), ['--threads', '1', '--runs', '2']);
    expect(decayRefused.status).not.toBe(0);
    expect(decayRefused.stderr).toContain("no weight-decay term (NETWORK['weightDecay'] = 0.01)");
  }, 60_000);

  it('a convolutional network on a large set is taken in row blocks (as the app) with the loss and gradient of one pass', () => {
    const e = withRuns(['sgd']);
    e.dataset = { kind: 'mnist', seed: 1, noise: 0, trainSize: 1100, testSize: 10, resolution: 14, classes: [] };
    e.network = { ...e.network, hidden: [], activation: 'tanh', outputLink: 'softmax', loss: 'ce', weightDecay: 0.01, layers: [{ type: 'conv2d', filters: 4, kernel: 3 }, { type: 'maxpool', size: 2 }, { type: 'flatten' }, { type: 'dense', units: 8 }] };
    const dir = mkdtempSync(join(tmpdir(), 'pt-blocks-'));
    const file = join(dir, 'experiment.py');
    writeFileSync(file, pytorchScript(e));
    // float64, so that only a wrong block weighting (not rounding) can part the two
    const check = `
import importlib.util, json, torch
spec = importlib.util.spec_from_file_location("ex", ${JSON.stringify(file)}); ex = importlib.util.module_from_spec(spec); spec.loader.exec_module(ex)
data = ex.build_data(ex.DATASET, ${JSON.stringify(join(process.cwd(), 'public', 'datasets'))})
stages = ex.network_stages(ex.NETWORK, ex.DATASET, 196, 10)
net = ex.Net(None, "tanh", "softmax", "ce", stages, 0.01)
ps = [[W.double(), b.double()] for W, b in ex.init_params(stages, ex.init_config(ex.NETWORK), 1, "cpu")]
x, y = data["xTrain"].double(), data["yTrain"].double()
l1, g1, _, _ = ex.backprop(ps, net, x, y)
ex.CONV_CHUNK_ROWS = 10**9
l2, g2, _, _ = ex.backprop(ps, net, x, y)
print(json.dumps([x.shape[0], float(l1), float(l2), max(float((a - b).abs().max()) for la, lb in zip(g1, g2) for a, b in zip(la, lb)), max(float(a.abs().max()) for la in g2 for a in la)]))
`;
    const res = spawnSync('/usr/bin/python3', ['-c', check], { encoding: 'utf8', timeout: 120_000 });
    expect(res.status, res.stderr).toBe(0);
    const [rows, blocks, whole, gradDiff, gradMax] = JSON.parse(res.stdout) as number[];
    expect(rows).toBe(1100); // three blocks of up to 500 rows
    expect(Math.abs(blocks - whole)).toBeLessThan(1e-12);
    expect(gradDiff).toBeLessThan(1e-12 * gradMax);
    expect(gradMax).toBeGreaterThan(1e-3);
  }, 120_000);

  it('every method of the catalogue outside the export is announced the same way', () => {
    for (const spec of CATALOG.filter((s) => !PYTORCH_METHODS.has(s.id))) {
      const e = withRuns(['sgd', spec.id]);
      expect(pytorchGapText(e), spec.id).toContain(`run 2 (${spec.label})`);
    }
  });
});
