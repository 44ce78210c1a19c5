"""Read the programme report from disk and decode it.

Bulgarian documents often arrive in Windows-1251 instead of UTF-8, so decoding is explicit:
UTF-8 (with or without BOM) first, then Windows-1251 when the bytes look like Cyrillic text in
that code page. Anything else is a `ReportError` with a one-line message the CLI can print.
"""

from __future__ import annotations

from pathlib import Path

from works.errors import PlovdivError

#: Upper bound for a report file; the 2019–2023 report is ~210 kB.
MAX_REPORT_BYTES = 20 * 1024 * 1024


class ReportError(PlovdivError):
    """The report cannot be used; the message is one line meant for the user."""


def decode_report(data: bytes, source: str = "report") -> str:
    """Decode report bytes: UTF-8 first, then Windows-1251 if the result is Cyrillic text."""
    if not data.strip():
        raise ReportError(f"{source} is empty")
    if b"\x00" in data:
        raise ReportError(f"{source} is not a text file (it contains NUL bytes)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    text = data.decode("cp1251", errors="replace")
    letters = [c for c in text if c.isalpha()]
    cyrillic = sum(1 for c in letters if "\u0400" <= c <= "\u04ff")
    if "\ufffd" in text or not letters or cyrillic / len(letters) < 0.5:
        raise ReportError(f"{source} is neither UTF-8 nor Windows-1251 Bulgarian text")
    return text


def read_report(path: Path | str) -> str:
    """Read and decode the report at `path`, raising `ReportError` with a clear message."""
    p = Path(path)
    if not p.exists():
        raise ReportError(f"report not found: {p}")
    if not p.is_file():
        raise ReportError(f"report is not a file: {p}")
    try:
        size = p.stat().st_size
        if size > MAX_REPORT_BYTES:
            raise ReportError(f"report is too large ({size} bytes > {MAX_REPORT_BYTES}): {p}")
        data = p.read_bytes()
    except OSError as exc:
        raise ReportError(f"cannot read report {p}: {exc.strerror or exc}") from None
    return decode_report(data, source=str(p))
