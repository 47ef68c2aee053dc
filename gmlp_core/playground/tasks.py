"""The playground's sequence tasks: short token sequences made on the fly from a seed.

Every task maps a batch of inputs (b, n) to targets (b, n); a target of IGNORE marks a position that is
not scored (the key-value part of a recall sequence). Position tasks answer at output position i with the
input token at a fixed position source[i], so a one-layer gMLP can solve them with W equal to that
permutation. Content tasks (recall, majority) answer with something that depends on which tokens are where.
"""

from __future__ import annotations

import string
from dataclasses import dataclass, field
from typing import Callable

import torch

IGNORE = -100  # cross_entropy's ignore_index: a position that is not asked about

POSITION, CONTENT = "position", "content"


@dataclass(frozen=True)
class TaskSpec:
    """What a task needs to know: its sizes (from the user's settings) and how to make a batch."""

    name: str
    kind: str  # POSITION or CONTENT
    length: int
    vocab: int
    make: Callable[[torch.Generator, int], tuple[torch.Tensor, torch.Tensor]] = field(repr=False)
    source: tuple[int, ...] | None = None  # POSITION: the input position output position i copies
    symbols: tuple[str, ...] = ()  # how each token id is written on the page

    def batch(self, generator: torch.Generator, size: int) -> tuple[torch.Tensor, torch.Tensor]:
        """(inputs, targets), both (size, length) int64."""
        return self.make(generator, size)


LETTERS = tuple(string.ascii_uppercase)


def _copy_task(name: str, length: int, vocab: int, source: list[int]) -> TaskSpec:
    index = torch.tensor(source)

    def make(generator: torch.Generator, size: int):
        x = torch.randint(0, vocab, (size, length), generator=generator)
        return x, x[:, index]
    return TaskSpec(name, POSITION, length, vocab, make, tuple(source), LETTERS[:vocab])


def reverse(length: int = 16, vocab: int = 16) -> TaskSpec:
    """Output i is input length - 1 - i."""
    return _copy_task("reverse", length, vocab, [length - 1 - i for i in range(length)])


def shift(length: int = 16, vocab: int = 16, k: int = 3) -> TaskSpec:
    """Output i is input i - k, wrapping around (a rotation by k)."""
    return _copy_task("shift", length, vocab, [(i - k) % length for i in range(length)])


def swap_halves(length: int = 16, vocab: int = 16) -> TaskSpec:
    """The second half first: output i is input (i + length / 2) mod length."""
    if length % 2:
        raise ValueError(f"swap halves: the length must be even, got {length}")
    return _copy_task("swap", length, vocab, [(i + length // 2) % length for i in range(length)])


def recall(pairs: int = 6, keys: int = 8, values: int = 8) -> TaskSpec:
    """Multi-query associative recall (Arora et al. 2023, "Zoology"): `pairs` key-value pairs (distinct keys
    among `keys`, values among `values`), then the same keys asked again in a new order; the answer at each
    question is the value that was paired with that key. Keys are letters, values digits. Length 3 * pairs."""
    if not 1 <= pairs <= keys:
        raise ValueError(f"recall: pairs must be 1..{keys} (the number of keys), got {pairs}")
    length, vocab = 3 * pairs, keys + values

    def make(generator: torch.Generator, size: int):
        chosen = torch.rand(size, keys, generator=generator).argsort(-1)[:, :pairs]  # distinct keys per sequence
        paired = torch.randint(keys, keys + values, (size, pairs), generator=generator)
        order = torch.rand(size, pairs, generator=generator).argsort(-1)  # the questions' order
        x = torch.empty(size, length, dtype=torch.long)
        x[:, 0:2 * pairs:2], x[:, 1:2 * pairs:2] = chosen, paired
        x[:, 2 * pairs:] = chosen.gather(1, order)
        y = torch.full((size, length), IGNORE, dtype=torch.long)
        y[:, 2 * pairs:] = paired.gather(1, order)
        return x, y
    symbols = LETTERS[:keys] + tuple(str(v % 10) if values <= 10 else LETTERS[keys + v].lower()
                                     for v in range(values))
    return TaskSpec("recall", CONTENT, length, vocab, make, None, symbols)


def majority(length: int = 16, vocab: int = 4) -> TaskSpec:
    """Every output position answers the input's most common token (drawn so that it is unique): a task on the
    whole sequence's content that needs no lookup, only an average over all positions."""
    if vocab < 2:
        raise ValueError(f"majority: the vocabulary needs at least 2 tokens, got {vocab}")

    def make(generator: torch.Generator, size: int):
        drawn, have = [], 0
        while have < size:  # draw, keep the sequences with one most common token, until there are enough
            x = torch.randint(0, vocab, (size, length), generator=generator)
            top2 = _counts(x, vocab).topk(2, dim=-1).values
            x = x[top2[:, 0] > top2[:, 1]]
            drawn.append(x)
            have += len(x)
        x = torch.cat(drawn)[:size]
        return x, _counts(x, vocab).argmax(-1, keepdim=True).expand(-1, length).clone()
    return TaskSpec("majority", CONTENT, length, vocab, make, None, LETTERS[:vocab])


def _counts(x: torch.Tensor, vocab: int) -> torch.Tensor:
    """(b, n) ids -> (b, vocab) how often each token occurs."""
    return torch.nn.functional.one_hot(x, vocab).sum(1)


TASKS: dict[str, Callable[..., TaskSpec]] = {
    "reverse": reverse, "shift": shift, "swap": swap_halves, "recall": recall, "majority": majority,
}


def make_task(name: str, *, length: int = 16, pairs: int = 6) -> TaskSpec:
    """A task by its name: the position tasks and majority at `length` tokens, recall with `pairs` pairs."""
    if name not in TASKS:
        raise ValueError(f"task must be one of {sorted(TASKS)}, got {name!r}")
    if name == "recall":
        return recall(pairs)
    if not 4 <= length <= 64:
        raise ValueError(f"length must be 4..64 tokens, got {length}")
    return TASKS[name](length)
