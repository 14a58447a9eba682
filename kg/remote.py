"""A remote SPARQL 1.1 server as a kg store (the GraphStore protocol of kg/store.py), over urllib.

Works with any server that speaks SPARQL 1.1 Query, Update and the Graph Store HTTP Protocol: Oxigraph,
Fuseki, GraphDB, Virtuoso, QLever. Endpoints default to Oxigraph's layout (`/query`, `/update`, `/store`)
and can be set per server in ~/.config/kg/store.toml. Credentials come from KG_STORE_USER /
KG_STORE_PASSWORD or that file; they are sent as HTTP Basic auth and never shown (see `__repr__`).

Parameters are bound with a VALUES block of properly serialised RDF terms (kg.query.with_values), so a
parameter value can never change the query's structure.
"""

from __future__ import annotations

import base64
import os
import re
import tomllib
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg import vocab

CONFIG_ENV = "KG_STORE_CONFIG"  # another path for store.toml (tests, CI)
USER_ENV = "KG_STORE_USER"
PASSWORD_ENV = "KG_STORE_PASSWORD"
RESULTS_JSON = "application/sparql-results+json"
NTRIPLES = "application/n-triples"
# Oxigraph's per-request switch; other servers configure the union default graph on the dataset.
OXIGRAPH_UNION_PARAM = "union-default-graph"

SOURCE_HASHES_QUERY = f"""SELECT ?path ?sha WHERE {{
  ?file a <{vocab.SOURCE_FILE}> ; <{vocab.PATH}> ?path ; <{vocab.SHA256}> ?sha .
}}"""


class RemoteStoreError(Exception):
    """The server refused or failed a request; the message never contains credentials."""

    def __init__(self, message: str, status: int | None = None, body: str = ""):
        super().__init__(message)
        self.status = status
        self.body = body


@dataclass(frozen=True, slots=True)
class Endpoints:
    query: str
    update: str
    store: str  # Graph Store Protocol


def config_path() -> Path:
    override = os.environ.get(CONFIG_ENV)
    if override:
        return Path(override)
    base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return base / "kg" / "store.toml"


def load_config(url: str, path: Path | None = None) -> dict[str, Any]:
    """Top-level settings of store.toml, overridden by its `[stores."<url>"]` table for this server."""
    path = path or config_path()
    if not path.is_file():
        return {}
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    settings = {k: v for k, v in data.items() if not isinstance(v, dict)}
    per_server = data.get("stores", {})
    settings.update(per_server.get(url.rstrip("/"), per_server.get(url, {})))
    return settings


def _split_credentials(url: str) -> tuple[str, str | None, str | None]:
    """`https://user:pw@host/x` -> (`https://host/x`, user, pw): credentials never stay in the location."""
    parts = urllib.parse.urlsplit(url)
    if parts.username is None and parts.password is None:
        return url, None, None
    host = parts.hostname or ""
    netloc = host + (f":{parts.port}" if parts.port else "")
    clean = urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
    user = urllib.parse.unquote(parts.username) if parts.username else None
    password = urllib.parse.unquote(parts.password) if parts.password else None
    return clean, user, password


