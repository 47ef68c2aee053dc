"""The Attention page's four variants (SPEC §2), each a section the page lays out under its variant picker."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from ...lessons import AttentionLesson
from ...lessons.position import position_lesson
from ...models import head_average, spatial_weights
from ..checkpoints import CHECKPOINT_DIR, open_checkpoint
from ..locale import sig, tr
from ..plots import heatmap, value_range
from ..sections import heads_picker, numbers_expander, per_head_and_average, show
from ..state import declare, integer


NUMBERS_IN_HALF_WIDTH = 5  # tokens: a half column at 1024 px holds five cells of "-1.21" a few px apart


def pair(tokens: int):
    """Two places for two maps of `tokens` tokens: side by side, or one under the other, each across the page."""
    return st.columns(2) if tokens <= NUMBERS_IN_HALF_WIDTH else (st.container(), st.container())


@dataclass
class AttentionView:
    """What every variant draws from: the lesson on the sentence, its tokens, and the page's settings."""

    lesson: AttentionLesson
    labels: list[str]
    heads: int
    d_out: int
    dropout: float
    shared: bool  # one colour scale across the maps

    @property
    def weight_range(self):
        return (0.0, 1.0) if self.shared else None

    @property
    def side_by_side(self) -> bool:
        """Whether two maps fit side by side: beyond NUMBERS_IN_HALF_WIDTH tokens a half column's cell is too narrow
        for its number ("0,00"), so the maps go one under the other, each across the page."""
        return len(self.labels) <= NUMBERS_IN_HALF_WIDTH

    def pair(self):
        """Two places for two maps: side by side, or one under the other (side_by_side)."""
        return pair(len(self.labels))

    def heatmap(self, matrix, **options):
        """A token x token map with the page's axis names."""
        return heatmap(matrix, self.labels, self.labels, row_title=tr("query"), col_title=tr("key"),
                       hidden_text=tr("hidden"), **options)


def simplified(view: AttentionView) -> None:
    st.markdown(tr("simplified_explain"))
    result = view.lesson.simplified
    left, right = view.pair()
    with left:
        show(view.heatmap(result.scores, title=tr("scores"), value_name=tr("score")), "simplified_scores")
    with right:
        show(view.heatmap(result.weights, title=tr("weights"), value_name=tr("weight"),
                          extra={tr("score"): result.scores}, zrange=view.weight_range), "simplified_weights")
    numbers_expander(result.weights, view.labels, "simplified_weights", result.scores, result.context)


def trainable(view: AttentionView) -> None:
    st.markdown(tr("trainable_explain"))
    result = view.lesson.trainable
    left, right = view.pair()
    with left:
        show(view.heatmap(result.masked_scores, title=tr("scores"), value_name=tr("score"), hidden=result.mask),
             "trainable_scores")
    with right:
        show(view.heatmap(result.weights, title=tr("weights"), value_name=tr("weight"), hidden=result.mask,
                          extra={tr("score"): result.scores}, zrange=view.weight_range), "trainable_weights")
    if view.dropout > 0:
        show(view.heatmap(result.dropped_weights, title=tr("dropped_weights"), value_name=tr("weight"),
                          hidden=result.mask), "trainable_dropped")
    numbers_expander(result.weights, view.labels, "trainable_weights", result.masked_scores, result.context)


def causal(view: AttentionView) -> None:
    st.markdown(tr("causal_explain"))
    result = view.lesson.causal
    # two maps a row: the mask beside what it does to the scores, then the two ways to the weights side by side
    # (three a row left a projector 70-px maps with cut titles)
    left, right = view.pair()
    with left:
        show(view.heatmap(result.mask.float(), title=tr("mask"), value_name=tr("mask_value")), "causal_mask")
    with right:
        show(view.heatmap(result.masked_scores, title=tr("masked_scores"), value_name=tr("score"),
                          hidden=result.mask), "causal_masked_scores")
    left, right = view.pair()
    with left:
        show(view.heatmap(result.weights, title=tr("weights_method_mask"), value_name=tr("weight"),
                          hidden=result.mask, extra={tr("score"): result.scores}, zrange=view.weight_range),
             "causal_weights")
    with right:
        show(view.heatmap(view.lesson.causal_renormalised, title=tr("weights_method_renorm"),
                          value_name=tr("weight"), hidden=result.mask, zrange=view.weight_range), "causal_renorm")
    st.success(tr("methods_agree", diff=sig(view.lesson.causal_methods_max_difference, 2)))
    st.markdown(tr("causal_methods_explain"))
    numbers_expander(result.weights, view.labels, "causal_weights", result.masked_scores, result.context)


