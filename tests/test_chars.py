import pytest
import torch

from gmlp_core.chars import UNKNOWN_MARK, CharTokenizer

SHAKESPEARE_LIKE = CharTokenizer.from_text("First Citizen:\nBefore we proceed any further, hear me speak.")


def test_text_of_vocabulary_characters_round_trips():
    text = "hear me speak, Citizen.\n"
    ids = SHAKESPEARE_LIKE.encode(text)
    assert ids.dtype == torch.long and ids.shape == (len(text),)
    assert SHAKESPEARE_LIKE.decode(ids) == text


def test_characters_outside_the_vocabulary_become_one_unknown_id():
    tokenizer = SHAKESPEARE_LIKE
    ids = tokenizer.encode("hé 😀 7")
    assert ids.tolist().count(tokenizer.unknown_id) == 3
    assert tokenizer.decode(ids) == f"h{UNKNOWN_MARK} {UNKNOWN_MARK} {UNKNOWN_MARK}"
    assert tokenizer.unknown_positions("hé 😀 7") == [1, 3, 5]
    assert tokenizer.size == len(tokenizer.vocab) + 1


def test_vietnamese_typed_with_combining_marks_counts_as_one_character_each():
    composed, decomposed = "Việt", "Vie\u0323\u0302t"
    tokenizer = CharTokenizer("Vtiệ")
    assert torch.equal(tokenizer.encode(decomposed), tokenizer.encode(composed))
    assert tokenizer.decode(tokenizer.encode(decomposed)) == composed


def test_a_vocabulary_must_be_non_empty_and_unique():
    with pytest.raises(ValueError, match="empty"):
        CharTokenizer("")
    with pytest.raises(ValueError, match="repeats"):
        CharTokenizer("aba")
