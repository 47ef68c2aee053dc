"""Image data sets as device-resident uint8 tensors: an ImageFolder tree (or torchvision's CIFAR-10),
decoded once; the stratified validation split every training choice looks at."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
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
    try:
        with Image.open(path) as img:
            img = img.convert("RGB")
            if img.size != (size, size):
                img = img.resize((size, size), Image.Resampling.BICUBIC)
            return np.asarray(img, dtype=np.uint8)
    except Exception as err:  # whatever the decoder says of a damaged file: name the file, before any training
        detail = str(err)[:200]
        raise DataError(f"{path}: not a readable image ({detail}); remove or replace it") from None


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
