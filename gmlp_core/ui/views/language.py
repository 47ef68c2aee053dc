"""The Language models page's views of one set of models (trained on one corpus): what each model can show on
the typed text, how they trained, and how they write on."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import streamlit as st

from ...models import ARCHS, ATTENTION_MAPS, SPATIAL_W, causal_mask
from .. import lm_cache
from ..inputs import decimal_slider
from ..layout import box_drawn_when_open, grid
from ..locale import lang, num, snapshot_text, tr
from ..markdown import literal
from ..plots import heatmap, loss_curves_figure, value_range
from ..sections import heads_picker, layer_picker, per_head_and_average, show
from ..state import integer, kept, view_fragment



def axes() -> dict:
    """One pair of axis names for attention and W, drawn one under the other (a row reads from the columns)."""
    return dict(row_title=tr("output_token"), col_title=tr("input_token"), hidden_text=tr("hidden"))


@dataclass
class LanguagePage:
    """models: {arch: (model, info, path)}; files: {arch: (path, modified)} (the cache keys); text: as typed;
    labels: the characters the models read, made visible."""

    models: dict
    files: dict
    text: str
    labels: list[str]
    tokenizer: object

    @property
    def n(self) -> int:
        return len(self.labels)

    @property
    def text_read(self) -> str:
        return lm_cache.reading(*next(iter(self.files.values())), self.text).text

    @cached_property
    def names(self) -> dict[str, str]:
        return {arch: ARCHS[arch].title(lang()) for arch in self.models}

    @property
    def row_px(self) -> int | None:
        """The tallest maps' rows: 16 px each, every character labelled down the rows, so the text reads."""
        return 16 if self.n > 12 else None

    @property
    def per_row(self) -> int:
        return 4 if self.n <= 16 else 2  # a character must stay a visible cell on a 1024-px projector


def model_view(page: LanguagePage, arch: str) -> None:
    """What this family can show on the typed text: its attention maps, its causal W, or both (aMLP)."""
    model, shows, short = page.models[arch][0], ARCHS[arch].shows, ARCHS[arch].short
    both = {ATTENTION_MAPS, SPATIAL_W} <= shows
    st.markdown(tr("lm_amlp_explain" if both else "lm_attention_explain" if ATTENTION_MAPS in shows
                   else "lm_w_explain"))
    left, right = st.columns([1, 2])
    future = causal_mask(page.n)  # grey, as on the Attention page: a position never reads a later one
    layer = layer_picker(f"lm_{short}_layer", model.config.depth, default=model.config.depth - 1,
                         url=f"{short}_layer", container=left)
    chosen = heads_picker(f"lm_{short}_heads", model.config.heads, url=f"{short}_heads", container=right)
    if ATTENTION_MAPS in shows:
        maps = lm_cache.attention(*page.files[arch], page.text)[layer]  # (heads, n, n)
        if maps.shape[0] == 1:  # a single head (the aMLP's tiny attention): one map, no average
            show(heatmap(maps[0], page.labels, page.labels, title=tr("lm_tiny_attention"), value_name=tr("weight"),
                         zrange=(0.0, 1.0), hidden=future, row_px=page.row_px, **axes()), f"lm_{short}_tiny")
        else:
            per_head_and_average(maps, page.labels, chosen, key=f"lm_{short}", value_name=tr("weight"),
                                 axes=axes(), zrange=(0.0, 1.0), hidden=future, per_row=page.per_row,
                                 average_row_px=page.row_px,
                                 head_height=420 if page.per_row == 2 else 300)
    if SPATIAL_W in shows:
        w = lm_cache.causal_w(*page.files[arch])[layer][:, :page.n, :page.n]
        per_head_and_average(w, page.labels, chosen, key=f"lm_{short}_w", value_name="W", axes=axes(), signed=True,
                             zrange=value_range(w, signed=True), hidden=future, per_row=page.per_row,
                             average_row_px=page.row_px,
                             head_height=420 if page.per_row == 2 else 300)
        block = model.config.block_size
        # drawn while open: its block x block cells (and their mask) were half of a first visit's 491 kB, and the
        # charts above waited for them
        whole = box_drawn_when_open(st, tr("lm_full_w", block=block), f"lm_{short}_w_full_open")
        with whole:
            if whole.open:
                show(lm_cache.full_w_figure(*page.files[arch], layer, tuple(sorted(chosen)),
                                            tr("lm_full_w_title", block=block), **axes()), f"lm_{short}_w_full")
                st.caption(tr("lm_full_w_explain"))


