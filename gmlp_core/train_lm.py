"""Train a character language model: `python -m gmlp_core.train_lm --arch gmlp --data input.txt --out PATH`.

Three archs of one width and depth (SPEC §4): attention (GPT-style), gmlp (causal W), amlp (gMLP +
a tiny causal attention). The first 90 % of the file trains, the last 10 % validates. Runs under
`torchrun --nproc_per_node=N` with DistributedDataParallel (gloo on CPU, nccl on CUDA).
"""

from __future__ import annotations

import argparse
import sys

from .arguments import (existing_file, finite_float, non_negative_int, positive_float, positive_int,
                        writable_safetensors)
from .data import DataError
from .formats.chars import ALPHABETS
from .models import LM_PRESETS, archs_for
from .training.lm import LMSettings, train_lm
from .training.setup import add_run_arguments


def arch_names() -> dict[str, str]:
    """Command-line name -> registered text arch (attention -> attention-lm, ...), from the registry."""
    return {entry.short: name for name, entry in archs_for("text").items()}


def build_parser() -> argparse.ArgumentParser:
    defaults = LMSettings(steps=1)
    archs = arch_names()
    parser = argparse.ArgumentParser(prog="python -m gmlp_core.train_lm", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--arch", required=True, choices=sorted(archs))
    parser.add_argument("--data", required=True, type=existing_file,
                        help="a UTF-8 text file (../shared/datasets/tinyshakespeare/input.txt)")
    parser.add_argument("--out", required=True, type=writable_safetensors,
                        help="checkpoint to write (.safetensors)")
    budget = parser.add_mutually_exclusive_group(required=True)
    budget.add_argument("--minutes", type=positive_float,
                        help="train for this much wall time (the cosine runs over the elapsed share of it; the steps "
                             "reached are recorded)")
    budget.add_argument("--steps", type=positive_int, help="train for exactly this many steps (deterministic on a CPU)")
    parser.add_argument("--preset", default="", choices=["", *sorted(LM_PRESETS)],
                        help="a models.LM_PRESETS name (default: the arch's own)")
    parser.add_argument("--batch-size", type=positive_int, default=defaults.batch_size)
    parser.add_argument("--lr", type=positive_float, default=defaults.lr)
    parser.add_argument("--weight-decay", type=finite_float, default=defaults.weight_decay)
    parser.add_argument("--warmup-steps", type=non_negative_int, default=defaults.warmup_steps)
    parser.add_argument("--eval-every", type=positive_int, default=defaults.eval_every)
    parser.add_argument("--eval-windows", type=positive_int, default=defaults.eval_windows)
    parser.add_argument("--final-eval-windows", type=positive_int, default=defaults.final_eval_windows)
    parser.add_argument("--min-count", type=positive_int, default=defaults.min_count,
                        help="characters seen fewer times in the corpus map to the unknown id")
    parser.add_argument("--always-known", default="", choices=["", *sorted(ALPHABETS)],
                        help="an alphabet whose letters are known however rare (vi: every Vietnamese letter)")
    parser.add_argument("--stop-after-steps", type=positive_int, default=None,
                        help="stop after this step, leaving a state to --resume from")
    add_run_arguments(parser, defaults.seed)
    return parser


def main(argv=None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        settings = LMSettings.from_args(args, arch=arch_names()[args.arch], steps=args.steps or 0,
                                        minutes=args.minutes or 0.0)
    except ValueError as err:
        parser.error(str(err))
    try:
        train_lm(settings)
    except DataError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
