"""The app's chart element (gmlp_core/ui/charts.py): its plotly.js route and what a chart sends its browser."""

import asyncio
import gzip
import json

import numpy as np
from starlette.requests import Request

from gmlp_core.ui import charts
from gmlp_core.ui.plots import heatmap
from gmlp_core.ui.sections import _chart_config, _chart_words


def fetched(accept_encoding: str | None):
    headers = [(b"accept-encoding", accept_encoding.encode())] if accept_encoding is not None else []
    request = Request({"type": "http", "method": "GET", "path": charts.BUNDLE_PATH, "headers": headers,
                       "query_string": b""})
    return asyncio.run(charts.bundle_route().endpoint(request))


def test_the_route_serves_plotly_js_compressed_when_the_browser_accepts_it_and_cached_for_good():
    whole = charts.BUNDLE.read_bytes()
    assert whole.startswith(b"/**\n* plotly.js (cartesian - minified) v3.7.0")  # the version its name says
    packed = fetched("gzip, deflate, br")
    assert packed.headers["content-encoding"] == "gzip" and gzip.decompress(packed.body) == whole
    assert len(packed.body) < len(whole) / 2
    plain = fetched(None)
    assert "content-encoding" not in plain.headers and plain.body == whole
    for response in (packed, plain):
        assert response.media_type == "text/javascript" and "immutable" in response.headers["cache-control"]
        assert response.headers["vary"] == "Accept-Encoding"


def test_a_chart_sends_its_figure_with_the_settings_and_words_of_the_interface_language_made_once():
    figure = heatmap(np.eye(3), list("abc"), list("abc"), title="W <b>")
    sent = {lang: charts.payload(figure, _chart_config(lang), _chart_words(lang)) for lang in ("en", "vi")}
    assert charts.payload(figure, _chart_config("vi"), _chart_words("vi")) is sent["vi"]  # made once per language
    english, vietnamese = (json.loads(sent[lang]) for lang in ("en", "vi"))
    assert english["data"] == vietnamese["data"] and english["layout"] == vietnamese["layout"]
    assert english["layout"]["title"]["text"] == "W &lt;b&gt;"  # a typed label stays text in the browser too
    assert (english["fullscreen"], vietnamese["fullscreen"]) == ("Full screen", "Toàn màn hình")
    assert vietnamese["config"]["locale"] == "vi" and vietnamese["config"]["locales"]["vi"]["format"]["decimal"] == ","
    assert english["layout"]["template"]["layout"]["paper_bgcolor"] == "#ffffff"  # the whole look travels with it
