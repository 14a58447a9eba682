"""The corpus summary graph: corpus-wide facts about each document, written once per build.

Each document is described once, in its node graph (kg.graph.node_graphs), which queries reach only
through the union of all graphs. Queries that aggregate over the corpus, or look a document up, read this
one graph instead: its main values restated, and the counts.

- per document the corpus describes (citing or cited): its one eli:id_local, its kg:variant forms,
  eli:type_document, kg:year, kg:system, kg:level, kg:jurisdiction (a local document's place),
  eli:date_document and eli:passed_by, the same values its node graph states (they come from the
  Resolution's representative mention);
- per cited document: kg:mentionCount and kg:citingFileCount;
- per document a corpus document replaces, repeals, supersedes or makes expire: kg:endedOn, the earliest
  issue date of such a document;
- per issuer of a document: one rdfs:label (the least of those the file graphs give it); per place a
  document belongs to: its rdfs:label(s);
- per pair of issuers linked by a corpus relation (kg:linkFrom, kg:linkTo): kg:linkCount, the
  number of distinct document pairs;
- kg:rank on cited documents and on issuer links: their position in most-cited's and issuer-network's
  order (sorting by a text in the query fetches the text for every comparison);
- per year of cited documents, and per year and system (kg:countedYear, kg:countedSystem): kg:mentionCount
  and kg:documentCount.

Relation triples are not restated here: the union keeps one set of corpus relations, whose named graph
says which file states them (kg check reads them so).
"""

from __future__ import annotations

import hashlib
import itertools
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kg import vocab

if TYPE_CHECKING:
    from kg.graph import DocRef, Resolution

_ENDING = ("replaces", "repeals", "expires", "supersedes")  # a document that ends the one it names


@dataclass(slots=True)
class _Document:
    forms: set[str] = field(default_factory=set)
    dates: set[str] = field(default_factory=set)
    mentions: int = 0
    files: set[str] = field(default_factory=set)


def _documents(resolution: Resolution) -> dict[str, _Document]:
    """Every described document with the forms and full dates it is cited with, and its mentions."""
    found: dict[str, _Document] = defaultdict(_Document)
    for path in sorted(resolution.mentions):
        citing = resolution.citing[path]
        for ref in (citing, *resolution.mentions[path]):
            if ref is None or not ref.iri:
                continue
            document = found[ref.iri]
            document.forms.add(ref.form)
            if ref.date and len(ref.date) == 10:
                document.dates.add(ref.date)
            if ref is not citing and ref.iri != citing.iri:
                document.mentions += 1
                document.files.add(path)
    return found


class _Issuers:
    """Issuer IRIs of a document and their labels, by the file graphs' own code (kg.graph._issuer_triples),
    memoised: many documents share the same issuers. Also the place of a local document and its labels
    (kg.graph._place_triples)."""

    def __init__(self) -> None:
        self.labels: dict[str, str] = {}
        self.place_labels: dict[str, set[str]] = defaultdict(set)
        self._memo: dict[tuple, list[str]] = {}
        self._places: dict[tuple, str | None] = {}

    def place(self, ref: DocRef) -> str | None:
        """The innermost place of a local document (kg:jurisdiction), as kg.graph._description says."""
        if ref.scope == "vn":
            return None
        key = (ref.place, ref.level)
        if key not in self._places:
            from kg.graph import TripleWriter, _place_triples

            out = TripleWriter()
            self._places[key] = _place_triples(out, ref.place, ref.level)
            for line in out.lines:
                subject, predicate, obj = line.split(" ", 2)
                if predicate == f"<{vocab.LABEL}>":
                    self.place_labels[subject[1:-1]].add(obj.removesuffix(" ."))
        return self._places[key]

    def of(self, ref: DocRef) -> list[str]:
        key = (tuple(ref.issuer_codes), ref.scope, ref.level, ref.place, ref.system)
        if key not in self._memo:
            from kg.graph import TripleWriter, _issuer_triples

            out = TripleWriter()
            self._memo[key] = _issuer_triples(out, ref)
            issuers = {f"<{iri}>" for iri in self._memo[key]}
            for line in out.lines:
                subject, predicate, obj = line.split(" ", 2)
                if predicate == f"<{vocab.LABEL}>" and subject in issuers:
                    label = obj.removesuffix(" .")
                    iri = subject[1:-1]
                    value = _unliteral(label)
                    if iri not in self.labels or value < _unliteral(self.labels[iri]):
                        self.labels[iri] = label
        return self._memo[key]


