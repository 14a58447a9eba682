"""Persistence: the embedded Oxigraph store (default `.kg/`) or a remote SPARQL 1.1 server.

Contract shared by the embedded and the remote store (kg/remote.py). Owner: graph/store engineer.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from kg import vocab

if TYPE_CHECKING:
    import pyoxigraph


class StoreBusyError(RuntimeError):
    """Another process holds the store's write lock (a `kg build` is running): try again when it ends."""


class GraphStore(Protocol):
    """What query, viz, check and build need from a store, embedded or remote.

    SPARQL runs with the default graph as the union of all named graphs.
    """

    location: str

    def select(self, sparql: str, bindings: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Run a SELECT; each row maps variable name -> rdflib-free Python value (str/int/date/IRI str)."""
        ...

    def ask(self, sparql: str) -> bool: ...

    def construct(self, sparql: str) -> Iterable[tuple[str, str, str]]: ...

    def replace_graph(self, graph_iri: str, ntriples: str) -> None:
        """Atomically replace one named graph's content (N-Triples text) — old or new, never a mix."""
        ...

    def drop_graph(self, graph_iri: str) -> None: ...

    def source_hashes(self) -> dict[str, str]:
        """Source file path -> sha256 of what is stored for it (to skip unchanged files)."""
        ...

    def dump(self, fmt: str) -> bytes:
        """Serialise the whole dataset ("nq", "trig") or the union graph ("ttl", "nt", "jsonld")."""
        ...

    def close(self) -> None: ...


# ---------------------------------------------------------------------------------------------- terms

_XSD_INT = {vocab.XSD + name for name in ("integer", "int", "long", "short", "nonNegativeInteger")}


def term_to_python(term: Any) -> Any:
    """pyoxigraph term -> plain Python: IRIs and strings as str, integers as int, xsd:date as date."""
    import pyoxigraph as ox

    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        try:
            if datatype in _XSD_INT:
                return int(term.value)
            if datatype == vocab.XSD + "date":
                return dt.date.fromisoformat(term.value)
            if datatype in (vocab.XSD + "decimal", vocab.XSD + "double", vocab.XSD + "float"):
                return float(term.value)
            if datatype == vocab.XSD + "boolean":
                return term.value == "true"
        except ValueError:
            return term.value
        return term.value
    return str(term)


def python_to_term(value: Any) -> Any:
    """Plain Python -> pyoxigraph term (strings that look like IRIs become IRIs)."""
    import pyoxigraph as ox

    if isinstance(value, ox.NamedNode | ox.Literal | ox.BlankNode):
        return value
    if isinstance(value, bool):
        return ox.Literal("true" if value else "false", datatype=ox.NamedNode(vocab.XSD + "boolean"))
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=ox.NamedNode(vocab.XSD + "integer"))
    if isinstance(value, dt.date):
        return ox.Literal(value.isoformat(), datatype=ox.NamedNode(vocab.XSD + "date"))
    text = str(value)
    if text.startswith(("http://", "https://", "urn:")):
        return ox.NamedNode(text)
    return ox.Literal(text)


def bind_values(sparql: str, bindings: dict[str, Any]) -> str:
    """The query with `VALUES (?a ?b) { (…) }` at the start of its WHERE group (works for variables that
    are not projected, unlike SEP-0007 substitution). Values are converted by `python_to_term`."""
    import re

    names = list(bindings)
    for name in names:
        if not re.fullmatch(r"[A-Za-z_]\w*", name):
            raise ValueError(f"not a SPARQL variable name: {name!r}")
    row = " ".join(str(python_to_term(bindings[name])) for name in names)
    block = f"VALUES ({' '.join('?' + n for n in names)}) {{ ({row}) }}"
    # Skip IRIs, strings and comments, then find WHERE { (or ASK {, or a SELECT's first group).
    masked = re.sub(
        r"<[^<>\s]*>|\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'|#[^\n]*", lambda m: " " * len(m.group()), sparql
    )
    match = re.search(r"(?i)\bWHERE\s*\{", masked) or re.search(r"(?i)\bASK\s*\{", masked)
    brace = match.end() - 1 if match else masked.find("{")
    if brace < 0:
        raise ValueError("cannot bind parameters: the query has no { … } group")
    return f"{sparql[: brace + 1]}\n  {block}\n{sparql[brace + 1 :]}"


# ---------------------------------------------------------------------------------------------- store

