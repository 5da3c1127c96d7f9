# -------------------------------------------------------------------------------------- two-phase (Adam -> CG)
class SwapDetector:
    """src/methods/twoPhase/swapDetector.ts: EMA-smoothed epoch gradient norm, swap when it stays below rho * running max."""

    def __init__(self, h):
        mode = string(h, "swapMode", "auto")
        self.rho, self.alpha = num(h, "rho", 0.9), num(h, "emaAlpha", 0.3)
        self.min_epochs, self.patience = round(num(h, "minEpochs", 3)), max(1, round(num(h, "patience", 2)))
        self.mode = mode if mode in ("at-epoch", "never") else "auto"
        self.swap_epoch = max(1, round(num(h, "swapEpoch", 20)))
        self.epoch, self.smoothed, self.g_max, self.below, self.swapped = 0, float("nan"), 0.0, 0, False

    def observe(self, norm):
        self.epoch += 1
        self.smoothed = norm if math.isnan(self.smoothed) else self.alpha * norm + (1 - self.alpha) * self.smoothed
        self.g_max = max(self.g_max, self.smoothed)
        threshold = self.rho * self.g_max
        self.below = self.below + 1 if self.smoothed < threshold else 0
        fired = False
        if not self.swapped:
            if self.mode == "auto":
                fired = self.epoch >= self.min_epochs and self.below >= self.patience
            elif self.mode == "at-epoch":
                fired = self.epoch >= self.swap_epoch
        self.swapped = self.swapped or fired
        return fired, self.smoothed, threshold


def run_two_phase(p, run, seed, iterations, recorder, dist, start_in_cg=False):
    """Two-phase Adam -> CG, or CG alone (src/methods/twoPhase/twoPhase.ts): Adam on the experiment's batches with
    the swap detector once per epoch, then one CG iteration (line search + new direction) per step, full batch."""
    h = run["hyper"]
    n = p["xTrain"].shape[0]
    model = MLP(p["initialParams"], p["net"], p["frozenBelow"])
    grad = Grad(model, dist)
    batcher = Batcher(n, p["batchSize"], seed)
    cg_batch = round(num(h, "cgBatch", 0))
    cg_batcher = Batcher(n, cg_batch, derive_seed(seed, "cg-batches")) if 0 < cg_batch < n else None
    opts = cg_options(h)
    detector = SwapDetector(h)
    rule = None if start_in_cg else Rule(list(model.parameters()), "adam", h)
    probe = h.get("probe") is True
    steps_per_epoch = 1 if batcher.full else n // batcher.size
    state = dict(phase=1 if start_in_cg else 0, cost=0.0, monitor=0, step_in_epoch=0, sums=[0.0, 0.0, 0], cg=None)

    def objective_on(x, y):
        def evaluate_at(theta):
            model.load_flat(theta)
            f, grads = grad(x, y)
            return f, torch.cat([t.reshape(-1) for g in grads for t in g]).double()
        return evaluate_at

    full_objective = objective_on(p["xTrain"], p["yTrain"])

    def start_cg(known=None):
        state["phase"] = 1
        if cg_batcher is None:
            theta = torch.cat([t.detach().reshape(-1) for t in model.parameters()]).double()
            state["cg"] = CG(full_objective, theta, known, opts)
            state["cost"] += state["cg"].evals
            state["cg"].evals = 0

    def finish_epoch(norm, loss, extra):
        fired, smoothed, threshold = detector.observe(norm)
        extra.update(epochLoss=loss, epochGradNorm=norm, epochGradNormSmoothed=smoothed, threshold=threshold)
        if fired:
            extra.update(swap=1, swapLoss=loss, swapGradNorm=norm, swapEpoch=detector.epoch)
        return fired

    def adam_step():
        x, y = batch_of(p, batcher.next())
        loss, grads = grad(x, y)
        gnorm = math.sqrt(sum_sq([t for g in grads for t in g]))
        state["cost"] += batcher.fraction
        extra = dict(phase=0)
        m = dict(loss=loss, gradNorm=gnorm, extra=extra)
        if batcher.full:
            if finish_epoch(gnorm, loss, extra):
                start_cg((loss, torch.cat([t.reshape(-1) for g in grads for t in g]).double()))
                return m, None
        rule.step([t for t, q in zip([t for g in grads for t in g], model.p) if q.requires_grad])
        if batcher.full:
            return m, None
        state["step_in_epoch"] += 1
        s = state["sums"]
        s[0] += gnorm
        s[1] += loss
        s[2] += 1
        if state["step_in_epoch"] >= steps_per_epoch:
            known = None
            if n <= num(h, "fullNormMaxN", 10000):
                theta = torch.cat([t.detach().reshape(-1) for t in model.parameters()]).double()
                known = full_objective(theta)
                state["monitor"] += 1
                extra["monitorEvals"] = state["monitor"]
                norm, eloss = math.sqrt(dot(known[1], known[1])), known[0]
            else:
                norm, eloss = s[0] / s[2], s[1] / s[2]
            state["step_in_epoch"] = 0
            state["sums"] = [0.0, 0.0, 0]
            if finish_epoch(norm, eloss, extra):
                start_cg(known)
        return m, None

    def cg_step():
        unit = 1.0
        refresh_restart = 0
        if cg_batcher is not None:
            x, y = batch_of(p, cg_batcher.next())
            obj = objective_on(x, y)
            unit = cg_batcher.size / n
            if state["cg"] is None:
                state["cg"] = CG(obj, torch.cat([t.detach().reshape(-1) for t in model.parameters()]).double(), None, opts)
            else:
                refresh_restart = state["cg"].refresh(obj)
        else:
            obj = full_objective
            if state["cg"] is None:
                state["cg"] = CG(obj, torch.cat([t.detach().reshape(-1) for t in model.parameters()]).double(), None, opts)
        cg = state["cg"]
        info = cg.iterate(obj)
        extra = dict(phase=1, alpha=info["alpha"], beta=info["beta"], lineSearchEvals=info["lineSearchEvals"],
                     dirDeriv=info["dirDeriv"], epochLoss=info["f"], epochGradNorm=info["gradNorm"])
        restart = info["restart"] or refresh_restart
        if restart:
            extra.update(restart=1, restartReason=restart)
        if probe and not info.get("finished"):
            extra["curvature"] = curvature_along(obj, cg.x, cg.g, cg.d)
            state["cost"] += unit
        state["cost"] += cg.evals * unit
        cg.evals = 0
        model.load_flat(cg.x)  # the module holds theta_k (float32) whatever the line search tried last
        m = dict(loss=info["f"], gradNorm=info["gradNorm"], extra=extra)
        if info.get("finished") and cg_batcher is not None:
            extra["noDecrease"] = 1
            cg.finished = None
            cg.d = -cg.g
            cg.gtd = -dot(cg.g, cg.g)
            return m, None
        return m, info.get("finished")

    for k in range(1, iterations + 1):
        m, finished = adam_step() if state["phase"] == 0 else cg_step()
        m["cost"] = state["cost"]
        stop = recorder.record(k, m, [[W.detach(), b.detach()] for W, b in model.layers()], k == iterations or finished is not None)
        if finished:
            log(f"  {finished}")
        if stop or finished:
            break


METHODS["twophase"] = run_two_phase
