"""The Playground page in AppTest: a recorded run replays, Play animates it, a live run trains in the background,
the settings travel in the link, and the page speaks Vietnamese."""

import time

from streamlit.testing.v1 import AppTest

from gmlp_core.ui.views.playground import trainer
from gmlp_core.playground import ToySettings
from tests.helpers import ROOT
from tests.test_pages import charts, ok

PAGE = str(ROOT / "pages" / "5_playground.py")


def open_page(**state) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60)
    for key, value in state.items():
        at.session_state[key] = value
    return ok(at.run())


def metrics(at: AppTest) -> list[str]:
    return [m.value for m in at.metric]


def test_the_page_opens_on_the_recorded_default_run_and_its_slider_replays_it():
    at = open_page()
    assert any("recorded run" in c.value for c in at.caption)
    assert {"pg_curves", "pg_example", "pg_w", "pg_target"} <= set(charts(at))
    assert metrics(at)[0] == "0 / 800"
    at_start = charts(at)["pg_w"]["data"][0]["z"]
    at.select_slider(key="pg_replay").set_value(40).run()
    ok(at)
    assert metrics(at)[0] == "800 / 800" and metrics(at)[2] == "100.0%"
    assert charts(at)["pg_w"]["data"][0]["z"] != at_start
    target = charts(at)["pg_target"]["data"][0]["z"]
    assert [row.index(1.0) for row in target] == [15 - i for i in range(16)]  # reverse: row i copies 15 - i
    assert any("16 of 16 rows" in c.value for c in at.caption)


def test_play_moves_through_the_recorded_run_then_stops_at_its_end():
    at = open_page(pg_task="shift", pg_model="attention")
    at.button(key="pg_button_play").click().run()
    seen = [metrics(ok(at))[0]]
    for _ in range(30):
        at.run()
        seen.append(metrics(ok(at))[0])
        if "pg_replay" in [s.key for s in at.select_slider]:  # the end: the replay slider is back
            break
    steps = [int(s.split(" / ")[0].replace(",", "")) for s in seen]
    assert steps == sorted(steps) and steps[0] > 0 and steps[-1] == 800
    assert "pg_maps_average" in charts(at) and "pg_w" not in charts(at)  # attention: maps, no W


def test_a_live_run_trains_in_the_background_and_the_page_follows_it():
    at = open_page(pg_task="swap", pg_width_swap=16, pg_steps_swap=100, pg_seed=7)
    assert any("press Play" in i.value for i in at.info)
    at.button(key="pg_button_play").click().run()
    live = trainer().peek(ToySettings(task="swap", width=16, steps=100, seed=7))
    assert live is not None
    end = time.monotonic() + 120
    while not live.finished and time.monotonic() < end:
        time.sleep(0.2)
    assert live.state == "done"
    for _ in range(25):  # the view catches up a few frames per rerun, then stops following
        at.run()
        if "pg_replay" in [s.key for s in at.select_slider]:
            break
    assert any(c.value.startswith("Trained: 100 steps") for c in ok(at).caption)
    assert metrics(at)[0] == "100 / 100"


def test_the_settings_travel_in_the_link():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params.update(pg_task="recall", pg_model="amlp", pg_pairs_recall="3", pg_width_recall="64",
                           pg_heads="2", pg_lr="0.01", pg_seed="5")
    ok(at.run())
    at.switch_page("pages/5_playground.py").run()
    ok(at)
    assert at.selectbox(key="pg_task").value == "recall" and at.radio(key="pg_model").value == "amlp"
    assert at.slider(key="pg_pairs_recall").value == 3 and at.select_slider(key="pg_width_recall").value == 64
    assert at.radio(key="pg_heads").value == 2 and at.select_slider(key="pg_lr").value == 0.01
    assert at.query_params["pg_pairs_recall"] == "3" and at.query_params["pg_task"] == "recall"


def test_the_page_speaks_vietnamese():
    at = open_page(lang="vi")
    assert at.title[0].value == "Sân tập: tự huấn luyện"
    assert at.button(key="pg_button_play").label == "Chạy"
    assert any("ghi sẵn" in c.value for c in at.caption)
