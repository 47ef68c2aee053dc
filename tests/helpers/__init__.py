"""What several test modules share (fixtures over these live in tests/conftest.py)."""

import json
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATASETS = ROOT.parent / "shared" / "datasets"


def chart_elements(at) -> list:
    """The charts an AppTest run drew (the app's chart component, gmlp_core/ui/charts.py)."""
    return [element for element in at.get("bidi_component") if element.proto.component_name.endswith("gmlp_chart")]


def chart_key(element) -> str:
    return element.proto.id.rsplit("-", 1)[-1]


def chart_spec(element) -> dict:
    """What a chart sent its browser: {"data", "layout", "config", and its words}."""
    return json.loads(element.proto.bytes)


class Hostile:
    """Unpickling this runs a shell command that touches $GMLP_HOSTILE_MARKER: a checkpoint that must never load."""

    def __reduce__(self):
        return (os.system, ("touch " + os.environ["GMLP_HOSTILE_MARKER"],))
