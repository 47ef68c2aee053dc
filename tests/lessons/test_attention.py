import math

import pytest
import torch
import torch.nn.functional as F

from gmlp_core.lessons.attention import (causal_mask, causal_softmax, init_projections, multi_head_attention,
                                 scaled_dot_product_attention, simplified_self_attention)

X = torch.tensor([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])


def test_simplified_attention_hand_checked_three_tokens():
    result = simplified_self_attention(X)
    assert torch.equal(result.scores, torch.tensor([[1.0, 0.0, 1.0], [0.0, 1.0, 1.0], [1.0, 1.0, 2.0]]))
    e = math.e
    first_row = torch.tensor([e, 1.0, e]) / (2 * e + 1)
    last_row = torch.tensor([e, e, e * e]) / (2 * e + e * e)
    assert torch.allclose(result.weights[0], first_row)
    assert torch.allclose(result.weights[2], last_row)
    assert torch.allclose(result.context[0], first_row @ X)
    assert result.mask is None


def test_weights_rows_sum_to_one():
    x = torch.randn(7, 5)
    w = init_projections(5, 4, seed=1)
    for causal in (False, True):
        result = scaled_dot_product_attention(x, **w, causal=causal)
        assert torch.allclose(result.weights.sum(-1), torch.ones(7))


def test_causal_hidden_weights_are_exactly_zero():
    x = torch.randn(6, 4)
    result = scaled_dot_product_attention(x, **init_projections(4, 4), causal=True)
    assert torch.equal(result.mask, torch.ones(6, 6, dtype=torch.bool).triu(1))
    assert (result.weights[result.mask] == 0).all()
    assert torch.isinf(result.masked_scores[result.mask]).all()
    assert torch.equal(result.masked_scores[~result.mask], result.scores[~result.mask])


def test_both_causal_methods_agree():
    scores = torch.randn(3, 8, 8)
    mask = causal_mask(8)
    by_mask = causal_softmax(scores, mask, "mask")
    by_renormalising = causal_softmax(scores, mask, "renormalise")
    assert torch.allclose(by_mask, by_renormalising, atol=1e-7)
    with pytest.raises(ValueError, match="causal method must be one of"):
        causal_softmax(scores, mask, "clip")


def test_single_head_matches_pytorch_sdpa():
    x = torch.randn(5, 6)
    w = init_projections(6, 4, seed=3)
    for causal in (False, True):
        ours = scaled_dot_product_attention(x, **w, causal=causal)
        theirs = F.scaled_dot_product_attention(x @ w["w_q"], x @ w["w_k"], x @ w["w_v"], is_causal=causal)
        assert torch.allclose(ours.context, theirs, atol=1e-6)


def test_unscaled_scores_are_plain_dot_products():
    x = torch.randn(4, 3)
    w = init_projections(3, 4)
    result = scaled_dot_product_attention(x, **w, scale=False)
    assert torch.allclose(result.scores, (x @ w["w_q"]) @ (x @ w["w_k"]).T)
    scaled = scaled_dot_product_attention(x, **w)
    assert torch.allclose(scaled.scores, result.scores / 2.0)


def test_multi_head_matches_pytorch_sdpa():
    x = torch.randn(6, 8)
    w = init_projections(8, 12, seed=2, with_output=True)
    for causal in (False, True):
        ours = multi_head_attention(x, w["w_q"], w["w_k"], w["w_v"], 3, causal=causal, w_o=w["w_o"])
        split = [(x @ w[k]).view(6, 3, 4).transpose(0, 1) for k in ("w_q", "w_k", "w_v")]
        reference = F.scaled_dot_product_attention(*split, is_causal=causal).transpose(0, 1).reshape(6, 12)
        assert ours.weights.shape == (3, 6, 6)
        assert torch.allclose(ours.context, reference, atol=1e-6)
        assert torch.allclose(ours.output, reference @ w["w_o"], atol=1e-6)
        per_head = [scaled_dot_product_attention(x, *(w[k][:, 4 * h:4 * h + 4] for k in ("w_q", "w_k", "w_v")),
                                                 causal=causal).weights for h in range(3)]
        assert torch.allclose(ours.mean_weights, sum(per_head) / 3, atol=1e-6)


def test_multi_head_rejects_indivisible_width():
    x = torch.randn(3, 4)
    w = init_projections(4, 6)
    with pytest.raises(ValueError, match=r"d_out \(6\) must be divisible by num_heads \(4\)"):
        multi_head_attention(x, **w, num_heads=4)


def test_mismatched_projection_is_named():
    with pytest.raises(ValueError, match=r"w_k must have shape \(d_in=4, d_out\)"):
        scaled_dot_product_attention(torch.randn(3, 4), torch.randn(4, 2), torch.randn(5, 2), torch.randn(4, 2))


def test_dropout_is_reproducible_and_keeps_weights_intact():
    x = torch.randn(5, 4)
    w = init_projections(4, 4)
    a = scaled_dot_product_attention(x, **w, dropout=0.5, generator=torch.Generator().manual_seed(7))
    b = scaled_dot_product_attention(x, **w, dropout=0.5, generator=torch.Generator().manual_seed(7))
    assert torch.equal(a.dropped_weights, b.dropped_weights)
    assert torch.allclose(a.weights.sum(-1), torch.ones(5))
    kept = a.dropped_weights != 0
    assert torch.allclose(a.dropped_weights[kept], a.weights[kept] * 2)
    assert torch.allclose(a.context, a.dropped_weights @ a.values)


def test_projections_are_deterministic_per_seed():
    assert torch.equal(init_projections(3, 2, seed=5)["w_q"], init_projections(3, 2, seed=5)["w_q"])
    assert not torch.equal(init_projections(3, 2, seed=5)["w_q"], init_projections(3, 2, seed=6)["w_q"])
