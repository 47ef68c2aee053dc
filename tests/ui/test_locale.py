from streamlit.testing.v1 import AppTest


def _script():
    import streamlit as st
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    from gmlp_core.ui.locale import lang, remember_language

    st.session_state["lang"] = "en"
    remember_language("en")  # the frame's selector, in this run
    st.session_state["lang"] = "vi"
    seen = [f"this run: {lang()}"]  # what the selector gave this run, without reading st.session_state again
    get_script_run_ctx().cursors = {}  # what ScriptRunContext.reset() does when a session's thread runs it again
    seen.append(f"the next run: {lang()}")  # before its selector: the session's language, not the earlier run's
    for line in seen:
        st.write(line)


def test_the_language_a_run_remembers_serves_that_run_only():
    at = AppTest.from_function(_script).run()
    assert not at.exception
    assert [m.value for m in at.markdown] == ["this run: en", "the next run: vi"]
