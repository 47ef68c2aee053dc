import pytest
import torch

from gmlp_core.formats.chars import CharTokenizer
from gmlp_core.analysis.language import char_labels, generate, read_text
from gmlp_core.models import LMConfig, build_model

TOKENIZER = CharTokenizer("abcdefgh \n")
MODEL = build_model("gmlp-lm", LMConfig(vocab_size=TOKENIZER.size, block_size=16, d_model=16, depth=1, heads=2,
                                        d_ffn=32)).eval()


def test_generation_is_deterministic_for_a_seed_and_varies_across_seeds():
    first = generate(MODEL, TOKENIZER, "abc", length=40, temperature=1.0, top_k=None, seed=3)
    assert first == generate(MODEL, TOKENIZER, "abc", length=40, temperature=1.0, top_k=None, seed=3)
    assert first != generate(MODEL, TOKENIZER, "abc", length=40, temperature=1.0, top_k=None, seed=4)
    assert len(first) == 40 and set(first) <= set(TOKENIZER.vocab)


def test_generation_runs_past_the_block_and_from_an_unknown_prompt():
    text = generate(MODEL, TOKENIZER, "xyz" * 10, length=30, temperature=0.5, top_k=3, seed=0)
    assert len(text) == 30 and "\ufffd" not in text


@pytest.mark.parametrize("kwargs, words", [(dict(temperature=0.0), "temperature"), (dict(top_k=0), "top_k"),
                                           (dict(length=-1), "length")])
def test_generation_names_a_bad_setting(kwargs, words):
    with pytest.raises(ValueError, match=words):
        generate(MODEL, TOKENIZER, "a", **{**dict(length=5, temperature=1.0, top_k=3, seed=0), **kwargs})


def test_reading_a_text_gives_surprise_and_guesses_per_position():
    reading = read_text(MODEL, TOKENIZER, "abcé d")
    assert reading.text == "abcé d" and reading.unknown.tolist() == [False, False, False, True, False, False]
    assert reading.surprise.shape == (5,) and reading.top_ids.shape == (6, 5)
    with torch.no_grad():
        probs = torch.softmax(MODEL(reading.ids[None].clone())[0], -1)
    assert reading.surprise[0] == pytest.approx(float(-probs[0, reading.ids[1]].log()), rel=1e-5)


def test_a_text_longer_than_the_block_is_cut_and_says_so():
    reading = read_text(MODEL, TOKENIZER, "a" * 40)
    assert len(reading.text) == 16 and reading.total == 40 and reading.truncated


def test_char_labels_make_blanks_visible():
    assert char_labels("a b\n") == ["a", "␣", "b", "↵"]
