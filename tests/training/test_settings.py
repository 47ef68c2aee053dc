"""Trainers take typed settings: callable from a notebook or a page, checked before anything runs."""

import pytest
import torch

from gmlp_core.chars import CharTokenizer
from gmlp_core.data import Corpus
from gmlp_core.models import LM_PRESETS, archs_for
from gmlp_core.train_lm import build_parser
from gmlp_core.training.lm import LMSettings, train_lm
from gmlp_core.training.vision import VisionSettings
from tests.helpers.toy_family import toy_family

TEXT = "to be or not to be, that is the question.\n" * 40


def tiny_corpus() -> Corpus:
    tokenizer = CharTokenizer.from_text(TEXT)
    ids = tokenizer.encode(TEXT)
    cut = int(len(ids) * 0.9)
    return Corpus(tokenizer, ids[:cut], ids[cut:], "to-be.txt")


def test_a_language_model_trains_from_settings_and_a_corpus_in_memory():
    settings = LMSettings(arch="gmlp-lm", preset="gmlp-lm-tiny", steps=30, batch_size=8, lr=1e-2, warmup_steps=5,
                          eval_every=10, eval_windows=4, final_eval_windows=4, quiet=True, device="cpu")
    result = train_lm(settings, tiny_corpus())
    assert result.finished and result.path is None
    assert not result.model.training
    losses = [r["val_loss"] for r in result.record["history"]]
    assert losses[-1] < losses[0]
    assert "out" not in result.record["training"] and result.record["training"]["steps"] == 30


@pytest.mark.parametrize("bad, message", [
    (dict(lr=float("nan")), "lr must be a finite number"),
    (dict(batch_size=0), "batch_size must be > 0"),
    (dict(arch="vision"), "arch must be a language arch"),
    (dict(preset="nope"), "unknown preset"),
    (dict(out="run.pt"), "out must name a .safetensors file"),
    (dict(stop_after_steps=5), "stop_after_steps needs out"),
])
def test_language_settings_refuse_what_no_run_could_use(bad, message):
    with pytest.raises(ValueError, match=message):
        LMSettings(**{"steps": 10, **bad})


@pytest.mark.parametrize("bad, message", [
    (dict(batch_size=0), "batch_size must be > 0"),
    (dict(mixup=-1.0), "mixup must be >= 0"),
    (dict(lr=float("inf")), "lr must be a finite number"),
    (dict(preset="nope"), "unknown preset"),
])
def test_vision_settings_refuse_what_no_run_could_use(bad, message):
    with pytest.raises(ValueError, match=message):
        VisionSettings(**bad)


def test_a_registered_text_family_is_a_train_lm_choice_with_no_other_edit(tmp_path):
    with toy_family() as toy:
        assert "toy-lm" in archs_for("text")
        text = tmp_path / "x.txt"
        text.write_text(TEXT, encoding="utf-8")
        args = build_parser().parse_args(["--arch", "toy", "--data", str(text), "--out",
                                          str(tmp_path / "x.safetensors"), "--steps", "1"])
        assert args.arch == "toy"
        settings = LMSettings(arch="toy-lm", preset="gmlp-lm-tiny", steps=3, batch_size=4, eval_every=3,
                              eval_windows=2, final_eval_windows=2, quiet=True, device="cpu")
        result = train_lm(settings, tiny_corpus())
        assert isinstance(result.model, toy) and torch.isfinite(torch.tensor(result.record["val_loss"]))
    assert "toy-lm" not in archs_for("text") and "gmlp-lm-tiny" in LM_PRESETS
