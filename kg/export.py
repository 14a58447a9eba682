"""Export the graph (RDF formats from the store; graph formats via networkx) and summarise it (`kg stats`)."""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from kg import vocab

RDF_FORMATS = ("ttl", "nt", "nq", "trig", "jsonld")
GRAPH_FORMATS = ("graphml", "gexf", "csv")
FORMATS = RDF_FORMATS + GRAPH_FORMATS

_SHORT = {iri: name for name, iri in vocab.RELATIONS.items()}
_RELATION_VALUES = " ".join(f"<{iri}>" for iri in vocab.RELATIONS.values())


def to_networkx(store: Any) -> Any:
    """Documents and issuers as nodes; relations (and passed_by) as edges of a networkx MultiDiGraph."""
    import networkx as nx

    graph = nx.MultiDiGraph()
    for iri, values in sorted(_documents(store).items()):
        graph.add_node(
            iri,
            kind="document",
            label=values["id_local"],
            type=values.get("type") or "",
            year=int(values["year"]) if values.get("year") is not None else 0,
            level=values.get("level") or "",
            system=values.get("system") or "",
            date=str(values.get("date") or ""),
        )
    for iri, values in sorted(_issuers(store).items()):
        graph.add_node(
            iri,
            kind="issuer",
            label=values.get("label") or values.get("notation") or "",
            level=values.get("level") or "",
        )
    relations = store.select(
        f"""SELECT DISTINCT ?s ?p ?o WHERE {{ VALUES ?p {{ {_RELATION_VALUES} }} ?s ?p ?o .
             ?s a eli:LegalResource . ?o a eli:LegalResource }}"""
    )
    for row in sorted(relations, key=lambda r: (r["s"], r["p"], r["o"])):
        graph.add_edge(row["s"], row["o"], key=_SHORT[row["p"]], relation=_SHORT[row["p"]])
    for row in store.select("SELECT DISTINCT ?d ?i WHERE { ?d eli:passed_by ?i . ?i a kg:Issuer }"):
        graph.add_edge(row["d"], row["i"], key="passed_by", relation="passed_by")
    return graph


# Each property is read on its own, distinct: a document's values are stated in several graphs (its node
# graph, graph:summary, graph:registry), and one query joining them all with OPTIONALs over the union
# multiplied every document's rows by the copies of each value (a row per combination before GROUP BY).
_DOCUMENT_VALUES = {
    "type": "?s eli:type_document/skos:notation ?v",
    "year": "?s kg:year ?v",
    "level": "?s kg:level ?v",
    "system": "?s kg:system ?v",
    "date": "?s eli:date_document ?v",
}
_ISSUER_VALUES = {"notation": "?s skos:notation ?v", "label": "?s rdfs:label ?v", "level": "?s kg:level ?v"}


def _least(store: Any, pattern: str, subjects: dict[str, dict[str, Any]], key: str) -> None:
    """The least value of `pattern` (binding ?s and ?v) for each of `subjects`, as subjects[s][key]."""
    for row in store.select(f"SELECT DISTINCT ?s ?v WHERE {{ {pattern} }}"):
        values = subjects.get(row["s"])
        if values is not None and (key not in values or str(row["v"]) < str(values[key])):
            values[key] = row["v"]


def _documents(store: Any) -> dict[str, dict[str, Any]]:
    """Document IRI -> its id_local and its other values (the least of each, when a graph gives several)."""
    documents: dict[str, dict[str, Any]] = {}
    rows = store.select("SELECT DISTINCT ?s ?v WHERE { ?s a eli:LegalResource ; eli:id_local ?v }")
    for row in rows:
        values = documents.setdefault(row["s"], {"id_local": row["v"]})
        if str(row["v"]) < str(values["id_local"]):
            values["id_local"] = row["v"]
    for key, pattern in _DOCUMENT_VALUES.items():
        _least(store, pattern, documents, key)
    return documents


def _issuers(store: Any) -> dict[str, dict[str, Any]]:
    issuers: dict[str, dict[str, Any]] = {
        row["s"]: {} for row in store.select("SELECT DISTINCT ?s WHERE { ?s a kg:Issuer }")}
    for key, pattern in _ISSUER_VALUES.items():
        _least(store, pattern, issuers, key)
    return issuers


