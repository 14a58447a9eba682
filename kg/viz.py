"""Draw the citation graph: one self-contained interactive HTML page (pyvis), or a PNG/SVG picture.

The page carries everything inline (vis-network from pyvis's bundle, our own small template: pyvis's
default template pulls Bootstrap from a CDN), so it opens offline. Colours, shapes and edge styles are
data in ontology/viz_style.json. Text taken from documents reaches the page only as JSON data and is put
on screen with textContent / vis-network's plain-text tooltips, never parsed as HTML.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import unicodedata
from collections import defaultdict, deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from kg import vocab
from kg.data import ontology_file

FORMATS = ("html", "png", "svg")
DEFAULT_MAX_NODES = 1500
LEVELS = ("central", "province", "district", "commune")
TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"


# ---------------------------------------------------------------- results and the in-memory view


@dataclass(slots=True)
class VizResult:
    """What `visualise` wrote and what it left out."""

    path: Path
    format: str
    nodes: int  # drawn nodes: documents + issuers
    edges: int  # drawn edges: relations + "issued by"
    documents: int
    issuers: int
    omitted: list[str] = field(default_factory=list)  # short ids of documents left out by max_nodes
    focus: list[str] = field(default_factory=list)  # IRIs of the focus documents
    layout: str = ""  # "physics" (settles in the browser, then freezes) | "precomputed" (spread_layout)
    note: str = ""  # what was left out, as shown in the page


@dataclass(slots=True)
class DocNode:
    iri: str
    id_local: str = ""
    type_code: str = ""  # the style's type code ("CT"), "" when unknown
    type_label: str = ""
    title: str = ""
    name: str = ""  # rdfs:label / prefLabel: named references without a number
    date: str = ""
    year: int | None = None
    system: str = ""
    level: str = ""
    symbol: str = ""
    variants: list[str] = field(default_factory=list)
    issuers: list[str] = field(default_factory=list)  # issuer node keys
    cited: int = 0  # mentions that cite it (or incoming relations when no mention is stored)
    status: str = ""  # key of viz_style.json "statuses"
    status_notes: list[str] = field(default_factory=list)
    source: str = ""  # path of the corpus file it was read from: a citing document of the corpus

    @property
    def short(self) -> str:
        """The label: the id as cited ("33/CT-TTg"), else a short name."""
        text = self.id_local or self.name or self.title or _local_name(self.iri)
        if text.startswith("/") and self.source:  # a draft's blank number: its file tells drafts apart
            text += " · " + Path(self.source).stem[:14]
        return text if len(text) <= 32 else text[:30].rstrip() + "…"  # named references can be long


@dataclass(slots=True)
class IssuerNode:
    key: str
    notation: str = ""  # "UBND"
    name: str = ""  # the full name as written ("Ủy ban nhân dân tỉnh Bình Định")
    label: str = ""  # rdfs:label

    @property
    def short(self) -> str:
        """The label: "TTg", "Quốc hội", or symbol and place for a local body ("UBND tỉnh Bình Định")."""
        full = self.label or self.name
        if full and len(full) <= 20:
            return full
        # the last place word: "Tỉnh ủy tỉnh Bình Định" -> "tỉnh Bình Định"
        place = re.search(r"^(.*\s)?((?:tỉnh|thành phố|huyện|quận|xã|phường)\s+\S.*)$", full, re.I)
        if self.notation and place:
            town = "thị " if re.search(r"thị\s$", place.group(1) or "", re.I) else ""
            text = f"{self.notation} {town}{place.group(2)}"
        else:
            text = self.notation or full
        return text if len(text) <= 32 else text[:30] + "…"


@dataclass(frozen=True, slots=True)
class Link:
    source: str
    target: str
    relation: str  # key of vocab.RELATIONS
    mentions: int = 0


@dataclass(slots=True)
class ViewGraph:
    docs: dict[str, DocNode]
    issuers: dict[str, IssuerNode]
    links: list[Link]
    # distinct issuers of all documents, counted in the store while the documents' own issuers are read
    # only for those described (a kg-built store's outline); None once every document's issuers are read
    issuer_total: int | None = None


# ---------------------------------------------------------------- style


@dataclass(frozen=True, slots=True)
class TypeStyle:
    code: str
    label: str
    color: str


class Style:
    """ontology/viz_style.json with lookups that ignore case and diacritics."""

    def __init__(self, data: dict[str, Any]):
        self.data = data
        self.types = [TypeStyle(t["code"], t["label"], t["color"]) for t in data["types"]]
        self.other = TypeStyle("", data["other_type"]["label"], data["other_type"]["color"])
        self._by_key: dict[str, TypeStyle] = {}
        for entry, style in zip(data["types"], self.types, strict=True):
            for key in [entry["code"], *entry.get("names", [])]:
                self._by_key.setdefault(fold(key), style)
        self.systems: dict[str, dict[str, Any]] = data["systems"]
        self.issuer: dict[str, Any] = data["issuer"]
        self.relations: dict[str, dict[str, Any]] = data["relations"]
        self.statuses: dict[str, dict[str, Any]] = data["statuses"]
        self.priority: list[str] = data["status_priority"]
        self.size: dict[str, float] = data["size"]
        self.layout: dict[str, int] = data["layout"]
        self.id_patterns = [(re.compile(p["pattern"]), p) for p in data.get("id_patterns", [])]

    def guess_from_id(self, id_local: str) -> tuple[str, str]:
        """(type code, system) guessed from an id as cited, for documents the graph says little about."""
        type_code = system = ""
        for pattern, entry in self.id_patterns:
            if pattern.search(id_local):
                type_code = type_code or entry.get("type", "")
                system = system or entry.get("system", "")
        return type_code, system

    def type_for(self, *keys: str) -> TypeStyle:
        for key in keys:
            if key and fold(key) in self._by_key:
                return self._by_key[fold(key)]
        return self.other

    def system(self, system: str) -> dict[str, Any]:
        return self.systems.get(system) or self.systems["unknown"]

    def outdated(self, status: str) -> bool:
        return bool(status and self.statuses.get(status, {}).get("outdated"))


@cache
def load_style() -> Style:
    return Style(json.loads(ontology_file("viz_style.json").read_text(encoding="utf-8")))


def fold(text: str) -> str:
    """Case- and diacritic-insensitive key: "NĐ" -> "nd", "Chỉ thị" -> "chi thi"."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()


def _local_name(iri: str) -> str:
    return re.split(r"[#/]", iri.rstrip("/"))[-1]


def _is_iri(value: str) -> bool:
    return "://" in value or value.startswith("urn:")


# ---------------------------------------------------------------- reading the store
#
# The default graph is the union of all named graphs: a document's description is in its node graph and
# again in graph:summary (kg.graph.node_graphs), the title it is cited with in each citing file's graph, and
# every IRI a query returns costs a dictionary lookup on disk. So the reader asks for few, distinct rows: the
# whole corpus only for what choosing the view needs (documents, their id and issuers, relation links),
# then everything else by IRI (VALUES blocks) for the documents that are drawn.


def _as_store(store: Any) -> Any:
    """A store `kg.query.execute` runs on: a GraphStore or a pyoxigraph.Store as given, a path opened."""
    if isinstance(store, (str, Path)):
        from kg.store import open_store

        return open_store(store)  # read-only; the caller closes it
    import pyoxigraph

    if hasattr(store, "select") or isinstance(store, pyoxigraph.Store):
        return store
    raise TypeError(f"not a store: {store!r} (give a GraphStore, a pyoxigraph.Store or a store path/URL)")


def _rows(store: Any, sparql: str) -> list[dict[str, str]]:
    """SELECT rows as lexical values (str), unbound variables left out; kg's prefixes are added."""
    from kg.query import execute

    return [{name: term.value for name, term in row.items()} for row in execute(store, sparql).rows]


def _bound_rows(store: Any, sparql: str, name: str, iris: Iterable[str], chunk: int = 1000) -> list[dict]:
    """`sparql` once per chunk of `iris`, with `{values}` replaced by `VALUES ?name { <iri> … }`."""
    wanted = sorted({i for i in iris if _is_iri(i)})
    rows: list[dict[str, str]] = []
    for start in range(0, len(wanted), chunk):
        block = " ".join(f"<{iri}>" for iri in wanted[start : start + chunk])
        rows += _rows(store, sparql.replace("{values}", f"VALUES ?{name} {{ {block} }}"))
    return rows