def multi(view: AttentionView) -> None:
    st.markdown(tr("multi_explain_one" if view.d_out == view.heads else "multi_explain", heads=view.heads,
                   size=view.d_out // view.heads))
    result = view.lesson.multi_head
    if st.session_state.get("_avg_heads_for") != view.heads:  # a new head count: average all its heads again
        st.session_state.pop("avg_heads", None)
        st.session_state["_avg_heads_for"] = view.heads
    chosen = heads_picker("avg_heads", view.heads, url="avg")
    head_range = value_range(result.weights) if view.shared else view.weight_range
    explain = lambda: st.markdown(tr("multi_average_explain"))  # noqa: E731  beside the average, or under it
    average = per_head_and_average(result.weights, view.labels, chosen, key="multi", value_name=tr("weight"),
                                   axes=dict(row_title=tr("query"), col_title=tr("key"), hidden_text=tr("hidden")),
                                   zrange=head_range, hidden=result.mask,
                                   extra=[{tr("score"): s} for s in result.scores],
                                   beside=explain if view.side_by_side else None)
    if not view.side_by_side:
        explain()
    if average is not None:
        numbers_expander(average, view.labels, "multi_head_average", context=result.context)


def position(view: AttentionView) -> None:
    """Shuffle the words: attention's map moves with them (no position information), a gMLP's W stays with the
    places, and a sinusoidal encoding added to the embeddings ties attention to the order too."""
    st.markdown(tr("position_explain"))
    if st.button(tr("shuffle_again"), icon=":material/shuffle:", key="shuffle_button"):
        st.session_state["shuffle"] = int(st.session_state.get("shuffle", 0)) + 1
    declare("shuffle", url="shuffle", parse=integer(0, 10 ** 6))
    lesson = position_lesson(view.lesson.x, view.lesson.settings, int(st.session_state.get("shuffle", 0)))
    shuffled = [view.labels[i] for i in lesson.order]
    in_order_and_shuffled(view, (lesson.weights, lesson.shuffled), shuffled, ("original_order", "shuffled_order"),
                          ("position_original", "position_shuffled"))
    left, right = st.columns(2)
    with left:
        # a 0/1 map: its colour says it all, and ten "0.00"s ran into each other in a half-width column
        show(heatmap(lesson.permutation, shuffled, view.labels, title=tr("permutation"), value_name="",
                     row_title=tr("new_position"), col_title=tr("old_position"), zrange=(0.0, 1.0),
                     cell_numbers=False), "position_permutation")
    with right:
        st.success(tr("shuffle_same", gap=sig(lesson.gap, 2)))
    position_w(view.labels, shuffled)
    st.subheader(tr("pe_title"))
    st.markdown(tr("pe_explain"))
    dims = [str(i) for i in range(lesson.encoding.shape[1])]
    show(heatmap(lesson.encoding, view.labels, dims, title=tr("pe_title"), value_name="PE", signed=True,
                 row_title=tr("pe_position"), col_title=tr("pe_dimension")), "position_encoding")
    in_order_and_shuffled(view, (lesson.weights_pe, lesson.shuffled_pe), shuffled,
                          ("with_pe_original", "with_pe_shuffled"), ("position_pe_original", "position_pe_shuffled"))
    st.info(tr("pe_differs", gap=sig(lesson.gap_pe, 2)))


def in_order_and_shuffled(view: AttentionView, maps: tuple, shuffled: list[str], titles: tuple, keys: tuple) -> None:
    """Attention on the sentence in order beside attention on the shuffled words, each with its own words."""
    for weights, labels, title, key, col in zip(maps, (view.labels, shuffled), titles, keys, view.pair()):
        with col:
            show(heatmap(weights, labels, labels, title=tr(title), value_name=tr("weight"), row_title=tr("query"),
                         col_title=tr("key"), hidden_text=tr("hidden"), zrange=(0.0, 1.0)), key)


def position_w(labels: list[str], shuffled: list[str]) -> None:
    """The shipped English gMLP's W (layer 1, mean over heads) for these positions, beside both orders."""
    path = CHECKPOINT_DIR / "lm-gmlp.safetensors"
    if not path.exists():
        return
    model, _ = open_checkpoint(path)
    n = len(labels)
    w = head_average(spatial_weights(model)[0])[:n, :n]
    st.markdown(tr("w_by_position", n=n))
    axes = dict(row_title=tr("output_token"), col_title=tr("input_token"), value_name="W", signed=True)
    for (title, names, key), col in zip(((tr("w_original"), labels, "position_w"),
                                         (tr("w_shuffled"), shuffled, "position_w_shuffled")), pair(n)):
        with col:
            show(heatmap(w, names, names, title=title, **axes), key)


VARIANTS = {"simplified": simplified, "trainable": trainable, "causal": causal, "multi": multi, "position": position}
CAUSAL_SWITCHABLE = ("trainable", "multi")  # the variants the causal switch acts on
