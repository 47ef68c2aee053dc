import math
import os
import subprocess
import sys

import pytest
import torch
from safetensors.torch import load_file

from gmlp_core.formats.checkpoints import load_checkpoint, read_metadata
from gmlp_core.data import consecutive_windows, load_corpus
from gmlp_core.models import spatial_weights
from gmlp_core.train_lm import main as train_lm_main
from gmlp_core.training.lm import loss_on
from tests.helpers import ROOT

TEXT = "to be or not to be, that is the question.\n" * 60

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def corpus_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("text") / "tiny.txt"
    path.write_text(TEXT, encoding="utf-8")
    return path


def common(corpus_path, arch: str) -> list[str]:
    return ["--arch", arch, "--preset", f"{arch}-lm-tiny", "--data", str(corpus_path), "--batch-size", "8",
            "--lr", "1e-2", "--warmup-steps", "5", "--eval-every", "10", "--eval-windows", "8",
            "--final-eval-windows", "8", "--quiet", "--device", "cpu"]


@pytest.mark.parametrize("arch", ["attention", "gmlp", "amlp"])
def test_loss_falls_and_the_checkpoint_records_the_run(corpus_path, tmp_path, arch):
    out = tmp_path / f"lm-{arch}.safetensors"
    assert train_lm_main([*common(corpus_path, arch), "--steps", "40", "--out", str(out)]) == 0
    _, meta = read_metadata(out)
    losses = [r["val_loss"] for r in meta["history"]]
    assert losses[-1] < losses[0] - 0.5
    assert meta["val_bits_per_char"] == pytest.approx(meta["val_loss"] / math.log(2))
    assert meta["vocab"] == "".join(sorted(set(TEXT))) and meta["training"]["steps"] == 40
    assert meta["device"].startswith("CPU") and meta["chars_per_s"] > 0 and meta["wall_time_s"] > 0
    model, info = load_checkpoint(out)
    assert info.arch == f"{arch}-lm" and info.tokenizer.vocab == meta["vocab"]
    if arch == "attention":
        assert info.snapshots is None
    else:
        assert info.snapshot_labels[0] == "init" and info.snapshot_labels[-1] == "step 40"
        assert info.snapshots.shape[1:] == spatial_weights(model).shape
        assert torch.allclose(info.snapshots[-1], spatial_weights(model), atol=1e-3)


def test_recorded_slice_loss_is_reproduced_from_the_checkpoint(corpus_path, tmp_path):
    out = tmp_path / "lm.safetensors"
    assert train_lm_main([*common(corpus_path, "gmlp"), "--steps", "20", "--out", str(out)]) == 0
    model, info = load_checkpoint(out)
    corpus = load_corpus(corpus_path, info.tokenizer)
    windows = consecutive_windows(corpus.val, model.config.block_size, info.meta["val_slice_chars"])
    assert loss_on(model, *windows) == pytest.approx(info.meta["val_slice_loss"], abs=1e-5)


def test_the_same_seed_trains_the_same_weights_and_resume_matches(corpus_path, tmp_path):
    straight, again, split = (tmp_path / f"{n}.safetensors" for n in ("straight", "again", "split"))
    args = [*common(corpus_path, "amlp"), "--steps", "30"]
    assert train_lm_main([*args, "--out", str(straight)]) == 0
    assert train_lm_main([*args, "--out", str(again)]) == 0
    assert train_lm_main([*args, "--out", str(split), "--stop-after-steps", "15"]) == 0
    assert not split.exists()
    assert train_lm_main([*args, "--out", str(split), "--resume", f"{split}.state.pt"]) == 0
    a, b, c = load_file(straight), load_file(again), load_file(split)
    assert all(torch.equal(a[k], b[k]) for k in a) and all(torch.equal(a[k], c[k]) for k in a)


def test_a_time_budget_anneals_to_zero_at_its_end_and_records_the_steps(corpus_path, tmp_path):
    out = tmp_path / "timed.safetensors"
    assert train_lm_main([*common(corpus_path, "gmlp"), "--minutes", "0.1", "--out", str(out)]) == 0
    _, meta = read_metadata(out)
    history = meta["history"]
    assert meta["training"]["minutes"] == 0.1 and meta["training"]["steps"] == history[-1]["step"] > 10
    assert 5.9 <= meta["wall_time_s"] < 9 and history[-1]["lr"] < 0.02 * 1e-2
    assert meta["snapshot_labels"][0] == "init" and meta["snapshot_labels"][-1] == f"step {history[-1]['step']}"


def test_a_corpus_too_short_to_train_on_is_reported_before_training(tmp_path, capsys):
    short = tmp_path / "short.txt"
    short.write_text("to be or not to be", encoding="utf-8")
    assert train_lm_main(["--arch", "gmlp", "--data", str(short), "--out", str(tmp_path / "x.safetensors"),
                          "--steps", "2"]) == 2
    assert "it needs at least 100" in capsys.readouterr().err and not (tmp_path / "x.safetensors").exists()


def test_two_process_gloo_ddp_run(corpus_path, tmp_path):
    out = tmp_path / "ddp.safetensors"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OMP_NUM_THREADS": "1"}
    command = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node=2",
               "-m", "gmlp_core.train_lm", *common(corpus_path, "gmlp"), "--minutes", "0.1", "--out", str(out)]
    run = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    model, info = load_checkpoint(out)
    assert info.meta["world_size"] == 2 and info.meta["training"]["steps"] == info.meta["history"][-1]["step"]
    assert model(torch.zeros(1, 5, dtype=torch.long)).shape == (1, 5, info.config.vocab_size)