_DOC_PROPERTIES = {
    "id_local": vocab.ID_LOCAL,
    "type": vocab.TYPE_DOCUMENT,
    "title": vocab.TITLE,
    "date": vocab.DATE_DOCUMENT,
    "year": vocab.YEAR,
    "system": vocab.SYSTEM,
    "level": vocab.LEVEL,
    "symbol": vocab.SYMBOL,
    "variant": vocab.VARIANT,
    "issuer": vocab.PASSED_BY,
    "label": vocab.LABEL,
    "pref_label": vocab.PREF_LABEL,
    "period_end": vocab.PERIOD_END,
    "in_force": vocab.IN_FORCE,
    "no_longer_in_force": vocab.DATE_NO_LONGER_IN_FORCE,
    "source": vocab.LOCAL_SOURCE,
}
_KEY_OF = {prop: key for key, prop in _DOC_PROPERTIES.items()}

Values = dict[str, dict[str, list[str]]]  # document IRI -> property key -> sorted distinct values


def _document_ids(store: Any) -> dict[str, str]:
    """Documents (eli:LegalResource, or anything with an eli:id_local: registry facts may omit the type),
    each with its least id ("" if none). One row per document: each IRI is decoded once, not once for
    the documents and again for their ids. MIN orders strings by code point, as Python does; an unbound
    value would make it unbound, so a type-only row counts as the greatest string, U+10FFFF."""
    either = f"{{ ?s a <{vocab.LEGAL_RESOURCE}> }} UNION {{ ?s <{vocab.ID_LOCAL}> ?v }}"
    least = f'MIN(COALESCE(?v, "{_NO_ID}"))'
    rows = _rows(store, f"SELECT ?s ({least} AS ?id) WHERE {{ {either} }} GROUP BY ?s")
    return {row["s"]: "" if row["id"] == _NO_ID else row["id"] for row in rows}


_NO_ID = "\U0010ffff"


def _scan_values(store: Any, documents: set[str], keys: Iterable[str]) -> Values:
    """The values of `keys` for every document: one scan per property, distinct pairs."""
    values: Values = {}
    for key in keys:
        # kg:sourceFile is also on every mention: leave those out in the store, not after decoding them
        skip = f'FILTER (!STRSTARTS(STR(?s), "{vocab.ID}citation/"))' if key == "source" else ""
        query = f"SELECT DISTINCT ?s ?v WHERE {{ ?s <{_DOC_PROPERTIES[key]}> ?v {skip} }}"
        for row in _rows(store, query):
            if row["s"] in documents:
                values.setdefault(row["s"], defaultdict(list))[key].append(row["v"])
    return _sorted_values(values)


def _bound_values(store: Any, iris: Iterable[str]) -> Values:
    """Every property of the given documents, read by IRI (distinct: several graphs state some of them)."""
    query = (
        f"SELECT DISTINCT ?s ?p ?v WHERE {{ {{values}} ?s ?p ?v {_among('?p', _DOC_PROPERTIES.values())} }}"
    )
    values: Values = {}
    for row in _bound_rows(store, query, "s", iris):
        values.setdefault(row["s"], defaultdict(list))[_KEY_OF[row["p"]]].append(row["v"])
    return _sorted_values(values)


def _among(variable: str, iris: Iterable[str]) -> str:
    """A FILTER keeping the given IRIs: with the subject bound, Oxigraph reads the subject's quads once
    and filters them (a VALUES block of predicates made it scan every quad of each predicate instead)."""
    return f"FILTER ({variable} IN ({', '.join(f'<{iri}>' for iri in iris)}))"


def _sorted_values(values: Values) -> Values:
    for props in values.values():
        for key in props:
            props[key].sort()
    return values


def _labels_of(store: Any, targets: Iterable[str]) -> dict[str, dict[str, str]]:
    """Notation, name and label of what documents point to (types, issuers), read by IRI.

    The name is skos:prefLabel, else skos:altLabel, else rdfs:label; of several values, the least."""
    keys = {
        vocab.NOTATION: "notation",
        vocab.PREF_LABEL: "pref",
        vocab.ALT_LABEL: "alt",
        vocab.LABEL: "label",
    }
    query = f"SELECT DISTINCT ?t ?p ?v WHERE {{ {{values}} ?t ?p ?v {_among('?p', keys)} }}"
    labels: dict[str, dict[str, str]] = defaultdict(dict)
    for row in sorted(_bound_rows(store, query, "t", targets), key=lambda r: (r["t"], r["v"])):
        labels[row["t"]].setdefault(keys[row["p"]], row["v"])
    for found in labels.values():
        found["name"] = found.get("pref") or found.get("alt") or found.get("label", "")
    return labels


def _sub_properties(store: Any) -> dict[str, set[str]]:
    """Relation property -> its broader properties, from the store's ontology graph and ontology/kg.ttl."""
    pairs = {(r["p"], r["q"]) for r in _rows(store, "SELECT ?p ?q WHERE { ?p rdfs:subPropertyOf ?q }")}
    ttl = ontology_file("kg.ttl")
    if ttl.is_file():
        import pyoxigraph

        sub = pyoxigraph.NamedNode(vocab.RDFS + "subPropertyOf")
        for triple in pyoxigraph.parse(path=str(ttl), format=pyoxigraph.RdfFormat.TURTLE):
            if triple.predicate == sub:
                pairs.add((triple.subject.value, triple.object.value))
    broader: dict[str, set[str]] = defaultdict(set)
    for narrow, wide in pairs:
        broader[narrow].add(wide)
    return broader


Pairs = dict[tuple[str, str], dict[str, int]]  # (source, target) -> relation IRI -> mentions


def _direct_relations(store: Any) -> Pairs:
    """Document-to-document relations asserted directly.

    One row per citing document with its "relation target" pairs joined into one string: the engine
    writes the IRIs out far faster than Python builds a term per row (IRIs hold no spaces). Each relation
    is written as its number in vocab.RELATIONS, bound with the predicate: writing out the predicate's
    IRI would look its text up once per link."""
    relations = list(vocab.RELATIONS.values())
    numbered = " ".join(f'(<{iri}> "{number}")' for number, iri in enumerate(relations))
    joined = "GROUP_CONCAT(CONCAT(?number, ' ', STR(?o)); separator=' ')"
    query = f"""SELECT ?s ({joined} AS ?links) WHERE {{
        VALUES (?p ?number) {{ {numbered} }} ?s ?p ?o FILTER isIRI(?o) }} GROUP BY ?s"""
    found: Pairs = defaultdict(dict)
    for row in _rows(store, query):
        words = row["links"].split(" ")
        for number, target in zip(words[0::2], words[1::2], strict=True):
            found[(row["s"], target)][relations[int(number)]] = 0
    return found


_MENTION = f"?c <{vocab.CITING}> ?s ; <{vocab.CITED}> ?o . OPTIONAL {{ ?c <{vocab.RELATION}> ?r }}"
_MENTIONS_PER_KEY = f"SELECT ?s ?o ?r (COUNT(?c) AS ?n) WHERE {{ {{values}} {_MENTION} }} GROUP BY ?s ?o ?r"


def _mention_counts(store: Any, sources: Iterable[str] | None = None) -> Pairs:
    """Mentions per (citing, cited) and relation: of every citing document, or of `sources` only (by IRI:
    each citing document's few mentions, then their cited document and relation)."""
    if sources is None:
        rows = _rows(store, _MENTIONS_PER_KEY.replace("{values}", ""))
    else:
        rows = _bound_rows(store, _MENTIONS_PER_KEY, "s", sources)
    by_iri = set(vocab.RELATIONS.values())
    counts: Pairs = defaultdict(dict)
    for row in rows:
        relation = row.get("r") if row.get("r") in by_iri else vocab.CITES
        found = counts[(row["s"], row["o"])]
        found[relation] = found.get(relation, 0) + int(row["n"])
    return counts


def _mention_totals(store: Any, targets: Iterable[str]) -> dict[str, int]:
    """Mentions citing each of `targets` (one index range per target, no join)."""
    query = f"SELECT ?o (COUNT(?c) AS ?n) WHERE {{ {{values}} ?c <{vocab.CITED}> ?o }} GROUP BY ?o"
    return {row["o"]: int(row["n"]) for row in _bound_rows(store, query, "o", targets)}


def _issuer_total(store: Any) -> int:
    """Distinct issuers over every eli:passed_by, counted in the store (no term is decoded). In a kg-built
    store only documents have an issuer and every issuer is an IRI (node graphs, graph:summary, registry
    facts), so this is the number of issuer nodes the documents' own values would give."""
    rows = _rows(store, f"SELECT (COUNT(DISTINCT ?i) AS ?n) WHERE {{ ?s <{vocab.PASSED_BY}> ?i }}")
    return int(rows[0]["n"])


