"""What the language-model page computes with a loaded character model: how surprised it is by a
text, its top next characters at every position, and continuations."""

from __future__ import annotations

import functools
import math
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import torch

from ..formats.chars import CharTokenizer


@dataclass
class TextReading:
    """One text through one model. n = characters kept (at most the block size).

    ids: (n,); unknown: (n,) bool, characters outside the vocabulary; surprise: (n - 1,) nats,
    -log p(char m+1 | chars 0..m); top_ids / top_probs: (n, k), the k likeliest next characters
    after each position, best first.
    """

    text: str  # the kept characters (NFC)
    total: int  # characters the typed text had
    ids: torch.Tensor
    unknown: torch.Tensor
    surprise: torch.Tensor
    top_ids: torch.Tensor
    top_probs: torch.Tensor

    @property
    def truncated(self) -> bool:
        return self.total > len(self.text)

    @property
    def mean_surprise(self) -> float:
        """Nats per character over the predicted positions (nan for a single character)."""
        return float(self.surprise.mean()) if len(self.surprise) else float("nan")


def encode_prompt(tokenizer: CharTokenizer, text: str, block_size: int) -> tuple[torch.Tensor, str, int]:
    """text -> (ids (n,), the kept text, total characters): the first block_size characters (NFC)."""
    text = unicodedata.normalize("NFC", text)
    return tokenizer.encode(text[:block_size]), text[:block_size], len(text)


@torch.inference_mode()
def read_text(model: torch.nn.Module, tokenizer: CharTokenizer, text: str, k: int = 5) -> TextReading:
    """One forward pass over the first block_size characters of text."""
    ids, kept, total = encode_prompt(tokenizer, text, model.config.block_size)
    if len(ids) == 0:
        raise ValueError("read_text: the text is empty; type at least one character")
    probs = torch.softmax(model(ids[None])[0].float(), dim=-1)  # (n, vocab)
    surprise = -torch.log(probs[:-1].gather(1, ids[1:, None]).squeeze(1).clamp_min(1e-12))
    top_probs, top_ids = probs.topk(min(k, probs.shape[-1]), dim=-1)
    return TextReading(kept, total, ids, ids == tokenizer.unknown_id, surprise, top_ids, top_probs)


def generate(model: torch.nn.Module, tokenizer: CharTokenizer, prompt: str, length: int = 200,
             temperature: float = 0.8, top_k: int | None = 20, seed: int = 0) -> str:
    """Sample `length` characters after prompt (the continuation only); the same seed gives the same text."""
    return "".join(generate_stream(model, tokenizer, prompt, length, temperature, top_k, seed))


@torch.inference_mode()
def generate_stream(model: torch.nn.Module, tokenizer: CharTokenizer, prompt: str, length: int = 200,
                    temperature: float = 0.8, top_k: int | None = 20, seed: int = 0) -> Iterator[str]:
    """The characters of generate(), one at a time, as they are sampled.

    A model with a decoder() (the attention LM's key/value cache, the gMLP's cached gate inputs) reads each new
    character once, against what the earlier ones left behind; others run a full forward per character. The
    context is the prompt's last block_size characters; when the text outgrows the context, the cache restarts
    from the last block_size / 2 characters, so the model then reads between block_size / 2 and block_size
    characters back (a plain loop would slide a full window, at block_size times the cost). The unknown
    character is never sampled.
    """
    if length < 0:
        raise ValueError(f"length must be >= 0, got {length}")
    if not temperature > 0 or not math.isfinite(temperature):
        raise ValueError(f"temperature must be a finite number > 0, got {temperature}")
    if top_k is not None and top_k < 1:
        raise ValueError(f"top_k must be >= 1 or None, got {top_k}")
    generator = torch.Generator().manual_seed(seed)
    ids = tokenizer.encode(prompt) if prompt else tokenizer.encode("\n")
    if len(ids) == 0:
        ids = torch.zeros(1, dtype=torch.long)
    block = model.config.block_size
    decoder = model.decoder() if hasattr(model, "decoder") else None
    context = ids[-block:].tolist()
    logits = decoder.prefill(torch.tensor(context)) if decoder else model(torch.tensor([context]))[0, -1]
    for produced in range(length):
        next_id = _sample(logits.float(), tokenizer, temperature, top_k, generator)
        yield tokenizer.decode([next_id])
        if produced == length - 1:
            return
        context.append(next_id)
        if decoder is None:
            context = context[-block:]
            logits = model(torch.tensor([context]))[0, -1]
        elif decoder.length < block:
            logits = decoder.append(next_id)
        else:
            context = context[-(block // 2):]
            logits = decoder.prefill(torch.tensor(context))


def _sample(logits: torch.Tensor, tokenizer: CharTokenizer, temperature: float, top_k: int | None,
            generator: torch.Generator) -> int:
    """logits: (vocab,) -> one id drawn from softmax(logits / temperature) over the top_k largest (all of them
    when None), never the unknown one; top-k 1 is the argmax. One uniform number from generator per call, drawn
    against the cumulative probabilities: in NumPy, as a few operations on 66 numbers cost less there than torch's
    per-call overhead (25 against 55 microseconds a character)."""
    scores = logits.numpy()[:tokenizer.unknown_id].astype(np.float64)  # the unknown id and any past it left out
    if top_k is not None and top_k < len(scores):
        scores[scores < np.partition(scores, -top_k)[-top_k]] = -np.inf
    weights = np.exp((scores - scores.max()) / temperature)  # the largest is 1: no overflow at any temperature
    cumulative = np.cumsum(weights)
    drawn = torch.rand((), generator=generator, dtype=torch.float64).item() * cumulative[-1]
    return min(int(np.searchsorted(cumulative, drawn, side="right")), len(scores) - 1)


VISIBLE = {" ": "␣", "\n": "↵", "\t": "⇥"}


def char_labels(text: str) -> list[str]:
    """Characters as axis labels: space, newline and tab made visible."""
    return [VISIBLE.get(ch, ch) for ch in text]


def guesses_text(tokenizer: CharTokenizer, top_ids: torch.Tensor, top_probs: torch.Tensor) -> list[str]:
    """(n, k) top next characters -> n strings like "e 31% · a 12% · ..." (labels made visible)."""
    labels = _id_labels(tokenizer)
    unknown = labels[-1]  # the unknown id's label, also for an id past the vocabulary
    # whole percents rounded half to even, as format's ".0%" rounds (a float32 probability times 100 is exact in
    # float64): one tensor operation instead of a float format per guess (900 of them for three models' 60 characters)
    percents = (top_probs.double() * 100).round().long().tolist()
    return [" · ".join(f"{labels[i] if 0 <= i < len(labels) else unknown} {p}%" for i, p in zip(ids, row))
            for ids, row in zip(top_ids.tolist(), percents)]


@functools.lru_cache(maxsize=16)
def _id_labels(tokenizer: CharTokenizer) -> list[str]:
    """Every id's character as an axis label (the unknown id's last), made once per vocabulary."""
    return [char_labels(tokenizer.decode([i]))[0] for i in range(tokenizer.size)]
