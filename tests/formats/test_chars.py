import unicodedata

import pytest
import torch

from gmlp_core.formats.chars import ALPHABETS, UNKNOWN_MARK, CharTokenizer

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


def test_characters_rarer_than_the_threshold_map_to_the_unknown_id():
    tokenizer = CharTokenizer.from_text("aaab b c", min_count=2)
    assert tokenizer.vocab == " ab"
    assert tokenizer.encode("c").tolist() == [tokenizer.unknown_id]


def test_the_vietnamese_alphabet_is_known_however_rare_in_the_corpus():
    every_tone = ("a à á ả ã ạ ă ằ ắ ẳ ẵ ặ â ầ ấ ẩ ẫ ậ e è é ẻ ẽ ẹ ê ề ế ể ễ ệ i ì í ỉ ĩ ị o ò ó ỏ õ ọ ô ồ ố ổ ỗ ộ "
                  "ơ ờ ớ ở ỡ ợ u ù ú ủ ũ ụ ư ừ ứ ử ữ ự y ỳ ý ỷ ỹ ỵ đ Đ Ỵ Ữ")
    tokenizer = CharTokenizer.from_text("xin chào", min_count=1, always=ALPHABETS["vi"])
    assert tokenizer.unknown_positions(every_tone) == []
    decomposed = unicodedata.normalize("NFD", every_tone)
    assert decomposed != every_tone
    assert torch.equal(tokenizer.encode(decomposed), tokenizer.encode(every_tone))
