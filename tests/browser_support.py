"""Helpers shared by the browser tests and the dashboard benchmark.

Why here and free of pytest: both the tests (``tests/test_offline_assets.py``,
``tests/test_dashboard_browser.py``) and ``benchmarks/dashboard.py`` start a real Streamlit
server and drive Debian's Chromium against it, and both must prove the page stays on
127.0.0.1. Failures raise :class:`BrowserSupportError`; pytest fixtures turn that into
``pytest.fail`` with the server log.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Playwright, Route

REPO_ROOT = Path(__file__).resolve().parents[1]
VENDOR_DIR = REPO_ROOT / "static" / "vendor"
ARTIFACTS = REPO_ROOT / "test-artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
SERVER_START_TIMEOUT_S = 60


class BrowserSupportError(RuntimeError):
    """The server or the browser could not be brought up; the message carries the log."""


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_healthy(url: str, proc: subprocess.Popen[bytes], log: Path, timeout: float) -> None:
    """Poll ``url`` until it answers 200; raise with the server log otherwise."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise BrowserSupportError(f"streamlit exited ({proc.returncode}):\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                if resp.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.2)
    raise BrowserSupportError(f"streamlit not healthy after {timeout}s:\n{log.read_text()}")


@contextmanager
def streamlit_server(
    app: Path,
    log: Path,
    env: Mapping[str, str] | None = None,
    cwd: Path = REPO_ROOT,
    port: int | None = None,
) -> Iterator[str]:
    """Run ``streamlit run app`` on 127.0.0.1; yield its base URL; stop it afterwards.

    ``cwd`` defaults to the repository root so ``.streamlit/config.toml`` (static serving,
    no usage statistics) applies.
    """
    with streamlit_process(app, log, env, cwd, port) as (base, _proc):
        yield base


@contextmanager
def streamlit_process(
    app: Path,
    log: Path,
    env: Mapping[str, str] | None = None,
    cwd: Path = REPO_ROOT,
    port: int | None = None,
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """:func:`streamlit_server`, also yielding the process (its pid: CPU time, load tests)."""
    port = port or free_port()
    full_env = {**os.environ, "PYTHONPATH": str(REPO_ROOT), **(env or {})}
    cmd = [
        sys.executable, "-m", "streamlit", "run", str(app),
        "--server.headless", "true",
        "--server.address", "127.0.0.1",
        "--server.port", str(port),
        "--server.fileWatcherType", "none",
        "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, cwd=cwd, env=full_env, stdout=out, stderr=out)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_healthy(f"{base}/_stcore/health", proc, log, timeout=SERVER_START_TIMEOUT_S)
        yield base, proc
    finally:
        stop_process(proc)


def stop_process(proc: subprocess.Popen[bytes]) -> None:
    """Terminate a server we started; kill it if it has not gone within 10 s."""
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds a process has used so far (``/proc/<pid>/stat``)."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    # After the command: state is field 3, utime 14 and stime 15 (1-based, man proc).
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def launch_chromium(pw: Playwright) -> Browser:
    """Debian's Chromium, headless (Playwright's bundled browsers would need a download)."""
    if not CHROMIUM.exists():
        raise BrowserSupportError(f"{CHROMIUM} missing: apt-get install -y chromium")
    return pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, timeout=60_000)


@dataclass
class RequestLog:
    """Every request a browser context makes; anything off 127.0.0.1 is aborted and kept.

    Aborting (rather than only recording) makes a test mean the same with or without
    internet on the machine running it.
    """

    requested: list[str] = field(default_factory=list)
    external: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def on_route(self, route: Route) -> None:
        """Playwright route handler: local requests continue, the rest are aborted."""
        url = route.request.url
        self.requested.append(url)
        if urlsplit(url).hostname in LOCAL_HOSTS or url.startswith(("data:", "blob:", "file:")):
            route.continue_()
        else:
            self.external.append(url)
            route.abort()

    def attach(self, context: BrowserContext) -> None:
        """Route every request of ``context`` through :meth:`on_route`."""
        context.route("**/*", self.on_route)

    def watch(self, page: Any) -> None:
        """Record websockets, HTTP errors, failed requests and JavaScript errors of ``page``."""
        page.on("websocket", lambda ws: self.requested.append(ws.url))
        page.on("response", lambda r: self.failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
        page.on("requestfailed", lambda r: self.failed.append(f"{r.failure} {r.url}"))
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))

    def off_host(self) -> list[str]:
        """Requests (including websockets) whose host is not local."""
        local = ("data:", "blob:", "file:")
        return [
            u for u in self.requested if not u.startswith(local) and urlsplit(u).hostname not in LOCAL_HOSTS
        ]
