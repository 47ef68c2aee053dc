"""A class on one laptop: N websocket sessions against real `streamlit run app.py` servers.

    python benchmarks/bench_load.py [--sessions 10 30] [--seconds 60] [--post-script-gc true false]
    python benchmarks/bench_load.py --processes 2 --post-script-gc false      # needs nginx on PATH

With --processes P > 1, P servers run behind nginx with sticky sessions, configured as README.md
describes (NGINX_CONFIG below): each simulated student first fetches the page through the proxy,
keeps the cookie that pins it to one server, and opens its websocket with that cookie. The line
also says how many students each server got.

The server is warmed by one visit first. Each simulated student opens the Attention page, then every ~3 s (uniform 2-4 s) types a new
sentence: a rerun with that text input's new value, sent over Streamlit's own websocket protocol
as a browser sends it. Prints, per setting: reruns answered, errors, reruns per second, and the
time from sending a change to the server's "script finished" (p50, p95, max), and the server's
resident memory before and after.
"""

import argparse
import asyncio
import collections
import contextlib
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import connect

ROOT = Path(__file__).resolve().parents[1]
# The reverse proxy of README.md ("A class beyond one laptop"), with the ports and paths filled in.
NGINX_CONFIG = """
worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    log_format backend '$upstream_addr $cookie_gmlp_backend';
    access_log {dir}/access.log backend;
    # one cookie per browser pins it to one Streamlit process: a session's websocket, uploads and
    # media must all reach the process that holds the session
    map $cookie_gmlp_backend $sticky {{ "" $request_id; default $cookie_gmlp_backend; }}
    map $http_upgrade $connection_upgrade {{ default upgrade; "" close; }}
    upstream streamlit {{
        hash $sticky consistent;
{servers}
    }}
    server {{
        listen 127.0.0.1:{port};
        client_max_body_size 200m;
        location / {{
            add_header Set-Cookie "gmlp_backend=$sticky; Path=/; HttpOnly; SameSite=Lax" always;
            proxy_pass http://streamlit;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_set_header Host $host;
            proxy_read_timeout 1d;
            proxy_buffering off;
        }}
    }}
}}
"""
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


def sticky_cookie(port: int) -> str | None:
    """The page fetched as a browser would -> the proxy's stickiness cookie ("name=value"), if it set one."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=30) as response:
        cookie = response.headers.get("Set-Cookie")
    return cookie.split(";", 1)[0] if cookie else None


async def student(port: int, seconds: float, latencies: list, errors: list, seed: int) -> None:
    rng = random.Random(seed)
    try:
        cookie = await asyncio.to_thread(sticky_cookie, port)
        async with connect(f"ws://127.0.0.1:{port}/_stcore/stream", subprotocols=["streamlit"], max_size=None,
                           additional_headers={"Cookie": cookie} if cookie else None) as connection:
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


@contextlib.contextmanager
def nginx(backends: list[int]):
    """nginx in front of the given Streamlit ports, sticky per browser -> (its port, the access log)."""
    if shutil.which("nginx") is None:
        raise SystemExit("--processes needs nginx on PATH (Debian: apt-get install nginx-light)")
    with tempfile.TemporaryDirectory() as folder:
        port = free_port()
        servers = "\n".join(f"        server 127.0.0.1:{b};" for b in backends)
        config = Path(folder) / "nginx.conf"
        config.write_text(NGINX_CONFIG.format(dir=folder, port=port, servers=servers))
        proxy = subprocess.Popen(["nginx", "-p", folder, "-c", str(config), "-g", "daemon off;"],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        time.sleep(1.0)
        if proxy.poll() is not None:
            raise SystemExit("nginx did not start: " + proxy.stderr.read().decode()[-2000:])
        try:
            yield port, Path(folder) / "access.log"
        finally:
            proxy.terminate()
            proxy.wait(timeout=30)


def students_per_server(access_log: Path) -> str:
    """From the proxy's log: how many distinct students (cookies) each server answered."""
    seen = collections.defaultdict(set)
    for line in access_log.read_text().splitlines():
        backend, _, cookie = line.partition(" ")
        if cookie and cookie != "-":
            seen[backend].add(cookie)
    return ", ".join(f"{backend}: {len(cookies)}" for backend, cookies in sorted(seen.items()))


def run_setting(args, gc: str, sessions: int) -> tuple[list, list, float, float, str]:
    """One measurement -> (latencies, errors, memory before, memory after (MB, all servers), spread)."""
    ports = [free_port() for _ in range(args.processes)]
    servers = [start_server(port, gc) for port in ports]
    try:
        for port in ports:
            asyncio.run(load(port, 1, 0))  # one visit first: models loaded and cached
        memory_before = sum(resident_mb(s.pid) for s in servers)
        if args.processes == 1:
            latencies, errors = asyncio.run(load(ports[0], sessions, args.seconds))
            spread = ""
        else:
            with nginx(ports) as (proxy_port, access_log):
                latencies, errors = asyncio.run(load(proxy_port, sessions, args.seconds))
                spread = f"; students per server {students_per_server(access_log)}"
        memory_after = sum(resident_mb(s.pid) for s in servers)
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=30)
    return latencies, errors, memory_before, memory_after, spread


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", type=int, nargs="+", default=[10, 30])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--post-script-gc", nargs="+", default=["true", "false"])
    parser.add_argument("--processes", type=int, default=1, help="Streamlit processes behind nginx (1 = no proxy)")
    args = parser.parse_args()
    for gc in args.post_script_gc:
        for sessions in args.sessions:
            latencies, errors, memory_before, memory_after, spread = run_setting(args, gc, sessions)
            ordered = sorted(latencies) or [float("nan")]
            p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
            print(f"processes={args.processes} postScriptGC={gc:<5} sessions={sessions:>3}: {len(latencies)} reruns, {len(errors)} errors, "
                  f"{len(latencies) / args.seconds:.1f} reruns/s; latency p50 {statistics.median(ordered):.2f} s, "
                  f"p95 {p95:.2f} s, max {ordered[-1]:.2f} s; server memory {memory_before:.0f} -> {memory_after:.0f} MB"
                  + spread + (f"; first error: {errors[0]}" if errors else ""))


if __name__ == "__main__":
    main()
