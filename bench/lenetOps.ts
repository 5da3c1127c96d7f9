/**
 * Where the LeNet-5 step's time goes (issue 28 item 6): the engine's SGD step on the lenet5-mnist problem (batch 64,
 * src/bench/experiment.ts 'lenet') in Node with TF.js-WASM (the browser's binary, one thread), its kernels timed by
 * tf.profile and grouped by what they do, beside the same operations in PyTorch on the CPU (1 thread; forward ops,
 * torch.nn.grad's filter and input gradients, the max-pool gradient by autograd, one optimizer step) in the same run.
 * Usage: npx tsx bench/lenetOps.ts [steps]     (prints a table; not a test)
 */
import { execFileSync } from 'node:child_process';
import * as tf from '@tensorflow/tfjs';
import { defaultHyper, findSpec } from '../src/methods/registry';
import { getAlgorithm } from '../src/methods/algorithms';
import { buildProblem } from '../src/engine/problem';
import { useWasm } from '../src/testing/cpu';
import { nodeLoader } from '../src/testing/nodeLoader';
import { benchExperiment } from '../src/bench/experiment';

const steps = Number(process.argv[2] ?? 30);
await useWasm();
const e = benchExperiment('lenet', 'sgd', 'wasm');
const p = await buildProblem(e, nodeLoader);
const a = getAlgorithm('sgd');
let s = a.init(p, { ...defaultHyper(findSpec('sgd')!), ...e.runs[0].hyper }, 1);
for (let i = 0; i < 5; i++) s = a.step(s).state; // warm-up
const t0 = performance.now();
for (let i = 0; i < steps; i++) s = a.step(s).state;
const stepMs = (performance.now() - t0) / steps;

/** What a kernel does in the LeNet-5 step, from its name and input shapes (batch 64; 28→24→12→8→4). */
function category(name: string, shapes: number[][]): string {
  const x = JSON.stringify(shapes[0] ?? []);
  if (name === 'FusedConv2D') return x === '[64,28,28,1]' ? 'conv1 forward (bias, ReLU fused)' : 'conv2 forward (bias, ReLU fused)';
  if (name === 'Conv2D') {
    if (x === '[1,28,28,64]') return 'conv1 filter gradient (as a conv)';
    if (x === '[6,12,12,64]') return 'conv2 filter gradient (as a conv)';
    return 'conv2 input gradient (flipped conv)';
  }
  if (name === 'MaxPool') return 'max-pool forward';
  if (name === 'PlaygroundMaxPoolGrad' || name === 'MaxPoolGrad') return 'max-pool gradient';
  if (name === 'Transpose' || name === 'Pad' || name === 'Reverse' || name === 'Reshape' || name === 'Slice') return 'layout: transpose / pad / reverse for the gradient convs';
  if (/MatMul/.test(name)) return 'dense layers (forward and backward matmuls)';
  if (name === 'Step' || name === 'Multiply') return 'activation derivatives (step × signal)';
  if (name === 'Sum') return 'bias gradients (sums) and loss';
  if (/Playground(Momentum|Adam)/.test(name)) return 'optimizer (fused momentum update)';
  return 'loss, softmax and the rest';
}

const prof = await tf.profile(() => {
  s = a.step(s).state;
});
const by = new Map<string, { n: number; ms: number }>();
let kernelMs = 0;
for (const k of prof.kernels) {
  const ms = (k as unknown as { kernelTimeMs: number }).kernelTimeMs;
  const c = category(k.name, k.inputShapes as number[][]);
  const v = by.get(c) ?? { n: 0, ms: 0 };
  v.n++;
  v.ms += ms;
  by.set(c, v);
  kernelMs += ms;
}

