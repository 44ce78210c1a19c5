"""The one atomic-write helper every layer uses for published files.

Why atomic: the dashboard reads the register, the gazetteer and the district polygons while a
rebuild writes them, and a crash or a bad input must never leave a half-written or emptied
file behind. A temporary file in the same folder (``os.replace`` is atomic only within one
filesystem) is written, flushed and renamed over the target.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["atomic_path", "atomic_write_bytes", "atomic_write_text"]


@contextmanager
def atomic_path(path: Path | str) -> Iterator[Path]:
    """A temporary path beside ``path`` that replaces it when the block ends without error.

    For writers that want a file name rather than a stream (GeoParquet, pyosmium, GDAL). The
    temporary file is removed if the block raises; the target is then untouched.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        _publishable(tmp)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _publishable(tmp: Path) -> None:
    """mkstemp creates 0600; published files get the usual umask permissions (0644)."""
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)


def _write(path: Path | str, opener: Callable[[Path], object]) -> None:
    with atomic_path(path) as tmp:
        opener(tmp)


def atomic_write_text(path: Path | str, text: str) -> None:
    """Write ``text`` (UTF-8, ``\\n`` line ends) to ``path`` atomically."""
    _write(path, lambda tmp: tmp.write_text(text, encoding="utf-8", newline="\n"))


def atomic_write_bytes(path: Path | str, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically."""
    _write(path, lambda tmp: tmp.write_bytes(data))
