#!/usr/bin/env python3
"""Native NumPy references for one step of the heavy methods (bench/run-all.mjs prints the browser/NumPy ratio).

Same problem as the speed bench's MNIST row (src/bench/experiment.ts): MLP 784-128-128-10, ReLU, softmax +
mean cross-entropy, the 12,000-image MNIST subset, float32 arithmetic, default hyperparameters of each method.

* mdlam   — one outer sweep of mDLAM (src/methods/mdlam/mdlam.ts, blocks.ts; algorithms.md §3), full batch:
            per layer W (backtracked gradient step, Nesterov extrapolation with the monotone safeguard) → b (closed
            form, kept if the penalty does not rise) → z_l (clip) → a_l (projected gradient step, backtracked,
            extrapolated, safeguarded), output z_L by 30 V-FISTA steps; then F, the residuals and the forward loss.
            Products a·W are reused where the algebra gives them (a·W⁺ = a·Ŵ − a·g/θ), as any careful NumPy
            implementation would: 3 products with the 12,000 × 784 input per sweep.
* fenchel — one BCD sweep of Fenchel lifted networks (src/methods/fenchel/; algorithms.md §4) in the bench's
            mini-batch mode (B = 256, fresh activations from a forward pass): activation blocks last to first, then
            weight blocks first to last, 20 projected-gradient steps of size 1/Lip each; then the lifted terms and
            the forward loss and gradient on the batch.
* cg      — one nonlinear CG iteration (Polak–Ribière+, restarts as src/methods/cg/cg.ts) on the full-batch loss
            with a strong-Wolfe line search (c1 1e-4, c2 0.1, ≤ 20 evaluations: scipy.optimize.line_search, the
            Nocedal–Wright algorithm the app's linesearch.ts also implements); parameters as a float64 vector,
            the model in float32, like the app. Prints evaluations per iteration beside the time.

Prints one JSON line per method: {"method", "ms_per_step", "evals_per_step"?, "threads"}.
Usage: python3 bench/numpy_methods.py [--steps N] [--methods mdlam,fenchel,cg]
"""
import argparse
import json
import os
import time

import numpy as np

from numpy_mlp import F, init, load_mnist, loss_and_grad

SIZES = [784, 128, 128, 10]


def softmax(z):
    e = np.exp(z - z.max(1, keepdims=True))
    return e / e.sum(1, keepdims=True)


def mean_ce(z, y):
    m = z.max(1, keepdims=True)
    lse = m + np.log(np.exp(z - m).sum(1, keepdims=True))
    return float(-np.sum(y * (z - lse)) / z.shape[0])


def sq(t):
    return float(np.vdot(t, t))


# ---------------------------------------------------------------- mDLAM


