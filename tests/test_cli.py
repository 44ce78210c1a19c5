"""`python -m pipeline`: output contract and bad input handling."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.cli import main
from tests.test_projects import MINI

REPO = Path(__file__).resolve().parent.parent


def run_cli(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pipeline", *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )


@pytest.fixture
def mini_report(tmp_path: Path) -> Path:
    path = tmp_path / "report.txt"
    path.write_text(MINI, encoding="utf-8")
    return path


def test_writes_deterministic_utf8_geojson(mini_report: Path, tmp_path: Path) -> None:
    out1, out2 = tmp_path / "a.geojson", tmp_path / "b.geojson"
    assert main(["--report", str(mini_report), "--out", str(out1), "--quiet"]) == 0
    assert main(["--report", str(mini_report), "--out", str(out2), "--quiet"]) == 0
    raw = out1.read_bytes()
    assert raw == out2.read_bytes()
    assert "Слънце".encode() in raw and b"\\u" not in raw  # not ASCII-escaped
    data = json.loads(raw)
    assert data["type"] == "FeatureCollection"
    feat = data["features"][0]
    assert feat["geometry"] is None and feat["id"] == feat["properties"]["id"]
    for key in (
        "name",
        "categories",
        "status",
        "priority",
        "measure",
        "goal",
        "source_line",
        "source_text",
        "status_evidence",
        "places",
        "districts",
    ):
        assert key in feat["properties"]


def test_summary_printed(mini_report: Path, tmp_path: Path) -> None:
    proc = run_cli("--report", str(mini_report), "--out", str(tmp_path / "x.geojson"))
    assert proc.returncode == 0, proc.stderr
    assert "by status:" in proc.stdout and "by category:" in proc.stdout and "by measure:" in proc.stdout


def test_windows_1251_report_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "cp1251.txt"
    path.write_bytes(MINI.encode("cp1251"))
    out = tmp_path / "o.geojson"
    assert main(["--report", str(path), "--out", str(out), "--quiet"]) == 0
    assert "Слънце" in out.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "report not found"),
        (b"", "is empty"),
        (b"\xff\xfe\x00\x00binary\x00", "not a text file"),
        ("Няма структура тук.\n".encode(), "no ПРИОРИТЕТ / Мярка structure"),
        ("Latin only text".encode("utf-16"), "not a text file"),
    ],
)
def test_bad_input_one_line_exit_2_dataset_untouched(tmp_path: Path, content, message: str) -> None:
    report = tmp_path / "bad.txt"
    if content is not None:
        report.write_bytes(content)
    out = tmp_path / "projects.geojson"
    out.write_text("EXISTING", encoding="utf-8")
    proc = run_cli("--report", str(report), "--out", str(out))
    assert proc.returncode == 2
    assert message in proc.stderr and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert out.read_text(encoding="utf-8") == "EXISTING"
    assert not list(tmp_path.glob(".projects.geojson.*"))


def test_directory_as_report(tmp_path: Path) -> None:
    proc = run_cli("--report", str(tmp_path), "--out", str(tmp_path / "o.geojson"))
    assert proc.returncode == 2 and "not a file" in proc.stderr


def test_env_variable_selects_report(mini_report: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("PLOVDIV_REPORT", str(mini_report))
    out = tmp_path / "env.geojson"
    assert main(["--out", str(out), "--quiet"]) == 0
    assert len(json.loads(out.read_text(encoding="utf-8"))["features"]) >= 8
