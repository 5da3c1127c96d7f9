#!/usr/bin/env python3
"""LeNet-5 training step in PyTorch on the CPU, the reference of bench/lenet.mjs (issue 28 item 6).

The network of the lenet5-mnist preset (src/presets/cnn.ts LENET5): conv 6@5x5 -> ReLU -> max-pool 2 -> conv 16@5x5 ->
ReLU -> max-pool 2 -> flatten -> 120 ReLU -> 84 ReLU -> 10, softmax cross-entropy, batch 64 of 28x28 images, SGD
(lr 0.01, momentum 0.9) as torch.optim.SGD. One step = forward, backward, update, and reading the loss (the engine's
step reads it too). Images: random in [0, 1) with MNIST's share of zero pixels (about 80 %), fixed seed; the step's
cost does not depend on the values. Prints one JSON line per thread count: ms per step (best of 5 timed rounds).

    /usr/bin/python3 bench/torch_lenet.py --threads 1,2 --steps 100
"""
import argparse
import json
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class LeNet5(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(1, 6, 5)
        self.c2 = nn.Conv2d(6, 16, 5)
        self.f1 = nn.Linear(256, 120)
        self.f2 = nn.Linear(120, 84)
        self.f3 = nn.Linear(84, 10)

    def forward(self, x):
        h = F.max_pool2d(F.relu(self.c1(x)), 2)
        h = F.max_pool2d(F.relu(self.c2(h)), 2)
        h = torch.flatten(h, 1)
        return self.f3(F.relu(self.f2(F.relu(self.f1(h)))))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--steps", type=int, default=100)
    ap.add_argument("--batch", type=int, default=64)
    args = ap.parse_args()
    g = torch.Generator().manual_seed(1)
    x = torch.rand(args.batch, 1, 28, 28, generator=g)
    x = x * (torch.rand(x.shape, generator=g) > 0.8)
    y = torch.randint(0, 10, (args.batch,), generator=g)
    for threads in [int(t) for t in args.threads.split(",")]:
        torch.set_num_threads(threads)
        torch.manual_seed(1)
        net = LeNet5()
        opt = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9)

        def step():
            opt.zero_grad(set_to_none=True)
            loss = F.cross_entropy(net(x), y)
            loss.backward()
            opt.step()
            return float(loss)

        for _ in range(20):
            step()
        best = float("inf")
        for _ in range(5):
            t0 = time.perf_counter()
            for _ in range(args.steps):
                step()
            best = min(best, (time.perf_counter() - t0) / args.steps * 1000)
        print(json.dumps({"threads": torch.get_num_threads(), "ms_per_step": best, "torch": torch.__version__}), flush=True)


if __name__ == "__main__":
    main()
