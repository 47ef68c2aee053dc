"""What uploads cost a classroom server: N browser sessions each upload a checkpoint through the sidebar.

    python benchmarks/bench_uploads.py [--sessions 4] [--params 20] [--wait 130]

Starts `streamlit run app.py`, writes a vision checkpoint of about --params million parameters (random
weights, native .safetensors) and a refused one of the same size (its header asks for 30,000 blocks), and
has N headless-Chromium sessions upload one each (the first half the good file, the rest the refused one).
Prints the server's resident memory before, after each upload, with every session still open, and after
closing them all: --wait seconds later (Streamlit keeps a closed session 2 minutes for a reconnect, and drops
expired ones when its session store is next used), then once one more visitor has come and gone and the app's
janitor (a full collection and malloc_trim once a minute, gmlp_core/ui/janitor.py) has run.
"""

import argparse
import json
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import expect, sync_playwright
from safetensors import safe_open
from safetensors.torch import save_file

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from gmlp_core.formats.checkpoints import save_checkpoint  # noqa: E402
from gmlp_core.models import GMLPVision, VisionConfig, count_parameters  # noqa: E402

FLAGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def resident_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def files(folder: Path, millions: float) -> tuple[Path, Path]:
    width = 512
    depth = max(1, round(millions * 1e6 / (width * 2 * width * 3)))
    model = GMLPVision(VisionConfig(d_model=width, d_ffn=4 * width, depth=depth, heads=4))
    good = save_checkpoint(model, folder / "good.safetensors")
    with safe_open(str(good), "pt") as file:
        tensors, header = {k: file.get_tensor(k) for k in file.keys()}, dict(file.metadata())
    header["config"] = json.dumps({**json.loads(header["config"]), "depth": 30000})
    bad = folder / "refused.safetensors"
    save_file(tensors, str(bad), metadata=header)
    print(f"checkpoints: {count_parameters(model) / 1e6:.1f} M parameters, {good.stat().st_size / 2**20:.0f} MiB each")
    return good, bad


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", type=int, default=4)
    parser.add_argument("--params", type=float, default=20, help="millions of parameters in the uploaded model")
    parser.add_argument("--wait", type=float, default=130)
    parser.add_argument("--port", type=int, default=8791)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        good, bad = files(Path(folder), args.params)
        server = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
                                   "--server.port", str(args.port)],
                                  cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        url = f"http://127.0.0.1:{args.port}"
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{url}/_stcore/health", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=FLAGS)
                pages = []
                for i in range(args.sessions):
                    page = browser.new_page(viewport={"width": 1280, "height": 900})
                    page.goto(url)
                    expect(page.locator("[data-testid='stMetricValue']").first).to_be_visible(timeout=120_000)
                    pages.append(page)
                print(f"{args.sessions} sessions open, nothing uploaded: {resident_mb(server.pid):7.0f} MB")
                for i, page in enumerate(pages):
                    chosen = good if i < (args.sessions + 1) // 2 else bad
                    page.locator("[data-testid='stFileUploaderDropzoneInput']").first.set_input_files(str(chosen))
                    expected = "uploaded" if chosen == good else "depth is 30,000"
                    expect(page.get_by_text(expected).first).to_be_visible(timeout=120_000)
                    print(f"after upload {i + 1} ({chosen.name}): {resident_mb(server.pid):7.0f} MB")
                for page in pages:
                    page.close()
                time.sleep(args.wait)
                print(f"{args.wait:.0f} s after closing every session: {resident_mb(server.pid):7.0f} MB")
                visitor = browser.new_page()
                visitor.goto(url)
                expect(visitor.locator("[data-testid='stMetricValue']").first).to_be_visible(timeout=120_000)
                visitor.close()
                browser.close()
            time.sleep(70)
            print(f"after one more visitor and a janitor pass: {resident_mb(server.pid):7.0f} MB")
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