class RemoteStore:
    """kg's store API over HTTP. `location` is the server's base URL, without credentials."""

    def __init__(
        self,
        url: str,
        *,
        query: str | None = None,
        update: str | None = None,
        store: str | None = None,
        user: str | None = None,
        password: str | None = None,
        union_param: str | None = None,
        timeout: float | None = None,
        config: Path | None = None,
    ):
        location, url_user, url_password = _split_credentials(url)
        self.location = location.rstrip("/")
        settings = load_config(self.location, config)
        self.endpoints = Endpoints(
            self._endpoint(query or settings.get("query", "/query")),
            self._endpoint(update or settings.get("update", "/update")),
            self._endpoint(store or settings.get("store", "/store")),
        )
        self._user = user or url_user or os.environ.get(USER_ENV) or settings.get("user")
        self._password = password or url_password or os.environ.get(PASSWORD_ENV) or settings.get("password")
        chosen_union = union_param if union_param is not None else settings.get("union_param")
        self.union_param = OXIGRAPH_UNION_PARAM if chosen_union is None else chosen_union
        self.timeout = float(timeout or settings.get("timeout", 120))

    def _endpoint(self, value: str) -> str:
        return value if re.match(r"^https?://", value) else self.location + "/" + value.lstrip("/")

    def __repr__(self) -> str:
        user = f", user={self._user!r}, password='***'" if self._user else ""
        return f"RemoteStore({self.location!r}{user})"

    __str__ = __repr__

    # ------------------------------------------------------------ HTTP

    def _request(self, url: str, *, data: bytes | None = None, method: str = "GET",
                 headers: Mapping[str, str] | None = None) -> tuple[str, bytes]:
        request = urllib.request.Request(url, data=data, method=method, headers=dict(headers or {}))
        if self._user is not None:
            token = base64.b64encode(f"{self._user}:{self._password or ''}".encode()).decode()
            request.add_header("Authorization", f"Basic {token}")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return response.headers.get("Content-Type", ""), response.read()
        except urllib.error.HTTPError as exc:
            body = exc.read().decode("utf-8", "replace")
            raise RemoteStoreError(self._mask(f"{method} {url}: HTTP {exc.code} {body.strip()[:2000]}"),
                                   exc.code, self._mask(body)) from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            message = f"cannot reach the SPARQL server {self.location}: {reason}"
            raise RemoteStoreError(self._mask(message)) from None

    def _mask(self, text: str) -> str:
        # Only the password is secret; masking a short user name would garble ordinary words.
        return text.replace(self._password, "***") if self._password else text

    def _query_url(self) -> str:
        if not self.union_param:
            return self.endpoints.query
        separator = "&" if "?" in self.endpoints.query else "?"
        return f"{self.endpoints.query}{separator}{urllib.parse.quote(self.union_param)}=true"

    # ------------------------------------------------------------ SPARQL

    def query_terms(self, sparql: str, bindings: Mapping[str, Any] | None = None) -> Any:
        """Run a query; SELECT/ASK give pyoxigraph QuerySolutions/QueryBoolean, CONSTRUCT a triple list.

        `bindings` (variable -> pyoxigraph term) are bound with a VALUES block (kg.query.with_values).
        kg's prefixes are declared when the query lacks them, as the embedded store does.
        A syntax error is raised as SyntaxError with the server's message (Oxigraph: 'error at L:C: …').
        """
        from kg.query import missing_prefixes, with_values

        text = with_values(sparql, bindings) if bindings else sparql
        text = missing_prefixes(text) + text
        body = urllib.parse.urlencode({"query": text}).encode()
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": f"{RESULTS_JSON}, {NTRIPLES};q=0.9, text/turtle;q=0.8",
        }
        try:
            content_type, payload = self._request(self._query_url(), data=body, method="POST",
                                                  headers=headers)
        except RemoteStoreError as exc:
            if exc.status == 400:
                raise SyntaxError(exc.body.strip() or str(exc)) from None
            raise
        media = content_type.split(";")[0].strip().lower()
        if media in (RESULTS_JSON, "application/json"):
            return ox.parse_query_results(payload, format=ox.QueryResultsFormat.JSON)
        rdf_format = ox.RdfFormat.TURTLE if media == "text/turtle" else ox.RdfFormat.N_TRIPLES
        return [q.triple for q in ox.parse(payload, format=rdf_format)]

    def select(self, sparql: str, bindings: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Rows like the embedded store's: every variable, Python values, None when unbound."""
        from kg.store import python_to_term, term_to_python

        terms = {name: python_to_term(value) for name, value in (bindings or {}).items()}
        solutions = self.query_terms(sparql, terms)
        names = [v.value for v in solutions.variables]
        return [{name: term_to_python(row[name]) for name in names} for row in solutions]

    def ask(self, sparql: str) -> bool:
        return bool(self.query_terms(sparql))

    def construct(self, sparql: str) -> Iterable[tuple[Any, Any, Any]]:
        """Triples as Python values, like the embedded store's (IRIs as str, literals typed)."""
        from kg.store import term_to_python

        return [tuple(term_to_python(t) for t in (triple.subject, triple.predicate, triple.object))
                for triple in self.query_terms(sparql)]

    def update(self, sparql: str) -> None:
        body = urllib.parse.urlencode({"update": sparql}).encode()
        self._request(self.endpoints.update, data=body, method="POST",
                      headers={"Content-Type": "application/x-www-form-urlencoded"})

    # ------------------------------------------------------------ graphs

    def _graph_url(self, graph_iri: str) -> str:
        separator = "&" if "?" in self.endpoints.store else "?"
        return f"{self.endpoints.store}{separator}{urllib.parse.urlencode({'graph': graph_iri})}"

    def replace_graph(self, graph_iri: str, ntriples: str) -> None:
        """Graph Store Protocol PUT: the server swaps the graph's content in one request."""
        self._request(self._graph_url(graph_iri), data=ntriples.encode("utf-8"), method="PUT",
                      headers={"Content-Type": NTRIPLES})

    def replace_graphs(self, graphs: Iterable[tuple[str, str]], max_bytes: int = 4 << 20) -> None:
        """Replace many small graphs (graph IRI, N-Triples) in few requests: a first build has one node
        graph per document, and one PUT each would be hundreds of thousands of round trips. Each request is
        one SPARQL Update of about `max_bytes` (DROP SILENT GRAPH + INSERT DATA per graph), which Oxigraph
        applies in one transaction, as replace_graph's PUT is applied per graph."""
        parts: list[str] = []
        size = 0
        for graph_iri, ntriples in graphs:
            node = ox.NamedNode(graph_iri)
            parts.append(f"DROP SILENT GRAPH {node} ;\nINSERT DATA {{ GRAPH {node} {{\n{ntriples}\n}} }}")
            size += len(parts[-1])
            if size >= max_bytes:
                self._post_update(" ;\n".join(parts))
                parts, size = [], 0
        if parts:
            self._post_update(" ;\n".join(parts))

    def _post_update(self, sparql: str) -> None:
        """An update sent as the request body (SPARQL 1.1 Protocol), not form-encoded: a few MB of
        Vietnamese text would triple in size as %XX escapes."""
        self._request(self.endpoints.update, data=sparql.encode("utf-8"), method="POST",
                      headers={"Content-Type": "application/sparql-update; charset=utf-8"})

    def drop_graph(self, graph_iri: str) -> None:
        self.update(f"DROP SILENT GRAPH {ox.NamedNode(graph_iri)}")

    def add_ntriples(self, graph_iri: str, ntriples: str) -> None:
        """Graph Store Protocol POST: append triples to a graph (bulk loads in several requests)."""
        self._request(self._graph_url(graph_iri), data=ntriples.encode("utf-8"), method="POST",
                      headers={"Content-Type": NTRIPLES})

    def source_hashes(self) -> dict[str, str]:
        return {row["path"]: row["sha"] for row in self.select(SOURCE_HASHES_QUERY)}

    def graphs(self) -> list[str]:
        rows = self.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        return sorted(row["g"] for row in rows)

    def quads(self) -> list[ox.Quad]:
        """Every quad of every named graph (portable: a SELECT, not a server-specific dump)."""
        solutions = self.query_terms("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        return [ox.Quad(row["s"], row["p"], row["o"], row["g"]) for row in solutions]

    def dump(self, fmt: str) -> bytes:
        """The dataset ("nq", "trig") or the union graph ("ttl", "nt", "rdf", "jsonld"), as the
        embedded store writes them."""
        if fmt == "jsonld":
            from kg.store import _union_graph

            return _union_graph(self).serialize(format="json-ld", context=vocab.PREFIXES).encode()
        quads = self.quads()
        dataset_formats = {"nq": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG}
        graph_formats = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES,
                         "rdf": ox.RdfFormat.RDF_XML}
        if fmt in dataset_formats:
            return ox.serialize(quads, format=dataset_formats[fmt], prefixes=vocab.PREFIXES)
        if fmt not in graph_formats:
            raise ValueError(f"unknown RDF format {fmt!r}: use one of nq, trig, ttl, nt, rdf, jsonld")
        triples = sorted(set(q.triple for q in quads), key=str)
        prefixes = vocab.PREFIXES if fmt in ("ttl", "rdf") else None
        return ox.serialize(triples, format=graph_formats[fmt], prefixes=prefixes)

    def close(self) -> None:
        """Nothing to release: each request is its own connection."""
