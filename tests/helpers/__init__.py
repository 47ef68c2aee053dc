"""What several test modules share (fixtures over these live in tests/conftest.py)."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATASETS = ROOT.parent / "shared" / "datasets"


class Hostile:
    """Unpickling this runs a shell command that touches $GMLP_HOSTILE_MARKER: a checkpoint that must never load."""

    def __reduce__(self):
        return (os.system, ("touch " + os.environ["GMLP_HOSTILE_MARKER"],))
