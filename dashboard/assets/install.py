"""Install folium's browser assets from the npm registry into ``static/vendor``.

Usage: ``python -m dashboard.assets.install [--dest DIR] [--force]``

Why: intranet machines have no internet, so the maps cannot load Leaflet & co.
from public CDNs.  The versions are pinned by ``package-lock.json`` next to this
file; ``npm ci`` runs in a throw-away directory (npm's own cache makes re-runs
work without network) and only the files listed in ``manifest.py`` are copied.

Streamlit serves ``<folder of the main script>/static`` at ``/app/static/``,
so ``--dest`` must be ``<that folder>/static/vendor``.

The run is idempotent: a stamp file holding a hash of the lock file and the
manifest makes a second run a no-op.  Every failure is reported as one line on
stderr with exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from works.errors import PlovdivError

from . import manifest

ASSETS_DIR = Path(__file__).resolve().parent
REPO_ROOT = ASSETS_DIR.parents[1]
DEFAULT_DEST = REPO_ROOT / "static" / "vendor"
STAMP_NAME = ".install-stamp"
NPM_TIMEOUT_S = 600

_GLYPHICONS_SOURCE = "bootstrap3/dist/css/bootstrap.css"
_GLYPHICONS_START = '@font-face {\n  font-family: "Glyphicons Halflings";'
_GLYPHICONS_END = "\n* {"


class InstallError(PlovdivError):
    """A failure to report as one line, exit status 2."""


def install_hash() -> str:
    """Hash of everything that determines the output, for the stamp file."""
    digest = hashlib.sha256()
    lock = ASSETS_DIR / "package-lock.json"
    for source in (ASSETS_DIR / "package.json", lock):
        if source.is_file():
            digest.update(source.read_bytes())
    layout = [manifest.copied_paths(), sorted(manifest.GENERATED), _GLYPHICONS_START]
    digest.update(json.dumps(layout).encode())
    return digest.hexdigest()


def is_up_to_date(dest: Path, wanted: str) -> bool:
    """True when ``dest`` was produced from the same lock and is complete."""
    stamp = dest / STAMP_NAME
    if not stamp.is_file() or stamp.read_text().strip() != wanted:
        return False
    expected = manifest.copied_paths() + sorted(manifest.GENERATED)
    return all((dest / rel).exists() for rel in expected)


def run_npm(workdir: Path) -> Path:
    """Run ``npm ci`` (or ``npm install`` without a lock); return node_modules."""
    npm = shutil.which("npm")
    if npm is None:
        raise InstallError("npm not found on PATH; install Node.js/npm first")
    shutil.copy2(ASSETS_DIR / "package.json", workdir)
    lock = ASSETS_DIR / "package-lock.json"
    if lock.is_file():
        shutil.copy2(lock, workdir)
        verb = "ci"
    else:
        print("warning: no package-lock.json, running npm install", file=sys.stderr)
        verb = "install"
    # --ignore-scripts: none of these packages needs a build step, and it keeps
    # set-up from running third-party code.  --prefer-offline: use npm's cache.
    cmd = [npm, verb, "--no-audit", "--no-fund", "--ignore-scripts", "--prefer-offline"]
    try:
        done = subprocess.run(cmd, cwd=workdir, capture_output=True, text=True, timeout=NPM_TIMEOUT_S)
    except subprocess.TimeoutExpired as exc:
        raise InstallError(f"npm {verb} timed out after {NPM_TIMEOUT_S}s") from exc
    except OSError as exc:
        raise InstallError(f"cannot run npm: {exc}") from exc
    if done.returncode != 0:
        reason = npm_error_summary(done.stderr)
        raise InstallError(f"npm {verb} failed (exit {done.returncode}): {reason}")
    return workdir / "node_modules"


def npm_error_summary(stderr: str) -> str:
    """The most telling line of npm's multi-line error output."""
    messages = [
        line.removeprefix("npm error").strip() for line in stderr.splitlines() if line.startswith("npm error")
    ]
    code = next((m[5:] for m in messages if m.startswith("code ")), "")
    skip = ("code ", "syscall ", "errno ", "path ", "at ", "A complete log", "{", "}")
    detail = next((m for m in messages if m and not m.startswith(skip)), "")
    if not detail:
        tail = stderr.strip().splitlines()
        detail = tail[-1] if tail else "no output"
    return f"{code}: {detail}" if code else detail


