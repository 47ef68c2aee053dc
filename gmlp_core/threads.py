"""One torch intra-op thread in the calling thread, for the app's server.

Every session's script already runs in a thread of its own, so a second intra-op thread per torch call only makes
calls wait for each other (a language-model forward took 430 ms with 2 threads against 10 ms with 1 on a 2-core
laptop with its other core busy). torch.set_num_threads(1) in one thread does not reach the others: OpenMP keeps a
thread count per thread, and in a thread Streamlit started for a script, GELU (oneDNN) still ran on two cores. So
every thread that runs the app's torch calls asks for one thread itself: the frame at the start of every page run,
each fragment's rerun, the preload and the playground's trainer.
"""

import threading

import torch

_this_thread = threading.local()


def one_torch_thread() -> None:
    """torch.set_num_threads(1) for the calling thread, once per thread."""
    if not getattr(_this_thread, "one", False):
        torch.set_num_threads(1)
        _this_thread.one = True
