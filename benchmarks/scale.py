"""Scale benchmarks on synthetic corpora (benchmarks/synth.py), registered in benchmarks/run.py.

    .venv/bin/python benchmarks/run.py --only extraction --only build --only queries --only check \
        --only viz --only growth --scales 1000,10000

Each build runs in a subprocess (`python benchmarks/scale.py build-child CORPUS STORE JOBS`): its wall
and CPU time (the child and its joined workers) are those of the build call, read in the child before it
counts the quads of the new store, and its peak memory is the largest total proportional set size (PSS) of
its process tree, sampled from this process every 0.25 s (ru_maxrss of the build process and of its
workers is kept beside it). Corpora and stores are kept under --work (default /tmp/kg-bench) and reused
when they already exist.
Not a test: timings are never asserted in the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import synth  # noqa: E402
from common import Row, registry  # noqa: E402

MB = 2**20


@dataclass
class BuildRun:
    docs: int
    jobs: int
    seconds: float  # wall
    cpu: float  # user + sys of the build process and its workers
    stages: dict[str, float]  # read (ingest + extract), resolve, write: wall seconds
    peak_main_mb: float  # ru_maxrss of the build process
    peak_worker_mb: float  # the largest ru_maxrss of its workers
    quads: int
    store_mb: float
    documents: int  # document nodes
    citations: int
    megabytes: float  # corpus size
    peak_pss_mb: float = -1.0  # the largest total PSS of the build's process tree (-1: not measured)


@dataclass
class State:
    """What one benchmark run learned, shared by the sections (build feeds queries and growth)."""

    builds: list[BuildRun] = field(default_factory=list)
    queries: dict[int, dict[str, tuple[float, float, float | None, float | None]]] = field(
        default_factory=dict
    )
    extraction: dict[int, float] = field(default_factory=dict)
    check: dict[str, float] = field(default_factory=dict)


STATE = State()
BENCHMARKS, benchmark = registry()


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--scales",
        default="",
        help="synthetic corpus sizes in documents, e.g. 1000,10000; the scale sections run only with it",
    )
    parser.add_argument(
        "--jobs-compare",
        type=int,
        default=10000,
        help="largest scale at which the build also runs with --jobs 1 (default 10000)",
    )
    parser.add_argument(
        "--rdflib-max",
        type=int,
        default=10000,
        help="largest scale at which queries also run on in-memory rdflib (default 10000)",
    )
    parser.add_argument(
        "--work",
        default=str(Path(tempfile.gettempdir()) / "kg-bench"),
        help="folder for synthetic corpora and stores (kept between runs)",
    )
    parser.add_argument(
        "--reuse-builds",
        action="store_true",
        help="take build results saved by an earlier run (--work/build-N-jJ.json) instead of building again",
    )
    parser.add_argument(
        "--query-timeout", type=float, default=120, help="seconds per named query and engine (default 120)"
    )
    parser.add_argument("--query-runs", type=int, default=20, help="runs per named query (default 20)")


def _scales(options: argparse.Namespace) -> list[int]:
    return sorted(int(s) for s in str(options.scales).split(",") if s.strip())


def _verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def _corpus(options: argparse.Namespace, docs: int) -> Path:
    """The synthetic corpus of `docs` documents (seed 1), generated once."""
    folder = Path(options.work) / f"synth-{docs}"
    if not (folder / ".truth.jsonl").exists() or not (folder / ".done").exists():
        shutil.rmtree(folder, ignore_errors=True)
        for _ in synth.generate(docs, seed=1, out=folder):
            pass
        (folder / ".done").write_text("ok\n")
    return folder


def _size_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / MB


def _kg() -> str:
    candidate = Path(sys.executable).parent / "kg"
    return str(candidate) if candidate.exists() else "kg"


# --------------------------------------------------------------------------------- extraction


@benchmark(
    "extraction",
    "Extraction throughput on a synthetic corpus (one core)",
    "`kg.extract.extract` over every text of the synthetic corpus at the smallest scale, texts already in "
    "memory, one process. Recall and precision compare the extracted citations with those the generator "
    "planted (benchmarks/synth.py). Target: at least 20 MB/s per core.",
)
def extraction(options: argparse.Namespace) -> list[Row]:
    from kg.extract import extract

    docs = _scales(options)[0]
    folder = _corpus(options, docs)
    files = sorted(p for p in folder.rglob("*.txt"))
    texts = [p.read_text(encoding="utf-8") for p in files]
    size = sum(len(t.encode()) for t in texts) / MB
    extract(texts[0])  # load the grammar outside the clock
    started = time.process_time()
    found = sum(len(extract(t)) for t in texts)
    seconds = time.process_time() - started
    speed = size / seconds
    STATE.extraction[docs] = speed
    score = synth.score(folder)
    return [
        Row(
            f"extract, {docs} documents ({size:.1f} MB)",
            f"{speed:.2f} MB/s",
            ">= 20 MB/s",
            _verdict(speed >= 20),
            f"{seconds:.1f} s CPU, {found} citations, {seconds / docs * 1000:.1f} ms per document",
        ),
        Row(
            "planted citations found (recall)",
            f"{score.recall:.4f}",
            ">= 0.95",
            _verdict(score.recall >= 0.95),
            f"{score.matched} of {score.planted}",
        ),
        Row(
            "found citations planted (precision)",
            f"{score.precision:.4f}",
            ">= 0.95",
            _verdict(score.precision >= 0.95),
            f"{score.found} found",
        ),
    ]


# --------------------------------------------------------------------------------- build


def build_child(corpus: str, store: str, jobs: int) -> None:
    """Run in the subprocess: build, then print what happened as one JSON line."""
    from kg.store import EmbeddedStore, build

    started = time.perf_counter()
    marks: dict[str, float] = {}

    def progress(stage: str, done: int, total: int) -> None:
        now = time.perf_counter() - started
        marks.setdefault(f"{stage}_first", now)
        marks[f"{stage}_last"] = now

    report = build([corpus], store=store, jobs=jobs, progress=progress)
    seconds = time.perf_counter() - started
    # The build's CPU (this process and its joined workers), before the quads are counted below
    usages = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    cpu = sum(usage.ru_utime + usage.ru_stime for usage in usages)
    with EmbeddedStore(store, read_only=True) as opened:
        quads = len(opened)
    stages = {
        "read": marks.get("read_last", 0.0),
        "resolve": marks.get("write_first", 0.0) - marks.get("read_last", 0.0),
        "write": marks.get("write_last", 0.0) - marks.get("write_first", 0.0),
    }
    print(
        json.dumps(
            {
                "seconds": seconds,
                "cpu": cpu,
                "stages": stages,
                "quads": quads,
                "documents": report.documents,
                "citations": report.citations,
                "failed": len(report.failed),
                "peak_main_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                "peak_worker_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
            }
        )
    )


def _build(options: argparse.Namespace, docs: int, jobs: int) -> BuildRun:
    """Build in a subprocess; with --reuse-builds, the result of an earlier build of the same store."""
    saved = Path(options.work) / f"build-{docs}-j{jobs}.json"
    if options.reuse_builds and saved.exists():
        return BuildRun(**json.loads(saved.read_text()))
    run = _run_build(options, docs, jobs)
    saved.write_text(json.dumps(asdict(run)))
    return run


def _process_tree(root: int) -> list[int]:
    """`root` and all its descendants, from /proc/*/stat."""
    children: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat") as stat:
                    parent = int(stat.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):  # ended meanwhile
                continue
            children.setdefault(parent, []).append(int(name))
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo += children.get(pid, [])
    return tree


def _pss_kb(pid: int) -> int:
    """The proportional set size of one process: each page shared by n processes counts 1/n."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError):  # ended meanwhile
        pass
    return 0


class _PssSampler:
    """The peak of the total PSS of a process tree, sampled every `interval` seconds in a thread. PSS,
    unlike RSS summed over processes, counts the pages a forked worker shares with its parent once."""

    def __init__(self, root: int, interval: float = 0.25):
        self.root, self.interval, self.peak_kb = root, interval, -1
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak_kb = max(self.peak_kb, sum(_pss_kb(pid) for pid in _process_tree(self.root)))
            self._stop.wait(self.interval)

    def __enter__(self) -> _PssSampler:
        if Path(f"/proc/{os.getpid()}/smaps_rollup").exists():  # Linux 4.14+; else not measured (-1)
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()


def _run_build(options: argparse.Namespace, docs: int, jobs: int) -> BuildRun:
    corpus = _corpus(options, docs)
    store = Path(options.work) / f"store-{docs}-j{jobs}"
    shutil.rmtree(store, ignore_errors=True)
    command = [sys.executable, __file__, "build-child", str(corpus), str(store), str(jobs)]
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    with _PssSampler(child.pid) as sampler:
        output = child.stdout.read() if child.stdout else ""
        _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise RuntimeError(f"build of {docs} documents failed (exit {child.returncode})")
    data = json.loads(output.strip().splitlines()[-1])
    # The build call's own time and CPU: counting the quads afterwards (15 s at 100k) is not the build's
    return BuildRun(
        docs,
        jobs,
        data.get("seconds", seconds),
        data.get("cpu", usage.ru_utime + usage.ru_stime),
        data["stages"],
        data["peak_main_mb"],
        data["peak_worker_mb"],
        data["quads"],
        _size_mb(store),
        data["documents"],
        data["citations"],
        _size_mb(corpus) - (corpus / ".truth.jsonl").stat().st_size / MB,
        sampler.peak_kb / 1024 if sampler.peak_kb >= 0 else -1.0,
    )


def _peak_mb(run: BuildRun) -> float:
    """The build's peak memory: the PSS of its process tree, else (an older saved run) the summed RSS."""
    if run.peak_pss_mb >= 0:
        return run.peak_pss_mb
    return run.peak_main_mb + run.jobs * run.peak_worker_mb if run.jobs > 1 else run.peak_main_mb


def store_path(options: argparse.Namespace, docs: int) -> Path:
    return Path(options.work) / f"store-{docs}-j2"


@benchmark(
    "build",
    "Build at scale (kg build --jobs 2, synthetic corpora)",
    "Each build runs in a fresh subprocess on an empty store: wall time, CPU time (build process and its "
    "workers), stage times (read = ingest + extract in the workers; resolve = the corpus pass in the main "
    "process; write = from the first batch loaded to the last: file graphs made in the workers, "
    "graph:summary and the node graphs made in a thread of the main process, loading by two loader threads "
    "beside them), peak memory, store size on disk. Peak memory is the "
    "largest total proportional set size (PSS, /proc/PID/smaps_rollup) of the build's process tree, "
    "sampled every 0.25 s by the benchmark: a page shared by n processes counts 1/n, so the pages the "
    "forked workers share with the main process count once, as they use RAM once. The note gives beside "
    "it the peak resident sets (ru_maxrss) of the main process and of the largest worker and their sum, "
    "which counts shared pages once per process and overstates the memory used; a sample every 0.25 s can "
    "miss a shorter peak. At the --jobs-compare scale and below the build also runs with --jobs 1 for the "
    "speed-up. Targets at 100,000 documents: under 10 minutes, peak memory under 4 GB.",
)
def build_rows(options: argparse.Namespace) -> list[Row]:
    rows: list[Row] = []
    for docs in _scales(options):
        runs = [_build(options, docs, 2)]
        if docs <= options.jobs_compare:
            runs.append(_build(options, docs, 1))
        STATE.builds += runs
        for run in runs:
            label = f"{docs:,} docs, jobs={run.jobs}"
            stages = ", ".join(f"{k} {v:.0f} s" for k, v in run.stages.items())
            rows.append(
                Row(
                    f"{label}: time",
                    f"{run.seconds:.1f} s",
                    "< 600 s at 100k" if docs >= 100_000 else "",
                    _verdict(run.seconds < 600) if docs >= 100_000 else "",
                    (f"{run.cpu:.0f} s CPU" if run.cpu >= 0 else "CPU not measured")
                    + f"; {stages}; {run.megabytes:.0f} MB of text",
                )
            )
            rows.append(
                Row(
                    f"{label}: documents/s",
                    f"{docs / run.seconds:.1f}",
                    note=f"{run.documents:,} document nodes, {run.citations:,} citations",
                )
            )
            rows.append(
                Row(f"{label}: triples/s", f"{run.quads / run.seconds:,.0f}", note=f"{run.quads:,} quads")
            )
            peak = _peak_mb(run)
            summed = run.peak_main_mb + run.jobs * run.peak_worker_mb if run.jobs > 1 else run.peak_main_mb
            rss = (f"main {run.peak_main_mb:,.0f} MB + {run.jobs} x worker {run.peak_worker_mb:,.0f} MB = "
                   f"{summed:,.0f} MB" if run.jobs > 1 else f"{run.peak_main_mb:,.0f} MB, one process")
            rows.append(
                Row(
                    f"{label}: peak memory" + (" (PSS of the process tree)" if run.peak_pss_mb >= 0 else ""),
                    f"{peak:,.0f} MB",
                    "< 4 GB at 100k" if docs >= 100_000 else "",
                    _verdict(peak < 4096) if docs >= 100_000 else "",
                    f"summed peak RSS: {rss}" if run.peak_pss_mb >= 0 else f"summed peak RSS (no PSS): {rss}",
                )
            )
            rows.append(
                Row(
                    f"{label}: store size",
                    f"{run.store_mb:,.0f} MB",
                    note=f"{run.store_mb * 1024 / docs:.0f} KB per document",
                )
            )
        if len(runs) == 2:
            speedup = runs[1].seconds / runs[0].seconds
            read_speedup = runs[1].stages["read"] / max(runs[0].stages["read"], 1e-9)
            rows.append(
                Row(
                    f"{docs:,} docs: speed-up jobs=2 vs jobs=1",
                    f"{speedup:.2f}x",
                    note=f"read stage (ingest + extract) {read_speedup:.2f}x",
                )
            )
    return rows


# --------------------------------------------------------------------------------- queries


def _percentiles(times: list[float]) -> tuple[float, float]:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered), p95


def _hub(path: Path) -> str:
    """The most cited document's id (the default `document` of the named queries), counted directly:
    the most-cited query itself may be too slow to serve as a parameter finder."""
    from collections import Counter

    import pyoxigraph as ox

    from kg import vocab

    store = ox.Store.read_only(str(path))
    cited = Counter(
        q.object for q in store.quads_for_pattern(None, ox.NamedNode(vocab.KG + "citedDocument"), None)
    )
    top = cited.most_common(1)[0][0]
    ids = [q.object.value for q in store.quads_for_pattern(top, ox.NamedNode(vocab.ELI + "id_local"), None)]
    return sorted(ids)[0] if ids else top.value


def _query_params(named: object, hub: str) -> dict[str, object]:
    """Required parameters: the hub for a document, a fixed day for a date (in-force-on)."""
    required = [p for p in named.params if p.default is None and not p.optional]  # type: ignore[attr-defined]
    return {p.name: "2024-01-01" if p.type == "date" else hub for p in required}


def query_child(engine: str, data: str, name: str, hub: str, runs: int, budget: float) -> None:
    """Run in a subprocess: time one named query on the store at `data` (oxigraph) or on the N-Quads
    file `data` loaded into rdflib; print {"times": […], "rows": n, "load": s} as one JSON line."""
    from kg.query import bind_named, execute, missing_prefixes, named_query

    named = named_query(name)
    bound = bind_named(named, _query_params(named, hub))
    started = time.perf_counter()
    if engine == "oxigraph":
        from kg.store import EmbeddedStore

        store = EmbeddedStore(data, read_only=True)

        def run() -> int:
            return len(execute(store, named.sparql, bound).rows)
    else:
        import rdflib

        from kg.query import python_term, with_limit, with_values

        dataset = rdflib.Dataset(default_union=True)
        dataset.parse(data, format="nquads")
        # The very text kg.query.execute gives Oxigraph: the limit written in, the other parameters in a
        # VALUES block (rdflib's initBindings neither reaches a sub-select nor writes a LIMIT).
        terms = {k: python_term(v) for k, v in bound.items()}
        text = with_limit(named.sparql, terms)
        text = with_values(text, terms) if terms else text
        sparql = missing_prefixes(text) + text

        def run() -> int:
            return len(list(dataset.query(sparql)))

    load = time.perf_counter() - started
    times: list[float] = []
    count = 0
    while len(times) < runs and (sum(times) < budget or len(times) < 3):
        started = time.perf_counter()
        count = run()
        times.append(time.perf_counter() - started)
        print(json.dumps({"times": times, "rows": count, "load": load}), flush=True)


def _time_query(engine: str, data: Path, name: str, hub: str, runs: int, timeout: float) -> dict | None:
    """The last JSON line of a query child: whatever runs finished within `timeout` seconds."""
    command = [
        sys.executable,
        __file__,
        "query-child",
        engine,
        str(data),
        name,
        hub,
        str(runs),
        str(timeout / 3),
    ]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
        output = done.stdout
    except subprocess.TimeoutExpired as expired:
        output = expired.stdout.decode() if isinstance(expired.stdout, bytes) else (expired.stdout or "")
    lines = [line for line in output.splitlines() if line.startswith("{")]
    return json.loads(lines[-1]) if lines else None


def _ms(seconds: float) -> str:
    if seconds == float("inf"):
        return "no run within the time limit"
    return f"{seconds * 1000:,.0f} ms" if seconds < 10 else f"{seconds:,.0f} s"


@benchmark(
    "queries",
    "Named queries: embedded Oxigraph store vs in-memory rdflib",
    "Every named query of ontology/queries/ with its default parameters (a required `document` is the most "
    "cited document of the corpus, the hardest case), on the embedded store built by the build benchmark "
    "(read-only) and, on the same data, on rdflib: the store's N-Quads export loaded into "
    "`rdflib.Dataset(default_union=True)`. Each engine and query runs in its own process with a time limit "
    "(--query-timeout): up to --query-runs runs, at least 3 unless the limit stops them; a query that "
    "finishes no run within the limit is reported as `> limit`. "
    "Targets at 100,000 documents: p50 under 300 ms, at least 10x faster than rdflib.",
)
def queries(options: argparse.Namespace) -> list[Row]:
    from kg.query import load_named_queries
    from kg.store import EmbeddedStore

    rows: list[Row] = []
    names = sorted(load_named_queries())
    limit = options.query_timeout
    for docs in _scales(options):
        path = store_path(options, docs)
        if not path.exists():
            rows.append(
                Row(f"{docs:,} docs", "—", verdict="n/a", note="no store: run the build benchmark first")
            )
            continue
        hub = _hub(path)
        nquads_file = Path(options.work) / f"store-{docs}.nq"
        if docs <= options.rdflib_max:  # always from this store: one left by an older build would differ
            with EmbeddedStore(path, read_only=True) as store:
                nquads_file.write_bytes(store.dump("nq"))
        big = docs >= 100_000
        for name in names:
            ox_result = _time_query("oxigraph", path, name, hub, options.query_runs, limit)
            rdf_result = (
                _time_query("rdflib", nquads_file, name, hub, options.query_runs, limit)
                if docs <= options.rdflib_max
                else None
            )
            target = "< 300 ms, >= 10x rdflib" if big else ""
            if ox_result is None:
                rows.append(
                    Row(
                        f"{docs:,} docs: {name} (document {hub})",
                        f"> {limit:.0f} s",
                        target,
                        "MISSED" if big else "",
                        "no run finished within the limit",
                    )
                )
                STATE.queries.setdefault(docs, {})[name] = (float("inf"), float("inf"), None, None)
                continue
            p50, p95 = _percentiles(ox_result["times"])
            note = f"{ox_result['rows']} rows; p95 {_ms(p95)}; {len(ox_result['times'])} runs"
            verdict = _verdict(p50 < 0.3) if big else ""
            r50 = None
            if rdf_result is not None:
                r50, r95 = _percentiles(rdf_result["times"])
                note += f"; rdflib p50 {_ms(r50)}, p95 {_ms(r95)} ({r50 / p50:,.1f}x slower)"
                if rdf_result["rows"] != ox_result["rows"]:
                    note += f", {rdf_result['rows']} rows"
            elif docs <= options.rdflib_max:
                note += f"; rdflib: no run within {limit:.0f} s (> {limit / p50:,.0f}x slower)"
            rows.append(Row(f"{docs:,} docs: {name}", f"p50 {_ms(p50)}", target, verdict, note))
            STATE.queries.setdefault(docs, {})[name] = (p50, p95, r50, None)
        if docs > options.rdflib_max:
            rows.append(
                Row(
                    f"{docs:,} docs: rdflib",
                    "not run",
                    verdict="n/a",
                    note=f"above --rdflib-max {options.rdflib_max}",
                )
            )
    return rows


# --------------------------------------------------------------------------------- check and viz


def _wall(command: list[str], runs: int, timeout: float = 300) -> tuple[float, float, int]:
    """Median and worst wall time of `command` over `runs` runs after a warm-up; -9: timed out."""
    times, code = [], 0
    for run in range(runs + 1):
        started = time.perf_counter()
        try:
            code = subprocess.run(command, capture_output=True, check=False, timeout=timeout).returncode
        except subprocess.TimeoutExpired:
            return timeout, timeout, -9
        if run:  # the first run warms the disk cache
            times.append(time.perf_counter() - started)
    return statistics.median(times), max(times), code


@benchmark(
    "check",
    "kg check of one document, end to end",
    "`kg check FILE` in a fresh process (start-up included), on one synthetic document, without a store and "
    "with the largest store built; median of 5 runs after a warm-up. Exit code 1 only means a citation "
    "reached --fail-on. Target: under 1 s.",
)
def check(options: argparse.Namespace) -> list[Row]:
    docs = _scales(options)[0]
    document = str(sorted(_corpus(options, docs).rglob("*.txt"))[docs // 2])
    rows = []
    largest = max((d for d in _scales(options) if store_path(options, d).exists()), default=None)
    variants: list[tuple[str, list[str]]] = [("no store", [])]
    if largest:
        variants.append((f"store of {largest:,} docs", ["--store", str(store_path(options, largest))]))
    for label, extra in variants:
        median, worst, code = _wall([_kg(), "check", document, *extra, "--fail-on", "never"], 5)
        ok = code == 0
        STATE.check[label] = median
        rows.append(
            Row(
                f"kg check, {label}",
                f"{median:.2f} s",
                "< 1 s",
                _verdict(median < 1 and ok),
                f"max {worst:.2f} s; exit {code}",
            )
        )
    return rows


@benchmark(
    "viz",
    "kg viz of a 1,500-node view",
    "`kg viz --max-nodes 1500` in a fresh process on the largest store built, HTML output; median of 3 runs "
    "after a warm-up.",
)
def viz(options: argparse.Namespace) -> list[Row]:
    largest = max((d for d in _scales(options) if store_path(options, d).exists()), default=None)
    if largest is None:
        return [Row("kg viz", "—", verdict="n/a", note="no store: run the build benchmark first")]
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "graph.html"
        command = [
            _kg(),
            "viz",
            "--store",
            str(store_path(options, largest)),
            "--max-nodes",
            "1500",
            "-o",
            str(out),
        ]
        median, worst, code = _wall(command, 3)
        size = out.stat().st_size / MB if out.exists() else 0
    return [
        Row(
            f"kg viz, store of {largest:,} docs",
            f"{median:.2f} s",
            verdict="" if code == 0 else "MISSED",
            note=f"max {worst:.2f} s; exit {code}; {size:.1f} MB page",
        )
    ]


# --------------------------------------------------------------------------------- growth


@benchmark(
    "growth",
    "Growth with corpus size",
    "How time, memory and store size grow from one scale to the next (ratios; 10x more documents should "
    "cost about 10x the time and store, and memory should grow no faster). Stages: the jobs=2 builds.",
)
def growth(options: argparse.Namespace) -> list[Row]:
    runs = sorted((r for r in STATE.builds if r.jobs == 2), key=lambda r: r.docs)
    rows = []
    for small, large in zip(runs, runs[1:], strict=False):
        factor = large.docs / small.docs
        label = f"{small.docs:,} -> {large.docs:,} docs ({factor:.0f}x)"
        for name in ("read", "resolve", "write"):
            ratio = large.stages[name] / max(small.stages[name], 1e-9)
            rows.append(
                Row(
                    f"{label}: {name} stage",
                    f"{ratio:.1f}x",
                    f"~{factor:.0f}x",
                    _verdict(ratio <= factor * 1.5),
                    f"{small.stages[name]:.1f} s -> {large.stages[name]:.1f} s",
                )
            )
        for name, a, b, unit in (
            ("wall time", small.seconds, large.seconds, "s"),
            ("CPU time", small.cpu, large.cpu, "s"),
            ("peak memory (PSS)", small.peak_pss_mb, large.peak_pss_mb, "MB"),
            ("peak memory (main, RSS)", small.peak_main_mb, large.peak_main_mb, "MB"),
            ("store size", small.store_mb, large.store_mb, "MB"),
        ):
            if a < 0 or b < 0:
                continue  # not measured
            ratio = b / max(a, 1e-9)
            rows.append(
                Row(
                    f"{label}: {name}",
                    f"{ratio:.1f}x",
                    f"<= ~{factor:.0f}x",
                    _verdict(ratio <= factor * 1.5),
                    f"{a:,.1f} {unit} -> {b:,.1f} {unit}",
                )
            )
        for name, (p50_large, *_rest) in STATE.queries.get(large.docs, {}).items():
            p50_small = STATE.queries.get(small.docs, {}).get(name, (None,))[0]
            if p50_small and p50_small != float("inf") and p50_large != float("inf"):  # timed out: no ratio
                ratio = p50_large / p50_small
                rows.append(
                    Row(
                        f"{label}: query {name} p50",
                        f"{ratio:.1f}x",
                        f"<= ~{factor:.0f}x",
                        _verdict(ratio <= factor * 1.5),
                        f"{p50_small * 1000:.1f} ms -> {p50_large * 1000:.1f} ms",
                    )
                )
    if not rows:
        rows.append(
            Row("growth", "—", verdict="n/a", note="needs builds at two scales (--scales 1000,10000)")
        )
    return rows


# --------------------------------------------------------------------------------- targets

WHY = {
    "extraction": (
        'the per-MB work done before any citation is read (ingest, text preparation, locating number '
        'cores and name anchors: about 50 ms per MB) already uses the whole budget, and reading each '
        'citation costs about 45-50 us of Python (a local issuer name 35-40 us); the profile is flat '
        '(section Extractor speed work)',
        'the per-citation reader in compiled code (an optional C or Rust speed-up with the pure-Python '
        'reader as fallback) and a DFA regex engine for the per-byte scans',
    ),
    "build": (
        'the build needs about 1,300 s of CPU for 100k documents, so with both cores busy all the time it '
        'would still take about 650 s. Where the CPU goes: the read stage (about 290 s of wall on two '
        'workers, about 5.8 ms of CPU per document, of which extraction is about 1 ms: the rest, ingest, '
        'metadata, per-file identities, the analysis cache and sending results to the main process, is '
        'not profiled at 100k yet) and bulk loading (about 17-21 us of CPU per quad for 24M quads: Oxigraph '
        'sorting keys and RocksDB compacting, measured with perf). Loading now runs in two threads of the '
        'main process beside graph generation, so the stages overlap',
        'profile the read stage\'s work besides extraction and cut it; load fewer, larger files (less '
        'compaction for more memory: the 4 GB budget has about 0.9 GB of room now); make the node graphs '
        'in the write workers',
    ),
    "memory": (
        'the bulk loader\'s memory grows with the file it loads (1.5 GB for a file of 2.4M quads); the main '
        'process holds the resolution (about 6 KB per document) while graph:summary and the node graphs '
        'are made and loaded',
        'load smaller files (graph:summary and the node graphs already go in files of at most 250k lines); '
        'keep the mentions\' identities as indexes into one table of distinct documents',
    ),
    "queries": (
        'the listing queries are bounded (a limit parameter, default 100, found by index lookups on the '
        'precomputed rank bands of graph:summary) and the parametrised ones take the first `limit` rows; '
        'what is left near the bound: implementation-chain runs its path search from each document the '
        'parameter\'s id names (25 in the synthetic 100k corpus), in store order, until the limit is filled',
        'implementation-chain: start from the most-cited document the id names (tried: 52-60 ms on '
        'Oxigraph at 100k, but rdflib then took over 12 s at 1k)',
    ),
}


def _extrapolated_100k(options: argparse.Namespace) -> BuildRun | None:
    runs = sorted((r for r in STATE.builds if r.jobs == 2), key=lambda r: r.docs)
    return runs[-1] if runs else None


@benchmark(
    "targets",
    "Targets: met or missed, by how much, why, and what would fix it",
    "Summary of the sections above against the targets of the scale issue. Where 100,000 documents were "
    "not run, the value is extrapolated linearly from the largest scale run (the growth section shows "
    "that time and store size grow about linearly, so this is a lower bound) and says so.",
)
def targets(options: argparse.Namespace) -> list[Row]:
    rows: list[Row] = []
    for _docs, speed in sorted(STATE.extraction.items()):
        why, fix = WHY["extraction"]
        rows.append(
            Row(
                "extraction >= 20 MB/s per core",
                f"{speed:.2f} MB/s",
                ">= 20 MB/s",
                _verdict(speed >= 20),
                f"{20 / speed:.0f}x too slow. Why: {why}. Fix: {fix}." if speed < 20 else "",
            )
        )
    largest = _extrapolated_100k(options)
    if largest is not None:
        factor = 100_000 / largest.docs
        seconds = largest.seconds * factor
        label = "measured" if factor == 1 else f"extrapolated x{factor:.0f} from {largest.docs:,} documents"
        why, fix = WHY["build"]
        rows.append(
            Row(
                "100k documents built in < 10 min",
                f"{seconds / 60:,.0f} min ({label})",
                "< 10 min",
                _verdict(seconds < 600),
                f"{seconds / 600:.1f}x too slow; write stage {largest.stages['write'] / largest.seconds:.0%}"
                f" of the time. Why: {why}. Fix: {fix}."
                if seconds >= 600
                else "",
            )
        )
        memory = _peak_mb(largest) * factor
        why, fix = WHY["memory"]
        rows.append(
            Row(
                "100k documents: peak memory < 4 GB",
                f"{memory / 1024:,.1f} GB ({label})",
                "< 4 GB",
                _verdict(memory < 4096),
                f"{memory / 4096:.1f}x over. Why: {why}. Fix: {fix}." if memory >= 4096 else "",
            )
        )
        rows.append(
            Row(
                "100k documents: store size",
                f"{largest.store_mb * factor / 1024:,.0f} GB ({label})",
                note=f"about {largest.store_mb * 1024 / largest.docs:,.0f} KB per document (build row)",
            )
        )
    for docs in sorted(STATE.queries)[-1:]:
        why, fix = WHY["queries"]
        for name, (p50, _p95, r50, _) in sorted(STATE.queries[docs].items()):
            faster = f"; rdflib {r50 / p50:,.1f}x slower" if r50 else ""
            rows.append(
                Row(
                    f"query {name} p50 < 300 ms at 100k (measured at {docs:,})",
                    _ms(p50),
                    "< 300 ms",
                    _verdict(p50 < 0.3),
                    f"already {p50 / 0.3:,.0f}x over at {docs:,} documents{faster}. Why: {why}. Fix: {fix}."
                    if p50 >= 0.3
                    else f"at {docs:,} documents{faster}",
                )
            )
    for label, median in STATE.check.items():
        rows.append(
            Row(
                f"kg check one document < 1 s ({label})",
                f"{median:.2f} s",
                "< 1 s",
                _verdict(median < 1),
                ""
                if median < 1
                else "start-up (about 0.6 s: typer imports pydantic; the grammar is compiled) plus "
                "extraction and, with a store, its corpus queries, which grow with the store",
            )
        )
    return rows


def main(argv: list[str]) -> int:
    if len(argv) == 4 and argv[0] == "build-child":
        build_child(argv[1], argv[2], int(argv[3]))
        return 0
    if len(argv) == 7 and argv[0] == "query-child":
        query_child(argv[1], argv[2], argv[3], argv[4], int(argv[5]), float(argv[6]))
        return 0
    print("usage: scale.py build-child CORPUS STORE JOBS  (run benchmarks/run.py for the benchmarks)")
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
