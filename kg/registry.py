"""The curated validity registry (DOMAIN.md §9): what replaced, repealed, amended, superseded or expired
which document, and which documents are believed in force, each fact with its source and confidence.

Data lives in ontology/registry/ (validity.csv, in_force.csv; columns documented in
ontology/schema/registry.schema.json). This module only reads it; `registry_ntriples()` turns it into RDF
for the graph's `graph:registry` named graph.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cache, lru_cache
from pathlib import Path

from kg.data import ontology_file

CONFIDENCES = ("high", "medium", "low")

# What a validity fact's relation does to the status of its subject document.
RELATION_STATUS = {
    "replaced_by": "replaced",
    "repealed_by": "repealed",
    "amended_by": "amended",
    "superseded_by": "superseded",
    "succeeded_by": "superseded",
    "expired_by": "expired",
    "expired": "expired",
    "continued_by": None,  # a continuation, NOT a replacement: the subject stays in force
}


@dataclass(frozen=True, slots=True)
class ValidityFact:
    """One row of validity.csv: `document` <relation> `other` from `effective`."""

    document: str
    type: str | None
    date: str | None
    title: str | None
    relation: str
    other: str | None
    other_date: str | None
    effective: str | None
    confidence: str
    source: str
    line: int  # line number in validity.csv, for evidence

    @property
    def status(self) -> str | None:
        return RELATION_STATUS.get(self.relation)

    @property
    def effective_date(self) -> date | None:
        """From `effective`, else the acting document's date, else 1 January of the year in its number: a
        change cannot precede the act that makes it (a row without dates applied at every date)."""
        known = parse_iso(self.effective) or parse_iso(self.other_date)
        if known is not None or self.other is None:
            return known
        year = parse_id(self.other)["year"]  # "95/2025/NĐ-CP": 2025; a Party number has none
        return date(int(year), 1, 1) if year else None


@dataclass(frozen=True, slots=True)
class InForceFact:
    """One row of in_force.csv: a document believed in force (as of the registry's date)."""

    document: str
    type: str | None
    date: str | None
    issuer: str | None
    title: str | None
    note: str | None
    confidence: str
    line: int


@dataclass(slots=True)
class Registry:
    facts: list[ValidityFact]
    in_force: list[InForceFact]
    directory: Path
    _by_key: dict[str, list[ValidityFact]] = field(default_factory=dict)
    _in_force_by_key: dict[str, list[InForceFact]] = field(default_factory=dict)
    _variants: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for fact in self.facts:
            self._by_key.setdefault(identity_key(fact.document), []).append(fact)
        for entry in self.in_force:
            self._in_force_by_key.setdefault(identity_key(entry.document), []).append(entry)
            for variant in re.findall(r"cited as ([^\s,;]+)", entry.note or ""):
                self._variants[identity_key(variant)] = entry.document

    def facts_about(self, document_id: str, year: int | None = None) -> list[ValidityFact]:
        """Facts whose subject is `document_id`; with `year`, only those of that year (16/CT-TTg of 2016 is
        not 16/CT-TTg of 2020)."""
        facts = self._by_key.get(identity_key(document_id), [])
        return [f for f in facts if year is None or year_of(f.document, f.date) in (None, year)]

    def in_force_entry(self, document_id: str, year: int | None = None) -> InForceFact | None:
        entries = self._in_force_by_key.get(identity_key(document_id), [])
        entries = [e for e in entries if year is None or year_of(e.document, e.date) in (None, year)]
        return entries[0] if entries else None

    def official_form(self, document_id: str) -> str | None:
        """The official id when `document_id` is a recorded variant ("11-QĐ/TW" -> "11-QĐi/TW")."""
        return self._variants.get(identity_key(document_id))

    def candidates(self, document_id: str) -> set[int | None]:
        """Years of the registry's documents with this id (to tell whether an undated citation is unique)."""
        key = identity_key(document_id)
        rows = [(f.document, f.date) for f in self._by_key.get(key, [])]
        rows += [(e.document, e.date) for e in self._in_force_by_key.get(key, [])]
        return {year_of(doc, when) for doc, when in rows}

    def known_date(self, document_id: str, year: int | None = None) -> tuple[str | None, str | None]:
        """(issue date, where the registry says so) of a document, if the registry records it."""
        entry = self.in_force_entry(document_id, year)
        if entry and entry.date:
            return entry.date, f"in_force.csv:{entry.line}"
        for fact in self.facts_about(document_id, year):
            if fact.date:
                return fact.date, f"validity.csv:{fact.line}"
        for fact in self.facts:  # the document may be known only as the "other" of a fact
            if fact.other and identity_key(fact.other) == identity_key(document_id) and fact.other_date:
                if year is None or year_of(fact.other, fact.other_date) in (None, year):
                    return fact.other_date, f"validity.csv:{fact.line}"
        return None, None


@lru_cache(maxsize=1 << 16)  # pure, and asked for every registry fact of every citation (known_date)
def identity_key(document_id: str) -> str:
    """How registry ids compare: NFC, no spaces, a type code glued to its issuer code given its hyphen back
    ("214/2025/NĐCP" is 214/2025/NĐ-CP, as the graph reads it: kg.resolve.canonical_symbol), case-folded,
    leading zeros of the number dropped."""
    text = _unglued(unicodedata.normalize("NFC", document_id).replace(" ", "")).casefold()
    text = re.sub(r"năm(?=\d{4}$)", "", text)  # "Hiến pháp năm 2013" is "Hiến pháp 2013"
    return re.sub(r"^0+(?=\w)", "", text)


_NUMBER_PART = re.compile(r"^(\d+\w*/(?:\d{4}/)?)([^/]+)$")  # "214/2025/" + "NĐCP", "123/" + "QĐUBND"


def _unglued(document_id: str) -> str:
    from kg.resolve import unglued_symbol

    match = _NUMBER_PART.match(document_id)
    return match.group(1) + unglued_symbol(match.group(2)) if match else document_id


def year_of(document_id: str, iso_date: str | None) -> int | None:
    """The year inside a normative symbol (59/2023/NĐ-CP), else the year of the issue date."""
    match = re.match(r"^[^/]+/(\d{4})/", document_id)
    if match:
        return int(match.group(1))
    parsed = parse_iso(iso_date)
    return parsed.year if parsed else None


def parse_iso(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        return None


def _blank(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def _confidence(value: str | None, where: str) -> str:
    value = (value or "").strip().lower()
    if value not in CONFIDENCES:
        raise ValueError(f"{where}: confidence must be one of {', '.join(CONFIDENCES)}, not {value!r}")
    return value


def _rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return [(reader.line_num, row) for row in reader]


def read_validity(path: Path) -> list[ValidityFact]:
    facts = []
    for line, row in _rows(path):
        relation = row["relation"].strip()
        if relation not in RELATION_STATUS:
            raise ValueError(f"{path.name}:{line}: unknown relation {relation!r}")
        facts.append(
            ValidityFact(
                document=row["document"].strip(),
                type=_blank(row.get("type")),
                date=_blank(row.get("date")),
                title=_blank(row.get("title")),
                relation=relation,
                other=_blank(row.get("other_document")),
                other_date=_blank(row.get("other_date")),
                effective=_blank(row.get("effective")),
                confidence=_confidence(row.get("confidence"), f"{path.name}:{line}"),
                source=(row.get("source") or "").strip(),
                line=line,
            )
        )
    return facts


def read_in_force(path: Path) -> list[InForceFact]:
    return [
        InForceFact(
            document=row["document"].strip(),
            type=_blank(row.get("type")),
            date=_blank(row.get("date")),
            issuer=_blank(row.get("issuer")),
            title=_blank(row.get("title")),
            note=_blank(row.get("note")),
            confidence=_confidence(row.get("confidence"), f"{path.name}:{line}"),
            line=line,
        )
        for line, row in _rows(path)
    ]


def load_registry(directory: str | Path | None = None) -> Registry:
    """The registry in `directory` (default: ontology/registry/)."""
    if directory is None:
        return _default_registry()
    folder = Path(directory)
    return Registry(read_validity(folder / "validity.csv"), read_in_force(folder / "in_force.csv"), folder)


@cache
def _default_registry() -> Registry:
    folder = ontology_file("registry")
    return Registry(read_validity(folder / "validity.csv"), read_in_force(folder / "in_force.csv"), folder)


# ---------------------------------------------------------------------------------------------- RDF

# Which graph relation a validity fact asserts, written `<other> REL <document>` (the newer document acts).
_FACT_TRIPLE = {
    "replaced_by": "REPLACES",
    "repealed_by": "REPEALS",
    "amended_by": "AMENDS",
    "superseded_by": "SUPERSEDES",
    "succeeded_by": "SUPERSEDES",
    "expired_by": "EXPIRES",
    "continued_by": "CONTINUES",
}


def parse_id(document_id: str) -> dict[str, str | int | None]:
    """Split an id as written into number, year, symbol and type code (DOMAIN.md §2).

    "59/2023/NĐ-CP" -> 59, 2023, "NĐ-CP", "NĐ"; "120-KL/TW" -> 120, None, "KL/TW", "KL";
    "33/CT-TTg" -> 33, None, "CT-TTg", "CT"; "10/2022/QH15" -> 10, 2022, "QH15", None.
    """
    text = unicodedata.normalize("NFC", document_id).replace(" ", "")
    normative = re.match(r"^([\w.]+)/(\d{4})/(.+)$", text)
    if normative:
        symbol = normative.group(3)
        type_code = symbol.split("-", 1)[0] if "-" in symbol else None
        return {"number": normative.group(1), "year": int(normative.group(2)), "symbol": symbol,
                "type_code": type_code, "form": "normative"}
    party = re.match(r"^([\w.]+)-(\w+)/(.+)$", text)
    if party:
        return {"number": party.group(1), "year": None, "symbol": f"{party.group(2)}/{party.group(3)}",
                "type_code": party.group(2), "form": "party"}
    state = re.match(r"^([\w.]+)/(.+)$", text)
    if state:
        symbol = state.group(2)
        type_code = symbol.split("-", 1)[0] if "-" in symbol else None
        return {"number": state.group(1), "year": None, "symbol": symbol, "type_code": type_code,
                "form": "state"}
    return {"number": None, "year": None, "symbol": None, "type_code": None, "form": "named"}


@dataclass(frozen=True, slots=True)
class RegistryDocument:
    """How the graph sees a document the registry names: the same IRI and identity key as kg.resolve
    gives a corpus mention of it, its type (eli:type_document code) and issuers where derivable."""

    document_id: str
    iri: str
    key: tuple[str, ...]
    year: int | None
    doc_type: str
    issuer_codes: tuple[str, ...]
    scope: str
    level: str | None
    system: str
    place: object = None  # kg.resolve.Jurisdiction of a local document


def registry_document(
    document_id: str, iso_date: str | None, type_word: str | None = None, issuer: str | None = None
) -> RegistryDocument:
    """Resolve a registry row's document as the graph resolves a mention: numbered ids through
    kg.resolve.document_iri (scope from the issuer phrase for a local body, else "vn"), names through
    kg.resolve.named_document_iri (one normalisation: "Hiến pháp 2013" = "Hiến pháp năm 2013")."""
    from kg import resolve

    parts = parse_id(document_id)
    year = parts["year"] or year_of(document_id, iso_date)
    law_id = resolve.known_law_id(document_id, year) if parts["number"] is None else None
    if law_id:  # a law named by its name is the numbered law (as kg.graph resolves a named mention)
        parts = parse_id(law_id)
        year = parts["year"]
        type_word = type_word or "Luật"
    symbol = str(parts["symbol"] or "")
    if parts["number"] is None:
        key = resolve.named_key(document_id)
        codes = _issuer_codes(None, issuer, type_word)
        return RegistryDocument(document_id, resolve.named_document_iri(document_id, year), key, year,
                                resolve.document_type(type_word, None, None), codes, "vn", "central",
                                "state")
    issuer_code = resolve.issuer_code_of(symbol)
    scope, level, place = "vn", "central", resolve.Jurisdiction()
    if resolve.issuer_is_local(issuer_code, issuer):
        scope, level, place = resolve.local_scope(issuer_code, issuer, resolve.Jurisdiction())
    type_code = resolve.canonical_type_code(parts["type_code"], symbol)
    number = str(parts["number"])
    system = "party" if "/" in symbol else ("front" if "MTTQ" in symbol else "state")
    return RegistryDocument(
        document_id,
        resolve.document_iri(type_code, number, symbol, year, scope),
        resolve.identity_key(type_code, number, symbol, scope),
        year,
        resolve.document_type(type_word, parts["type_code"], symbol),
        _issuer_codes(issuer_code, issuer, type_word),
        scope,
        level,
        system,
        place,
    )


def _issuer_codes(symbol_code: str | None, phrase: str | None, type_word: str | None) -> tuple[str, ...]:
    """Issuers as the corpus names them: from the symbol ("CT-TTg" -> TTg, "QH13" -> QH), else the issuer
    column's phrase, else the National Assembly for laws, codes and the constitution."""
    from kg import resolve

    codes = [re.sub(r"(?<=QH)\d+$", "", c) for c in re.split(r"-", symbol_code or "") if c]
    if not codes and phrase:
        found = resolve.issuer_code_for_phrase(phrase)
        codes = [found] if found else []
    if not codes and resolve.fold(type_word or "") in ("luật", "bộ luật", "hiến pháp"):
        codes = ["QH"]
    return tuple(codes)


def registry_document_iri(document_id: str, iso_date: str | None, issuer: str | None = None) -> str:
    """The IRI the graph gives this document, via kg.resolve (local when its issuer phrase says so)."""
    return registry_document(document_id, iso_date, issuer=issuer).iri


def known_years(registry: Registry | None = None) -> dict[tuple[str, ...], set[int | None]]:
    """Identity key (kg.resolve.identity_key / named_key) -> years of the registry's documents with it:
    a dateless mention resolves when this names exactly one document (DOMAIN.md §2)."""
    registry = registry or load_registry()
    found: dict[tuple[str, ...], set[int | None]] = {}
    for document in _documents(registry).values():
        found.setdefault(document.key, set()).add(document.year)
    return found


def _documents(registry: Registry) -> dict[str, RegistryDocument]:
    """Every document the registry names (subjects and others), by IRI, with the best row's details."""
    rows: list[tuple[str, str | None, str | None, str | None]] = []
    rows += [(f.document, f.date, f.type, None) for f in registry.facts]
    rows += [(f.other, f.other_date, None, None) for f in registry.facts if f.other]
    rows += [(e.document, e.date, e.type, e.issuer) for e in registry.in_force]
    chosen: dict[str, tuple[str, str | None, str | None, str | None]] = {}
    for row in rows:
        iri = registry_document_iri(row[0], row[1], row[3])
        old = chosen.get(iri)
        if old is None:
            chosen[iri] = row
        else:  # fill what the first row lacked
            chosen[iri] = (old[0], old[1] or row[1], old[2] or row[2], old[3] or row[3])
    return {iri: registry_document(*row) for iri, row in chosen.items()}


def registry_ntriples(registry: Registry | None = None, described: Mapping[str, str] | None = None) -> str:
    """The registry as N-Triples: one kg:ValidityFact node per fact (subject, relation, other, effective,
    confidence, source), the direct relation triples (`<new> kg:replaces <old>`, `<new> eli:amends <old>`,
    `<doc> eli:in_force …`), and every named document as an eli:LegalResource with its id, type and issuers.

    `described`: IRI -> eli:id_local of the documents the corpus graphs describe (kg build passes it). Those
    are described once, by the corpus (SHACL: one id, type, number, symbol, date); the registry adds only
    its own form of the id as a kg:variant when it differs.
    """
    from kg import vocab

    registry = registry or load_registry()
    described = described or {}
    documents = _documents(registry)
    by_row: dict[tuple[str, str | None, str | None], str] = {}
    lines: list[str] = []

    def iri_of(document_id: str, iso_date: str | None, issuer: str | None = None) -> str:
        row = (document_id, iso_date, issuer)
        if row not in by_row:
            by_row[row] = registry_document_iri(document_id, iso_date, issuer)
        return by_row[row]

    def triple(subject: str, predicate: str, obj: str) -> None:
        lines.append(f"<{subject}> <{predicate}> {obj} .")

    for index, fact in enumerate(registry.facts, start=1):
        subject = iri_of(fact.document, fact.date)
        node = f"{vocab.ID}registry/validity/{index}"
        triple(node, vocab.RDF + "type", f"<{vocab.VALIDITY_FACT}>")
        triple(node, vocab.FACT_SUBJECT, f"<{subject}>")
        triple(node, vocab.FACT_RELATION, _literal(fact.relation))
        triple(node, vocab.CONFIDENCE, _literal(fact.confidence))
        triple(node, vocab.FACT_SOURCE, _literal(fact.source or "ontology/registry/validity.csv"))
        if fact.effective_date:
            triple(node, vocab.FACT_EFFECTIVE, _literal(fact.effective_date.isoformat(), vocab.XSD + "date"))
        if fact.other:
            other = iri_of(fact.other, fact.other_date)
            triple(node, vocab.FACT_OTHER, f"<{other}>")
            predicate = _FACT_TRIPLE.get(fact.relation)
            if predicate:
                triple(other, getattr(vocab, predicate), f"<{subject}>")
        if fact.status in ("replaced", "repealed", "expired") and fact.effective_date:
            triple(subject, vocab.IN_FORCE, _literal("InForce-notInForce"))
            triple(subject, vocab.DATE_NO_LONGER_IN_FORCE,
                   _literal(fact.effective_date.isoformat(), vocab.XSD + "date"))
    for index, entry in enumerate(registry.in_force, start=1):
        subject = iri_of(entry.document, entry.date, entry.issuer)
        node = f"{vocab.ID}registry/in_force/{index}"
        triple(node, vocab.RDF + "type", f"<{vocab.VALIDITY_FACT}>")
        triple(node, vocab.FACT_SUBJECT, f"<{subject}>")
        triple(node, vocab.FACT_RELATION, _literal("in_force"))
        triple(node, vocab.CONFIDENCE, _literal(entry.confidence))
        triple(node, vocab.FACT_SOURCE, _literal(entry.note or "ontology/registry/in_force.csv"))
        triple(subject, vocab.IN_FORCE, _literal("InForce-inForce"))
    dates = {iri: date for (_, date, _), iri in by_row.items() if parse_iso(date)}
    for iri, document in documents.items():
        triple(iri, vocab.RDF + "type", f"<{vocab.LEGAL_RESOURCE}>")
        if iri in described:
            if described[iri] != document.document_id:
                triple(iri, vocab.VARIANT, _literal(document.document_id))
            continue
        lines.extend(_description(iri, document, dates.get(iri)))
    return "\n".join(lines) + "\n"


def _description(iri: str, document: RegistryDocument, iso_date: str | None) -> list[str]:
    """A document no corpus file describes: id, number, symbol, date, year, type, level, system, issuers."""
    from kg import resolve, vocab

    out: list[str] = []

    def triple(subject: str, predicate: str, obj: str) -> None:
        out.append(f"<{subject}> <{predicate}> {obj} .")

    triple(iri, vocab.ID_LOCAL, _literal(document.document_id))
    parts = parse_id(document.document_id)
    if parts["number"] is not None:
        triple(iri, vocab.NUMBER, _literal(str(parts["number"])))
    if parts["symbol"]:
        triple(iri, vocab.SYMBOL, _literal(str(parts["symbol"])))
    if iso_date:
        triple(iri, vocab.DATE_DOCUMENT, _literal(iso_date, vocab.XSD + "date"))
    if document.year:
        triple(iri, vocab.YEAR, _literal(str(document.year), vocab.XSD + "integer"))
    type_node = resolve.type_iri(document.doc_type)
    triple(iri, vocab.TYPE_DOCUMENT, f"<{type_node}>")
    triple(type_node, vocab.RDF + "type", f"<{vocab.DOCUMENT_TYPE}>")
    triple(type_node, vocab.NOTATION, _literal(document.doc_type))
    triple(iri, vocab.SYSTEM, _literal(document.system))
    if document.level:
        triple(iri, vocab.LEVEL, _literal(document.level))
    issuer_scope = document.scope if document.level not in (None, "central") else "vn"
    place_iri = None
    if issuer_scope != "vn" and document.place is not None:  # a local document: where it belongs
        from kg.graph import TripleWriter, _place_triples

        places = TripleWriter()
        place_iri = _place_triples(places, document.place, document.level)
        out.extend(line for line in places.ntriples().splitlines() if line.strip())
        if place_iri:
            triple(iri, vocab.JURISDICTION, f"<{place_iri}>")
    for code in document.issuer_codes:
        issuer = resolve.issuer_iri(code, issuer_scope)
        triple(iri, vocab.PASSED_BY, f"<{issuer}>")
        triple(issuer, vocab.RDF + "type", f"<{vocab.ISSUER}>")
        triple(issuer, vocab.RDF + "type", f"<{vocab.ORG}Organization>")
        triple(issuer, vocab.NOTATION, _literal(code))
        place = document.place if issuer_scope != "vn" else None
        triple(issuer, vocab.LABEL, _literal(resolve.issuer_label(code, place, document.level)))
        if place_iri:
            triple(issuer, vocab.JURISDICTION, f"<{place_iri}>")
    return out


def _literal(value: str, datatype: str | None = None) -> str:
    escaped = (
        value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    )
    return f'"{escaped}"' + (f"^^<{datatype}>" if datatype else "")
