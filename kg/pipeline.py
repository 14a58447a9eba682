"""`kg build`'s orchestration: read files in worker processes, resolve identities over the corpus, write
each file graph, in parallel wherever the work is per file. kg.store.build is the entry point.

1. read: each worker ingests and analyses a file (or takes its analysis from the cache by content hash),
   writes it to the analysis cache and sends the main process a compact copy, without the sentence and
   section of each mention: the main process holds only what resolution reads.
2. resolve: kg.graph.resolve_corpus over the compact analyses, in the main process.
3. write: forked workers share the Resolution copy-on-write, read each file's full analysis back from the
   cache and write its N-Triples. The main process replaces each changed file graph in one transaction
   of its own; into a store being built aside (a new store, see kg.store.build) loader threads bulk-load
   the workers' N-Quads batch files instead, about twice as fast, with no transaction to pay for per file,
   as they come and while the main process makes the corpus-wide graphs (_bulk_write_stage).
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import itertools
import marshal
import multiprocessing
import operator
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
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
    analyse_path,
    analysis_version,
    content_hash_line,
    file_doc_refs,
    file_graph_iri,
    file_ntriples,
    keyed_paths,
    node_graphs,
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


# What a read worker sends the main process for one file: all that resolution and the report read.
_Relation = tuple[str, int | None, str | None, bool]  # relation, head, head_relation, head_reverse


def _slim(analysis: FileAnalysis) -> tuple[str, str, list[str], list[_Relation]]:
    """Path, content hash, warnings and each mention's relation fields (resolve_corpus's relation_edges reads
    them): the citations themselves, their sentences and the metadata stay in the cache, for the writers."""
    relations = [(m.relation, m.head, m.head_relation, m.head_reverse) for m in analysis.mentions]
    return analysis.path, analysis.sha256, analysis.warnings, relations


# ---------------------------------------------------------------------------------------------- pools

_CACHE: AnalysisCache | None = None  # the read and write workers' cache (inherited by fork)


class _Pool:
    """Worker processes forked from this one when it is still small, at the start of the build, so that
    they inherit the module globals (the cache) but none of the corpus-wide structures built later: what
    a job needs goes with the job. With one worker, everything runs inline."""

    def __init__(self, workers: int):
        self.workers = workers
        self.executor: Any = None

    def __enter__(self) -> _Pool:
        if self.workers > 1:
            from concurrent.futures import ProcessPoolExecutor

            context = multiprocessing.get_context("fork")
            self.executor = ProcessPoolExecutor(max_workers=self.workers, mp_context=context)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.executor is not None:
            self.executor.shutdown(cancel_futures=True)

    def map(self, function: Callable[..., Any], jobs: Iterable[tuple[Any, ...]], chunksize: int = 1
            ) -> Iterator[Any]:
        """function(*job) for each job, results in order."""
        jobs = list(jobs)
        if self.executor is None or len(jobs) <= 1:
            return (function(*job) for job in jobs)
        return self.executor.map(function, *zip(*jobs, strict=True), chunksize=chunksize)


FileRefs = tuple[DocRef, list[DocRef | None]]
_ReadResult = tuple[tuple[str, str, list[str], list[_Relation]], FileRefs]


def _read_one(file: str | None, key: str, sha: str | None) -> _ReadResult | IngestError | None:
    """Worker: what the main process keeps of one file (_slim), from the cache or read now (and cached),
    and the identities of its documents (resolution's per-file part). `file` None: a file built earlier
    and not named now, taken from the cache only (None when it is not there)."""
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
    return _slim(analysis), file_doc_refs(analysis)


class _Shared:
    """One object for equal values received from the workers: every file citing a document sends its own
    copy of the same strings and tuples (key, form, symbol, issuer codes, ...), which the main process
    keeps until the write stage; and after resolution, one DocRef for equal DocRefs. Only for values
    nothing changes in place (resolve_corpus sets DocRef.year and .iri, so DocRefs are shared after it)."""

    # The DocRef fields that hold strings, tuples, ints or frozen Jurisdictions: shared as they are.
    _FIELDS = ("key", "year", "date", "scope", "level", "place", "system", "issuer_phrase", "form",
               "type_code", "type_name", "doc_type", "number", "symbol", "name", "iri")

    def __init__(self) -> None:
        self.values: dict[Any, Any] = {}
        self.lists: dict[tuple[str, ...], list[str]] = {}
        self.mentions: dict[_Relation, Mention] = {}
        self.refs: dict[tuple[int, ...], DocRef] = {}
        self._get = operator.attrgetter(*self._FIELDS)

    def value(self, value: Any) -> Any:
        return self.values.setdefault(value, value)

    def fields(self, ref: DocRef) -> DocRef:
        """`ref` with its fields replaced by the shared objects of equal value."""
        values = self.values
        for name, value in zip(self._FIELDS, self._get(ref), strict=True):
            setattr(ref, name, values.setdefault(value, value))
        codes = tuple(ref.issuer_codes)
        ref.issuer_codes = self.lists.setdefault(codes, ref.issuer_codes)
        return ref

    def ref(self, ref: DocRef) -> DocRef:
        """The one DocRef of `ref`'s value (its fields shared already, so identity stands for equality)."""
        key = tuple(map(id, self._get(ref))) + (id(ref.issuer_codes),)
        return self.refs.setdefault(key, ref)

    def mention(self, relation: _Relation) -> Mention:
        """A Mention with only the relation fields (what resolve_corpus reads when given the DocRefs)."""
        mention = self.mentions.get(relation)
        if mention is None:
            relation = tuple(map(self.value, relation))  # type: ignore[assignment]
            mention = self.mentions[relation] = Mention(None, "", None, *relation)  # type: ignore[arg-type]
        return mention


def _share_resolution(resolution: Resolution, shared: _Shared) -> None:
    """After resolve_corpus (which sets years and IRIs): one string per IRI and one DocRef per value, in
    place. The output is the same: nothing reads a DocRef's identity but kg.summary's `ref is not citing`,
    which the equal IRIs of equal DocRefs decide the same way."""
    value, ref = shared.value, shared.ref
    for path, refs in resolution.mentions.items():
        citing = resolution.citing[path]
        citing.iri, citing.year = value(citing.iri), value(citing.year)
        resolution.citing[path] = ref(citing)
        for index, mentioned in enumerate(refs):
            if mentioned is not None:
                mentioned.iri, mentioned.year = value(mentioned.iri), value(mentioned.year)
                refs[index] = ref(mentioned)
    resolution.canonical = {value(iri): ref(r) for iri, r in resolution.canonical.items()}
    resolution.id_local = {value(iri): form for iri, form in resolution.id_local.items()}
    resolution.edges = {(value(s), value(r), value(t)) for s, r, t in resolution.edges}
    shared.refs.clear()


def _resolution_slice(resolution: Resolution, keys: Sequence[str]) -> Resolution:
    """What file_ntriples reads of the Resolution for the files `keys`: their DocRefs and the corpus-wide
    facts (representative mention, id_local) of the documents they name."""
    citing = {key: resolution.citing[key] for key in keys}
    mentions = {key: resolution.mentions[key] for key in keys}
    iris = {ref.iri for key in keys for ref in (citing[key], *mentions[key]) if ref is not None}
    canonical = {iri: resolution.canonical[iri] for iri in iris if iri in resolution.canonical}
    id_local = {iri: resolution.id_local[iri] for iri in iris if iri in resolution.id_local}
    return Resolution(citing=citing, mentions=mentions, id_local=id_local, warnings=[], canonical=canonical)


_Outcome = tuple[str, bool, str | None]


def _write_batch(index: int, shas: dict[str, str], resolution: Resolution, stored: dict[str, str],
                 batches: str | None) -> tuple[list[_Outcome], str | None]:
    """Worker: the file graphs of the files `shas` names (key -> content hash, the key to its analysis in
    the cache) as (key, changed, N-Triples when changed), given their slice of the Resolution and the
    stored kg:contentHash of their graphs; into a folder `batches` (bulk loading), the changed graphs go
    to one N-Quads file instead, whose path comes back."""
    assert _CACHE is not None
    outcomes: list[_Outcome] = []
    batch = Path(batches) / f"batch-{index:06d}.nq" if batches is not None else None
    # Each file graph goes to the batch file as it is made: a batch holds hundreds of thousands of quads.
    with batch.open("w", encoding="utf-8") if batch is not None else contextlib.nullcontext() as quads:
        for key, sha in shas.items():
            analysis = _CACHE.get(sha, key)
            if analysis is None:  # read (and cached) moments ago: the cache folder was removed meanwhile
                raise RuntimeError(f"the analysis of {key} vanished from the cache during the build")
            content = file_ntriples(analysis, resolution)
            graph = file_graph_iri(key)
            changed = stored.get(graph) != _content_hash(content)
            if changed and quads is not None:
                # Each line ends " .\n" and no literal holds a raw line break (N-Triples escapes it).
                quads.write(content.replace(" .\n", f" {_iri(graph)} .\n"))
                content = None
            outcomes.append((key, changed, content if changed else None))
    if batch is None:
        return outcomes, None
    if not any(changed for _, changed, _ in outcomes):
        batch.unlink()
        return outcomes, None
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
        with _Pool(workers) as pool:  # forked at the first read job, before any corpus-wide structure
            shared = _Shared()
            analyses, per_file, named = _read_stage(store, paths, pool, shared, report, progress)
            resolution = resolve_corpus(analyses.values(), per_file)
            del per_file
            _finish_report(report, analyses, named, resolution)
            shas = {key: analysis.sha256 for key, analysis in analyses.items()}
            del analyses
            _share_resolution(resolution, shared)
            del shared
            _write_stage(store, pool, resolution, shas, named, report, progress)
    finally:
        _CACHE = None
        if scratch is not None:
            scratch.cleanup()
    return report


def _read_stage(store: Any, paths: list[str], pool: _Pool, shared: _Shared, report: Any,
                progress: Progress | None) -> tuple[dict[str, FileAnalysis], dict[str, FileRefs], set[str]]:
    """What resolution reads (FileAnalysis with only path, hash, warnings and the mentions' relation
    fields) and document identities by file key, of the files named and of the files built earlier that
    still take part in identity resolution (from the cache), and the keys of the files named that were
    read. The graphs of files deleted from a folder being built are dropped."""
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
    chunksize = max(1, min(64, len(jobs) // (pool.workers * 8)))
    for done, result in enumerate(pool.map(_read_one, jobs, chunksize), start=1):
        if isinstance(result, IngestError):
            report.failed[key_of.get(result.path, result.path)] = result.reason
        elif result is not None:
            (path, sha, warnings, relations), (citing, refs) = result
            mentions = [shared.mention(relation) for relation in relations]
            analyses[path] = FileAnalysis(path, sha, "", None, mentions, warnings)  # type: ignore[arg-type]
            per_file[path] = shared.fields(citing), [ref and shared.fields(ref) for ref in refs]
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


def _write_stage(store: Any, pool: _Pool, resolution: Resolution, shas: dict[str, str], named: set[str],
                 report: Any, progress: Progress | None) -> None:
    """Write every file graph whose content changed (all of them into a store built aside), then the
    corpus-wide graphs. The workers get each batch's slice of the Resolution with the batch; the main
    process writes the corpus-wide graphs meanwhile, then stores the workers' file graphs."""
    if getattr(store, "building_aside", False):
        _bulk_write_stage(store, pool, resolution, shas, report, progress)
        return
    stored = _stored_hashes(store)
    ordered = sorted(shas)
    jobs = _write_jobs(resolution, shas, ordered, 16, stored, None)  # small: each graph is a transaction
    results = pool.map(_write_batch, jobs)
    del jobs  # each slice lives as long as its job is pending
    corpus_graphs = _corpus_graphs(resolution)
    # Each node's one description, new ones before the file graphs citing them (kg.graph.node_graphs)
    stale = write_node_graphs(store, resolution, stored)
    _clear(resolution)
    _write_file_graphs(store, results, named, len(ordered), report, progress)
    # Into a store in use, last, as before: a build killed meanwhile leaves the old ones
    _store_graphs(store, corpus_graphs)
    for graph in stale:  # nodes no file graph names any more: only now, none is named meanwhile
        store.drop_graph(graph)


def _write_jobs(resolution: Resolution, shas: dict[str, str], ordered: list[str], size: int,
                stored: dict[str, str], batches: str | None) -> list[tuple[Any, ...]]:
    """_write_batch's jobs: `size` files each, with their slice of the Resolution."""
    jobs = []
    for index, start in enumerate(range(0, len(ordered), size)):
        keys = ordered[start:start + size]
        graphs = {graph: stored[graph] for graph in map(file_graph_iri, keys) if graph in stored}
        jobs.append((index, {key: shas[key] for key in keys}, _resolution_slice(resolution, keys), graphs,
                     batches))
    return jobs


def _clear(resolution: Resolution) -> None:
    for attribute in ("citing", "mentions", "canonical", "id_local", "edges"):
        getattr(resolution, attribute).clear()  # what is left of it is in the jobs not yet sent


def _bulk_write_stage(store: Any, pool: _Pool, resolution: Resolution, shas: dict[str, str], report: Any,
                      progress: Progress | None) -> None:
    """Into a store built aside (no one sees it before it is complete, so the order of the loads does not
    matter): every graph goes to an N-Quads or N-Triples file that loader threads bulk-load as soon as it
    is complete. The main process queues the workers' batch files as they come, while a thread of its
    own makes the corpus-wide graphs and the node graphs: loading (about 15 us of CPU per quad, in Rust,
    without the GIL) overlaps the Python work instead of following it."""
    ordered = sorted(shas)
    size = max(16, min(1000, len(ordered) // (pool.workers * 4)))  # several batches per worker
    with tempfile.TemporaryDirectory(prefix=".batches-", dir=store.location) as folder, \
            _Loader(store, min(2, pool.workers)) as loader:
        jobs = _write_jobs(resolution, shas, ordered, size, {}, folder)
        results = pool.map(_write_batch, jobs)
        del jobs  # each slice lives as long as its job is pending
        corpus_wide = _Background(_load_corpus_wide, resolution, folder, loader)
        del resolution  # cleared by _load_corpus_wide once used
        done = 0
        try:
            for outcomes, batch in results:
                report.written.extend(key for key, _, _ in outcomes)  # all changed: the store was empty
                if batch is not None:
                    loader.put(batch, None, len(outcomes))
                done = _loaded(loader, done, len(ordered), progress, block=False)
        finally:
            corpus_wide.join()
        _loaded(loader, done, len(ordered), progress, block=True)


def _load_corpus_wide(resolution: Resolution, folder: str, loader: _Loader) -> None:
    """Queue the corpus-wide graphs and the node graphs for loading, then clear the Resolution."""
    _load_corpus_graphs(resolution, folder, loader)
    _load_in_parts(loader, folder, None, _node_graph_quads(resolution))
    _clear(resolution)


def _loaded(loader: _Loader, done: int, total: int, progress: Progress | None, block: bool) -> int:
    """Report the batches loaded since `done` files were (all that are queued if `block`); the new count."""
    for files in loader.finished(block):
        done += files
        if progress and files:
            progress("write", done, total)
    return done


class _Loader:
    """Bulk-loads files into a store built aside, in `threads` threads of their own, each file as soon as
    a thread is free, deleting it once loaded. pyoxigraph's bulk_load releases the GIL while it parses,
    sorts and writes, and loads into one store may run at once (each adds its own sorted files to the
    store's). finished() yields each queued item's `files` (how many source files it holds) as its load
    is done, and raises the first error a load met."""

    def __init__(self, store: Any, threads: int = 1):
        import queue
        import threading

        self.store = store
        # (rank, order, item): the corpus-wide files (rank 0) go ahead of the batches queued before them
        # (rank 1), so they are not loaded after the last batch; None (rank 2) stops a thread.
        self.todo: queue.PriorityQueue[tuple[int, int, tuple[str, str | None, int] | None]] = \
            queue.PriorityQueue()
        self.order = itertools.count()
        self.done: queue.Queue[int | BaseException] = queue.Queue()
        self.queued = 0  # put by the main thread and the corpus-wide one: counted under the lock
        self.lock = threading.Lock()
        self.stopping = False
        self.threads = [threading.Thread(target=self._run, name=f"kg-bulk-loader-{number}", daemon=True)
                        for number in range(threads)]

    def __enter__(self) -> _Loader:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopping = True  # after an error elsewhere: load nothing more
        for _ in self.threads:
            self.todo.put((2, next(self.order), None))
        for thread in self.threads:
            thread.join()

    def put(self, file: str, graph: str | None = None, files: int = 0, first: bool = False) -> None:
        """Load `file` (N-Quads; N-Triples into `graph` when given); `first`: ahead of those not `first`."""
        with self.lock:
            self.queued += 1
        self.todo.put((0 if first else 1, next(self.order), (file, graph, files)))

    def _run(self) -> None:
        while (item := self.todo.get()[2]) is not None:
            if self.stopping:
                continue
            file, graph, files = item
            try:
                self.store.bulk_load(file, graph)
                os.remove(file)
            except BaseException as error:  # handed to the main thread by finished()
                self.stopping = True
                self.done.put(error)
                continue
            self.done.put(files)

    def finished(self, block: bool) -> Iterator[int]:
        """The `files` of each load done since the last call; with `block` (once nothing more is put), of
        every load still to be done, as each is."""
        import queue

        while self.queued:
            try:
                result = self.done.get(block=block)
            except queue.Empty:
                return
            if isinstance(result, BaseException):
                raise result
            with self.lock:
                self.queued -= 1
            yield result


class _Background:
    """function(*args) in a thread; join() waits for it and raises what it raised."""

    def __init__(self, function: Callable[..., None], *args: Any):
        import gc
        import threading

        # pyoxigraph's query results may only be freed by the thread that made them: collect the main
        # thread's cyclic garbage here, or the thread's first collection would find them (and leak them)
        gc.collect()
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, args=(function, *args), name="kg-corpus-wide",
                                       daemon=True)
        self.thread.start()

    def _run(self, function: Callable[..., None], *args: Any) -> None:
        try:
            function(*args)
        except BaseException as error:  # raised in the main thread by join()
            self.error = error

    def join(self) -> None:
        self.thread.join()
        if self.error is not None:
            raise self.error


# Lines per file the main process bulk-loads: bulk_load's memory grows with its file (1.5 GB of RSS for a
# file of 2.4 million quads), and a file is loaded while the next one is written.
_PART_LINES = 250_000


def _load_corpus_graphs(resolution: Resolution, folder: str, loader: _Loader) -> None:
    """Queue the corpus-wide graphs (ontology, registry, summary) for loading, each ending with its
    kg:contentHash line: what _store_graphs stores into a store in use. graph:summary goes to its files in
    parts, never whole in memory as one text."""
    from kg.summary import summary_lines

    graphs = [(vocab.ONTOLOGY_GRAPH, ontology_ntriples())]
    registry = registry_ntriples(described_documents(resolution))
    if registry is not None:
        graphs.append((vocab.REGISTRY_GRAPH, registry))
    for graph, ntriples in graphs:
        _load_in_parts(loader, folder, graph, _with_hash_line(graph, [ntriples]))
    del graphs
    lines = summary_lines(resolution)
    _load_in_parts(loader, folder, vocab.SUMMARY_GRAPH, _with_hash_line(vocab.SUMMARY_GRAPH, _joined(lines)))


def _joined(lines: list[str], size: int = 1 << 14) -> Iterator[str]:
    """"\n".join(lines) + "\n" (nothing for no lines) in parts of `size` lines, emptying `lines`."""
    lines.reverse()
    while lines:
        part = [lines.pop() for _ in range(min(size, len(lines)))]
        yield "\n".join(part) + "\n"


def _with_hash_line(graph: str, texts: Iterable[str]) -> Iterator[bytes]:
    """The N-Triples `texts` (whole lines) in UTF-8, then the graph's kg:contentHash line: the hash of
    their text."""
    digest = hashlib.sha256()
    for text in texts:
        data = text.encode("utf-8")
        digest.update(data)
        yield data
    yield content_hash_line(graph, digest.hexdigest()[:16]).encode()


def _node_graph_quads(resolution: Resolution) -> Iterator[bytes]:
    """Every node graph (kg.graph.node_graphs) as N-Quads in UTF-8."""
    for graph, content, _ in node_graphs(resolution):
        # Each line ends " .\n" and no literal holds a raw line break (N-Triples escapes it).
        yield content.replace(" .\n", f" {_iri(graph)} .\n").encode("utf-8")


def _load_in_parts(loader: _Loader, folder: str, graph: str | None, parts: Iterable[bytes]) -> None:
    """Write `parts` (whole lines: N-Quads, or N-Triples of `graph`) to files in `folder` of about
    _PART_LINES lines each, queueing each file for loading as soon as it is complete."""
    file: Any = None
    lines = 0
    for part in parts:
        if file is None:
            file = tempfile.NamedTemporaryFile("wb", suffix=".nq", dir=folder, delete=False)
        file.write(part)
        lines += part.count(b"\n")
        if lines >= _PART_LINES:
            file.close()
            loader.put(file.name, graph, first=True)
            file, lines = None, 0
    if file is not None:
        file.close()
        loader.put(file.name, graph, first=True)


def _store_graphs(store: Any, graphs: list[tuple[str, str]]) -> None:
    """Replace each (graph IRI, N-Triples) that changed in a store in use, emptying `graphs`."""
    graphs.reverse()
    while graphs:
        graph, ntriples = graphs.pop()
        digest = _chunked_hash(ntriples)
        if _stored_hash(store, graph) != digest:
            store.replace_graph(graph, ntriples + content_hash_line(graph, digest))


def _write_file_graphs(store: Any, results: Iterable[tuple[list[_Outcome], str | None]],
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


def _corpus_graphs(resolution: Resolution) -> list[tuple[str, str]]:
    """(graph IRI, N-Triples) of the corpus-wide graphs: ontology, registry, summary."""
    from kg.summary import summary_ntriples

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
    """IRI -> eli:id_local of every document a file graph names (citing or cited): each has a node graph."""
    return {ref.iri: resolution.id_local.get(ref.iri, ref.form)
            for ref in _all_refs(resolution.citing, resolution.mentions) if ref.iri}


def _stored_hash(store: Any, graph: str) -> str | None:
    rows = store.select(f"SELECT ?h WHERE {{ GRAPH <{graph}> {{ <{graph}> <{vocab.CONTENT_HASH}> ?h }} }}")
    return rows[0]["h"] if rows else None


def _chunks(text: str, size: int = 1 << 22) -> Iterator[bytes]:
    """`text` in UTF-8, a few MB at a time (graph:summary is hundreds of MB at 100,000 documents)."""
    for start in range(0, len(text), size):
        yield text[start:start + size].encode("utf-8")


def _chunked_hash(text: str) -> str:
    """kg.graph._hash(text), without encoding all of `text` at once."""
    digest = hashlib.sha256()
    for chunk in _chunks(text):
        digest.update(chunk)
    return digest.hexdigest()[:16]

