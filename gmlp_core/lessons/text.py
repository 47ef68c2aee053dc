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

# A small 3-dimensional embedding a teacher can check by hand, one row per token, for each language's first
# example sentence (the Vietnamese one is the English proverb's counterpart: a journey of ten thousand miles).
EXAMPLE_TOKENS = ("Your", "journey", "starts", "with", "one", "step")
EXAMPLE_EMBEDDINGS = (
    (0.43, 0.15, 0.89),
    (0.55, 0.87, 0.66),
    (0.57, 0.85, 0.64),
    (0.22, 0.58, 0.33),
    (0.77, 0.25, 0.10),
    (0.05, 0.80, 0.55),
)
EXAMPLE_TABLES = {
    "en": (EXAMPLE_TOKENS, EXAMPLE_EMBEDDINGS),
    "vi": (("Hành", "trình", "vạn", "dặm", "bắt", "đầu", "từ", "một", "bước", "chân"),
           ((0.43, 0.15, 0.89), (0.55, 0.87, 0.66), (0.20, 0.90, 0.30), (0.25, 0.85, 0.35), (0.57, 0.85, 0.64),
            (0.60, 0.80, 0.60), (0.22, 0.58, 0.33), (0.77, 0.25, 0.10), (0.05, 0.80, 0.55), (0.10, 0.75, 0.50))),
}

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


_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)(?:[eE][+-]?[0-9]+)?")
_THOUSANDS_OR_DECIMAL = re.compile(r"[+-]?[1-9][0-9]{0,2},[0-9]{3}")  # '1,000': a thousand (en) or one (vi)?


class AmbiguousNumber(ValueError):
    """'1,000': a thousand to an English reader, one to a Vietnamese one."""


def parse_number(value) -> float:
    """A number as a learner types it, with a decimal point or a decimal comma ('0.5', '0,5', '-2', '1e-3').

    Raises ValueError for anything else (a thousands separator, a second mark, 'inf', other digits): a typed
    number is read as typed or refused, never read as another number ('1e9' stays 1e9, '0,5' is not 5)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if not isinstance(value, str):
        raise ValueError(f"{value!r} is not a number")
    text = value.strip().replace("\u2212", "-")  # the typographic minus sign a copied number may carry
    if _THOUSANDS_OR_DECIMAL.fullmatch(text):
        raise AmbiguousNumber(f"{value!r} is ambiguous (a thousand, or a decimal comma?)")
    if not _NUMBER.fullmatch(text):
        raise ValueError(f"{value!r} is not a number")
    return float(text.replace(",", "."))


def embeddings_from_table(rows) -> torch.Tensor:
    """A hand-typed table (rows of numbers or of typed text, column j named d{j+1}) -> (n, d) float tensor;
    rejects ragged rows and any cell that is not a finite number within MAX_EMBEDDING_VALUE, naming the cell."""
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
            cell = dict(row=i + 1, column=f"d{j + 1}", value=repr(value))
            where = f"embedding row {i + 1}, column d{j + 1}: {value!r}"
            try:
                number = parse_number(value)
            except AmbiguousNumber:
                raise TableError(f"{where} is ambiguous; write 1000 for a thousand, or 1.0 (or 1,0) for one",
                                 "table_ambiguous", **cell) from None
            except ValueError:
                raise TableError(f"{where} is not a number; write one like 0.5, 0,5 or -2", "table_not_number",
                                 **cell) from None
            if number != number or number in (float("inf"), float("-inf")):
                raise TableError(f"{where} is not a finite number", "table_not_finite", **cell)
            if abs(number) > MAX_EMBEDDING_VALUE:
                raise TableError(f"{where} is too large; use numbers between -{MAX_EMBEDDING_VALUE:,} and "
                                 f"{MAX_EMBEDDING_VALUE:,}", "table_too_large", **cell, limit=MAX_EMBEDDING_VALUE)
            row[j] = number
    return torch.tensor(rows, dtype=torch.float32)


def _blank(value) -> bool:
    return value is None or isinstance(value, str) and not value.strip()


def table_rows(rows: list[list]) -> tuple[list[str], list[list], list[int]]:
    """An edited table (rows of cells: token, then numbers) -> (tokens, number rows, incomplete rows).

    Empty rows are dropped; a row with some numbers missing (being typed) is left out and its
    1-based number reported, so the other rows still make a lesson.
    """
    tokens, numbers, incomplete = [], [], []
    for i, (token, *values) in enumerate(rows):
        if all(map(_blank, values)) and _blank(token):
            continue
        if any(map(_blank, values)):
            incomplete.append(i + 1)
            continue
        tokens.append(str(token or f"t{i}"))
        numbers.append(values)
    return tokens, numbers, incomplete


# ---- a typed table in one link value: cells joined by '_', rows by '~' (characters a URL carries as they are),
# '%', '_' and '~' inside a cell percent-escaped
_CELL, _ROW = "_", "~"
MAX_CELL_CHARS = 40  # what the table's columns accept (a token or a typed number)
MAX_TABLE_WIDTH = 33  # a token and up to 32 numbers, the largest embedding the page draws
_ESCAPES = {"%": "%25", _CELL: "%5F", _ROW: "%7E"}
_ESCAPED = re.compile("%(25|5F|7E)")


def table_to_link(rows: list[list[str]]) -> str:
    """Rows of typed cells [token, d1, d2, ...] -> one compact link value (the first MAX_TOKENS rows)."""
    def escaped(cell) -> str:
        return "".join(_ESCAPES.get(c, c) for c in str(cell or "")[:MAX_CELL_CHARS])
    return _ROW.join(_CELL.join(map(escaped, row)) for row in rows[:MAX_TOKENS])


def table_from_link(text: str) -> list[list[str]]:
    """table_to_link's value -> rows of typed cells; ValueError for anything it could not have written."""
    if not text:
        return []  # every row deleted
    if len(text) > MAX_TOKENS * MAX_TABLE_WIDTH * (3 * MAX_CELL_CHARS + 1):  # every character escaped, at most
        raise ValueError(f"the table in the link has {len(text):,} characters")
    rows = [row.split(_CELL) for row in text.split(_ROW)]
    if not 1 <= len(rows) <= MAX_TOKENS:
        raise ValueError(f"a table in a link has 1 to {MAX_TOKENS} rows, not {len(rows)}")
    width = len(rows[0])
    if not 2 <= width <= MAX_TABLE_WIDTH or any(len(row) != width for row in rows):
        raise ValueError(f"every row of a table in a link needs a token and the same count of numbers "
                         f"(1 to {MAX_TABLE_WIDTH - 1})")
    cells = []
    for row in rows:
        cells.append([])
        for cell in row:
            if "%" in _ESCAPED.sub("", cell):
                raise ValueError(f"{cell[:20]!r} is not an escaped table cell")
            cell = _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), cell)
            if len(cell) > MAX_CELL_CHARS:
                raise ValueError(f"a table cell has {len(cell)} characters; the table takes up to {MAX_CELL_CHARS}")
            cells[-1].append(cell)
    return cells
