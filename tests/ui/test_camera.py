"""A browser gives the camera only to a secure page (HTTPS, or this machine at localhost): over plain HTTP from the
class's network the Patches page says so in the camera's place, in the learner's language."""

import pytest
from streamlit.testing.v1 import AppTest

from gmlp_core.ui.share import camera_allowed
from tests.helpers import ROOT
from tests.test_pages import TIMEOUT, ok, rendered


@pytest.mark.parametrize("url, allowed", [
    ("https://192.168.1.20:8501/patches", True),
    ("http://localhost:8501/patches", True),
    ("http://127.0.0.1:8501/", True),
    ("http://[::1]:8501/", True),
    ("http://gmlp.localhost:8501/", True),
    ("http://192.168.1.20:8501/patches", False),
    ("http://school-laptop.lan:8501/", False),
    (None, True),  # a client that does not say where it is: nothing to warn about
])
def test_the_camera_is_allowed_only_on_a_secure_page(url, allowed):
    assert camera_allowed(url) is allowed


def patches_from(url: str, lang: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.context["url"] = url
    at.query_params.update(lang=lang, checkpoint="tiny.safetensors")
    at.session_state["image_source"] = "camera"  # the radio's own set_value formats its options in English
    ok(at.run())
    at.switch_page("pages/2_patches.py").run()
    return ok(at)


@pytest.mark.parametrize("lang, words", [("en", "HTTPS"), ("vi", "máy ảnh")])
def test_over_plain_http_from_the_network_the_page_says_the_camera_cannot_work(lang, words):
    at = patches_from("http://192.168.1.20:8501/patches", lang)
    warnings = [rendered(w) for w in at.warning]
    assert len(warnings) == 1 and words in warnings[0] and "192.168.1.20" in warnings[0]
    assert not patches_from("https://192.168.1.20:8501/patches", lang).warning
    assert not patches_from("http://localhost:8501/patches", lang).warning
