"""Top-k accuracy, per-class accuracy and confusion matrix of a vision model on an image set."""

from __future__ import annotations

from dataclasses import dataclass

import torch

from ..data import ImageSet
from ..formats.images import normalize


@dataclass
class EvalResult:
    """topk[k-1] = top-k accuracy (fraction); confusion[true][predicted] = count."""

    topk: list[float]
    n: int
    per_class: dict[str, float]
    confusion: list[list[int]]

    def as_json(self) -> dict:
        return {**topk_record(self.topk), "n": self.n, "per_class": self.per_class, "confusion": self.confusion}

    def test_record(self) -> dict:
        """The checkpoint metadata a reading of test/ leaves: test (top-k), test_images, per_class, confusion."""
        return {"test": topk_record(self.topk), "test_images": self.n, "per_class": self.per_class,
                "confusion": self.confusion}


def topk_record(topk: list[float], prefix: str = "top") -> dict[str, float]:
    """[a1, ..., a5] -> {"top1": a1, ..., "top5": a5}: how every record names top-k accuracies."""
    return {f"{prefix}{k + 1}": acc for k, acc in enumerate(topk)}


def topk_from_record(record: dict, prefix: str = "top", max_k: int = 5) -> list[float]:
    """The inverse of topk_record, for the k present."""
    return [record[f"{prefix}{k}"] for k in range(1, max_k + 1) if f"{prefix}{k}" in record]


def topk_correct(logits: torch.Tensor, labels: torch.Tensor, max_k: int = 5) -> torch.Tensor:
    """logits: (b, classes), labels: (b,) -> (max_k,) counts: [k-1] = samples whose label is in the top k."""
    k = min(max_k, logits.shape[1])
    ranked = logits.topk(k, dim=1).indices
    hit_rank = (ranked == labels[:, None]).float()  # at most one hit per row
    counts = hit_rank.cumsum(dim=1).sum(dim=0)
    if k < max_k:
        counts = torch.cat([counts, counts[-1:].expand(max_k - k)])
    return counts


def topk_accuracy(logits: torch.Tensor, labels: torch.Tensor, max_k: int = 5) -> list[float]:
    """Fractions for k = 1..max_k; non-decreasing in k."""
    return (topk_correct(logits, labels, max_k) / max(len(labels), 1)).tolist()


@torch.inference_mode()
def predict_logits(model, data: ImageSet, mean, std, batch_size: int = 500, tta_flip: bool = False) -> torch.Tensor:
    """(N, classes) logits for uint8 images, in eval mode (restored after); tta_flip averages with the
    mirrored image."""
    was_training = model.training
    model.eval()
    try:
        return _predict_logits(model, data, mean, std, batch_size, tta_flip)
    finally:
        model.train(was_training)


def _predict_logits(model, data: ImageSet, mean, std, batch_size: int, tta_flip: bool) -> torch.Tensor:
    device = next(model.parameters()).device
    chunks = []
    for start in range(0, len(data), batch_size):
        x = normalize(data.images[start:start + batch_size].to(device), mean, std)
        logits = model(x)
        if tta_flip:
            logits = (logits + model(x.flip(3))) / 2
        chunks.append(logits.float().cpu())
    return torch.cat(chunks) if chunks else torch.zeros(0, model.config.num_classes)


def evaluate(model, data: ImageSet, mean, std, batch_size: int = 500, tta_flip: bool = False) -> EvalResult:
    logits = predict_logits(model, data, mean, std, batch_size, tta_flip)
    labels = data.labels.cpu()
    num_classes = len(data.class_names)
    predicted = logits.argmax(dim=1)
    confusion = torch.zeros(num_classes, num_classes, dtype=torch.long)
    confusion.index_put_((labels, predicted), torch.ones_like(labels), accumulate=True)
    totals = confusion.sum(dim=1).clamp(min=1)
    per_class = {name: float(confusion[i, i] / totals[i]) for i, name in enumerate(data.class_names)}
    return EvalResult(topk_accuracy(logits, labels), len(labels), per_class, confusion.tolist())
