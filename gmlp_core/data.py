"""CIFAR-10 as device-resident uint8 tensors: decode once, augment on the training device."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

CIFAR10_CLASSES = ("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck")
CIFAR10_MEAN = (0.4913, 0.4821, 0.4465)  # per-channel, train/ of CIFAR-10 (JPEG q75)
CIFAR10_STD = (0.2452, 0.2428, 0.2606)
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".bmp", ".webp", ".gif"}


class DataError(ValueError):
    """A data directory that cannot be read as an ImageFolder split."""


@dataclass
class ImageSet:
    """images: (N, 3, H, W) uint8; labels: (N,) int64; class_names[label] names the class."""

    images: torch.Tensor
    labels: torch.Tensor
    class_names: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.labels)

    def to(self, device) -> "ImageSet":
        return ImageSet(self.images.to(device), self.labels.to(device), self.class_names)

    def subset(self, index: torch.Tensor) -> "ImageSet":
        return ImageSet(self.images[index], self.labels[index], self.class_names)


def _decode(path: Path, size: int) -> np.ndarray:
    with Image.open(path) as img:
        img = img.convert("RGB")
        if img.size != (size, size):
            img = img.resize((size, size), Image.Resampling.BICUBIC)
        return np.asarray(img, dtype=np.uint8)


def load_image_folder(split_dir, class_names=None, image_size: int = 32, limit_per_class: int | None = None) -> ImageSet:
    """Decode `split_dir/<class>/*` into uint8 tensors.

    class_names fixes the label order (matched to folder names); by default the sorted folder names.
    """
    root = Path(split_dir)
    if not root.is_dir():
        raise DataError(f"data directory {root} does not exist; expected an ImageFolder split DIR/<class>/*.jpg")
    folders = sorted(p.name for p in root.iterdir() if p.is_dir())
    if not folders:
        raise DataError(f"data directory {root} has no class sub-folders; expected DIR/<class>/*.jpg")
    names = tuple(class_names) if class_names is not None else tuple(folders)
    missing = [n for n in names if n not in folders]
    if missing:
        raise DataError(f"data directory {root} lacks folders for classes {missing}; found {folders}")
    paths, labels = [], []
    for label, name in enumerate(names):
        files = sorted(p for p in (root / name).iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)
        files = files[:limit_per_class] if limit_per_class else files
        paths += files
        labels += [label] * len(files)
    if not paths:
        raise DataError(f"data directory {root} holds no images ({', '.join(sorted(IMAGE_SUFFIXES))})")
    with ThreadPoolExecutor(max_workers=4) as pool:
        arrays = list(pool.map(lambda p: _decode(p, image_size), paths, chunksize=256))
    images = torch.from_numpy(np.stack(arrays)).permute(0, 3, 1, 2).contiguous()
    return ImageSet(images, torch.tensor(labels, dtype=torch.long), names)


def load_torchvision_cifar10(root, train: bool) -> ImageSet:
    """The lossless original via torchvision (downloads on first use; needs internet)."""
    from torchvision.datasets import CIFAR10

    ds = CIFAR10(root=str(root), train=train, download=True)
    images = torch.from_numpy(ds.data).permute(0, 3, 1, 2).contiguous()
    return ImageSet(images, torch.tensor(ds.targets, dtype=torch.long), tuple(ds.classes))


def split_validation(data: ImageSet, val_size: int, seed: int = 0) -> tuple[ImageSet, ImageSet]:
    """Stratified hold-out of val_size images (equal per class), fixed by seed -> (train, val)."""
    if val_size <= 0:
        return data, data.subset(torch.zeros(0, dtype=torch.long))
    num_classes = len(data.class_names)
    per_class = val_size // num_classes
    generator = torch.Generator().manual_seed(seed)
    val_index = []
    for label in range(num_classes):
        members = torch.nonzero(data.labels == label).flatten()
        if len(members) <= per_class:
            raise DataError(f"class {data.class_names[label]!r} has {len(members)} images; "
                            f"cannot hold out {per_class} for validation")
        val_index.append(members[torch.randperm(len(members), generator=generator)[:per_class]])
    val_index = torch.cat(val_index)
    keep = torch.ones(len(data), dtype=torch.bool)
    keep[val_index] = False
    return data.subset(torch.nonzero(keep).flatten()), data.subset(val_index.sort().values)


def normalize(images: torch.Tensor, mean, std) -> torch.Tensor:
    """uint8 (b, C, H, W) -> float (b, C, H, W), standardised per channel."""
    mean_t = torch.tensor(mean, device=images.device).view(1, -1, 1, 1)
    std_t = torch.tensor(std, device=images.device).view(1, -1, 1, 1)
    return (images.float() / 255.0 - mean_t) / std_t


def augment(images: torch.Tensor, generator: torch.Generator | None = None, pad: int = 4) -> torch.Tensor:
    """Random crop after reflect padding plus horizontal flip, on whatever device images live.

    images: (b, C, H, W) float -> (b, C, H, W)
    """
    b, _, h, w = images.shape
    device = images.device
    padded = F.pad(images, (pad, pad, pad, pad), mode="reflect")
    dy = torch.randint(0, 2 * pad + 1, (b,), generator=generator).to(device)
    dx = torch.randint(0, 2 * pad + 1, (b,), generator=generator).to(device)
    flip = (torch.rand(b, generator=generator) < 0.5).to(device)
    rows = dy[:, None] + torch.arange(h, device=device)[None]
    cols = dx[:, None] + torch.arange(w, device=device)[None]
    cols = torch.where(flip[:, None], cols.flip(1), cols)
    batch = torch.arange(b, device=device)[:, None, None]
    out = padded.permute(0, 2, 3, 1)[batch, rows[:, :, None], cols[:, None, :]]
    return out.permute(0, 3, 1, 2).contiguous()


class BatchMixer:
    """MixUp / CutMix (torchvision's, one of them chosen per batch) applied to a share of batches.

    Draws from torch's global generator, so a seeded run (and a resumed one) repeats exactly.
    __call__(images (b, C, H, W) float, labels (b,)) -> (images, targets (b, classes) summing to 1).
    """

    def __init__(self, num_classes: int, mixup_alpha: float = 0.0, cutmix_alpha: float = 0.0, prob: float = 1.0):
        from torchvision.transforms import v2

        if mixup_alpha < 0 or cutmix_alpha < 0:
            raise ValueError(f"mixup and cutmix alphas must be >= 0, got {mixup_alpha} and {cutmix_alpha}")
        if not 0.0 <= prob <= 1.0:
            raise ValueError(f"mix probability must be in [0, 1], got {prob}")
        self.num_classes, self.prob = num_classes, prob
        choices = ([v2.MixUp(alpha=mixup_alpha, num_classes=num_classes)] if mixup_alpha else []) + \
                  ([v2.CutMix(alpha=cutmix_alpha, num_classes=num_classes)] if cutmix_alpha else [])
        self.transform = v2.RandomChoice(choices) if len(choices) > 1 else (choices[0] if choices else None)

    @property
    def active(self) -> bool:
        return self.transform is not None and self.prob > 0

    def __call__(self, images: torch.Tensor, labels: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        if self.active and float(torch.rand(())) < self.prob:
            return self.transform(images, labels)
        return images, F.one_hot(labels, self.num_classes).to(images.dtype)


TRIVIAL_AUGMENT_GROUP = 8  # images that share one TrivialAugment draw


class GroupTrivialAugment:
    """torchvision's TrivialAugmentWide on a uint8 batch, one random op per group of `group` images.

    A draw per image costs ~15x more on a CPU; groups of 8 keep the cost near 2 ms per 128 images.
    Draws from torch's global generator (a seeded run repeats). (b, C, H, W) uint8 -> same.
    """

    def __init__(self, group: int = TRIVIAL_AUGMENT_GROUP):
        from torchvision.transforms import v2

        if group < 1:
            raise ValueError(f"augment group size must be >= 1, got {group}")
        self.group, self.transform = group, v2.TrivialAugmentWide()

    def __call__(self, images: torch.Tensor) -> torch.Tensor:
        if images.dtype != torch.uint8:
            raise ValueError(f"GroupTrivialAugment expects uint8 images, got {images.dtype}")
        return torch.cat([self.transform(chunk) for chunk in images.split(self.group)])