class Mdlam:
    def __init__(self, x, y, ps, rho=1.0, mu=1e-3, eps0=1.0, eps_min=1e-3, decay=0.5, inner=30):
        self.x, self.y = x, y
        self.W = [W.copy() for W, _ in ps]
        self.b = [b.copy() for _, b in ps]
        self.rho, self.mu, self.eps, self.eps_min, self.decay, self.inner = rho, mu, eps0, eps_min, decay, inner
        L = len(ps)
        self.z, self.a = [], []
        h = x
        for l in range(L):
            z = h @ self.W[l] + self.b[l]
            self.z.append(z)
            if l < L - 1:
                h = np.maximum(z, 0)
                self.a.append(h)
        self.prevW = [None] * L
        self.prevA = [None] * (L - 1)
        self.prevZL = None
        self.t = 1.0
        # a·W per layer (valid while a_{l-1} and W_l are unchanged); layer 1's input never changes
        self.aw = [None] * L

    def a_prev(self, l):
        return self.x if l == 0 else self.a[l - 1]

    def w_obj_from_res(self, r, W):
        n = r.shape[0]
        return self.rho / (2 * n) * sq(r) + self.mu / 2 * sq(W)

    def w_step(self, l, Wf, aWf):
        """Backtracked gradient step from Wf (with a·Wf known); returns (W⁺, a·W⁺, ok)."""
        a, z, b = self.a_prev(l), self.z[l], self.b[l]
        n = z.shape[0]
        c = self.rho / n
        r0 = z - aWf - b
        g = -c * (a.T @ r0) + F(self.mu) * Wf
        G = a @ g
        r00, r0G, GG = sq(r0), float(np.vdot(r0, G)), sq(G)
        ww, wg, gg = sq(Wf), float(np.vdot(Wf, g)), sq(g)
        phi = lambda s: c / 2 * (r00 + 2 * s * r0G + s * s * GG) + self.mu / 2 * (ww - 2 * s * wg + s * s * gg)
        phi0 = phi(0)
        theta = 1.0
        for _ in range(11):
            if phi(1 / theta) <= phi0 - gg / (2 * theta):
                return Wf - F(1 / theta) * g, aWf - F(1 / theta) * G, True
            theta *= 2
        return Wf.copy(), aWf, False

    def update_w(self, l, omega):
        a, z, b, Wk = self.a_prev(l), self.z[l], self.b[l], self.W[l]
        if self.aw[l] is None:
            self.aw[l] = a @ Wk
        awk = self.aw[l]
        phik = self.w_obj_from_res(z - awk - b, Wk)
        acc = None
        if omega > 0 and self.prevW[l] is not None:
            hat = Wk + F(omega) * (Wk - self.prevW[l])
            w, aw, ok = self.w_step(l, hat, a @ hat)
            if ok and self.w_obj_from_res(z - aw - b, w) <= phik:
                acc = (w, aw)
        if acc is None:
            w, aw, ok = self.w_step(l, Wk, awk)
            acc = (w, aw) if ok and self.w_obj_from_res(z - aw - b, w) <= phik else (Wk.copy(), awk)
        self.prevW[l] = Wk
        self.W[l], self.aw[l] = acc

    def update_b(self, l):
        z, aw, b = self.z[l], self.aw[l], self.b[l]
        bn = (z - aw).mean(0)
        if sq(z - aw - bn) <= sq(z - aw - b):
            self.b[l] = bn

    def psi(self, a, l):
        """pen_{l+1} as a function of a_l (per-sample units ×N) and a·W_{l+1}."""
        aw = a @ self.W[l + 1]
        return self.rho / 2 * sq(self.z[l + 1] - aw - self.b[l + 1]), aw

    def a_step(self, l, af, lo, hi):
        W, b, zn = self.W[l + 1], self.b[l + 1], self.z[l + 1]
        psi0, aw = self.psi(af, l)
        grad = -self.rho * ((zn - aw - b) @ W.T)
        tau = 1.0
        for _ in range(11):
            cand = np.minimum(np.maximum(af - F(1 / tau) * grad, lo), hi)
            d = cand - af
            psi, aw_c = self.psi(cand, l)
            if psi <= psi0 + float(np.vdot(grad, d)) + tau / 2 * sq(d):
                return cand, psi, aw_c, True
            tau *= 2
        return cand, psi, aw_c, False

    def update_a(self, l, omega):
        ak, zc = self.a[l], self.z[l]
        psik, awk = self.psi(ak, l)
        r = np.maximum(zc, 0)
        lo, hi = r - F(self.eps), r + F(self.eps)
        feasible = float(np.max(np.abs(ak - r))) - self.eps <= 1e-6 * max(1, self.eps)
        nxt = None
        if omega > 0 and self.prevA[l] is not None and feasible:
            hat = ak + F(omega) * (ak - self.prevA[l])
            cand, psi, aw, ok = self.a_step(l, hat, lo, hi)
            if ok and psi <= psik:
                nxt = (cand, aw)
        if nxt is None:
            cand, psi, aw, ok = self.a_step(l, ak, lo, hi)
            nxt = (cand, aw) if (not feasible or (ok and psi <= psik)) else (ak.copy(), awk)
        self.prevA[l] = ak
        self.a[l], self.aw[l + 1] = nxt

    def fista(self, z0, p):
        Lc, rho = 0.5, self.rho
        kappa = (Lc + rho) / rho
        beta = F((np.sqrt(kappa) - 1) / (np.sqrt(kappa) + 1))
        z, zp = z0.copy(), z0.copy()
        rp = F(rho) * p
        for it in range(1, self.inner + 1):
            v = z + beta * (z - zp)
            zn = (F(Lc) * v - (softmax(v) - self.y) + rp) / F(Lc + rho)
            zp, z = z, zn
            if it % 5 == 0 and np.sqrt(sq(z - zp) / z.size) < 1e-4:
                break
        return z

    def h(self, z, p):
        return mean_ce(z, self.y) + self.rho / (2 * z.shape[0]) * sq(z - p)

    def update_zout(self, omega):
        L = len(self.W)
        p = self.aw[L - 1] + self.b[L - 1]
        zk = self.z[L - 1]
        hk = self.h(zk, p)
        nxt = None
        if omega > 0 and self.prevZL is not None:
            c = self.fista(zk + F(omega) * (zk - self.prevZL), p)
            if self.h(c, p) <= hk:
                nxt = c
        if nxt is None:
            c = self.fista(zk, p)
            nxt = c if self.h(c, p) <= hk else zk.copy()
        self.prevZL = zk
        self.z[L - 1] = nxt

    def sweep(self):
        L = len(self.W)
        tk = (1 + np.sqrt(1 + 4 * self.t * self.t)) / 2
        omega = (self.t - 1) / tk
        self.t = tk
        for l in range(L):
            self.update_w(l, omega)
            self.update_b(l)
            if l < L - 1:
                p = self.aw[l] + self.b[l]
                hi, lo = self.a[l] + F(self.eps), self.a[l] - F(self.eps)
                up = np.minimum(p, hi)
                self.z[l] = np.where(lo > 0, np.maximum(up, lo), up)
                self.update_a(l, omega)
            else:
                self.update_zout(omega)
        # diagnostics: F, residuals, activation gaps, forward training loss
        n = self.x.shape[0]
        Fv = mean_ce(self.z[L - 1], self.y)
        for l in range(L):
            if self.aw[l] is None:
                self.aw[l] = self.a_prev(l) @ self.W[l]
            Fv += self.rho / (2 * n) * sq(self.z[l] - self.aw[l] - self.b[l]) + self.mu / 2 * sq(self.W[l])
        gaps = [sq(self.a[l] - np.maximum(self.z[l], 0)) for l in range(L - 1)]
        h = np.maximum(self.aw[0] + self.b[0], 0)
        for l in range(1, L):
            h = h @ self.W[l] + self.b[l]
            if l < L - 1:
                h = np.maximum(h, 0)
        self.eps = max(self.eps * self.decay, self.eps_min)
        return Fv, mean_ce(h, self.y), gaps


