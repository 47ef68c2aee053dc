"""The image pages' cached computations: a result is reused only for the same checkpoint file version, picture and
choice; another file, a rewritten file, another picture, layer or set of heads, or an upload gets its own. The
cached listing of checkpoints/ follows the folder."""

import os

import pytest
import torch
from PIL import Image

from gmlp_core.analysis.inference import predict, prepare, token_attention
from gmlp_core.analysis.spatial import layer_structure
from gmlp_core.formats.checkpoints import load_checkpoint, save_checkpoint
from gmlp_core.models import GMLPVision, VisionConfig, head_average, spatial_weights
from gmlp_core.ui import vision_cache

CONFIG = VisionConfig(d_model=16, d_ffn=32, depth=2, heads=2, cls_token=True, pool="cls")
RED, BLUE = Image.new("RGB", (32, 32), (200, 10, 10)), Image.new("RGB", (32, 32), (10, 10, 200))


@pytest.fixture(autouse=True)
def _empty_caches():
    for cached in (vision_cache._prediction, vision_cache._attention, vision_cache._structure):
        cached.clear()
    yield


def saved(path, seed: int):
    """A random vision model written to path -> (model, info) as the app loads it."""
    torch.manual_seed(seed)
    save_checkpoint(GMLPVision(CONFIG).eval(), path)
    return load_checkpoint(path)


def probabilities(model, info, file, picture, image):
    return vision_cache.prediction(model, info, file, picture, image).probabilities


def test_each_checkpoint_file_and_picture_gets_its_own_prediction(tmp_path):
    one, two = tmp_path / "one.safetensors", tmp_path / "two.safetensors"
    model_one, info_one = saved(one, 0)
    model_two, info_two = saved(two, 1)
    red_one = probabilities(model_one, info_one, one, "red", RED)
    assert torch.equal(red_one, predict(model_one, info_one, RED).probabilities)
    assert torch.equal(probabilities(model_two, info_two, two, "red", RED), predict(model_two, info_two, RED).probabilities)
    assert torch.equal(probabilities(model_one, info_one, one, "blue", BLUE),
                       predict(model_one, info_one, BLUE).probabilities)
    assert probabilities(model_one, info_one, one, "red", RED) is red_one  # the same again: made once, shared


def test_a_rewritten_checkpoint_file_is_computed_again(tmp_path):
    file = tmp_path / "model.safetensors"
    old_model, old_info = saved(file, 0)
    before = probabilities(old_model, old_info, file, "red", RED)
    new_model, new_info = saved(file, 1)
    os.utime(file, (file.stat().st_atime, file.stat().st_mtime + 5))  # a later version, whatever the clock's grain
    after = probabilities(new_model, new_info, file, "red", RED)
    assert torch.equal(after, predict(new_model, new_info, RED).probabilities) and not torch.equal(after, before)


def test_an_uploaded_checkpoint_is_computed_from_its_own_model(tmp_path):
    model_one, info_one = saved(tmp_path / "one.safetensors", 0)
    model_two, info_two = saved(tmp_path / "two.safetensors", 1)
    one = vision_cache.prediction(model_one, info_one, None, "red", RED)
    two = vision_cache.prediction(model_two, info_two, None, "red", RED)  # another session's upload, same picture
    assert torch.equal(two.probabilities, predict(model_two, info_two, RED).probabilities)
    assert not torch.equal(one.probabilities, two.probabilities)
    attention = vision_cache.attention(model_two, info_two, None, "red", RED, 1)
    assert torch.equal(attention, token_attention(model_two, prepare(RED, info_two)[1], 1).weights)


def test_attention_is_kept_per_file_picture_and_layer(tmp_path):
    file = tmp_path / "model.safetensors"
    model, info = saved(file, 0)
    for picture, image in (("red", RED), ("blue", BLUE)):
        for layer in (0, 1):
            expected = token_attention(model, prepare(image, info)[1], layer).weights
            assert torch.equal(vision_cache.attention(model, info, file, picture, image, layer), expected)
    other_file = tmp_path / "other.safetensors"
    other, other_info = saved(other_file, 1)
    assert torch.equal(vision_cache.attention(other, other_info, other_file, "red", RED, 0),
                       token_attention(other, prepare(RED, other_info)[1], 0).weights)


def test_the_layer_structure_is_kept_per_file_layer_and_heads(tmp_path):
    file = tmp_path / "model.safetensors"
    model, _ = saved(file, 0)
    weights = spatial_weights(model)
    for layer in (0, 1):
        for chosen in ([0], [1], [0, 1]):
            expected = layer_structure(weights[layer], head_average(weights[layer], chosen), CONFIG.grid_size)
            got = vision_cache.structure(model, file, layer, chosen)
            assert torch.equal(got.kernels, expected.kernels) and got.structures == expected.structures
    assert vision_cache.structure(model, file, 0, [1, 0]) is vision_cache.structure(model, file, 0, [0, 1])
    upload = vision_cache.structure(model, None, 1, [1])
    assert torch.equal(upload.kernels, vision_cache.structure(model, file, 1, [1]).kernels)


def test_the_checkpoint_listing_sees_a_file_added_or_removed_at_once(tmp_path, monkeypatch):
    from gmlp_core.ui import checkpoints
    monkeypatch.setattr(checkpoints, "CHECKPOINT_DIR", tmp_path)
    saved(tmp_path / "a.safetensors", 0)
    assert [p.name for p in checkpoints.vision_checkpoints()] == ["a.safetensors"]
    saved(tmp_path / "b.safetensors", 1)
    assert [p.name for p in checkpoints.vision_checkpoints()] == ["a.safetensors", "b.safetensors"]
    (tmp_path / "a.safetensors").unlink()
    assert [p.name for p in checkpoints.vision_checkpoints()] == ["b.safetensors"]
