"""The resume state survives a save that fails part way."""

import pytest
import torch

from gmlp_core.training.state import load_state, save_state, state_path


def _model_and_optimizer():
    model = torch.nn.Linear(3, 2)
    return model, torch.optim.AdamW(model.parameters())


def test_a_save_that_fails_part_way_leaves_the_previous_state_to_resume_from(tmp_path, monkeypatch):
    out = tmp_path / "run.safetensors"
    model, optimizer = _model_and_optimizer()
    save_state(out, model, optimizer, epoch=1)

    def interrupted(obj, f):
        with open(f, "wb") as handle:
            handle.write(b"PK\x03\x04 half a file")
        raise OSError("No space left on device")

    monkeypatch.setattr(torch, "save", interrupted)
    with pytest.raises(OSError, match="No space"):
        save_state(out, model, optimizer, epoch=2)
    monkeypatch.undo()

    assert load_state(state_path(out), *_model_and_optimizer())["epoch"] == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run.safetensors.state.pt"]


def test_a_later_save_replaces_the_state(tmp_path):
    out = tmp_path / "run.safetensors"
    model, optimizer = _model_and_optimizer()
    save_state(out, model, optimizer, epoch=1)
    save_state(out, model, optimizer, epoch=2)
    assert load_state(state_path(out), *_model_and_optimizer())["epoch"] == 2