def _kg_built(store: Any) -> bool:
    """A store written by `kg build` (it has the ontology graph): there, kg/graph.py states every mention's
    relation directly too (<citing> <relation> <cited>), and every mention has its citing document, so the
    direct triples give every link and the mentions only add counts, read for the drawn documents."""
    query = f"SELECT ?s WHERE {{ GRAPH <{vocab.ONTOLOGY_GRAPH}> {{ ?s ?p ?o }} }} LIMIT 1"
    return bool(_rows(store, query))


_BY_IRI = {iri: key for key, iri in vocab.RELATIONS.items()}


def _specific(relations: dict[str, int], broader: dict[str, set[str]]) -> list[tuple[str, int]]:
    """The most specific relations of a pair, each counting its mentions and its broader relations'."""
    if len(relations) == 1:
        return list(relations.items())
    implied = set().union(*(broader.get(r, set()) for r in relations))
    specific = [r for r in relations if r not in implied] or list(relations)
    return [
        (r, relations[r] + sum(relations[w] for w in relations if w in broader.get(r, ())))
        for r in sorted(specific)
    ]


def _uneven(relations: dict[str, int], broader: dict[str, set[str]]) -> bool:
    """Whether `_specific` counts some relation's mentions other than once (a broader relation shared by
    two specific ones, or dropped in a chain): then the pair's own counts are needed."""
    if len(relations) == 1:
        return False
    specific = [r for r, _ in _specific(dict.fromkeys(relations, 0), broader)]
    times = {w: specific.count(w) + sum(1 for r in specific if w in broader.get(r, ())) for w in relations}
    return any(n != 1 for n in times.values())


def _pair_links(pair: tuple[str, str], relations: dict[str, int], broader: dict[str, set[str]]) -> list[Link]:
    if len(relations) == 1:  # most pairs: one relation, nothing to collapse
        ((relation, count),) = relations.items()
        return [Link(pair[0], pair[1], _BY_IRI[relation], count)]
    return [Link(pair[0], pair[1], _BY_IRI[r], count) for r, count in _specific(relations, broader)]


def _collapse(pairs: Pairs, broader: dict[str, set[str]]) -> list[Link]:
    """One link per (source, target, most specific relation), in (source, target, relation) order."""
    targets: dict[str, list[str]] = defaultdict(list)
    for source, target in pairs:
        targets[source].append(target)
    links: list[Link] = []
    for source in sorted(targets):  # the pairs' order, sorting many short lists instead of one long one
        for target in sorted(targets[source]):
            relations = pairs[(source, target)]
            if len(relations) == 1:  # most pairs (inline: this runs once per link of the store)
                for relation, count in relations.items():
                    links.append(Link(source, target, _BY_IRI[relation], count))
            else:
                links += _pair_links((source, target), relations, broader)
    return links


def _first(values: dict[str, list[str]], key: str) -> str:
    found = values.get(key) or []
    return found[0] if found else ""


def _year_of(text: str) -> int | None:
    match = re.match(r"\s*(\d{4})", text or "")
    return int(match.group(1)) if match else None


def _type_from_id(id_local: str) -> str:
    """ "33/CT-TTg" -> "CT", "18-NQ/TW" -> "NQ", "59/2023/NĐ-CP" -> "NĐ" (fallback when no type is stored)."""
    party = re.match(r"^[\w.]+-([^/\-]+)/", id_local)
    if party:
        return party.group(1)
    state = re.match(r"^[\w.]+/(?:\d{4}/)?([^/\-]+)-", id_local)
    return state.group(1) if state else ""


@dataclass(slots=True)
class _Reader:
    """Reads a view graph in two steps: its outline (every document with its id and issuers, every link),
    then the details of the documents that will be drawn (`describe`)."""

    store: Any
    style: Style
    documents: set[str] = field(default_factory=set)
    pairs: Pairs = field(default_factory=dict)  # every linked pair; mention counts where counted
    counted: set[str] | None = None  # citing documents whose mentions are in `pairs` (None: all)
    totals: dict[str, int] = field(default_factory=dict)  # mentions citing each described document
    broader: dict[str, set[str]] = field(default_factory=dict)
    incoming: dict[str, int] = field(default_factory=dict)  # links into each document
    described: set[str] = field(default_factory=set)  # documents whose details are read

    def outline(self) -> ViewGraph:
        """Every document with its id, every link. In a kg-built store the documents' issuers wait for
        `describe` (reading them all costs a dictionary lookup per document and issuer): the outline
        counts them instead, for the "showing n of m nodes" note."""
        ids = _document_ids(self.store)
        self.documents = set(ids)
        self.broader = _sub_properties(self.store)
        self.pairs = _direct_relations(self.store)
        kg_built = _kg_built(self.store)
        if kg_built:
            self.counted = set()
        else:
            self._add_counts(_mention_counts(self.store))
        links = _collapse(self.pairs, self.broader)
        self.incoming = defaultdict(int)
        for link in links:
            self.incoming[link.target] += 1
        known = {} if kg_built else _scan_values(self.store, self.documents, ["issuer"])
        docs = {}
        for iri in sorted(self.documents | {x for pair in self.pairs for x in pair}):
            issuers = _issuer_keys(known[iri]) if iri in known else []
            docs[iri] = DocNode(iri, id_local=ids.get(iri, ""), issuers=issuers)
        graph = ViewGraph(docs, {}, links, _issuer_total(self.store) if kg_built else None)
        # labels of documents without a plain id come from their name, title or file: read those now
        self.describe(graph, [i for i, d in docs.items() if not d.id_local or d.id_local.startswith("/")])
        return graph

    def describe(self, graph: ViewGraph, iris: list[str]) -> None:
        """Type, title, dates, issuers, source, mentions and validity of `iris`, into `graph`."""
        if not iris:
            return
        everything = len(iris) == len(graph.docs)
        if everything:
            values = _scan_values(self.store, self.documents, list(_DOC_PROPERTIES))
        else:
            values = _bound_values(self.store, iris)
        self.described.update(iris)
        if len(self.described) == len(graph.docs):  # every document's issuers are read now
            graph.issuer_total = None
        mentioned = self._mentioned(graph, iris)
        type_labels = _labels_of(self.store, {_first(props, "type") for props in values.values()})
        issuers = {i for props in values.values() for i in props.get("issuer", [])}
        issuer_labels = _labels_of(self.store, issuers)
        sources = {_first(props, "source") for props in values.values()} - {""}
        query = f"SELECT ?f ?p WHERE {{ {{values}} ?f <{vocab.PATH}> ?p }}"
        paths = {r["f"]: r["p"] for r in _bound_rows(self.store, query, "f", sources)}
        for iri in iris:
            props = values.get(iri, {})
            doc = _doc_node(iri, props, type_labels, self.style)
            doc.issuers = _issuer_keys(props)
            for issuer, key in zip(props.get("issuer", []), doc.issuers, strict=True):
                if key not in graph.issuers:
                    graph.issuers[key] = _issuer_node(issuer, key, issuer_labels)
            source = _first(props, "source")
            doc.source = paths.get(source, _local_name(source)) if source else ""
            doc.cited = mentioned.get(iri, 0) or self.incoming.get(iri, 0)
            graph.docs[iri] = doc
        _mark_validity(self.store, graph.docs, graph.links, {i: values.get(i, {}) for i in iris}, self.style)

    def _add_counts(self, counts: Pairs) -> None:
        for pair, relations in counts.items():
            found = self.pairs.setdefault(pair, {})
            for relation, count in relations.items():
                found[relation] = found.get(relation, 0) + count

    def count_links(self, graph: ViewGraph, drawn: list[str]) -> None:
        """Mention counts of the links between the `drawn` documents, if the outline did not read them."""
        if self.counted is None:
            return
        if len(set(drawn)) == len(graph.docs):  # every link: one pass over all mentions
            for relations in self.pairs.values():
                relations.update(dict.fromkeys(relations, 0))
            self._add_counts(_mention_counts(self.store))
            self.counted = None
            graph.links[:] = _collapse(self.pairs, self.broader)
            return
        among = set(drawn)
        self._count_sources(graph, {s for s, o in self.pairs if s in among and o in among})

    def _count_sources(self, graph: ViewGraph, sources: set[str]) -> None:
        """Read the mentions of the citing documents `sources` (those not read yet); redo their links."""
        new = sources - (self.counted or set())
        if self.counted is None or not new:
            return
        self.counted |= new
        for (source, _), relations in self.pairs.items():
            if source in new:
                relations.update(dict.fromkeys(relations, 0))
        known = len(self.pairs)
        self._add_counts(_mention_counts(self.store, new))
        if len(self.pairs) != known:  # a mention without its relation triple: a link of its own
            graph.links[:] = _collapse(self.pairs, self.broader)
            return
        relinked: list[Link] = []
        for link in graph.links:  # the same order: each counted pair's links replaced where they were
            pair = (link.source, link.target)
            if link.source not in new:
                relinked.append(link)
            elif not relinked or (relinked[-1].source, relinked[-1].target) != pair:
                relinked += _pair_links(pair, self.pairs[pair], self.broader)
        graph.links[:] = relinked

    def _mentioned(self, graph: ViewGraph, iris: list[str]) -> dict[str, int]:
        """Mentions of each document as its drawn size counts them: the sum of its incoming links' counts.
        When the outline did not count every pair: all mentions citing it (an index count, no join),
        corrected by the pairs whose links count some mentions other than once (see `_uneven`)."""
        wanted = set(iris)
        mentioned: dict[str, int] = defaultdict(int)
        if self.counted is None:
            for link in graph.links:
                if link.target in wanted:
                    mentioned[link.target] += link.mentions
            return mentioned
        mentioned.update(_mention_totals(self.store, wanted))
        uneven = {
            p for p, relations in self.pairs.items() if p[1] in wanted and _uneven(relations, self.broader)
        }
        self._count_sources(graph, {source for source, _ in uneven})
        for pair in uneven:
            relations = self.pairs[pair]
            specific = _specific(relations, self.broader)
            mentioned[pair[1]] += sum(count for _, count in specific) - sum(relations.values())
        return mentioned


