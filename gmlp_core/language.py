"""Continue a text with a character language model: `python -m gmlp_core.language --checkpoint PATH --prompt TEXT`."""

from __future__ import annotations

import argparse
import sys

from .arguments import existing_file, non_negative_int, positive_float, positive_int
from .analysis.language import TextReading, char_labels, generate, guesses_text, read_text  # noqa: F401
from .formats.checkpoints import CheckpointError, load_checkpoint


def main(argv=None) -> int:
    """`python -m gmlp_core.language --checkpoint checkpoints/lm-gmlp.safetensors --prompt "ROMEO:"`"""
    parser = argparse.ArgumentParser(prog="python -m gmlp_core.language", description="Continue a text with a "
                                     "character language model checkpoint.")
    parser.add_argument("--checkpoint", required=True, type=existing_file)
    parser.add_argument("--prompt", default="\n")
    parser.add_argument("--length", type=non_negative_int, default=200)
    parser.add_argument("--temperature", type=positive_float, default=0.8)
    parser.add_argument("--top-k", type=positive_int, default=20)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    try:
        model, info = load_checkpoint(args.checkpoint)
        if info.tokenizer is None:
            raise CheckpointError(f"{args.checkpoint}: not a language model (arch {info.arch})")
        print(args.prompt + generate(model, info.tokenizer, args.prompt, args.length, args.temperature, args.top_k,
                                     args.seed))
    except (CheckpointError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
