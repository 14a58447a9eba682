"""The corpus layer of `kg check`: what a built store knows about the cited documents.

Two SPARQL queries, bounded by the ids cited (VALUES): relations learned from documents (kg:replaces,
eli:repeals, eli:amends, kg:expires, kg:supersedes, outside the registry graph), and how the corpus cites
the same documents (dates and issuers), for consistency across files.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache
from itertools import product
from pathlib import Path
from typing import Any

from kg.check_model import (
    Event,
    Evidence,
    Knowledge,
    Note,
    citation_id,
    citation_year,
    fold_text,
    render,
    rules_data,
    status_data,
)
from kg.check_rules import is_party_central, party_bodies
from kg.models import Citation
from kg.registry import identity_key as _identity_key
from kg.registry import parse_id, parse_iso

# every citation is compared with every mention the store gave back: compute each id's key once
identity_key = cache(_identity_key)

# ---------------------------------------------------------------------------------------------- corpus


_CORPUS_RELATIONS = {"replaces": "replaced", "repeals": "repealed", "amends": "amended",
                     "expires": "expired", "supersedes": "superseded"}


@dataclass(slots=True)
class CorpusFact:
    old_id: str
    old_year: int | None
    relation: str  # "replaces" | "repeals" | ...
    new_id: str | None
    new_date: date | None
    sentence: str | None
    file: str | None  # where the sentence that says so is
    new_file: str | None = None  # the acting document's own file, when its text is in the corpus
    new_in_force: date | None = None  # when the acting document took effect, if the graph knows
    old_scope: str | None = None  # the changed document's IRI scope ("vn", "an-giang", "kien-giang")


@dataclass(slots=True)
class CorpusMention:
    old_id: str
    old_year: int | None
    cited_date: date | None
    file: str | None
    old_date: date | None  # the cited document's own date, when the corpus holds its text
    issuer: str | None = None  # the issuer phrase as cited there


def _value(value: Any) -> Any:
    if value is None:
        return None
    return value


def _as_date(value: Any) -> date | None:
    if value is None:
        return None
    if isinstance(value, date):
        return value
    return parse_iso(str(value)[:10])


def _as_int(value: Any) -> int | None:
    try:
        return int(str(value)) if value is not None else None
    except ValueError:
        return None


def _sparql_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def query_corpus(
    store: Any, ids: Iterable[str], dated: Iterable[str] | None = None,
    attributed: Iterable[str] | None = None,
) -> tuple[list[CorpusFact], list[CorpusMention]]:
    """Relations that change a cited document's status (outside the registry graph), and how the corpus
    cites the same documents (for consistency), bounded by the ids cited.

    `dated` and `attributed`: the ids whose dates, and whose issuers, as the corpus cites them are compared
    (cited with a date; cited as a Party central document with its issuer); None: all of `ids`. Each
    costs a lookup per mention of the document, and a hub is cited thousands of times.

    The cited documents' IRIs are looked up first and every later query binds them by IRI (VALUES).
    Each file graph that cites a document repeats its id and year, so the union default graph holds one
    copy per citing file: joining its attributes into the mention rows multiplied them (185,934 rows for
    21 ids on 10,000 documents). Attributes are read once per document (DISTINCT) and joined here."""
    wanted = sorted({i for i in ids if i})
    if not wanted:
        return [], []
    olds = _cited_documents(store, wanted)
    if not olds:
        return [], []
    years = _all_values(store, olds, "?old kg:year ?value")
    own_dates = _all_values(store, olds, "?old eli:date_document ?value . ?old kg:sourceFile ?own")
    wanted_dates = set(wanted if dated is None else dated)
    wanted_issuers = set(wanted if attributed is None else attributed)
    asked: dict[str, set[str]] = {}  # per document IRI (several ids may name it): what to read
    for old, old_id in olds:
        kind = asked.setdefault(old, set())
        kind |= {"date"} if old_id in wanted_dates else set()
        kind |= {"issuer"} if old_id in wanted_issuers else set()
    kinds = {old: "".join(sorted(kind)) for old, kind in asked.items()}
    return _facts(store, olds, years), _mentions(store, olds, years, own_dates, kinds)


def _iris(values: Iterable[str]) -> str:
    return " ".join(f"<{value}>" for value in values)


def _cited_documents(store: Any, wanted: list[str]) -> list[tuple[str, str]]:
    """(document IRI, the id it was asked by), once each."""
    from kg import vocab

    values = " ".join(_sparql_string(i) for i in wanted)
    query = f"""{vocab.SPARQL_PREFIXES}
