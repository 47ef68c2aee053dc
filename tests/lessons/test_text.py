import unicodedata

import pytest
import torch

from gmlp_core.lessons.text import (EXAMPLE_EMBEDDINGS, EXAMPLE_TABLES, EXAMPLE_TOKENS, MAX_TOKENS, TableError, embed,
                                    embeddings_from_table, parse_number, table_from_link, table_rows, table_to_link,
                                    tokenize)


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
    with pytest.raises(ValueError, match="row 2, column d3: 'x' is not a number"):
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
    with pytest.raises(ValueError, match=f"row 1, column d1: .*{words}"):
        embeddings_from_table([[value, 1.0]])


def test_a_half_typed_table_row_is_left_out_and_named_not_an_error():
    table = [["a", 1.0, 2.0], ["b", 3.0, None], [None, None, None], [None, 0.5, 0.5]]
    tokens, numbers, incomplete = table_rows(table)
    assert tokens == ["a", "t3"] and numbers == [[1.0, 2.0], [0.5, 0.5]] and incomplete == [2]
    assert embeddings_from_table(numbers).shape == (2, 2)


def test_a_table_longer_than_a_lesson_is_refused_with_the_limit():
    with pytest.raises(TableError, match=f"1,000 rows; the lesson takes up to {MAX_TOKENS} tokens"):
        embeddings_from_table([[0.1, 0.2, 0.3]] * 1000)
    assert embeddings_from_table([[0.1, 0.2, 0.3]] * MAX_TOKENS).shape == (MAX_TOKENS, 3)


@pytest.mark.parametrize("typed, number", [("0.5", 0.5), ("0,5", 0.5), (" -1,25 ", -1.25), ("\u22122", -2.0),
                                           (",5", 0.5), ("3", 3.0), ("2e-3", 0.002), ("1E2", 100.0), ("0,500", 0.5),
                                           ("1e9", 1e9), (0.25, 0.25)])
def test_a_typed_number_is_read_with_a_decimal_point_or_a_decimal_comma(typed, number):
    assert parse_number(typed) == number


@pytest.mark.parametrize("typed", ["", "x", "1,000", "1.000,5", "1,000.5", "0,5,1", "inf", "nan", "1_000", "١٢",
                                   "0x10", "1e", "--1", "5%", None])
def test_anything_else_is_refused_never_read_as_another_number(typed):
    with pytest.raises(ValueError):
        parse_number(typed)


def test_table_cells_typed_as_text_are_read_and_a_bad_one_is_named_by_row_and_column():
    assert embeddings_from_table([["0,5", "1"], ["-2", "0.25"]]).tolist() == [[0.5, 1.0], [-2.0, 0.25]]
    with pytest.raises(TableError, match="row 2, column d1: '1,000' is ambiguous") as info:
        embeddings_from_table([["0,5", "1"], ["1,000", "0"]])
    assert info.value.code == "table_ambiguous" and info.value.values["column"] == "d1"
    with pytest.raises(TableError, match="row 1, column d2: '1e9' is too large"):  # never 19
        embeddings_from_table([["1", "1e9"]])
    with pytest.raises(TableError, match="row 1, column d2: '0.5x' is not a number"):
        embeddings_from_table([["1", "0.5x"]])


def test_a_table_with_blank_and_whitespace_cells_leaves_the_row_out():
    tokens, numbers, incomplete = table_rows([["a", "0,5", "  "], ["b", "1", "2"], ["", " ", ""]])
    assert tokens == ["b"] and numbers == [["1", "2"]] and incomplete == [1]


@pytest.mark.parametrize("rows", [
    [], [["Your", "0.43", "0.15"], ["step", "0,5", "-1e-3"]],
    [["a_b~c%d", "1", "2"], ["", "", "x"], ["Hành", " 1,5", "<b>&"]],
    [["emoji 👨‍👩‍👧", "1", "2"]],
])
def test_a_table_travels_in_one_link_value_and_comes_back_the_same(rows):
    text = table_to_link(rows)
    assert table_from_link(text) == rows


def test_a_table_link_is_compact_and_bounded():
    rows = [[token, *(f"{v:.2f}" for v in values)] for token, values in zip(EXAMPLE_TOKENS, EXAMPLE_EMBEDDINGS)]
    assert len(table_to_link(rows)) < 140  # 6 tokens, 18 numbers
    huge = table_to_link([["t", "1", "2"]] * 1000)
    assert len(table_from_link(huge)) == MAX_TOKENS  # what a link carries is cut to what a lesson takes


@pytest.mark.parametrize("text", ["a", "~", "a_1~b", "a_1_2~b_1", "~".join(["a_1"] * (MAX_TOKENS + 1)),
                                  "a_" + "1" * 5000, "a_1%ZZ"])
def test_a_bad_table_link_is_refused(text):
    with pytest.raises(ValueError):
        table_from_link(text)


def test_every_example_table_is_its_sentence_with_three_numbers_a_token():
    for language, (tokens, embeddings) in EXAMPLE_TABLES.items():
        assert len(tokens) == len(embeddings) and all(len(row) == 3 for row in embeddings)
        assert embeddings_from_table(embeddings).shape == (len(tokens), 3)
    assert " ".join(EXAMPLE_TABLES["vi"][0]) == "Hành trình vạn dặm bắt đầu từ một bước chân"