def _issuer_keys(props: dict[str, list[str]]) -> list[str]:
    """Issuer node keys: the IRI, or "issuer:" and the name when the store gives a plain name."""
    return [i if _is_iri(i) else "issuer:" + i for i in props.get("issuer", [])]


def _issuer_node(issuer: str, key: str, labels: dict[str, dict[str, str]]) -> IssuerNode:
    known = labels.get(issuer, {})
    name = known.get("name", "" if _is_iri(issuer) else issuer)
    return IssuerNode(key, known.get("notation", ""), name or _local_name(issuer), known.get("label", ""))


def read_graph(store: Any, style: Style | None = None) -> ViewGraph:
    """Everything the picture needs, for every document, read from the store with the vocabulary's terms."""
    style = style or load_style()
    reader = _Reader(_as_store(store), style)
    graph = reader.outline()
    reader.count_links(graph, list(graph.docs))
    reader.describe(graph, list(graph.docs))
    return graph


def _doc_node(
    iri: str, values: dict[str, list[str]], type_labels: dict[str, dict[str, str]], style: Style
) -> DocNode:
    type_value = _first(values, "type")
    known = type_labels.get(type_value, {})
    id_local = _first(values, "id_local")
    guessed_type, guessed_system = style.guess_from_id(id_local)
    type_style = style.type_for(
        known.get("notation", ""),
        known.get("name", ""),
        _local_name(type_value) if type_value else "",
        _type_from_id(id_local),
        guessed_type,
    )
    date = _first(values, "date")
    year_text = _first(values, "year")
    return DocNode(
        iri=iri,
        id_local=id_local,
        type_code=type_style.code,
        type_label=known.get("name") or type_style.label if type_style.code else (known.get("name") or ""),
        title=_first(values, "title"),
        name=_first(values, "label") or _first(values, "pref_label"),
        date=date,
        year=int(year_text) if year_text.isdigit() else _year_of(date),
        system=_local_name(_first(values, "system")) or guessed_system,
        level=_local_name(_first(values, "level")),
        symbol=_first(values, "symbol"),
        variants=[v for v in values.get("variant", []) if v != id_local],
    )


def _mark_validity(
    store: Any,
    docs: dict[str, DocNode],
    links: list[Link],
    values: dict[str, dict[str, list[str]]],
    style: Style,
) -> None:
    """Status of the documents in `values` from corpus relations, registry facts and ELI in-force data."""
    today = dt.date.today().isoformat()
    found: dict[str, list[tuple[str, str]]] = defaultdict(list)
    by_relation = style.data["status_from_relation"]
    for link in links:
        if link.relation in by_relation:
            verb = style.relations.get(link.relation, {}).get("label", link.relation)
            found[link.target].append((by_relation[link.relation], f"{docs[link.source].short} {verb} it"))

    facts = _rows(
        store,
        f"""SELECT ?d ?rel ?other ?eff ?conf WHERE {{
            ?f a <{vocab.VALIDITY_FACT}> ; <{vocab.FACT_SUBJECT}> ?d ; <{vocab.FACT_RELATION}> ?rel .
            OPTIONAL {{ ?f <{vocab.FACT_OTHER}> ?other }} OPTIONAL {{ ?f <{vocab.FACT_EFFECTIVE}> ?eff }}
            OPTIONAL {{ ?f <{vocab.CONFIDENCE}> ?conf }} }}""",
    )
    by_fact = style.data["status_from_fact"]
    # the store hands facts in no fixed order: sorted, a document with two facts reads the same either way
    for fact in sorted(facts, key=lambda f: tuple(f.get(k, "") for k in ("d", "eff", "rel", "other"))):
        relation = _local_name(fact["rel"])
        if fact["d"] not in docs or relation not in by_fact or fact.get("eff", "") > today:
            continue
        other = fact.get("other", "")
        other_label = docs[other].short if other in docs else _local_name(other)
        note = relation.replace("_", " ") + (f" {other_label}" if other else "")
        note += f" from {fact['eff']}" if fact.get("eff") else ""
        note += f" (registry, {fact['conf']} confidence)" if fact.get("conf") else " (registry)"
        found[fact["d"]].append((by_fact[relation], note))

    by_in_force = style.data["status_from_in_force"]
    for iri, props in values.items():
        for value in props.get("in_force", []):
            if _local_name(value) in by_in_force:
                found[iri].append((by_in_force[_local_name(value)], f"eli:in_force {_local_name(value)}"))
        ended = _first(props, "no_longer_in_force")
        if ended and ended <= today:
            found[iri].append(("expired", f"no longer in force since {ended}"))
        period_end = _year_of(_first(props, "period_end"))
        if period_end and period_end < dt.date.today().year:
            found[iri].append(("expired", f"its period ended in {period_end}"))

    rank = {status: i for i, status in enumerate(style.priority)}
    for iri, statuses in found.items():
        if iri in values:  # the documents being described
            docs[iri].status = min((s for s, _ in statuses), key=lambda s: rank.get(s, len(rank)))
            docs[iri].status_notes = list(dict.fromkeys(note for _, note in statuses))


# ---------------------------------------------------------------- choosing what to draw


@dataclass(slots=True)
class Selection:
    docs: list[str]  # IRIs, in the order they were chosen
    issuers: list[str]
    links: list[Link]
    focus: list[str]
    omitted: list[str]  # IRIs of documents left out by max_nodes
    total_nodes: int  # nodes that matched before max_nodes


def _id_key(text: str) -> str:
    return fold(re.sub(r"\s+", "", unicodedata.normalize("NFC", text)))


def find_documents(graph: ViewGraph, reference: str) -> list[str]:
    """IRIs of documents matching an IRI, an id as cited ("33/CT-TTg") or one of its variants."""
    if reference in graph.docs:
        return [reference]
    key = _id_key(reference)
    return [
        iri
        for iri, doc in graph.docs.items()
        if key and key in {_id_key(doc.id_local), *(_id_key(v) for v in doc.variants), _id_key(doc.name)}
    ]


def _neighbourhood(graph: ViewGraph, start: list[str], depth: int) -> dict[str, int]:
    """Document -> distance from the focus, following relations in both directions."""
    adjacent: dict[str, set[str]] = defaultdict(set)
    for link in graph.links:
        adjacent[link.source].add(link.target)
        adjacent[link.target].add(link.source)
    distance = dict.fromkeys(start, 0)
    queue = deque(start)
    while queue:
        current = queue.popleft()
        if distance[current] >= depth:
            continue
        for other in sorted(adjacent[current]):
            if other not in distance:
                distance[other] = distance[current] + 1
                queue.append(other)
    return distance


def _bound(value: str | int | None, end: bool) -> str | None:
    """A --since/--until value as an ISO date bound: 2020 -> 2020-01-01 / 2020-12-31."""
    if value is None or value == "":
        return None
    text = str(value).strip()
    if re.fullmatch(r"\d{4}", text):
        return f"{text}-12-31" if end else f"{text}-01-01"
    if re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", text):
        return text if len(text) == 10 else (f"{text}-31" if end else f"{text}-01")
    raise ValueError(f"not a year or ISO date: {value!r} (write 2020 or 2020-05-31)")


