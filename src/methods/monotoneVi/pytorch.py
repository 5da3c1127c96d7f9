# ------------------------------------------------------------------------------------------------- monotone VI
def penultimate(params, net, x):
    """Features H = X_{L-1} of the bottom of the network (any stages, convolutions included)."""
    return forward_all(params[:-1], net, x)[-1]


def field_lipschitz(p):
    """L_F = lambda_max([H,1]^T[H,1]/N) * max phi' (power iteration in float64 on the float32 Gram matrix)."""
    h = penultimate(p["initialParams"], p["net"], p["xTrain"])
    ha = torch.cat([h, torch.ones(h.shape[0], 1, device=h.device)], dim=1)
    g = ((ha.t() @ ha) / h.shape[0]).double()
    n = g.shape[0]
    v = torch.full((n,), 1 / math.sqrt(n), dtype=torch.float64, device=g.device)
    lam = 0.0
    for _ in range(500):
        w = g @ v
        norm = float(torch.sqrt((w * w).sum()))
        if norm == 0:
            lam = 0.0
            break
        v = w / norm
        if abs(norm - lam) <= 1e-10 * norm:
            lam = norm
            break
        lam = norm
    slope = {"sigmoid": 0.25, "softmax": 0.5}.get(p["net"].output_link, 1.0)
    return lam * slope


def glm_empirical_zero(x, y, link):
    """The zero of the training-set GLM field by damped Newton in float64 (None when it has no finite zero)."""
    x = x.double()
    y = y.double().reshape(-1)
    n, d = x.shape
    xa = torch.cat([x, torch.ones(n, 1, dtype=torch.float64, device=x.device)], dim=1)
    theta = torch.zeros(d + 1, dtype=torch.float64, device=x.device)

    def potential(t):
        z = xa @ t
        big = F.softplus(z) if link == "sigmoid" else 0.5 * z * z
        return float((big - y * z).sum() / n)

    for _ in range(100):
        z = xa @ theta
        phi = torch.sigmoid(z) if link == "sigmoid" else z
        w = phi * (1 - phi) if link == "sigmoid" else torch.ones_like(z)
        grad = xa.t() @ (phi - y) / n
        if float(grad.norm()) < 1e-12:
            return theta
        hess = (xa.t() * w) @ xa / n
        try:
            step = torch.cholesky_solve(grad.reshape(-1, 1), torch.linalg.cholesky(hess)).reshape(-1)
        except RuntimeError:
            return None
        f0 = potential(theta)
        dec = float(grad @ step)
        t = 1.0
        while True:
            trial = theta - t * step
            if potential(trial) <= f0 - 0.25 * t * dec or t < 1e-10:
                break
            t /= 2
        theta = trial
    return None


def vi_field_and_grad(params, net, x, y, train_from, scope, hidden_div_batch, batch_rows=None):
    """Field and gradient from one forward/backward pass (src/engine/fields.ts fieldAndGradient); a convolution
    layer's field is its filter gradient for the signal at its activation before pooling. `batch_rows` is
    the size of the whole batch when x is one process's share of it (the hidden field's optional division)."""
    L = len(params)
    tf_ = train_from if scope == "full" else max(train_from, L - 1)
    loss, grads, up, acts = backprop(params, net, x, y, frozen_below=tf_, keep_upstream=True)
    field = []
    for l in range(L):
        if l < tf_:
            field.append([torch.zeros_like(params[l][0]), torch.zeros_like(params[l][1])])
            continue
        g = up[l]
        if hidden_div_batch and l < L - 1:
            g = g / (x.shape[0] if batch_rows is None else batch_rows)
        f = weight_grad_from_signal(net.stages[l], acts[l], g, params[l][0], params[l][1])
        if net.weight_decay:
            # the gradient of the convex penalty keeps the field monotone; its zero is the regularised problem's
            f = [f[0] + net.weight_decay * params[l][0], f[1]]
        field.append(f)
    return loss, field, grads


