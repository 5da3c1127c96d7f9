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


def run_two_phase(p, run, seed, iterations, recorder, dist):
    """Two-phase Adam -> CG (src/methods/twoPhase/twoPhase.ts): Adam on the experiment's batches with the swap
    detector once per epoch, then one CG iteration per step (CgPhase, src/methods/cg/pytorch.py)."""
    h = run["hyper"]
    n = p["xTrain"].shape[0]
    model = MLP(p["initialParams"], p["net"], p["frozenBelow"])
    grad = Grad(model, dist)
    batcher = Batcher(n, p["batchSize"], seed)
    cg = CgPhase(p, model, grad, h, seed)
    detector = SwapDetector(h)
    rule = Rule(list(model.parameters()), "adam", h)
    steps_per_epoch = 1 if batcher.full else n // batcher.size
    state = dict(phase=0, cost=0.0, monitor=0, step_in_epoch=0, sums=[0.0, 0.0, 0])

    def start_cg(known=None):
        state["phase"] = 1
        state["cost"] = cg.start(state["cost"], known)

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
                known = cg.full_objective(theta)
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

    for k in range(1, iterations + 1):
        if state["phase"] == 0:
            m, finished = adam_step()
        else:
            m, finished, state["cost"] = cg.step(state["cost"])
        m["cost"] = state["cost"]
        if recorder.record_model_step(k, m, model, iterations, finished):
            break


METHODS["twophase"] = run_two_phase
