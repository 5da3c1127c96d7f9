# ---------------------------------------------------------------------------------------------- conjugate gradient
class CG:
    """Nonlinear CG over a float64 parameter vector (src/methods/cg/cg.ts): PR+ (or FR), restarts every
    n_restart iterations, Powell's test and non-descent; strong-Wolfe line search; the loss and gradient are
    evaluated in the network's float32 by `objective(theta64) -> (f, g64)`."""

    def __init__(self, objective, x0, known=None, opts=None):
        self.opts = opts
        self.x = x0.clone()
        f, g = known if known is not None else objective(self.x)
        self.evals = 0 if known is not None else 1
        self.f, self.g = f, g.clone()
        self.d = -self.g
        self.gtd = -dot(self.g, self.g)
        self.alpha_prev = self.gtd_prev = float("nan")
        self.k = 0
        self.since_restart = 0
        self.finished = None

    def refresh(self, objective):
        self.f, g = objective(self.x)
        self.evals += 1
        self.g = g.clone()
        self.gtd = dot(self.g, self.d)
        if not self.gtd < 0:
            self.d = -self.g
            self.gtd = -dot(self.g, self.g)
            self.since_restart = 0
            return 3
        return 0

    def _search(self, objective, d, gtd, alpha1):
        o = self.opts

        def phi(alpha):
            f, g = objective(self.x + alpha * d)
            return f, dot(g, d), g

        return strong_wolfe(phi, self.f, gtd, alpha1, o["c1"], o["c2"], o["maxEvals"])

    def iterate(self, objective):
        gnorm0 = math.sqrt(dot(self.g, self.g))
        info = dict(alpha=0.0, beta=0.0, restart=0, lineSearchEvals=0, dirDeriv=self.gtd, f=self.f, gradNorm=gnorm0)
        if self.finished:
            return dict(info, finished=self.finished)
        if gnorm0 == 0:
            self.finished = "the gradient is exactly zero"
            return dict(info, finished=self.finished)
        first = 1 / gnorm0
        alpha1 = first if self.k == 0 or not math.isfinite(self.alpha_prev) else self.alpha_prev * self.gtd_prev / self.gtd
        d, gtd, restart = self.d, self.gtd, 0
        status, acc, evals = self._search(objective, d, gtd, alpha1)
        if acc is None:
            d = -self.g
            gtd = -dot(self.g, self.g)
            restart = 4
            status, acc, e2 = self._search(objective, d, gtd, first)
            evals += e2
        self.evals += evals
        if acc is None:
            self.finished = (f"converged to float32 precision: the line search found no decrease along d nor along -g "
                             f"(loss {self.f:.6g}, |g| {gnorm0:.2e})")
            return dict(info, restart=restart, lineSearchEvals=evals, dirDeriv=gtd, finished=self.finished)
        g_old, g_new = self.g, acc["payload"].clone()
        x = self.x + acc["alpha"] * d
        gg = dot(g_new, g_new)
        gold_sq = dot(g_old, g_old)
        gng = dot(g_new, g_old)
        beta = gg / gold_sq if self.opts["variant"] == "fr" else max(0.0, (gg - gng) / gold_sq)
        since = 1 if restart == 4 else self.since_restart + 1
        if since >= self.opts["nRestart"]:
            restart = 1
        elif abs(gng) >= self.opts["powell"] * gg:
            restart = 2
        if restart in (1, 2):
            beta = 0.0
        d_new = -g_new + beta * d
        gtd_new = dot(g_new, d_new)
        if not gtd_new < 0:
            restart, beta = 3, 0.0
            d_new = -g_new
            gtd_new = -gg
        self.x, self.f, self.g = x, acc["f"], g_new
        self.alpha_prev, self.gtd_prev = acc["alpha"], gtd
        self.d, self.gtd = d_new, gtd_new
        self.k += 1
        self.since_restart = 0 if beta == 0 else since
        return dict(alpha=acc["alpha"], beta=beta, restart=restart, lineSearchEvals=evals, dirDeriv=gtd, f=acc["f"],
                    gradNorm=math.sqrt(gg), status=status)


def curvature_along(objective, x, g, d, rel=1e-3):
    dn = math.sqrt(dot(d, d))
    if dn == 0:
        return float("nan")
    eps = rel * max(1.0, math.sqrt(dot(x, x))) / dn
    _, g2 = objective(x + eps * d)
    return dot(d, g2 - g) / (eps * dn * dn)


