"""One training loop in pieces that every trainer reuses:

    setup.py     device, torchrun/DDP, seed, precision          -> Run
    loop.py      parameter groups, warm-up + cosine, one update, progress line
    state.py     resume state (--resume / --stop-after-epoch)
    metadata.py  what every checkpoint records about its run
    vision.py    epochs over an ImageSet, evaluation             (python -m gmlp_core.train)
    lm.py        steps over a character corpus, val loss          (python -m gmlp_core.train_lm)
"""
