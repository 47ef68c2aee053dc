"""Training-time augmentation on whole uint8/float batches, on whatever device they live."""

from __future__ import annotations

import torch
import torch.nn.functional as F

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