def _matches(doc: DocNode, graph: ViewGraph, filters: dict[str, Any], style: Style) -> bool:
    if filters.get("doc_type"):
        wanted = {fold(t) for t in str(filters["doc_type"]).split(",") if t.strip()}
        type_style = style.type_for(doc.type_code)
        if not wanted & {fold(doc.type_code), fold(doc.type_label), fold(type_style.label)}:
            return False
    if filters.get("issuer"):
        wanted = fold(str(filters["issuer"]))
        issuers = [graph.issuers[k] for k in doc.issuers]
        names = [(fold(i.notation), fold(f"{i.name} | {i.label}")) for i in issuers]
        if not issuers:  # no issuer node: the parts of the symbol are all there is ("CT-TTg")
            names = [(fold(p), "") for p in re.split(r"[-/]", doc.symbol or doc.id_local) if p]
        if not any(wanted == notation or (name and wanted in name) for notation, name in names):
            return False
    if filters.get("level") and doc.level != filters["level"]:
        return False
    since, until = _bound(filters.get("since"), False), _bound(filters.get("until"), True)
    if since or until:
        when = doc.date if len(doc.date) >= 4 else (str(doc.year) if doc.year else "")
        if not when:
            return False
        if since and when[:10] < since[: len(when[:10])]:
            return False
        if until and when[:10] > until[: len(when[:10])]:
            return False
    return True


def _pagerank(docs: list[str], links: list[Link]) -> dict[str, float]:
    """Relevance of each document: PageRank over the undirected relation graph (hubs either way).

    The numbers of networkx.pagerank on that graph, bit for bit: its scipy power iteration, on the same
    matrix (the canonical CSR adjacency: one 1.0 per linked pair and direction, 1.0 on a self-link), with
    every sum taken in the same order. Without building a networkx graph of every link, nor importing
    scipy (both cost more than the iteration on a large store)."""
    import numpy as np

    if not links:
        return dict.fromkeys(docs, 1.0)
    index = {doc: number for number, doc in enumerate(docs)}
    count = len(docs)
    sources = np.fromiter((index[x.source] for x in links), np.int64, len(links))
    targets = np.fromiter((index[x.target] for x in links), np.int64, len(links))
    pairs = np.unique(np.minimum(sources, targets) * count + np.maximum(sources, targets))  # undirected
    low, high = pairs // count, pairs % count
    mirrored = low != high  # a self-link is one entry, the others one each way
    rows = np.concatenate([low, high[mirrored]])
    cols = np.concatenate([high, low[mirrored]])
    order = np.lexsort((cols, rows))  # CSR order: by row, then column
    return dict(zip(docs, _power_iteration(count, rows[order], cols[order]), strict=True))


def _power_iteration(
    count: int, rows: Any, cols: Any, alpha: float = 0.85, max_iter: int = 100, tol: float = 1.0e-6
) -> list[float]:
    """networkx's _pagerank_scipy (3.x) without personalisation, step for step. `rows`, `cols`: the 1.0
    entries of the adjacency matrix in CSR order. scipy computes x @ A column by column of A's transpose,
    adding each row's share in row order: np.bincount adds its weights in the order given, the same."""
    import numpy as np

    degree = np.bincount(rows, minlength=count).astype(float)  # exact: sums of ones
    scale = np.zeros(count)
    scale[degree != 0] = 1.0 / degree[degree != 0]
    share = 1.0 * scale[rows]  # the row-scaled entries: scipy multiplies each 1.0 by its row's scale
    x = np.repeat(1.0 / count, count)
    p = np.repeat(1.0 / count, count)
    dangling = np.where(degree == 0)[0]
    for _ in range(max_iter):
        last = x
        x = alpha * (np.bincount(cols, weights=share * x[rows], minlength=count) + sum(x[dangling]) * p)
        x = x + (1 - alpha) * p
        if np.absolute(x - last).sum() < count * tol:
            return list(map(float, x))
    raise ArithmeticError(f"PageRank did not converge in {max_iter} iterations")


def select_nodes(
    graph: ViewGraph,
    *,
    max_nodes: int = DEFAULT_MAX_NODES,
    focus: str | None = None,
    depth: int = 2,
    style: Style | None = None,
    **filters: Any,
) -> Selection:
    """The documents, issuers and links to draw, most relevant first when max_nodes cuts."""
    style = style or load_style()
    if filters.get("level") and filters["level"] not in LEVELS:
        raise ValueError(f"--level must be one of {', '.join(LEVELS)}, not {filters['level']!r}")
    focus_iris: list[str] = []
    distance: dict[str, int] = {}
    if focus:
        focus_iris = find_documents(graph, focus)
        if not focus_iris:
            raise LookupError(f"no document {focus!r} in the store (try its id as cited, e.g. 33/CT-TTg)")
        distance = _neighbourhood(graph, focus_iris, max(depth, 0))
    candidates = list(distance) if focus else list(graph.docs)
    if any(value not in (None, "") for value in filters.values()):
        chosen = [i for i in candidates if i in focus_iris or _matches(graph.docs[i], graph, filters, style)]
    else:  # no filter: every candidate matches
        chosen = candidates
    chosen_set = set(chosen)
    links = [x for x in graph.links if x.source in chosen_set and x.target in chosen_set]
    if graph.issuer_total is not None and len(chosen) == len(graph.docs):  # issuers counted, not read
        total = len(chosen) + graph.issuer_total
    else:
        total = len(chosen) + len({k for i in chosen for k in graph.docs[i].issuers})

    rank = _pagerank(chosen, links)
    order = sorted(chosen, key=lambda i: (distance.get(i, 0), -rank.get(i, 0.0), i))
    kept: list[str] = []
    issuers: list[str] = []
    omitted: list[str] = []
    for iri in order:
        if len(kept) >= max_nodes and iri not in focus_iris:
            omitted.append(iri)
        else:
            kept.append(iri)
    # documents are the content, issuers the context: they get the room that is left
    for iri in kept:
        for key in graph.docs[iri].issuers:
            if key not in issuers and len(kept) + len(issuers) < max_nodes:
                issuers.append(key)
    kept_set = set(kept)
    links = [x for x in links if x.source in kept_set and x.target in kept_set]
    return Selection(kept, issuers, links, focus_iris, omitted, total)


def omission_note(graph: ViewGraph, selection: Selection, max_nodes: int) -> str:
    if not selection.omitted:
        return ""
    shown = len(selection.docs) + len(selection.issuers)
    examples = ", ".join(graph.docs[i].short for i in selection.omitted[:5])
    more = f" and {len(selection.omitted) - 5} more" if len(selection.omitted) > 5 else ""
    return (
        f"Showing {shown} of {selection.total_nodes} nodes (--max-nodes {max_nodes}): left out "
        f"{len(selection.omitted)} documents, "
        f"{'the farthest from the focus and ' if selection.focus else ''}the least connected by PageRank "
        f"({examples}{more}). "
        "Narrow the view with --focus, --issuer, --type, --since/--until or --level, or raise --max-nodes."
    )


# ---------------------------------------------------------------- vis-network data


def _tooltip(doc: DocNode, graph: ViewGraph, style: Style) -> str:
    """Plain text: vis-network shows string titles with innerText, so nothing here is parsed as HTML."""
    return "\n".join(f"{k}: {v}" for k, v in _details(doc, graph, style))


def _details(doc: DocNode, graph: ViewGraph, style: Style) -> list[tuple[str, str]]:
    system = style.system(doc.system)["label"] if doc.system else "unknown"
    rows = [
        ("Document", doc.id_local or doc.name or doc.short),
        ("Type", doc.type_label or style.other.label),
        ("System", system + (f", {doc.level}" if doc.level else "")),
        ("Title", doc.title or doc.name or "(unknown)"),
        ("Date", doc.date or (str(doc.year) if doc.year else "(unknown)")),
        (
            "Issuer",
            "; ".join(graph.issuers[k].name or graph.issuers[k].short for k in doc.issuers) or "(unknown)",
        ),
        ("Validity", _validity_text(doc, style)),
        ("Cited", f"{doc.cited} time{'s' if doc.cited != 1 else ''}"),
    ]
    if doc.variants:
        rows.append(("Also cited as", ", ".join(doc.variants)))
    if doc.source:
        rows.append(("Read from", doc.source))
    rows.append(("IRI", doc.iri))
    return rows


def _validity_text(doc: DocNode, style: Style) -> str:
    if not doc.status:
        return "no validity facts known"
    label = style.statuses.get(doc.status, {}).get("label", doc.status)
    return label + (": " + "; ".join(doc.status_notes) if doc.status_notes else "")