def citation_graph(graph: Any) -> Any:
    """Documents only, one edge per citing -> cited pair (for in-degree and PageRank)."""
    import networkx as nx

    simple = nx.DiGraph()
    simple.add_nodes_from(n for n, data in graph.nodes(data=True) if data.get("kind") == "document")
    for source, target, data in graph.edges(data=True):
        if data["relation"] != "passed_by" and source != target:
            simple.add_edge(source, target)
    return simple


def export(store: Any, fmt: str) -> bytes:
    """The store in `fmt`: RDF (ttl, nt, nq, trig, jsonld) or a graph format (graphml, gexf, csv)."""
    if fmt in RDF_FORMATS:
        return store.dump(fmt)
    if fmt not in GRAPH_FORMATS:
        raise ValueError(f"unknown export format {fmt!r}: use one of {', '.join(FORMATS)}")
    import networkx as nx

    graph = to_networkx(store)
    if fmt == "csv":
        return _edges_csv(graph).encode("utf-8")
    buffer = io.BytesIO()
    if fmt == "graphml":
        nx.write_graphml(graph, buffer)
    else:
        nx.write_gexf(graph, buffer)
    return buffer.getvalue()


def _edges_csv(graph: Any) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["source", "source_label", "relation", "target", "target_label", "target_kind"])
    rows = sorted(
        (
            s,
            graph.nodes[s].get("label", ""),
            d["relation"],
            t,
            graph.nodes[t].get("label", ""),
            graph.nodes[t].get("kind", ""),
        )
        for s, t, d in graph.edges(data=True)
    )
    writer.writerows(rows)
    return out.getvalue()


@dataclass(slots=True)
class Stats:
    """`kg stats`: counts and the most cited documents."""

    documents: int = 0
    citations: int = 0
    files: int = 0
    issuers: int = 0
    by_type: Counter[str] = field(default_factory=Counter)
    by_issuer: Counter[str] = field(default_factory=Counter)
    by_level: Counter[str] = field(default_factory=Counter)
    by_year: Counter[str] = field(default_factory=Counter)
    by_relation: Counter[str] = field(default_factory=Counter)
    top_in_degree: list[tuple[str, int]] = field(default_factory=list)
    top_pagerank: list[tuple[str, float]] = field(default_factory=list)


def stats(store: Any, top: int = 10) -> Stats:
    import networkx as nx

    graph = to_networkx(store)
    result = Stats()
    docs = {n: d for n, d in graph.nodes(data=True) if d["kind"] == "document"}
    result.documents = len(docs)
    result.issuers = graph.number_of_nodes() - len(docs)
    result.citations = _count(store, "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a kg:Citation }")
    result.files = _count(store, "SELECT (COUNT(DISTINCT ?f) AS ?n) WHERE { ?f a kg:SourceFile }")
    for data in docs.values():
        result.by_type[data["type"] or "?"] += 1
        result.by_level[data["level"] or "?"] += 1
        result.by_year[str(data["year"]) if data["year"] else "unknown"] += 1
    for _source, target, data in graph.edges(data=True):
        if data["relation"] == "passed_by":
            result.by_issuer[graph.nodes[target].get("label") or target] += 1
        else:
            result.by_relation[data["relation"]] += 1
    simple = citation_graph(graph)
    label = {n: docs[n]["label"] for n in docs}
    degrees = sorted(((label[n], d) for n, d in simple.in_degree() if d), key=lambda x: (-x[1], x[0]))
    result.top_in_degree = degrees[:top]
    if simple.number_of_edges():
        ranks = nx.pagerank(simple)
        ordered = sorted(((label[n], r) for n, r in ranks.items()), key=lambda x: (-x[1], x[0]))
        result.top_pagerank = ordered[:top]
    return result


def _count(store: Any, sparql: str) -> int:
    rows = store.select(sparql)
    return int(rows[0]["n"]) if rows and rows[0]["n"] is not None else 0