def _unliteral(serialised: str) -> str:
    """The string of a plain N-Triples literal as kg.graph._literal writes it."""
    body = serialised[1:-1]
    return body.replace("\\r", "\r").replace("\\n", "\n").replace('\\"', '"').replace("\\\\", "\\")


def summary_ntriples(resolution: Resolution) -> str:
    """N-Triples of graph:summary for a resolved corpus (deterministic: sorted lines)."""
    lines = summary_lines(resolution)
    return "\n".join(lines) + ("\n" if lines else "")


def summary_lines(resolution: Resolution) -> list[str]:
    """The sorted lines of summary_ntriples, without their line breaks: a build writes them to a file in
    parts instead of joining them into one text (hundreds of MB at 100,000 documents)."""
    from kg.graph import _iri, _literal
    from kg.resolve import type_iri

    documents = _documents(resolution)
    issuers = _Issuers()
    lines: list[str] = []

    def fact(subject: str, predicate: str, obj: str) -> None:  # _iri inlined: millions of calls at 100k
        lines.append(f"<{subject}> <{predicate}> {obj} .")

    passed_by: dict[str, list[str]] = {}
    for iri, document in documents.items():
        ref = resolution.canonical[iri]
        id_local = resolution.id_local[iri]
        fact(iri, vocab.ID_LOCAL, _literal(id_local))
        for form in sorted(document.forms - {id_local, ""}):
            fact(iri, vocab.VARIANT, _literal(form))
        fact(iri, vocab.TYPE_DOCUMENT, _iri(type_iri(ref.doc_type)))
        if ref.year is not None:
            fact(iri, vocab.YEAR, _literal(int(ref.year)))
        if ref.system:
            fact(iri, vocab.SYSTEM, _literal(ref.system))
        level = ref.level or ("central" if ref.scope == "vn" else None)
        if level:
            fact(iri, vocab.LEVEL, _literal(level))
        place = issuers.place(ref)
        if place:
            fact(iri, vocab.JURISDICTION, _iri(place))
        for date in sorted(document.dates):
            fact(iri, vocab.DATE_DOCUMENT, _literal(date, vocab.XSD + "date"))
        passed_by[iri] = issuers.of(ref)
        for issuer in passed_by[iri]:
            fact(iri, vocab.PASSED_BY, _iri(issuer))
        if document.mentions:
            fact(iri, vocab.MENTION_COUNT, _literal(document.mentions))
            fact(iri, vocab.CITING_FILE_COUNT, _literal(len(document.files)))
    # most-cited's order (files, mentions descending, then id), precomputed: sorting by the id in the query
    # fetches the id's text for every comparison
    cited = sorted((iri for iri, d in documents.items() if d.mentions), key=lambda iri: (
        -len(documents[iri].files), -documents[iri].mentions, resolution.id_local[iri], iri))
    for rank, iri in enumerate(cited, start=1):
        fact(iri, vocab.RANK, _literal(rank))
        fact(iri, vocab.RANK_BAND, _literal(rank_band(rank)))
    for iri, document in documents.items():  # described, never cited: band 0, reached by a lookup too
        if not document.mentions:
            fact(iri, vocab.RANK_BAND, _literal(0))
    for issuer, label in issuers.labels.items():
        fact(issuer, vocab.LABEL, label)
    for place, labels in issuers.place_labels.items():
        for label in labels:
            fact(place, vocab.LABEL, label)
    _ended_on(resolution, documents, fact)
    _issuer_links(resolution, passed_by, issuers.labels, fact)
    _per_year(resolution, documents, fact)
    lines.sort()
    return lines