def _node_size(cited: int, most: int, style: Style, is_source: bool = False) -> float:
    """Area grows with citations; the corpus's own documents are never drawn smaller than mid-size."""
    low, high = style.size["min"], style.size["max"]
    size = low + (high - low) * math.sqrt(cited) / math.sqrt(max(most, 1))
    return round(max(size, (low + high) / 2) if is_source else size, 1)


def _font_size(doc: DocNode, most: int) -> int:
    """Labels of much-cited documents and of the corpus's own files stay legible when zoomed out."""
    grown = 14 + 12 * math.sqrt(doc.cited / max(most, 1))
    return round(max(grown, 20) if doc.source else grown)


def _search_text(doc: DocNode) -> str:
    return re.sub(r"\s+", "", fold(" ".join([doc.id_local, *doc.variants, doc.title, doc.name])))


def build_network(graph: ViewGraph, selection: Selection, style: Style) -> tuple[Any, bool]:
    """A pyvis Network with styled nodes and edges; returns it and whether physics lays it out. The page
    is our own template (render_html): it takes the network's node and edge lists and its options."""
    from pyvis.network import Network

    net = Network(directed=True, cdn_resources="in_line", height="100%", width="100%")
    most = max((graph.docs[i].cited for i in selection.docs), default=1)
    for iri in selection.docs:
        _add_document(net, graph.docs[iri], graph, style, most, iri in selection.focus)
    for key in selection.issuers:
        issuer = graph.issuers[key]
        net.add_node(
            key,
            label=issuer.short,
            shape=style.issuer["shape"],
            size=style.size["issuer"],
            color={"background": style.issuer["color"], "border": style.issuer["border"]},
            title=f"Issuer: {issuer.name or issuer.short}"
            + (f" ({issuer.notation})" if issuer.notation else ""),
            font={"size": 12},
            kgKind="issuer",
            kgId=issuer.notation,
            kgLabel=issuer.short,
            kgSearch=re.sub(r"\s+", "", fold(f"{issuer.notation} {issuer.name}")),
            kgDetails=[["Issuer", issuer.name or issuer.short], ["Symbol", issuer.notation or "—"]],
        )
    edge_count = len(selection.links) + sum(
        1 for i in selection.docs for k in graph.docs[i].issuers if k in set(selection.issuers)
    )
    labelled = edge_count <= style.layout["edge_labels_max_edges"]
    for link in selection.links:
        _add_relation(net, link, graph, style, labelled)
    kept_issuers = set(selection.issuers)
    passed_by = style.relations["passed_by"]
    for iri in selection.docs:
        for key in graph.docs[iri].issuers:
            if key in kept_issuers:
                net.add_edge(
                    iri,
                    key,
                    id=f"{iri}|passed_by|{key}",
                    color={"color": passed_by["color"]},
                    dashes=passed_by["dashes"],
                    width=passed_by["width"],
                    arrows="to",
                    title=f"{graph.docs[iri].short} {passed_by['label']} {graph.issuers[key].short}",
                    kgRelation="passed_by",
                )
    physics = 0 < len(net.nodes) <= style.layout["physics_max_nodes"]
    if not physics:
        _precompute_layout(net)
    net.options = _options(physics, large=not physics)
    return net, physics


def _add_document(net: Any, doc: DocNode, graph: ViewGraph, style: Style, most: int, is_focus: bool) -> None:
    type_style = style.type_for(doc.type_code)
    status = style.statuses.get(doc.status, {})
    outdated = style.outdated(doc.status)
    border = status.get("border") or ("#212121" if is_focus else "#616161")
    net.add_node(
        doc.iri,
        label=status.get("prefix", "") + doc.short,
        shape=style.system(doc.system)["shape"],
        size=_node_size(doc.cited, most, style, bool(doc.source)),
        color={
            "background": type_style.color,
            "border": border,
            "highlight": {"background": type_style.color, "border": "#000000"},
        },
        borderWidth=3 if (outdated or status.get("border") or is_focus) else 1,
        shapeProperties={"borderDashes": [6, 4] if outdated else False},
        font={
            "color": "#b71c1c" if outdated else "#212121",
            "size": _font_size(doc, most),
            "strokeWidth": 3,
            "strokeColor": "#ffffff",
        },
        title=_tooltip(doc, graph, style),
        kgKind="document",
        kgId=doc.id_local,
        kgLabel=doc.short,
        kgStatus=doc.status or "unknown",
        kgOutdated=outdated,
        kgSearch=_search_text(doc),
        kgDetails=[list(row) for row in _details(doc, graph, style)],
    )


def _add_relation(net: Any, link: Link, graph: ViewGraph, style: Style, labelled: bool) -> None:
    relation = style.relations.get(link.relation, style.relations["cites"])
    source, target = graph.docs[link.source], graph.docs[link.target]
    mentions = f" ({link.mentions} mention{'s' if link.mentions != 1 else ''})" if link.mentions else ""
    options: dict[str, Any] = {
        "id": f"{link.source}|{link.relation}|{link.target}",
        "color": {"color": relation["color"], "highlight": relation["color"]},
        "dashes": relation["dashes"],
        "width": relation["width"] + (math.log2(link.mentions) if link.mentions > 1 else 0),
        "arrows": "to",
        "title": f"{source.short} {relation['label']} {target.short}{mentions}",
        "kgRelation": link.relation,
    }
    if labelled:
        options["label"] = relation["label"]
        options["font"] = {"size": 10, "color": relation["color"], "strokeWidth": 3, "align": "middle"}
    net.add_edge(link.source, link.target, **options)


def _precompute_layout(net: Any) -> None:
    """Fixed positions for large graphs: a force simulation in the browser would take minutes."""
    documents = [n["id"] for n in net.nodes if n.get("kgKind") == "document"]
    relations = [(e["from"], e["to"]) for e in net.edges if e.get("kgRelation") != "passed_by"]
    issued = [(e["from"], e["to"]) for e in net.edges if e.get("kgRelation") == "passed_by"]
    issuers = [n["id"] for n in net.nodes if n.get("kgKind") == "issuer"]
    positions = layout_positions(documents, relations, issuers, issued)
    spacing = 90.0  # pixels between neighbours
    for node in net.nodes:
        x, y = positions[node["id"]]
        node["x"], node["y"] = round(x * spacing, 1), round(y * spacing, 1)


def layout_positions(
    documents: list[str], relations: list[tuple[str, str]], issuers: list[str], issued: list[tuple[str, str]]
) -> dict[str, tuple[float, float]]:
    """Positions in edge lengths: documents by `spread_layout`, each issuer beside its documents.

    Documents cited once (leaves) sit on a ring around the one that cites them and the rest come from
    a force-directed layout, which keeps the O(n²) part small; issuers stay out of it (hubs that would
    pull unrelated documents together).
    """
    positions = spread_layout(documents, relations)
    members: dict[str, list[str]] = defaultdict(list)
    for document, issuer in issued:
        members[issuer].append(document)
    for number, issuer in enumerate(issuers):
        around = [positions[d] for d in members[issuer] if d in positions] or [(0.0, 0.0)]
        angle = number * 2.399  # golden angle: issuers of the same documents do not stack
        x = sum(p[0] for p in around) / len(around) + 0.6 * math.cos(angle)
        y = sum(p[1] for p in around) / len(around) + 0.6 * math.sin(angle)
        positions[issuer] = (x, y)
    return {k: (float(x), float(y)) for k, (x, y) in positions.items()}


def spread_layout(nodes: list[str], edges: list[tuple[str, str]], iterations: int = 80) -> dict[str, tuple]:
    """Positions in units of one edge length: each connected part laid out alone, then packed in rows."""
    neighbours: dict[str, set[str]] = {n: set() for n in nodes}
    for a, b in edges:
        if a != b and a in neighbours and b in neighbours:
            neighbours[a].add(b)
            neighbours[b].add(a)
    parts = []
    for members in _components(nodes, neighbours):
        placed = _part_layout(members, neighbours, iterations)
        xs, ys = [p[0] for p in placed.values()], [p[1] for p in placed.values()]
        shifted = {n: (x - min(xs), y - min(ys)) for n, (x, y) in placed.items()}
        parts.append((shifted, max(xs) - min(xs) + 1.5, max(ys) - min(ys) + 1.5))
    row_width = max([math.sqrt(sum(w * h for _, w, h in parts)) * 1.4] + [w for _, w, _ in parts])
    positions: dict[str, tuple] = {}
    x = y = row_height = 0.0
    for placed, width, height in parts:  # largest first: shelf packing
        if x > 0 and x + width > row_width:
            x, y, row_height = 0.0, y + row_height, 0.0
        positions.update({n: (x + px, y + py) for n, (px, py) in placed.items()})
        x, row_height = x + width, max(row_height, height)
    return positions


