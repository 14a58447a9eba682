"""Readers (`kg query`, `kg check`, `kg export`) while `kg build` writes: a consistent state or "busy".

RocksDB admits one writer. Readers open the store read-only (kg/store.py), which shows the store as it
was when opened; since each file graph is one transaction, a reader sees whole file graphs. Real
processes throughout: builds flip a corpus between two versions while readers run beside them.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from test_crash import CORPUS, ROOT, _graphs, _write_version, build_versions, kg

from kg import vocab
from kg.store import _write_locked  # the store's own test of the writer's lock

BUSY = "is busy"
NODE_GRAPHS = vocab.GRAPH + "node/"  # kg.graph.node_graphs


@pytest.fixture(scope="module")
def versions(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, dict]]:
    """A folder of plans, a store built from version A, and each version's clean-build graphs."""
    folder, store, clean_b = build_versions(tmp_path_factory.mktemp("concurrency"))
    return folder, store, {"A": _graphs(store), "B": _graphs(clean_b)}


def _quads_by_graph(nquads: bytes) -> dict[str, frozenset[str]]:
    graphs: dict[str, set[str]] = {}
    for quad in ox.parse(nquads, format=ox.RdfFormat.N_QUADS):
        graphs.setdefault(quad.graph_name.value, set()).add(f"{quad.subject} {quad.predicate} {quad.object}")
    return {name: frozenset(triples) for name, triples in graphs.items()}


def _run(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "kg.cli", *args], cwd=ROOT, capture_output=True, timeout=300)


def _builds_in_background(folder: Path, store: Path, rounds: int) -> tuple[threading.Thread, list[int]]:
    """Flip the corpus B, A, B … and rebuild, `rounds` times, in a thread; exit codes collected."""
    codes: list[int] = []

    def flip() -> None:
        for index in range(rounds):
            _write_version(folder, "B" if index % 2 == 0 else "A")
            codes.append(_run("build", str(folder), "--store", str(store)).returncode)

    thread = threading.Thread(target=flip)
    thread.start()
    return thread, codes


def test_readers_during_builds_see_whole_versions_or_busy(versions):
    folder, store, graphs = versions
    plan = str(folder / f"copy0_{sorted(CORPUS.glob('*.txt'))[0].name}")
    thread, build_codes = _builds_in_background(folder, store, rounds=3)
    outcomes: list[str] = []
    while thread.is_alive():
        export = _run("export", "--format", "nq", "--store", str(store))
        query = _run("query", "--format", "json", "--store", str(store),
                     "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?g kg:contentHash ?h } "
                     f"FILTER(!STRSTARTS(STR(?g), '{NODE_GRAPHS}')) }}")
        check = _run("check", plan, "--store", str(store), "--format", "json", "--fail-on", "never")
        for name, done, ok in (("export", export, 0), ("query", query, 0), ("check", check, 0)):
            stderr = done.stderr.decode("utf-8", "replace")
            assert b"Traceback" not in done.stderr, f"kg {name} crashed:\n{stderr}"
            if done.returncode == ok:
                outcomes.append(name)
            else:  # the only other outcome allowed: a one-line "busy" (exit 1 for query, 2 for the others)
                assert BUSY in stderr and done.returncode == (1 if name == "query" else 2), stderr
                outcomes.append("busy")
        if export.returncode == 0:
            # Every graph the reader saw is whole: exactly version A's or version B's.
            for name, triples in _quads_by_graph(export.stdout).items():
                assert triples in (graphs["A"].get(name), graphs["B"].get(name)), f"{name} is a mix"
        if query.returncode == 0:
            count = json.loads(query.stdout)["results"]["bindings"][0]["n"]["value"]
            # every file graph, ontology, registry and summary: none missing (the node graphs of the
            # documents one version names and the other not come before and go after the file graphs)
            assert int(count) == len([name for name in graphs["A"] if not name.startswith(NODE_GRAPHS)])
        if check.returncode == 0:
            assert json.loads(check.stdout)["documents"]
    thread.join()
    print("reader outcomes during the builds:", {o: outcomes.count(o) for o in set(outcomes)})
    assert build_codes == [0, 0, 0]
    assert "export" in outcomes and "query" in outcomes and "check" in outcomes
    assert _graphs(store) == graphs["B"]


def test_a_second_build_while_one_writes_is_told_the_store_is_busy(versions):
    folder, store, _ = versions
    for attempt in range(4):
        _write_version(folder, "A" if attempt % 2 == 0 else "B")
        command = [sys.executable, "-m", "kg.cli", "build", str(folder), "--store", str(store)]
        first = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        while first.poll() is None and not _write_locked(store):
            time.sleep(0.01)
        second = kg("build", str(folder), "--store", str(store))
        first_code = first.wait(timeout=300)
        assert first_code == 0
        if second.returncode == 0:  # the first build had finished already: try again
            continue
        assert second.returncode == 3, second.stderr
        assert second.stderr.strip() == (
            f"kg build: store {store} is busy: another kg process (a build?) is writing it; "
            "try again when it has finished"
        )
        return
    pytest.fail("the first build always finished before the second started")


@pytest.fixture(params=["in place", "aside"])
def store_being_created(tmp_path: Path, request: pytest.FixtureRequest):
    """What a reader finds while `kg build` creates a store: an empty directory and a held write lock (a
    child process holds it, fcntl, as the build would): RocksDB's LOCK in the store, or, for a new store
    built beside its place and then renamed into it (kg/store.py), the lock of the folder it is built in."""
    store = tmp_path / "new_store"
    store.mkdir()
    lock = store / "LOCK" if request.param == "in place" else tmp_path / ".new_store.building.lock"
    lock.write_bytes(b"")
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import fcntl, sys, time\nh = open(sys.argv[1], 'r+b')\nfcntl.lockf(h, fcntl.LOCK_EX)\n"
         "print('locked', flush=True)\ntime.sleep(120)", str(lock)],
        stdout=subprocess.PIPE, text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    yield store
    holder.kill()
    holder.wait()


def test_readers_of_a_store_being_created_are_told_it_is_busy(store_being_created: Path):
    store = str(store_being_created)
    expected = (f"store {store} is busy: a kg build is writing it and it cannot be read at this moment; "
                "try again in a moment or when the build has finished")
    query = kg("query", "--store", store, "ASK {}")
    assert (query.returncode, query.stderr.strip()) == (1, f"kg query: {expected}")
    check = kg("check", str(sorted(CORPUS.glob("*.txt"))[0]), "--store", store)
    assert (check.returncode, check.stderr.strip()) == (2, f"kg check: {expected}")
    stats = kg("stats", "--store", store)
    assert (stats.returncode, stats.stderr.strip()) == (2, f"kg stats: {expected}")
    viz = kg("viz", "--store", store, "-o", str(store_being_created.parent / "graph.html"))
    assert (viz.returncode, viz.stderr.strip()) == (2, f"kg viz: {expected}")
    build = kg("build", str(sorted(CORPUS.glob("*.txt"))[0]), "--store", store)
    assert build.returncode == 3 and "is busy: another kg process (a build?) is writing it" in build.stderr


def test_an_empty_folder_without_a_writer_is_no_store(tmp_path: Path):
    query = kg("query", "--store", str(tmp_path), "ASK {}")
    assert query.returncode == 2
    assert query.stderr.strip() == (
        f"kg query: no kg store at {tmp_path}: run `kg build PATH --store {tmp_path}` first"
    )