SELECT DISTINCT ?old ?oldId WHERE {{ VALUES ?oldId {{ {values} }} ?old eli:id_local|kg:variant ?oldId . }}"""
    return [(str(row["old"]), str(row["oldId"])) for row in store.select(query)]


def _all_values(store: Any, olds: list[tuple[str, str]], pattern: str) -> dict[str, list[Any]]:
    """Per document IRI, the distinct ?value of `pattern`."""
    from kg import vocab

    query = f"""{vocab.SPARQL_PREFIXES}
SELECT DISTINCT ?old ?value WHERE {{ VALUES ?old {{ {_iris({old for old, _ in olds})} }} {pattern} }}"""
    found: dict[str, list[Any]] = {}
    for row in store.select(query):
        found.setdefault(str(row["old"]), []).append(row["value"])
    return found


def _facts(store: Any, olds: list[tuple[str, str]], years: dict[str, list[Any]]) -> list[CorpusFact]:
    """Relations whose object is a cited document, then what is known of each acting document and of the
    graph that says so, each read by IRI (an OPTIONAL over GRAPH ?g was evaluated for every file graph)."""
    from kg import vocab

    relations = " ".join(f"<{getattr(vocab, name.upper())}>" for name in _CORPUS_RELATIONS)
    core = store.select(f"""{vocab.SPARQL_PREFIXES}
SELECT DISTINCT ?old ?rel ?new ?g WHERE {{
  VALUES ?old {{ {_iris({old for old, _ in olds})} }}
  VALUES ?rel {{ {relations} }}
  GRAPH ?g {{ ?new ?rel ?old . }}
  FILTER (?g != <{vocab.REGISTRY_GRAPH}>)
}}""")
    if not core:
        return []
    acting = [(str(row["new"]), "") for row in core]
    new_ids = _all_values(store, acting, "?old eli:id_local ?value")
    new_dates = _all_values(store, acting, "?old eli:date_document ?value")
    in_force = _all_values(store, acting, "?old eli:first_date_entry_in_force ?value")
    new_files = _all_values(store, acting, "?old kg:sourceFile ?nsf . ?nsf kg:path ?value")
    graphs = _iris({str(row["g"]) for row in core})
    files: dict[str, list[Any]] = {}
    for row in store.select(f"""{vocab.SPARQL_PREFIXES}
SELECT DISTINCT ?g ?file WHERE {{
  VALUES ?g {{ {graphs} }} GRAPH ?g {{ ?sf a kg:SourceFile ; kg:path ?file }}
}}"""):
        files.setdefault(str(row["g"]), []).append(row["file"])
    sentences: dict[tuple[str, str], list[Any]] = {}
    for row in store.select(f"""{vocab.SPARQL_PREFIXES}
