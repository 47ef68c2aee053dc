import pytest
import torch

from gmlp_core.data import DataError, consecutive_windows, fixed_windows, load_corpus, random_windows


def test_corpus_splits_ninety_ten_and_keeps_its_characters(tmp_path):
    path = tmp_path / "text.txt"
    path.write_text("abcdefghij" * 100, encoding="utf-8")
    corpus = load_corpus(path)
    assert corpus.tokenizer.vocab == "abcdefghij"
    assert len(corpus.train) == 900 and len(corpus.val) == 100
    assert corpus.tokenizer.decode(torch.cat([corpus.train, corpus.val])) == "abcdefghij" * 100


def test_windows_have_targets_shifted_by_one():
    ids = torch.arange(50)
    x, y = random_windows(ids, 8, 4, torch.Generator().manual_seed(0))
    assert x.shape == y.shape == (4, 8) and torch.equal(y, x + 1)
    fx, _ = fixed_windows(ids, 8, 4, seed=5)
    assert torch.equal(fx, fixed_windows(ids, 8, 4, seed=5)[0])
    cx, cy = consecutive_windows(ids, 8, 40)
    assert cx.shape == (5, 8) and torch.equal(cx[1], torch.arange(8, 16)) and torch.equal(cy[1], torch.arange(9, 17))


def test_missing_or_tiny_corpus_is_named(tmp_path):
    with pytest.raises(DataError, match="does not exist"):
        load_corpus(tmp_path / "none.txt")
    (tmp_path / "short.txt").write_text("hi")
    with pytest.raises(DataError, match="has 2 characters"):
        load_corpus(tmp_path / "short.txt")