def _components(nodes: list[str], neighbours: dict[str, set[str]]) -> list[list[str]]:
    seen: set[str] = set()
    parts = []
    for start in nodes:
        if start in seen:
            continue
        seen.add(start)
        part, queue = [], deque([start])
        while queue:
            current = queue.popleft()
            part.append(current)
            for other in sorted(neighbours[current] - seen):
                seen.add(other)
                queue.append(other)
        parts.append(part)
    return sorted(parts, key=lambda p: (-len(p), p[0]))


def _part_layout(members: list[str], neighbours: dict[str, set[str]], iterations: int) -> dict[str, tuple]:
    """Fruchterman-Reingold on the part's core; documents cited only once sit on a ring around their citer."""
    import numpy as np

    leaves = {
        n for n in members if len(neighbours[n]) == 1 and len(neighbours[next(iter(neighbours[n]))]) > 1
    }
    core = [n for n in members if n not in leaves]
    index = {n: i for i, n in enumerate(core)}
    pairs = np.array(  # sorted: set order changes with the hash seed, and the sums with it
        [
            (index[a], index[b])
            for a in core
            for b in sorted(neighbours[a])
            if b in index and index[a] < index[b]
        ],
        dtype=np.int64,
    ).reshape(-1, 2)
    count = len(core)
    pos = (np.random.default_rng(7).random((count, 2)) - 0.5) * math.sqrt(count) * 2
    # room for each core node's ring of leaves: a bigger ring pushes harder
    ring = np.array([1.0 + 0.35 * sum(1 for b in neighbours[n] if b in leaves) ** 0.5 for n in core])
    # the n x n repulsion in float32 buffers reused each step: memory traffic is its cost
    weight = (ring[:, None] * ring[None, :]).astype(np.float32)
    dx, dy, push = (np.empty((count, count), np.float32) for _ in range(3))
    diagonal = np.arange(count)
    temperature = math.sqrt(count) / 2
    for step in range(iterations if count > 1 else 0):
        x, y = pos[:, 0].astype(np.float32), pos[:, 1].astype(np.float32)
        np.subtract(x[:, None], x[None, :], out=dx)
        np.subtract(y[:, None], y[None, :], out=dy)
        np.multiply(dx, dx, out=push)
        push += dy * dy
        np.maximum(push, 0.01, out=push)
        np.divide(weight, push, out=push)  # repulsion k²/d along the unit vector = k² (pᵢ - pⱼ) / d²
        push[diagonal, diagonal] = 0.0
        move = np.stack([np.einsum("ij,ij->i", push, dx), np.einsum("ij,ij->i", push, dy)], 1).astype(float)
        if len(pairs):
            delta = pos[pairs[:, 0]] - pos[pairs[:, 1]]
            pull = delta * np.sqrt((delta**2).sum(1))[:, None]  # attraction d²/k along the edge
            np.add.at(move, pairs[:, 0], -pull)
            np.add.at(move, pairs[:, 1], pull)
        move -= pos * 0.05  # a little gravity keeps the part round
        length = np.maximum(np.sqrt((move**2).sum(1)), 1e-9)
        pos += move * (np.minimum(length, temperature) / length)[:, None]
        temperature *= 1 - 1.0 / (iterations - step + 1)
    placed = {n: (float(pos[i, 0]), float(pos[i, 1])) for n, i in index.items()}
    by_parent: dict[str, list[str]] = defaultdict(list)
    for leaf in sorted(leaves):
        by_parent[next(iter(neighbours[leaf]))].append(leaf)
    for parent, ring_members in by_parent.items():
        cx, cy = placed[parent]
        radius = 0.8 + 0.25 * math.sqrt(len(ring_members))
        for i, leaf in enumerate(ring_members):
            angle = 2 * math.pi * i / len(ring_members)
            placed[leaf] = (cx + radius * math.cos(angle), cy + radius * math.sin(angle))
    return placed


def _options(physics: bool, large: bool) -> dict[str, Any]:
    return {
        "physics": {
            "enabled": physics,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -45, "springLength": 70, "avoidOverlap": 0.3},
            "stabilization": {"enabled": physics, "iterations": 400, "updateInterval": 50, "fit": True},
        },
        "edges": {"smooth": False if large else {"type": "dynamic"}, "arrows": {"to": {"scaleFactor": 0.6}}},
        "nodes": {"borderWidthSelected": 4, "scaling": {"label": {"drawThreshold": 6 if large else 3}}},
        "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": large, "multiselect": True},
        "layout": {"randomSeed": 7, "improvedLayout": not large},
    }


# ---------------------------------------------------------------- the HTML page


def _script_json(value: Any) -> str:
    """JSON that cannot end its <script> element or open a comment: <, >, & and line separators escaped."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char, escape in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escape)
    return text


def _vis_bundle() -> tuple[str, str]:
    """vis-network's JavaScript and CSS as shipped inside pyvis, without the source-map comment."""
    from importlib.util import find_spec

    spec = find_spec("pyvis")  # its files only: importing it costs a second (networkx, IPython)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("pyvis is not installed: it ships the vis-network library the page inlines")
    lib = Path(list(spec.submodule_search_locations)[0]).resolve() / "templates" / "lib" / "vis-9.1.2"
    js = (lib / "vis-network.min.js").read_text(encoding="utf-8")
    js = re.sub(r"//# sourceMappingURL=\S+", "", js)
    css = (lib / "vis-network.css").read_text(encoding="utf-8")
    return js, css


def _legend(selection: Selection, graph: ViewGraph, style: Style) -> str:
    """Legend HTML from the style data, for the types, systems, relations and statuses on the page."""
    from markupsafe import Markup, escape

    def item(sample: str, text: str) -> str:
        return f"<li>{sample}<span>{escape(text)}</span></li>"

    docs = [graph.docs[i] for i in selection.docs]
    type_codes = sorted(
        {d.type_code for d in docs},
        key=lambda c: [t.code for t in style.types].index(c) if c in [t.code for t in style.types] else 999,
    )
    types = [style.type_for(c) if c else style.other for c in type_codes]
    parts = ["<h2>Document type (colour)</h2><ul class='legend'>"]
    parts += [
        item(f"<span class='swatch' style='background:{escape(t.color)}'></span>", t.label) for t in types
    ]
    parts.append("</ul><h2>Shape</h2><ul class='legend'>")
    for system in sorted({d.system if d.system in style.systems else "unknown" for d in docs}):
        entry = style.systems[system]
        parts.append(item(f"<span class='glyph'>{escape(entry['glyph'])}</span>", entry["label"]))
    if selection.issuers:
        parts.append(
            item(f"<span class='glyph'>{escape(style.issuer['glyph'])}</span>", style.issuer["label"])
        )
    parts.append("<li><span class='glyph'>⬤</span><span>size: how often cited</span></li>")
    parts.append("</ul><h2>Relation (edge)</h2><ul class='legend'>")
    relations = {x.relation for x in selection.links} | ({"passed_by"} if selection.issuers else set())
    for key, entry in style.relations.items():
        if key in relations:
            line = "dashed" if entry["dashes"] else "solid"
            css = f"border-top-style:{line};border-color:{escape(entry['color'])}"
            sample = f"<span class='line' style='{css}'></span>"
            parts.append(item(sample, entry["label"]))
    parts.append("</ul><h2>Validity</h2><ul class='legend'>")
    statuses = {d.status for d in docs if d.status}
    for key, entry in style.statuses.items():
        if key in statuses and entry.get("border"):
            dashed = "dashed" if entry.get("outdated") else "solid"
            css = f"border-color:{escape(entry['border'])};border-style:{dashed}"
            sample = f"<span class='outdated' style='{css}'></span>"
            parts.append(item(sample, f"{entry.get('prefix', '')}{entry['label']}"))
    parts.append(
        item(
            "<span class='outdated' style='border-color:#616161;border-style:solid;border-width:1px'></span>",
            "no validity fact, or in force",
        )
    )
    parts.append("</ul>")
    return Markup("<section id='kg-legend'>" + "".join(parts) + "</section>")


def render_html(net: Any, physics: bool, *, heading: str, summary: str, note: str, legend: str) -> str:
    from jinja2 import Environment, FileSystemLoader, select_autoescape
    from markupsafe import Markup

    env = Environment(loader=FileSystemLoader(str(TEMPLATE_DIR)), autoescape=select_autoescape(["html"]))
    js, css = _vis_bundle()
    data = {"nodes": net.nodes, "edges": net.edges, "options": net.options, "physics": physics}
    return env.get_template("viz.html").render(
        page_title=heading,
        heading=heading,
        summary=summary,
        note=note,
        legend=legend,
        vis_js=Markup(js),
        vis_css=Markup(css),
        data_json=Markup(_script_json(data)),
    )