def glyphicons_css(bootstrap3_css: str) -> str:
    """Cut the glyphicon rules out of Bootstrap 3 (what netdna's file held).

    The whole Bootstrap 3 stylesheet would fight folium's Bootstrap 5.
    """
    start = bootstrap3_css.find(_GLYPHICONS_START)
    end = bootstrap3_css.find(_GLYPHICONS_END, start)
    if start < 0 or end < 0:
        raise InstallError(f"glyphicon rules not found in {_GLYPHICONS_SOURCE}")
    return bootstrap3_css[start:end].strip() + "\n"


def rotate_css() -> str:
    """The ``fa-rotate-N`` classes folium.Icon(angle=N) relies on.

    folium serves this from its GitHub repo (not npm); it is a plain 0..360
    table, so it is generated rather than vendored.
    """
    rule = ".fa-rotate-{0}{{-ms-transform:rotate({0}deg);"
    rule += "-webkit-transform:rotate({0}deg);transform:rotate({0}deg)}}"
    return "\n".join(rule.format(deg) for deg in range(361)) + "\n"


def populate(node_modules: Path, target: Path) -> None:
    """Copy the manifest's files from node_modules and write generated ones."""
    for rel in manifest.copied_paths():
        source = node_modules / rel
        if not source.exists():
            raise InstallError(f"{rel} missing from the npm packages")
        out = target / rel
        out.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, out)
        else:
            shutil.copy2(source, out)
    generated = {
        "bootstrap3/dist/css/bootstrap-glyphicons.css": glyphicons_css(
            (node_modules / _GLYPHICONS_SOURCE).read_text(encoding="utf-8")
        ),
        "folium/leaflet.awesome.rotate.min.css": rotate_css(),
    }
    if set(generated) != manifest.GENERATED:
        raise InstallError("manifest.GENERATED and install.populate disagree")
    for rel, text in generated.items():
        out = target / rel
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")


def replace_dir(staging: Path, dest: Path) -> None:
    """Swap ``staging`` in for ``dest``; refuse to delete folders we did not make."""
    if dest.exists():
        if not dest.is_dir():
            raise InstallError(f"{dest} exists and is not a directory")
        if any(dest.iterdir()) and not (dest / STAMP_NAME).is_file():
            raise InstallError(f"{dest} is not empty and has no {STAMP_NAME}; not touching it")
        old = dest.with_name(f".{dest.name}.old-{os.getpid()}")
        dest.rename(old)
        try:
            staging.rename(dest)
        except OSError:
            old.rename(dest)
            raise
        shutil.rmtree(old, ignore_errors=True)
    else:
        staging.rename(dest)


def install(dest: Path, force: bool = False) -> bool:
    """Install into ``dest``; return False when it was already up to date."""
    wanted = install_hash()
    if not force and is_up_to_date(dest, wanted):
        return False
    dest.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="map-assets-npm-") as npm_dir:
        node_modules = run_npm(Path(npm_dir))
        # Staging beside dest so the final rename is atomic (same filesystem).
        staging = Path(tempfile.mkdtemp(prefix=f".{dest.name}.new-", dir=dest.parent))
        try:
            populate(node_modules, staging)
            (staging / STAMP_NAME).write_text(wanted + "\n")
            staging.chmod(0o755)
            replace_dir(staging, dest)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return True


def main(argv: list[str] | None = None) -> int:
    """CLI entry point; returns the process exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m dashboard.assets.install", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--dest",
        type=Path,
        default=DEFAULT_DEST,
        help=f"vendor folder inside Streamlit's static/ (default: {DEFAULT_DEST})",
    )
    parser.add_argument("--force", action="store_true", help="reinstall even if up to date")
    args = parser.parse_args(argv)
    dest = args.dest.resolve()
    try:
        changed = install(dest, force=args.force)
    except InstallError as exc:
        print(f"map assets: error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"map assets: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("map assets: interrupted", file=sys.stderr)
        return 2
    print(f"map assets: {'installed into' if changed else 'up to date in'} {dest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