# ---------------------------------------------------------------- Fenchel


def biconvex_sum(u, v):
    up = np.maximum(u, 0)
    return float(np.sum(F(0.5) * (v * v + up * up) - u * v))


class Fenchel:
    def __init__(self, x, y, ps, batch=256, lam=1.0, c=1.0, rho=1e-4, steps=20, bias=0.1, seed=1):
        self.x, self.y = x, y
        self.W = [W.copy() for W, _ in ps]
        self.b = [np.full_like(b, F(bias)) for _, b in ps]
        self.lam, self.c, self.rho, self.steps, self.batch = lam, c, rho, steps, batch
        self.rng = np.random.default_rng(seed)
        self.perm = self.rng.permutation(x.shape[0])
        self.pos = 0

    def next_batch(self):
        if self.pos + self.batch > self.x.shape[0]:
            self.perm = self.rng.permutation(self.x.shape[0])
            self.pos = 0
        idx = self.perm[self.pos:self.pos + self.batch]
        self.pos += self.batch
        return self.x[idx], self.y[idx]

    def pg(self, value, grad, lip, xs, nonneg):
        before = value(xs)
        for _ in range(self.steps):
            g = grad(xs)
            xs = [t - gi / F(lip) for t, gi in zip(xs, g)]
            if nonneg:
                xs = [np.maximum(t, 0) for t in xs]
        return xs, before, value(xs)

    def lifted(self, x, y, acts):
        n = x.shape[0]
        L = len(self.W)
        obj, prev = 0.0, x
        for l in range(L - 1):
            z = prev @ self.W[l] + self.b[l]
            a = acts[l]
            s = biconvex_sum(z, a)
            obj += self.lam * s / n
            _mismatch = np.sqrt(sq(a - np.maximum(z, 0)) / (n * a.shape[1]))
            prev = a
        ce = mean_ce(prev @ self.W[L - 1] + self.b[L - 1], y)
        ridge = self.rho * sum(sq(W) for W in self.W)
        return obj + ce + ridge

    def sweep(self):
        x, y = self.next_batch()
        n = x.shape[0]
        L = len(self.W)
        lam, c, rho = self.lam, self.c, self.rho
        acts, h = [], x
        for l in range(L - 1):
            h = np.maximum(h @ self.W[l] + self.b[l], 0)
            acts.append(h)
        for l in range(L - 1, 0, -1):  # activation blocks, last hidden first (1-based l)
            prev = x if l == 1 else acts[l - 2]
            z = prev @ self.W[l - 1] + self.b[l - 1]
            Wn, bn = self.W[l], self.b[l]
            if l == L - 1:
                lip = (0.5 * c * sq(Wn) + lam) / n
                value = lambda A: c * mean_ce(A[0] @ Wn + bn, y) + lam / n * biconvex_sum(z, A[0])
                grad = lambda A: [(F(c) * ((softmax(A[0] @ Wn + bn) - y) @ Wn.T) + F(lam) * (A[0] - z)) / F(n)]
            else:
                an = acts[l]
                cl = c * lam
                lip = (cl * sq(Wn) + lam) / n
                value = lambda A: (lam * biconvex_sum(z, A[0]) + cl * biconvex_sum(A[0] @ Wn + bn, an)) / n
                grad = lambda A: [(F(lam) * (A[0] - z) + F(cl) * ((np.maximum(A[0] @ Wn + bn, 0) - an) @ Wn.T)) / F(n)]
            res, _, _ = self.pg(value, grad, lip, [acts[l - 1]], True)
            acts[l - 1] = res[0]
        self.lifted(x, y, acts)
        for l in range(1, L + 1):  # weight blocks, first to last
            prev = x if l == 1 else acts[l - 2]
            if l < L:
                aout = acts[l - 1]
                lip = lam / n * (sq(prev) + n) + 2 * rho
                value = lambda P: lam / n * biconvex_sum(prev @ P[0] + P[1], aout) + rho * sq(P[0])

                def grad(P, prev=prev, aout=aout):
                    r = F(lam / n) * (np.maximum(prev @ P[0] + P[1], 0) - aout)
                    return [prev.T @ r + F(2 * rho) * P[0], r.sum(0)]
            else:
                lip = 0.5 / n * (sq(prev) + n) + 2 * rho
                value = lambda P: mean_ce(prev @ P[0] + P[1], y) + rho * sq(P[0])

                def grad(P, prev=prev):
                    r = (softmax(prev @ P[0] + P[1]) - y) / F(n)
                    return [prev.T @ r + F(2 * rho) * P[0], r.sum(0)]
            res, _, _ = self.pg(value, grad, lip, [self.W[l - 1], self.b[l - 1]], False)
            self.W[l - 1], self.b[l - 1] = res
        obj = self.lifted(x, y, acts)
        loss, grads = loss_and_grad(list(zip(self.W, self.b)), x, y, "relu")
        g2 = sum(sq(g) for pair in grads for g in pair)
        return obj, float(loss), g2


