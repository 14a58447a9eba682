"""`kg build`'s orchestration: read files in worker processes, resolve identities over the corpus, write
each file graph, in parallel wherever the work is per file. kg.store.build is the entry point.

1. read: each worker ingests and analyses a file (or takes its analysis from the cache by content hash),
   writes it to the analysis cache and sends the main process a compact copy, without the sentence and
   section of each mention: the main process holds only what resolution reads.
2. resolve: kg.graph.resolve_corpus over the compact analyses, in the main process.
3. write: forked workers share the Resolution copy-on-write, read each file's full analysis back from the
   cache and write its N-Triples. The main process replaces each changed file graph in one transaction
   of its own; into a store being built aside (a new store, see kg.store.build) it bulk-loads the
   workers' N-Quads batch files instead, about twice as fast, with no transaction to pay for per file.
"""

from __future__ import annotations

import dataclasses
import functools
import gc
import marshal
import multiprocessing
import operator
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg import vocab
from kg.graph import (
    DocRef,
    FileAnalysis,
    Mention,
    Resolution,
    _all_refs,
    _file_sha,
    _hash,
    _iri,
    _literal,
    analyse_path,
    analysis_version,
    file_doc_refs,
    file_graph_iri,
    file_ntriples,
    keyed_paths,
    ontology_ntriples,
    registry_ntriples,
    resolve_corpus,
    write_node_graphs,
)
from kg.models import Citation, DocumentMetadata, IngestError

Progress = Callable[[str, int, int], None]

# ---------------------------------------------------------------------------------------------- cache

# The dataclass-valued fields of a FileAnalysis (a list field: the class of each item).
_NESTED: dict[type, dict[str, type]] = {
    FileAnalysis: {"metadata": DocumentMetadata, "mentions": Mention},
    Mention: {"citation": Citation},
}


@functools.cache
def _layout(cls: type) -> tuple[Callable[[Any], tuple[Any, ...]], list[tuple[int, type]]]:
    """A getter of all fields of `cls` as one tuple, and the positions of its dataclass-valued fields."""
    names = [f.name for f in dataclasses.fields(cls)]
    nested = [(names.index(name), inner) for name, inner in _NESTED.get(cls, {}).items()]
    return operator.attrgetter(*names), nested


def _encode(obj: Any) -> tuple[Any, ...]:
    """A dataclass as a tuple of its fields (nested ones as tuples too): what marshal can store."""
    getter, nested = _layout(type(obj))
    values = getter(obj)
    if not nested:
        return values
    values = list(values)
    for index, _inner in nested:
        value = values[index]
        values[index] = [_encode(v) for v in value] if isinstance(value, list) else value and _encode(value)
    return tuple(values)


def _decode(cls: type, record: Sequence[Any]) -> Any:
    _, nested = _layout(cls)
    if nested:
        record = list(record)
        for index, inner in nested:
            value = record[index]
            record[index] = [_decode(inner, v) for v in value] if isinstance(value, list) else (
                value and _decode(inner, value))
    return cls(*record)


class AnalysisCache:
    """Analyses by content hash under the store folder, so unchanged files are not read again.

    An entry is the analysis as nested tuples in marshal format: ten times cheaper to write and read than
    JSON through dataclasses.asdict, and, unlike pickle, loading one runs no code. An entry of another
    analysis_version() (code or grammar changed) or a damaged one is ignored and redone.
    """

    def __init__(self, folder: Path):
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)

    def _file(self, sha: str) -> Path:
        return self.folder / f"{sha}.marshal"

    def get(self, sha: str, path: str) -> FileAnalysis | None:
        try:
            version, record = marshal.loads(self._file(sha).read_bytes())
            if version != analysis_version():
                return None
            analysis = _decode(FileAnalysis, record)
        except (OSError, ValueError, EOFError, TypeError, IndexError):  # missing or damaged: redo it
            return None
        analysis.path = path
        return analysis

    def put(self, analysis: FileAnalysis) -> None:
        # Write aside, then rename: a build killed mid-write leaves no half-written entry behind.
        target = self._file(analysis.sha256)
        partial = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        partial.write_bytes(marshal.dumps((analysis_version(), _encode(analysis))))
        os.replace(partial, target)


