"""README.md's reverse-proxy configuration is the one the load benchmarks run, with their own ports."""

import re
import sys

import pytest

from tests.helpers import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))

import bench_load  # noqa: E402


def directives(config: str) -> list[str]:
    """The configuration's directives, one per line, without comments or indentation."""
    return [line.split("#")[0].strip() for line in config.splitlines() if line.split("#")[0].strip()]


def test_the_benchmarks_run_the_readme_configuration_with_their_own_ports(tmp_path):
    readme = re.search(r"```nginx\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), re.S)[1]
    config = bench_load.nginx_config(str(tmp_path), 9999, [7001, 7002, 7003])
    ran = directives(config)
    assert "listen 127.0.0.1:9999;" in ran and "listen 80;" not in ran
    assert [d for d in ran if d.startswith("server 127.0.0.1:")] == [
        "server 127.0.0.1:7001;", "server 127.0.0.1:7002;", "server 127.0.0.1:7003;"]
    assert f"access_log {tmp_path}/access.log backend;" in ran
    # every other line of the README's configuration runs as written: sticky sessions, websockets, compression
    for line in directives(readme):
        if not line.startswith(("listen ", "server 127.0.0.1:")):
            assert line in ran
    assert {"gzip on;", "hash $sticky consistent;", "proxy_set_header Upgrade $http_upgrade;"} <= set(ran)


def test_a_readme_without_the_configuration_stops_the_benchmark_with_what_is_missing(tmp_path, monkeypatch):
    readme = tmp_path / "README.md"
    monkeypatch.setattr(bench_load, "README", readme)
    readme.write_text("# no proxy here\n", encoding="utf-8")
    with pytest.raises(SystemExit, match="one nginx configuration"):
        bench_load.nginx_config(str(tmp_path), 9999, [7001])
    readme.write_text("```nginx\nevents { }\nhttp {\n    server { listen 80; }\n}\n```\n", encoding="utf-8")
    with pytest.raises(SystemExit, match="no line matching"):
        bench_load.nginx_config(str(tmp_path), 9999, [7001])
