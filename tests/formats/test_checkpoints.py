import io
import pickle
import zipfile

import pytest
import torch
from safetensors.torch import save_file

from gmlp_core.formats.checkpoints import (CheckpointError, list_checkpoints, load_checkpoint, load_uploaded, read_metadata,
                                   save_checkpoint)
from gmlp_core.models import GMLPVision, LMConfig, VisionConfig, build_model, preset, spatial_weights
from tests.helpers import Hostile
from tests.helpers.blog_layout import Image_Classification

IMAGES = torch.randn(4, 3, 32, 32)


def small_model(**overrides) -> GMLPVision:
    config = VisionConfig(**{**dict(d_model=16, d_ffn=32, depth=2, heads=2), **overrides})
    model = GMLPVision(config).eval()
    with torch.no_grad():
        for block in model.gmlp.blocks:
            block.sgu.weight.normal_(0, 0.1)
    return model


def as_if_saved_on_gpu(obj, path) -> None:
    """torch.save on this CPU machine, then tag every storage with location cuda:0, as a GPU run writes it."""
    buffer = io.BytesIO()
    torch.save(obj, buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.endswith("data.pkl"):
                assert b"X\x03\x00\x00\x00cpu" in data
                data = data.replace(b"X\x03\x00\x00\x00cpu", b"X\x06\x00\x00\x00cuda:0")
            target.writestr(item, data)


def test_native_round_trip_gives_identical_logits(tmp_path):
    model = small_model(cls_token=True, pool="cls", head_hidden=8)
    snapshots = torch.stack([spatial_weights(model)] * 3)
    path = save_checkpoint(model, tmp_path / "m.safetensors", snapshots=snapshots, class_names=list("abcdefghij"),
                           test={"top1": 0.5})
    loaded, info = load_checkpoint(path)
    assert torch.equal(loaded(IMAGES), model(IMAGES))
    assert info.config == model.config and info.class_names == tuple("abcdefghij")
    assert torch.equal(info.snapshots, snapshots.half().float()) and info.meta["test"]["top1"] == 0.5
    assert not loaded.training
    assert read_metadata(path)[1]["test"] == {"top1": 0.5}
    assert path.stat().st_mode & 0o777 == 0o644  # others can read it (to serve it), only the owner can write


def test_state_dict_saved_on_gpu_loads_on_cpu(tmp_path):
    model = small_model()
    path = tmp_path / "gpu.pt"
    as_if_saved_on_gpu({"model_state_dict": model.state_dict(), "epoch": 3}, path)
    with pytest.raises(RuntimeError):  # proves the storages really are tagged cuda:0
        torch.load(path, weights_only=True)
    loaded, info = load_checkpoint(path)
    assert info.source_format == "torch"
    assert torch.allclose(loaded(IMAGES), model(IMAGES))


@pytest.mark.parametrize("wrap", [lambda sd: sd, lambda sd: {"model": sd}, lambda sd: {"state_dict": sd}])
def test_bare_or_wrapped_state_dicts_load_with_inferred_config(tmp_path, wrap):
    model = small_model(heads=4, d_ffn=64, depth=3)
    torch.save(wrap(model.state_dict()), tmp_path / "m.pth")
    loaded, info = load_checkpoint(tmp_path / "m.pth")
    assert info.config == model.config
    assert torch.allclose(loaded(IMAGES), model(IMAGES))


def test_ddp_and_compile_prefixes_are_stripped(tmp_path):
    model = small_model()
    prefixed = {f"module._orig_mod.{k}": v for k, v in model.state_dict().items()}
    torch.save(prefixed, tmp_path / "ddp.pt")
    loaded, _ = load_checkpoint(tmp_path / "ddp.pt")
    assert torch.allclose(loaded(IMAGES), model(IMAGES))


@pytest.mark.parametrize("heads", [1, 4])
def test_blog_layout_loads_and_gives_the_same_logits(tmp_path, heads):
    blog = Image_Classification(embed=64, fc_dim=32, num_layers=2, heads=heads).eval()
    as_if_saved_on_gpu(blog.state_dict(), tmp_path / "blog.pth")
    loaded, info = load_checkpoint(tmp_path / "blog.pth")
    c = info.config
    assert (c.seq_len, c.heads, c.cls_token, c.pool, c.head_hidden, c.gelu_after_v) == (17, heads, True, "cls", 32, True)
    assert spatial_weights(loaded).shape == (2, heads, 17, 17)
    with torch.no_grad():
        assert torch.allclose(loaded(IMAGES), blog(IMAGES), atol=1e-5)


def test_blog_defaults_match_the_blog_preset(tmp_path):
    blog = Image_Classification()
    torch.save(blog.state_dict(), tmp_path / "blog.pt")
    _, info = load_checkpoint(tmp_path / "blog.pt")
    assert info.config == preset("blog")


def test_hostile_pickle_is_refused_and_never_runs(hostile_marker, tmp_path, monkeypatch):
    marker = hostile_marker
    for name in ("evil.pt", "evil.safetensors"):
        torch.save({"model": small_model().state_dict(), "payload": Hostile()}, tmp_path / name)
        with pytest.raises(CheckpointError, match="refused"):
            load_checkpoint(tmp_path / name)
    (tmp_path / "raw.pkl").write_bytes(pickle.dumps(Hostile()))
    with pytest.raises(CheckpointError, match="refused"):
        load_checkpoint(tmp_path / "raw.pkl")
    assert not marker.exists()


def test_missing_and_unexpected_keys_are_listed(tmp_path):
    config = VisionConfig(d_model=16, d_ffn=32, depth=2, heads=2)
    state = small_model().state_dict()
    state.pop("head.bias")
    state["extra.weight"] = torch.zeros(1)
    torch.save({"model": state, "config": config.__dict__}, tmp_path / "bad.pt")
    with pytest.raises(CheckpointError, match=r"bad.pt: .*Missing key\(s\) in state_dict: \"head.bias\"\..*"
                                              r"Unexpected key\(s\) in state_dict: \"extra.weight\""):
        load_checkpoint(tmp_path / "bad.pt")


def test_shape_mismatch_names_parameter_and_both_shapes(tmp_path):
    model = small_model()
    save_checkpoint(model, tmp_path / "m.safetensors")
    wider = VisionConfig(d_model=16, d_ffn=32, depth=2, heads=2, num_classes=5)
    with pytest.raises(CheckpointError, match=r"size mismatch for head.weight: copying a param with shape "
                                              r"torch.Size\(\[10, 16\]\) from checkpoint, the shape in current model "
                                              r"is torch.Size\(\[5, 16\]\)"):
        load_checkpoint(tmp_path / "m.safetensors", config=wider)


def test_unknown_empty_and_truncated_files_are_named(tmp_path):
    (tmp_path / "notes.txt").write_text("hello")
    (tmp_path / "empty.pt").write_bytes(b"")
    save_checkpoint(small_model(), tmp_path / "whole.safetensors")
    whole = (tmp_path / "whole.safetensors").read_bytes()
    (tmp_path / "cut.safetensors").write_bytes(whole[: len(whole) // 2])
    torch.save(small_model().state_dict(), tmp_path / "whole.pt")
    (tmp_path / "cut.pt").write_bytes((tmp_path / "whole.pt").read_bytes()[:300])
    cases = {"notes.txt": "unsupported file", "empty.pt": "the file is empty", "cut.safetensors": "truncated",
             "cut.pt": "corrupt or truncated", "missing.pt": "no such file"}
    for name, words in cases.items():
        with pytest.raises(CheckpointError, match=f"{name}: .*{words}"):
            load_checkpoint(tmp_path / name)


def test_save_refuses_non_json_metadata(tmp_path):
    with pytest.raises(CheckpointError, match="JSON-serialisable"):
        save_checkpoint(small_model(), tmp_path / "m.safetensors", when=object())


def test_list_checkpoints_finds_model_files(tmp_path):
    save_checkpoint(small_model(), tmp_path / "b.safetensors")
    (tmp_path / "a.pt").write_bytes(b"x")
    (tmp_path / "b.safetensors.state.pt").write_bytes(b"x")
    (tmp_path / "readme.md").write_text("x")
    assert [p.name for p in list_checkpoints(tmp_path)] == ["a.pt", "b.safetensors"]


@pytest.mark.parametrize("arch", ["attention-lm", "gmlp-lm", "amlp-lm"])
def test_every_language_arch_round_trips_with_its_vocabulary(tmp_path, arch):
    config = LMConfig(vocab_size=6, block_size=8, d_model=8, depth=1, heads=2, d_ffn=16,
                      attn_dim=4 if arch == "amlp-lm" else 0)
    model = build_model(arch, config).eval()
    path = save_checkpoint(model, tmp_path / "lm.safetensors", vocab="abcde")
    loaded, info = load_checkpoint(path)
    ids = torch.tensor([[0, 1, 2, 5, 4]])
    assert info.arch == arch and info.config == config and type(loaded) is type(model)
    assert torch.equal(loaded(ids), model(ids)) and info.tokenizer.decode([0, 4, 5]) == "ae\ufffd"


def test_a_file_without_an_arch_loads_as_a_vision_model(tmp_path):
    model = small_model()
    state = {k: v.contiguous() for k, v in model.state_dict().items()}
    save_file(state, str(tmp_path / "old.safetensors"), metadata={"config": model.config.to_json()})
    loaded, info = load_checkpoint(tmp_path / "old.safetensors")
    assert info.arch == "vision" and torch.equal(loaded(IMAGES), model(IMAGES))
    assert info.class_names == tuple(f"class {i}" for i in range(10))


def test_an_unknown_arch_in_the_header_is_named(tmp_path):
    model = small_model()
    save_file({k: v.contiguous() for k, v in model.state_dict().items()}, str(tmp_path / "x.safetensors"),
              metadata={"arch": "mamba", "config": "{}"})
    with pytest.raises(CheckpointError, match="x.safetensors: .*unknown arch 'mamba'"):
        load_checkpoint(tmp_path / "x.safetensors")


def test_blog_head_uses_gelu_like_the_blog(tmp_path):
    blog = Image_Classification(embed=64, fc_dim=32, num_layers=1).eval()
    torch.save(blog.state_dict(), tmp_path / "blog.pt")
    loaded, info = load_checkpoint(tmp_path / "blog.pt")
    assert info.config.head_act == "gelu" and info.source_format == "blog"
    relu, _ = load_checkpoint(tmp_path / "blog.pt", config=info.config.replace(head_act="relu"))
    with torch.no_grad():
        assert torch.allclose(loaded(IMAGES), blog(IMAGES), atol=1e-5)
        assert not torch.allclose(relu(IMAGES), blog(IMAGES), atol=1e-3)


def test_an_upload_goes_through_the_same_loader_and_errors_name_the_upload(tmp_path):
    path = save_checkpoint(small_model(), tmp_path / "m.safetensors", class_names=list("abcdefghij"))
    model, info = load_uploaded(path.read_bytes(), "mine.safetensors")
    assert info.path == "mine.safetensors" and info.class_names[0] == "a"
    with pytest.raises(CheckpointError, match=r"^half.safetensors: .*truncated"):
        load_uploaded(path.read_bytes()[:500], "half.safetensors")
    with pytest.raises(CheckpointError, match=r"notes.txt: unsupported file type .txt"):
        load_uploaded(b"hello", "notes.txt")
    with pytest.raises(CheckpointError, match=r"big.pt: the file is 2 MB; the limit is 1 MB"):
        load_uploaded(b"x" * 2 * 2 ** 20, "big.pt", max_bytes=2 ** 20)


def test_a_checkpoint_save_that_fails_part_way_leaves_the_previous_file(tmp_path, monkeypatch):
    import gmlp_core.formats.checkpoints as checkpoints
    path = save_checkpoint(GMLPVision(preset("tiny")), tmp_path / "run.safetensors", preset="first")

    def interrupted(tensors, filename, metadata=None):
        with open(filename, "wb") as handle:
            handle.write(b"half a header")
        raise OSError("No space left on device")

    monkeypatch.setattr(checkpoints, "save_file", interrupted)
    with pytest.raises(OSError, match="No space"):
        save_checkpoint(GMLPVision(preset("tiny")), path, preset="second")
    monkeypatch.undo()
    assert read_metadata(path)[1]["preset"] == "first"
    assert [p.name for p in tmp_path.iterdir()] == ["run.safetensors"]
    assert oct(path.stat().st_mode & 0o777) == "0o644"
