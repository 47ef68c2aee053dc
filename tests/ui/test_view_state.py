"""The view a learner set outlives a page change, even when Streamlit drops its widgets' values."""

import pytest

from gmlp_core.ui import state


def test_a_kept_value_streamlit_dropped_comes_back_from_the_last_run(monkeypatch):
    """Streamlit 1.67 drops every widget's value at the first page change after a fragment's rerun (the Spatial W
    page came back on its first view once its query patch had moved); the value of the last run comes back."""
    session = {}
    monkeypatch.setattr(state.st, "session_state", session)
    monkeypatch.setattr(state, "DECLARED", {})
    for key in ("w_view", "query", "layer"):
        state.declare(key)
    session.update(w_view="picture", query=14, layer=1)
    state.remember_view()  # the end of the fragment's rerun
    session["query"] = 3  # a later run moves it, and remembers that
    state.remember_view()
    for key in ("w_view", "query", "layer"):
        del session[key]  # what Streamlit drops at the page change
    state.keep_widget_state()  # the next page's run
    assert (session["w_view"], session["query"], session["layer"]) == ("picture", 3, 1)


def test_a_value_streamlit_kept_is_not_replaced_by_an_older_copy(monkeypatch):
    session = {}
    monkeypatch.setattr(state.st, "session_state", session)
    monkeypatch.setattr(state, "DECLARED", {})
    state.declare("w_view")
    session["w_view"] = "heads"
    state.remember_view()
    session["w_view"] = "kernel"  # changed by the widget since
    state.keep_widget_state()
    assert session["w_view"] == "kernel"


def test_two_settings_never_share_a_url_parameter(monkeypatch):
    """The address bar holds every page's settings: the language page's `snapshot` and `seed` once shared their
    parameters with Spatial W's snapshot and Attention's seed, and a reload gave one's value to the other (a
    notice said it was refused, and the other page lost its view)."""
    monkeypatch.setattr(state.st, "session_state", {})
    monkeypatch.setattr(state, "DECLARED", {})
    monkeypatch.setattr(state, "PARAM_OWNERS", {})
    state.declare("snapshot", url="snapshot")
    state.declare("snapshot", url="snapshot")  # the same setting again (every rerun): fine
    with pytest.raises(ValueError, match="'snapshot' already carries 'snapshot'; 'lm_snapshot' needs"):
        state.declare("lm_snapshot", url="snapshot")
