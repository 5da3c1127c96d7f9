# -------------------------------------------------------------------------------------------------------- Adam
def run_adam(p, run, seed, iterations, recorder, dist):
    """Adam (src/methods/adam/adam.ts): the shared first-order loop with torch.optim.Adam (eps as the app's)."""
    run_first_order(p, run, seed, iterations, recorder, dist, "adam")


METHODS["adam"] = run_adam
