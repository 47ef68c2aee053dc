import os
import subprocess
import sys

import pytest
import torch
from safetensors.torch import load_file

from gmlp_core.formats.checkpoints import load_checkpoint, read_metadata
from gmlp_core.train import main as train_main
from tests.helpers import ROOT
from tests.helpers.synthetic import write_image_folder

COMMON = ["--preset", "tiny", "--batch-size", "50", "--val-size", "50", "--lr", "3e-3", "--quiet", "--device", "cpu"]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def data_root(tmp_path_factory):
    return write_image_folder(tmp_path_factory.mktemp("cifar"), {"train": 40, "test": 5})


def test_loss_falls_and_checkpoint_records_everything(data_root, tmp_path):
    out = tmp_path / "tiny.safetensors"
    assert train_main([*COMMON, "--data-dir", str(data_root), "--out", str(out), "--epochs", "4"]) == 0
    _, meta = read_metadata(out)
    losses = [record["train_loss"] for record in meta["history"]]
    assert losses[-1] < losses[0] - 0.3
    assert meta["dataset"] == "CIFAR-10 (JPEG q75)" and meta["preset"] == "tiny"
    assert set(meta["test"]) == {"top1", "top2", "top3", "top4", "top5"} and meta["test_images"] == 50
    assert len(meta["confusion"]) == 10 and len(meta["per_class"]) == 10
    assert meta["device"].startswith("CPU") and meta["wall_time_s"] > 0 and meta["images_per_s"] > 0
    model, info = load_checkpoint(out)
    assert info.snapshots.shape == (5, 2, 2, 16, 16)  # init + 4 epochs
    assert info.snapshot_labels == ["init", "epoch 1", "epoch 2", "epoch 3", "epoch 4"]
    assert not torch.equal(info.snapshots[0], info.snapshots[-1])


def test_s64_trains_on_tiny_data_with_a_snapshot_for_every_epoch(data_root, tmp_path):
    out = tmp_path / "s64.safetensors"
    args = [*COMMON, "--preset", "s64", "--data-dir", str(data_root), "--out", str(out), "--epochs", "2",
            "--skip-test", "--limit-per-class", "10", "--val-size", "20", "--batch-size", "20", "--precision", "bf16"]
    assert train_main(args) == 0
    model, info = load_checkpoint(out)
    assert info.config.num_patches == 64 and info.meta["preset"] == "s64"
    assert info.snapshots.shape == (3, 8, 4, 64, 64)  # init + one per epoch
    assert info.snapshot_labels == ["init", "epoch 1", "epoch 2"]
    assert not torch.equal(info.snapshots[1], info.snapshots[2])


def test_resume_continues_from_the_saved_epoch_and_matches_an_uninterrupted_run(data_root, tmp_path):
    straight, split = tmp_path / "straight.safetensors", tmp_path / "split.safetensors"
    args = [*COMMON, "--data-dir", str(data_root), "--epochs", "2", "--skip-test",
            "--mixup", "0.8", "--cutmix", "1.0", "--mix-prob", "0.5", "--trivial-augment", "--ema", "0.9"]
    assert train_main([*args, "--out", str(straight)]) == 0
    assert train_main([*args, "--out", str(split), "--stop-after-epoch", "1"]) == 0
    assert not split.exists()
    state = torch.load(f"{split}.state.pt", weights_only=True)
    assert state["epoch"] == 1
    assert train_main([*args, "--out", str(split), "--resume", f"{split}.state.pt"]) == 0
    _, meta = read_metadata(split)
    assert [r["epoch"] for r in meta["history"]] == [1, 2]
    a, b = load_file(straight), load_file(split)
    assert all(torch.equal(a[k], b[k]) for k in a)


def test_ema_weights_are_evaluated_and_saved_beside_the_raw_top1(data_root, tmp_path):
    out = tmp_path / "ema.safetensors"
    assert train_main([*COMMON, "--data-dir", str(data_root), "--out", str(out), "--epochs", "2", "--skip-test",
                       "--ema", "0.5"]) == 0
    _, meta = read_metadata(out)
    assert meta["training"]["ema"] == 0.5
    assert all(0.0 <= r["val_top1_raw"] <= 1.0 for r in meta["history"])
    state = torch.load(f"{out}.state.pt", weights_only=True)
    saved = load_file(out)
    ema = {k.removeprefix("module."): v for k, v in state["ema"].items() if k.startswith("module.")}
    name = "head.weight"
    assert torch.equal(saved[name].float(), ema[name].float())
    assert not torch.equal(saved[name].float(), state["model"][name].float())


def test_two_process_gloo_ddp_run(data_root, tmp_path):
    out = tmp_path / "ddp.safetensors"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OMP_NUM_THREADS": "1"}
    command = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node=2",
               "-m", "gmlp_core.train", *COMMON, "--data-dir", str(data_root), "--out", str(out), "--epochs", "2"]
    run = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    _, meta = read_metadata(out)
    assert meta["training"]["world_size"] == 2 and len(meta["history"]) == 2
    model, _ = load_checkpoint(out)
    assert model(torch.zeros(1, 3, 32, 32)).shape == (1, 10)


def test_missing_data_dir_is_reported(tmp_path, capsys):
    assert train_main([*COMMON, "--data-dir", str(tmp_path / "none"), "--out", str(tmp_path / "x.safetensors")]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_bf16_run_with_mixing_records_its_recipe(data_root, tmp_path):
    out = tmp_path / "bf16.safetensors"
    assert train_main([*COMMON, "--data-dir", str(data_root), "--out", str(out), "--epochs", "2", "--skip-test",
                       "--precision", "bf16", "--mixup", "0.8", "--cutmix", "1.0", "--mix-prob", "0.5",
                       "--trivial-augment"]) == 0
    _, meta = read_metadata(out)
    assert meta["training"]["precision"] == "bf16 autocast"
    assert meta["training"]["mixup"] == 0.8 and meta["training"]["cutmix"] == 1.0
    assert meta["training"]["augmentation"].startswith("TrivialAugmentWide")
    assert "MixUp(alpha=0.8) or CutMix(alpha=1.0) on 50% of batches" in meta["training"]["augmentation"]
    model, _ = load_checkpoint(out)
    assert torch.isfinite(model(torch.zeros(2, 3, 32, 32))).all()
