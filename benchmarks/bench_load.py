"""A lesson on one laptop: N students' websocket sessions against real `streamlit run app.py` servers.

    python benchmarks/bench_load.py [--sessions 30] [--seconds 60] [--busy-core]
    python benchmarks/bench_load.py --processes 2 --sessions 60        # needs nginx on PATH

Students are spread over the five pages with controls (round robin: Attention, Patches, Spatial W,
Language models, Playground) and each does its page's usual actions, as a browser sends them over
Streamlit's own websocket protocol (every widget's value, and the fragment when the widget lives in one):

    Attention        type a sentence, switch the variant, change the heads
    Patches          pick another sample
    Spatial W        spread over the page's five views (each opened by the link's w_view=): move the layer,
                     change the heads averaged, and on the views that have them move the query patch or the
                     snapshot slider (fragments)
    Language models  type text; every other student is on the "continue the text" view (opened by the
                     link's view=generate) and asks for a new seed (a fragment that writes 3 x 200
                     characters) more often than it types
    Playground       press Play (a recorded run replays; a setting nobody trained yet queues a training in the
                     server's background trainer) and watch the playing view redraw itself every 0.5 s (6 redraws,
                     the browser's timed fragment reruns), pick a new seed, move the replay slider

Each student opens its page (all at once, like a class opening the link), then changes one thing
every ~3 s (uniform 2-4 s). A change's latency is the time from sending it to the server's "script
finished" (for a new seed also to its first characters written: the rest stream in). Prints
reruns, errors and reruns per second, p50 / p95 / max latency per page, per action and overall,
the first visits' latency, and the servers' resident memory (sampled every second while the
students work: before, peak, after).

With --processes P > 1, P servers run behind nginx with sticky sessions, configured as README.md
describes (its nginx block, read from there): each simulated student first fetches the page through the proxy,
keeps the cookie that pins it to one server, and opens its websocket with that cookie. The line
also says how many students each server got. --busy-core runs a second program that keeps one core
busy for the whole measurement (a teacher's laptop is never idle). The load generator itself runs
on the same machine.
"""

import argparse
import asyncio
import collections
import contextlib
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import connect

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from gmlp_core.ui.views.spatial_w import VIEWS as W_VIEWS  # noqa: E402  the Spatial W page's views, one at a time

README = ROOT / "README.md"


