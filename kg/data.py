"""Where kg's domain data lives: the `ontology/` folder (a checkout) or `kg/_ontology` (a wheel)."""

from __future__ import annotations

from functools import cache
from pathlib import Path


@cache
def ontology_dir() -> Path:
    package = Path(__file__).resolve().parent
    for candidate in (package / "_ontology", package.parent / "ontology"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("kg's ontology/ folder is missing: reinstall kg")


def ontology_file(*parts: str) -> Path:
    return ontology_dir().joinpath(*parts)
