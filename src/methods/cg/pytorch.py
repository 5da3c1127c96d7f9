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

def run_cg(p, run, seed, iterations, recorder, dist):
    """CG alone, full batch (src/methods/cg/cgNetwork.ts): the two-phase loop (src/methods/twoPhase/pytorch.py)
    started in its CG phase — the engine's CG and two-phase share the same CG step (cgNetwork.ts) the same way."""
    run_two_phase(p, run, seed, iterations, recorder, dist, start_in_cg=True)


METHODS["cg"] = run_cg