def nginx_config(folder: str, port: int, backends: list[int]) -> str:
    """README.md's nginx configuration ("A class beyond one laptop"), as a teacher would run it, with this run's
    ports, its files in `folder`, and a log of which server answered which browser (the students per server)."""
    blocks = re.findall(r"```nginx\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    if len(blocks) != 1:
        raise SystemExit(f"README.md should hold one nginx configuration (```nginx), found {len(blocks)}")
    config = blocks[0]
    servers = "".join(f"        server 127.0.0.1:{b};\n" for b in backends)
    log = f"    log_format backend '$upstream_addr $cookie_gmlp_backend';\n    access_log {folder}/access.log backend;\n"
    edits = [(r"(?m)^(\s*server 127\.0\.0\.1:\d+;\n)+", lambda m: servers),
             (r"(?m)^(\s*)listen \d+;", lambda m: f"{m[1]}listen 127.0.0.1:{port};"),
             (r"(?m)^http \{\n", lambda m: m[0] + log)]
    for pattern, replacement in edits:
        config, found = re.subn(pattern, replacement, config, count=1)
        if not found:
            raise SystemExit(f"README.md's nginx configuration has no line matching {pattern!r}")
    return f"worker_processes 1;\npid {folder}/nginx.pid;\nerror_log {folder}/error.log warn;\n" + config


WORDS = "the quick brown fox jumps over a lazy dog while students watch attention move".split()
PAGES = ("attention", "patches", "spatial-w", "language-models", "playground")
RECV_TIMEOUT_S = 60.0  # a run that sends nothing for this long counts as an error, not a hang
WATCH_TICKS = 6  # a student who pressed Play watches this many of the playing view's redraws (0.5 s apart)


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


@dataclass
class Widget:
    """A widget as the last run drew it: its id, its options (formatted, as the browser shows them), its kind,
    the fragment it lives in ('' for the page), and for a number input whether it holds integers."""

    id: str
    kind: str
    options: list[str]
    fragment: str
    integer: bool = False


WIDGET_KINDS = ("text_input", "text_area", "radio", "selectbox", "multiselect", "slider", "number_input", "button")


class Session:
    """One browser tab: its websocket, the page it shows, and every widget value it has set (a browser sends them
    all with each rerun)."""

    def __init__(self, connection, page: str, query: str):
        self.connection, self.page, self.query = connection, page, query
        self.widgets: dict[str, Widget] = {}  # by the widget's key
        self.values: dict[str, WidgetState] = {}  # by the widget's id
        self.first_text_at: float | None = None  # when the last run first drew generated text (st.code)
        self.auto: dict[str, float] = {}  # fragment id -> seconds: fragments the browser reruns on a timer

    async def run(self, fragment: str = "", auto: bool = False) -> None:
        """Ask for a rerun (of one fragment, or the page; auto: a timed fragment's redraw, as the browser asks for
        it) and read the server's messages up to its end; an exception drawn on the page raises."""
        message = BackMsg()
        message.rerun_script.query_string = self.query
        message.rerun_script.page_name = self.page
        message.rerun_script.fragment_id = fragment
        message.rerun_script.is_auto_rerun = auto
        message.rerun_script.widget_states.widgets.extend(self.values.values())
        await self.connection.send(message.SerializeToString())
        self.first_text_at = None
        while True:
            forward = ForwardMsg()
            try:
                forward.ParseFromString(await asyncio.wait_for(self.connection.recv(), RECV_TIMEOUT_S))
            except asyncio.TimeoutError:
                raise TimeoutError(f"no message for {RECV_TIMEOUT_S:.0f} s waiting for the end of a "
                                   f"{'fragment' if fragment else 'page'} run") from None
            kind = forward.WhichOneof("type")
            if kind == "script_finished":
                if forward.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    continue  # the script asked for a rerun (st.rerun): its messages follow on this request
                return
            if kind == "new_session":  # a page run starts (also one a fragment asked for with st.rerun): it
                self.auto.clear()  # registers its timed fragments afresh, and the browser forgets the old ones
            if kind == "auto_rerun":
                self.auto[forward.auto_rerun.fragment_id] = forward.auto_rerun.interval
            if kind == "stop_auto_rerun":
                for stopped in forward.stop_auto_rerun.fragment_ids:
                    self.auto.pop(stopped, None)
            if kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
                self._saw(forward.delta.new_element, forward.delta.fragment_id)

    def _saw(self, element, fragment: str) -> None:
        kind = element.WhichOneof("type")
        if kind == "code" and self.first_text_at is None:
            self.first_text_at = time.perf_counter()
        if kind == "exception":
            where = element.exception.stack_trace[-1].strip() if element.exception.stack_trace else "?"
            raise RuntimeError(f"the page drew an exception: {element.exception.type}: {element.exception.message} "
                               f"(at {where})")
        if kind not in WIDGET_KINDS:
            return
        proto = getattr(element, kind)
        key = proto.id.rpartition("-")[2]
        integer = kind == "number_input" and proto.data_type == proto.INT
        self.widgets[key] = Widget(proto.id, kind, list(getattr(proto, "options", [])), fragment, integer)

    async def change(self, key: str, value) -> None:
        """Set the widget `key` to `value` (text, an option, a list of options, a number) and rerun as the browser
        would: the widget's fragment alone when it lives in one."""
        widget = self.widgets[key]
        state = WidgetState(id=widget.id)
        if widget.kind in ("text_input", "text_area", "radio", "selectbox"):
            state.string_value = value
        elif widget.kind in ("multiselect", "slider"):
            state.string_array_value.data.extend(value)
        elif widget.kind == "button":
            state.trigger_value = True
        elif widget.integer:
            state.int_value = value
        else:
            state.double_value = value
        self.values[widget.id] = state
        await self.run(widget.fragment)
        if widget.kind == "button":  # a click is sent once: the browser's next rerun says it is over
            del self.values[widget.id]

    async def watch(self, ticks: int) -> list[float]:
        """The browser's timed redraws of a playing fragment, up to `ticks` of them -> each one's seconds."""
        times = []
        while self.auto and len(times) < ticks:
            fragment, interval = next(iter(self.auto.items()))
            await asyncio.sleep(interval)
            start = time.perf_counter()
            await self.run(fragment, auto=True)
            times.append(time.perf_counter() - start)
        return times


def typed(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 12)))


def another(rng: random.Random, widget: Widget) -> str:
    return rng.choice(widget.options)


def some_of(rng: random.Random, widget: Widget) -> list[str]:
    return rng.sample(widget.options, rng.randint(1, len(widget.options)))


def one_of(rng: random.Random, widget: Widget) -> list[str]:
    return [rng.choice(widget.options)]


