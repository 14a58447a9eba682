"""Persistence: the embedded Oxigraph store (default `.kg/`) or a remote SPARQL 1.1 server.

Contract shared by the embedded and the remote store (kg/remote.py). Owner: graph/store engineer.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol


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
