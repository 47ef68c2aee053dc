"""One background trainer per server process: runs are queued, trained one at a time outside every page's rerun,
and shared by their settings (30 students pressing Play on the same settings watch one run).

A page asks `request(settings)` and gets a LiveRun to watch: its frames grow as it trains. Recorded runs
(checkpoints/playground/) are there from the start, finished. Finished runs beyond `keep` are forgotten,
oldest first (recorded ones never).
"""

from __future__ import annotations

import atexit
import os
import threading
import time
import weakref
from collections import OrderedDict, deque
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ExplainedError
from ..threads import one_torch_thread
from .record import load_run
from .run import Frame, Stopped, ToyRun, ToySettings, frame_count, run_settings

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
_TRAINERS: weakref.WeakSet = weakref.WeakSet()  # every trainer of this process, closed at exit


@atexit.register
def _close_all() -> None:
    for trainer in list(_TRAINERS):
        trainer.close()


TRAINER_NICENESS = 5  # the trainer thread yields to the pages' reruns (10 starved it on a busy machine)


class QueueFull(ExplainedError):
    pass


def _lower_priority() -> None:
    """Give this thread a lower CPU priority than the server's page threads (on Linux a thread has its own nice
    value; elsewhere nothing changes)."""
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), TRAINER_NICENESS)
    except (AttributeError, OSError):
        pass


@dataclass
class LiveRun:
    settings: ToySettings
    state: str = QUEUED
    frames: list[Frame] = field(default_factory=list)  # appended by the worker; a reader copies the list
    run: ToyRun | None = None
    error: str = ""
    recorded: bool = False  # shipped with the app: replays at once
    started: float = 0.0

    @property
    def finished(self) -> bool:
        return self.state in (DONE, FAILED)

    @property
    def expected_frames(self) -> int:
        return frame_count(self.settings.total_steps)


class Trainer:
    def __init__(self, recorded: Path | None = None, keep: int = 64, max_waiting: int = 30):
        self._runs: OrderedDict[ToySettings, LiveRun] = OrderedDict()
        self._queue: deque[LiveRun] = deque()
        self._running: LiveRun | None = None
        self._lock = threading.Condition()
        self._thread: threading.Thread | None = None
        self.keep, self.max_waiting = keep, max_waiting
        self._closing = False
        _TRAINERS.add(self)
        self.recorded_errors: list[str] = []
        if recorded is not None:
            self._load_recorded(Path(recorded))

    def _load_recorded(self, folder: Path) -> None:
        for path in sorted(folder.glob("*.safetensors")):
            try:
                run = load_run(path)
            except (ExplainedError, ValueError) as err:  # a broken file is reported, the others still load
                self.recorded_errors.append(f"{path.name}: {err}")
                continue
            self._runs[run.settings] = LiveRun(run.settings, DONE, run.frames, run, recorded=True)

    def request(self, settings: ToySettings) -> LiveRun:
        """The run for these settings: the recorded or earlier one, else a new one at the end of the queue."""
        with self._lock:
            live = self._runs.get(settings)
            if live is not None and live.state != FAILED:
                self._runs.move_to_end(settings)
                return live
            if len(self._queue) >= self.max_waiting:
                raise QueueFull(f"the playground's queue is full ({self.max_waiting} runs waiting)",
                                "playground_queue_full", waiting=self.max_waiting)
            live = LiveRun(settings)
            self._runs[settings] = live
            self._queue.append(live)
            self._forget_old()
            self._lock.notify()
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._work, name="playground-trainer", daemon=True)
                self._thread.start()
            return live

    def peek(self, settings: ToySettings) -> LiveRun | None:
        """The run for these settings if there is one (recorded, queued, running or finished); starts nothing."""
        with self._lock:
            return self._runs.get(settings)

    def ahead(self, live: LiveRun) -> int:
        """How many runs go before this one: 0 when it is training (or first in line)."""
        with self._lock:
            if live is self._running or live.finished:
                return 0
            waiting = list(self._queue)
            return (waiting.index(live) if live in waiting else 0) + (self._running is not None)

    def _forget_old(self) -> None:
        finished = [s for s, r in self._runs.items() if r.finished and not r.recorded]
        for settings in finished[:max(0, len(finished) - self.keep)]:
            del self._runs[settings]

    def close(self, timeout: float = 10.0) -> None:
        """Stop the running training at its next step, drop the queue, and wait for the worker to end (a thread
        still inside torch when the interpreter exits aborts the process)."""
        with self._lock:
            self._closing = True
            self._queue.clear()
            self._lock.notify_all()
        if self._thread is not None:
            self._thread.join(timeout)

    def _work(self) -> None:
        _lower_priority()
        one_torch_thread()
        while True:
            with self._lock:
                while not self._queue and not self._closing:
                    self._lock.wait()
                if self._closing:
                    return
                live = self._running = self._queue.popleft()
                live.state, live.started = RUNNING, time.time()
            try:
                live.run = run_settings(live.settings, on_step=live.frames.append, stop=lambda: self._closing)
                live.state = DONE
            except Stopped as err:
                live.error, live.state = str(err), FAILED
            except Exception as err:  # noqa: BLE001  a run that fails is reported on its page; the worker goes on
                live.error, live.state = f"{type(err).__name__}: {err}", FAILED
            with self._lock:
                self._running = None
