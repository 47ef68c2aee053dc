"""Tokenizer and deterministic token embeddings for the attention lessons."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

import torch

from ..errors import ExplainedError

MAX_TOKENS = 64
MAX_EMBEDDING_VALUE = 1_000_000  # x·xᵀ of larger numbers overflows float32 and the softmax gives NaN
EXAMPLE_SENTENCES = ("Your journey starts with one step", "Death is like the wind, always by my side",
                     "Hành trình vạn dặm bắt đầu từ một bước chân", "Học, học nữa, học mãi")
# For the character language models (trained on Shakespeare): English the models know, and Vietnamese,
# whose letters with diacritics fall outside their vocabulary.
EXAMPLE_PROMPTS = {
    "en": ("ROMEO:\nBut soft, what light through yonder window breaks?",
           "First Citizen:\nBefore we proceed any further, hear me speak.",
           "To be, or not to be, that is the question."),
    "vi": ("Chọn Định dạng - Ô, rồi bấm vào thẻ Số.", "Hôm nay lớp mình học về cơ chế attention.",
           "Học, học nữa, học mãi."),
}

# A small 3-dimensional embedding a teacher can check by hand, one row per token.
EXAMPLE_TOKENS = ("Your", "journey", "starts", "with", "one", "step")
EXAMPLE_EMBEDDINGS = (
    (0.43, 0.15, 0.89),
    (0.55, 0.87, 0.66),
    (0.57, 0.85, 0.64),
    (0.22, 0.58, 0.33),
    (0.77, 0.25, 0.10),
    (0.05, 0.80, 0.55),
)

_EMOJI = r"[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\u2300-\u23FF]"
_EMOJI_MOD = r"[\U0001F3FB-\U0001F3FF\uFE0F\u20E3]"
_WORD = r"[\w\u0300-\u036f]+"
TOKEN_PATTERN = re.compile(
    r"[\U0001F1E6-\U0001F1FF]{2}"  # a flag: two regional indicators
    rf"|{_EMOJI}{_EMOJI_MOD}*(?:\u200d{_EMOJI}{_EMOJI_MOD}*)*"  # emoji with skin tones and ZWJ sequences
    rf"|{_WORD}(?:['’\-]{_WORD})*"  # words, with inner apostrophes and hyphens
    r"|[^\w\s]"  # any other symbol or punctuation mark on its own
)


@dataclass(frozen=True)
class Tokens:
    """tokens: at most the limit; total: how many the text had; truncated: whether some were dropped."""

    tokens: tuple[str, ...]
    total: int
    limit: int

    @property
    def truncated(self) -> bool:
        return self.total > len(self.tokens)

    def __len__(self) -> int:
        return len(self.tokens)


_SURROGATE = re.compile("[\ud800-\udfff]")


def valid_unicode(text: str) -> str:
    """text with unpaired surrogates (which no encoding accepts) replaced by U+FFFD, shown as �."""
    return _SURROGATE.sub("\ufffd", text)


def tokenize(text: str, max_tokens: int = MAX_TOKENS) -> Tokens:
    """Split text into words, punctuation marks and emoji (NFC first, so Vietnamese diacritics stay whole)."""
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    if max_tokens < 1:
        raise ValueError(f"max_tokens must be >= 1, got {max_tokens}")
    found = TOKEN_PATTERN.findall(unicodedata.normalize("NFC", valid_unicode(text)))
    return Tokens(tuple(found[:max_tokens]), len(found), max_tokens)


def token_vector(token: str, dim: int, seed: int = 0) -> torch.Tensor:
    """(dim,) vector fixed by (token, seed) alone: the same in every sentence and every process."""
    digest = hashlib.blake2b(f"{seed}\x00{valid_unicode(token)}".encode("utf-8"), digest_size=8).digest()
    generator = torch.Generator().manual_seed(int.from_bytes(digest, "little") & (2 ** 63 - 1))
    return torch.randn(dim, generator=generator)


def embed(tokens, dim: int = 8, seed: int = 0) -> torch.Tensor:
    """(n, dim) embeddings, one deterministic row per token."""
    if dim < 1:
        raise ValueError(f"embedding dim must be >= 1, got {dim}")
    tokens = list(tokens)
    if not tokens:
        return torch.zeros(0, dim)
    return torch.stack([token_vector(t, dim, seed) for t in tokens])


class TableError(ExplainedError):
    """A hand-typed embedding table that cannot be used; the message names the row, column and value."""


def embeddings_from_table(rows) -> torch.Tensor:
    """A hand-typed table (rows of numbers) -> (n, d) float tensor; rejects ragged or non-numeric rows."""
    rows = [list(r) for r in rows]
    if not rows or not rows[0]:
        raise TableError("the embedding table is empty; give one row of numbers per token", "table_empty")
    if len(rows) > MAX_TOKENS:  # every map is rows x rows: a pasted thousand rows would stall the class's server
        raise TableError(f"the embedding table has {len(rows):,} rows; the lesson takes up to {MAX_TOKENS} tokens",
                         "table_too_many_rows", rows=len(rows), limit=MAX_TOKENS)
    width = len(rows[0])
    for i, row in enumerate(rows):
        if len(row) != width:
            raise TableError(f"embedding row {i + 1} has {len(row)} numbers; every row needs {width}", "table_ragged",
                             row=i + 1, given=len(row), width=width)
        for j, value in enumerate(row):
            try:
                number = float(value)
            except (TypeError, ValueError):
                raise TableError(f"embedding row {i + 1}, column {j + 1}: {value!r} is not a number", "table_not_number",
                                 row=i + 1, column=j + 1, value=repr(value)) from None
            if number != number or number in (float("inf"), float("-inf")):
                raise TableError(f"embedding row {i + 1}, column {j + 1}: {value!r} is not a finite number",
                                 "table_not_finite", row=i + 1, column=j + 1, value=repr(value))
            if abs(number) > MAX_EMBEDDING_VALUE:
                raise TableError(f"embedding row {i + 1}, column {j + 1}: {value!r} is too large; use numbers "
                                 f"between -{MAX_EMBEDDING_VALUE:,} and {MAX_EMBEDDING_VALUE:,}", "table_too_large",
                                 row=i + 1, column=j + 1, value=repr(value), limit=MAX_EMBEDDING_VALUE)
            row[j] = number
    return torch.tensor(rows, dtype=torch.float32)


def table_rows(table: list[dict]) -> tuple[list[str], list[list], list[int]]:
    """An edited table (dicts with 'token' and number columns) -> (tokens, number rows, incomplete rows).

    Empty rows are dropped; a row with some numbers missing (being typed) is left out and its
    1-based number reported, so the other rows still make a lesson.
    """
    tokens, numbers, incomplete = [], [], []
    for i, row in enumerate(table):
        values = [row.get(k) for k in row if k != "token"]
        if all(v in (None, "") for v in values) and row.get("token") in (None, ""):
            continue
        if any(v in (None, "") for v in values):
            incomplete.append(i + 1)
            continue
        tokens.append(str(row.get("token") or f"t{i}"))
        numbers.append(values)
    return tokens, numbers, incomplete
