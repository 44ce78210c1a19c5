"""N app processes behind nginx (``deploy/nginx.conf.template``) on 127.0.0.1, for tests and
the load test. Each process is ``streamlit run app.py`` on its own port with the same
environment (so the same register and the same store); nginx listens on a free port and keeps
each browser on one process (a cookie, ``hash … consistent``).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.browser_support import REPO_ROOT, free_port, stop_process, streamlit_process

TEMPLATE = REPO_ROOT / "deploy" / "nginx.conf.template"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
NODE_COOKIE = "plovdiv_node"


@dataclass(frozen=True)
class Cluster:
    """Where to connect, and the app processes' pids (their CPU time is the server's)."""

    base: str
    pids: tuple[int, ...]


def nginx_missing() -> str:
    """Why nginx cannot be run here ("" when it can)."""
    return "" if Path(NGINX).is_file() else "nginx is not installed (apt-get install nginx)"


def render_config(listen: str, ports: list[int], prefix: Path) -> str:
    """The template with its placeholders filled."""
    servers = "\n".join(f"        server 127.0.0.1:{port};" for port in ports)
    user = "user nobody nogroup;" if os.geteuid() == 0 else ""
    text = TEMPLATE.read_text(encoding="utf-8")
    for name, value in (("USER", user), ("PREFIX", str(prefix)), ("LISTEN", listen), ("SERVERS", servers)):
        text = text.replace("{{" + name + "}}", value)
    return text


def _wait_port(port: int, proc: subprocess.Popen[bytes], log: Path, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"nginx exited ({proc.returncode}): {log.read_text(errors='replace')}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"nginx did not listen on {port} within {timeout:.0f} s")


@contextmanager
def nginx(ports: list[int], workdir: Path) -> Iterator[str]:
    """nginx on a free port of 127.0.0.1 in front of ``ports``; yields its base URL."""
    prefix = workdir / "nginx"
    prefix.mkdir(parents=True, exist_ok=True)
    prefix.chmod(0o755)
    port = free_port()
    conf = prefix / "nginx.conf"
    conf.write_text(render_config(f"127.0.0.1:{port}", ports, prefix), encoding="utf-8")
    log = prefix / "stderr.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [NGINX, "-p", str(prefix), "-c", str(conf), "-g", "daemon off;"], stdout=out, stderr=out
        )
    try:
        _wait_port(port, proc, log)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop_process(proc)


@contextmanager
def cluster(processes: int, env: Mapping[str, str], workdir: Path | None = None) -> Iterator[Cluster]:
    """``processes`` app processes behind nginx; stopped afterwards."""
    with ExitStack() as stack:
        root = workdir or Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="plovdiv-cluster-")))
        ports, pids = [], []
        for i in range(processes):
            port = free_port()
            log = root / f"app{i}.log"
            _base, proc = stack.enter_context(streamlit_process(REPO_ROOT / "app.py", log, env, port=port))
            ports.append(port)
            pids.append(proc.pid)
        base = stack.enter_context(nginx(ports, root))
        yield Cluster(base, tuple(pids))
