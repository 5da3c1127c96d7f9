# ---------------------------------------------------------------------------------------------------- problem
def pretrained_bottom(ds, net_cfg, training, pretrain, data_dir, device):
    """Last-layer fine-tuning (src/engine/pretrain.ts): Adam on cross-entropy over the pretraining classes."""
    data = build_data(ds, data_dir, classes=pretrain["classes"])
    x, y = data["xTrain"].to(device), data["yTrain"].to(device)
    stages = network_stages(net_cfg, ds, x.shape[1], len(pretrain["classes"]))
    net = Net(None, net_cfg["activation"], "softmax", "ce", stages)
    # The pretraining network starts from Glorot-uniform with zero biases whatever the experiment's own init
    # (src/engine/pretrain.ts pretrainNetwork: defaultInit(), the last-layer reference protocol's start).
    glorot = {"scheme": "glorot-uniform", "gain": 1, "sigma": 0.01, "bias": "zero", "biasValue": 0}
    params = init_params(stages, glorot, pretrain["seed"], device)
    model = MLP(params, net, 0)
    grad = Grad(model, Dist(device, single=True))
    rule = Rule(list(model.parameters()), "adam", dict(lr=pretrain["lr"], beta1=0.9, beta2=0.999, eps=1e-8))
    batcher = Batcher(x.shape[0], training["batchSize"] if training["batchSize"] > 0 else 64, pretrain["seed"])
    for _ in range(pretrain["iterations"]):
        rows = batcher.next()
        idx = slice(None) if rows is None else torch.tensor(rows, dtype=torch.long, device=device)
        _, grads = grad(x[idx], y[idx])
        rule.step([t for g in grads for t in g])
    return [[W.detach().clone(), b.detach().clone()] for W, b in model.layers()]


def load_weights(path, run_count, net, device):
    """Initial weights for each run from the app's "JSON + weights" export (or a weights JSON file). Files name the
    network by its layer widths (`sizes`, a convolution layer's width being its flattened output); the weights are
    read in the shapes of this network's layers."""
    sizes = net.sizes
    shapes = [weight_shape(st) for st in net.stages]
    with open(path) as fh:
        obj = json.load(fh)
    if obj.get("kind") == "optimizer-playground-experiment":
        entries = obj.get("weights") or []
        per_run = []
        for e in entries:
            if e is None:
                per_run.append(None)
                continue
            if list(e["sizes"]) != list(sizes):
                raise SystemExit(f"{path}: weights are for a {'-'.join(map(str, e['sizes']))} network, this one is {'-'.join(map(str, sizes))}")
            per_run.append(unflat(torch.tensor(e["flat"], dtype=torch.float64), shapes, device))
        return per_run + [None] * (run_count - len(per_run))
    if obj.get("format") == "optimizer-playground/weights":
        if list(obj["sizes"]) != list(sizes):
            raise SystemExit(f"{path}: weights are for a {'-'.join(map(str, obj['sizes']))} network, this one is {'-'.join(map(str, sizes))}")
        params = [[torch.tensor(layer["W"], dtype=torch.float64).to(torch.float32).reshape(*shapes[l]).to(device),
                   torch.tensor(layer["b"], dtype=torch.float64).to(torch.float32).to(device)] for l, layer in enumerate(obj["layers"])]
        return [params] * run_count
    raise SystemExit(f"{path}: neither an experiment file with weights nor a weights file")


def log(msg):
    if int(os.environ.get("RANK", "0")) == 0:
        print(msg, file=sys.stderr, flush=True)


