"""In Vietnamese, every page says everything in Vietnamese (bar Streamlit's own uploader and camera words, listed in
the README) and writes every number the Vietnamese way."""

import re

import pytest
from streamlit.testing.v1 import AppTest

from tests.helpers import ROOT
from tests.test_pages import LM_PAGE, TIMEOUT, charts, ok, rendered
from tests.ui.test_link_reopens import ATTENTION, PATCHES, W, opened

PLAYGROUND = "pages/5_playground.py"

# words of this app's English interface that have no place in a Vietnamese one
ENGLISH = re.compile(r"\b(Stop|None|threads?|Head|Heads|Average|average|Sample|Upload|Camera|Layer|Download|Picture|"
                     r"Temperature|Characters|Training|Trained|truncated|bytes|image file|or|and|the|of|with|"
                     r"per|min)\b")
# a number written the English way: a decimal point (6.33, 0.4376), or thousands split by commas (1,645,066);
# '1.034' and '1,034' are numbers in both conventions, so they pass
ENGLISH_NUMBER = re.compile(r"(?<![\w.,])\d+\.(?!\d{3}(?![\d.]))\d+(?![\w.])|\d{1,3}(?:,\d{3}){2,}(?![\d,])")
TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")

WIDGETS = ("radio", "selectbox", "multiselect", "slider", "select_slider", "toggle", "checkbox", "button",
           "number_input", "text_input", "text_area", "segmented_control")


def said(at: AppTest) -> list[str]:
    """What a page says in its own words: text elements, widget labels and options, metrics, chart titles and
    legends (not what the learner typed, nor the example sentences offered in either language)."""
    texts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error", "success",
                 "toast", "expander"):
        texts += [getattr(e, "label", None) or e.value for e in at.get(kind)]
    for kind in WIDGETS:
        for widget in at.get(kind):
            texts.append(widget.label)
            if kind == "slider" and isinstance(widget.value, float):  # st.slider writes it with a point
                texts.append(str(widget.value))
            if kind in ("radio", "selectbox", "multiselect", "select_slider", "segmented_control"):
                texts += [str(o) for o in getattr(widget, "options", [])]
    for table in at.dataframe:  # the cells a page writes as text (a matrix's numbers stay numbers)
        texts += [str(v) for v in table.value.to_numpy().ravel() if isinstance(v, str)] + list(map(str, table.value.columns))
    for metric in at.metric:
        texts += [metric.label, str(metric.value)]
    for figure in charts(at).values():
        layout = figure.get("layout", {})
        texts += [str((layout.get("title") or {}).get("text", ""))]
        texts += [str(((layout.get(axis) or {}).get("title") or {}).get("text", "")) for axis in ("xaxis", "yaxis")]
        texts += [str(trace.get("name", "")) for trace in figure.get("data", [])]
    return [t for t in texts if t]


def english_in(at: AppTest) -> list[str]:
    return [t for t in said(at) if ENGLISH.search(re.sub(r"`[^`]*`", "", t)) or ENGLISH_NUMBER.search(t)
            or TIMESTAMP.search(t)]


def home(state) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.query_params["lang"] = "vi"
    return ok(at.run())


VIEWS = [
    ("app.py", {}),
    *[(ATTENTION, {"variant": v}) for v in ("simplified", "trainable", "causal", "multi", "position")],
    (ATTENTION, {"embedding_source": "table"}),
    (PATCHES, {}),
    (W, {}),
    *[(LM_PAGE, {"lm_view": v}) for v in ("attention", "gmlp", "amlp", "training", "generate")],
    *[(PLAYGROUND, {"pg_task": t, "pg_model": m}) for t, m in (("reverse", "gmlp"), ("recall", "amlp"),
                                                                ("majority", "attention"))],
    (PLAYGROUND, {"pg_task": "swap", "pg_width_swap": 16}),  # not trained yet: the task's preview
]


@pytest.mark.parametrize("page_file, state", VIEWS, ids=[f"{p.split('/')[-1][:-3]}-{s}" for p, s in VIEWS])
def test_every_page_in_vietnamese_says_nothing_in_english(page_file, state):
    at = home(state) if page_file == "app.py" else opened(page_file, {"lang": "vi"}, lm_length=20, **state)
    assert said(at), "nothing read: the test would pass on an empty page"
    assert english_in(at) == []


def test_the_detector_sees_english_words_numbers_and_timestamps():
    for text in ("Stop", "Head 0", "(2 threads)", "6.33 nat", "1,645,066", "2026-11-24T22:35:58Z",
                 "PNG, JPEG, WebP, BMP or GIF", "Average of heads 0, 1"):
        assert ENGLISH.search(text) or ENGLISH_NUMBER.search(text) or TIMESTAMP.search(text), text
    for text in ("6,33 nat", "1.645.066", "head 0", "Trung bình các head 0, 1", "top-1 78,2%", "s16.safetensors",
                 "24/11/2026"):
        assert not (ENGLISH.search(text) or ENGLISH_NUMBER.search(text) or TIMESTAMP.search(text)), text


def test_a_link_whose_settings_are_refused_says_why_in_vietnamese():
    # each view's settings are read when the view opens: one link per view
    for view, link, refused in [("picture", {"layer": "oops", "w_heads": "7", "w_shared": "maybe", "token": "999"}, 4),
                                ("training", {"snapshot": "later"}, 1), ("sideways", {}, 1)]:
        at = opened(W, {"checkpoint": "tiny.safetensors", "lang": "vi", "w_view": view, **link})
        toasts = [rendered(t) for t in at.toast]
        assert len(toasts) == refused and all(any(param in t for param in [*link, "w_view"]) for t in toasts)
        assert not [t for t in toasts if ENGLISH.search(t) or re.search(r"\b(invalid|literal|outside|one)\b", t)]
    attention = opened(ATTENTION, {"lang": "vi", "d_out": "abc", "dropout": "2", "table": "a_1~b",
                                   "embedding": "table"})
    toasts = [rendered(t) for t in attention.toast]
    assert len(toasts) >= 3 and not [t for t in toasts if re.search(r"\b(invalid|literal|outside|one|rows?|"
                                                                    r"needs|token and)\b", t)]
