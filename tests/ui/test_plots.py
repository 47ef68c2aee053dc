import math

import numpy as np
import pytest
import torch

from gmlp_core.ui.plots import (TEXT_COLOUR, heatmap, history_figure, patch_grid_figure, patch_sequence_figure,
                             row_on_grid_figure, surprise_figure, topk_figure, value_range)


def shown(axis) -> list[str]:
    """The labels a category axis shows for its categories, in order."""
    return [axis.labelalias[category] for category in axis.labelalias]


def test_heatmap_leaves_hidden_cells_blank_and_names_them_on_hover():
    weights = torch.tensor([[1.0, 0.0], [0.3, 0.7]])
    mask = torch.tensor([[False, True], [False, False]])
    figure = heatmap(weights, ["a", "b"], ["a", "b"], hidden=mask, value_name="weight",
                     extra={"score": torch.tensor([[2.0, 9.0], [1.0, 1.5]])})
    trace, hidden_layer = figure.data
    assert math.isnan(trace.z[0][1]) and trace.z[1][1] == pytest.approx(0.7)
    assert trace.hovertemplate == ("query token: %{y}<br>key token: %{x}<br>weight: %{z:.4g}<br>"
                                   "score: %{customdata[0]:.4g}<extra></extra>")
    assert trace.customdata[1][0][0] == pytest.approx(1.0) and not trace.hoverongaps
    assert hidden_layer.z[0][1] == 0 and math.isnan(hidden_layer.z[1][0])  # only the hidden cell names itself
    assert hidden_layer.hovertemplate.endswith("hidden<extra></extra>")
    assert shown(figure.layout.xaxis) == ["a", "b"] and figure.layout.xaxis.title.text == "key token"


def test_heatmap_keeps_repeated_tokens_apart():
    figure = heatmap(torch.eye(3), ["the", "cat", "the"], ["the", "cat", "the"])
    assert len(figure.data[0].z) == 3 and list(figure.data[0].x) == ["0: the", "1: cat", "2: the"]
    assert shown(figure.layout.xaxis) == ["the", "cat", "the"]


def test_heatmap_shows_typed_markup_as_text():
    figure = heatmap(torch.eye(2), ["<b>x</b>", "a&b"], ["<a href='u'>l</a>", "y"], title="<i>t</i>")
    assert shown(figure.layout.yaxis) == ["&lt;b&gt;x&lt;/b&gt;", "a&amp;b"]
    assert figure.data[0].x[0] == "0: &lt;a href='u'&gt;l&lt;/a&gt;" and figure.layout.title.text == "&lt;i&gt;t&lt;/i&gt;"


def test_heatmap_rejects_wrong_label_counts():
    with pytest.raises(ValueError, match="2x2 matrix but 3 row"):
        heatmap(torch.eye(2), ["a", "b", "c"], ["a", "b"])


def test_signed_heatmap_is_centred_on_zero():
    figure = heatmap(torch.tensor([[-0.2, 0.1], [0.05, 0.0]]), ["0", "1"], ["0", "1"], signed=True)
    assert figure.data[0].zmin == pytest.approx(-0.2) and figure.data[0].zmax == pytest.approx(0.2)


def test_value_range_ignores_infinities_and_spans_all_matrices():
    assert value_range(torch.tensor([[1.0, float("-inf")]]), torch.tensor([[3.0]])) == (1.0, 3.0)


def test_patch_figures_number_every_patch():
    pixels = np.zeros((32, 32, 3), dtype=np.uint8)
    grid = patch_grid_figure(pixels, 8)
    assert [a.text for a in grid.layout.annotations] == [f"<b>{i}</b>" for i in range(16)]
    sequence = patch_sequence_figure(pixels, 8, cls_token=True)  # tiles of 8 pixels, 2 apart
    image, axis = sequence.data[0], sequence.layout.xaxis
    tile_centre = lambda k: image.x0 + (k * 10 + 3.5) * image.dx  # noqa: E731  tile k's middle pixel column
    assert [tile_centre(k) for k in range(3)] == pytest.approx([-1, 0, 1])  # Plotly's ticks number the patches
    assert axis.labelalias == {"\u2212" + "1": "[CLS]"} and axis.nticks == 18  # 17 tiles: every one numbered