# ---------------------------------------------------------------- CG


class Cg:
    def __init__(self, x, y, ps, n_restart=50, powell=0.1):
        self.x, self.y = x, y
        self.shapes = [(W.shape, b.shape) for W, b in ps]
        self.theta = np.concatenate([np.concatenate([W.ravel(), b]) for W, b in ps]).astype(np.float64)
        self.n_restart, self.powell = n_restart, powell
        self.evals = 0
        self.cache = (None, None, None)
        self.f, self.g = self.fg(self.theta)
        self.d = -self.g
        self.k = 0
        self.since = 0

    def unflat(self, v):
        ps, o = [], 0
        for ws, bs in self.shapes:
            nw, nb = ws[0] * ws[1], bs[0]
            ps.append([v[o:o + nw].reshape(ws).astype(F), v[o + nw:o + nw + nb].astype(F)])
            o += nw + nb
        return ps

    def fg(self, v):
        if self.cache[0] is not None and np.array_equal(self.cache[0], v):
            return self.cache[1], self.cache[2]
        self.evals += 1
        loss, grads = loss_and_grad(self.unflat(v), self.x, self.y, "relu")
        g = np.concatenate([np.concatenate([gW.ravel(), gb]) for gW, gb in grads]).astype(np.float64)
        self.cache = (v.copy(), float(loss), g)
        return float(loss), g

    def iterate(self):
        from scipy.optimize import line_search

        gold = self.g
        alpha, _, _, fnew, _, gnew = line_search(lambda v: self.fg(v)[0], lambda v: self.fg(v)[1], self.theta, self.d, gold, self.f, c1=1e-4, c2=0.1, maxiter=20)
        if alpha is None:  # no Wolfe point: restart along -g
            self.d = -gold
            alpha, _, _, fnew, _, gnew = line_search(lambda v: self.fg(v)[0], lambda v: self.fg(v)[1], self.theta, self.d, gold, self.f, c1=1e-4, c2=0.1, maxiter=20)
            if alpha is None:
                return
        if gnew is None:
            gnew = self.fg(self.theta + alpha * self.d)[1]
        self.theta = self.theta + alpha * self.d
        gg, go = float(gnew @ gnew), float(gold @ gold)
        beta = max(0.0, (gg - float(gnew @ gold)) / go)
        self.since += 1
        if self.since >= self.n_restart or abs(float(gnew @ gold)) >= self.powell * gg:
            beta, self.since = 0.0, 0
        d = -gnew + beta * self.d
        if not float(gnew @ d) < 0:
            d = -gnew
        self.f, self.g, self.d = fnew, gnew, d
        self.k += 1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--steps", type=int, default=5)
    ap.add_argument("--methods", default="mdlam,fenchel,cg")
    ap.add_argument("--data", default=os.path.join(os.path.dirname(__file__), "..", "public", "datasets", "mnist-train.bin"))
    a = ap.parse_args()
    x, y = load_mnist(a.data)
    threads = os.environ.get("OPENBLAS_NUM_THREADS", "default")
    for method in a.methods.split(","):
        ps = init(SIZES, np.random.default_rng(1))
        if method == "mdlam":
            m, step = Mdlam(x, y, ps), None
            step = m.sweep
        elif method == "fenchel":
            m = Fenchel(x, y, ps)
            step = m.sweep
        elif method == "cg":
            m = Cg(x, y, ps)
            step = m.iterate
        else:
            raise SystemExit(f"unknown method {method}")
        step()  # warm-up (and mDLAM's / Fenchel's first sweep, which has no extrapolation)
        evals0 = getattr(m, "evals", 0)
        t0 = time.perf_counter()
        for _ in range(a.steps):
            step()
        ms = (time.perf_counter() - t0) * 1000 / a.steps
        row = {"method": method, "ms_per_step": ms, "threads": threads}
        if method == "cg":
            row["evals_per_step"] = (m.evals - evals0) / a.steps
        print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
