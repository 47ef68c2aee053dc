"""A small, learnable ImageFolder tree: each class has its own colour and stripe pattern."""

from pathlib import Path

import numpy as np
from PIL import Image

from gmlp_core.data import CIFAR10_CLASSES


def class_image(label: int, rng: np.random.Generator) -> Image.Image:
    yy, xx = np.mgrid[0:32, 0:32]
    stripes = np.sin((xx * np.cos(label) + yy * np.sin(label)) * (0.3 + 0.05 * label))
    colour = np.array([(label * 70) % 256, (label * 130) % 256, (label * 200) % 256], dtype=float)
    pixels = 0.5 * colour + 60 * stripes[..., None] + rng.normal(0, 20, (32, 32, 3)) + 64
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))


def write_image_folder(root: Path, per_class: dict[str, int], seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    for split, count in per_class.items():
        for label, name in enumerate(CIFAR10_CLASSES):
            folder = root / split / name
            folder.mkdir(parents=True, exist_ok=True)
            for i in range(count):
                class_image(label, rng).save(folder / f"{i:04d}.png")
    return root
