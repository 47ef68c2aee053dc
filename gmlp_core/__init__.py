"""gMLP Explorer's library: models, the files they live in, lessons, analysis, data and training.

    errors.py   ExplainedError: a message plus a code the UI says in either language
    models/     every network, and the registry of families
    formats/    checkpoints, foreign layouts, images, the character vocabulary
    lessons/    the attention lesson's maths and inputs
    analysis/   what the app computes from a trained model (accuracy, predictions, W on a grid, text)
    data/       image sets and text corpora
    training/   one training loop in pieces, and a trainer per task
    playground/ tiny attention, gMLP and aMLP models trained live on sequence tasks, one run at a time
    ui/         the only package that imports Streamlit
    train, train_lm, evaluate, convert, language: the commands (python -m gmlp_core.<command>)
"""

from . import _moved

_moved.install(__name__, {
    "attention": "lessons.attention", "text": "lessons.text", "inference": "analysis.inference",
    "spatial": "analysis.spatial", "checkpoints": "formats.checkpoints", "layouts": "formats.layouts",
    "images": "formats.images", "chars": "formats.chars",
})

# Every subpackage is imported whole here, once: a class opening a freshly started server runs many scripts at
# once in their own threads. Each script imports `gmlp_core.ui` before anything else of ours (app.py and every
# page say so), so a thread waiting for this package holds no lock of a submodule the importing thread needs;
# a script that first imported a submodule (`from gmlp_core.models import ...`) took that submodule's lock before
# the package's, Python saw the two threads' waits as a deadlock and handed one of them a half-made module
# ("cannot import name 'count_parameters' from 'gmlp_core.models'").
from . import analysis, data, formats, lessons, models, playground, training  # noqa: E402, F401
