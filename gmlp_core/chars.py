"""Characters <-> ids for the character language models; the vocabulary travels in the checkpoint.

A character outside the vocabulary (a Vietnamese letter with diacritics, an emoji, a digit the
corpus lacks) maps to one unknown id, len(vocab), shown as UNKNOWN_MARK: never an exception.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

import torch

UNKNOWN_MARK = "\ufffd"  # �, how an unknown character is decoded and drawn


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
    def from_text(cls, text: str) -> "CharTokenizer":
        """The sorted set of characters of a corpus."""
        return cls("".join(sorted(set(text))))

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