def _compact(analysis: FileAnalysis) -> FileAnalysis:
    """What the main process keeps of an analysis: all that resolution reads, without each mention's
    sentence and section (most of its size; the write stage reads them back from the cache)."""
    mentions = [dataclasses.replace(m, sentence="", section=None) for m in analysis.mentions]
    return dataclasses.replace(analysis, mentions=mentions)


# ---------------------------------------------------------------------------------------------- pools

_CACHE: AnalysisCache | None = None  # the read and write workers' cache (inherited by fork)
_WRITE: _WriteState | None = None  # what the write workers share with the main process (copy-on-write)


class _Pool:
    """Worker processes forked from this one, so they inherit the module globals set before (the cache,
    the Resolution) instead of receiving them; with one worker, everything runs inline."""

    def __init__(self, workers: int):
        self.workers = workers
        self.executor: Any = None

    def __enter__(self) -> _Pool:
        if self.workers > 1:
            from concurrent.futures import ProcessPoolExecutor

            gc.collect()
            gc.freeze()  # the children's garbage collector then leaves the inherited objects' pages shared
            context = multiprocessing.get_context("fork")
            self.executor = ProcessPoolExecutor(max_workers=self.workers, mp_context=context)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.executor is not None:
            self.executor.shutdown(cancel_futures=True)
            gc.unfreeze()

    def map(self, function: Callable[..., Any], jobs: Sequence[tuple[Any, ...]], chunksize: int = 1
            ) -> Iterator[Any]:
        """function(*job) for each job, results in order."""
        if self.executor is None or len(jobs) <= 1:
            return (function(*job) for job in jobs)
        return self.executor.map(function, *zip(*jobs, strict=True), chunksize=chunksize)

    def submit(self, function: Callable[[], Any]) -> Callable[[], Any]:
        """Start function() (at once, inline); returns what gives its result."""
        if self.executor is None:
            result = function()
            return lambda: result
        return self.executor.submit(function).result


FileRefs = tuple[DocRef, list[DocRef | None]]


def _read_one(
    file: str | None, key: str, sha: str | None
) -> tuple[FileAnalysis, FileRefs] | IngestError | None:
    """Worker: the compact analysis of one file, from the cache or read now (and cached), and the
    identities of its documents (resolution's per-file part). `file` None: a file built earlier and not
    named now, taken from the cache only (None when it is not there)."""
    assert _CACHE is not None
    if file is not None:
        sha = _file_sha(file)
    analysis = _CACHE.get(sha, key) if sha else None
    if analysis is None:
        if file is None:
            return None
        result = analyse_path(file, key)
        if isinstance(result, IngestError):
            return result
        _CACHE.put(result)
        analysis = result
    return _compact(analysis), file_doc_refs(analysis)


@dataclass(slots=True)
class _WriteState:
    resolution: Resolution
    shas: dict[str, str]  # file key -> content hash, the key to its analysis in the cache
    stored: dict[str, str]  # file graph IRI -> its stored kg:contentHash
    batches: Path | None  # bulk loading: the folder where workers write their N-Quads batches


def _write_batch(index: int, keys: list[str]) -> tuple[list[tuple[str, bool, str | None]], str | None]:
    """Worker: the file graphs of `keys` as (key, changed, N-Triples when changed); when bulk loading,
    the changed graphs go to one N-Quads file instead, whose path comes back."""
    assert _WRITE is not None and _CACHE is not None
    outcomes: list[tuple[str, bool, str | None]] = []
    quads: list[str] = []
    for key in keys:
        analysis = _CACHE.get(_WRITE.shas[key], key)
        if analysis is None:  # read (and cached) moments ago: the cache folder was removed meanwhile
            raise RuntimeError(f"the analysis of {key} vanished from the cache during the build")
        content = file_ntriples(analysis, _WRITE.resolution)
        graph = file_graph_iri(key)
        changed = _WRITE.stored.get(graph) != _content_hash(content)
        if changed and _WRITE.batches is not None:
            # Each line ends " .\n" and no literal holds a raw line break (N-Triples escapes it).
            quads.append(content.replace(" .\n", f" {_iri(graph)} .\n"))
            content = None
        outcomes.append((key, changed, content if changed else None))
    if _WRITE.batches is None or not quads:
        return outcomes, None
    batch = _WRITE.batches / f"batch-{index:06d}.nq"
    batch.write_text("".join(quads), encoding="utf-8")
    return outcomes, str(batch)


# ---------------------------------------------------------------------------------------------- build


