"""Top-k accuracy of a vision checkpoint on an ImageFolder split: `python -m gmlp_core.evaluate`."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .arguments import existing_file, positive_int
from .analysis.accuracy import (EvalResult, evaluate, predict_logits, topk_accuracy, topk_correct,  # noqa: F401
                                topk_from_record, topk_record)
from .data import DataError, load_image_folder
from .models import ARCHS
from .formats.checkpoints import CheckpointError, load_checkpoint, save_checkpoint


def format_result(result: EvalResult) -> str:
    lines = ["  ".join(f"top-{k + 1} {acc:.2%}" for k, acc in enumerate(result.topk)) + f"  (n={result.n})"]
    lines += [f"  {name:<12} {acc:.2%}" for name, acc in result.per_class.items()]
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m gmlp_core.evaluate", description=__doc__)
    parser.add_argument("--checkpoint", required=True, type=existing_file, help="any file load_checkpoint accepts")
    parser.add_argument("--data-dir", required=True, help="one ImageFolder split: DIR/<class>/*.jpg")
    parser.add_argument("--batch-size", type=positive_int, default=500)
    parser.add_argument("--tta-flip", action="store_true", help="average logits with the mirrored image")
    parser.add_argument("--json", action="store_true", help="print one JSON object as the last line")
    parser.add_argument("--record", action="store_true",
                        help="write the result into the checkpoint as its test record (test, test_images, per_class, "
                             "confusion), as the trainer does, for a run trained with --skip-test; refused when the "
                             "file already holds one: test/ is read once")
    args = parser.parse_args(argv)
    try:
        model, info = load_checkpoint(args.checkpoint)
        if ARCHS[info.arch].task != "image":
            raise CheckpointError(f"{args.checkpoint}: a {info.arch} model; evaluate measures image classifiers "
                                  "(for a language model: python -m gmlp_core.language)")
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