def parse_args(argv):
    ap = argparse.ArgumentParser(
        description=f"{TITLE} — an Optimizer Playground experiment as plain PyTorch. Runs every run of the experiment "
                    "(or those chosen with --runs) and writes the app's metrics CSV.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    ap.add_argument("--train-size", type=int, default=DATASET["trainSize"], help="training samples")
    ap.add_argument("--test-size", type=int, default=DATASET["testSize"], help="test samples")
    if NETWORK.get("layers") is None:
        ap.add_argument("--width", type=str, default=",".join(map(str, NETWORK["hidden"])),
                        help="hidden layer widths, comma separated ('' for none)")
    else:
        # A layer list has no widths to replace: the option stays (so a command line written for an MLP export fails
        # with a reason) but refuses any value.
        ap.add_argument("--width", type=str, default=None,
                        help="NOT USED by this network: it is a list of layers (convolutions, pooling, dense), "
                             "NETWORK['layers'] at the top of this script; edit that list to change the network")
    ap.add_argument("--iterations", type=int, default=TRAINING["maxIterations"], help="steps per run")
    ap.add_argument("--batch-size", type=int, default=TRAINING["batchSize"], help="mini-batch size, 0 = full batch")
    ap.add_argument("--eval-every", type=int, default=TRAINING["evalEvery"], help="full train/test evaluation every this many steps")
    ap.add_argument("--seed", type=int, default=TRAINING["seed"], help="seed of the initial weights and the batch order")
    ap.add_argument("--data-seed", type=int, default=DATASET["seed"], help="seed of the generated data / custom split")
    ap.add_argument("--device", type=str, default="cpu", help="cpu, cuda, cuda:1, mps, ...")
    ap.add_argument("--dtype", choices=["float32", "float64"], default="float32",
                    help="arithmetic of the network (the app computes in float32)")
    ap.add_argument("--runs", type=str, default="all", help="which runs, 1-based and comma separated, e.g. 1,3")
    ap.add_argument("--weights", type=str, default=None,
                    help="start from these weights: the app's 'JSON + weights' export (per run) or a weights JSON")
    ap.add_argument("--data-dir", type=str, default=os.environ.get("PLAYGROUND_DATA", "data"),
                    help="where MNIST / Fashion-MNIST are: the app's public/datasets/*.bin, IDX files, or a torchvision root")
    ap.add_argument("--out", type=str, default="metrics.csv", help="metrics CSV (same columns as the app's CSV export)")
    ap.add_argument("--threads", type=int, default=0, help="CPU threads for torch (0 = torch's default)")
    return ap.parse_args(argv)


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    device = torch.device(args.device)
    if device.type == "cuda" and not torch.cuda.is_available():
        raise SystemExit("--device cuda: this PyTorch sees no CUDA device")
    dist = Dist(device)
    if dist.enabled and device.type == "cuda":
        device = torch.device("cuda", int(os.environ.get("LOCAL_RANK", "0")))
        torch.cuda.set_device(device)
    dtype = torch.float64 if args.dtype == "float64" else torch.float32
    chosen = list(range(len(RUNS))) if args.runs == "all" else [int(r) - 1 for r in args.runs.split(",")]
    bad = [i + 1 for i in chosen if not 0 <= i < len(RUNS)]
    if bad:
        raise SystemExit(f"--runs {args.runs}: this experiment has runs 1 to {len(RUNS)}")
    # Said before any data is built or any run starts: a method this script does not implement is never skipped or
    # replaced quietly (script.ts names the same runs in the header and the app says so on download).
    missing = [i for i in chosen if RUNS[i]["algorithm"] not in METHODS]
    if missing:
        others = [str(i + 1) for i in chosen if RUNS[i]["algorithm"] in METHODS]
        what = "; ".join(f"run {i + 1} ({RUN_LABELS[i]}): the PyTorch export has no {RUNS[i]['algorithm']!r} method" for i in missing)
        raise SystemExit(f"this script cannot reproduce every chosen run: {what}. "
                         + (f"Run the others with --runs {','.join(others)}." if others else "Run it in the app instead."))
    if NETWORK.get("layers") is not None and args.width is not None:
        raise SystemExit(f"--width {args.width}: this network is a list of layers, not an MLP of hidden widths; "
                         "edit NETWORK['layers'] at the top of the script instead")
    # The lifted methods' block updates are derived for dense layers and the data loss only: refused before anything
    # runs, with the app's reasons (src/methods/liftedRequirements.ts; each fragment gives its own in LIFTED_REFUSALS).
    lifted_refused = []
    for i in chosen:
        algo = RUNS[i]["algorithm"]
        if algo not in LIFTED:
            continue
        if NETWORK.get("layers") and any(l.get("type") == "conv2d" for l in NETWORK["layers"]):
            lifted_refused.append(f"run {i + 1} ({RUN_LABELS[i]}): {LIFTED_REFUSALS.get(algo, 'this method takes dense layers only')}")
        if NETWORK.get("weightDecay"):
            lifted_refused.append(f"run {i + 1} ({RUN_LABELS[i]}): it minimises the data loss only; its block updates have no "
                                  f"weight-decay term (NETWORK['weightDecay'] = {NETWORK['weightDecay']})")
    if lifted_refused:
        others = [str(i + 1) for i in chosen if RUNS[i]["algorithm"] not in LIFTED]
        raise SystemExit("this script cannot run every chosen run: " + "; ".join(lifted_refused) + ". "
                         + (f"Run the others with --runs {','.join(others)}." if others else ""))
    ds = dict(DATASET, trainSize=args.train_size, testSize=args.test_size, seed=args.data_seed)
    hidden = [int(w) for w in args.width.split(",") if w.strip()] if args.width is not None else list(NETWORK["hidden"])
    net_cfg = dict(NETWORK, hidden=hidden)
    training = dict(TRAINING, batchSize=args.batch_size, evalEvery=max(1, args.eval_every))
    data = build_data(ds, args.data_dir)
    in_dim = data["xTrain"].shape[1]
    out_dim = 1 if ds["kind"] == "glm" else data["yTrain"].shape[1]
    stages = network_stages(net_cfg, ds, in_dim, out_dim)
    net = Net(None, net_cfg["activation"], net_cfg["outputLink"], net_cfg["loss"], stages, net_cfg.get("weightDecay", 0))
    if PRETRAIN is not None:
        bottom = pretrained_bottom(ds, net_cfg, training, PRETRAIN, args.data_dir, device)
        head = init_params(stages, init_config(net_cfg), args.seed, device)[-1]
        initial = [[W, b] for W, b in bottom[:-1]] + [head]
        frozen = len(stages) - 1
    else:
        initial = init_params(stages, init_config(net_cfg), args.seed, device)
        frozen = 0
    per_run = load_weights(args.weights, len(RUNS), net, device) if args.weights else [None] * len(RUNS)
    torch.set_default_dtype(dtype)
    results = []
    for i in chosen:
        run = RUNS[i]
        label = RUN_LABELS[i]
        if run["algorithm"] in LIFTED and dist.enabled and dist.rank != 0:
            continue
        start = per_run[i] if per_run[i] is not None else initial
        problem = dict(data, net=net, batchSize=training["batchSize"], frozenBelow=frozen,
                       initialParams=[[W.to(device, dtype), b.to(device, dtype)] for W, b in start])
        for key in ("xTrain", "yTrain", "xTest", "yTest"):
            problem[key] = data[key].to(device, dtype)
        run_dist = Dist(device, single=True) if run["algorithm"] in LIFTED else dist
        log(f"run {i + 1}: {label} ({run['algorithm']}), {args.iterations} steps on {device}"
            + (f", {dist.world} processes" if run_dist.enabled else ""))
        rec = Recorder(problem, training)
        torch.manual_seed(0)  # nothing below draws from torch's generator; fixed anyway
        METHODS[run["algorithm"]](problem, run, args.seed, args.iterations, rec, run_dist)
        last = rec.points[-1] if rec.points else None
        if last is not None:
            log(f"  iteration {last['iteration']}: loss {last['loss']:.6g}, train loss {last.get('trainLoss', float('nan')):.6g}, "
                f"test accuracy {last.get('testAccuracy', float('nan')):.4g}, {last['time']:.1f} s")
        results.append(dict(index=i, label=label, points=rec.points))
    if dist.rank == 0:
        write_csv(args.out, results)
        log(f"wrote {args.out}")
    if dist.enabled:
        dist.dist.barrier()
        dist.dist.destroy_process_group()


if __name__ == "__main__":
    main()