// The same operations in PyTorch, one thread (NCHW, torch's own kernels), median of 50 after a warm-up.
const python = `
import json, time, torch, torch.nn.functional as F
from torch.nn.grad import conv2d_weight, conv2d_input
torch.set_num_threads(1)
g = torch.Generator().manual_seed(1)
x = torch.rand(64, 1, 28, 28, generator=g) * (torch.rand(64, 1, 28, 28, generator=g) > 0.8)
w1, b1 = torch.randn(6, 1, 5, 5) * 0.2, torch.zeros(6)
w2, b2 = torch.randn(16, 6, 5, 5) * 0.08, torch.zeros(16)
a1 = F.relu(F.conv2d(x, w1, b1)); p1 = F.max_pool2d(a1, 2)
a2 = F.relu(F.conv2d(p1, w2, b2)); p2 = F.max_pool2d(a2, 2)
d2 = torch.randn(64, 16, 8, 8); d1 = torch.randn(64, 6, 24, 24)
a1r = a1.clone().requires_grad_(True); a2r = a2.clone().requires_grad_(True)
o1 = F.max_pool2d(a1r, 2); o2 = F.max_pool2d(a2r, 2)
g1 = torch.randn_like(o1); g2 = torch.randn_like(o2)
h = p2.flatten(1); W3, W4, W5 = torch.randn(120, 256) * .06, torch.randn(84, 120) * .09, torch.randn(10, 84) * .1
params = [torch.randn(n) for n in (150, 6, 2400, 16, 30720, 120, 10080, 84, 840, 10)]
opt = torch.optim.SGD([torch.nn.Parameter(q) for q in params], lr=0.01, momentum=0.9)
for q in opt.param_groups[0]["params"]: q.grad = torch.randn_like(q)
def dense():
    z3 = F.relu(h @ W3.t()); z4 = F.relu(z3 @ W4.t()); z5 = z4 @ W5.t()
    d5 = torch.randn(64, 10); d4 = (d5 @ W5) * (z4 > 0); d3 = (d4 @ W4) * (z3 > 0)
    return d5.t() @ z4, d4.t() @ z3, d3.t() @ h, d3 @ W3
ops = {
  "conv1 forward (bias, ReLU fused)": lambda: F.relu(F.conv2d(x, w1, b1)),
  "conv2 forward (bias, ReLU fused)": lambda: F.relu(F.conv2d(p1, w2, b2)),
  "max-pool forward": lambda: (F.max_pool2d(a1, 2), F.max_pool2d(a2, 2)),
  "max-pool gradient": lambda: (torch.autograd.grad(o1, a1r, g1, retain_graph=True), torch.autograd.grad(o2, a2r, g2, retain_graph=True)),
  "conv1 filter gradient (as a conv)": lambda: conv2d_weight(x, w1.shape, d1),
  "conv2 filter gradient (as a conv)": lambda: conv2d_weight(p1, w2.shape, d2),
  "conv2 input gradient (flipped conv)": lambda: conv2d_input(p1.shape, w2, d2),
  "dense layers (forward and backward matmuls)": dense,
  "optimizer (fused momentum update)": opt.step,
}
out = {}
for k, f in ops.items():
    for _ in range(10): f()
    ts = []
    for _ in range(50):
        t0 = time.perf_counter(); f(); ts.append((time.perf_counter() - t0) * 1000)
    out[k] = sorted(ts)[len(ts) // 2]
print(json.dumps(out))
`;
const torchMs = JSON.parse(execFileSync('/usr/bin/python3', ['-c', python], { env: { ...process.env, OMP_NUM_THREADS: '1' } }).toString()) as Record<string, number>;

console.log(`LeNet-5 SGD step, batch 64, Node + TF.js-WASM 1 thread: ${stepMs.toFixed(2)} ms/step (plain, ${steps} steps); profiled step: ${prof.kernels.length} kernels, ${kernelMs.toFixed(2)} ms kernel time`);
console.log('| operation | kernels | WASM ms | share of kernel time | PyTorch 1 thread ms | WASM speed vs PyTorch |');
console.log('|---|---|---|---|---|---|');
for (const [c, v] of [...by.entries()].sort((x, y) => y[1].ms - x[1].ms)) {
  const t = torchMs[c];
  console.log(`| ${c} | ${v.n} | ${v.ms.toFixed(2)} | ${((100 * v.ms) / kernelMs).toFixed(0)}% | ${t !== undefined ? t.toFixed(2) : '—'} | ${t !== undefined ? `${((100 * t) / v.ms).toFixed(0)}%` : '—'} |`);
}
console.log(`| outside kernels (TF.js dispatch and bookkeeping of ${prof.kernels.length} kernels, batch gather, metrics) | — | ${(stepMs - kernelMs).toFixed(2)} | (of the plain step's ${stepMs.toFixed(2)} ms) | — | — |`);
console.log('PyTorch ops are timed one by one from Python (median of 50), so each includes its dispatch (tens of µs).');
a.dispose(s);
