import json

import pytest
import torch

from gmlp_core.models import PRESETS, GMLPVision, VisionConfig, count_parameters, preset, spatial_weights


def test_config_round_trips_through_json():
    config = VisionConfig(patch_size=4, heads=4, d_ffn=256, cls_token=True, pool="cls", head_hidden=32)
    assert VisionConfig.from_json(config.to_json()) == config
    assert json.loads(config.to_json())["heads"] == 4


@pytest.mark.parametrize("bad, words", [
    (dict(d_ffn=100, heads=4), "d_ffn (100) must be divisible by 2 * heads (8)"),
    (dict(image_size=30, patch_size=8), "image_size (30) must be divisible by patch_size (8)"),
    (dict(pool="cls"), "pool='cls' needs cls_token=True"),
    (dict(pool="max"), "pool must be one of"),
])
def test_config_rejects_broken_invariants_with_a_message(bad, words):
    with pytest.raises(ValueError, match=words.replace("(", r"\(").replace(")", r"\)").replace("*", r"\*")):
        VisionConfig(**bad)


def test_config_rejects_unknown_fields():
    with pytest.raises(ValueError, match="unknown fields"):
        VisionConfig.from_dict({"d_model": 8, "colour": "red"})


def test_presets_have_the_advertised_token_counts():
    assert preset("s16").num_patches == 16 and preset("s16").heads == 4
    assert preset("s64").num_patches == 64 and preset("s64").heads == 4
    assert preset("blog").head_act == "gelu" and preset("blog").gelu_after_v
    assert preset("blog").seq_len == 17
    assert count_parameters(GMLPVision(preset("s16"))) < 2_000_000
    wide = preset("s16-wide")  # the wider, shallower candidate for the same 4x4 grid and budget
    assert wide.num_patches == 16 and wide.depth < preset("s16").depth and wide.d_model > preset("s16").d_model
    assert count_parameters(GMLPVision(wide)) < 2_000_000
    assert count_parameters(GMLPVision(preset("s64"))) <= 2_500_000  # sized for a CPU
    assert preset("s64-gpu").num_patches == 64
    with pytest.raises(ValueError, match="unknown preset"):
        preset("huge")


def test_vision_model_shapes():
    config = VisionConfig(patch_size=8, d_model=16, d_ffn=32, depth=2, heads=2, cls_token=True, pool="cls")
    model = GMLPVision(config)
    assert model(torch.randn(3, 3, 32, 32)).shape == (3, 10)
    assert model.tokens(torch.randn(3, 3, 32, 32)).shape == (3, 17, 16)
    assert spatial_weights(model).shape == (2, 2, 17, 17)


def test_vision_model_names_the_wrong_input_shape():
    model = GMLPVision(PRESETS["tiny"])
    with pytest.raises(ValueError, match=r"expected images of shape \(batch, 3, 32, 32\)"):
        model(torch.randn(1, 3, 28, 28))




def test_s64_preset_takes_a_training_step():
    model = GMLPVision(preset("s64"))
    loss = model(torch.randn(2, 3, 32, 32)).logsumexp(dim=1).mean()
    loss.backward()
    assert spatial_weights(model).shape == (8, 4, 64, 64)
    assert model.gmlp.blocks[0].sgu.weight.grad.abs().sum() > 0
