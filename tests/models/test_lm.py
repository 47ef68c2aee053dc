import pytest
import torch

from gmlp_core.models import (ARCHS, LM_PRESETS, AttentionLM, GMLPLM, LMConfig, arch_of, attention_maps, build_model,
                              count_parameters, spatial_weights)

SMALL = LMConfig(vocab_size=20, block_size=12, d_model=16, depth=2, heads=2, d_ffn=32)
ARCH_CONFIGS = {"attention-lm": SMALL, "gmlp-lm": SMALL, "amlp-lm": SMALL.replace(attn_dim=8)}


def trained_looking(arch: str) -> torch.nn.Module:
    """A small model whose W is far from its near-zero initialisation, so token mixing shows."""
    model = build_model(arch, ARCH_CONFIGS[arch]).eval()
    with torch.no_grad():
        for name, param in model.named_parameters():
            if name.endswith("sgu.weight"):
                param.normal_(0, 0.5)
    return model


@pytest.mark.parametrize("arch", sorted(ARCH_CONFIGS))
def test_changing_later_characters_leaves_earlier_logits_alone(arch):
    model = trained_looking(arch)
    ids = torch.randint(0, 20, (2, 12))
    changed = ids.clone()
    changed[:, 7:] = (changed[:, 7:] + 1) % 20
    before, after = model(ids), model(changed)
    assert torch.allclose(before[:, :7], after[:, :7], atol=1e-5)
    assert not torch.allclose(before[:, 7:], after[:, 7:], atol=1e-3)


@pytest.mark.parametrize("arch", sorted(ARCH_CONFIGS))
def test_a_short_prompt_gives_the_logits_of_the_same_prefix_in_a_full_window(arch):
    model = trained_looking(arch)
    ids = torch.randint(0, 20, (1, 12))
    full = model(ids)
    for n in (1, 5, 11):
        assert model(ids[:, :n]).shape == (1, n, 20)
        assert torch.allclose(model(ids[:, :n]), full[:, :n], atol=1e-5)


@pytest.mark.parametrize("arch", sorted(ARCH_CONFIGS))
def test_more_ids_than_the_block_are_refused_by_name(arch):
    with pytest.raises(ValueError, match=r"1 <= n <= 12"):
        build_model(arch, ARCH_CONFIGS[arch])(torch.zeros(1, 13, dtype=torch.long))


@pytest.mark.parametrize("arch", ["gmlp-lm", "amlp-lm"])
def test_gmlp_w_is_exactly_zero_above_the_diagonal(arch):
    w = spatial_weights(trained_looking(arch))
    assert w.shape == (2, 2, 12, 12)
    above = torch.ones(12, 12, dtype=torch.bool).triu(1)
    assert (w[..., above] == 0).all() and (w[..., ~above] != 0).all()


def test_attention_lm_display_weights_are_what_its_fast_path_used():
    model = trained_looking("attention-lm")
    ids = torch.randint(0, 20, (1, 9))
    logits, maps = model(ids, return_attention=True)
    assert torch.allclose(logits, model(ids), atol=1e-5)  # explicit softmax path == SDPA path
    shown = attention_maps(model, ids[0])
    assert shown.shape == (2, 2, 9, 9) and torch.equal(shown, maps[:, 0])
    assert torch.allclose(shown.sum(-1), torch.ones(2, 2, 9)) and (shown.triu(1) == 0).all()


def test_attention_lm_display_weights_match_pytorch_sdpa_per_layer():
    model = trained_looking("attention-lm")
    ids = torch.randint(0, 20, (1, 9))
    with torch.no_grad():
        x = model.token_embed(ids) + model.pos_embed[:, :9]
        block = model.blocks[0]
        q, k, v = block.attn._qkv(block.norm1(x))
        reference = torch.nn.functional.scaled_dot_product_attention(q, k, v, is_causal=True)  # (1, h, n, d)
    assert torch.allclose(attention_maps(model, ids)[0] @ v[0], reference[0], atol=1e-5)


def test_amlp_tiny_attention_is_single_head_and_causal():
    maps = attention_maps(trained_looking("amlp-lm"), torch.randint(0, 20, (7,)))
    assert maps.shape == (2, 1, 7, 7) and (maps.triu(1) == 0).all()


def test_attention_maps_refuses_a_plain_gmlp():
    with pytest.raises(ValueError, match="no tiny attention"):
        attention_maps(trained_looking("gmlp-lm"), torch.zeros(3, dtype=torch.long))


def test_shipped_presets_have_one_width_and_depth_and_sizes_within_ten_percent():
    sizes = {arch: count_parameters(build_model(arch, LM_PRESETS[arch])) for arch in ("attention-lm", "gmlp-lm",
                                                                                       "amlp-lm")}
    assert max(sizes.values()) <= 2_000_000 and max(sizes.values()) / min(sizes.values()) <= 1.10
    shapes = {(LM_PRESETS[a].d_model, LM_PRESETS[a].depth, LM_PRESETS[a].block_size) for a in sizes}
    assert shapes == {(192, 4, 128)}


def test_registry_builds_each_arch_and_names_it_back():
    for arch, config in ARCH_CONFIGS.items():
        assert arch_of(build_model(arch, config)) == arch
    assert isinstance(build_model("attention-lm", SMALL), AttentionLM)
    assert isinstance(build_model("amlp-lm", ARCH_CONFIGS["amlp-lm"]), GMLPLM)
    assert set(ARCHS) == {"vision", "attention-lm", "gmlp-lm", "amlp-lm"}


@pytest.mark.parametrize("arch, config, words", [
    ("gmlp-lm", SMALL.replace(attn_dim=8), "makes it amlp-lm"),
    ("amlp-lm", SMALL, "attn_dim must be > 0"),
    ("vision", SMALL, "expected a VisionConfig"),
    ("rnn-lm", SMALL, "unknown arch 'rnn-lm'"),
])
def test_registry_names_what_is_wrong(arch, config, words):
    with pytest.raises(ValueError, match=words):
        build_model(arch, config)


def test_lm_config_checks_its_invariants():
    with pytest.raises(ValueError, match=r"d_ffn \(30\) must be divisible by 2 \* heads \(4\)"):
        LMConfig(d_ffn=30, heads=2)
    assert LMConfig.from_json(SMALL.to_json()) == SMALL