_DUMP_FORMATS = {"nq": "N_QUADS", "trig": "TRIG", "ttl": "TURTLE", "nt": "N_TRIPLES", "rdf": "RDF_XML"}


class EmbeddedStore:
    """A pyoxigraph Store on disk (or in memory when `path` is None)."""

    def __init__(self, path: str | os.PathLike[str] | None = None, read_only: bool = False):
        import pyoxigraph as ox

        self.location = str(path) if path is not None else ":memory:"
        self.read_only = read_only
        # A new store built in a folder of its own and renamed into place when complete (kg.store.build):
        # the build may then bulk-load, which is not transactional.
        self.building_aside = False
        try:
            if path is None:
                self.store = ox.Store()
            elif read_only:
                self.store = _open_read_only(Path(path))
            else:
                Path(path).mkdir(parents=True, exist_ok=True)
                self.store = ox.Store(str(path))
        except OSError as error:
            if _is_lock_error(error):
                raise StoreBusyError(
                    f"store {self.location} is busy: another kg process (a build?) is writing it; "
                    "try again when it has finished"
                ) from error
            raise

    @property
    def oxigraph(self) -> pyoxigraph.Store:
        """The underlying pyoxigraph.Store, for Python users who want its full API."""
        return self.store

    def _query(self, sparql: str, bindings: dict[str, Any] | None = None) -> Any:
        if bindings:
            sparql = bind_values(sparql, bindings)
        return self.store.query(sparql, use_default_graph_as_union=True, prefixes=vocab.PREFIXES)

    def select(self, sparql: str, bindings: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        try:
            solutions = self._query(sparql, bindings)
            names = [v.value for v in solutions.variables]
            return [{name: term_to_python(row[name]) for name in names} for row in solutions]
        except OSError as error:  # a read-only instance whose files a concurrent build compacted away
            if self.read_only:
                raise _busy_reading(self.location) from error
            raise

    def ask(self, sparql: str) -> bool:
        return bool(self._query(sparql))

    def construct(self, sparql: str) -> list[tuple[str, str, str]]:
        return [
            (term_to_python(t.subject), term_to_python(t.predicate), _object_text(t.object))
            for t in self._query(sparql)
        ]

    def update(self, sparql: str) -> None:
        """One SPARQL Update, applied in a single transaction."""
        self.store.update(sparql)

    def replace_graph(self, graph_iri: str, ntriples: str) -> None:
        import pyoxigraph as ox

        graph = ox.NamedNode(graph_iri)
        if not self.store.contains_named_graph(graph):
            # A new graph (every graph of a first build): `load` is one transaction too, and parses
            # N-Triples directly instead of a SPARQL update (about 25 % less CPU per file graph).
            self.store.load(ntriples, format=ox.RdfFormat.N_TRIPLES, to_graph=graph)
            return
        # One `update` call is one Oxigraph transaction: readers see the old graph or the new, never a mix.
        self.store.update(
            f"DROP SILENT GRAPH <{graph_iri}> ;\nINSERT DATA {{ GRAPH <{graph_iri}> {{\n{ntriples}\n}} }}"
        )

    def drop_graph(self, graph_iri: str) -> None:
        self.store.update(f"DROP SILENT GRAPH <{graph_iri}>")

    def bulk_load(self, file: str | os.PathLike[str], graph_iri: str | None = None) -> None:
        """Add an N-Quads file's quads (or an N-Triples file's triples to `graph_iri`) without a transaction:
        about half the CPU of `load`, but a failure or a kill leaves part of it. Only for a store being
        built aside (`building_aside`)."""
        import pyoxigraph as ox

        if not self.building_aside:
            raise RuntimeError("bulk_load is only for a store being built aside (kg.store.build)")
        if graph_iri is None:
            self.store.bulk_load(path=str(file), format=ox.RdfFormat.N_QUADS)
        else:
            graph = ox.NamedNode(graph_iri)
            self.store.bulk_load(path=str(file), format=ox.RdfFormat.N_TRIPLES, to_graph=graph)

    def graph_hash(self, graph_iri: str) -> str | None:
        rows = self.select("SELECT ?h WHERE { GRAPH ?g { ?g kg:contentHash ?h } }", {"g": graph_iri})
        return rows[0]["h"] if rows else None

    def source_hashes(self) -> dict[str, str]:
        rows = self.select("SELECT ?path ?sha WHERE { ?f a kg:SourceFile ; kg:path ?path ; kg:sha256 ?sha }")
        return {row["path"]: row["sha"] for row in rows}

    def named_graphs(self) -> list[str]:
        return sorted(g.value for g in self.store.named_graphs())

    def dump(self, fmt: str) -> bytes:
        import pyoxigraph as ox

        if fmt == "jsonld":
            return _union_graph(self).serialize(format="json-ld", context=vocab.PREFIXES).encode()
        name = _DUMP_FORMATS.get(fmt)
        if name is None:
            raise ValueError(f"unknown RDF format {fmt!r}: use one of nq, trig, ttl, nt, rdf, jsonld")
        rdf_format = getattr(ox.RdfFormat, name)
        if rdf_format.supports_datasets:
            return self.store.dump(format=rdf_format)
        # Graph formats: the union of all named graphs, each triple once.
        triples = {(q.subject, q.predicate, q.object) for q in self.store.quads_for_pattern(None, None, None)}
        ordered = sorted(triples, key=lambda t: (str(t[0]), str(t[1]), str(t[2])))
        return ox.serialize([ox.Triple(*t) for t in ordered], format=rdf_format, prefixes=vocab.PREFIXES)

    def __len__(self) -> int:
        return len(self.store)

    def close(self) -> None:
        if not self.read_only:
            self.store.flush()
        del self.store

    def __enter__(self) -> EmbeddedStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _object_text(term: Any) -> Any:
    return term_to_python(term)


def _is_lock_error(error: OSError) -> bool:
    text = str(error).lower()
    return "lock" in text or "resource temporarily unavailable" in text or "busy" in text


def _busy_reading(location: str | os.PathLike[str]) -> StoreBusyError:
    return StoreBusyError(
        f"store {location} is busy: a kg build is writing it and it cannot be read at this moment; "
        "try again in a moment or when the build has finished"
    )


def _write_locked(path: Path) -> bool:
    """Whether another process holds RocksDB's write lock (the fcntl lock on LOCK) on the store, or is
    building it as a new store aside (the lock of `_staging`).

    Only asked after a read-only open failed. A POSIX lock test: closing the file drops this process's own
    locks on it, which matters only if this very process also has the store open for writing.
    """
    return _file_locked(path / "LOCK") or _file_locked(_staging(path)[1])


def _file_locked(lock_file: Path) -> bool:
    import fcntl

    try:
        with open(lock_file, "rb") as handle:
            try:
                fcntl.lockf(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
            except OSError:
                return True
            fcntl.lockf(handle, fcntl.LOCK_UN)
    except OSError:
        return False
    return False


def _open_read_only(path: Path, attempts: int = 3) -> pyoxigraph.Store:
    """A read-only instance of the store, also while a `kg build` (the one writer) is writing it.

    Such an instance sees the store as it was when opened; the build commits each file graph in one
    transaction, so a reader sees whole file graphs, old or new. Opening fails while the build is creating
    the store, or rarely while it rewrites its manifest or compacts away a file the manifest still names
    (RocksDB reports that as corruption, a RuntimeError): retried, then reported as busy, never a traceback.
    """
    import time

    import pyoxigraph as ox

    failure: Exception
    for attempt in range(attempts):
        if not (path / "CURRENT").exists() and not _write_locked(path):
            raise FileNotFoundError(f"no kg store at {path}: run `kg build PATH --store {path}` first")
        try:
            return ox.Store.read_only(str(path))
        except OSError as error:
            failure = error
        except RuntimeError as error:
            if "No such file" not in str(error):
                raise
            failure = error
        time.sleep(0.2 * (attempt + 1))
    if _write_locked(path):
        raise _busy_reading(path) from failure
    raise failure


def _union_graph(store: EmbeddedStore) -> Any:
    """The union graph as an rdflib Graph (for serialisers pyoxigraph lacks, e.g. JSON-LD)."""
    import rdflib

    data = store.dump("nt")
    graph = rdflib.Graph()
    for prefix, iri in vocab.PREFIXES.items():
        graph.bind(prefix, iri)
    graph.parse(data=data.decode("utf-8"), format="nt")
    return graph


def open_store(path_or_url: str | os.PathLike[str] = ".kg", read_only: bool = True) -> GraphStore:
    """Open a store for reading (default) or writing: a directory (embedded) or an http(s) SPARQL URL.

    Raises StoreBusyError when another process holds the write lock, FileNotFoundError when a
    read-only store does not exist yet (run `kg build` first).
    """
    location = str(path_or_url)
    if location.startswith(("http://", "https://")):
        from kg.remote import RemoteStore

        return RemoteStore(location)
    # CURRENT: RocksDB's marker of a database folder; missing but write-locked: a build is creating it.
    if read_only and not (Path(location) / "CURRENT").is_file() and not _write_locked(Path(location)):
        raise FileNotFoundError(f"no kg store at {location}: run `kg build PATH --store {location}` first")
    return EmbeddedStore(location, read_only=read_only)


def rdflib_dataset(path: str | os.PathLike[str] = ".kg") -> Any:
    """An rdflib Dataset over the on-disk store via oxrdflib (the rdflib Graph API for Python users).

    The store must not be open elsewhere in this process. Close it with `dataset.close()`.
    """
    import rdflib

    dataset = rdflib.Dataset(store="Oxigraph")
    dataset.open(str(path), create=False)
    return dataset


# ---------------------------------------------------------------------------------------------- build


@dataclass(slots=True)
class BuildReport:
    """What a build did: files written, skipped as unchanged, failed (path -> reason), removed, warnings."""

    store: str
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    removed: list[str] = field(default_factory=list)  # files deleted from a folder being built
    warnings: list[str] = field(default_factory=list)
    documents: int = 0
    citations: int = 0

    @property
    def ok(self) -> bool:
        return not self.failed


def build(
    paths: Sequence[str | os.PathLike[str]] | str | os.PathLike[str],
    store: str | os.PathLike[str] = ".kg",
    jobs: int | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> BuildReport:
    """Ingest, extract, resolve and store `paths` (files or folders) into the store at `store`.

    Unchanged files (same sha256) are not re-extracted; every file graph whose content changes is
    replaced atomically. `jobs`: processes for ingest + extraction (None = all cores, 1 = inline).
    `progress(stage, done, total)` is called as files are processed.
    """
    from kg.pipeline import build_into

    if isinstance(paths, str | os.PathLike):
        paths = [paths]
    names = [str(p) for p in paths]
    if str(store).startswith(("http://", "https://")):
        from kg.remote import RemoteStore

        target: Any = RemoteStore(str(store))
    elif _is_new(Path(store)):
        report = _build_aside(Path(store), names, jobs, progress)
        if report is not None:
            return report
        target = EmbeddedStore(store)  # another build created the store meanwhile: update it
    else:
        target = EmbeddedStore(store)
    try:
        return build_into(target, names, jobs=jobs, progress=progress)
    finally:
        target.close()


def _is_new(location: Path) -> bool:
    """No store and nothing else there yet: a missing or empty folder."""
    return not location.exists() or (location.is_dir() and not any(location.iterdir()))


def _staging(location: Path) -> tuple[Path, Path]:
    """Where a new store is built before it is renamed to `location`, and the lock its builder holds."""
    hidden = location.parent / f".{location.name}.building"
    return hidden, hidden.with_name(hidden.name + ".lock")


def _build_aside(
    location: Path, paths: list[str], jobs: int | None, progress: Callable[[str, int, int], None] | None
) -> BuildReport | None:
    """Build a new store in a folder beside `location`, bulk-loading its file graphs, and rename it into
    place when it is complete: a killed build leaves no store (an empty folder; the next build starts
    over), never a partial one. None when another build created the store meanwhile."""
    import fcntl
    import shutil

    from kg.pipeline import build_into

    staging, lock_file = _staging(location)
    location.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_file, "wb") as lock:
        try:
            fcntl.lockf(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as error:
            raise StoreBusyError(
                f"store {location} is busy: another kg process (a build?) is writing it; "
                "try again when it has finished"
            ) from error
        if not _is_new(location):
            return None
        shutil.rmtree(staging, ignore_errors=True)  # what a killed build left
        location.mkdir(exist_ok=True)  # an empty folder meanwhile: readers find it and are told "busy"
        target = EmbeddedStore(staging)
        target.building_aside = True
        try:
            report = build_into(target, paths, jobs=jobs, progress=progress)
        finally:
            target.close()
        os.replace(staging, location)  # an empty folder at `location` is replaced too
        lock_file.unlink(missing_ok=True)
    report.store = str(location)
    return report
