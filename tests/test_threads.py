import os
import threading

import torch

from gmlp_core.threads import one_torch_thread


def _os_threads() -> set[int]:
    return {int(tid) for tid in os.listdir("/proc/self/task")}


def _new_threads_while(work) -> int:
    """Native threads (not Python ones) that appear in the process while a fresh Python thread runs `work`
    (OpenMP starts its team there); threads that end meanwhile (another test's) do not count."""
    counts = []

    def run():
        before = _os_threads()
        work()
        python = {thread.native_id for thread in threading.enumerate()}
        counts.append(len(_os_threads() - before - python))

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return counts[0]


def test_a_fresh_thread_that_asks_for_one_torch_thread_runs_its_matrix_products_on_it_alone():
    """A thread Streamlit starts for a script does not inherit torch.set_num_threads(1) from the server's first
    thread: a matrix product (MKL) there started an OpenMP team of one more thread per core (GELU through oneDNN
    did too). one_torch_thread() in the thread keeps it to the thread itself."""
    torch.set_num_threads(1)  # as the server's first thread does
    a = torch.randn(512, 512)
    if os.cpu_count() > 1:  # on a one-core machine there is no second thread to start either way
        assert _new_threads_while(lambda: a @ a) > 0  # the unfixed thread (a check that this test can fail)
    assert _new_threads_while(lambda: (one_torch_thread(), a @ a)) == 0


def test_the_app_runs_torch_own_kernels_not_onednn():
    """oneDNN's per-call set-up costs more than GELU on one character's values; the app's threads switch it off."""
    before = torch.backends.mkldnn.enabled
    try:
        torch.backends.mkldnn.enabled = True
        thread = threading.Thread(target=one_torch_thread)  # any of the app's threads, the first time it runs torch
        thread.start()
        thread.join()
        assert torch.backends.mkldnn.enabled is False
    finally:
        torch.backends.mkldnn.enabled = before
