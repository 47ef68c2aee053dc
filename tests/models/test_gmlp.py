import pytest
import torch
import torch.nn.functional as F

from gmlp_core.models import GMLP, GMLPBlock, SpatialGatingUnit, head_average, spatial_weights


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


def test_amlp_adds_the_tiny_attention_output_to_the_gate():
    block = GMLPBlock(d_model=8, d_ffn=16, seq_len=5, attn_dim=4, causal=True).eval()
    x = torch.randn(2, 5, 8)
    normed = block.norm(x)
    z1, z2 = F.gelu(block.proj_in(normed)).chunk(2, dim=-1)
    sgu = block.sgu
    q, k, v = sgu.attn.qkv(normed).chunk(3, dim=-1)
    scores = (q @ k.transpose(1, 2) / 2.0).masked_fill(torch.ones(5, 5, dtype=torch.bool).triu(1), float("-inf"))
    tiny = sgu.attn.out(scores.softmax(-1) @ v)
    gate = torch.einsum("mj,bjd->bmd", sgu.effective_weight()[0], sgu.norm(z2)) + sgu.bias[0][None, :, None]
    expected = x + block.proj_out(z1 * (gate + tiny))
    assert torch.allclose(block(x), expected, atol=1e-5)
    without = x + block.proj_out(z1 * gate)
    assert not torch.allclose(block(x), without, atol=1e-3)


def test_tiny_attention_weights_are_what_its_forward_uses():
    block = GMLPBlock(d_model=8, d_ffn=16, seq_len=5, attn_dim=4, causal=True).eval()
    x = torch.randn(1, 5, 8)
    attn = block.sgu.attn
    weights = attn.weights(x)
    assert torch.allclose(weights.sum(-1), torch.ones(1, 5)) and (weights[0].triu(1) == 0).all()
    _, _, v = attn.qkv(x).chunk(3, dim=-1)
    assert torch.allclose(attn(x), attn.out(weights @ v), atol=1e-6)


def test_causal_sgu_serves_any_prefix_with_the_prefix_of_w():
    model = GMLP(d_model=8, d_ffn=16, seq_len=6, depth=2, heads=2, causal=True).eval()
    with torch.no_grad():
        for block in model.blocks:
            block.sgu.weight.normal_()
    x = torch.randn(1, 6, 8)
    for m in (1, 3, 5):
        assert torch.allclose(model(x[:, :m]), model(x)[:, :m], atol=1e-6)
    assert torch.equal(model.blocks[0].sgu.effective_weight(3), model.blocks[0].sgu.effective_weight()[:, :3, :3])


def test_non_causal_sgu_refuses_a_shorter_sequence():
    with pytest.raises(ValueError, match=r"expected 6 tokens \(W is 6x6\), got 5"):
        GMLP(d_model=8, d_ffn=16, seq_len=6, depth=1)(torch.randn(1, 5, 8))


def test_causal_sgu_refuses_more_tokens_than_w_has():
    with pytest.raises(ValueError, match=r"expected 1..6 tokens"):
        GMLP(d_model=8, d_ffn=16, seq_len=6, depth=1, causal=True)(torch.randn(1, 7, 8))


def test_head_average_equals_mean_of_chosen_heads():
    w = torch.randn(3, 4, 5, 5)
    assert torch.allclose(head_average(w), (w[:, 0] + w[:, 1] + w[:, 2] + w[:, 3]) / 4)
    assert torch.allclose(head_average(w, [0, 2]), (w[:, 0] + w[:, 2]) / 2)
    assert torch.allclose(head_average(w[0], [3]), w[0, 3])


def test_head_average_rejects_empty_or_out_of_range_heads():
    w = torch.randn(4, 5, 5)
    with pytest.raises(ValueError, match="at least one head"):
        head_average(w, [])
    with pytest.raises(ValueError, match=r"heads \[4\] out of range; accepted 0..3"):
        head_average(w, [1, 4])
