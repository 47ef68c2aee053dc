"""The Playground page's sections: the settings, the Play / Pause / Step / Reset controls, and the live view of a
run (curves, one held-out example, W beside the target, attention on the example), redrawn as it trains.

Training never runs in a page's rerun: a page asks the process's Trainer for the run of its settings (shared by
everyone asking for the same ones) and draws the frames recorded so far. Each session keeps only where its view
is: the frame shown (the cursor) and whether it follows the run (playing).
"""

from __future__ import annotations

import functools

import streamlit as st
import torch

from ...lessons.position import permutation_matrix
from ...playground import IGNORE, MIXERS, TASKS, ToySettings
from ...playground.record import page_default
from ...playground.run import DEFAULT_STEPS, HEADS, MAX_STEPS, Frame, example_of
from ...playground.tasks import POSITION
from ...playground.worker import DONE, FAILED, QUEUED, LiveRun, QueueFull, Trainer
from ...threads import one_torch_thread
from ..checkpoints import CHECKPOINT_DIR
from ..locale import explain, num, pct, tr
from ..plots import heatmap, value_range
from ..run_plots import run_curves_figure, sequence_figure
from ..sections import layer_picker, per_head_and_average, show
from ..state import integer, kept

RECORDED = CHECKPOINT_DIR / "playground"
CURSOR, PLAYING, SHOWN_FOR, REPLAY = "pg_cursor", "pg_playing", "pg_shown_for", "pg_replay"
TICK_S = 0.5  # a playing view redraws twice a second
TICKS_PER_RUN = 20  # and shows a whole run in about 10 s, whatever its number of frames
WIDTHS = (16, 32, 64, 128)
RATES = (0.0003, 0.001, 0.003, 0.01, 0.03)
STEP_CHOICES = (100, 200, 400, 600, 800, 1000, 1500, 2000, 3000, 4000, MAX_STEPS)
SECONDS_PER_STEP = 0.01  # on one thread of a laptop, for the "about N s" estimate (measured: README)


# (input, right answer) of the example a run answers, before its ToyRun exists: drawn once per settings, not on
# every redraw of a playing view (read only)
example = functools.lru_cache(maxsize=128)(example_of)


@st.cache_resource(show_spinner=False)
def trainer() -> Trainer:
    """The server process's one trainer, with the recorded runs loaded."""
    return Trainer(RECORDED)


def settings_sidebar() -> ToySettings:
    """The run's settings, kept and in the link. The model's size and the steps are each task's own (recall
    opens on 2 layers, 4 pairs, width 32), the model, heads, learning rate and seed are shared."""
    with st.sidebar:
        st.subheader(tr("pg_settings"))
        task = kept(st.selectbox, tr("pg_task"), key="pg_task", default="reverse", options=list(TASKS),
                    format_func=lambda t: tr(f"pg_task_{t}"), url="pg_task")
        mixer = kept(st.radio, tr("pg_model"), key="pg_model", default="gmlp", options=list(MIXERS),
                     format_func=lambda m: tr(f"pg_mixer_{m}"), url="pg_model")

        def own(widget, label, name, *args, **kwargs):  # a setting each task keeps for itself
            return kept(widget, label, *args, key=f"pg_{name}_{task}", default=page_default(task, name),
                        url=f"pg_{name}_{task}", **kwargs)
        layers = own(st.radio, tr("pg_layers"), "layers", options=[1, 2], horizontal=True)
        heads = kept(st.radio, tr("pg_heads"), key="pg_heads", default=1, options=list(HEADS), horizontal=True,
                     url="pg_heads")
        width = own(st.select_slider, tr("pg_width"), "width", options=list(WIDTHS))
        if task == "recall":
            pairs = own(st.slider, tr("pg_pairs"), "pairs", 1, 8, parse=integer(1, 8))
            length = page_default(task, "length")
        else:
            length = own(st.select_slider, tr("pg_length"), "length", options=list(range(8, 33, 2)))
            pairs = page_default(task, "pairs")
        steps = own(st.select_slider, tr("pg_steps"), "steps",
                    options=sorted({*STEP_CHOICES, DEFAULT_STEPS[task]}))
        lr = kept(st.select_slider, tr("pg_lr"), key="pg_lr", default=0.003, options=list(RATES),
                  format_func=lambda r: num(r, 4).rstrip("0"), url="pg_lr")
        seed = kept(st.number_input, tr("pg_seed"), 0, 9999, key="pg_seed", default=0, url="pg_seed",
                    parse=integer(0, 9999))
    return ToySettings(task=task, mixer=mixer, layers=int(layers), heads=int(heads), width=int(width), lr=float(lr),
                       length=int(length), pairs=int(pairs), steps=int(steps), seed=int(seed))


