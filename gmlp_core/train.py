"""Train a GMLPVision on CIFAR-10: `python -m gmlp_core.train --preset s16 --data-dir ROOT --out PATH`.

Images are decoded once into a uint8 tensor on the training device and augmented there. A
validation split carved out of train/ is what every choice looks at; ROOT/test (when present) is
read once, after the last epoch, for the record in the checkpoint. Runs under
`torchrun --nproc_per_node=N` with DistributedDataParallel (gloo on CPU, nccl on CUDA).
"""

from __future__ import annotations

import argparse
import sys

from .arguments import finite_float, non_negative_int, positive_float, positive_int, writable_safetensors
from .data import TRIVIAL_AUGMENT_GROUP, DataError
from .models import PRESETS
from .training.setup import add_run_arguments
from .training.vision import DATASET_NAMES, VisionSettings, train


def build_parser() -> argparse.ArgumentParser:
    defaults = VisionSettings()
    parser = argparse.ArgumentParser(prog="python -m gmlp_core.train", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--preset", required=True, choices=sorted(PRESETS))
    parser.add_argument("--data-dir", required=True, help="ROOT with ROOT/train/<class>/* (and ROOT/test)")
    parser.add_argument("--dataset", default="imagefolder", choices=sorted(DATASET_NAMES),
                        help="torchvision-cifar10 downloads the lossless original into --data-dir")
    parser.add_argument("--dataset-version", default="cifar10 ImageFolder (JPEG q75, test = every other file)")
    parser.add_argument("--out", required=True, type=writable_safetensors, help="checkpoint to write (.safetensors)")
    parser.add_argument("--epochs", type=positive_int, default=defaults.epochs)
    parser.add_argument("--batch-size", type=positive_int, default=defaults.batch_size)
    parser.add_argument("--lr", type=positive_float, default=defaults.lr)
    parser.add_argument("--weight-decay", type=finite_float, default=defaults.weight_decay)
    parser.add_argument("--warmup-epochs", type=finite_float, default=defaults.warmup_epochs)
    parser.add_argument("--label-smoothing", type=finite_float, default=defaults.label_smoothing)
    parser.add_argument("--mixup", type=finite_float, default=defaults.mixup, help="MixUp alpha (0 = off)")
    parser.add_argument("--cutmix", type=finite_float, default=defaults.cutmix, help="CutMix alpha (0 = off)")
    parser.add_argument("--mix-prob", type=finite_float, default=defaults.mix_prob,
                        help="share of batches mixed (MixUp or CutMix, chosen at random when both are on)")
    parser.add_argument("--trivial-augment", action="store_true",
                        help="torchvision's TrivialAugmentWide before crop and flip "
                             f"(one op per group of {TRIVIAL_AUGMENT_GROUP} images)")
    parser.add_argument("--ema", type=finite_float, default=defaults.ema,
                        help="keep an exponential moving average of the weights with this decay (e.g. 0.999) "
                             "and evaluate, snapshot and save it; 0 = off")
    parser.add_argument("--val-size", type=non_negative_int, default=defaults.val_size)
    parser.add_argument("--limit-per-class", type=positive_int, default=None, help="use only N train images per class")
    parser.add_argument("--skip-test", action="store_true", help="do not evaluate ROOT/test at the end")
    parser.add_argument("--stop-after-epoch", type=positive_int, default=None,
                        help="stop after this epoch, leaving a state to --resume from (split a long run)")
    add_run_arguments(parser, defaults.seed)
    return parser


def main(argv=None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        settings = VisionSettings.from_args(args)
    except ValueError as err:
        parser.error(str(err))
    try:
        train(settings)
    except DataError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
