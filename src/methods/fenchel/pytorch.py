# ----------------------------------------------------------------------------------------------------- Fenchel
def biconvex_b(u, v):
    return 0.5 * (v * v + torch.relu(u) ** 2) - u * v


def fenchel_lambda_at(h, k):
    l0 = num(h, "lambda", 1)
    if h.get("lambdaSchedule") is not True:
        return l0
    return min(l0 * num(h, "lambdaGrowth", 1.05) ** k, max(num(h, "lambdaCap", 100), l0))


class FrobeniusBound:
    """Squared Frobenius norms as Lipschitz bounds (src/methods/fenchel/blocks.ts FROBENIUS_BOUND)."""

    def matrix(self, key, m):
        return float((m * m).sum())

    def augmented(self, key, a):
        return float((a * a).sum()) + a.shape[0]


class SpectralBound:
    """Squared spectral norms by power iteration, warm-started between sweeps (src/methods/fenchel/blocks.ts
    SpectralBound): 30 iterations from a fixed start, then 3 per sweep, times a 5 % margin, never above Frobenius."""

    def __init__(self, warm=3, cold=30, margin=1.05):
        self.warm, self.cold, self.margin, self.vectors = warm, cold, margin, {}

    def _power(self, key, cols, apply, frob, like):
        old = self.vectors.get(key)
        warm = old is not None and old.shape[0] == cols
        v = old if warm else (1 + torch.linspace(0, 1, cols, dtype=like.dtype, device=like.device)) / math.sqrt(cols)
        est = torch.zeros((), dtype=like.dtype, device=like.device)
        for _ in range(self.warm if warm else self.cold):
            w = apply(v)
            est = w.norm()
            v = w / torch.clamp(est, min=1e-30)
        self.vectors[key] = v
        return min(float(est) * self.margin, frob)

    def matrix(self, key, m):
        return self._power(key, m.shape[1], lambda v: m.t() @ (m @ v), float((m * m).sum()), m)

    def augmented(self, key, a):
        d = a.shape[1]

        def apply(v):
            u = a @ v[:d] + v[d]
            return torch.cat([a.t() @ u, u.sum().reshape(1)])

        return self._power(key, d + 1, apply, float((a * a).sum()) + a.shape[0], a)


def solve_block(value, grad, lip, x0, steps, solver, nonneg):
    """`steps` projected-gradient steps of size 1/lip, or monotone FISTA (src/methods/fenchel/blocks.ts solveBlock)."""

    def gstep(yv):
        g = grad(yv)
        out = [t - gi / lip for t, gi in zip(yv, g)]
        return [torch.relu(t) for t in out] if nonneg else out

    before = value(x0)
    x = [t.clone() for t in x0]
    if solver == "pg":
        for _ in range(steps):
            x = gstep(x)
        return x, before, value(x)
    yp = [t.clone() for t in x]
    fx = before
    t = 1.0
    for _ in range(steps):
        tn = (1 + math.sqrt(1 + 4 * t * t)) / 2
        zc = gstep(yp)
        fz = value(zc)
        take = fz <= fx
        xn = [zi if take else xi for zi, xi in zip(zc, x)]
        fx = min(fz, fx)
        yp = [xi + (t / tn) * (zi - xi) + ((t - 1) / tn) * (xi - xo) for xi, zi, xo in zip(xn, zc, x)]
        x = xn
        t = tn
    return x, before, fx


