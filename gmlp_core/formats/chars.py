"""Characters <-> ids for the character language models; the vocabulary travels in the checkpoint.

A character outside the vocabulary (a Vietnamese letter with diacritics, an emoji, a digit the
corpus lacks) maps to one unknown id, len(vocab), shown as UNKNOWN_MARK: never an exception.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass, field

import torch

UNKNOWN_MARK = "\ufffd"  # �, how an unknown character is decoded and drawn


def _vietnamese_letters() -> str:
    """Every letter of the Vietnamese alphabet (the 12 vowels with each of the 6 tones, and đ), both cases, NFC."""
    tones = ("", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323")  # none, huyền, sắc, ngã, hỏi, nặng
    lower = [unicodedata.normalize("NFC", vowel + tone) for vowel in "aăâeêioôơuưy" for tone in tones]
    lower += list("bcdđghklmnpqrstvx")
    return "".join(dict.fromkeys(lower + [ch.upper() for ch in lower]))


# Letters a corpus's model must know however rarely the corpus has them (capitals with tones are rare in prose
# but start every typed sentence); `--always-known vi` on the command line.
ALPHABETS = {"vi": _vietnamese_letters()}


@dataclass(frozen=True)
class CharTokenizer:
    """vocab: the known characters, in id order; id len(vocab) is the unknown character."""

    vocab: str
    _index: dict = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        if not self.vocab:
            raise ValueError("CharTokenizer: the vocabulary is empty")
        if len(set(self.vocab)) != len(self.vocab):
            raise ValueError("CharTokenizer: the vocabulary repeats a character")
        object.__setattr__(self, "_index", {ch: i for i, ch in enumerate(self.vocab)})

    @classmethod
    def from_text(cls, text: str, min_count: int = 1, always: str = "") -> "CharTokenizer":
        """The sorted characters of a corpus (NFC) seen at least min_count times, plus the `always` ones;
        rarer characters map to the unknown id."""
        if min_count < 1:
            raise ValueError(f"CharTokenizer: min_count must be >= 1, got {min_count}")
        counts = Counter(unicodedata.normalize("NFC", text))
        kept = {ch for ch, n in counts.items() if n >= min_count} | set(unicodedata.normalize("NFC", always))
        return cls("".join(sorted(kept)))

    @property
    def unknown_id(self) -> int:
        return len(self.vocab)

    @property
    def size(self) -> int:
        """Ids the model must embed: every character plus the unknown one."""
        return len(self.vocab) + 1

    def encode(self, text: str) -> torch.Tensor:
        """text -> (n,) int64 ids; NFC first, so a letter typed as base + combining mark is one character."""
        if not isinstance(text, str):
            raise TypeError(f"text must be a str, got {type(text).__name__}")
        text = unicodedata.normalize("NFC", text)
        return torch.tensor([self._index.get(ch, self.unknown_id) for ch in text], dtype=torch.long)

    def decode(self, ids) -> str:
        """ids (n,) -> text; the unknown id (or any id out of range) becomes UNKNOWN_MARK."""
        values = ids.tolist() if isinstance(ids, torch.Tensor) else list(ids)
        return "".join(self.vocab[i] if 0 <= i < len(self.vocab) else UNKNOWN_MARK for i in values)

    def unknown_positions(self, text: str) -> list[int]:
        """Indices (in the NFC text) of characters the vocabulary lacks."""
        return [i for i, v in enumerate(self.encode(text).tolist()) if v == self.unknown_id]
