# ---------------------------------------------------------------------------------------------- SGD (momentum)
def run_sgd(p, run, seed, iterations, recorder, dist):
    """Heavy-ball SGD (src/methods/sgd/sgd.ts): the shared first-order loop with torch.optim.SGD."""
    run_first_order(p, run, seed, iterations, recorder, dist, "sgd")


METHODS["sgd"] = run_sgd
