"""Hostile and broken checkpoints, made here at test time: each is refused with a CheckpointError naming the
problem, fast and without building what it asks for (through the library and the app's uploader)."""

import io
import pickle
import time
import tracemalloc

import pytest
import torch

from gmlp_core.formats.checkpoints import CheckpointError, load_checkpoint, load_uploaded
from gmlp_core.models import GMLPVision, VisionConfig
from tests.helpers import ROOT
from tests.helpers.hostile import (TINY, deflated, hostile_files, safetensors_bytes, tiny_tensors_and_header,
                                   torch_bytes, with_config, with_meta)
SECONDS, MEGABYTES = 2.0, 300  # the budget every refusal must stay within
HOSTILE = hostile_files()


def refused(data: bytes, name: str, match: str) -> CheckpointError:
    """Load `data` as an upload named `name`: a CheckpointError matching `match`, within the time and memory
    budget, its message short."""
    tracemalloc.start()
    start = time.perf_counter()
    try:
        with pytest.raises(CheckpointError, match=match) as caught:
            load_uploaded(data, name)
        elapsed = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1] / 2 ** 20
    finally:
        tracemalloc.stop()
    assert elapsed < SECONDS, f"{name}: refused after {elapsed:.1f} s"
    assert peak < MEGABYTES, f"{name}: {peak:.0f} MB allocated before the refusal"
    assert len(str(caught.value)) <= 700
    return caught.value


@pytest.mark.parametrize("changes, match", [
    (dict(d_model=16384, d_ffn=16384), "implies .* parameters; the app loads models up to"),
    (dict(depth=30000), "depth is 30,000; the app loads models with depth up to 256"),
    (dict(depth=10 ** 6), "depth is 1,000,000"),
    (dict(image_size=256, patch_size=1), "65,536 tokens"),
    (dict(heads=0), "heads must be >= 1"),
    (dict(d_model=32.0), "d_model must be int"),
    (dict(heads=True), "heads must be int"),
    (dict(d_ffn=-64), "d_model and d_ffn must be positive"),
    (dict(head_hidden=-1), "attn_dim and head_hidden must be >= 0"),
    (dict(in_chans=-3), "in_chans must be >= 1"),
    (dict(norm_eps="x"), "norm_eps must be float"),
    (dict(depth=0), "depth 0"),
])
def test_a_header_config_is_checked_before_anything_is_built(changes, match):
    refused(with_config(**changes), "crafted.safetensors", match)


def test_json_nested_fifty_thousand_deep_is_refused():
    tensors, header = tiny_tensors_and_header()
    deep = "[" * 50_000 + "]" * 50_000
    refused(safetensors_bytes(tensors, {**header, "meta": deep}), "deep.safetensors", "nested too deep")


@pytest.mark.parametrize("header_change, match", [
    (dict(arch="evil"), "unknown arch 'evil'"),
    (dict(arch="attention-lm", config=None), "must record its config"),
])
def test_an_unknown_arch_or_a_missing_config_is_named(header_change, match):
    tensors, header = tiny_tensors_and_header()
    header.update(header_change)
    header = {k: v for k, v in header.items() if v is not None}
    refused(safetensors_bytes(tensors, header), "arch.safetensors", match)


@pytest.mark.parametrize("meta, match", [
    ([1, 2], "meta field 'meta' must be an object"),
    ({"class_names": ["a", "b", "c"]}, "'class_names' must be a list of 10"),
    ({"class_names": 7}, "'class_names'"),
    ({"class_names": [["a"]] * 10}, "'class_names'"),
    ({"mean": [0.5, 0.5]}, "'mean' must be a list of 3 finite numbers"),
    ({"std": ["a", "b", "c"]}, "'std'"),
    ({"snapshot_labels": 3}, "'snapshot_labels'"),
])
def test_metadata_a_page_cannot_show_is_refused_by_name(meta, match):
    refused(with_meta(meta), "meta.safetensors", match)


def test_snapshots_of_the_wrong_shape_are_refused():
    tensors, header = tiny_tensors_and_header()
    for shape in [(3,), (2, 5, 7, 3, 3)]:
        crafted = {**tensors, "spatial_snapshots": torch.zeros(shape, dtype=torch.float16)}
        refused(safetensors_bytes(crafted, header), "snap.safetensors", "spatial_snapshots is")


def test_empty_or_stride_zero_weights_are_refused():
    state = GMLPVision(VisionConfig(d_model=16, d_ffn=32, depth=1, heads=1)).state_dict()
    refused(torch_bytes({**state, "head.weight": torch.zeros(0, 16)}), "empty.pt", "has no elements")
    huge = torch.zeros(1).expand(4096, 4096)  # 16 M numbers that are one number on disk
    refused(torch_bytes({**state, "head.weight": huge}), "stride0.pt", "stride 0")


def test_a_compressed_torch_zip_is_refused_before_it_is_inflated():
    state = GMLPVision(VisionConfig(d_model=16, d_ffn=32, depth=1, heads=1)).state_dict()
    refused(deflated(torch_bytes(state)), "deflated.pt", "compressed")


@pytest.mark.parametrize("data, match", [
    (torch_bytes({1: torch.zeros(2), (2, 3): torch.zeros(2)}), "keys are parameter names"),
    (b"\x80" + bytes(range(256)) * 4, "broken.pt: (refused|corrupt)"),
    (pickle.dumps({"w": torch.zeros(2)}, protocol=2)[:20], "broken.pt: (refused|corrupt)"),
])
def test_broken_torch_files_are_checkpoint_errors(data, match):
    refused(data, "broken.pt", match)


def test_a_refusal_holds_nothing_of_what_was_read():
    err = refused(with_config(depth=30000), "big.safetensors", "depth")
    assert err.__context__ is None and err.__cause__ is None
    with pytest.raises(CheckpointError) as caught:
        load_checkpoint(TINY.parent / "nowhere.safetensors")
    assert caught.value.__context__ is None


def test_a_grayscale_model_reads_pictures_as_grey():
    from PIL import Image

    from gmlp_core.analysis.inference import predict
    config = VisionConfig(in_chans=1, d_model=16, d_ffn=32, depth=1, heads=1)
    buffer = io.BytesIO()
    model = GMLPVision(config).eval()
    torch.save({"model": model.state_dict(), "config": config.to_dict()}, buffer)
    loaded, info = load_uploaded(buffer.getvalue(), "grey.pt")
    assert info.mean == (0.5,) and len(predict(loaded, info, Image.new("RGB", (40, 30), (9, 99, 199))).top) == 5
    with pytest.raises(CheckpointError):
        load_checkpoint(ROOT / "nowhere.safetensors")


@pytest.mark.parametrize("name", list(HOSTILE))
def test_every_hostile_file_is_refused_within_its_budget(name):
    data, file_name, match = HOSTILE[name]
    refused(data, file_name, match)
