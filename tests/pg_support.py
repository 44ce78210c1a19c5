"""A throw-away PostgreSQL + PostGIS server from Debian's packages, for tests and load tests.

``initdb`` in a temporary folder, ``postgres`` on a free port of 127.0.0.1 (and a socket in
that folder), trust authentication, fsync off; stopped and removed afterwards. As root the
server runs as the ``postgres`` user (PostgreSQL refuses root). :func:`unavailable` says why
it cannot run here (packages missing), so tests skip with that reason.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.browser_support import free_port

PG_BIN = Path("/usr/lib/postgresql/15/bin")
POSTGIS_CONTROL = Path("/usr/share/postgresql/15/extension/postgis.control")
PACKAGES = "postgresql-15 postgresql-15-postgis-3"


def unavailable() -> str:
    """Why no test server can be started here ("" when it can)."""
    if not (PG_BIN / "initdb").is_file():
        return f"PostgreSQL 15 is not installed ({PG_BIN}/initdb missing: apt-get install {PACKAGES})"
    if not POSTGIS_CONTROL.is_file():
        return f"PostGIS is not installed ({POSTGIS_CONTROL} missing: apt-get install {PACKAGES})"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root and there is no postgres user to run the server as"
    return ""


def _as_server_user(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


@contextmanager
def postgis_server() -> Iterator[str]:
    """Start a server; yield its SQLAlchemy URL (database ``plovdiv``, PostGIS enabled)."""
    reason = unavailable()
    if reason:
        raise RuntimeError(reason)
    root = Path(tempfile.mkdtemp(prefix="plovdiv-pg-"))
    data = root / "data"
    port = free_port()
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    log = root / "server.log"
    subprocess.run(
        _as_server_user(
            [str(PG_BIN / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8"]
        ),
        check=True,
        capture_output=True,
    )
    options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off"
    start = [
        str(PG_BIN / "pg_ctl"),
        "-D",
        str(data),
        "-l",
        str(log),
        "-o",
        options,
        "-w",
        "-t",
        "60",
        "start",
    ]
    try:
        subprocess.run(_as_server_user(start), check=True, capture_output=True)
        psql = [
            str(PG_BIN / "psql"),
            "-h",
            str(root),
            "-p",
            str(port),
            "-U",
            "postgres",
            "-q",
            "-v",
            "ON_ERROR_STOP=1",
        ]
        subprocess.run(
            _as_server_user([*psql, "-c", "CREATE DATABASE plovdiv"]), check=True, capture_output=True
        )
        subprocess.run(
            _as_server_user([*psql, "-d", "plovdiv", "-c", "CREATE EXTENSION postgis"]),
            check=True,
            capture_output=True,
        )
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/plovdiv"
    finally:
        stop = [str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"]
        subprocess.run(_as_server_user(stop), capture_output=True)
        shutil.rmtree(root, ignore_errors=True)
