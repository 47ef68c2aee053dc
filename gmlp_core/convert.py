"""Convert any checkpoint load_checkpoint reads into the native format, with everything it needs:

    python -m gmlp_core.convert IN OUT.safetensors [--class-names FILE] [--mean R G B --std R G B]

The converted file carries the inferred config, class names (from FILE, or what IN records; for a
1000-class model without names ImageNet's, else "class 0", ...), normalisation, W snapshots, and
where it came from, so it opens anywhere as it is.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .arguments import existing_file, finite_float, positive_float, writable_safetensors
from .formats.checkpoints import CheckpointError, load_checkpoint, read_class_names, save_checkpoint


def convert(source, target, class_names_file=None, mean=None, std=None) -> Path:
    model, info = load_checkpoint(source)
    meta = dict(info.meta)
    if info.arch == "vision":
        names = read_class_names(class_names_file, info.config.num_classes) if class_names_file \
            else list(info.class_names)
        meta.update(class_names=names, mean=list(mean or info.mean), std=list(std or info.std))
    meta.update(converted_from=Path(source).name, source_format=info.source_format)
    return save_checkpoint(model, target, snapshots=info.snapshots, **meta)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m gmlp_core.convert", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("source", type=existing_file,
                        help="a .safetensors, .pt or .pth file (native, blog, lucidrains or timm layout)")
    parser.add_argument("target", type=writable_safetensors, help="the native checkpoint to write (.safetensors)")
    parser.add_argument("--class-names", type=existing_file,
                        help="a text file with one class name a line, in label order")
    parser.add_argument("--mean", type=finite_float, nargs=3, help="per-channel mean the model was trained with")
    parser.add_argument("--std", type=positive_float, nargs=3, help="per-channel std the model was trained with")
    args = parser.parse_args(argv)
    try:
        path = convert(args.source, args.target, args.class_names, args.mean, args.std)
    except (CheckpointError, OSError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
