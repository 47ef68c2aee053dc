"""Top-k accuracy, per-class accuracy and confusion matrix; `python -m gmlp_core.evaluate`."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path

import torch

from .checkpoints import CheckpointError, load_checkpoint, save_checkpoint
from .data import DataError, ImageSet, load_image_folder
from .images import normalize


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


def format_result(result: EvalResult) -> str:
    lines = ["  ".join(f"top-{k + 1} {acc:.2%}" for k, acc in enumerate(result.topk)) + f"  (n={result.n})"]
    lines += [f"  {name:<12} {acc:.2%}" for name, acc in result.per_class.items()]
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m gmlp_core.evaluate", description=__doc__)
    parser.add_argument("--checkpoint", required=True, help="any file load_checkpoint accepts")
    parser.add_argument("--data-dir", required=True, help="one ImageFolder split: DIR/<class>/*.jpg")
    parser.add_argument("--batch-size", type=int, default=500)
    parser.add_argument("--tta-flip", action="store_true", help="average logits with the mirrored image")
    parser.add_argument("--json", action="store_true", help="print one JSON object as the last line")
    parser.add_argument("--record", action="store_true",
                        help="write the result into the checkpoint as its test record (test, test_images, per_class, "
                             "confusion), as the trainer does, for a run trained with --skip-test; refused when the "
                             "file already holds one: test/ is read once")
    args = parser.parse_args(argv)
    try:
        model, info = load_checkpoint(args.checkpoint)
        if args.record:
            recordable(info)
        # recorded names fix the label order; a file without them takes the folders' sorted names
        data = load_image_folder(args.data_dir, class_names=info.meta.get("class_names"),
                                 image_size=info.config.image_size)
    except (CheckpointError, DataError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    result = evaluate(model, data, info.mean, info.std, args.batch_size, args.tta_flip)
    print(format_result(result))
    if args.json:
        print(json.dumps(result.as_json()))
    if args.record:
        record_test(model, info, result)
        print(f"recorded in {info.path}", file=sys.stderr)
    return 0


def recordable(info) -> None:
    """Raise CheckpointError unless --record may write a test record into this file."""
    if info.source_format != "native" or not str(info.path).endswith(".safetensors"):
        raise CheckpointError(f"{info.path}: --record rewrites this project's own .safetensors checkpoints only; "
                              f"this one is {info.source_format}")
    if "test" in info.meta:
        raise CheckpointError(f"{info.path}: --record: the file already holds a test record "
                              f"(top-1 {info.meta['test'].get('top1', float('nan')):.2%}); test/ is read once")


def record_test(model, info, result: EvalResult) -> None:
    """Rewrite the checkpoint with the result as its test record, keeping weights, snapshots and metadata."""
    meta = {**info.meta, **result.test_record(), "test_recorded_by": "python -m gmlp_core.evaluate --record"}
    save_checkpoint(model, Path(info.path), snapshots=info.snapshots, **meta)


if __name__ == "__main__":
    sys.exit(main())

