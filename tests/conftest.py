import sys

import pytest
import torch

from tests.helpers import ROOT

sys.path.insert(0, str(ROOT))


@pytest.fixture(autouse=True)
def _seed():
    torch.manual_seed(0)


@pytest.fixture
def hostile_marker(tmp_path, monkeypatch):
    """The file a Hostile payload would create if it ever ran; tests assert it never exists."""
    marker = tmp_path / "hostile-ran"
    monkeypatch.setenv("GMLP_HOSTILE_MARKER", str(marker))
    return marker