def build_into(
    store: Any, paths: list[str], jobs: int | None = None, progress: Progress | None = None
) -> Any:
    """Build `paths` into an open store; see kg.store.build."""
    global _CACHE
    from kg.store import BuildReport

    report = BuildReport(store=store.location)
    location = getattr(store, "location", "")
    scratch = None
    if location and Path(location).is_dir():
        folder = Path(location) / "kg-cache"
    else:  # a remote or in-memory store: the cache lives as long as the build
        scratch = tempfile.TemporaryDirectory(prefix="kg-build-")
        folder = Path(scratch.name)
    workers = jobs or os.cpu_count() or 1
    analysis_version()  # once, here: every worker forked from now on inherits the same cache version
    _CACHE = AnalysisCache(folder)
    try:
        analyses, per_file, named = _read_stage(store, paths, workers, report, progress)
        resolution = resolve_corpus(analyses.values(), per_file)
        del per_file
        _finish_report(report, analyses, named, resolution)
        shas = {key: analysis.sha256 for key, analysis in analyses.items()}
        del analyses  # the write stage reads full analyses from the cache, one file at a time
        _write_stage(store, resolution, shas, named, workers, report, progress)
    finally:
        _CACHE = None
        if scratch is not None:
            scratch.cleanup()
    return report