# page -> [(action, widget key, weight, value(rng, widget))]: each page's usual actions
ACTIONS = {
    "attention": [("type a sentence", "sentence", 2, lambda rng, w: typed(rng)),
                  ("switch variant", "variant", 1, another), ("change heads", "heads", 1, another)],
    "patches": [("pick a sample", "sample", 1, another)],
    "spatial-w": [("move layer", "layer", 1, one_of), ("change heads", "w_heads", 1, some_of),
                  ("move query patch", "query", 1, another), ("move snapshot", "snapshot", 1, one_of)],
    "language-models": [("type text", "lm_text", 1, lambda rng, w: typed(rng)),
                        ("generate (new seed)", "lm_seed", 2, lambda rng, w: rng.randrange(1_000_000))],
    # Play replays a recorded run or starts (or joins) a training; a new seed is a setting nobody trained yet
    "playground": [("press Play", "pg_button_play", 3, lambda rng, w: True),
                   ("new seed", "pg_seed", 1, lambda rng, w: rng.randrange(10_000)),
                   ("move the replay slider", "pg_replay", 1, one_of)],
}


ONLY_IN_VIEW = {"query": "picture", "snapshot": "training"}  # Spatial W's widgets that one view has


def sticky_cookie(port: int) -> str | None:
    """The page fetched as a browser would -> the proxy's stickiness cookie ("name=value"), if it set one."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=30) as response:
        cookie = response.headers.get("Set-Cookie")
    return cookie.split(";", 1)[0] if cookie else None


@dataclass
class Results:
    """What the students measured: (page, action, seconds) per answered change, first visits, errors."""

    changes: list = field(default_factory=list)
    first_visits: list = field(default_factory=list)
    first_text: list = field(default_factory=list)  # a new seed's first written characters, in seconds
    errors: list = field(default_factory=list)


async def student(port: int, number: int, seconds: float, results: Results) -> None:
    rng = random.Random(number)
    page = PAGES[number % len(PAGES)]
    writer = page == "language-models" and number // len(PAGES) % 2 == 1  # every other one continues the text
    w_view = W_VIEWS[number // len(PAGES) % len(W_VIEWS)]  # Spatial W's students spread over its views
    actions = [a for a in ACTIONS[page] if (writer or a[1] != "lm_seed") and
               (page != "spatial-w" or ONLY_IN_VIEW.get(a[1], w_view) == w_view)]
    try:
        cookie = await asyncio.to_thread(sticky_cookie, port)
        async with connect(f"ws://127.0.0.1:{port}/_stcore/stream", subprotocols=["streamlit"], max_size=None,
                           additional_headers={"Cookie": cookie} if cookie else None) as connection:
            session = Session(connection, page, "view=generate" if writer else
                              f"w_view={w_view}" if page == "spatial-w" else "")
            start = time.perf_counter()
            await session.run()
            results.first_visits.append((page, time.perf_counter() - start))
            missing = [key for _, key, _, _ in actions if key not in session.widgets]
            if missing:
                raise LookupError(f"the {page} page drew no widget {missing} on its first run")
            end = time.perf_counter() + seconds
            while time.perf_counter() < end:
                await asyncio.sleep(rng.uniform(2.0, 4.0))
                action, key, _, value = rng.choices(actions, weights=[a[2] for a in actions])[0]
                start = time.perf_counter()
                await session.change(key, value(rng, session.widgets[key]))
                results.changes.append((page, action, time.perf_counter() - start))
                if session.auto:  # Play: the view redraws itself while the student watches
                    results.changes += [(page, "watch the run (a redraw)", s) for s in await session.watch(WATCH_TICKS)]
                if key == "lm_seed" and session.first_text_at is not None:
                    results.first_text.append(session.first_text_at - start)
    except Exception as err:  # a benchmark counts failures instead of stopping at the first
        results.errors.append(f"{page}: {type(err).__name__}: {err}")


async def load(port: int, sessions: int, seconds: float, first: int = 0) -> Results:
    results = Results()
    await asyncio.gather(*(student(port, first + n, seconds, results) for n in range(sessions)))
    return results


class MemorySampler:
    """The servers' summed resident memory, sampled every second on a thread while the students work."""

    def __init__(self, pids: list[int]):
        self.pids, self.samples = pids, []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.wait(1.0):
            self.samples.append(sum(resident_mb(pid) for pid in self.pids))

    def __enter__(self):
        self.samples.append(sum(resident_mb(pid) for pid in self.pids))
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.samples.append(sum(resident_mb(pid) for pid in self.pids))


@contextlib.contextmanager
def busy_core(enabled: bool):
    """Another program keeping one core busy (a plain Python loop), or nothing."""
    if not enabled:
        yield
        return
    spinner = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        yield
    finally:
        spinner.kill()
        spinner.wait()


@contextlib.contextmanager
def nginx(backends: list[int]):
    """nginx in front of the given Streamlit ports, sticky per browser -> (its port, the access log)."""
    if shutil.which("nginx") is None:
        raise SystemExit("--processes needs nginx on PATH (Debian: apt-get install nginx-light)")
    with tempfile.TemporaryDirectory() as folder:
        port = free_port()
        config = Path(folder) / "nginx.conf"
        config.write_text(nginx_config(folder, port, backends))
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


