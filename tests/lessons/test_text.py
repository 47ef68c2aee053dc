import unicodedata

import pytest
import torch

from gmlp_core.lessons.text import (EXAMPLE_EMBEDDINGS, EXAMPLE_TOKENS, MAX_TOKENS, TableError, embed,
                                    embeddings_from_table, table_rows, tokenize)


def test_words_and_punctuation_are_separate_tokens():
    assert tokenize("Death is like the wind, always by my side.").tokens == (
        "Death", "is", "like", "the", "wind", ",", "always", "by", "my", "side", ".")


def test_vietnamese_diacritics_stay_whole_even_when_decomposed():
    sentence = "Tôi yêu tiếng Việt!"
    expected = ("Tôi", "yêu", "tiếng", "Việt", "!")
    assert tokenize(sentence).tokens == expected
    assert tokenize(unicodedata.normalize("NFD", sentence)).tokens == expected


def test_emoji_are_tokens_with_modifiers_and_zwj_sequences():
    tokens = tokenize("I ❤️ pho🍜 👍🏽 👨‍👩‍👧 🇻🇳").tokens
    assert tokens == ("I", "❤️", "pho", "🍜", "👍🏽", "👨‍👩‍👧", "🇻🇳")


def test_contractions_and_hyphens_stay_in_the_word():
    assert tokenize("don't over-think it").tokens == ("don't", "over-think", "it")


def test_truncation_is_reported_not_hidden():
    result = tokenize("a " * 70)
    assert len(result) == 64 and result.total == 70 and result.truncated
    assert not tokenize("short one").truncated
    assert tokenize("one two three", max_tokens=2).tokens == ("one", "two")


def test_embeddings_are_the_same_for_a_token_in_any_sentence():
    first = embed(tokenize("the cat sat").tokens, dim=6, seed=3)
    second = embed(tokenize("a big cat").tokens, dim=6, seed=3)
    assert torch.equal(first[1], second[2])
    assert not torch.equal(first[1], embed(["cat"], dim=6, seed=4)[0])
    assert not torch.equal(first[0], first[1])


def test_example_table_loads_and_bad_cells_are_named():
    table = embeddings_from_table(EXAMPLE_EMBEDDINGS)
    assert table.shape == (len(EXAMPLE_TOKENS), 3)
    with pytest.raises(ValueError, match="row 2, column 3: 'x' is not a number"):
        embeddings_from_table([[1, 2, 3], [1, 2, "x"]])
    with pytest.raises(ValueError, match="row 2 has 2 numbers; every row needs 3"):
        embeddings_from_table([[1, 2, 3], [1, 2]])
    with pytest.raises(ValueError, match="not a finite number"):
        embeddings_from_table([[float("nan")]])


def test_an_unpaired_surrogate_becomes_a_replacement_token_not_an_error():
    tokens = tokenize("a\ud800b")
    assert tokens.tokens == ("a", "\ufffd", "b")
    assert embed(["\ud800"], 4).shape == (1, 4)


@pytest.mark.parametrize("value, words", [(3.5e38, "too large"), (5e19, "too large"), (float("inf"), "not a finite")])
def test_table_values_too_large_for_float32_attention_are_named(value, words):
    with pytest.raises(ValueError, match=f"row 1, column 1: .*{words}"):
        embeddings_from_table([[value, 1.0]])


def test_a_half_typed_table_row_is_left_out_and_named_not_an_error():
    table = [{"token": "a", "d1": 1.0, "d2": 2.0}, {"token": "b", "d1": 3.0, "d2": None},
             {"token": None, "d1": None, "d2": None}, {"token": None, "d1": 0.5, "d2": 0.5}]
    tokens, numbers, incomplete = table_rows(table)
    assert tokens == ["a", "t3"] and numbers == [[1.0, 2.0], [0.5, 0.5]] and incomplete == [2]
    assert embeddings_from_table(numbers).shape == (2, 2)


def test_a_table_longer_than_a_lesson_is_refused_with_the_limit():
    with pytest.raises(TableError, match=f"1,000 rows; the lesson takes up to {MAX_TOKENS} tokens"):
        embeddings_from_table([[0.1, 0.2, 0.3]] * 1000)
    assert embeddings_from_table([[0.1, 0.2, 0.3]] * MAX_TOKENS).shape == (MAX_TOKENS, 3)
