"""The checkpoints committed in checkpoints/: what the app opens by default."""

import unicodedata

import pytest
import torch

from gmlp_core.formats.checkpoints import list_checkpoints, load_checkpoint, read_arch
from gmlp_core.data import CIFAR10_CLASSES, consecutive_windows, load_corpus
from gmlp_core.formats.images import load_image
from gmlp_core.analysis.inference import predict
from gmlp_core.models import count_parameters, preset
from gmlp_core.training.lm import loss_on
from tests.helpers import DATASETS, ROOT

CHECKPOINTS = ROOT / "checkpoints"
SAMPLES = sorted((ROOT / "gmlp_core" / "ui" / "samples").glob("*.jpg"))


def test_s16_is_the_blog_protocol_under_two_million_parameters():
    model, info = load_checkpoint(CHECKPOINTS / "s16.safetensors")
    assert (info.config.patch_size, info.config.num_patches, info.config.heads) == (8, 16, 4)
    assert count_parameters(model) < 2_000_000
    assert info.class_names == CIFAR10_CLASSES


def test_s64_is_a_cpu_size_on_an_8x8_patch_grid():
    model, info = load_checkpoint(CHECKPOINTS / "s64.safetensors")
    assert (info.config.patch_size, info.config.grid_size, info.config.heads) == (4, 8, 4)
    assert count_parameters(model) <= 2_500_000
    assert info.class_names == CIFAR10_CLASSES


@pytest.mark.parametrize("name", ["s16", "s64"])
def test_shipped_vision_model_records_how_it_was_made_with_a_snapshot_per_epoch(name):
    _, info = load_checkpoint(CHECKPOINTS / f"{name}.safetensors")
    meta = info.meta
    # the file is named for its grid; the preset it records rebuilds exactly its model
    assert meta["dataset"] == "CIFAR-10 (JPEG q75)" and preset(meta["preset"]).replace(num_classes=10) == info.config
    assert [meta["test"][f"top{k}"] for k in range(1, 6)] == sorted(meta["test"][f"top{k}"] for k in range(1, 6))
    assert meta["test_images"] == 5000 and len(meta["confusion"]) == 10
    assert {"device", "wall_time_s", "images_per_s", "training", "history", "mean", "std"} <= set(meta)
    assert info.snapshots.shape[0] == len(meta["history"]) + 1  # the initial W, then one per epoch


def correct_on_samples(preset: str) -> int:
    model, info = load_checkpoint(CHECKPOINTS / f"{preset}.safetensors")
    truths = [path.stem.rsplit("_", 1)[0] for path in SAMPLES]
    guesses = [predict(model, info, load_image(path)).top[0][0] for path in SAMPLES]
    assert len(SAMPLES) == 20 and set(truths) == set(CIFAR10_CLASSES)
    return sum(t == g for t, g in zip(truths, guesses))


def test_s16_classifies_the_committed_samples():
    assert correct_on_samples("s16") >= 14


def test_s64_classifies_the_committed_samples_as_well_as_s16():
    assert correct_on_samples("s64") >= correct_on_samples("s16")


@pytest.mark.parametrize("path", [p for p in list_checkpoints(CHECKPOINTS) if read_arch(p) == "vision"],
                         ids=lambda p: p.name)
def test_every_committed_vision_checkpoint_loads_and_classifies(path):
    model, info = load_checkpoint(path)
    prediction = predict(model, info, load_image(SAMPLES[0]))
    assert len(prediction.top) == 5 and abs(float(prediction.probabilities.sum()) - 1) < 1e-5


# ---- the language models: three on Shakespeare, three on Vietnamese prose, at one preset
SETS = {  # file prefix -> (corpus, characters known, validation target in nats/char)
    "lm": (DATASETS / "tinyshakespeare" / "input.txt", 65, 1.60),
    "lm-vi": (DATASETS / "vi-help" / "input.txt", None, 1.10),
}
SHIPPED = [(prefix, arch) for prefix in SETS for arch in ("attention", "gmlp", "amlp")]
EVERY_TONE = ("a à á ả ã ạ ă ằ ắ ẳ ẵ ặ â ầ ấ ẩ ẫ ậ e è é ẻ ẽ ẹ ê ề ế ể ễ ệ i ì í ỉ ĩ ị o ò ó ỏ õ ọ ô ồ ố ổ ỗ ộ "
              "ơ ờ ớ ở ỡ ợ u ù ú ủ ũ ụ ư ừ ứ ử ữ ự y ỳ ý ỷ ỹ ỵ đ Đ")


@pytest.mark.parametrize("prefix, arch", SHIPPED)
def test_shipped_language_model_reproduces_its_recorded_val_loss(prefix, arch):
    corpus_path, known, target = SETS[prefix]
    model, info = load_checkpoint(CHECKPOINTS / f"{prefix}-{arch}.safetensors")
    assert info.arch == f"{arch}-lm" and info.meta["dataset"].endswith(f"{corpus_path.parent.name}/input.txt")
    assert known is None or len(info.tokenizer.vocab) == known
    assert count_parameters(model) <= 2_000_000 and info.config.block_size >= 64
    assert info.meta["val_loss"] <= target and info.meta["wall_time_s"] <= 25 * 60
    corpus = load_corpus(corpus_path, info.tokenizer)
    windows = consecutive_windows(corpus.val, info.config.block_size, info.meta["val_slice_chars"])
    assert loss_on(model, *windows) == pytest.approx(info.meta["val_slice_loss"], abs=1e-4)


@pytest.mark.parametrize("prefix", SETS)
def test_shipped_language_models_are_the_same_size_within_ten_percent(prefix):
    sizes = [count_parameters(load_checkpoint(CHECKPOINTS / f"{prefix}-{a}.safetensors")[0])
             for a in ("attention", "gmlp", "amlp")]
    assert max(sizes) / min(sizes) <= 1.10


@pytest.mark.parametrize("arch", ["attention", "gmlp", "amlp"])
def test_vietnamese_models_know_every_tone_and_read_decomposed_text_as_composed(arch):
    model, info = load_checkpoint(CHECKPOINTS / f"lm-vi-{arch}.safetensors")
    assert info.tokenizer.unknown_positions(EVERY_TONE) == []
    composed = "Hôm nay lớp mình học về cơ chế attention"
    decomposed = unicodedata.normalize("NFD", composed)
    assert decomposed != composed
    ids = info.tokenizer.encode(decomposed)
    assert torch.equal(ids, info.tokenizer.encode(composed)) and info.tokenizer.unknown_positions(decomposed) == []
    with torch.inference_mode():
        assert torch.equal(model(ids[None]), model(info.tokenizer.encode(composed)[None]))