SELECT DISTINCT ?g ?old ?sentence WHERE {{
  VALUES ?g {{ {graphs} }} VALUES ?old {{ {_iris({str(row["old"]) for row in core})} }}
  GRAPH ?g {{ ?m kg:citedDocument ?old ; kg:sentence ?sentence }}
}}"""):
        sentences.setdefault((str(row["g"]), str(row["old"])), []).append(row["sentence"])
    facts = []
    for old, old_id in olds:
        for row in core:
            if str(row["old"]) != old:
                continue
            new, graph = str(row["new"]), str(row["g"])
            relation = str(row["rel"]).rsplit("#", 1)[-1].rsplit("/", 1)[-1]
            for year, new_id, new_date, entry, new_file, file, sentence in product(
                years.get(old) or [None], new_ids.get(new) or [None], new_dates.get(new) or [None],
                in_force.get(new) or [None], new_files.get(new) or [None], files.get(graph) or [None],
                sentences.get((graph, old)) or [None],
            ):
                facts.append(CorpusFact(
                    old_id=old_id, old_year=_as_int(year), relation=relation, new_id=_value(new_id),
                    new_date=_as_date(new_date), new_in_force=_as_date(entry), sentence=_value(sentence),
                    file=_value(file), new_file=_value(new_file), old_scope=iri_scope(old),
                ))
    return facts


_CITED_AS = {  # what is read of each mention: its date, its issuer, or both (either bound)
    "date": "?m kg:citedDate ?citedDate .",
    "issuer": "?m kg:citedIssuer ?issuer .",
    "dateissuer": "OPTIONAL { ?m kg:citedDate ?citedDate } OPTIONAL { ?m kg:citedIssuer ?issuer } "
                  "FILTER (BOUND(?citedDate) || BOUND(?issuer))",
}


def _mentions(
    store: Any, olds: list[tuple[str, str]], years: dict[str, list[Any]], own_dates: dict[str, list[Any]],
    kinds: dict[str, str],
) -> list[CorpusMention]:
    """How the corpus cites the documents: each (document, date as cited, issuer as cited, file) once.

    Each mention's file graph (GRAPH ?g) names its file: the rows are made distinct per graph, then the
    path looked up once per file: looking it up per mention (kg:sourceFile, then kg:path) cost about 80 us
    a mention on a store of 100,000 documents, where a hub is cited thousands of times. Only what `kinds`
    asks is read (a lookup per mention each). A document whose own date is known and that no row names
    still gets one row, without a file: the own-date comparison reads it."""
    from kg import vocab

    rows: list[dict[str, Any]] = []
    for kind, pattern in _CITED_AS.items():
        asked = {old for old, _ in olds if kinds.get(old) == kind}
        if asked:
            rows += store.select(f"""{vocab.SPARQL_PREFIXES}
SELECT DISTINCT ?old ?citedDate ?issuer ?g WHERE {{
  VALUES ?old {{ {_iris(asked)} }}
  GRAPH ?g {{ ?m kg:citedDocument ?old . }}
  {pattern}
}}""")
    paths = _graph_paths(store, {str(row["g"]) for row in rows})
    by_old: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        by_old.setdefault(str(row["old"]), []).append(row)
    for old, _ in olds:
        if kinds.get(old) and old in own_dates and old not in by_old:
            by_old[old] = [{}]
    return [
        CorpusMention(old_id, _as_int(year), _as_date(row.get("citedDate")), _value(file),
                      _as_date(own), _value(row.get("issuer")))
        for old, old_id in olds
        for row in by_old.get(old, [])
        for file in paths.get(str(row.get("g"))) or [None]
        for year in years.get(old) or [None]
        for own in own_dates.get(old) or [None]
    ]


def _graph_paths(store: Any, graphs: set[str]) -> dict[str, list[Any]]:
    """The path of the source file each file graph holds, looked up by the file's IRI: kg.graph names a
    file's graph and its kg:SourceFile node by the same hash of its path (file_graph_iri, source_file_iri).
    Matching `?sf a kg:SourceFile` in each graph instead joined every source file of the store."""
    from kg import vocab

    files = {f"{vocab.ID}file/{graph.rsplit('/', 1)[-1]}": graph for graph in graphs
             if graph.startswith(f"{vocab.GRAPH}file/")}
    if not files:
        return {}
    found: dict[str, list[Any]] = {}
    for row in store.select(f"""{vocab.SPARQL_PREFIXES}