def run_vi(p, run, seed, iterations, recorder, dist):
    """Monotone VI training at its three scopes (src/methods/monotoneVi/monotoneVi.ts)."""
    h = run["hyper"]
    net = p["net"]
    L = len(net.sizes) - 1
    scope = string(h, "scope", "full")
    rule_name = string(h, "rule", "constant")
    if scope == "single" and L != 1:
        raise SystemExit('VI scope "single layer" needs a network without hidden layers')
    train_from = p["frozenBelow"] if scope == "full" else L - 1
    lr = num(h, "lr", 0)
    if lr > 0:
        gamma0 = lr
    elif rule_name == "adam":
        gamma0 = 0.01
    elif scope == "full":
        gamma0 = 0.15
    else:
        gamma0 = 2 / field_lipschitz(p)
        if rule_name == "momentum":
            gamma0 *= 1 - num(h, "momentum", 0.9)
    mu = num(h, "momentum", 0.9) if rule_name == "momentum" else 0
    rule_h = dict(lr=gamma0, momentum=mu, beta1=num(h, "beta1", 0.9), beta2=num(h, "beta2", 0.999), eps=num(h, "eps", 1e-8))
    rule_kind = "adam" if rule_name == "adam" else "sgd"
    params = [[W.clone().requires_grad_(True), b.clone().requires_grad_(True)] for W, b in p["initialParams"]]
    tensors = [t for layer in params for t in layer]
    rule = Rule(tensors, rule_kind, rule_h)
    avg = [[W.detach().clone(), b.detach().clone()] for W, b in params] if rule_name == "averaged" else None
    use_field = string(h, "direction", "field") != "gradient"
    k0 = max(1, num(h, "k0", 100))
    hidden_div = h.get("hiddenDivBatch") is True
    warm = max(0, math.floor(num(h, "warmStart", 0)))
    mono_every = max(0, math.floor(num(h, "monoEvery", 1)))
    batcher = Batcher(p["xTrain"].shape[0], p["batchSize"], seed)
    theta_star = theta_hat = None
    if len(net.sizes) == 2 and net.sizes[1] == 1:
        if p.get("plantedTheta") is not None:
            theta_star = p["plantedTheta"].to(p["xTrain"].device)
        if net.output_link in ("sigmoid", "identity"):
            z = glm_empirical_zero(p["xTrain"], p["yTrain"], net.output_link)
            theta_hat = z.to(torch.float32) if z is not None else None
    prev_theta = prev_dir = None
    trained = list(range(train_from, L))
    cost = 0.0
    for k in range(iterations):
        extra = {}
        follow = use_field and (warm == 0 or k < warm)
        if warm > 0:
            if use_field and k == warm:
                rule = Rule(tensors, rule_kind, rule_h)
                prev_theta = prev_dir = None
                if avg is not None:
                    avg = [[W.detach().clone(), b.detach().clone()] for W, b in params]
                extra["warmSwitch"] = 1
                follow = False
            extra["phase"] = 0 if follow else 1
        gamma = gamma0 / (1 + k / k0) if rule_name == "decreasing" else gamma0
        rule.set_lr(gamma)
        extra["stepUsed"] = gamma
        x, y = batch_of(p, batcher.next())
        n_rows = x.shape[0]
        with torch.no_grad():
            cur = [[W.detach(), b.detach()] for W, b in params]
            if dist.enabled:
                lo, hi = dist.rows(n_rows)
                loss, field, grads = vi_field_and_grad(cur, net, x[lo:hi], y[lo:hi], train_from, scope, hidden_div, n_rows)
                # each process's field and gradient are means over its rows: weight by its share, then sum
                share = (hi - lo) / n_rows
                loss = dist.all_sum(loss * share)
                for lst in (field, grads):
                    for layer in lst:
                        for t in layer:
                            t.mul_(share)
                            dist.all_sum(t)
            else:
                loss, field, grads = vi_field_and_grad(cur, net, x, y, train_from, scope, hidden_div)
            direction = field if follow else grads
            f_sq = g_sq = fg = 0.0
            for l in trained:
                ff = sum_sq(field[l])
                gg = sum_sq(grads[l])
                fgv = sum(float((a.double() * b.double()).sum()) for a, b in zip(field[l], grads[l]))
                f_sq, g_sq, fg = f_sq + ff, g_sq + gg, fg + fgv
                extra[f"layer{l + 1}.fieldNorm"] = math.sqrt(ff)
                extra[f"layer{l + 1}.gradNorm"] = math.sqrt(gg)
                extra[f"layer{l + 1}.cosine"] = fgv / math.sqrt(ff * gg) if ff * gg > 0 else float("nan")
            extra["fieldNorm"], extra["gradNorm"] = math.sqrt(f_sq), math.sqrt(g_sq)
            extra["cosine"] = fg / math.sqrt(f_sq * g_sq) if f_sq * g_sq > 0 else float("nan")
            if mono_every > 0 and prev_theta is not None and k % mono_every == 0:
                pd = prev_dir
                if pd is None:
                    prev_params = [cur[l] if l < train_from else prev_theta[l - train_from] for l in range(L)]
                    _, pf, pg = vi_field_and_grad(prev_params, net, x, y, train_from, scope, hidden_div)
                    pd = (pf if follow else pg)[train_from:]
                m = dsq = 0.0
                for i, l in enumerate(trained):
                    for j in range(2):
                        dth = (cur[l][j] - prev_theta[i][j]).double()
                        m += float(((direction[l][j] - pd[i][j]).double() * dth).sum())
                        dsq += float((dth * dth).sum())
                extra["mono"] = m
                extra["monoRatio"] = m / dsq if dsq > 0 else float("nan")
            if mono_every > 0:
                prev_theta = [[cur[l][0].clone(), cur[l][1].clone()] for l in trained]
                prev_dir = [[direction[l][0].clone(), direction[l][1].clone()] for l in trained] if batcher.full else None
        rule.step([t for layer in direction for t in layer])
        with torch.no_grad():
            if avg is not None:
                count = k - warm + 1 if warm > 0 and k >= warm else k + 1
                avg = [[a + (q.detach() - a) / count for a, q in zip(al, pl)] for al, pl in zip(avg, params)]
                reported = avg
            else:
                reported = [[W.detach(), b.detach()] for W, b in params]
            if theta_star is not None or theta_hat is not None:
                theta = torch.cat([reported[0][0].reshape(-1), reported[0][1]])
                if theta_star is not None:
                    extra["thetaErr"] = float((theta - theta_star).norm() / theta_star.norm())
                if theta_hat is not None:
                    zt = p["xTrain"] @ reported[0][0] + reported[0][1]
                    r = (apply_link(zt, net.output_link) - p["yTrain"]) / p["xTrain"].shape[0]
                    fl = torch.cat([(p["xTrain"].t() @ r).reshape(-1), r.sum(dim=0)])
                    extra["thetaHatErr"] = float((theta - theta_hat).norm() / theta_hat.norm())
                    extra["gap"] = float((fl * (theta - theta_hat)).sum())
        cost += batcher.fraction
        m = dict(loss=float(loss), gradNorm=math.sqrt(g_sq), cost=cost, extra=extra)
        if recorder.record(k + 1, m, reported, k + 1 == iterations):
            break


METHODS["vi"] = run_vi
