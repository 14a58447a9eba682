"""Benchmarks of kg: prints a table and writes docs/benchmarks.md with the machine it ran on.

    .venv/bin/python benchmarks/run.py            # all benchmarks, writes docs/benchmarks.md
    .venv/bin/python benchmarks/run.py --only startup --no-write

Each benchmark is a function registered with @benchmark that returns rows; add a section by writing
one more. A benchmark whose stage is not available (not written yet, or broken) reports that in its
rows instead of failing the run. Not a test: timings are never asserted in the test suite.
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
import os
import platform
import queue
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run from a checkout without installing

CORPUS = ROOT / "corpus"
REPORT = ROOT / "docs" / "benchmarks.md"
MB = 2**20

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import Row, registry  # noqa: E402


@dataclass
class Section:
    name: str  # for --only
    title: str
    describe: str
    rows: list[Row] = field(default_factory=list)


BENCHMARKS, benchmark = registry()


def _verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def _load_extract() -> tuple[Callable[[str], list] | None, str]:
    """kg.extract.extract, or None and why not (the extractor may not exist yet)."""
    try:
        from kg.extract import extract

        extract("Chỉ thị số 33/CT-TTg ngày 26/11/2021")  # must work once, not just import
    except Exception as error:  # any failure means: not available for benchmarking
        return None, f"extractor not available ({type(error).__name__}: {str(error)[:80]})"
    return extract, ""


# --- (a) throughput --------------------------------------------------------------------------------------


def _replicate_corpus(directory: Path, target_bytes: int) -> int:
    """Copies of corpus/ in directory until they hold target_bytes; returns the bytes written."""
    sources = sorted(CORPUS.glob("*.txt"))
    if not sources:
        raise SystemExit(f"no corpus at {CORPUS}")
    written, copy = 0, 0
    while written < target_bytes:
        for source in sources:
            shutil.copyfile(source, directory / f"{copy:05d}_{source.name}")
            written += source.stat().st_size
        copy += 1
    return written


@benchmark(
    "throughput",
    "Ingest and extraction throughput (one core)",
    "corpus/ copied until it holds the given size, read with `kg.ingest.iter_documents` and every text "
    "given to `kg.extract.extract`, in one process. Rates per wall-clock second and per CPU second (the "
    "latter does not count time spent waiting for a busy machine). Target: at least 20 MB/s for ingest + "
    "extract per CPU second.",
)
def throughput(options: argparse.Namespace) -> list[Row]:
    from kg.ingest import iter_documents
    from kg.models import SourceDocument

    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as scratch:
        size = _replicate_corpus(Path(scratch), int(options.size_mb * MB))
        files = len(os.listdir(scratch))
        started, cpu_started = time.perf_counter(), time.process_time()
        texts = [d.text for d in iter_documents([scratch]) if isinstance(d, SourceDocument)]
        ingest_seconds = time.perf_counter() - started
        ingest_cpu = time.process_time() - cpu_started
    megabytes = size / MB
    label = f"{megabytes:.0f} MB in {files} files"
    rows.append(Row(f"ingest only ({label})", _rates(megabytes, ingest_seconds, ingest_cpu)))
    extract, why = _load_extract()
    if extract is None:
        rows.append(Row("ingest + extract", "—", ">= 20 MB/s", "n/a", why))
        return rows
    started, cpu_started = time.perf_counter(), time.process_time()
    citations = sum(len(extract(text)) for text in texts)
    extract_seconds = time.perf_counter() - started
    extract_cpu = time.process_time() - cpu_started
    extract_rates = _rates(megabytes, extract_seconds, extract_cpu)
    rows.append(Row("extract only", extract_rates, note=f"{citations} citations"))
    wall, cpu = ingest_seconds + extract_seconds, ingest_cpu + extract_cpu
    verdict = _verdict(megabytes / cpu >= 20)
    both = _rates(megabytes, wall, cpu)
    rows.append(Row("ingest + extract", both, ">= 20 MB/s CPU", verdict, f"{wall:.1f} s"))
    return rows


def _rates(megabytes: float, wall: float, cpu: float) -> str:
    return f"{megabytes / wall:.1f} MB/s wall, {megabytes / max(cpu, 1e-9):.1f} MB/s CPU"


@benchmark(
    "formats",
    "Ingest by format (one core)",
    "`kg.ingest.read_document` on generated files of each kind, best of 3 reads. The PDF and .docx are "
    "built with the test helpers (fpdf2 with DejaVu Sans, python-docx); the legacy encodings decode the "
    "same text as the UTF-8 row.",
)
def formats(options: argparse.Namespace) -> list[Row]:
    sys.path.insert(0, str(ROOT / "tests"))
    import fixtures_gen as make

    from kg.ingest import read_document

    paragraph = make.VIETNAMESE + "\n"
    text = _normal_text(4 * MB)
    tcvn3 = (make.TCVN3_SAMPLE * 4000).encode("latin-1")
    cases: list[tuple[str, Callable[[Path], Path], str]] = [
        ("4 MB .txt, UTF-8", lambda d: _write(d / "u.txt", text.encode()), "MB"),
        ("4 MB .txt, UTF-16 without BOM", lambda d: _write(d / "w.txt", text.encode("utf-16-le")), "MB"),
        ("4 MB .txt, Windows-1258", lambda d: _write(d / "c.txt", make.to_cp1258(text)), "MB"),
        ("1 MB .txt, TCVN3", lambda d: _write(d / "t.txt", tcvn3), "MB"),
        (".docx, 2 000 paragraphs", lambda d: make.write_docx(d / "p.docx", [paragraph] * 2000), "paras"),
        (".pdf, 50 pages", lambda d: make.write_pdf(d / "p.pdf", [paragraph * 12] * 50), "pages"),
    ]
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        for label, build, unit in cases:
            path = build(Path(scratch))
            best = min(_timed(read_document, path) for _ in range(3))
            if unit in _COUNTS:
                rate = f"{_COUNTS[unit] / best:,.0f} {unit}/s"
            else:
                rate = f"{path.stat().st_size / MB / best:.1f} MB/s"
            note = f"{best * 1000:.0f} ms, {path.stat().st_size / MB:.2f} MB file"
            rows.append(Row(label, rate, note=note))
    return rows


_COUNTS = {"pages": 50, "paras": 2000}


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _timed(fn: Callable, *args: object) -> float:
    started = time.perf_counter()
    fn(*args)
    return time.perf_counter() - started


# --- (b) start-up ----------------------------------------------------------------------------------------


def _kg_command() -> str | None:
    for candidate in (ROOT / ".venv" / "bin" / "kg", Path(sys.executable).parent / "kg"):
        if candidate.exists():
            return str(candidate)
    return shutil.which("kg")


@benchmark(
    "startup",
    "Command start-up",
    "Wall time of `kg --help` in a fresh process (median of the runs; the first run warms the disk cache "
    "and is not counted), and the CPU time it used. Target: under 0.3 s wall.",
)
def startup(options: argparse.Namespace) -> list[Row]:
    command = _kg_command()
    if command is None:
        return [Row("kg --help", "—", "< 0.3 s", "n/a", "no kg executable: run `pip install -e .` first")]
    times, cpu_times = [], []
    for run in range(options.runs + 1):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        done = subprocess.run([command, "--help"], capture_output=True, check=False)
        elapsed = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        if done.returncode != 0:
            failure = f"exit {done.returncode}: {done.stderr[-200:]!r}"
            return [Row("kg --help", "—", "< 0.3 s", "MISSED", failure)]
        if run:
            times.append(elapsed)
            cpu_times.append(cpu)
    median = statistics.median(times)
    return [
        Row(
            f"kg --help (median of {len(times)})",
            f"{median:.3f} s",
            "< 0.3 s",
            _verdict(median < 0.3),
            f"min {min(times):.3f} s, max {max(times):.3f} s; CPU {statistics.median(cpu_times):.3f} s",
        )
    ]


# --- (c) adversarial inputs ------------------------------------------------------------------------------


def _normal_text(size: int) -> str:
    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt")))
    return (text * (size // len(text.encode()) + 1))[:size]


def _adversarial_inputs(size: int) -> dict[str, str]:
    normal = _normal_text(size)
    return {
        "normal text (corpus)": normal,
        "1 MB without newlines": normal.replace("\n", " "),
        "long digit runs": ("1234567890" * 50 + " ") * (size // 501),
        '"số số số …"': "số " * (size // 5),
        "many slashes": ("/" * 100 + "CT-TTg" + "/" * 100 + " ") * (size // 207),
        '"33/" and "/TTg" fragments': "33/ /CT- số 33/CT /TTg ngày " * (size // 30),
        "type words without numbers": "Quyết định Nghị định Chỉ thị Thông tư Luật " * (size // 50),
        **_kept_worst_cases(size),
    }


ADVERSARIAL_CASES = ROOT / "tests" / "cases" / "adversarial"


def _kept_worst_cases(size: int) -> dict[str, str]:
    """The worst inputs fuzzing found (tests/cases/adversarial/, reliability engineer), repeated to `size`."""
    cases = {}
    for case in sorted(ADVERSARIAL_CASES.glob("*.txt")):
        sample = case.read_text(encoding="utf-8")
        cases[f"kept case {case.stem}"] = (sample * (size // len(sample.encode()) + 1))[:size]
    return cases


_REPEATS = 2


def _time_extract(text: str, results: multiprocessing.Queue) -> None:
    extract, why = _load_extract()
    if extract is None:
        results.put((None, why))
        return
    best = float("inf")
    for _ in range(_REPEATS):  # the best of a few runs: less noise from other processes
        started = time.process_time()  # CPU time: a busy machine does not inflate it
        try:
            found = extract(text)
        except Exception as error:  # reported as a missed target, with the reason
            results.put((None, f"extract failed: {type(error).__name__}: {str(error)[:80]}"))
            return
        best = min(best, time.process_time() - started)
    per_citation = f", {best / len(found) * 1e6:.0f} us per citation" if found else ""
    results.put((best, f"{len(found)} citations{per_citation}; CPU time, best of {_REPEATS}"))


def _extract_seconds(text: str, timeout: float) -> tuple[float | None, str]:
    """Extraction time in a child process, so that a catastrophic case is stopped after `timeout`."""
    results: multiprocessing.Queue = multiprocessing.Queue()
    child = multiprocessing.Process(target=_time_extract, args=(text, results))
    child.start()
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            try:
                return results.get(timeout=0.5)
            except queue.Empty:
                if not child.is_alive() and results.empty():
                    return None, f"the extracting process died (exit code {child.exitcode})"
        return None, f"timed out after {timeout:.0f} s"
    finally:
        if child.is_alive():
            child.kill()
        child.join()


@benchmark(
    "adversarial",
    "Extractor worst case",
    "`kg.extract.extract` time per MB on 1 MB inputs built to provoke regex backtracking, compared with "
    "normal text. Each runs in its own process with a time limit. Target: no input slower than 5x normal.",
)
def adversarial(options: argparse.Namespace) -> list[Row]:
    rows: list[Row] = []
    baseline: float | None = None
    for name, text in _adversarial_inputs(MB).items():
        megabytes = len(text.encode()) / MB
        seconds, note = _extract_seconds(text, options.timeout)
        if seconds is None:
            verdict = "n/a" if "not available" in note else "MISSED"
            rows.append(Row(name, "—", "<= 5x normal", verdict, note))
            if verdict == "n/a":
                return rows
            continue
        per_mb = seconds / megabytes
        if baseline is None:
            baseline = per_mb
            rows.append(Row(name, f"{per_mb * 1000:.0f} ms/MB", "baseline", "", note))
            continue
        ratio = per_mb / baseline
        value = f"{per_mb * 1000:.0f} ms/MB ({ratio:.1f}x)"
        rows.append(Row(name, value, "<= 5x normal", _verdict(ratio <= 5), note))
    return rows


# --- scale (benchmarks/scale.py: synthetic corpora; opt-in with --scales) -----------------------------------

sys.path.insert(0, str(Path(__file__).resolve().parent))
import scale  # noqa: E402

SCALE_SECTIONS = {name for name, *_ in scale.BENCHMARKS}
BENCHMARKS += scale.BENCHMARKS


# --- report ----------------------------------------------------------------------------------------------


def machine() -> dict[str, str]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    commit = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
    ).stdout.strip()
    return {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "CPU": cpu,
        "cores": str(os.cpu_count()),
        "Python": platform.python_version(),
        "OS": f"{platform.system()} {platform.release()}",
        "load average at the end (1, 5, 15 min)": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        "commit": commit or "unknown",
    }


def markdown(info: dict[str, str], sections: list[Section]) -> str:
    lines = [
        "# Benchmarks",
        "",
        "Written by `benchmarks/run.py` (do not edit by hand: run `.venv/bin/python benchmarks/run.py`).",
        "Timings are of one run on the machine below; expect ±20 % between runs.",
        "",
        "| machine | |",
        "|---|---|",
        *[f"| {key} | {value} |" for key, value in info.items()],
    ]
    for section in sections:
        lines += ["", f"## {section.title}", "", section.describe, ""]
        lines += ["| measurement | value | target | verdict | note |", "|---|---|---|---|---|"]
        for r in section.rows:
            lines.append(f"| {r.measurement} | {r.value} | {r.target} | {r.verdict} | {r.note} |")
    return "\n".join(lines) + "\n"


def kept_sections(previous: str, run_titles: set[str]) -> str:
    """The sections of an earlier report that this run did not produce, each saying when it ran."""
    head, *blocks = previous.split("\n## ")
    dates = [line.split("|")[2].strip() for line in head.splitlines() if line.startswith("| date |")]
    date = dates[0] if dates else "?"
    kept = []
    for block in blocks:
        title, _, body = block.partition("\n")
        if title.strip() in run_titles:
            continue
        body = body.lstrip("\n")
        if not body.startswith("_From an earlier run"):  # the first keep names the run that made it
            body = f"_From an earlier run ({date})._\n\n" + body
        kept.append(f"\n## {title}\n{body.rstrip()}\n")
    return "".join(kept)


def plain(sections: list[Section]) -> str:
    lines = []
    for section in sections:
        lines += ["", section.title, "-" * len(section.title)]
        for r in section.rows:
            lines.append(f"  {r.measurement:<42} {r.value:>22}  {r.target:<14} {r.verdict:<7} {r.note}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", action="append", choices=[b[0] for b in BENCHMARKS], help="run only these")
    parser.add_argument("--size-mb", type=float, default=50, help="corpus size for throughput (default 50)")
    parser.add_argument("--runs", type=int, default=10, help="start-up runs (default 10)")
    parser.add_argument("--timeout", type=float, default=120, help="seconds per adversarial input")
    parser.add_argument("--no-write", action="store_true", help="print only, leave docs/benchmarks.md alone")
    scale.add_arguments(parser)
    options = parser.parse_args(argv)
    sections = []
    for name, title, describe, fn in BENCHMARKS:
        if options.only and name not in options.only:
            continue
        if name in SCALE_SECTIONS and not options.scales:
            continue  # minutes to hours: only with --scales
        print(f"running {name} …", file=sys.stderr, flush=True)
        sections.append(Section(name, title, describe, fn(options)))
    info = machine()
    print(" · ".join(f"{k}: {v}" for k, v in info.items()))
    print(plain(sections))
    if not options.no_write:
        report = markdown(info, sections)
        if REPORT.exists():  # sections not run this time stay, marked with the date of their run
            report += kept_sections(REPORT.read_text(encoding="utf-8"), {s.title for s in sections})
        REPORT.write_text(report, encoding="utf-8")
        print(f"\nwrote {REPORT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
