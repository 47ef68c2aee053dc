"""The preload thread: a process that opened the app once (a test, a server stopped with Ctrl-C) exits cleanly even
while the thread is still loading models (a thread inside torch when the interpreter exits aborts it: rc 134)."""

import subprocess
import sys

from tests.helpers import ROOT

OPEN_THE_APP_AND_LEAVE = """
import sys
sys.path.insert(0, {root!r})
from streamlit.testing.v1 import AppTest
at = AppTest.from_file({app!r}, default_timeout=60).run()
assert not at.exception, at.exception
"""


def test_a_process_that_opened_the_app_exits_cleanly_while_the_preload_runs():
    code = OPEN_THE_APP_AND_LEAVE.format(root=str(ROOT), app=str(ROOT / "app.py"))
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "terminate called" not in done.stderr


FREEZE_AFTER_PRELOAD = """
import gc, sys
sys.path.insert(0, {root!r})
from pathlib import Path
from gmlp_core.ui import preload
preload.CHECKPOINT_DIR = Path({folder!r})  # nothing to load: the test is about what follows the loading
assert gc.get_freeze_count() == 0
preload._preload()
print(gc.get_freeze_count())
"""


def test_the_preload_leaves_what_it_loaded_out_of_later_full_collections(tmp_path):
    """A full collection holds the interpreter lock while it walks every tracked object (about 230 ms over the
    loaded app): once the preload is done, what is alive then is frozen, and the janitor's collections skip it."""
    code = FREEZE_AFTER_PRELOAD.format(root=str(ROOT), folder=str(tmp_path))
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert int(done.stdout.split()[-1]) > 100_000  # the libraries' objects at least
