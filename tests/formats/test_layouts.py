"""Foreign gMLP layouts give the logits of the real packages (timm, g-mlp-pytorch from PyPI)."""

import pytest
import timm
import torch
from g_mlp_pytorch import gMLPVision

from gmlp_core.formats.checkpoints import CheckpointError, default_class_names, load_checkpoint
from gmlp_core.convert import main as convert_main
from gmlp_core.models import spatial_weights


def assert_same_logits(ours: torch.nn.Module, theirs: torch.nn.Module, images: torch.Tensor) -> None:
    with torch.no_grad():
        expected, got = theirs(images), ours(images)
    assert got.shape == expected.shape
    assert ((got - expected).abs().max() / expected.abs().max()) <= 1e-4


def randomise_token_mixing(model: torch.nn.Module) -> None:
    """Both packages start W near zero (b = 1) and timm its head at zero; random ones make tokens really
    mix and logits differ, so the check bites."""
    with torch.no_grad():
        for name, param in model.named_parameters():
            if name.endswith(("sgu.weight", "gate.proj.weight", "head.weight")):
                param.normal_(0, 0.3)


@pytest.mark.parametrize("kwargs", [
    dict(image_size=32, patch_size=8, num_classes=10, dim=32, depth=2),
    dict(image_size=32, patch_size=4, num_classes=10, dim=32, depth=2, heads=4),
    dict(image_size=48, patch_size=16, num_classes=7, dim=24, depth=3, heads=2, attn_dim=16),
], ids=["16-tokens", "64-tokens-4-heads", "9-tokens-amlp"])
def test_lucidrains_gmlp_vision_loads_with_its_logits(tmp_path, kwargs):
    theirs = gMLPVision(**kwargs).eval()
    randomise_token_mixing(theirs)
    torch.save({"state_dict": theirs.state_dict()}, tmp_path / "lucidrains.pt")
    ours, info = load_checkpoint(tmp_path / "lucidrains.pt")
    grid = kwargs["image_size"] // kwargs["patch_size"]
    assert info.source_format == "lucidrains" and not info.config.pos_embed and info.config.pool == "mean"
    assert info.config.num_patches == grid * grid and info.config.attn_dim == kwargs.get("attn_dim", 0)
    assert spatial_weights(ours).shape == (kwargs["depth"], kwargs.get("heads", 1), grid * grid, grid * grid)
    assert_same_logits(ours, theirs, torch.randn(3, 3, kwargs["image_size"], kwargs["image_size"]))


@pytest.mark.parametrize("name, kwargs, tokens", [
    ("gmlp_ti16_224", {}, 196),
    ("gmlp_ti16_224", dict(img_size=64, num_classes=10), 16),
    ("gmlp_s16_224", dict(img_size=32, num_classes=5), 4),
], ids=["ti16-224-imagenet", "ti16-64px-10-classes", "s16-32px-5-classes"])
def test_timm_gmlp_loads_with_its_logits(tmp_path, name, kwargs, tokens):
    theirs = timm.create_model(name, pretrained=False, **kwargs).eval()
    randomise_token_mixing(theirs)
    torch.save(theirs.state_dict(), tmp_path / "timm.pth")
    ours, info = load_checkpoint(tmp_path / "timm.pth")
    size = kwargs.get("img_size", 224)
    assert info.source_format == "timm" and info.config.seq_len == tokens and info.config.image_size == size
    assert info.config.num_classes == kwargs.get("num_classes", 1000) and info.config.norm_eps == 1e-6
    assert_same_logits(ours, theirs, torch.randn(2, 3, size, size))


def test_a_state_dict_of_no_known_layout_names_what_was_looked_for(tmp_path):
    torch.save({"encoder.weight": torch.zeros(4, 4), "decoder.bias": torch.zeros(4)}, tmp_path / "other.pt")
    with pytest.raises(CheckpointError, match=r"other.pt: not a gMLP layout this app knows .*lucidrains: "
                                              r"to_patch_embed.1.weight.*timm: stem.proj.weight.* the file holds "
                                              r"decoder.bias, encoder.weight"):
        load_checkpoint(tmp_path / "other.pt")


def test_a_converted_timm_file_round_trips_with_imagenet_names_and_normalisation(tmp_path):
    theirs = timm.create_model("gmlp_ti16_224", pretrained=False, img_size=64).eval()
    randomise_token_mixing(theirs)
    torch.save(theirs.state_dict(), tmp_path / "timm.pth")
    assert convert_main([str(tmp_path / "timm.pth"), str(tmp_path / "native.safetensors")]) == 0
    model, info = load_checkpoint(tmp_path / "native.safetensors")
    assert info.source_format == "native" and info.meta["converted_from"] == "timm.pth"
    assert info.class_names[:2] == ("tench", "goldfish") and len(info.class_names) == 1000
    assert info.mean == (0.485, 0.456, 0.406) and info.config.norm_eps == 1e-6
    assert_same_logits(model, theirs, torch.randn(2, 3, 64, 64))


def test_convert_takes_class_names_from_a_file_and_checks_their_count(tmp_path, capsys):
    theirs = gMLPVision(image_size=32, patch_size=8, num_classes=3, dim=16, depth=1)
    torch.save(theirs.state_dict(), tmp_path / "l.pt")
    (tmp_path / "names.txt").write_text("cat\ndog\n\nbird\n")
    assert convert_main([str(tmp_path / "l.pt"), str(tmp_path / "l.safetensors"), "--class-names",
                         str(tmp_path / "names.txt"), "--mean", "0.5", "0.4", "0.3", "--std", "0.2", "0.2", "0.2"]) == 0
    _, info = load_checkpoint(tmp_path / "l.safetensors")
    assert info.class_names == ("cat", "dog", "bird") and info.mean == (0.5, 0.4, 0.3)
    (tmp_path / "two.txt").write_text("cat\ndog\n")
    assert convert_main([str(tmp_path / "l.pt"), str(tmp_path / "x.safetensors"), "--class-names",
                         str(tmp_path / "two.txt")]) == 2
    assert "2 class names for a model with 3 classes" in capsys.readouterr().err


def test_foreign_files_without_names_get_generic_ones():
    assert default_class_names(3) == ["class 0", "class 1", "class 2"]
    assert default_class_names(1000)[:2] == ["tench", "goldfish"] and len(set(default_class_names(1000))) == 1000


def test_lucidrains_gate_activation_is_a_config_choice_the_loader_accepts(tmp_path):
    theirs = gMLPVision(image_size=32, patch_size=8, num_classes=10, dim=32, depth=2).eval()
    for block in theirs.layers:
        block.fn.fn.sgu.act = torch.nn.Tanh()  # the `act` option leaves no trace in the weights
    randomise_token_mixing(theirs)
    torch.save(theirs.state_dict(), tmp_path / "tanh.pt")
    _, inferred = load_checkpoint(tmp_path / "tanh.pt")
    ours, info = load_checkpoint(tmp_path / "tanh.pt", config=inferred.config.replace(gate_act="tanh"))
    assert info.config.gate_act == "tanh"
    assert_same_logits(ours, theirs, torch.randn(2, 3, 32, 32))
