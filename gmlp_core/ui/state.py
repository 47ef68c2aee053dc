"""View state: a widget declared with kept() keeps its value across pages and, given url=, travels in the link.

Streamlit forgets a widget's value when a page without that widget runs, and knows nothing of the
URL. kept() creates the widget and declares, in the same statement, that its value outlives its
page (app.py re-asserts every declared key on each run) and which URL parameter carries it with
which parser. A link's parameters are read once, when the session starts, and each is applied when
its widget is first created; a value its parser refuses is ignored with a notice. No list of keys is
kept by hand: DECLARED fills itself as pages create their widgets.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Callable

import streamlit as st

from ..threads import one_torch_thread

from .locale import number_text, tr
from .markdown import literal

URL_AT_START = "_url_at_start"  # the link's parameters, read once per session
URL_APPLIED = "_url_applied"  # the keys a link's value was already applied (or refused) for
THIS_RUN = "_declared_this_run"  # the keys this run (the frame and its page) declared: what the view depends on
WHOLE_RUN = "_whole_run"  # True while app.py (the frame and its page) runs, not during a fragment's own rerun
LINK_OPEN = "share_link_open"  # the sidebar's link box is open (share.py draws it)
KEPT_VALUES = "_kept_values"  # every kept widget's latest value, under a key of its own (see remember_view)


@dataclass(frozen=True)
class Kept:
    key: str
    param: str | None  # the URL parameter, or None: kept across pages only
    to_text: Callable  # value -> the URL's text
    parse: Callable  # the URL's text -> value; raises ValueError when the text is unusable


DECLARED: dict[str, Kept] = {}  # session key -> declaration, for every kept widget this process has created
PARAM_OWNERS: dict[str, str] = {}  # URL parameter -> the session key it carries


# ---- parsers for url=
def choice(options, to_text: Callable = str) -> Callable:
    """The option whose to_text is the text."""
    def parse(text: str):
        for option in options:
            if to_text(option) == text:
                return option
        shown = ", ".join(to_text(o) for o in list(options)[:12]) + (", …" if len(options) > 12 else "")
        raise ValueError(tr("link_not_one_of", value=repr(text), options=shown))
    return parse


def choices(options, to_text: Callable = str) -> Callable:
    """A comma-separated list of options (a multiselect's value)."""
    one = choice(options, to_text)
    return lambda text: [one(part) for part in text.split(",") if part] if text else []


def _number_within(kind: type, low, high) -> Callable:
    """The link's text as an int or float within low..high; refused in the learner's language."""
    def parse(text: str):
        try:
            value = kind(text)
        except ValueError:
            raise ValueError(tr("link_not_a_number", value=repr(text))) from None
        if not low <= value <= high:  # NaN fails this too
            raise ValueError(tr("link_outside", value=repr(text), low=number_text(low), high=number_text(high)))
        return value
    return parse


def integer(low: int, high: int) -> Callable:
    return _number_within(int, low, high)


def decimal(low: float, high: float) -> Callable:
    return _number_within(float, low, high)


def flag(text: str) -> bool:
    return choice(("0", "1"))(text) == "1"


def text_value(text: str) -> str:
    return text


def _default_codec(default, options) -> tuple[Callable, Callable]:
    if isinstance(default, bool):
        return (lambda v: str(int(v))), flag
    if isinstance(default, list):
        return (lambda v: ",".join(map(str, v))), choices(options)
    if options is not None:
        return str, choice(options)
    if isinstance(default, int):
        return str, _number_within(int, float("-inf"), float("inf"))
    if isinstance(default, float):
        return str, decimal(float("-inf"), float("inf"))
    return str, text_value


# ---- the helper every kept widget goes through
def persistent(key: str, default, options=None) -> None:
    """The first value of a kept widget goes into st.session_state, and the widget is then created without a
    default of its own (Streamlit warns when a widget gets both). A kept value that is not among `options`
    (another checkpoint's layer, say) is replaced by the default."""
    value = st.session_state.get(key)
    values = value if isinstance(value, list) else [value]
    if key not in st.session_state or options is not None and not all(v in options for v in values):
        st.session_state[key] = default


def kept(widget: Callable, label: str, *args, key: str, default, options=None, url: str | None = None,
         parse: Callable | None = None, to_text: Callable | None = None, **kwargs):
    """Create `widget` (st.slider, st.selectbox, ...) under `key`, starting at `default`; its value outlives the
    page and, with url=, is mirrored in the link and read back from it (parse: text -> value; to_text: value ->
    text, both inferred from the default and the options when not given). Returns the widget's value."""
    options = list(options) if options is not None else None
    codec = _default_codec(default, options)
    _register(Kept(key, url, to_text or codec[0], parse or codec[1]))
    persistent(key, default, options)
    if options is not None:
        kwargs["options"] = options
    return widget(label, *args, key=key, **kwargs)


def declare(key: str, url: str | None = None, parse: Callable = text_value, to_text: Callable = str) -> None:
    """A kept value without a widget of its own (set by a click, a picker): declared, read from the link."""
    _register(Kept(key, url, to_text, parse))


def _register(declared: Kept) -> None:
    """Declared for this process and this run, and the link's value applied. Two settings never share a URL
    parameter: the address bar holds every page's, and a reload would give one's value to the other (the
    language page's snapshot once reached Spatial W's, and was refused there)."""
    owner = PARAM_OWNERS.setdefault(declared.param, declared.key) if declared.param else declared.key
    if owner != declared.key:
        raise ValueError(f"URL parameter {declared.param!r} already carries {owner!r}; {declared.key!r} needs "
                         "a parameter of its own")
    DECLARED[declared.key] = declared
    st.session_state.setdefault(THIS_RUN, set()).add(declared.key)
    _apply_link(declared)


def _apply_link(declared: Kept) -> None:
    """The link's value for this key, once per session, into st.session_state (or a notice when refused)."""
    link = st.session_state.get(URL_AT_START) or {}
    applied = st.session_state.setdefault(URL_APPLIED, set())
    if declared.param is None or declared.key in applied or declared.param not in link:
        return
    applied.add(declared.key)
    try:
        st.session_state[declared.key] = declared.parse(link[declared.param])
    except (ValueError, TypeError) as err:
        st.toast(tr("url_ignored", details=literal(f"{declared.param}: {err}"[:200])), icon=":material/info:")


def view_fragment(section: Callable) -> Callable:
    """st.fragment for a section whose widgets change only that section: a change reruns the section alone, and
    the link follows it (app.py, which mirrors the view into the URL, does not run on a fragment's rerun)."""
    @st.fragment
    @functools.wraps(section)
    def run(*args, **kwargs):
        one_torch_thread()  # a fragment's rerun may run in a thread of its own
        # the open link box, drawn by the whole page, would show the view from before this section's own rerun
        link_shown = st.session_state.get(LINK_OPEN) and not st.session_state.get(WHOLE_RUN)
        before = st.query_params.to_dict() if link_shown else None
        section(*args, **kwargs)
        remember_view()
        mirror_to_url()
        if link_shown and st.query_params.to_dict() != before:
            st.rerun()
    return run


def declared_now() -> dict[str, Kept]:
    """A copy of DECLARED: other sessions' scripts add to it while this one reads it (a class's first visits to
    a fresh server's pages at once raised 'dictionary changed size during iteration')."""
    return DECLARED.copy()


# ---- the frame's part (app.py)
def read_link() -> None:
    """On a session's first run, keep the link's parameters for the widgets that will ask for them; on every run,
    start the list of what this run declares."""
    st.session_state[WHOLE_RUN] = True
    st.session_state[THIS_RUN] = set()
    if URL_AT_START not in st.session_state:
        st.session_state[URL_AT_START] = {param: st.query_params[param] for param in st.query_params}


def keep_widget_state() -> None:
    """Re-assert every kept widget value, so Streamlit keeps it while another page runs; one Streamlit dropped
    comes back from remember_view's copy."""
    kept_values = st.session_state.get(KEPT_VALUES, {})
    for key in declared_now():
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]
        elif key in kept_values:
            st.session_state[key] = kept_values[key]


