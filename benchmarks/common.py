"""What benchmarks/run.py and benchmarks/scale.py share: a result row and the benchmark registry."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class Row:
    measurement: str
    value: str  # formatted, with its unit
    target: str = ""
    verdict: str = ""  # "ok", "MISSED", "n/a"
    note: str = ""


Benchmark = Callable[[argparse.Namespace], list[Row]]


def registry() -> tuple[list[tuple[str, str, str, Benchmark]], Callable]:
    """A list of (name, title, description, function) and the decorator that appends to it."""
    entries: list[tuple[str, str, str, Benchmark]] = []

    def benchmark(name: str, title: str, describe: str) -> Callable[[Benchmark], Benchmark]:
        """Register a benchmark function `fn(options) -> list[Row]` under a section title."""

        def register(fn: Benchmark) -> Benchmark:
            entries.append((name, title, describe, fn))
            return fn

        return register

    return entries, benchmark
