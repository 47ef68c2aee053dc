import json

import pytest
import torch
from safetensors.torch import load_file, save_file
from safetensors import safe_open

from gmlp_core.formats.checkpoints import CheckpointError
from gmlp_core.playground import train_toy
from gmlp_core.playground.record import default_settings, load_run, record_name, save_run
from tests.helpers import ROOT


@pytest.mark.parametrize("mixer", ["attention", "gmlp", "amlp"])
def test_a_saved_run_loads_with_its_frames_settings_and_model(tmp_path, mixer):
    run = train_toy("shift", mixer, width=16, heads=2, steps=12, length=8)
    loaded = load_run(save_run(run, tmp_path / "run.safetensors"))
    assert loaded.settings == run.settings and loaded.example == run.example
    assert [(f.step, f.answer) for f in loaded.frames] == [(f.step, f.answer) for f in run.frames]
    torch.testing.assert_close(torch.tensor(loaded.history), torch.tensor(run.history), atol=1e-4, rtol=0)
    for saved, back in zip(run.frames, loaded.frames):
        for name in ("w", "maps"):
            if getattr(saved, name) is None:
                assert getattr(back, name) is None
            else:  # stored in float16: three digits are plenty to draw
                torch.testing.assert_close(getattr(back, name), getattr(saved, name), atol=1e-3, rtol=1e-2)
    x = torch.tensor([run.example[0]])
    torch.testing.assert_close(loaded.model(x), run.model(x))


def rewrite(path, change_meta=None, change_tensors=None):
    with safe_open(str(path), "pt") as f:
        header = f.metadata()
    tensors = load_file(str(path))
    meta = json.loads(header["meta"])
    if change_meta:
        change_meta(meta)
    if change_tensors:
        change_tensors(tensors)
    header["meta"] = json.dumps(meta)
    save_file(tensors, str(path), metadata=header)


@pytest.mark.parametrize("change_meta, change_tensors, field", [
    (lambda m: m.update(kind="something"), None, "kind"),
    (lambda m: m["playground"].update(width=32), None, "playground"),
    (lambda m: m["playground"].update(task="sort"), None, "playground"),
    (lambda m: m["frames"][1].update(answer=[0] * 3), None, "frames[1]"),
    (lambda m: m["frames"][2].update(answer=[99] * 8), None, "frames[2]"),
    (lambda m: m["frames"][0].update(loss="low"), None, "frames[0]"),
    (lambda m: m["frames"].pop(), None, "W snapshots"),
    (lambda m: m.update(example=[[1], [2]]), None, "example"),
    (None, lambda t: t.update(attention_snapshots=torch.zeros(13, 1, 1, 4, 4)), "attention_snapshots"),
])
def test_a_tampered_record_is_refused_naming_the_field(tmp_path, change_meta, change_tensors, field):
    path = save_run(train_toy("reverse", "amlp", width=16, steps=12, length=8), tmp_path / "run.safetensors")
    rewrite(path, change_meta, change_tensors)
    with pytest.raises(CheckpointError) as caught:
        load_run(path)
    assert field in str(caught.value)


def test_every_default_run_ships_recorded_and_loads():
    folder = ROOT / "checkpoints" / "playground"
    for settings in default_settings():
        run = load_run(folder / record_name(settings))
        assert run.settings == settings
        assert run.frames[0].step == 0 and run.frames[-1].step == settings.total_steps