def _read_stage(store: Any, paths: list[str], workers: int, report: Any,
                progress: Progress | None) -> tuple[dict[str, FileAnalysis], dict[str, FileRefs], set[str]]:
    """Compact analyses and document identities by file key, of the files named and of the files built
    earlier that still take part in identity resolution (from the cache), and the keys of the files named
    that were read. The graphs of files deleted from a folder being built are dropped."""
    walk_errors: list[IngestError] = []
    keyed = keyed_paths(paths, walk_errors)
    for error in walk_errors:
        report.failed[error.path] = error.reason
    key_of = {file: key for key, file in keyed.items()}
    analyses: dict[str, FileAnalysis] = {}
    per_file: dict[str, FileRefs] = {}
    jobs: list[tuple[str | None, str, str | None]] = [(file, key, None) for key, file in keyed.items()]
    folders = [Path(p).resolve() for p in paths if Path(p).is_dir()]
    for key, sha in store.source_hashes().items():
        if key in keyed:
            continue
        if any(_deleted_from(key, folder) for folder in folders):
            store.drop_graph(file_graph_iri(key))
            report.removed.append(key)
        else:
            jobs.append((None, key, sha))
    chunksize = max(1, min(64, len(jobs) // (workers * 8)))
    with _Pool(min(workers, len(jobs))) as pool:
        for done, result in enumerate(pool.map(_read_one, jobs, chunksize), start=1):
            if isinstance(result, IngestError):
                report.failed[key_of.get(result.path, result.path)] = result.reason
            elif result is not None:
                analysis, refs = result
                analyses[analysis.path], per_file[analysis.path] = analysis, refs
            if progress and done <= len(keyed):
                progress("read", done, len(keyed))
    return analyses, per_file, {key for key in keyed if key in analyses}


def _finish_report(report: Any, analyses: dict[str, FileAnalysis], named: set[str],
                   resolution: Resolution) -> None:
    # Per-file warnings of ingest ("empty file", "converted from TCVN3") name their file, then identity ones.
    report.warnings = [f"{key}: {w}" for key in sorted(named) for w in analyses[key].warnings]
    report.warnings += resolution.warnings
    report.documents = len(
        {r.iri for refs in resolution.mentions.values() for r in refs if r}
        | {r.iri for r in resolution.citing.values()}
    )
    report.citations = sum(len(a.mentions) for a in analyses.values())


def _write_stage(store: Any, resolution: Resolution, shas: dict[str, str], named: set[str], workers: int,
                 report: Any, progress: Progress | None) -> None:
    """Write every file graph whose content changed (all of them into a store built aside)."""
    global _WRITE
    bulk = bool(getattr(store, "building_aside", False))
    stored = {} if bulk else _stored_hashes(store)
    ordered = sorted(shas)
    # Bulk: batches big enough that each load pays little fixed cost; else small, as each graph is its
    # own transaction anyway. Several batches per worker, so that loading overlaps writing.
    size = max(16, min(1000, len(ordered) // (workers * 4))) if bulk else 16
    starts = range(0, len(ordered), size)
    batches = [(index, ordered[start:start + size]) for index, start in enumerate(starts)]
    with tempfile.TemporaryDirectory(prefix=".batches-", dir=store.location if bulk else None) as folder:
        _WRITE = _WriteState(resolution, shas, stored, Path(folder) if bulk else None)
        # Each node's one description, new ones before the file graphs citing them (kg.graph.node_graphs)
        stale = write_node_graphs(store, resolution, stored)
        try:
            with _Pool(min(workers, len(batches) + 1)) as pool:
                # The corpus-wide graphs (graph:summary is large) are written by a worker meanwhile.
                corpus_graphs = pool.submit(_corpus_graphs)
                _write_file_graphs(store, pool.map(_write_batch, batches), named, len(ordered), report,
                                   progress)
                for graph, ntriples in corpus_graphs():
                    _replace_if_changed(store, graph, ntriples)
            for graph in stale:  # nodes no file graph names any more: only now, none is named meanwhile
                store.drop_graph(graph)
        finally:
            _WRITE = None


def _write_file_graphs(store: Any, results: Iterable[tuple[list[tuple[str, bool, str | None]], str | None]],
                       named: set[str], total: int, report: Any, progress: Progress | None) -> None:
    """Store the write workers' results: bulk-load their batch files, or replace each changed graph."""
    done = 0
    for outcomes, batch in results:
        if batch is not None:
            store.bulk_load(batch)
            os.remove(batch)
        for key, changed, content in outcomes:
            if changed:
                if content is not None:
                    store.replace_graph(file_graph_iri(key), content)
                report.written.append(key)
            elif key in named:
                report.unchanged.append(key)
        done += len(outcomes)
        if progress:
            progress("write", done, total)


def _corpus_graphs() -> list[tuple[str, str]]:
    """Worker: (graph IRI, N-Triples) of the corpus-wide graphs: ontology, registry, summary."""
    assert _WRITE is not None
    from kg.summary import summary_ntriples

    resolution = _WRITE.resolution
    graphs = [(vocab.ONTOLOGY_GRAPH, ontology_ntriples())]
    registry = registry_ntriples(described_documents(resolution))
    if registry is not None:
        graphs.append((vocab.REGISTRY_GRAPH, registry))
    graphs.append((vocab.SUMMARY_GRAPH, summary_ntriples(resolution)))
    return graphs


def _stored_hashes(store: Any) -> dict[str, str]:
    """Graph IRI -> stored kg:contentHash of every graph, in one query."""
    rows = store.select(f"SELECT ?g ?h WHERE {{ GRAPH ?g {{ ?g <{vocab.CONTENT_HASH}> ?h }} }}")
    return {row["g"]: row["h"] for row in rows}


def _content_hash(content: str) -> str:
    """The kg:contentHash that file_ntriples writes as the last line of a file graph."""
    match = re.search(re.escape(f"<{vocab.CONTENT_HASH}>") + r' "([0-9a-f]+)"', content)
    return match.group(1) if match else _hash(content)


def _deleted_from(key: str, folder: Path) -> bool:
    """A file stored as `key` (named from `folder`, path_key) that is no longer there."""
    head, _, inside = key.partition("/")
    return bool(inside) and head == folder.name and not (folder / inside).exists()


def described_documents(resolution: Resolution) -> dict[str, str]:
    """IRI -> eli:id_local of every document some file graph describes (citing or cited)."""
    return {ref.iri: resolution.id_local.get(ref.iri, ref.form)
            for ref in _all_refs(resolution.citing, resolution.mentions) if ref.iri}


def _stored_hash(store: Any, graph: str) -> str | None:
    rows = store.select(f"SELECT ?h WHERE {{ GRAPH <{graph}> {{ <{graph}> <{vocab.CONTENT_HASH}> ?h }} }}")
    return rows[0]["h"] if rows else None


def _replace_if_changed(store: Any, graph: str, ntriples: str) -> None:
    content = ntriples + f"{_iri(graph)} {_iri(vocab.CONTENT_HASH)} {_literal(_hash(ntriples))} .\n"
    if getattr(store, "building_aside", False):  # a new store: bulk-load (graph:summary is large)
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".nt", dir=store.location) as triples:
            triples.write(content)
            triples.flush()
            store.bulk_load(triples.name, graph)
    elif _stored_hash(store, graph) != _hash(ntriples):
        store.replace_graph(graph, content)