HOME_WAIT_S = 10.0


async def visit(port: int, page: str) -> None:
    """One browser opening `page` ('' for Home) and reading its first run."""
    async with connect(f"ws://127.0.0.1:{port}/_stcore/stream", subprotocols=["streamlit"], max_size=None) as ws:
        await Session(ws, page, "").run()


def warm_up(port: int, how: str) -> None:
    """What happens on the server before the class: every page visited, Home visited, or nothing."""
    if how == "pages":
        warm = asyncio.run(load(port, len(PAGES), 0))
        if warm.errors:
            raise SystemExit(f"the warming visit failed: {warm.errors[0]}")
    elif how == "home":
        asyncio.run(visit(port, ""))
        time.sleep(HOME_WAIT_S)


def run_setting(args, gc: str, sessions: int) -> tuple[Results, list, str]:
    """One measurement -> (results, the servers' summed memory samples in MB, spread over servers)."""
    ports = [free_port() for _ in range(args.processes)]
    servers = [start_server(port, gc) for port in ports]
    try:
        for port in ports:
            warm_up(port, args.warm)
        with busy_core(args.busy_core), MemorySampler([s.pid for s in servers]) as memory:
            if args.processes == 1:
                results = asyncio.run(load(ports[0], sessions, args.seconds))
                spread = ""
            else:
                with nginx(ports) as (proxy_port, access_log):
                    results = asyncio.run(load(proxy_port, sessions, args.seconds))
                    spread = f"; students per server {students_per_server(access_log)}"
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=30)
    return results, memory.samples, spread


def latency_row(name: str, seconds: list[float]) -> str:
    ordered = sorted(seconds) or [float("nan")]
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    return (f"  {name:<38} {len(seconds):>6}   p50 {statistics.median(ordered):6.2f} s   p95 {p95:6.2f} s   "
            f"max {ordered[-1]:6.2f} s")


def report(args, gc: str, sessions: int, results: Results, memory: list[float], spread: str) -> None:
    print(f"processes={args.processes} sessions={sessions} busy_core={'yes' if args.busy_core else 'no'} "
          f"warm={args.warm} "
          f"postScriptGC={gc}: {len(results.changes)} changes answered, {len(results.errors)} errors, "
          f"{len(results.changes) / max(args.seconds, 1e-9):.1f} reruns/s; server memory {memory[0]:.0f} MB before, "
          f"{max(memory):.0f} MB peak, {memory[-1]:.0f} MB after" + spread)
    print(f"  {'':<38} {'changes':>6}")
    for page in PAGES:
        print(latency_row(page, [s for p, _, s in results.changes if p == page]))
        for action in [a for a, *_ in ACTIONS[page]] + ["watch the run (a redraw)"] * (page == "playground"):
            print(latency_row(f"  {action}", [s for p, a, s in results.changes if p == page and a == action]))
    print(latency_row("  generate: its first characters", results.first_text))
    print(latency_row("all changes", [s for *_, s in results.changes]))
    print(latency_row("all changes but generating", [s for _, a, s in results.changes if a != "generate (new seed)"]))
    print(latency_row("first visits (opening the page)", [s for _, s in results.first_visits]))
    for page in PAGES:
        print(latency_row(f"  {page}", [s for p, s in results.first_visits if p == page]))
    for error in results.errors[:5]:
        print(f"  error: {error}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", type=int, nargs="+", default=[30])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--post-script-gc", nargs="+", default=["false"], help="Streamlit's runner.postScriptGC")
    parser.add_argument("--processes", type=int, default=1, help="Streamlit processes behind nginx (1 = no proxy)")
    parser.add_argument("--busy-core", action="store_true", help="keep one core busy with another program")
    parser.add_argument("--warm", choices=["pages", "home", "none"], default="pages",
                        help="before the students: a visit to every page (the default), one visit to Home and "
                             f"{HOME_WAIT_S:.0f} s (the teacher opening the app), or nothing (a fresh server)")
    args = parser.parse_args()
    print(f"CPU: {cpu_name()}; {os.cpu_count()} cores")
    for gc in args.post_script_gc:
        for sessions in args.sessions:
            report(args, gc, sessions, *run_setting(args, gc, sessions))


def cpu_name() -> str:
    """The CPU's model name and the flags that matter for torch here (AVX-512, native bf16), from /proc/cpuinfo."""
    info = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    name = next((line.split(":", 1)[1].strip() for line in info.splitlines() if line.startswith("model name")), "?")
    flags = next((line.split(":", 1)[1].split() for line in info.splitlines() if line.startswith("flags")), [])
    wanted = [f for f in ("avx2", "avx512f", "avx512_bf16", "amx_bf16") if f in flags]
    return f"{name} ({', '.join(wanted) or 'no AVX2'})"


if __name__ == "__main__":
    main()