def test_row_on_grid_places_values_on_the_patch_grid():
    figure = row_on_grid_figure(np.zeros((32, 32, 3), np.uint8), torch.arange(16.0), 8, query=5,
                                hover_text="token 5 <reads> from patch")
    overlay = figure.data[1]
    assert np.asarray(overlay.z).shape == (4, 4) and overlay.z[1][1] == 5.0
    assert overlay.hovertemplate.startswith("token 5 &lt;reads&gt; from patch %{customdata}")
    with pytest.raises(ValueError, match="expected 16 patch values"):
        row_on_grid_figure(np.zeros((32, 32, 3), np.uint8), torch.arange(17.0), 8, query=0)


def test_topk_figure_lists_classes_best_first():
    figure = topk_figure([("cat", 0.6), ("dog", 0.3), ("frog", 0.1)])
    assert list(figure.data[0].y) == ["cat", "dog", "frog"] and list(figure.data[0].text) == ["60.0%", "30.0%", "10.0%"]


def test_history_figure_draws_train_and_validation():
    figure = history_figure([{"epoch": 1, "train_top1": 0.3, "val_top1": 0.4, "val_top5": 0.8}])
    assert [trace.name for trace in figure.data] == ["train top-1", "validation top-1", "validation top-5"]


def test_plotly_spaces_the_labels_for_the_drawn_length_and_turns_wide_ones_upright():
    """Every label is named; Plotly shows as many as fit 1.2 font sizes apart on the axis as drawn (a phone or a
    projector), and turns them upright rather than slanted when they are wider than that."""
    labels = [f"t{i}" for i in range(128)]
    for compact in (False, True):
        axis = heatmap(torch.zeros(128, 128), labels, labels, compact=compact).layout.xaxis
        assert axis.tickmode == "auto" and shown(axis) == labels and list(axis.autotickangles) == [0, 90]


def test_every_tick_label_is_12_px_in_the_text_colour():
    """Streamlit's theme draws ticks in a pale grey (#808495, 3.7:1); a projector needs them dark and 12 px."""
    chars = list("ROMEO: But soft")
    figures = [heatmap(torch.zeros(40, 40), list(map(str, range(40))), list(map(str, range(40))), compact=True),
               heatmap(torch.zeros(3, 3), list("abc"), list("abc")),
               topk_figure([("cat", 0.6), ("dog", 0.4)]),
               history_figure([{"epoch": 1, "train_top1": 0.3, "val_top1": 0.4}]),
               surprise_figure(chars, {"gMLP": (torch.ones(len(chars) - 1), [""] * (len(chars) - 1))}),
               patch_sequence_figure(np.zeros((32, 32, 3), np.uint8), 4, cls_token=False)]
    fonts = [axis.tickfont for f in figures for axis in (f.layout.xaxis, f.layout.yaxis) if axis.visible is not False]
    fonts += [f.data[0].colorbar.tickfont for f in figures[:2]]
    assert len(fonts) == 13 and all(font.size >= 12 and font.color == TEXT_COLOUR for font in fonts)


def test_every_axis_title_is_in_the_text_colour():
    chars = list("ROMEO")
    figures = [heatmap(torch.zeros(3, 3), list("abc"), list("abc")), topk_figure([("cat", 0.6), ("dog", 0.4)]),
               history_figure([{"epoch": 1, "train_top1": 0.3, "val_top1": 0.4}]),
               surprise_figure(chars, {"gMLP": (torch.ones(len(chars) - 1), [""] * (len(chars) - 1))})]
    titles = [axis.title for f in figures for axis in (f.layout.xaxis, f.layout.yaxis) if axis.title.text]
    assert len(titles) == 7 and all(title.font.color == TEXT_COLOUR for title in titles)


def test_a_long_title_wraps_instead_of_running_off_the_chart():
    title = "Weights: softmax, zero the future, renormalise (the second method)"
    text = heatmap(torch.eye(2), ["a", "b"], ["a", "b"], title=title).layout.title.text
    assert text.replace("<br>", " ") == title and all(len(line) <= 40 for line in text.split("<br>"))


def test_small_maps_print_their_numbers_and_every_map_has_a_colour_bar():
    few = heatmap(torch.rand(6, 6), list("abcdef"), list("abcdef"))
    many = heatmap(torch.rand(20, 20), [str(i) for i in range(20)], [str(i) for i in range(20)])
    small_multiple = heatmap(torch.rand(6, 6), list("abcdef"), list("abcdef"), compact=True)
    assert few.data[0].texttemplate == "%{z:.2f}" and many.data[0].texttemplate is None
    assert all(f.data[0].showscale is not False for f in (few, many, small_multiple))
    assert small_multiple.data[0].colorbar.thickness < few.data[0].colorbar.thickness