def _ended_on(resolution: Resolution, documents: dict[str, _Document], fact) -> None:
    """kg:endedOn: the earliest issue date of a corpus document that ends this one (in-force-on)."""
    from kg.graph import _literal

    ended: dict[str, str] = {}
    for source, relation, target in resolution.edges:
        if relation not in _ENDING:
            continue
        for date in documents[source].dates if source in documents else ():
            if target not in ended or date < ended[target]:
                ended[target] = date
    for iri, date in ended.items():
        fact(iri, vocab.ENDED_ON, _literal(date, vocab.XSD + "date"))


def _issuer_links(
    resolution: Resolution, passed_by: dict[str, list[str]], labels: dict[str, str], fact
) -> None:
    """Per (citing issuer, cited issuer): the distinct document pairs a corpus relation links."""
    from kg.graph import _iri, _literal

    pairs = {(source, target) for source, _, target in resolution.edges if source != target}
    distinct = {iri: tuple(dict.fromkeys(issuers)) for iri, issuers in passed_by.items()}
    links: Counter[tuple[str, str]] = Counter()
    for source, target in pairs:
        citing, cited = distinct.get(source), distinct.get(target)
        if citing and cited:
            links.update(itertools.product(citing, cited))
    # issuer-network's order (links descending, then the labels and IRIs), precomputed as kg:rank
    sort_labels = {issuer: (1, _unliteral(label)) for issuer, label in labels.items()}

    def label(issuer: str) -> tuple:
        return sort_labels.get(issuer, (0,))

    ordered = sorted(links.items(), key=lambda kv: (-kv[1], label(kv[0][0]), label(kv[0][1]), kv[0]))
    for rank, ((citing_issuer, cited_issuer), count) in enumerate(ordered, start=1):
        node = f"{vocab.ID}summary/link/{_digest(citing_issuer + ' ' + cited_issuer)}"
        fact(node, vocab.LINK_FROM, _iri(citing_issuer))
        fact(node, vocab.LINK_TO, _iri(cited_issuer))
        fact(node, vocab.LINK_COUNT, _literal(count))
        fact(node, vocab.RANK, _literal(rank))
        fact(node, vocab.RANK_BAND, _literal(rank_band(rank)))


def _per_year(resolution: Resolution, documents: dict[str, _Document], fact) -> None:
    """Per year of the cited documents (and per year and numbering system): mentions and documents."""
    from kg.graph import _literal

    counts: dict[tuple[int, str | None], list[int]] = defaultdict(lambda: [0, 0])
    for iri, document in documents.items():
        ref = resolution.canonical[iri]
        if not document.mentions or ref.year is None:
            continue
        for system in (None, ref.system) if ref.system else (None,):
            total = counts[(int(ref.year), system)]
            total[0] += document.mentions
            total[1] += 1
    for (year, system), (mentions, count) in counts.items():
        node = f"{vocab.ID}summary/year/{year}" + (f"/{system}" if system else "")
        fact(node, vocab.COUNTED_YEAR, _literal(year))
        if system:
            fact(node, vocab.COUNTED_SYSTEM, _literal(system))
        fact(node, vocab.MENTION_COUNT, _literal(mentions))
        fact(node, vocab.DOCUMENT_COUNT, _literal(count))


def rank_band(rank: int) -> int:
    """The first rank of the power-of-ten band a rank is in (1; 2-10; 11-100; 101-1000; ...): kg:rankBand
    (0 on a described document that is not cited, so has no kg:rank).

    A query for the first N of an order looks up the few bands that reach N (index lookups on a value)
    instead of filtering every kg:rank (a scan of all ranked nodes)."""
    first = 1
    while first * 10 < rank:
        first *= 10
    return 1 if rank == 1 else first + 1


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]