# ---------------------------------------------------------------- PNG / SVG


def write_static(graph: ViewGraph, selection: Selection, style: Style, out: Path, fmt: str) -> int:
    """A still picture for reports with networkx + matplotlib (Agg); returns the number of edges drawn."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import networkx as nx
    from matplotlib.lines import Line2D

    g = nx.DiGraph()
    g.add_nodes_from(selection.docs)
    g.add_nodes_from(selection.issuers)
    kept_issuers = set(selection.issuers)
    issuer_edges = [(i, k) for i in selection.docs for k in graph.docs[i].issuers if k in kept_issuers]
    g.add_edges_from((x.source, x.target) for x in selection.links)
    g.add_edges_from(issuer_edges)
    positions = layout_positions(
        selection.docs, [(x.source, x.target) for x in selection.links], selection.issuers, issuer_edges
    )
    xs, ys = [p[0] for p in positions.values()] or [0.0], [p[1] for p in positions.values()] or [0.0]
    # about 0.55 inch per edge length, within what a report page can hold
    width = min(max((max(xs) - min(xs)) * 0.55, 6), 36)
    height = min(max((max(ys) - min(ys)) * 0.55, 4), 36)
    fig, ax = plt.subplots(figsize=(width + 3, height + 1))
    ax.set_axis_off()

    nx.draw_networkx_edges(
        g,
        positions,
        edgelist=issuer_edges,
        ax=ax,
        edge_color=style.relations["passed_by"]["color"],
        style="dotted",
        arrows=False,
        width=0.8,
    )
    for key, entry in style.relations.items():
        edges = [(x.source, x.target) for x in selection.links if x.relation == key]
        if edges:
            nx.draw_networkx_edges(
                g,
                positions,
                edgelist=edges,
                ax=ax,
                edge_color=entry["color"],
                style="dashed" if entry["dashes"] else "solid",
                width=entry["width"],
                arrows=True,
                arrowsize=10,
                node_size=300,
            )
    most = max((graph.docs[i].cited for i in selection.docs), default=1)
    groups: dict[tuple[str, bool], list[str]] = defaultdict(list)
    for iri in selection.docs:
        doc = graph.docs[iri]
        groups[(style.system(doc.system)["marker"], style.outdated(doc.status))].append(iri)
    for (marker, outdated), members in groups.items():
        collection = nx.draw_networkx_nodes(
            g,
            positions,
            nodelist=members,
            ax=ax,
            node_shape=marker,
            node_color=[style.type_for(graph.docs[i].type_code).color for i in members],
            node_size=[
                (_node_size(graph.docs[i].cited, most, style, bool(graph.docs[i].source)) * 1.2) ** 2 / 4
                for i in members
            ],
            edgecolors="#d50000" if outdated else "#616161",
            linewidths=2.2 if outdated else 0.8,
        )
        if outdated:
            collection.set_linestyle("--")
    if selection.issuers:
        nx.draw_networkx_nodes(
            g,
            positions,
            nodelist=selection.issuers,
            ax=ax,
            node_shape=style.issuer["marker"],
            node_color=style.issuer["color"],
            edgecolors=style.issuer["border"],
            node_size=120,
        )
    # the corpus's own documents first, then the most cited
    ranked = sorted(selection.docs, key=lambda i: (not graph.docs[i].source, -graph.docs[i].cited, i))
    labelled = ranked[: style.layout["static_labels_max_nodes"]] + selection.issuers
    labels = {}
    for node in labelled:
        if node in graph.docs:
            doc = graph.docs[node]
            labels[node] = style.statuses.get(doc.status, {}).get("prefix", "") + doc.short
        else:
            labels[node] = graph.issuers[node].short
    nx.draw_networkx_labels(
        g,
        positions,
        labels=labels,
        ax=ax,
        font_size=7,
        verticalalignment="top",
        bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.6},
    )
    handles = [
        Line2D(
            [],
            [],
            marker="o",
            linestyle="",
            markerfacecolor=t.color,
            markeredgecolor="#616161",
            label=t.label,
        )
        for t in [style.other, *style.types]
        if t.code in {graph.docs[i].type_code for i in selection.docs}
    ]
    handles += [
        Line2D(
            [],
            [],
            color=style.relations[r]["color"],
            label=style.relations[r]["label"],
            linestyle="--" if style.relations[r]["dashes"] else "-",
        )
        for r in sorted({x.relation for x in selection.links})
        if r in style.relations
    ]
    if any(style.outdated(graph.docs[i].status) for i in selection.docs):
        handles.append(
            Line2D(
                [],
                [],
                marker="o",
                linestyle="",
                markerfacecolor="white",
                markeredgecolor="#d50000",
                markeredgewidth=2,
                label="✕ replaced / repealed / expired",
            )
        )
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=False)
    fig.tight_layout()
    fig.savefig(out, format=fmt, dpi=150 if fmt == "png" else None, bbox_inches="tight")
    plt.close(fig)
    return len(selection.links) + len(issuer_edges)


# ---------------------------------------------------------------- public API


def visualise(
    store: Any,
    out: str | Path = "graph.html",
    *,
    focus: str | None = None,
    depth: int = 2,
    issuer: str | None = None,
    doc_type: str | None = None,
    since: str | int | None = None,
    until: str | int | None = None,
    level: str | None = None,
    max_nodes: int = DEFAULT_MAX_NODES,
    format: str | None = None,
    heading: str = "Legal citation graph",
) -> VizResult:
    """Write the graph in `store` (a GraphStore, a pyoxigraph.Store or a store path/URL) to `out`.

    `format` defaults to the file's suffix (html, png or svg). Filters keep the documents that match all
    of them (and edges among them); `focus` first narrows to the documents within `depth` relations of it.
    Above `max_nodes` the least connected documents (PageRank) are left out, and the result says which.
    """
    out = Path(out)
    fmt = (format or out.suffix.lstrip(".") or "html").lower()
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    if max_nodes < 1:
        raise ValueError("max_nodes must be at least 1")
    style = load_style()
    filters = dict(issuer=issuer, doc_type=doc_type, since=since, until=until, level=level)
    handle = _as_store(store)
    try:
        reader = _Reader(handle, style)
        graph = reader.outline()
        if focus or any(v not in (None, "") for v in filters.values()):
            reader.describe(graph, list(graph.docs))  # filters and the focus look at every document
        elif len(graph.docs) <= max_nodes:  # all drawn, issuers too if there is room: read them first
            reader.describe(graph, [i for i in graph.docs if i not in reader.described])
        selection = select_nodes(graph, max_nodes=max_nodes, focus=focus, depth=depth, style=style, **filters)
        reader.describe(graph, [i for i in selection.docs if i not in reader.described])
        reader.count_links(graph, selection.docs)
        kept = set(selection.docs)  # the links again, now with their mention counts
        selection.links = [x for x in graph.links if x.source in kept and x.target in kept]
    finally:
        if handle is not store and hasattr(handle, "close"):
            handle.close()
    note = omission_note(graph, selection, max_nodes)
    if not selection.docs:
        note = "No document in the store matches these filters."
    out.parent.mkdir(parents=True, exist_ok=True)
    result = VizResult(
        path=out,
        format=fmt,
        nodes=len(selection.docs) + len(selection.issuers),
        edges=0,
        documents=len(selection.docs),
        issuers=len(selection.issuers),
        omitted=[graph.docs[i].short for i in selection.omitted],
        focus=selection.focus,
        note=note,
    )
    if fmt == "html":
        net, physics = build_network(graph, selection, style)
        summary = f"{len(selection.docs)} documents, {len(selection.issuers)} issuers, {len(net.edges)} links"
        page = render_html(
            net, physics, heading=heading, summary=summary, note=note, legend=_legend(selection, graph, style)
        )
        out.write_text(page, encoding="utf-8")
        result.edges, result.layout = len(net.edges), "physics" if physics else "precomputed"
    else:
        result.edges = write_static(graph, selection, style, out, fmt)
        result.layout = "precomputed"
    return result


def inline(html_path: str | Path, height: int = 650) -> Any:
    """Show a page written by `visualise` inside a notebook cell (an IPython HTML iframe, self-contained)."""
    import html

    from IPython.display import HTML

    page = Path(html_path).read_text(encoding="utf-8")
    frame = (
        f'<iframe srcdoc="{html.escape(page, quote=True)}" style="width:100%;height:{int(height)}px;border:0"'
        ' sandbox="allow-scripts"></iframe>'
    )
    return HTML(f"<div>{frame}</div>")  # wrapped: IPython warns about a bare <iframe>
