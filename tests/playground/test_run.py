import pytest
import torch

from gmlp_core.models import spatial_weights
from gmlp_core.playground import ToySettings, train_toy


@pytest.mark.parametrize("task", ["reverse", "shift"])
def test_a_one_layer_gmlp_learns_a_position_task_with_w_peaking_at_the_source(task):
    run = train_toy(task, "gmlp", layers=1, heads=1, width=32, steps=200, lr=0.01, batch=32, seed=0)
    assert run.accuracy >= 0.99
    w = spatial_weights(run.model)[0, 0]  # layer 0, head 0: (n, n)
    assert torch.equal(w.abs().argmax(-1), torch.tensor(run.source))
    assert run.history[-1][0] == 200 and run.history[0][0] == 0


def test_the_same_seed_gives_the_same_run_and_another_seed_another():
    kwargs = dict(layers=1, width=16, steps=30)
    first, again = train_toy("swap", "amlp", seed=3, **kwargs), train_toy("swap", "amlp", seed=3, **kwargs)
    other = train_toy("swap", "amlp", seed=4, **kwargs)
    assert first.history == again.history
    assert all(torch.equal(a.w, b.w) and torch.equal(a.maps, b.maps) for a, b in zip(first.frames, again.frames))
    assert first.history != other.history


def test_every_frame_reaches_on_step_and_holds_what_the_model_can_show():
    seen = []
    attention = train_toy("recall", "attention", layers=2, heads=2, width=16, steps=20, pairs=3, on_step=seen.append)
    assert seen == attention.frames and len(seen) == 21  # step 0, then every step (20 steps < 40 frames)
    assert all(f.w is None and f.maps.shape == (2, 2, 9, 9) for f in seen)
    assert attention.source is None
    assert all(len(f.answer) == 9 for f in seen)
    amlp = train_toy("majority", "amlp", layers=1, heads=2, width=16, steps=10)
    assert all(f.w.shape == (1, 2, 16, 16) and f.maps.shape == (1, 1, 16, 16) for f in amlp.frames)
    gmlp = train_toy("majority", "gmlp", width=16, steps=10)
    assert all(f.maps is None for f in gmlp.frames)
    torch.testing.assert_close(spatial_weights(gmlp.model), gmlp.frames[-1].w)


def test_accuracy_is_scored_only_where_the_task_asks():
    run = train_toy("recall", "gmlp", width=16, steps=1, pairs=2)
    # 2 pairs: 6 positions, 2 of them asked: the held-out accuracy is a multiple of 1 / (512 * 2)
    assert (run.accuracy * 1024) == pytest.approx(round(run.accuracy * 1024))


@pytest.mark.parametrize("changes, message", [
    (dict(task="sort"), "task must be one of"),
    (dict(mixer="rnn"), "mixer must be one of"),
    (dict(heads=3), "heads must be one of"),
    (dict(width=200), "width must be a whole number 16..128"),
    (dict(width=20, heads=4), "divisible by 2 x heads"),
    (dict(lr=1.0), "lr must be a number"),
    (dict(steps=10 ** 6), "steps must be a whole number"),
    (dict(layers=True), "layers must be a whole number"),
])
def test_bad_settings_name_the_field_and_what_is_accepted(changes, message):
    with pytest.raises(ValueError, match=message):
        ToySettings(**changes)


def test_the_example_shown_before_a_run_is_the_one_the_run_answers():
    from gmlp_core.playground.run import example_of
    for task in ("recall", "majority", "swap"):
        run = train_toy(task, "gmlp", width=16, steps=1, seed=9)
        assert example_of(run.settings) == run.example
