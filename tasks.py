#!/usr/bin/env python3
"""Bootstrap and run kg's two everyday jobs with nothing but Python 3.11+.

    python3 tasks.py demo   # venv + install, build the corpus graph, write the visualisation, check
    python3 tasks.py test   # venv + install with test extras, run the whole test suite

The virtual environment lives in .venv/ and is reused; it is reinstalled when pyproject.toml changes.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")


def _run(*args: str | Path) -> None:
    print("+", " ".join(str(a) for a in args), flush=True)
    subprocess.run([str(a) for a in args], cwd=ROOT, check=True)


def ensure_venv(extras: str) -> None:
    """Create .venv and install kg (editable) with the given extras, once per pyproject version."""
    if sys.version_info < (3, 11):  # noqa: UP036 -- tasks.py itself may be run by an older python3
        sys.exit(f"kg needs Python 3.11 or newer; this is {sys.version.split()[0]}")
    if not PY.exists():
        venv.EnvBuilder(with_pip=True).create(VENV)
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + extras.encode()).hexdigest()
    stamp = VENV / f".installed-{extras or 'base'}"
    if stamp.exists() and stamp.read_text() == digest:
        return
    _run(PY, "-m", "pip", "install", "--quiet", "-e", f".[{extras}]" if extras else ".")
    stamp.write_text(digest)


def demo() -> None:
    ensure_venv("")
    kg = BIN / "kg"
    _run(kg, "build", "corpus/", "--store", ".kg")
    _run(kg, "viz", "--store", ".kg", "-o", "graph.html")
    # The check report's exit code says whether a citation reached --fail-on; the demo shows it, not fails.
    subprocess.run([str(kg), "check", "corpus/", "--store", ".kg", "--fail-on", "never"], cwd=ROOT)


def test() -> None:
    ensure_venv("test")
    result = subprocess.run([str(PY), "-m", "pytest", "-n", "2", *sys.argv[2:]], cwd=ROOT)
    sys.exit(result.returncode)


if __name__ == "__main__":
    jobs = {"demo": demo, "test": test}
    if len(sys.argv) < 2 or sys.argv[1] not in jobs:
        sys.exit(__doc__)
    jobs[sys.argv[1]]()
