"""Torch settings for the app's server: one intra-op thread in every thread that runs torch, and torch's own CPU
kernels rather than oneDNN's.

Every session's script already runs in a thread of its own, so a second intra-op thread per torch call only makes
calls wait for each other (a language-model forward took 430 ms with 2 threads against 10 ms with 1 on a 2-core
laptop with its other core busy). torch.set_num_threads(1) in one thread does not reach the others: OpenMP keeps a
thread count per thread, and in a thread Streamlit started for a script, matrix products (MKL) and GELU (oneDNN)
still ran on two cores. So every thread that runs the app's torch calls asks for one thread itself: the frame at
the start of every page run, each fragment's rerun, the preload and the playground's trainer.

oneDNN (torch.backends.mkldnn) is switched off for the whole process, once: on the app's tensors (one character,
one picture, a 128-character text) its per-call set-up costs more than the work. GELU on one character's 768
values took 7-18 microseconds through oneDNN against 1.6 with torch's own kernel; 200 generated characters went
123-165 -> 112-131 ms, and a language model's reading and an image's forward got no slower (benchmarks/bench_lm.py).
"""

import threading

import torch

_this_thread = threading.local()


def one_torch_thread() -> None:
    """torch.set_num_threads(1) for the calling thread, once per thread; oneDNN off for the process."""
    if not getattr(_this_thread, "one", False):
        torch.set_num_threads(1)
        torch.backends.mkldnn.enabled = False
        _this_thread.one = True