STREAM_EVERY = 8  # characters between two redraws of a text being written


def training_view(page: LanguagePage) -> None:
    histories = {page.names[arch]: info.meta.get("history", []) for arch, (_, info, _) in page.models.items()}
    show(loss_curves_figure(histories, tr("lm_curves_title"), tr("lm_step"), tr("lm_val_loss")), "lm_curves")
    st.caption(tr("lm_curves_explain", losses=" · ".join(
        f"{page.names[arch]} {num(info.meta['val_loss'], 3)}" for arch, (_, info, _) in page.models.items()
        if "val_loss" in info.meta)))
    with_w = [arch for arch, (_, info, _) in page.models.items() if SPATIAL_W in ARCHS[arch].shows and
              info.snapshots is not None]
    if not with_w:
        return
    w_snapshots(page, with_w[0])


@view_fragment
def w_snapshots(page: LanguagePage, arch: str) -> None:
    """W at a training snapshot: the slider reruns this section only, so dragging it animates the band forming."""
    info = page.models[arch][1]
    snapshot_labels = info.snapshot_labels
    left, right = st.columns([2, 1])
    picked = kept(left.select_slider, tr("snapshot"), key="lm_snapshot", default=snapshot_labels[-1],
                  options=snapshot_labels, format_func=snapshot_text, url="lm_snapshot")
    layer = layer_picker("lm_snapshot_layer", info.config.depth, url="lm_snapshot_layer", container=right)
    title = tr("lm_w_at", model=page.names[arch], label=snapshot_text(picked), layer=layer)
    show(lm_cache.full_w_figure(*page.files[arch], layer, (), title, snapshot=snapshot_labels.index(picked),
                                **axes()), "lm_w_snapshot")
    st.caption(tr("lm_snapshot_explain"))


@view_fragment
def generate_view(page: LanguagePage) -> None:
    """Its settings rerun this section only; each model's text appears as it is written."""
    st.markdown(tr("lm_generate_explain"))
    a, b, c, d = st.columns(4)
    vocabulary = len(page.tokenizer.vocab)
    temperature = decimal_slider(tr("lm_temperature"), 0.1, 2.0, 0.1, key="lm_temperature", default=0.8,
                                 url="temperature", container=a)
    top_k = kept(b.slider, tr("lm_top_k"), 1, vocabulary, key="lm_top_k", default=min(20, vocabulary),
                 url="top_k", parse=integer(1, vocabulary))
    seed = kept(c.number_input, tr("seed"), 0, 1_000_000, key="lm_seed", default=0, url="lm_seed",
                parse=integer(0, 1_000_000))
    length = kept(d.slider, tr("lm_length"), 20, 400, step=20, key="lm_length", default=200, url="length",
                  parse=integer(20, 400))
    boxes = {}
    for arch, col in grid(page.models, len(page.models)):
        with col:
            st.markdown(f"**{literal(page.names[arch])}**")
            boxes[arch] = st.empty()
    for arch, box in boxes.items():  # every model's box is drawn (empty) before the first one starts writing
        box.caption(tr("lm_writing"))
    for arch, box in boxes.items():
        text, shown = "", 0
        for text in lm_cache.continuation(*page.files[arch], page.text_read, int(length), float(temperature),
                                          min(int(top_k), vocabulary), int(seed)):
            if len(text) - shown >= STREAM_EVERY:
                box.code(text + "▌", language=None, wrap_lines=True)
                shown = len(text)
        box.code(text, language=None, wrap_lines=True)
