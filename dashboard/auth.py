"""Planner login: who may pin projects. Residents can look, never edit.

Why this shape: the dashboard has one editing role, so a single shared planner password is
enough, but it must never be compared in the clear or by ``==`` (timing), and a guessing
script must be slowed down. The password comes from ``PLOVDIV_PLANNER_PASSWORD`` or
``st.secrets["planner_password"]`` — either the password itself or, better, its hash
``scrypt$<salt hex>$<hash hex>`` (make one with ``python -m dashboard.auth``). No password
configured means editing is off for everyone.
"""

from __future__ import annotations

import getpass
import hashlib
import hmac
import math
import secrets
import sys
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pipeline import logins

# scrypt cost: ~50 ms and 16 MB per check on a small server (n=2**14, r=8, p=1).
_N, _R, _P, _DKLEN = 2**14, 8, 1, 32
MAX_ATTEMPTS = 5
LOCKOUT_S = 300.0
WINDOW_S = 900.0


@dataclass(frozen=True)
class StoredHash:
    """A salted scrypt hash of the planner password."""

    salt: bytes
    digest: bytes

    def encode(self) -> str:
        """The ``scrypt$salt$hash`` form accepted in the setting."""
        return f"scrypt${self.salt.hex()}${self.digest.hex()}"


def _scrypt(password: str, salt: bytes) -> bytes:
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=_N, r=_R, p=_P, dklen=_DKLEN)


def hash_password(password: str, salt: bytes | None = None) -> StoredHash:
    """Hash ``password`` with a fresh (or given) 16-byte salt."""
    salt = salt or secrets.token_bytes(16)
    return StoredHash(salt, _scrypt(password, salt))


@lru_cache(maxsize=4)
def parse_setting(value: str) -> StoredHash | None:
    """The configured password as a hash (a plain password is hashed once per process)."""
    value = value.strip()
    if not value:
        return None
    if value.startswith("scrypt$"):
        try:
            _, salt_hex, digest_hex = value.split("$")
            return StoredHash(bytes.fromhex(salt_hex), bytes.fromhex(digest_hex))
        except ValueError:
            return None  # a malformed hash disables editing rather than accepting anything
    return hash_password(value)


def verify(password: str, stored: StoredHash | None) -> bool:
    """Constant-time check of ``password`` against the stored hash (False if none)."""
    if stored is None or not password:
        return False
    return hmac.compare_digest(_scrypt(password, stored.salt), stored.digest)


def configured_setting(env_value: str) -> str:
    """The password setting: the environment first, then ``st.secrets``."""
    if env_value.strip():
        return env_value
    try:
        import streamlit as st

        return str(st.secrets.get("planner_password", ""))
    except Exception:  # noqa: BLE001 - no secrets file (or a broken one) means no password
        return ""


@dataclass(frozen=True)
class LoginGuard:
    """Failed logins kept in the planners' store (``pipeline.logins``), by name and by client.

    Why not the session: a new browser session (or a script opening one per try) started
    with a clean count. Here five failures within :data:`WINDOW_S` for the same name *or*
    from the same client address lock both out for :data:`LOCKOUT_S`, across sessions,
    server restarts and — with ``PLOVDIV_DATABASE_URL`` — every app process behind the proxy.
    A success clears that name's and that client's failures. ``db`` is the SQLite file used
    when no shared database is set.
    """

    db: Path

    @staticmethod
    def subjects(user: str, client: str) -> tuple[str, str]:
        """The two keys a failure counts against."""
        return f"user:{user.strip().casefold()}", f"client:{client or 'unknown'}"

    def remaining_lock(self, user: str, client: str, now: float | None = None) -> int:
        """Seconds until this name and this client may try again (0: they may now)."""
        now = time.time() if now is None else now
        wait = 0.0
        for subject in self.subjects(user, client):
            times = logins.recent_failures(self.db, subject, now - WINDOW_S, MAX_ATTEMPTS)
            if len(times) >= MAX_ATTEMPTS:
                wait = max(wait, times[0] + LOCKOUT_S - now)
        return max(0, math.ceil(wait))

    def record(self, user: str, client: str, ok: bool, now: float | None = None) -> None:
        """Store a failure against the name and the client; a success clears both."""
        now = time.time() if now is None else now
        logins.record(self.db, self.subjects(user, client), ok, now, now - 10 * WINDOW_S)


def main() -> int:
    """``python -m dashboard.auth``: print the hash of a password typed at the prompt."""
    password = getpass.getpass("planner password: ")
    if not password:
        print("error: empty password", file=sys.stderr)
        return 2
    print(hash_password(password).encode())
    return 0


if __name__ == "__main__":
    sys.exit(main())
