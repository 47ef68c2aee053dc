import time

import pytest

from gmlp_core.playground import ToySettings
from gmlp_core.playground.record import save_run
from gmlp_core.playground import train_toy
from gmlp_core.playground.worker import DONE, FAILED, QueueFull, Trainer

QUICK = dict(width=16, length=8)


def wait(live, timeout=120):
    end = time.monotonic() + timeout
    while not live.finished and time.monotonic() < end:
        time.sleep(0.05)
    assert live.finished, f"the run did not finish in {timeout} s"


def test_two_sessions_asking_for_the_same_settings_share_one_run_and_another_waits_its_turn():
    trainer = Trainer()
    first = trainer.request(ToySettings(task="reverse", steps=200, **QUICK))
    same = trainer.request(ToySettings(task="reverse", steps=200, **QUICK))
    other = trainer.request(ToySettings(task="shift", steps=20, **QUICK))
    assert same is first and other is not first
    assert trainer.ahead(first) == 0 and trainer.ahead(other) == 1  # one training at a time: the other waits
    assert other.state == "queued"
    wait(first)
    wait(other)
    assert first.state == other.state == DONE
    assert [f.step for f in first.frames][-1] == 200 and len(first.frames) == first.expected_frames
    assert len(other.frames) == other.expected_frames
    assert trainer.request(ToySettings(task="reverse", steps=200, **QUICK)) is first  # finished runs are kept


def test_a_full_queue_refuses_more_with_a_reason_and_a_failed_run_is_reported():
    trainer = Trainer(max_waiting=1)
    running = trainer.request(ToySettings(task="reverse", steps=100, **QUICK))
    while running.state == "queued":
        time.sleep(0.01)
    trainer.request(ToySettings(task="reverse", steps=101, **QUICK))
    with pytest.raises(QueueFull, match="queue is full"):
        trainer.request(ToySettings(task="reverse", steps=102, **QUICK))
    wait(running)


def test_a_run_that_fails_says_why_and_the_worker_goes_on(monkeypatch):
    import gmlp_core.playground.worker as worker

    def broken(settings, on_step=None, stop=None):
        raise RuntimeError("out of memory")
    monkeypatch.setattr(worker, "run_settings", broken)
    trainer = Trainer()
    failed = trainer.request(ToySettings(task="reverse", steps=10, **QUICK))
    wait(failed)
    assert failed.state == FAILED and "out of memory" in failed.error
    monkeypatch.undo()
    again = trainer.request(ToySettings(task="reverse", steps=10, **QUICK))  # a failed run is tried afresh
    assert again is not failed
    wait(again)
    assert again.state == DONE


def test_recorded_runs_are_there_finished_from_the_start(tmp_path):
    run = train_toy("swap", "gmlp", steps=10, **QUICK)
    save_run(run, tmp_path / "swap-gmlp.safetensors")
    (tmp_path / "broken.safetensors").write_bytes(b"not a checkpoint")
    trainer = Trainer(tmp_path)
    live = trainer.peek(run.settings)
    assert live is not None and live.recorded and live.state == DONE and len(live.frames) == len(run.frames)
    assert trainer.request(run.settings) is live
    assert len(trainer.recorded_errors) == 1 and "broken.safetensors" in trainer.recorded_errors[0]


def test_closing_stops_a_run_at_its_next_step_so_the_process_can_exit():
    trainer = Trainer()
    live = trainer.request(ToySettings(task="reverse", steps=5000, **QUICK))
    while not live.frames:
        time.sleep(0.01)
    trainer.close()
    assert live.state == FAILED and "stopped at step" in live.error
    assert live.frames[-1].step < 5000
