import json

import pytest
import torch

from gmlp_core.models import (PRESETS, GMLP, GMLPBlock, GMLPVision, ModelConfig, SpatialGatingUnit,
                              count_parameters, head_average, preset, spatial_weights)


def test_config_round_trips_through_json():
    config = ModelConfig(patch_size=4, heads=4, d_ffn=256, cls_token=True, pool="cls", head_hidden=32)
    assert ModelConfig.from_json(config.to_json()) == config
    assert json.loads(config.to_json())["heads"] == 4


@pytest.mark.parametrize("bad, words", [
    (dict(d_ffn=100, heads=4), "d_ffn (100) must be divisible by 2 * heads (8)"),
    (dict(image_size=30, patch_size=8), "image_size (30) must be divisible by patch_size (8)"),
    (dict(pool="cls"), "pool='cls' needs cls_token=True"),
    (dict(pool="max"), "pool must be one of"),
])
def test_config_rejects_broken_invariants_with_a_message(bad, words):
    with pytest.raises(ValueError, match=words.replace("(", r"\(").replace(")", r"\)").replace("*", r"\*")):
        ModelConfig(**bad)


def test_config_rejects_unknown_fields():
    with pytest.raises(ValueError, match="unknown fields"):
        ModelConfig.from_dict({"d_model": 8, "colour": "red"})


def test_presets_have_the_advertised_token_counts():
    assert preset("s16").num_patches == 16 and preset("s16").heads == 4
    assert preset("s64").num_patches == 64 and preset("s64").heads == 4
    assert preset("blog").seq_len == 17
    assert count_parameters(GMLPVision(preset("s16"))) < 2_000_000
    with pytest.raises(ValueError, match="unknown preset"):
        preset("huge")


def test_vision_model_shapes():
    config = ModelConfig(patch_size=8, d_model=16, d_ffn=32, depth=2, heads=2, cls_token=True, pool="cls")
    model = GMLPVision(config)
    assert model(torch.randn(3, 3, 32, 32)).shape == (3, 10)
    assert model.tokens(torch.randn(3, 3, 32, 32)).shape == (3, 17, 16)
    assert spatial_weights(model).shape == (2, 2, 17, 17)


def test_vision_model_names_the_wrong_input_shape():
    model = GMLPVision(PRESETS["tiny"])
    with pytest.raises(ValueError, match=r"expected images of shape \(batch, 3, 32, 32\)"):
        model(torch.randn(1, 3, 28, 28))


def test_sgu_initialisation_is_near_zero_weight_and_unit_bias():
    sgu = SpatialGatingUnit(d_ffn=32, seq_len=10, heads=4)
    assert sgu.weight.shape == (4, 10, 10) and sgu.bias.shape == (4, 10)
    assert sgu.weight.abs().max() < 1e-3
    assert torch.equal(sgu.bias, torch.ones(4, 10))


def test_block_at_init_acts_per_token():
    block = GMLPBlock(d_model=16, d_ffn=32, seq_len=8, heads=2).eval()
    x = torch.randn(2, 8, 16)
    shuffled = torch.randperm(8)
    # gate ~ 1: permuting the tokens only permutes the outputs
    assert torch.allclose(block(x)[:, shuffled], block(x[:, shuffled]), atol=1e-3)
    with torch.no_grad():
        block.sgu.weight.zero_()
    z1 = torch.nn.functional.gelu(block.proj_in(block.norm(x))).chunk(2, dim=-1)[0]
    assert torch.allclose(block(x), x + block.proj_out(z1), atol=1e-6)


def test_causal_w_is_exactly_zero_above_the_diagonal():
    model = GMLP(d_model=8, d_ffn=16, seq_len=6, depth=2, heads=2, causal=True)
    with torch.no_grad():
        for block in model.blocks:
            block.sgu.weight.normal_()
    w = spatial_weights(model)
    above = torch.ones(6, 6, dtype=torch.bool).triu(1)
    assert (w[..., above] == 0).all()
    assert (w[..., ~above] != 0).all()


def test_causal_output_ignores_future_tokens():
    model = GMLP(d_model=8, d_ffn=16, seq_len=6, depth=2, heads=2, causal=True, attn_dim=4).eval()
    with torch.no_grad():
        for block in model.blocks:
            block.sgu.weight.normal_()
    x = torch.randn(1, 6, 8)
    changed = x.clone()
    changed[:, 4:] = torch.randn(1, 2, 8)
    assert torch.allclose(model(x)[:, :4], model(changed)[:, :4], atol=1e-6)
    assert not torch.allclose(model(x)[:, 4:], model(changed)[:, 4:])


def test_non_causal_output_reads_future_tokens():
    model = GMLP(d_model=8, d_ffn=16, seq_len=6, depth=1, heads=1).eval()
    with torch.no_grad():
        model.blocks[0].sgu.weight.normal_()
    x = torch.randn(1, 6, 8)
    changed = x.clone()
    changed[:, 5] = torch.randn(1, 8)
    assert not torch.allclose(model(x)[:, 0], model(changed)[:, 0])


def test_amlp_adds_tiny_attention_to_the_gate():
    block = GMLPBlock(d_model=8, d_ffn=16, seq_len=5, attn_dim=4)
    assert block.sgu.attn is not None
    assert block(torch.randn(2, 5, 8)).shape == (2, 5, 8)


def test_gmlp_names_a_wrong_sequence_length():
    with pytest.raises(ValueError, match="expected 6 tokens"):
        GMLP(d_model=8, d_ffn=16, seq_len=6, depth=1)(torch.randn(1, 5, 8))


def test_head_average_equals_mean_of_chosen_heads():
    w = torch.randn(3, 4, 5, 5)
    assert torch.allclose(head_average(w), w.mean(dim=1))
    assert torch.allclose(head_average(w, [0, 2]), (w[:, 0] + w[:, 2]) / 2)
    assert torch.allclose(head_average(w[0], [3]), w[0, 3])


def test_head_average_rejects_empty_or_out_of_range_heads():
    w = torch.randn(4, 5, 5)
    with pytest.raises(ValueError, match="at least one head"):
        head_average(w, [])
    with pytest.raises(ValueError, match=r"heads \[4\] out of range; accepted 0..3"):
        head_average(w, [1, 4])
