"""Coverage-guided fuzzing of the extractor with atheris (optional: not run by pytest, not a dependency).

    .venv/bin/pip install atheris
    .venv/bin/python tests/fuzz_atheris.py -max_total_time=60            # stop after a minute
    .venv/bin/python tests/fuzz_atheris.py -max_total_time=60 -timeout=5  # and report any input over 5 s

Checks what tests/test_fuzz.py checks: no exception, text[start:end] == citation.text. Inputs start from
corpus/ and tests/cases/adversarial/ when they are given as corpus folders (atheris mutates their bytes).
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports():
    from kg.extract import extract


def check(data: bytes) -> None:
    text = atheris.FuzzedDataProvider(data).ConsumeUnicodeNoSurrogates(len(data))
    for citation in extract(text):
        if text[citation.start : citation.end] != citation.text:
            raise AssertionError(f"offsets do not hold: {citation}")


if __name__ == "__main__":
    atheris.Setup(sys.argv, check)
    atheris.Fuzz()