def cg_options(h):
    c1 = num(h, "c1", 1e-4)
    c2 = num(h, "c2", 0.1)
    if not c2 > c1:
        c2 = min(0.9, 10 * c1)
    return dict(c1=c1, c2=c2, variant="fr" if string(h, "cgVariant", "pr+") == "fr" else "pr+",
                nRestart=max(1, round(num(h, "nRestart", 50))), powell=0.1, maxEvals=max(2, round(num(h, "maxLineSearchEvals", 20))))


class CgPhase:
    """One CG iteration per step on the network's loss (src/methods/cg/cgNetwork.ts, cgStep): full batch, or a
    mini-batch redrawn every iteration (cgBatch, its own seeded stream). CG alone runs it from the first step; a
    method that switches to CG part-way, from its switch. Each call takes the run's cost so far and
    returns it with what the call spent added, in the engine's order of additions."""

    def __init__(self, p, model, grad, h, seed):
        self.p, self.model, self.grad = p, model, grad
        self.n = p["xTrain"].shape[0]
        cg_batch = round(num(h, "cgBatch", 0))
        self.batcher = Batcher(self.n, cg_batch, derive_seed(seed, "cg-batches")) if 0 < cg_batch < self.n else None
        self.opts = cg_options(h)
        self.probe = h.get("probe") is True
        self.cg = None
        self.full_objective = self.objective_on(p["xTrain"], p["yTrain"])

    def objective_on(self, x, y):
        def evaluate_at(theta):
            self.model.load_flat(theta)
            f, grads = self.grad(x, y)
            return f, torch.cat([t.reshape(-1) for g in grads for t in g]).double()
        return evaluate_at

    def theta(self):
        return torch.cat([t.detach().reshape(-1) for t in self.model.parameters()]).double()

    def start(self, cost, known=None):
        """Starts CG at the module's weights (full batch: now, from `known` = (f, g) when given; mini-batch: at the
        first step)."""
        if self.batcher is not None:
            return cost
        self.cg = CG(self.full_objective, self.theta(), known, self.opts)
        cost += self.cg.evals
        self.cg.evals = 0
        return cost

    def step(self, cost):
        """One CG iteration: (metrics, stop message or None, cost)."""
        unit = 1.0
        refresh_restart = 0
        if self.batcher is not None:
            x, y = batch_of(self.p, self.batcher.next())
            obj = self.objective_on(x, y)
            unit = self.batcher.size / self.n
            if self.cg is None:
                self.cg = CG(obj, self.theta(), None, self.opts)
            else:
                refresh_restart = self.cg.refresh(obj)
        else:
            obj = self.full_objective
            if self.cg is None:
                self.cg = CG(obj, self.theta(), None, self.opts)
        cg = self.cg
        info = cg.iterate(obj)
        extra = dict(phase=1, alpha=info["alpha"], beta=info["beta"], lineSearchEvals=info["lineSearchEvals"],
                     dirDeriv=info["dirDeriv"], epochLoss=info["f"], epochGradNorm=info["gradNorm"])
        restart = info["restart"] or refresh_restart
        if restart:
            extra.update(restart=1, restartReason=restart)
        if self.probe and not info.get("finished"):
            extra["curvature"] = curvature_along(obj, cg.x, cg.g, cg.d)
            cost += unit
        cost += cg.evals * unit
        cg.evals = 0
        self.model.load_flat(cg.x)  # the module holds theta_k (float32) whatever the line search tried last
        m = dict(loss=info["f"], gradNorm=info["gradNorm"], extra=extra)
        if info.get("finished") and self.batcher is not None:
            extra["noDecrease"] = 1
            cg.finished = None
            cg.d = -cg.g
            cg.gtd = -dot(cg.g, cg.g)
            return m, None, cost
        return m, info.get("finished"), cost


def run_cg(p, run, seed, iterations, recorder, dist):
    """CG alone from the first step, one iteration per step (src/methods/cg/cgNetwork.ts)."""
    model = MLP(p["initialParams"], p["net"], p["frozenBelow"])
    phase = CgPhase(p, model, Grad(model, dist), run["hyper"], seed)
    cost = 0.0
    for k in range(1, iterations + 1):
        m, finished, cost = phase.step(cost)
        m["cost"] = cost
        if recorder.record_model_step(k, m, model, iterations, finished):
            break


METHODS["cg"] = run_cg