def test_few_tokens_fill_the_column_and_many_keep_square_cells():
    few = heatmap(np.eye(6), list("abcdef"), list("abcdef"))
    many = heatmap(np.eye(40), [str(i) for i in range(40)], [str(i) for i in range(40)])
    assert few.layout.yaxis.scaleanchor is None and many.layout.yaxis.scaleanchor == "x"
    # the colour bar lies under the map, so a narrow column gives its width to the matrix
    assert few.data[0].colorbar.orientation == "h" and many.data[0].colorbar.orientation == "h"
    assert few.data[0].texttemplate and many.data[0].texttemplate is None
    twelve = [str(i) for i in range(12)]  # a 9-token Vietnamese sentence and longer still show their numbers
    assert heatmap(np.eye(12), twelve, twelve).data[0].texttemplate == "%{z:.2f}"
    assert heatmap(np.eye(13), twelve + ["x"], twelve + ["x"]).data[0].texttemplate is None


def test_cells_are_parted_by_a_pixel_only_while_they_are_wide_enough_to_keep_their_colour():
    """A 128-position W (the language models' context) in a 560-px map has cells of about 3.4 px: one pixel of
    gap on each was a third of it, and the band W learned faded into the grid."""
    def gaps(n: int, compact: bool = False) -> tuple:
        trace = heatmap(np.eye(n), [str(i) for i in range(n)], [str(i) for i in range(n)], compact=compact).data[0]
        return trace.xgap or 0, trace.ygap or 0
    assert gaps(16) == gaps(64) == (1, 1)
    assert gaps(65) == gaps(128) == gaps(196) == (0, 0)
    # a head's map, two to a row, has half the width: 55 typed characters made cells of about 3 px
    assert gaps(24, compact=True) == (1, 1) and gaps(25, compact=True) == gaps(55, compact=True) == (0, 0)


def test_a_text_read_down_the_rows_gets_rows_tall_enough_for_every_label():
    """row_px: 16-px rows (Plotly labels a category every 1.2 font sizes = 14 px), the map stretched down."""
    chars = list("ROMEO: But soft, what light")
    figure = heatmap(torch.zeros(len(chars), len(chars)), chars, chars, row_px=16)
    assert figure.layout.height == 150 + 16 * len(chars) and figure.layout.yaxis.scaleanchor is None


def test_a_heatmap_sends_its_values_as_float32_to_four_significant_digits():
    """What every rerun serialises and sends for a map: float32 typed arrays (half of float64's bytes), values,
    hover extras and the hidden-cell layer alike, which still read to the 4 digits a hover shows."""
    values = torch.rand(40, 40, dtype=torch.float64) * 3 - 1
    figure = heatmap(values, [str(i) for i in range(40)], [str(i) for i in range(40)],
                     hidden=torch.ones(40, 40, dtype=torch.bool).triu(1), extra={"score": values * 2})
    sent = figure.to_dict()["data"]
    assert [trace["z"]["dtype"] for trace in sent] == ["f4", "f4"] and sent[0]["customdata"]["dtype"] == "f4"
    shown = np.asarray(figure.data[0].z, dtype=np.float64)
    lower = ~np.triu(np.ones((40, 40), dtype=bool), 1)
    assert np.allclose(shown[lower], values.numpy()[lower], rtol=1e-6)


def test_a_small_multiples_colour_bar_names_a_value_on_each_side_of_zero():
    """Plotly's own three ticks for a bar from -0.15 to 0.15 were -0.2, 0 and 0.2: only "0" was drawn."""
    for bound, tick in [(0.15, 0.1), (0.2, 0.2), (0.049, 0.02), (3.0, 2.0), (7.5, 5.0), (1.0, 1.0)]:
        figure = heatmap(np.array([[bound, -bound], [0.0, 0.0]]), ["a", "b"], ["c", "d"], signed=True, compact=True)
        assert list(figure.data[0].colorbar.tickvals) == pytest.approx([-tick, 0, tick]), bound
    row = row_on_grid_figure(np.zeros((32, 32, 3), np.uint8), np.linspace(-0.15, 0.1, 16), 8, 0, zrange=(-0.15, 0.15))
    assert list(row.data[1].colorbar.tickvals) == pytest.approx([-0.1, 0, 0.1])
    assert heatmap(np.eye(2), ["a", "b"], ["a", "b"], compact=True).data[0].colorbar.nticks == 3  # unsigned: Plotly's