def controls(settings: ToySettings) -> LiveRun | None:
    """Play / Pause / Step / Reset and the run's status. -> the run these settings have (None: none yet)."""
    key = repr(settings)
    if st.session_state.get(SHOWN_FOR) != key:  # other settings: another run, seen from its start
        st.session_state[SHOWN_FOR], st.session_state[CURSOR], st.session_state[PLAYING] = key, 0, False
    work = trainer()
    live = work.peek(settings)
    row = st.container(horizontal=True)  # one row of buttons on a phone too (columns would stack)
    pressed = {name: row.button(tr(f"pg_{name}"), key=f"pg_button_{name}", icon=icon,
                                type="primary" if name == "play" else "secondary")
               for name, icon in (("play", ":material/play_arrow:"), ("pause", ":material/pause:"),
                                  ("step", ":material/skip_next:"), ("reset", ":material/replay:"))}
    st.caption(tr("pg_buttons_help"))
    if pressed["play"] or pressed["step"]:
        try:
            live = work.request(settings)
        except QueueFull as err:
            st.warning(tr("pg_queue_full", waiting=err.values["waiting"]))
            return live
        cursor = st.session_state[CURSOR]
        if pressed["play"]:
            if live.finished and cursor >= len(live.frames) - 1:
                st.session_state[CURSOR] = 0  # Play at the end of a finished run replays it
            st.session_state[PLAYING] = True
        else:
            st.session_state[CURSOR] = min(cursor + 1, max(len(live.frames) - 1, 0))
            st.session_state[PLAYING] = False
    if pressed["pause"]:
        st.session_state[PLAYING] = False
    if pressed["reset"]:
        st.session_state[CURSOR], st.session_state[PLAYING] = 0, False
    return live


def status(live: LiveRun | None, settings: ToySettings) -> None:
    if live is None:
        st.info(tr("pg_not_started", seconds=num(max(1, settings.total_steps * SECONDS_PER_STEP * settings.layers))))
    elif live.state == QUEUED:
        ahead = trainer().ahead(live)
        st.info(tr("pg_queued", ahead=ahead) if ahead else tr("pg_starting"))
    elif live.state == FAILED:
        st.error(tr("pg_failed", error=explain(ValueError(live.error))))
    elif live.state == DONE:
        st.caption(tr("pg_recorded") if live.recorded else
                   tr("pg_done", steps=num(settings.total_steps), seconds=num(live.run.seconds, 1)))
    else:
        frames = live.frames
        st.caption(tr("pg_training", step=num(frames[-1].step if frames else 0), total=num(settings.total_steps)))


def run_view(settings: ToySettings, live: LiveRun | None) -> None:
    """The run's frame at this session's cursor; while playing, a fragment that moves the cursor on and redraws
    itself every TICK_S (the rest of the page does not rerun)."""
    playing = bool(st.session_state.get(PLAYING)) and live is not None
    st.fragment(run_every=TICK_S if playing else None)(_frame_section)(settings, live)


