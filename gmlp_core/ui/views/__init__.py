"""Each page's sections as functions, so a page file reads top to bottom as its layout:

    attention.py   the Attention page's four variants
    spatial_w.py   the Spatial W page: notes and downloads beside the averaged W
    language.py    the Language models page: one model's view, training, writing on
    playground.py  the Playground page: settings, Play / Pause / Step / Reset, a run's live view
"""

from . import attention, language, playground, spatial_w  # noqa: E402, F401
