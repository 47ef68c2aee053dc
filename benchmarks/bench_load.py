"""A class on one laptop: N websocket sessions against one real `streamlit run app.py`.

    python benchmarks/bench_load.py [--sessions 10 30] [--seconds 60] [--post-script-gc true false]

The server is warmed by one visit first. Each simulated student opens the Attention page, then every ~3 s (uniform 2-4 s) types a new
sentence: a rerun with that text input's new value, sent over Streamlit's own websocket protocol
as a browser sends it. Prints, per setting: reruns answered, errors, reruns per second, and the
time from sending a change to the server's "script finished" (p50, p95, max), and the server's
resident memory before and after.
"""

import argparse
import asyncio
import random
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import connect

ROOT = Path(__file__).resolve().parents[1]
WORDS = "the quick brown fox jumps over a lazy dog while students watch attention move".split()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int, post_script_gc: str) -> subprocess.Popen:
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--runner.postScriptGC", post_script_gc],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(120):
        try:
            if urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2).read() == b"ok":
                return server
        except OSError:
            time.sleep(0.5)
    server.kill()
    raise SystemExit("streamlit did not start")


def resident_mb(pid: int) -> float:
    """The server process's resident memory (Linux /proc), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def rerun(query: str, widget_id: str | None = None, text: str = "") -> bytes:
    message = BackMsg()
    message.rerun_script.query_string = query
    message.rerun_script.page_name = "attention"
    if widget_id:
        state = message.rerun_script.widget_states.widgets.add()
        state.id, state.string_value = widget_id, text
    return message.SerializeToString()


async def until_finished(connection) -> str | None:
    """Read forward messages to the end of a script run -> the sentence input's widget id, if seen."""
    widget_id = None
    while True:
        raw = await connection.recv()
        message = ForwardMsg()
        message.ParseFromString(raw)
        kind = message.WhichOneof("type")
        if kind == "delta" and message.delta.WhichOneof("type") == "new_element":
            element = message.delta.new_element
            if element.WhichOneof("type") == "text_input" and element.text_input.id.endswith("sentence"):
                widget_id = element.text_input.id
        if kind == "script_finished":
            return widget_id


async def student(port: int, seconds: float, latencies: list, errors: list, seed: int) -> None:
    rng = random.Random(seed)
    try:
        async with connect(f"ws://127.0.0.1:{port}/_stcore/stream", subprotocols=["streamlit"],
                           max_size=None) as connection:
            await connection.send(rerun(""))
            widget_id = await until_finished(connection)
            if widget_id is None:
                raise LookupError("the Attention page's sentence input was not in the first run")
            end = time.perf_counter() + seconds
            while time.perf_counter() < end:
                await asyncio.sleep(rng.uniform(2.0, 4.0))
                sentence = " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 12)))
                start = time.perf_counter()
                await connection.send(rerun("", widget_id, sentence))
                widget_id = await until_finished(connection) or widget_id
                latencies.append(time.perf_counter() - start)
    except Exception as err:  # a benchmark counts failures instead of stopping at the first
        errors.append(f"{type(err).__name__}: {err}")


async def load(port: int, sessions: int, seconds: float) -> tuple[list, list]:
    latencies, errors = [], []
    await asyncio.gather(*(student(port, seconds, latencies, errors, seed) for seed in range(sessions)))
    return latencies, errors


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", type=int, nargs="+", default=[10, 30])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--post-script-gc", nargs="+", default=["true", "false"])
    args = parser.parse_args()
    for gc in args.post_script_gc:
        for sessions in args.sessions:
            port = free_port()
            server = start_server(port, gc)
            try:
                asyncio.run(load(port, 1, 0))  # one visit first: models loaded and cached
                memory_before = resident_mb(server.pid)
                latencies, errors = asyncio.run(load(port, sessions, args.seconds))
                memory_after = resident_mb(server.pid)
            finally:
                server.terminate()
                server.wait(timeout=30)
            ordered = sorted(latencies) or [float("nan")]
            p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
            print(f"postScriptGC={gc:<5} sessions={sessions:>3}: {len(latencies)} reruns, {len(errors)} errors, "
                  f"{len(latencies) / args.seconds:.1f} reruns/s; latency p50 {statistics.median(ordered):.2f} s, "
                  f"p95 {p95:.2f} s, max {ordered[-1]:.2f} s; server memory {memory_before:.0f} -> {memory_after:.0f} MB"
                  + (f"; first error: {errors[0]}" if errors else ""))


if __name__ == "__main__":
    main()