def remember_view() -> None:
    """A copy of every kept widget's value under a plain session key, at the end of each run and fragment run.
    Streamlit (1.67) drops every widget's value, and a value assigned under a widget's key, at the first page
    change after a fragment's rerun: the Spatial W page came back on its first view once its query patch had
    moved. A plain key outlives that."""
    st.session_state[KEPT_VALUES] = {key: st.session_state[key] for key in declared_now() if key in st.session_state}


def finish_run() -> None:
    """The end of app.py's run: the view kept and in the URL."""
    remember_view()
    mirror_to_url()
    st.session_state[WHOLE_RUN] = False


def mirror_to_url() -> None:
    """The current view into st.query_params (only what differs from what is there)."""
    for declared in declared_now().values():
        value = st.session_state.get(declared.key)
        if declared.param and value is not None:
            text = declared.to_text(value)
            if st.query_params.get(declared.param) != text:
                st.query_params[declared.param] = text


def url_params() -> list[str]:
    """The URL parameters of the kept values this run declared: the view on screen depends on those only (the
    address bar keeps every page's, for a reload; a shared link carries this page's, and its QR code stays
    readable)."""
    this_run = st.session_state.get(THIS_RUN, set())
    return [d.param for key, d in declared_now().items() if d.param and key in this_run]
