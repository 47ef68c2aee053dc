"""A character corpus as id tensors: the first 90 % trains, the last 10 % validates (SPEC §4)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import torch

from ..formats.chars import CharTokenizer
from .imagesets import DataError

TRAIN_SHARE = 0.9


@dataclass
class Corpus:
    """train, val: (chars,) int64 ids; tokenizer: the corpus's own characters."""

    tokenizer: CharTokenizer
    train: torch.Tensor
    val: torch.Tensor
    name: str


def load_corpus(path, tokenizer: CharTokenizer | None = None, min_count: int = 1, always: str = "") -> Corpus:
    """Read a UTF-8 text file; unless a tokenizer is given, its characters seen at least min_count times (plus
    the `always` ones) are the vocabulary."""
    path = Path(path)
    if not path.is_file():
        raise DataError(f"text corpus {path} does not exist; expected a UTF-8 text file "
                        "(e.g. ../shared/datasets/tinyshakespeare/input.txt)")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        raise DataError(f"text corpus {path} is not UTF-8 text ({err})") from None
    if len(text) < 100:
        raise DataError(f"text corpus {path} has {len(text)} characters; it needs at least 100")
    tokenizer = tokenizer or CharTokenizer.from_text(text, min_count, always)
    ids = tokenizer.encode(text)
    cut = int(len(ids) * TRAIN_SHARE)
    return Corpus(tokenizer, ids[:cut], ids[cut:], f"{path.parent.name}/{path.name}")


def random_windows(ids: torch.Tensor, block_size: int, batch: int, generator: torch.Generator) -> tuple:
    """(inputs (batch, block), targets (batch, block)) from random windows; targets = inputs shifted by one."""
    if len(ids) <= block_size:
        raise DataError(f"the text has {len(ids)} characters; a window needs {block_size + 1}")
    starts = torch.randint(0, len(ids) - block_size, (batch,), generator=generator)
    windows = torch.stack([ids[s:s + block_size + 1] for s in starts.tolist()])
    return windows[:, :-1], windows[:, 1:]


def fixed_windows(ids: torch.Tensor, block_size: int, count: int, seed: int = 1234) -> tuple:
    """The same `count` random windows for every call with this seed: an evaluation set."""
    return random_windows(ids, block_size, count, torch.Generator().manual_seed(seed))


def consecutive_windows(ids: torch.Tensor, block_size: int, chars: int) -> tuple:
    """The first `chars` characters cut into non-overlapping windows: a fixed slice anyone can recompute."""
    count = min(chars, len(ids) - 1) // block_size
    if count < 1:
        raise DataError(f"the text has {len(ids)} characters; a window needs {block_size + 1}")
    starts = torch.arange(count) * block_size
    windows = torch.stack([ids[s:s + block_size + 1] for s in starts.tolist()])
    return windows[:, :-1], windows[:, 1:]
