"""A batch never crashes on a bad file, and a killed `kg build` never leaves a half-written file graph.

Everything runs the real `kg` command in a child process: the bad-input tests read its exit code, stdout
and stderr; the crash test SIGKILLs it (and its worker processes) while it builds, then opens the store.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest
from fixtures_gen import VIETNAMESE, truncate, write_docx, write_pdf

from kg import vocab

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
CONTENT_HASH = vocab.KG + "contentHash"
FILE_GRAPHS = vocab.GRAPH + "file/"


def kg(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run `kg` in a child process from the repository (so file names in the graph are absolute)."""
    return subprocess.run(
        [sys.executable, "-m", "kg.cli", *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout
    )


# --- a folder of good and bad files, at the command line ----------------------------------------------


BAD_REASONS = {
    "junk.txt": "binary file, not text",
    "corrupt.docx": "corrupt or truncated .docx",
    "corrupt.pdf": "corrupt or truncated PDF",
    "old.doc": ".doc (Word 97-2003) is not supported",
    "link.txt": "symlink points outside the corpus",
}


@pytest.fixture(scope="module")
def mixed_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two real plans and a docx that read, an empty file, and one file of each kind of breakage."""
    base = tmp_path_factory.mktemp("mixed")
    folder = base / "batch"
    folder.mkdir()
    for source in sorted(CORPUS.glob("*.txt"))[:2]:
        shutil.copyfile(source, folder / source.name)
    write_docx(folder / "good.docx", [VIETNAMESE])
    (folder / "empty.txt").write_bytes(b"")
    (folder / "junk.txt").write_bytes(bytes(range(256)) * 8)
    truncate(write_docx(folder / "corrupt.docx", [VIETNAMESE] * 20), 0.5)
    truncate(write_pdf(folder / "corrupt.pdf", [VIETNAMESE] * 3), 0.5)
    (folder / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    outside = base / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("Chỉ thị số 99/CT-TTg ngày 01/01/2020 bí mật", encoding="utf-8")
    (folder / "link.txt").symlink_to(outside / "secret.txt")
    return folder


def _assert_each_bad_file_reported(stderr: str, folder: Path | str, prefix: str) -> None:
    for name, reason in BAD_REASONS.items():
        lines = [line for line in stderr.splitlines() if f"{folder}/{name}: " in line and reason in line]
        assert len(lines) == 1, f"{name}: expected one line with {reason!r} in\n{stderr}"
        assert lines[0].startswith(prefix), lines[0]
    assert "Traceback" not in stderr


def test_build_reports_each_bad_file_stores_the_good_ones_and_exits_1(mixed_folder: Path, tmp_path: Path):
    store = tmp_path / "store"
    done = kg("build", str(mixed_folder), "--store", str(store))
    assert done.returncode == 1, done.stderr
    # The build names files as the graph does: the folder given and the path below it ("batch/junk.txt").
    _assert_each_bad_file_reported(done.stderr, mixed_folder.name, "failed: ")
    assert f"warning: {mixed_folder.name}/empty.txt: empty file" in done.stderr
    # The summary (stdout) counts what was written and what failed.
    assert "4 file graph(s) written, 0 unchanged, 5 failed" in done.stdout
    read = ox.Store.read_only(str(store))
    paths = {
        row["p"].value
        for row in read.query("SELECT ?p WHERE { GRAPH ?g { ?f a kg:SourceFile ; kg:path ?p } }",
                              prefixes=vocab.PREFIXES)
    }
    good = {f"{mixed_folder.name}/{name}" for name in ("empty.txt", "good.docx")}
    good |= {f"{mixed_folder.name}/{p.name}" for p in sorted(CORPUS.glob("*.txt"))[:2]}
    assert paths == good
    # The symlinked file outside the folder was never read.
    assert not bool(read.query('ASK { GRAPH ?g { ?s ?p ?o FILTER(CONTAINS(STR(?o), "99/CT-TTg")) } }'))


def test_check_reports_each_bad_file_checks_the_others_and_exits_2(mixed_folder: Path):
    # kg/check.py: exit 2 means "usage or input error" and wins over --fail-on (the check is incomplete).
    done = kg("check", str(mixed_folder), "--format", "json", "--fail-on", "never")
    assert done.returncode == 2, done.stderr
    _assert_each_bad_file_reported(done.stderr, mixed_folder, "kg check: ")
    assert "kg check: 5 file(s) could not be read; the others were checked" in done.stderr
    report = json.loads(done.stdout)
    assert len(report["errors"]) == 5
    checked = json.dumps(report, ensure_ascii=False)
    for name in ("good.docx", "empty.txt", sorted(CORPUS.glob("*.txt"))[0].name):
        assert name in checked


def test_extract_reports_each_bad_file_extracts_the_others_and_exits_1(mixed_folder: Path):
    done = kg("extract", str(mixed_folder), "--format", "jsonl")
    assert done.returncode == 1, done.stderr
    _assert_each_bad_file_reported(done.stderr, mixed_folder, "kg extract: ")
    assert f"kg extract: warning: {mixed_folder / 'empty.txt'}: empty file" in done.stderr
    summary = done.stderr.strip().splitlines()[-1]
    assert summary.startswith("kg extract: 5 file(s) could not be read: ")
    for name in BAD_REASONS:
        assert str(mixed_folder / name) in summary
    files = {json.loads(line)["file"] for line in done.stdout.splitlines()}
    expected = {str(mixed_folder / p.name) for p in sorted(CORPUS.glob("*.txt"))[:2]}
    assert files == expected | {str(mixed_folder / "good.docx")}


# --- SIGKILL during a build ---------------------------------------------------------------------------

COPIES = 4  # corpus/ (5 plans) copied four times: 20 files, a build of a few seconds whose file-graph
# writes last long enough for a poller to see the store half-written (10 files were missed under load)


def _write_version(folder: Path, version: str) -> None:
    """Version A: the plans as they are. Version B: each with one more citation, its own number."""
    for copy in range(COPIES):
        for index, source in enumerate(sorted(CORPUS.glob("*.txt"))):
            text = source.read_text(encoding="utf-8")
            if version == "B":
                number = 100 + copy * 10 + index
                text += (f"\nThực hiện Quyết định số {number}/QĐ-UBND ngày 05/01/2024 của Ủy ban nhân dân "
                         "tỉnh về việc thử nghiệm.\n")
            (folder / f"copy{copy}_{source.name}").write_text(text, encoding="utf-8")


def _graphs(store: Path) -> dict[str, frozenset[str]]:
    """Every named graph of the store and its triples, read as a separate read-only instance."""
    read = ox.Store.read_only(str(store))
    graphs: dict[str, set[str]] = {}
    for quad in read.quads_for_pattern(None, None, None):
        graphs.setdefault(quad.graph_name.value, set()).add(f"{quad.subject} {quad.predicate} {quad.object}")
    del read
    return {name: frozenset(triples) for name, triples in graphs.items()}


def _file_graph_hashes(store: Path) -> dict[str, str]:
    read = ox.Store.read_only(str(store))
    rows = read.query(f"SELECT ?g ?h WHERE {{ GRAPH ?g {{ ?g <{CONTENT_HASH}> ?h }} }}")
    hashes = {row["g"].value: row["h"].value for row in rows if row["g"].value.startswith(FILE_GRAPHS)}
    del read
    return hashes


def _start_build(folder: Path, store: Path) -> subprocess.Popen[bytes]:
    # Its own process group, so that SIGKILL reaches the worker processes too.
    return subprocess.Popen(
        [sys.executable, "-m", "kg.cli", "build", str(folder), "--store", str(store)],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )


def _kill(build: subprocess.Popen[bytes]) -> bool:
    """SIGKILL the build and its workers; False when it had already finished."""
    finished = build.poll() is not None
    try:
        os.killpg(build.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    build.wait(timeout=30)
    return not finished


def _kill_when_half_written(build: subprocess.Popen[bytes], store: Path, old: dict[str, str],
                            new: dict[str, str]) -> bool:
    """Watch the store while the build writes it; kill the build once some file graphs are new and
    some old. False if the build finished first."""
    while build.poll() is None:
        try:
            hashes = _file_graph_hashes(store)
        except (OSError, RuntimeError):  # opened as the build compacted a file away ("Corruption")
            continue
        renewed = sum(1 for g, h in hashes.items() if g in new and h == new[g] != old.get(g))
        if 0 < renewed < len(new):
            return _kill(build)
        time.sleep(0.02)
    return False


def _shacl_conforms(store: Path) -> tuple[bool, str]:
    import pyshacl
    import rdflib

    from kg.data import ontology_file

    read = ox.Store.read_only(str(store))
    union = rdflib.Graph()
    shaped = [
        ox.Triple(q.subject, q.predicate, q.object)
        for q in read.quads_for_pattern(None, None, None)
        # the file graphs, the node graphs describing what they name (kg.graph.node_graphs), the ontology
        if q.graph_name.value.startswith((FILE_GRAPHS, vocab.GRAPH + "node/"))
        or q.graph_name.value == vocab.ONTOLOGY_GRAPH
    ]
    data = ox.serialize(shaped, format=ox.RdfFormat.N_TRIPLES)
    del read
    union.parse(data=data.decode("utf-8"), format="nt")
    shapes = rdflib.Graph().parse(ontology_file("shapes.ttl"))
    conforms, _, text = pyshacl.validate(union, shacl_graph=shapes, allow_warnings=True)
    return conforms, text


def _assert_each_graph_whole(store: Path, version_a: dict[str, frozenset[str]],
                             version_b: dict[str, frozenset[str]]) -> int:
    """Each named graph equals its clean-build-A or clean-build-B content; returns how many file graphs are
    B (node graphs, written before the file graphs, are not counted)."""
    found = _graphs(store)
    assert set(found) <= set(version_a) | set(version_b)
    new = 0
    for name, triples in found.items():
        is_a, is_b = triples == version_a.get(name), triples == version_b.get(name)
        assert is_a or is_b, f"{name} holds a mix of builds A and B"
        new += is_b and not is_a and name.startswith(FILE_GRAPHS)
    return new


def build_versions(base: Path) -> tuple[Path, Path, Path]:
    """Plans in base/plans left at version A, built into base/store; a clean build of B in base/clean_b."""
    folder, store, clean_b = base / "plans", base / "store", base / "clean_b"
    folder.mkdir()
    _write_version(folder, "B")
    built = kg("build", str(folder), "--store", str(clean_b))
    assert built.returncode == 0, built.stderr
    _write_version(folder, "A")
    built = kg("build", str(folder), "--store", str(store))
    assert built.returncode == 0, built.stderr
    return folder, store, clean_b


def test_a_killed_build_leaves_whole_file_graphs_and_the_next_build_finishes(tmp_path: Path):
    folder, store, clean_b = build_versions(tmp_path)
    versions = {"A": _graphs(store), "B": _graphs(clean_b)}
    hashes = {"A": _file_graph_hashes(store), "B": _file_graph_hashes(clean_b)}
    file_graphs = list(hashes["B"])
    assert len(file_graphs) == 5 * COPIES and set(hashes["A"]) == set(file_graphs)
    assert all(hashes["A"][g] != hashes["B"][g] for g in file_graphs)

    # 1. Kill A -> B rebuilds after random short delays (reading, resolving or writing).
    _write_version(folder, "B")
    rng = random.Random(20261123)
    for delay in (rng.uniform(0.5, 2.0), rng.uniform(1.5, 4.0)):
        build = _start_build(folder, store)
        time.sleep(delay)
        _kill(build)
        _assert_each_graph_whole(store, versions["A"], versions["B"])
    # The next build finishes the job: exactly what a clean build of B gives.
    finish = kg("build", str(folder), "--store", str(store))
    assert finish.returncode == 0, finish.stderr
    assert _graphs(store) == versions["B"]

    # 2. Kill a rebuild for sure between two file graphs: watch the store, kill once it is half old,
    # half new. Each attempt the build wins flips the store to the other version: try the other way.
    current, caught = "B", False
    for _attempt in range(10):
        target = "A" if current == "B" else "B"
        _write_version(folder, target)
        build = _start_build(folder, store)
        if _kill_when_half_written(build, store, hashes[current], hashes[target]):
            caught = True
            break
        current = target
    assert caught, "every build finished before the store was seen half-written"
    renewed = _assert_each_graph_whole(store, versions[current], versions[target])
    assert 0 < renewed < len(file_graphs)  # the kill fell between two file graphs' transactions
    conforms, report = _shacl_conforms(store)
    assert conforms, report

    _write_version(folder, "B")
    finish = kg("build", str(folder), "--store", str(store))
    assert finish.returncode == 0, finish.stderr
    assert _graphs(store) == versions["B"]


def _kill_when(build: subprocess.Popen[bytes], ready: Callable[[], bool]) -> bool:
    """Kill the build once `ready()`; False if it finished first."""
    while build.poll() is None:
        if ready():
            return _kill(build)
        time.sleep(0.01)
    return False


def test_a_killed_first_build_leaves_no_store_and_the_next_build_makes_it(tmp_path: Path):
    # A new store is built in a folder beside it (bulk loading, not transactional) and renamed into place.
    folder, clean, store = tmp_path / "plans", tmp_path / "clean", tmp_path / "store"
    folder.mkdir()
    _write_version(folder, "A")
    assert kg("build", str(folder), "--store", str(clean)).returncode == 0
    aside = tmp_path / ".store.building"
    stages = {  # killed while reading (an analysis cached), then while writing (file graphs batched)
        "read": lambda: any((aside / "kg-cache").glob("*.marshal")),
        "write": lambda: any(aside.glob(".batches-*")),
    }
    for stage, ready in stages.items():
        shutil.rmtree(aside, ignore_errors=True)  # what the last kill left would satisfy ready() at once
        assert _kill_when(_start_build(folder, store), ready), f"the build finished before its {stage} stage"
        assert not any(store.iterdir()) and aside.exists()  # an empty folder: no store yet
        busy = kg("query", "--store", str(store), "ASK {}")  # a killed build holds no lock: no store yet
        assert busy.returncode == 2 and "no kg store" in busy.stderr
    finish = kg("build", str(folder), "--store", str(store))
    assert finish.returncode == 0, finish.stderr
    assert _graphs(store) == _graphs(clean) and not aside.exists()
