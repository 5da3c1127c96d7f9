#!/usr/bin/env python3
"""Native NumPy reference for the speed benchmark (bench/run-all.mjs).

The same iteration as the app's engine (src/engine/model.ts lossAndGrad + src/engine/optimizers.ts):
  forward  Z = X W + b per layer, hidden activation (tanh or relu), softmax + cross-entropy on the output;
  backward dZ_L = (softmax(Z_L) - Y)/N, dW = X^T dZ, db = sum(dZ), dX = dZ W^T, dZ = dX * act'(X);
  update   SGD with heavy-ball momentum (v = mu v + g; theta -= lr v) or Adam (bias correction in the step size);
  a mini-batch of B rows gathered from a seeded permutation each step; the loss is computed every step.
float32 throughout, like TF.js. Prints one JSON line per case: {"case": ..., "ms_per_iter": ...}.

Usage: python3 bench/numpy_mlp.py [--iters N] [--warmup N]
"""
import argparse
import json
import os
import struct
import time

import numpy as np

F = np.float32


def load_mnist(path, n_max=12000):
    with open(path, "rb") as f:
        raw = f.read()
    if raw[:4] != b"OPD1":
        raise SystemExit(f"{path}: bad magic")
    n, d, k = struct.unpack("<III", raw[4:16])
    n = min(n, n_max)
    labels = np.frombuffer(raw, dtype=np.uint8, count=n, offset=16)
    total_n = struct.unpack("<I", raw[4:8])[0]
    pixels = np.frombuffer(raw, dtype=np.uint8, count=n * d, offset=16 + total_n)
    x = (pixels.reshape(n, d).astype(F)) / F(255)
    y = np.zeros((n, k), dtype=F)
    y[np.arange(n), labels] = 1
    return x, y


def two_moons(n, rng):
    """A 2-D two-class set (the speed does not depend on which 2-D set it is)."""
    t = rng.uniform(0, np.pi, n)
    c = rng.integers(0, 2, n)
    x = np.stack([np.cos(t) + c * 1.0 - 0.5 * c, np.sin(t) * (1 - 2 * c) + 0.25 * c], 1).astype(F)
    x += rng.normal(0, 0.1, x.shape).astype(F)
    y = np.zeros((n, 2), dtype=F)
    y[np.arange(n), c] = 1
    return x, y


def init(sizes, rng):
    ps = []
    for din, dout in zip(sizes[:-1], sizes[1:]):
        lim = np.sqrt(6 / (din + dout))
        ps.append([rng.uniform(-lim, lim, (din, dout)).astype(F), np.zeros(dout, dtype=F)])
    return ps


def loss_and_grad(ps, x, y, act):
    outs = [x]
    h = x
    L = len(ps)
    for i, (W, b) in enumerate(ps):
        z = h @ W + b
        if i < L - 1:
            h = np.tanh(z) if act == "tanh" else np.maximum(z, 0)
        else:
            h = z
        outs.append(h)
    z = outs[-1]
    n = z.shape[0]
    m = z.max(1, keepdims=True)
    e = np.exp(z - m)
    s = e.sum(1, keepdims=True)
    lse = m + np.log(s)
    loss = -np.sum(y * (z - lse)) / n
    delta = (e / s - y) / F(n)
    grads = [None] * L
    for l in range(L - 1, -1, -1):
        xin = outs[l]
        grads[l] = [xin.T @ delta, delta.sum(0)]
        if l > 0:
            g = delta @ ps[l][0].T
            deriv = (1 - xin * xin) if act == "tanh" else (xin > 0).astype(F)
            delta = g * deriv
    return F(loss), grads


def run(sizes, x, y, batch, algo, act, iters, warmup, seed=1):
    rng = np.random.default_rng(seed)
    ps = init(sizes, rng)
    n = x.shape[0]
    perm = rng.permutation(n)
    pos = 0
    state = [[np.zeros_like(W), np.zeros_like(b)] for W, b in ps]
    state2 = [[np.zeros_like(W), np.zeros_like(b)] for W, b in ps]
    lr, mom = F(0.05), F(0.9)
    b1, b2, eps, alr = F(0.9), F(0.999), F(1e-8), F(1e-3)
    t = 0
    t0 = None
    losses = []
    for it in range(warmup + iters):
        if it == warmup:
            t0 = time.perf_counter()
        if pos + batch > n:
            perm = rng.permutation(n)
            pos = 0
        idx = perm[pos:pos + batch]
        pos += batch
        bx, by = x[idx], y[idx]
        loss, grads = loss_and_grad(ps, bx, by, act)
        losses.append(float(loss))
        if algo == "sgd":
            for p, v, g in zip(ps, state, grads):
                for j in range(2):
                    v[j] *= mom
                    v[j] += g[j]
                    p[j] -= lr * v[j]
        else:
            t += 1
            step = alr * np.sqrt(1 - b2 ** t) / (1 - b1 ** t)
            for p, m, v, g in zip(ps, state, state2, grads):
                for j in range(2):
                    m[j] *= b1
                    m[j] += (1 - b1) * g[j]
                    v[j] *= b2
                    v[j] += (1 - b2) * g[j] * g[j]
                    p[j] -= F(step) * m[j] / (np.sqrt(v[j]) + eps)
    dt = time.perf_counter() - t0
    return dt * 1000 / iters, losses[-1]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--iters", type=int, default=400)
    ap.add_argument("--warmup", type=int, default=50)
    ap.add_argument("--data", default=os.path.join(os.path.dirname(__file__), "..", "public", "datasets", "mnist-train.bin"))
    a = ap.parse_args()
    rng = np.random.default_rng(0)
    x2, y2 = two_moons(1000, rng)
    xm, ym = load_mnist(a.data)
    cases = [
        ("small", [2, 8, 8, 2], x2, y2, "tanh"),
        ("mnist", [784, 128, 128, 10], xm, ym, "relu"),
    ]
    for name, sizes, x, y, act in cases:
        for algo in ("sgd", "adam"):
            iters = a.iters * (10 if name == "small" else 1)
            ms, last = run(sizes, x, y, 256, algo, act, iters, a.warmup)
            print(json.dumps({"case": name, "algo": algo, "ms_per_iter": ms, "last_loss": last, "threads": os.environ.get("OPENBLAS_NUM_THREADS", "default")}), flush=True)


if __name__ == "__main__":
    main()