def _frame_section(settings: ToySettings, live: LiveRun | None) -> None:
    one_torch_thread()  # a timed redraw runs in a thread of its own
    status(live, settings)
    frames = list(live.frames) if live is not None else []  # the worker appends; this run reads a copy
    if not frames:
        task_preview(settings)
        return
    last = len(frames) - 1
    cursor = min(int(st.session_state.get(CURSOR, 0)), last)
    if st.session_state.get(PLAYING):
        total = live.expected_frames
        cursor = min(cursor + max(1, total // TICKS_PER_RUN), last)
        if live.finished and cursor >= last:  # the end of a finished run: stop following, show the replay slider
            st.session_state[CURSOR], st.session_state[PLAYING] = last, False
            st.rerun()  # the whole page, so that this fragment stops redrawing itself
    st.session_state[CURSOR] = cursor
    if not st.session_state.get(PLAYING) and last > 0:
        st.session_state[REPLAY] = cursor  # the buttons move the slider too; the slider moves the cursor
        cursor = st.select_slider(tr("pg_replay"), options=range(len(frames)), format_func=lambda i: num(frames[i].step),
                                  key=REPLAY, on_change=_follow_slider)
    draw_frame(settings, live, frames[:cursor + 1])


def _follow_slider() -> None:
    st.session_state[CURSOR] = st.session_state[REPLAY]


def task_preview(settings: ToySettings) -> None:
    """Before a run exists: an example of the task and, for a position task, the target W."""
    task = settings.make_task()
    inputs, right = example(settings)
    example_section(task, inputs, right, None)
    if task.kind == POSITION:
        labels = position_labels(task.length)
        show(heatmap(permutation_matrix(task.source), labels, labels, title=tr("pg_target"), value_name="",
                     row_title=tr("pg_output_position"), col_title=tr("pg_input_position")), "pg_target_preview")


def position_labels(n: int) -> list[str]:
    return [str(i) for i in range(n)]


def draw_frame(settings: ToySettings, live: LiveRun, shown: list[Frame]) -> None:
    frame = shown[-1]
    task = settings.make_task()
    step, loss, accuracy = st.columns(3)
    step.metric(tr("pg_metric_step"), f"{num(frame.step)} / {num(settings.total_steps)}")
    loss.metric(tr("pg_metric_loss"), num(frame.loss, 3))
    accuracy.metric(tr("pg_metric_accuracy"), pct(frame.accuracy))
    inputs, right = live.run.example if live.run is not None else example(settings)
    example_section(task, inputs, right, frame.answer)
    show(run_curves_figure([f.step for f in shown], [f.loss for f in shown], [f.accuracy for f in shown],
                           total_steps=settings.total_steps, title=tr("pg_curves"), step_title=tr("pg_step_axis"),
                           loss_title=tr("pg_loss_axis"), accuracy_title=tr("pg_accuracy_axis")), "pg_curves")
    layer = layer_picker("pg_layer", settings.layers)
    if frame.w is not None:
        w_section(task, frame.w[layer])
    if frame.maps is not None:
        st.subheader(tr("pg_maps"))
        maps = frame.maps[layer]
        labels = [task.symbols[t] for t in inputs]
        axes = dict(row_title=tr("pg_output_position"), col_title=tr("pg_input_position"))
        if maps.shape[0] == 1:  # the aMLP's tiny attention, or one head: nothing to average
            show(heatmap(maps[0], labels, labels, value_name=tr("weight"), zrange=(0.0, float(maps.max())), **axes),
                 "pg_maps_average")
        else:
            per_head_and_average(maps, labels, list(range(maps.shape[0])), key="pg_maps", value_name=tr("weight"),
                                 axes=axes, zrange=(0.0, float(maps.max())), per_row=4, head_height=260)
        st.caption(tr("pg_maps_explain"))


def example_section(task, inputs: list[int], right: list[int], answer: list[int] | None) -> None:
    """The example's input and right answer, and (during a run) the model's answer marked right or wrong."""
    symbols, blank = task.symbols, tr("pg_not_asked")
    asked = [r != IGNORE for r in right]
    rows = {tr("pg_input"): [symbols[t] for t in inputs],
            tr("pg_right"): [symbols[r] if ask else blank for r, ask in zip(right, asked)]}
    verdicts = [None] * len(inputs)
    if answer is not None:
        rows[tr("pg_answer")] = [symbols[a] if ask else blank for a, ask in zip(answer, asked)]
        verdicts = [(a == r) if ask else None for a, r, ask in zip(answer, right, asked)]
    st.markdown(f"**{tr('pg_example')}**")
    show(sequence_figure(rows, verdicts, tr("pg_position"), height=60 + 40 * len(rows)), "pg_example")
    if answer is not None:
        st.caption(tr("pg_example_explain"))


def w_section(task, w: torch.Tensor) -> None:
    """W per head and averaged, all on one scale, with the target permutation beside the average. Its axes are
    positions: W reads a place, whatever token is there."""
    st.subheader(tr("pg_w"))
    labels = position_labels(task.length)
    axes = dict(row_title=tr("pg_output_position"), col_title=tr("pg_input_position"))
    zrange = value_range(w, signed=True)

    def target() -> None:
        if task.kind == POSITION:
            show(heatmap(permutation_matrix(task.source), labels, labels, title=tr("pg_target"), value_name="", **axes),
                 "pg_target")

    if w.shape[0] == 1:  # one head: it is the average
        left, right = st.columns(2)
        with left:
            show(heatmap(w[0], labels, labels, title="W", value_name="W", zrange=zrange, signed=True, **axes), "pg_w")
        with right:
            target()
    else:
        per_head_and_average(w, labels, list(range(w.shape[0])), key="pg_w", value_name="W", axes=axes,
                             zrange=zrange, signed=True, per_row=4, head_height=260,
                             beside=target if task.kind == POSITION else None)
    if task.kind == POSITION:
        peaks = int((w.abs().mean(0).argmax(-1) == torch.tensor(task.source)).sum())
        st.caption(tr("pg_w_explain", peaks=peaks, n=task.length))
