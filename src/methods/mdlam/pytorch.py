# ------------------------------------------------------------------------------------------------------- mDLAM
# Defaults of the paper's method and of the playground's coupled variant (src/methods/mdlam/mdlam.hyper.ts).
MDLAM_DEFAULTS = dict(rho=1, mu=1e-3, eps0=1, epsMin=1e-3, epsDecay=0.5, accelerate=True, exactW=False, innerIters=30,
                      innerSweeps=1, rhoGrowth=1, rhoMax=1000, gamma=0, lossReduction="mean")
MDLAM_COUPLED_DEFAULTS = dict(MDLAM_DEFAULTS, gamma=1, epsDecay=1, exactW=True, mu=1e-5)


def run_mdlam_coupled(p, run, seed, iterations, recorder, dist):
    """The playground's coupled variant of mDLAM (not the paper's method): the same sweep with a coupling term
    (gamma/2N) sum_l ||a_l - ReLU(z_l)||^2 in F and its own defaults (fixed epsilon, exact W)."""
    run_mdlam(p, run, seed, iterations, recorder, dist, MDLAM_COUPLED_DEFAULTS)


def run_mdlam(p, run, seed, iterations, recorder, dist, defaults=None):
    """mDLAM (src/methods/mdlam/mdlam.ts, blocks in src/methods/mdlam/blocks.ts): full batch; one step is
    a Gauss-Seidel sweep l = 1..L over W_l -> b_l -> (z_l -> a_l, or z_L), with Nesterov extrapolation kept only
    when it does not raise that block's terms of F. Summed losses ('sum') are the mean objective with mu / N; the
    W step backtracks in summed units."""
    net = p["net"]
    if net.convolutional:
        raise SystemExit(f"mDLAM: {LIFTED_REFUSALS['mdlam']}")
    if net.hidden_activations() not in ([], ["relu"]) or net.output_link != "softmax" or net.loss != "ce":
        raise SystemExit("mDLAM needs ReLU hidden units and a softmax cross-entropy output")
    if net.weight_decay:
        raise SystemExit("mDLAM minimises the data loss only; its block updates have no weight-decay term")
    if p["frozenBelow"] > 0:
        raise SystemExit("mDLAM trains every layer (frozen layers for fine-tuning are not supported)")
    d = defaults or MDLAM_DEFAULTS
    h = run["hyper"]
    X, Y = p["xTrain"], p["yTrain"]
    N = X.shape[0]
    eps0 = num(h, "eps0", d["eps0"])
    reduction = string(h, "lossReduction", d["lossReduction"])
    if reduction not in ("mean", "sum"):
        raise SystemExit(f'mDLAM loss reduction must be "mean" or "sum", not "{reduction}"')
    loss_scale = N if reduction == "sum" else 1
    cfg = dict(rho=num(h, "rho", d["rho"]), mu=num(h, "mu", d["mu"]) / loss_scale, eps0=eps0,
               epsMin=min(num(h, "epsMin", d["epsMin"]), eps0),
               epsDecay=min(max(num(h, "epsDecay", d["epsDecay"]), 0), 1),
               accelerate=h["accelerate"] if isinstance(h.get("accelerate"), bool) else d["accelerate"],
               exactW=h["exactW"] if isinstance(h.get("exactW"), bool) else d["exactW"],
               innerIters=max(1, round(num(h, "innerIters", d["innerIters"]))),
               innerSweeps=max(1, round(num(h, "innerSweeps", d["innerSweeps"]))),
               rhoGrowth=max(1, num(h, "rhoGrowth", d["rhoGrowth"])), rhoMax=num(h, "rhoMax", d["rhoMax"]),
               # the paper's method has no coupling term whatever the hyperparameters say (gamma is the variant's)
               gamma=max(0, num(h, "gamma", d["gamma"])) if defaults is not None else 0)
    gamma = cfg["gamma"]
    params = [[W.clone(), b.clone()] for W, b in p["initialParams"]]
    L = len(params)
    z, a = [], []
    hcur = X
    for l in range(L):
        zl = hcur @ params[l][0] + params[l][1]
        z.append(zl)
        if l < L - 1:
            hcur = torch.relu(zl)
            a.append(hcur)
    prev_w, prev_a, prev_zl = [None] * L, [None] * (L - 1), [None]
    st = dict(t=1.0, eps=cfg["eps0"], lastF=float("nan"), epsBefore=float("nan"), rhoBefore=float("nan"))

    def a_prev(l):
        return X if l == 0 else a[l - 1]

    def penalty(zl, ap, W, b, rho):
        r = zl - (ap @ W + b)
        return rho / (2 * zl.shape[0]) * float((r * r).sum())

    def w_obj(W, ap, zl, b):
        return penalty(zl, ap, W, b, cfg["rho"]) + cfg["mu"] / 2 * float((W * W).sum())

    def w_grad_step(w_from, ap, zl, b):
        # backtracking in the run's loss units (summed losses: x N), so theta = 1 means what it means in the script
        rho_u, mu_u = cfg["rho"] * loss_scale, cfg["mu"] * loss_scale
        c = rho_u / zl.shape[0]
        r0 = zl - (ap @ w_from + b)
        g = -c * (ap.t() @ r0) + mu_u * w_from
        G = ap @ g
        r00, r0G, GG = float((r0 * r0).sum()), float((r0 * G).sum()), float((G * G).sum())
        ww, wg, gg = float((w_from * w_from).sum()), float((w_from * g).sum()), float((g * g).sum())

        def phi(s):
            return c / 2 * (r00 + 2 * s * r0G + s * s * GG) + mu_u / 2 * (ww - 2 * s * wg + s * s * gg)

        phi0 = phi(0)
        theta = 1.0
        for _ in range(11):
            if phi(1 / theta) <= phi0 - gg / (2 * theta):
                return w_from - (1 / theta) * g, theta, True
            theta *= 2
        return w_from.clone(), theta / 2, False

    def w_exact(ap, zl, b):
        lam = max(cfg["mu"] * zl.shape[0] / cfg["rho"], 1e-6 * zl.shape[0])
        gram = ap.t() @ ap + lam * torch.eye(ap.shape[1], device=ap.device)
        rhs = ap.t() @ (zl - b)
        return torch.cholesky_solve(rhs.double(), torch.linalg.cholesky(gram.double())).to(ap.dtype)

    def coupling(av, rz):
        return gamma / (2 * av.shape[0]) * float(((av - rz) ** 2).sum())

    def a_obj(av, zn, wn, bn, rz):
        return penalty(zn, av, wn, bn, cfg["rho"]) + (coupling(av, rz) if gamma > 0 else 0.0)

    def a_step(a_from, zcur, zn, wn, bn):
        n = a_from.shape[0]
        rz = torch.relu(zcur)
        lo, hi = rz - st["eps"], rz + st["eps"]
        grad = -cfg["rho"] * ((zn - (a_from @ wn + bn)) @ wn.t())
        if gamma > 0:
            grad = grad + gamma * (a_from - rz)
        psi0 = a_obj(a_from, zn, wn, bn, rz) * n
        tau = 1.0
        cand = None
        for _ in range(11):
            cand = torch.minimum(torch.maximum(a_from - (1 / tau) * grad, lo), hi)
            diff = cand - a_from
            psi = n * a_obj(cand, zn, wn, bn, rz)
            if psi <= psi0 + float((grad * diff).sum()) + tau / 2 * float((diff * diff).sum()):
                return cand, tau, True
            tau *= 2
        return cand, tau / 2, False

    def z_out_obj(zv, pv):
        return float(softmax_ce_sum(zv, Y) / zv.shape[0]) + cfg["rho"] / (2 * zv.shape[0]) * float(((zv - pv) ** 2).sum())

    def z_out_fista(z_from, pv, max_iter, tol=1e-4):
        Lc = 0.5
        kappa = (Lc + cfg["rho"]) / cfg["rho"]
        beta = (math.sqrt(kappa) - 1) / (math.sqrt(kappa) + 1)
        zc, zp = z_from.clone(), z_from.clone()
        rho_p = cfg["rho"] * pv
        it = 0
        while it < max_iter:
            v = zc + beta * (zc - zp)
            g = torch.softmax(v, dim=1) - Y
            zn = (Lc * v - g + rho_p) / (Lc + cfg["rho"])
            zp, zc = zc, zn
            it += 1
            if it % 5 == 0 and math.sqrt(float(((zc - zp) ** 2).sum()) / zc.numel()) < tol:
                break
        return zc

    def extrap(xv, pv, omega):
        return xv + omega * (xv - pv)

    input_factor_lam = None
    for k in range(1, iterations + 1):
        tk = (1 + math.sqrt(1 + 4 * st["t"] * st["t"])) / 2
        omega = (st["t"] - 1) / tk if cfg["accelerate"] else 0.0
        st["t"] = tk
        tried = accepted = 0
        thetas, taus = [], []
        for l in range(L):
            # W_l
            ap, zl = a_prev(l), z[l]
            wk, b = params[l]
            phik = w_obj(wk, ap, zl, b)
            theta = float("nan")
            if cfg["exactW"]:
                nxt = w_exact(ap, zl, b)
                if not w_obj(nxt, ap, zl, b) <= phik:
                    nxt = wk.clone()
            else:
                acc = None
                if cfg["accelerate"] and omega > 0 and prev_w[l] is not None:
                    tried += 1
                    cand, th, ok = w_grad_step(extrap(wk, prev_w[l], omega), ap, zl, b)
                    if ok and w_obj(cand, ap, zl, b) <= phik:
                        acc, theta = cand, th
                        accepted += 1
                if acc is None:
                    plain, theta, ok = w_grad_step(wk, ap, zl, b)
                    acc = plain if ok and w_obj(plain, ap, zl, b) <= phik else wk.clone()
                nxt = acc
            prev_w[l] = wk
            params[l][0] = nxt
            thetas.append(theta)
            # b_l: closed form, kept if float32 rounding did not make the penalty worse
            b_new = (zl - ap @ params[l][0]).mean(dim=0)
            if penalty(zl, ap, params[l][0], b_new, cfg["rho"]) <= penalty(zl, ap, params[l][0], params[l][1], cfg["rho"]):
                params[l][1] = b_new
            if l < L - 1:
                tau_first = float("nan")
                for r in range(cfg["innerSweeps"]):
                    # z_l hidden: projection of a_{l-1} W_l + b_l onto the tube constraint
                    pz = a_prev(l) @ params[l][0] + params[l][1]
                    hi_ = a[l] + st["eps"]
                    lo_ = a[l] - st["eps"]
                    if gamma > 0:
                        # the variant: exact minimiser of pen_l + coupling over the tube, per entry (blocks.ts zHiddenCoupled)
                        rho = cfg["rho"]
                        z_neg = torch.clamp(pz, max=0)
                        f_neg = rho / 2 * (z_neg - pz) ** 2 + gamma / 2 * a[l] ** 2
                        neg_ok = a[l].abs() <= st["eps"]
                        z_pos = torch.minimum(torch.maximum((rho * pz + gamma * a[l]) / (rho + gamma), torch.clamp(lo_, min=0)), hi_)
                        f_pos = rho / 2 * (z_pos - pz) ** 2 + gamma / 2 * (a[l] - z_pos) ** 2
                        z[l] = torch.where(neg_ok & (f_neg <= f_pos), z_neg, z_pos)
                    else:
                        upper = torch.minimum(pz, hi_)
                        z[l] = torch.where(lo_ > 0, torch.maximum(upper, lo_), upper)
                    # a_l hidden: projected gradient step, extrapolated with the safeguard
                    om = omega if r == 0 else 0.0
                    ak, zcur, zn = a[l], z[l], z[l + 1]
                    wn, bn = params[l + 1]
                    rzc = torch.relu(zcur)
                    psik = a_obj(ak, zn, wn, bn, rzc)
                    feasible = float((ak - torch.relu(zcur)).abs().max()) - st["eps"] <= 1e-6 * max(1, st["eps"])
                    nxt_a, tau = None, float("nan")
                    if cfg["accelerate"] and om > 0 and prev_a[l] is not None and feasible:
                        tried += 1
                        cand, tau, ok = a_step(extrap(ak, prev_a[l], om), zcur, zn, wn, bn)
                        if ok and a_obj(cand, zn, wn, bn, rzc) <= psik:
                            nxt_a = cand
                            accepted += 1
                    if nxt_a is None:
                        plain, tau, ok = a_step(ak, zcur, zn, wn, bn)
                        if not feasible or (ok and a_obj(plain, zn, wn, bn, rzc) <= psik):
                            nxt_a = plain
                        else:
                            nxt_a = ak.clone()
                    if r == 0:
                        prev_a[l] = ak
                        tau_first = tau
                    a[l] = nxt_a
                taus.append(tau_first)
            else:
                # z_L output: inner FISTA from the extrapolated (then, if rejected, the current) point
                ap = X if L == 1 else a[L - 2]
                pv = ap @ params[L - 1][0] + params[L - 1][1]
                zk = z[L - 1]
                hk = z_out_obj(zk, pv)
                nz = None
                if cfg["accelerate"] and omega > 0 and prev_zl[0] is not None:
                    tried += 1
                    cand = z_out_fista(extrap(zk, prev_zl[0], omega), pv, cfg["innerIters"])
                    if z_out_obj(cand, pv) <= hk:
                        nz = cand
                        accepted += 1
                if nz is None:
                    plain = z_out_fista(zk, pv, cfg["innerIters"])
                    nz = plain if z_out_obj(plain, pv) <= hk else zk.clone()
                prev_zl[0] = zk
                z[L - 1] = nz
        # diagnostics: lifted objective F (in the run's loss units), per-layer residuals, the freeze diagnostics
        # (relative change of W over the sweep, lifted z vs the forward pass's pre-activation), forward loss
        Fv = float(softmax_ce_sum(z[L - 1], Y) / N)
        lin, gap, rel_w, fwd_gap = [], [], [], []
        hf = X
        for l in range(L):
            pen = penalty(z[l], a_prev(l), params[l][0], params[l][1], cfg["rho"])
            Fv += pen + cfg["mu"] / 2 * float((params[l][0] ** 2).sum())
            lin.append(math.sqrt(pen / (cfg["rho"] / (2 * N)) / (net.sizes[l + 1] * N)))
            pw = prev_w[l]
            rel_w.append(float(torch.norm(params[l][0] - pw)) / max(float(torch.norm(pw)), 1e-30) if pw is not None else float("nan"))
            z_fwd = hf @ params[l][0] + params[l][1]
            fwd_gap.append(math.sqrt(float(((z[l] - z_fwd) ** 2).sum()) / (net.sizes[l + 1] * N)))
            if l < L - 1:
                hf = torch.relu(z_fwd)
                rzl = torch.relu(z[l])
                gap.append(math.sqrt(float(((a[l] - rzl) ** 2).sum()) / (net.sizes[l + 1] * N)))
                if gamma > 0:
                    Fv += coupling(a[l], rzl)
        Fv *= loss_scale
        train_loss = float(loss_sum(forward_all(params, net, X)[-1], Y, net) / N)
        extra = dict(objective=Fv, eps=st["eps"])
        if math.isfinite(st["lastF"]) and Fv > st["lastF"] + 1e-6 * abs(st["lastF"]):
            extra["objectiveRose"] = 1
        if k > 1 and st["epsBefore"] != st["eps"]:
            extra["epsChanged"] = 1
        if cfg["rhoGrowth"] > 1:
            extra["rho"] = cfg["rho"]
            if k > 1 and st["rhoBefore"] != cfg["rho"]:
                extra["rhoChanged"] = 1
        if tried > 0:
            extra["extrapAccepted"] = accepted / tried
        for l in range(L):
            extra[f"layer{l + 1}.linResidual"] = lin[l]
            extra[f"layer{l + 1}.relChangeW"] = rel_w[l]
            extra[f"layer{l + 1}.forwardGap"] = fwd_gap[l]
            if not cfg["exactW"]:
                extra[f"layer{l + 1}.theta"] = thetas[l]
            if l < L - 1:
                extra[f"layer{l + 1}.actGap"] = gap[l]
                extra[f"layer{l + 1}.tau"] = taus[l]
        st["lastF"], st["epsBefore"], st["rhoBefore"] = Fv, st["eps"], cfg["rho"]
        if cfg["rhoGrowth"] > 1 and cfg["rho"] < cfg["rhoMax"]:
            cfg["rho"] = min(cfg["rho"] * cfg["rhoGrowth"], cfg["rhoMax"])
        st["eps"] = max(st["eps"] * cfg["epsDecay"], cfg["epsMin"])
        m = dict(loss=train_loss, gradNorm=float("nan"), cost=float(k), extra=extra)
        if recorder.record(k, m, params, k == iterations):
            break


METHODS["mdlam"] = run_mdlam
METHODS["mdlam-coupled"] = run_mdlam_coupled
LIFTED.update({"mdlam", "mdlam-coupled"})
LIFTED_REFUSALS.update({k: "mDLAM is defined by its paper for fully connected layers only; this network has convolution layers. "
                           "Train it with SGD, Adam, CG, Adam -> CG or monotone VI, or use a dense network for mDLAM"
                        for k in ("mdlam", "mdlam-coupled")})