def run_fenchel(p, run, seed, iterations, recorder, dist):
    """Fenchel lifted networks by block-coordinate descent (src/methods/fenchel/fenchel.ts, blocks in
    src/methods/fenchel/blocks.ts): activation blocks last to first, then weight blocks first to last."""
    net = p["net"]
    if net.convolutional:
        raise SystemExit(f"Fenchel lifted BCD: {LIFTED_REFUSALS['fenchel']}")
    if net.hidden_activations() not in ([], ["relu"]) or net.output_link != "softmax" or net.loss != "ce":
        raise SystemExit("Fenchel lifted BCD needs ReLU hidden layers and a softmax cross-entropy output")
    if net.weight_decay:
        raise SystemExit("Fenchel lifted BCD minimises the data loss only; its block updates have no weight-decay term")
    if p["frozenBelow"] > 0:
        raise SystemExit("Fenchel lifted BCD trains every layer (frozen layers are not supported)")
    h = run["hyper"]
    bias = num(h, "initBias", 0.1)
    params = [[W.clone(), torch.full_like(b, bias)] for W, b in p["initialParams"]]
    L = len(params)
    n_all = p["xTrain"].shape[0]
    batcher = Batcher(n_all, p["batchSize"], seed)
    c, rho, rho_d, rho_d_out = num(h, "c", 1), num(h, "rho", 1e-4), num(h, "rhoD", 0), num(h, "rhoDOut", 0)
    steps = max(1, round(num(h, "innerSteps", 20)))
    solver = "fista" if h.get("solver") == "fista" else "pg"

    def forward_acts(prm, x):
        out, prev = [], x
        for l in range(1, L):
            prev = torch.relu(prev @ prm[l - 1][0] + prm[l - 1][1])
            out.append(prev)
        return out

    def ce_mean(z, y):
        return softmax_ce_sum(z, y) / z.shape[0]

    def terms(prm, acts, x, y, lambdas):
        n = x.shape[0]
        pen, meanb, mism = [], [], []
        prev = x
        for l in range(1, L):
            z = prev @ prm[l - 1][0] + prm[l - 1][1]
            av = acts[l - 1]
            s = biconvex_b(z, av).sum()
            pen.append(s / n)
            meanb.append(float(s / (n * av.shape[1])))
            mism.append(float(torch.sqrt(((av - torch.relu(z)) ** 2).sum() / (n * av.shape[1]))))
            prev = av
        ce = ce_mean(prev @ prm[L - 1][0] + prm[L - 1][1], y)
        ridge = rho * sum((W * W).sum() for W, _ in prm)
        obj = ce + ridge
        for i, pv in enumerate(pen):
            obj = obj + lambdas[i] * pv
        return float(obj), float(ridge), float(ce), meanb, mism

    def prox(W, b, W0, b0, rd):
        v = rho * (W * W).sum()
        if rd > 0:
            v = v + rd * (((W - W0) ** 2).sum() + ((b - b0) ** 2).sum())
        return v

    def prox_grads(W, b, W0, b0, rd):
        gW, gb = 2 * rho * W, torch.zeros_like(b)
        if rd > 0:
            gW = gW + 2 * rd * (W - W0)
            gb = 2 * rd * (b - b0)
        return gW, gb

    acts_full = forward_acts(params, p["xTrain"]) if batcher.full else []
    forward_loss_prev = float(loss_sum(forward_all(params, net, p["xTrain"])[-1], p["yTrain"], net) / n_all) if batcher.full else float("nan")
    prev_lifted, prev_lambda = float("nan"), fenchel_lambda_at(h, 0)
    # §5 (Fenchel row): spectral-norm steps unless the run asks for the cheaper Frobenius bounds, as the engine does.
    norms = FrobeniusBound() if h.get("lipschitz") == "frobenius" else SpectralBound()
    cost = 0.0
    for k in range(iterations):
        lam = fenchel_lambda_at(h, k)
        lambdas = [lam] * (L - 1)
        x, y = batch_of(p, batcher.next())
        n = x.shape[0]
        acts = acts_full if batcher.full else forward_acts(params, x)
        records = []
        # activation blocks, last to first
        for l in range(L - 1, 0, -1):
            prev = x if l == 1 else acts[l - 2]
            z = prev @ params[l - 1][0] + params[l - 1][1]
            if l == L - 1:
                Wo, bo = params[L - 1]
                lip = (0.5 * c * norms.matrix(f"W{l + 1}", Wo) + lambdas[l - 1]) / n
                value = lambda v, z=z, Wo=Wo, bo=bo, lm=lambdas[l - 1]: float(c * ce_mean(v[0] @ Wo + bo, y) + lm / n * biconvex_b(z, v[0]).sum())
                grad = lambda v, z=z, Wo=Wo, bo=bo, lm=lambdas[l - 1]: [(c * ((torch.softmax(v[0] @ Wo + bo, dim=1) - y) @ Wo.t()) + lm * (v[0] - z)) / n]
            else:
                Wn, bn = params[l]
                an = acts[l]
                cl = c * lambdas[l]
                lip = (cl * norms.matrix(f"W{l + 1}", Wn) + lambdas[l - 1]) / n
                value = lambda v, z=z, Wn=Wn, bn=bn, an=an, lm=lambdas[l - 1], cl=cl: float((lm * biconvex_b(z, v[0]).sum() + cl * biconvex_b(v[0] @ Wn + bn, an).sum()) / n)
                grad = lambda v, z=z, Wn=Wn, bn=bn, an=an, lm=lambdas[l - 1], cl=cl: [(lm * (v[0] - z) + cl * ((torch.relu(v[0] @ Wn + bn) - an) @ Wn.t())) / n]
            xs, before, after = solve_block(value, grad, lip, [acts[l - 1]], steps, solver, True)
            acts[l - 1] = xs[0]
            records.append(("activation", l, before, after))
        lifted_at_opt = terms(params, acts, x, y, lambdas)
        lifted_at_opt = lifted_at_opt[0] - lifted_at_opt[1]
        # weight blocks, first to last
        for l in range(1, L + 1):
            prev = x if l == 1 else acts[l - 2]
            W0, b0 = params[l - 1]
            if l < L:
                aout, lm = acts[l - 1], lambdas[l - 1]
                lip = lm / n * norms.augmented(f"A{l - 1}", prev) + 2 * rho + 2 * rho_d
                value = lambda v, prev=prev, aout=aout, lm=lm, W0=W0, b0=b0: float(lm / n * biconvex_b(prev @ v[0] + v[1], aout).sum() + prox(v[0], v[1], W0, b0, rho_d))

                def grad(v, prev=prev, aout=aout, lm=lm, W0=W0, b0=b0):
                    r = lm / n * (torch.relu(prev @ v[0] + v[1]) - aout)
                    pW, pb = prox_grads(v[0], v[1], W0, b0, rho_d)
                    return [prev.t() @ r + pW, r.sum(dim=0) + pb]
            else:
                lip = 0.5 / n * norms.augmented(f"A{l - 1}", prev) + 2 * rho + 2 * rho_d_out
                value = lambda v, prev=prev, W0=W0, b0=b0: float(ce_mean(prev @ v[0] + v[1], y) + prox(v[0], v[1], W0, b0, rho_d_out))

                def grad(v, prev=prev, W0=W0, b0=b0):
                    r = (torch.softmax(prev @ v[0] + v[1], dim=1) - y) / n
                    pW, pb = prox_grads(v[0], v[1], W0, b0, rho_d_out)
                    return [prev.t() @ r + pW, r.sum(dim=0) + pb]
            xs, before, after = solve_block(value, grad, lip, [W0, b0], steps, solver, False)
            params[l - 1] = [xs[0], xs[1]]
            records.append(("weight", l, before, after))
        lifted, ridge, lifted_ce, meanb, mism = terms(params, acts, x, y, lambdas)
        fl, grads, _, _ = backprop(params, net, x, y)
        forward_loss = float(fl)
        g2 = sum_sq([t for g in grads for t in g])
        extra = dict(liftedObjective=lifted, liftedData=lifted - ridge, ridge=ridge, liftedCE=lifted_ce, forwardLoss=forward_loss,
                     liftedAtBlockOptimum=lifted_at_opt, **{"lambda": lam})
        if batcher.full:
            extra["forwardLossAtSameWeights"] = forward_loss_prev
        for l in range(1, L):
            extra[f"layer{l}.B"] = meanb[l - 1]
            extra[f"layer{l}.mismatch"] = mism[l - 1]

        def rose(b_, a_):
            return a_ > b_ + 1e-5 * abs(b_) + 1e-9

        any_rose, max_rel = False, -math.inf
        for kind, layer, before, after in records:
            any_rose = any_rose or rose(before, after)
            max_rel = max(max_rel, (after - before) / max(abs(before), 1e-12))
            extra[f"layer{layer}.{'actBlockDrop' if kind == 'activation' else 'weightBlockDrop'}"] = before - after
        extra["blockMaxRelChange"] = max_rel
        if any_rose:
            extra["blockRose"] = 1
        if batcher.full and c == 1 and lam == prev_lambda and math.isfinite(prev_lifted) and rose(prev_lifted, lifted):
            extra["liftedRose"] = 1
        prev_lifted, prev_lambda, forward_loss_prev = lifted, lam, forward_loss
        cost += batcher.fraction
        m = dict(loss=forward_loss, gradNorm=math.sqrt(g2), cost=cost, extra=extra)
        if recorder.record(k + 1, m, params, k + 1 == iterations):
            break


METHODS["fenchel"] = run_fenchel
LIFTED.add("fenchel")
LIFTED_REFUSALS["fenchel"] = "the PyTorch export of Fenchel lifted BCD lifts dense layers only (the app also lifts convolution layers)"