SELECT DISTINCT ?sf ?file WHERE {{ VALUES ?sf {{ {_iris(files)} }} ?sf kg:path ?file }}"""):
        found.setdefault(files[str(row["sf"])], []).append(row["file"])
    return found


def given_facts(files: Iterable[tuple[str, str, Any, list[Citation]]]) -> list[CorpusFact]:
    """The relations the files being checked state, as a store built from them would hold them: each
    file's own act ("Quyết định này thay thế Quyết định số …": the file's document -> the cited one) and
    what a cited document's subject says of another ("Luật Đấu thầu số 22/2023/QH15 được sửa đổi, bổ sung
    tại Luật số 57/2024/QH15"). `files`: (path, text, metadata, citations). Without a store the files given
    are the corpus: one file's replacement clause flags another file's citation of the replaced document."""
    from kg.graph import relate_mentions

    facts: list[CorpusFact] = []
    for path, text, metadata, citations in files:
        own_id = metadata.id if metadata and metadata.number else None
        own_date = parse_iso(metadata.date) if metadata else None
        mentions = relate_mentions(text, sorted(citations, key=lambda c: (c.start, c.end)))
        for mention in mentions:
            old = mention.citation
            if mention.head is not None and mention.head_relation in _CORPUS_RELATIONS:
                new = mentions[mention.head].citation
                if mention.head_reverse:
                    old, new = new, old
                facts.append(_given_fact(old, mention.head_relation, citation_id(new), parse_iso(new.date),
                                         mention.sentence, path, None, metadata))
            if mention.relation in _CORPUS_RELATIONS:
                facts.append(_given_fact(old, mention.relation, own_id, own_date, mention.sentence, path,
                                         path, metadata))
    return [f for f in facts if f.old_id and identity_key(f.new_id or "") != identity_key(f.old_id)]


def _given_fact(old: Citation, relation: str, new_id: str | None, new_date: date | None, sentence: str,
                path: str, new_file: str | None, metadata: Any) -> CorpusFact:
    return CorpusFact(old_id=citation_id(old) or "", old_year=citation_year(old), relation=relation,
                      new_id=new_id, new_date=new_date, sentence=sentence, file=path, new_file=new_file,
                      old_scope=citation_scope(old, metadata))


_EFFECTIVE_IN_SENTENCE = re.compile(  # "kể từ ngày 10/01/2026", "từ ngày 10 tháng 01 năm 2026"
    r"(?:kể\s+từ|từ)\s+ngày\s+(\d{1,2})\s*(?:[/.-]|tháng)\s*(\d{1,2})\s*(?:[/.-]|năm)\s*(\d{4})",
    re.IGNORECASE,
)


def corpus_knowledge(c: Citation, facts: list[CorpusFact], knowledge: Knowledge, citing_file: str,
                     scope: str | None = None, listed: bool = False) -> None:
    """What the store's documents did to the cited one. `scope`: where the citing document places a local
    cited document (`citation_scope`); a fact about a namesake of another province is not about it.
    `listed`: the citation names a law, of which a later version exists, in an amending act's list of what
    it amends (real 1609/QĐ-TTPVHCC: "Luật số 03/2022/QH15 sửa đổi, bổ sung một số điều của Luật Đầu tư
    công, …, Luật Đấu thầu"): what the citing file itself says amends it is that act's title, not news, and
    43/2013/QH13 "amended", i.e. in force, in 2025 would be false: 22/2023/QH15 replaced it in 2024."""
    ident = citation_id(c)
    year = citation_year(c)
    confidence = rules_data()["corpus_confidence"]
    relevant = [f for f in facts if identity_key(f.old_id) == identity_key(ident or "")
                and (year is None or f.old_year in (None, year)) and same_place(scope, f.old_scope)]
    if year is None and len({f.old_year for f in relevant if f.old_year}) > 1:
        years = ", ".join(str(y) for y in sorted({f.old_year for f in relevant if f.old_year}))
        knowledge.notes.append(Note("ambiguous", {"document": ident, "years": years}))
        return  # an undated citation of a number the corpus knows for several years: no guess
    seen: set[tuple[str, str | None]] = set()
    # the citing file's own statement first (it may cite the document as amended), then sentences naming
    # the acting document
    own_first = sorted(relevant, key=lambda f: (not (f.file and same_file(f.file, citing_file)),
                                                _sentence_names_actor(f), len(f.sentence or "")))
    for fact in own_first:
        if fact.new_file and same_file(fact.new_file, citing_file):
            continue  # the document that replaces another cites it in its replacement clause: no finding
        if _cannot_change(fact.new_id):
            continue  # a Tờ trình's "Dự thảo Quyết định này thay thế …" proposes, it replaces nothing
        if _by_a_draft(fact):
            # "Số: /QĐ-UBND": a draft's "Quyết định này thay thế …" takes effect only once it is issued
            knowledge.notes.append(Note("draft_change", {
                "document": ident, "file": Path(fact.new_file or "").name,
                "what": _Label(f"verb_{fact.relation}")}))
            continue
        own = bool(fact.file and same_file(fact.file, citing_file))
        if listed and own and fact.relation == "amends":
            continue
        if _older_than_what_it_changes(fact):
            continue  # a misread: "Luật số 03/2022/QH15 sửa đổi … Luật Đầu tư công" read as the 2024 law
        key = (fact.relation, identity_key(fact.new_id) if fact.new_id else None)  # one per document
        if key in seen:
            continue
        seen.add(key)
        # the date the sentence names ("hết hiệu lực kể từ ngày …"), else when the acting document took
        # effect, else its issue date
        effective = _effective_from(fact.sentence) or fact.new_in_force or fact.new_date
        effective_text = {"effective": effective.isoformat()} if effective else None
        # no date known: not before the year the acting document's number says ("đã được sửa đổi, bổ sung
        # một số điều theo Nghị quyết số 203/2025/QH15" does not make a citation of 2020 "amended")
        effective = effective or _year_start(fact.new_id)
        # a document without a number (a draft) is named by its file
        other = fact.new_id or (Path(fact.new_file).name if fact.new_file else "?")
        params = {"document": ident, "other": other, "file": _THIS_DOCUMENT if own else fact.file or "?",
                  "sentence": _shorten(fact.sentence or ""), "effective_text": _Effective(effective_text)}
        evidence = Evidence("corpus", f"corpus.{fact.relation}", params, fact.file or "store", confidence)
        suggestion = fact.new_id
        if fact.relation == "amends" and own:
            # "Hiến pháp năm 1992 đã được sửa đổi, bổ sung … theo Nghị quyết số 51/2001/QH10": cited so
            suggestion = None
            knowledge.notes.append(Note("cited_as_amended", {"document": ident, "other": other}))
        knowledge.events.append(Event(_CORPUS_RELATIONS[fact.relation], effective, evidence,
                                      suggestion=suggestion, other_date=fact.new_date))


def _cannot_change(document_id: str | None) -> bool:
    """The acting document is of a type that proposes, reports or records (check_rules.json
    cannot_change_type_codes)."""
    from kg.resolve import canonical_type_code

    symbol = parse_id(document_id or "")["symbol"]
    codes = rules_data()["cannot_change_type_codes"]["codes"]
    return bool(symbol) and canonical_type_code(None, str(symbol)) in codes


def _year_start(document_id: str | None) -> date | None:
    year = parse_id(document_id or "")["year"]
    return date(int(year), 1, 1) if year else None


def _by_a_draft(fact: CorpusFact) -> bool:
    """The acting document is a file of the corpus without a number of its own ("Số: /QĐ-UBND"): a draft."""
    return fact.new_file is not None and not parse_id(fact.new_id or "")["number"]


def _older_than_what_it_changes(fact: CorpusFact) -> bool:
    """No document amends, replaces or repeals one issued after it: the acting document's year (its number's,
    else its date's) is before the changed document's year."""
    acting = parse_id(fact.new_id or "")["year"] or (fact.new_date.year if fact.new_date else None)
    return bool(acting and fact.old_year and int(acting) < fact.old_year)


def _sentence_names_actor(fact: CorpusFact) -> int:
    """Sentences that name the acting document first: they are the ones that say what it does; then those
    with a cue of the relation (an amending law cited by name, "Luật sửa đổi, bổ sung một số điều của Luật
    Bầu cử …", has no number to look for; real draft KH of MTTQ Bắc Cam Ranh quoted a sentence that only
    cites the law)."""
    number = (fact.new_id or "").split("/")[0].split("-")[0]
    if number and fact.sentence and number in fact.sentence:
        return 0
    return 1 if fact.sentence and _relation_cue(fact.relation).search(fold_text(fact.sentence)) else 2


@cache
def _relation_cue(relation: str) -> re.Pattern[str]:
    """Any cue of relation_cues.json that states `relation` (body and subject cues), folded."""
    from kg.resolve import relation_cues

    data = relation_cues()
    cues = {fold_text(e["cue"]) for kind in ("body", "subject") for e in data[kind]
            if e["relation"] == relation}
    return re.compile("|".join(re.escape(cue) for cue in sorted(cues, key=len, reverse=True)) or r"(?!)")


@dataclass(frozen=True, slots=True)
class _Label:
    """A ui label of statuses.json as a message parameter, in the report's language."""

    key: str

    def localise(self, lang: str) -> str:
        return str(status_data()["ui"][self.key][lang])


_THIS_DOCUMENT = _Label("this_document")  # the file being checked says so: "Theo chính văn bản này"


@dataclass(frozen=True, slots=True)
class _Effective:
    values: dict[str, str] | None

    def localise(self, lang: str) -> str:
        return render("messages", "corpus.effective", self.values, lang) if self.values else ""


def _effective_from(sentence: str | None) -> date | None:
    if not sentence:
        return None
    match = _EFFECTIVE_IN_SENTENCE.search(sentence)
    if not match:
        return None
    try:
        return date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
    except ValueError:
        return None


def _shorten(text: str, limit: int = 240) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def same_file(a: str, b: str) -> bool:
    """Two paths of one file, either possibly a store's name for it (kg.graph.path_key: relative to the
    folder that was built, not to the working directory)."""
    from kg.graph import stored_as

    return a == b or resolved_path(a) == resolved_path(b) or stored_as(a, b) or stored_as(b, a)


def _among(file: str, given: frozenset[str]) -> bool:
    """Whether `file` (a path, or a store's name for one) is one of the `given` resolved paths."""
    if resolved_path(file) in given:
        return True
    return any(same_file(file, path) for path in _by_name(given).get(Path(file).name, ()))


@cache
def _by_name(given: frozenset[str]) -> dict[str, list[str]]:
    index: dict[str, list[str]] = {}
    for path in given:
        index.setdefault(Path(path).name, []).append(path)
    return index


# ---------------------------------------------------------------------------------------------- consistency


@dataclass(slots=True)
class Mention:
    """A dated or attributed citation in one of the files being checked, for cross-file consistency."""

    ident: str
    year: int | None
    cited: date | None
    file: str
    local: bool
    place: str | None
    bodies: frozenset[str] = frozenset()


def consistency_problems(
    c: Citation, mentions: list[Mention], store_mentions: list[CorpusMention], citing_file: str,
    place: str | None, given: frozenset[str] | None = None,
) -> list[tuple[str, Evidence, str | None]]:
    """The same document cited elsewhere (other files, or the store) with a different date, or (Party
    central documents) attributed to a different body. Each file votes once; a value is flagged when
    another value has at least as many files behind it: the minority, or both sides of a tie."""
    ident = citation_id(c)
    if not ident:
        return []
    cited, key, year, local = parse_iso(c.date), identity_key(ident), citation_year(c), is_local(c)
    confidence = rules_data()["corpus_confidence"]
    own = _own_date_problem(c, store_mentions, key, year, local, confidence) if cited else None
    if own:
        return [own]
    dates: dict[str, set[date]] = {}
    bodies: dict[str, set[frozenset[str]]] = {}
    if given is None:  # the files being checked (resolved paths)
        given = frozenset(resolved_path(file) for file in {m.file for m in mentions})
    for m in mentions:
        if identity_key(m.ident) != key or m.year != year or same_file(m.file, citing_file):
            continue
        if local and not (place and m.place == place):
            continue
        if m.cited:
            dates.setdefault(m.file, set()).add(m.cited)
        if m.bodies:
            bodies.setdefault(m.file, set()).add(m.bodies)
    for m in store_mentions:
        name = m.file or "store"
        if identity_key(m.old_id) != key or m.old_year not in (None, year) or local:
            continue
        if m.file and (_among(m.file, given) or same_file(m.file, citing_file)):
            continue  # the files being checked vote with what they say now, not with what was stored
        if m.cited_date and (year is None or m.cited_date.year == year):
            dates.setdefault(name, set()).add(m.cited_date)
        found = party_bodies(m.issuer)
        if found:
            bodies.setdefault(name, set()).add(found)
    problems = []
    if cited:
        loser = _outvoted(cited, dates, lambda a, b: a == b)
        if loser and year and cited.year == year != loser[0].year:
            loser = None  # ours has the year its number says, the other date has not: the other is the slip
        if loser:
            other, file = loser
            params = {"document": ident, "other_date": other.isoformat(), "cited": cited.isoformat(),
                      "file": file}
            # the other date is the right one when it has the year the number says and ours has not
            # ("69/2018/NĐ-CP ngày 15/5/2025" against "ngày 15/5/2018" elsewhere)
            right = f"{ident} ngày {other.day}/{other.month}/{other.year}" if year and other.year == year != \
                cited.year else None  # written as a citation: "69/2018/NĐ-CP ngày 15/5/2018"
            problems.append(("inconsistent", Evidence("corpus", "corpus.date_mismatch", params, file,
                                                      confidence), right))
    mine = party_bodies(c.issuer) if is_party_central(c) else frozenset()
    if mine:
        loser = _outvoted(mine, bodies, lambda a, b: bool(a & b))
        if loser:
            other, file = loser
            params = {"document": ident, "other": ", ".join(sorted(other)), "cited": c.issuer, "file": file}
            problems.append(("inconsistent", Evidence("corpus", "corpus.body_mismatch", params, file,
                                                      confidence), None))
    return problems


def _outvoted(mine: Any, votes: dict[str, set[Any]], agree: Any) -> tuple[Any, str] | None:
    """(a disagreeing value, a file that says it) when that value has at least as many files as ours."""
    agreeing = 1 + sum(1 for values in votes.values() if any(agree(v, mine) for v in values))
    tally: dict[Any, list[str]] = {}
    for file, values in sorted(votes.items()):
        for value in values:
            if not agree(value, mine):
                tally.setdefault(value, []).append(file)
    for value, files in sorted(tally.items(), key=lambda item: (-len(item[1]), str(item[0]))):
        if len(files) >= agreeing:
            return value, files[0]
    return None


def _own_date_problem(
    c: Citation, store_mentions: list[CorpusMention], key: str, year: int | None, local: bool, confidence: str
) -> tuple[str, Evidence, str | None] | None:
    """The cited document's own text is in the corpus and states another date."""
    cited = parse_iso(c.date)
    for mention in store_mentions:
        if identity_key(mention.old_id) != key or (mention.old_year and mention.old_year != year) or local:
            continue
        if mention.old_date and cited and mention.old_date != cited:
            params = {"document": citation_id(c), "known": mention.old_date.isoformat(),
                      "cited": cited.isoformat(), "file": mention.file or "?"}
            evidence = Evidence("corpus", "corpus.own_date", params, mention.file or "store", confidence)
            return "inconsistent", evidence, mention.old_date.isoformat()
    return None


@cache
def resolved_path(path: str) -> str:
    try:
        return str(Path(path).resolve())
    except OSError:
        return path


def iri_scope(iri: str) -> str | None:
    """The scope segment(s) of a document IRI: id:doc/<scope>/<type>/<year>/<name> (resolve.document_iri)."""
    from kg import vocab

    prefix = vocab.ID + "doc/"
    return iri[len(prefix):].rsplit("/", 3)[0] if iri.startswith(prefix) else None


def citation_scope(c: Citation, metadata: Any) -> str | None:
    """Where a local cited document belongs, read as kg.graph reads it: its issuer phrase ("của Hội đồng
    nhân dân tỉnh Kiên Giang"), else the citing document's own place; None for central or unplaced ones."""
    from kg import resolve

    if not is_local(c):
        return None
    place = resolve.Jurisdiction(*(getattr(metadata, level, None) for level in resolve.LEVELS))
    symbol = str(parse_id(citation_id(c) or "")["symbol"] or "")
    scope, _, _ = resolve.local_scope(c.issuer_code or resolve.issuer_code_of(symbol), c.issuer, place)
    return None if scope == "local" else scope


def same_place(a: str | None, b: str | None) -> bool:
    """Two scopes can be one place: equal, one unknown, or one inside the other ("an-giang/long-xuyen").
    Provinces merged in 2025 keep their old documents apart: Kiên Giang's 09/2024/NQ-HĐND is not An
    Giang's (real An Giang tracking sheet)."""
    if not a or not b or "local" in (a, b) or a == b:
        return True
    return a.startswith(b + "/") or b.startswith(a + "/")


def is_local(c: Citation) -> bool:
    from kg import resolve

    parts = parse_id(citation_id(c) or "")
    symbol = str(parts["symbol"] or "")
    return resolve.issuer_is_local(c.issuer_code or resolve.issuer_code_of(symbol), c.issuer)
