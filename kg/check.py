"""Citation checking (DOMAIN.md §9): is each citation in force, amended, superseded, replaced, repealed,
expired, dated in the future, malformed, inconsistent — or unknown?

Knowledge comes in three layers, each producing evidence with its source and confidence:
  registry  ontology/registry/ (kg/registry.py), curated facts;
  corpus    relations the graph learned from documents ("Chỉ thị này thay thế …"), read from a store
            with two bounded SPARQL queries, and how other documents cite the same document
            (kg/check_corpus.py);
  rules     periods ("giai đoạn 2011-2020", an annual plan "năm 2020"), future dates, the year in a
            normative symbol, type words, symbol forms and issuers (kg/check_rules.py).
This module gathers them per citation, evaluates the two clocks and drives the whole check; results and
the status vocabulary are in kg/check_model.py, reports in kg/report.py.

Two clocks: the citing document's own date (or the bounds inferred for it) and `as_of` (default today).
Statuses, their severity order and all report wording are data: ontology/statuses.json.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from kg.check_corpus import (
    CorpusFact,
    CorpusMention,
    Mention,
    citation_scope,
    consistency_problems,
    corpus_knowledge,
    given_facts,
    is_local,
    query_corpus,
    resolved_path,
)
from kg.check_model import (
    CheckResult,
    DocumentCheck,
    Event,
    Evidence,
    Knowledge,
    Note,
    Verdict,
    citation_id,
    citation_year,
    rule_evidence,
    rules_data,
    severity,
    status_data,
    status_label,
    statuses,
)
from kg.check_rules import (
    form_findings,
    has_later_version,
    is_party_central,
    issuer_findings,
    listed_by_amending_act,
    party_bodies,
    period_event,
    subject_of,
    successor_events,
    type_word_findings,
    year_findings,
)
from kg.models import Citation, DocumentMetadata, IngestError
from kg.registry import Registry, ValidityFact, identity_key, load_registry, parse_iso

# The checker's public API; results and the status vocabulary are defined in kg/check_model.py.
__all__ = [
    "CheckResult", "DocumentCheck", "Event", "Evidence", "Knowledge", "Note", "Verdict", "check",
    "check_prepared", "check_text", "citation_id", "date_bounds", "judge", "severity", "status_at",
    "status_data", "status_label", "statuses",
]


# ---------------------------------------------------------------------------------------------- dates


def parse_partial(value: str | None) -> tuple[date | None, date | None]:
    """ISO "2025-11-20" -> that day twice; "2025-11" / "2025" -> first and last day of it."""
    if not value:
        return None, None
    full = parse_iso(value)
    if full:
        return full, full
    month = re.fullmatch(r"(\d{4})-(\d{2})", value.strip())
    if month:
        year, mon = int(month.group(1)), int(month.group(2))
        last = date(year + (mon == 12), mon % 12 + 1, 1).toordinal() - 1
        return date(year, mon, 1), date.fromordinal(last)
    year = re.fullmatch(r"(\d{4})", value.strip())
    if year:
        return date(int(year.group(1)), 1, 1), date(int(year.group(1)), 12, 31)
    return None, None


_YEAR_WORD = re.compile(r"(?<![\wÀ-ỹ/])năm\s+((?:19|20)\d\d)(?!\s*[-–]\s*\d{4})", re.IGNORECASE)


def title_year(text: str, metadata: DocumentMetadata | None, first_citation: int | None) -> int | None:
    """The year a document names for itself: in its title, else in the header before the first citation."""
    if metadata and metadata.title:
        found = _YEAR_WORD.findall(unicodedata.normalize("NFC", metadata.title))
        if found:
            return int(found[-1])
    header = text[: min(first_citation if first_citation is not None else 1500, 1500)]
    found = _YEAR_WORD.findall(unicodedata.normalize("NFC", header))
    return max(int(y) for y in found) if found else None


def date_bounds(
    text: str, metadata: DocumentMetadata | None, citations: Sequence[Citation]
) -> tuple[date | None, date | None, bool]:
    """(lower, upper, exact) bounds of the citing document's date (DOMAIN.md §9).

    A full date is exact. Otherwise the place line's partial date or the year in the title bounds it,
    and the latest date it cites (that is not after the upper bound) raises the lower bound.
    """
    lo, hi = parse_partial(metadata.date if metadata else None)
    if lo and hi and lo == hi:
        return lo, hi, True
    if lo is None:
        first = min((c.start for c in citations), default=None)
        year = title_year(text, metadata, first)
        if year:
            lo, hi = date(year, 1, 1), date(year, 12, 31)
            if any(d and d > hi for d in (parse_iso(c.date) for c in citations)):
                # the title's year is what the document is about, not when it was written: "Báo cáo tổng
                # kết công tác năm 2023" cites what 2024 issued; no upper bound then, nothing is "future"
                hi = None
    cited = [d for d in (parse_iso(c.date) for c in citations) if d and (hi is None or d <= hi)]
    if cited and (lo is None or max(cited) > lo):
        lo = max(cited)
    return lo, hi, False


# ---------------------------------------------------------------------------------------------- knowledge


def registry_knowledge(
    c: Citation, registry: Registry, knowledge: Knowledge, not_after: date | None = None,
    citing_id: str | None = None,
) -> None:
    """What the curated registry knows of the cited document. `citing_id`: the citing document's own
    number; a fact that it is the acting document of ("07/2019/TT-BCT amended_by 55/2025/TT-BCT", cited by
    55/2025/TT-BCT itself, the amending act) is no finding, as with the corpus's replacement clauses."""
    ident = citation_id(c)
    if not ident:
        return
    year = citation_year(c)
    lookup = ident
    official = registry.official_form(ident)
    if official:
        knowledge.notes.append(Note("variant", {"written": ident, "official": official}))
        lookup = official
    if year is None:
        years = registry.candidates(lookup)
        if len(years) > 1:
            knowledge.notes.append(Note("ambiguous", {"document": ident, "years": ", ".join(
                str(y) for y in sorted(y for y in years if y))}))
            return
        if years:
            known, _ = registry.known_date(lookup)
            later = parse_iso(known)
            if later and not_after and later > not_after:
                # the only known document of that number is younger than the citing one: another one
                knowledge.notes.append(Note("undated_later", {"document": lookup, "date": known}))
                return
            knowledge.notes.append(Note("undated_match", {"document": lookup, "date": known or "?"}))
    known, where = registry.known_date(lookup, year)
    if known:
        knowledge.known_date = parse_iso(known)
        cited = parse_iso(c.date)
        if cited and knowledge.known_date and cited != knowledge.known_date:
            params = {"document": lookup, "known": known, "cited": cited.isoformat()}
            evidence = Evidence("registry", "registry.date_mismatch", params,
                                f"ontology/registry/{where}", "high")
            knowledge.problems.append(("inconsistent", evidence, known))
    undated = year is None
    for fact in registry.facts_about(lookup, year):
        if citing_id and fact.other and identity_key(fact.other) == identity_key(citing_id):
            continue
        knowledge.events.append(_fact_event(fact, lookup, undated))
    entry = registry.in_force_entry(lookup, year)
    if entry and is_party_central(c):
        known_bodies, cited_bodies = party_bodies(entry.issuer), party_bodies(c.issuer)
        if known_bodies and cited_bodies and not known_bodies & cited_bodies:
            params = {"document": lookup, "known": entry.issuer, "cited": c.issuer}
            evidence = Evidence("registry", "registry.body_mismatch", params,
                                f"ontology/registry/in_force.csv:{entry.line}", entry.confidence)
            knowledge.problems.append(("inconsistent", evidence, entry.issuer))
    if entry:
        note = f" ({entry.note})" if entry.note else ""
        params = {"document": entry.document, "date": entry.date or "?", "note": note}
        confidence = _cap(entry.confidence, "medium") if undated else entry.confidence
        evidence = Evidence("registry", "registry.in_force", params,
                            f"ontology/registry/in_force.csv:{entry.line}", confidence)
        knowledge.events.append(Event(None, None, evidence))


def _fact_event(fact: ValidityFact, document: str, undated: bool) -> Event:
    params = {"document": document, "other": fact.other or "", "other_date": fact.other_date or "?",
              "effective": (fact.effective_date.isoformat() if fact.effective_date else "?"),
              "note": fact.source}
    confidence = _cap(fact.confidence, "medium") if undated else fact.confidence
    evidence = Evidence("registry", f"registry.{fact.relation}", params,
                        f"ontology/registry/validity.csv:{fact.line}", confidence)
    return Event(fact.status, fact.effective_date, evidence, suggestion=fact.other,
                 other_date=parse_iso(fact.other_date))


def _cap(confidence: str, ceiling: str) -> str:
    order = ["low", "medium", "high"]
    return order[min(order.index(confidence), order.index(ceiling))]


# ---------------------------------------------------------------------------------------------- clocks


def status_at(
    knowledge: Knowledge, when: date | None
) -> tuple[str, list[Event], str | None]:
    """Status at one date (None: before anything happened), the events behind it and a suggestion."""
    applied = [e for e in knowledge.events if e.status and (e.effective is None or
                                                             (when is not None and e.effective <= when))]
    if applied:
        applied.sort(key=lambda e: (severity(e.status), e.effective or date.min), reverse=True)
        top = applied[0]
        behind = [e for e in applied if e.status == top.status]
        giver = next((e for e in applied if e.suggestion), None)
        if giver is not None and giver not in behind:
            behind.append(giver)  # where the suggestion comes from is evidence too
        return top.status, behind, giver.suggestion if giver else None
    # Registry or corpus facts that take effect only later say it was in force until then; rules do not.
    supporting = [e for e in knowledge.events if e.evidence.kind != "rule" and (
        e.status is None or (e.effective and (when is None or e.effective > when)))]
    if supporting:
        return "ok", supporting, None
    return "unknown", [], None


def follow_chain(suggestion: str | None, when: date | None, registry: Registry) -> str | None:
    """The document to cite now: follow replaced_by / superseded_by links while they apply at `when`."""
    seen: set[str] = set()
    while suggestion and identity_key(suggestion) not in seen:
        seen.add(identity_key(suggestion))
        onward = [f for f in registry.facts_about(suggestion)
                  if f.status in ("replaced", "repealed", "superseded", "expired") and f.other
                  and (when is None or f.effective_date is None or f.effective_date <= when)]
        if not onward:
            break
        suggestion = onward[0].other
    return suggestion


# ---------------------------------------------------------------------------------------------- verdicts


def _unless_cited_so(status: str, suggestion: str | None, notes: list[Note]) -> str | None:
    """No "cite it as amended by X" where the citing text already cites the document as amended by X (note
    cited_as_amended): real 1936/QĐ-UBND lists "Nghị định số 31/2021/NĐ-CP …" and "Nghị định số
    239/2025/NĐ-CP … sửa đổi, bổ sung một số điều của nghị định số 31/2021/NĐ-CP"; the registry's fact that
    239/2025 amends 31/2021 tells nothing new there."""
    if status != "amended" or suggestion is None:
        return suggestion
    stated = {identity_key(str(n.params.get("other"))) for n in notes if n.message == "cited_as_amended"}
    return None if identity_key(suggestion) in stated else suggestion


def judge(
    c: Citation, knowledge: Knowledge, bounds: tuple[date | None, date | None], as_of: date,
    registry: Registry,
) -> Verdict:
    """The verdict on one citation at both clocks, from everything known about the cited document."""
    cited = parse_iso(c.date)
    notes = list(knowledge.notes)
    evidence: list[Evidence] = []

    def add(items: Iterable[Evidence]) -> None:
        for item in items:
            if item not in evidence:
                evidence.append(item)

    # The now clock.
    now_status, now_events, now_suggestion = status_at(knowledge, as_of)
    if cited and cited > as_of:
        now_status, now_suggestion = "future", None
        add([rule_evidence("rule.future_as_of", {"cited": cited.isoformat(), "as_of": as_of.isoformat()})])
    add(e.evidence for e in now_events)
    now_suggestion = follow_chain(now_suggestion, as_of, registry)

    at_citing, citing_suggestion, citing_events, split = _at_citing(c, knowledge, bounds, as_of, registry)
    add(e.evidence for e in citing_events)
    notes += split
    now_suggestion = _unless_cited_so(now_status, now_suggestion, notes)
    citing_suggestion = _unless_cited_so(at_citing, citing_suggestion, notes)

    # Timeless problems (malformed, inconsistent): the worst one rules both clocks when it is worse.
    # of the worst problems, one that knows the right value ("cited with 2018-05-15 in …") says it
    problem = max(knowledge.problems, key=lambda p: (severity(p[0]), p[2] is not None), default=None)
    if problem:
        status, _, problem_suggestion = problem
        add(p[1] for p in knowledge.problems)
        if severity(status) > severity(now_status):
            now_status, now_suggestion, now_events = status, problem_suggestion, []
        if severity(status) > severity(at_citing):
            at_citing, citing_suggestion, citing_events = status, problem_suggestion, []
    explained = {"draft_change", "ambiguous", "undated_later"}  # notes that say why nothing is known
    if now_status == "unknown" and at_citing == "unknown" and not evidence and \
            not any(note.message in explained for note in notes):
        notes.append(Note("no_knowledge", {}))
    # A period still running at the now clock is worth saying, though it decides nothing yet.
    for event in knowledge.events:
        if event.evidence.kind == "rule" and event.effective and event.effective > as_of:
            notes.append(Note("period_running", event.evidence.params))
    confidence = _status_confidence(now_status, now_events, knowledge)
    confidence_at_citing = _status_confidence(at_citing, citing_events, knowledge)
    return Verdict(c, now_status, at_citing, evidence, now_suggestion, citing_suggestion, confidence, notes,
                   confidence_at_citing)


def _at_citing(
    c: Citation, knowledge: Knowledge, bounds: tuple[date | None, date | None], as_of: date,
    registry: Registry,
) -> tuple[str, str | None, list[Event], list[Note]]:
    """(status, suggestion, events behind it, notes) at the citing document's date: one day, or both ends
    of its bounds (a document is never older than what it cites); differing ends give "unknown" and a note.
    """
    lo, hi = bounds
    cited = parse_iso(c.date)
    if cited and hi and cited > hi:
        # a full date of its own is certain; a draft's "ngày … tháng 11 năm 2025" may be a stale template
        confidence = "high" if lo == hi else rules_data()["rule_confidence"]
        future = rule_evidence("rule.future", {"cited": cited.isoformat(), "citing": _range(lo, hi)},
                               confidence)
        return "future", None, [Event("future", None, future)], []
    citing_lo = max(filter(None, [lo, knowledge.known_date, cited]), default=None)
    citing_hi = hi or as_of
    status_lo, events_lo, _ = status_at(knowledge, citing_lo)
    status_hi, events_hi, suggest_hi = status_at(knowledge, citing_hi)
    if status_lo == status_hi or citing_lo == citing_hi:
        events = events_hi + [e for e in events_lo if e not in events_hi]
        return status_hi, follow_chain(suggest_hi, citing_hi, registry), events, []
    split = Note("clock_split", {
        "lo": citing_lo.isoformat() if citing_lo else "?", "hi": citing_hi.isoformat(),
        "status_lo": _StatusLabel(status_lo), "status_hi": _StatusLabel(status_hi)})
    return "unknown", None, events_lo + events_hi, [split]


def _status_confidence(status: str, events: list[Event], knowledge: Knowledge) -> str | None:
    if status == "unknown":
        return None
    order = ["low", "medium", "high"]
    behind = [e.evidence.confidence for e in events if e.status == status or status == "ok"]
    if behind:  # the strongest evidence for the status decides how sure it is
        return max(behind, key=order.index)
    relevant = [p[1].confidence for p in knowledge.problems if p[0] == status]
    if relevant:
        return max(relevant, key=order.index)
    return "high" if status == "future" else None


@dataclass(frozen=True, slots=True)
class _StatusLabel:
    status: str

    def localise(self, lang: str) -> str:
        return status_label(self.status, lang)


def _range(lo: date | None, hi: date | None) -> str:
    if lo and hi and lo == hi:
        return lo.isoformat()
    return f"{lo.isoformat() if lo else '?'} – {hi.isoformat() if hi else '?'}"


# ---------------------------------------------------------------------------------------------- driver


@dataclass(slots=True)
class _Prepared:
    path: str
    text: str
    metadata: DocumentMetadata | None
    citations: list[Citation]
    warnings: list[str]


def _prepare(paths: Sequence[str | Path]) -> tuple[list[_Prepared], list[IngestError]]:
    from kg.extract import extract
    from kg.ingest import iter_documents
    from kg.metadata import read_metadata

    prepared, errors = [], []
    for document in iter_documents([str(p) for p in paths]):
        if isinstance(document, IngestError):
            errors.append(document)
            continue
        citations = extract(document.text)
        prepared.append(_Prepared(document.path, document.text, read_metadata(document.text), citations,
                                  list(document.warnings)))
    return prepared, errors


def check(
    paths: str | Path | Sequence[str | Path],
    store: Any = None,
    as_of: date | str | None = None,
    registry: Registry | None = None,
) -> CheckResult:
    """Check every citation in the documents at `paths` (files or folders).

    `store`: a GraphStore, a path to a built store or a SPARQL endpoint URL; adds what the corpus knows.
    `as_of`: the second clock (default today). Without a store, the registry, the rules and the files given
    are all the knowledge there is.
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    documents, errors = _prepare(paths)
    result = check_prepared(documents, store=store, as_of=as_of, registry=registry)
    result.errors = [str(error) for error in errors]
    return result


def check_text(
    text: str,
    citations: list[Citation] | None = None,
    metadata: DocumentMetadata | None = None,
    file: str = "<text>",
    store: Any = None,
    as_of: date | str | None = None,
    registry: Registry | None = None,
) -> DocumentCheck:
    """Check one text; `citations` and `metadata` default to what kg.extract and kg.metadata read."""
    if citations is None:
        from kg.extract import extract

        citations = extract(text)
    if metadata is None:
        from kg.metadata import read_metadata

        metadata = read_metadata(text)
    prepared = _Prepared(file, text, metadata, list(citations), [])
    return check_prepared([prepared], store=store, as_of=as_of, registry=registry).documents[0]


def _with_official_forms(ids: set[str | None], registry: Registry) -> set[str | None]:
    return ids | {registry.official_form(i) for i in ids if i and registry.official_form(i)}


def check_prepared(
    documents: list[_Prepared], store: Any = None, as_of: date | str | None = None,
    registry: Registry | None = None,
) -> CheckResult:
    """Check documents already read: the corpus is asked once for all of them."""
    registry = registry or load_registry()
    graph_store, opened = _open(store)
    try:
        citations = [c for d in documents for c in d.citations]
        ids = _with_official_forms({citation_id(c) for c in citations}, registry)
        # what the consistency checks compare: dates of dated citations, bodies of Party central ones
        dated = _with_official_forms({citation_id(c) for c in citations if parse_iso(c.date)}, registry)
        attributed = _with_official_forms(
            {citation_id(c) for c in citations if c.issuer and is_party_central(c)}, registry)
        facts, store_mentions = (query_corpus(graph_store, ids, dated, attributed)
                                 if graph_store is not None else ([], []))
        if graph_store is None:  # the files given are the corpus: what one states of a document another cites
            facts = given_facts((d.path, d.text, d.metadata, d.citations) for d in documents)
    finally:
        if opened and graph_store is not None:
            graph_store.close()
    context = _Context(registry, _as_of(as_of), facts, store_mentions, _mentions_by_key(documents),
                       frozenset(resolved_path(d.path) for d in documents), _own_dates(documents))
    results = []
    for document in documents:
        lo, hi, exact = date_bounds(document.text, document.metadata, document.citations)
        ordered = sorted(document.citations, key=lambda c: c.start)
        verdicts = [_judge_one(c, document, (lo, hi), ordered, context)
                    for c in sorted(document.citations, key=lambda c: (c.start, c.end))]
        results.append(DocumentCheck(
            file=document.path, text=document.text, date=lo.isoformat() if exact and lo else None,
            date_bounds=(lo.isoformat() if lo else None, hi.isoformat() if hi else None),
            verdicts=verdicts, metadata=document.metadata, warnings=document.warnings,
        ))
    return CheckResult(context.as_of, results)


@dataclass(slots=True)
class _Context:
    """What every citation of one check run is judged against."""

    registry: Registry
    as_of: date
    facts: list[CorpusFact]  # relations the store learned from documents
    store_mentions: list[CorpusMention]  # how the store's documents cite the cited documents
    mentions: dict[str, list[Mention]]  # how the files being checked cite them, by identity key
    given: frozenset[str]  # the files being checked (resolved paths)
    own_dates: dict[tuple[str, int], list[tuple[date, str, str | None]]]  # (key, year) -> (date, file, place)


def _mentions_by_key(documents: list[_Prepared]) -> dict[str, list[Mention]]:
    by_key: dict[str, list[Mention]] = {}
    for d in documents:
        for c in d.citations:
            bodies = party_bodies(c.issuer) if is_party_central(c) else frozenset()
            mention = Mention(citation_id(c) or "", citation_year(c), parse_iso(c.date), d.path, is_local(c),
                              _place(d.metadata), bodies)
            by_key.setdefault(identity_key(mention.ident), []).append(mention)
    return by_key


def _own_dates(documents: list[_Prepared]) -> dict[tuple[str, int], list[tuple[date, str, str | None]]]:
    """The number, symbol and full date each file states for itself ("Số: 12/KH-UBND … ngày 10 tháng 3")."""
    own: dict[tuple[str, int], list[tuple[date, str, str | None]]] = {}
    for d in documents:
        md = d.metadata
        stated = parse_iso(md.date) if md else None
        if md and md.id and md.number and stated:
            own.setdefault((identity_key(md.id), stated.year), []).append((stated, d.path, _place(md)))
    return own


def _judge_one(
    c: Citation, document: _Prepared, bounds: tuple[date | None, date | None], ordered: list[Citation],
    context: _Context,
) -> Verdict:
    knowledge = Knowledge()
    metadata = document.metadata
    citing_id = metadata.id if metadata and metadata.number else None
    registry_knowledge(c, context.registry, knowledge, not_after=bounds[1], citing_id=citing_id)
    # a law an amending act's title lists, of which a later version exists: not "amended" (in force) by
    # that title, and not told to cite the later version either (successor_events)
    superseded_title = has_later_version(c) and listed_by_amending_act(c, document.text)
    corpus_knowledge(c, context.facts, knowledge, document.path, citation_scope(c, document.metadata),
                     superseded_title)
    after = bisect.bisect_right(ordered, c.start, key=lambda other: other.start)
    following = ordered[after] if after < len(ordered) else None  # the next citation, to end c's subject
    period = period_event(c, subject_of(c, document.text, following.start if following else None,
                                        following.end if following else None))
    if period:
        knowledge.events.append(period)
    knowledge.events += successor_events(c, document.text)
    for evidence, suggestion in type_word_findings(document.text, c) + form_findings(c):
        knowledge.problems.append(("malformed", evidence, suggestion))
    for evidence in year_findings(c):
        knowledge.problems.append(("inconsistent", evidence, _dated_sibling(c, document)))
    for evidence, suggestion in issuer_findings(c):
        knowledge.problems.append(("inconsistent", evidence, suggestion or _fitting_sibling(c, document)))
    place = _place(document.metadata)
    knowledge.problems += _own_date_problems(c, document.path, place, context)
    mentions = context.mentions.get(identity_key(citation_id(c) or ""), [])
    knowledge.problems += consistency_problems(c, mentions, context.store_mentions, document.path, place,
                                               context.given)
    return judge(c, knowledge, bounds, context.as_of, context.registry)


def _dated_sibling(c: Citation, document: _Prepared) -> str | None:
    """The citation written right, when the same text dates this document elsewhere in the year its number
    says: "Luật Đầu tư số 61/2020/QH14 ngày 17/6/2021" and twice "… ngày 17/6/2020" (real 1936/QĐ-UBND)."""
    ident = citation_id(c)
    dates = {other.date for other in document.citations if citation_id(other) == ident and other.date
             and other.date[:4] == str(c.year)}
    if len(dates) != 1:
        return None
    year, month, day = (int(part) for part in dates.pop().split("-"))
    return f"{ident} ngày {day}/{month}/{year}"


def _fitting_sibling(c: Citation, document: _Prepared) -> str | None:
    """The id the same document cites elsewhere with this number, year and date and a symbol that fits the
    issuer named here: "Thông tư số 98/2013/TT-BXD ngày 24/7/2013 của Bộ Tài chính" and later "Thông tư số
    98/2013/TT-BTC ngày 24/7/2013" (real 3210/QĐ-UBND)."""
    ident = citation_id(c)
    fitting = {
        citation_id(other) for other in document.citations
        if other.number == c.number and citation_year(other) == citation_year(c) and other.date == c.date
        and citation_id(other) not in (None, ident)
        and not issuer_findings(dataclasses.replace(other, issuer=c.issuer))
    }
    return fitting.pop() if len(fitting) == 1 else None


def _own_date_problems(
    c: Citation, citing_file: str, place: str | None, context: _Context
) -> list[tuple[str, Evidence, str | None]]:
    """A file being checked is the cited document itself, and its header states another date."""
    cited, year = parse_iso(c.date), citation_year(c)
    if not cited or not year:
        return []
    local = is_local(c)
    for stated, file, own_place in context.own_dates.get((identity_key(citation_id(c) or ""), year), []):
        if stated != cited and file != citing_file and (not local or (place and own_place == place)):
            params = {"document": citation_id(c), "known": stated.isoformat(), "cited": cited.isoformat(),
                      "file": file}
            evidence = Evidence("corpus", "corpus.own_date", params, file, rules_data()["corpus_confidence"])
            return [("inconsistent", evidence, stated.isoformat())]
    return []


def _place(metadata: DocumentMetadata | None) -> str | None:
    if metadata is None:
        return None
    return "/".join(filter(None, [metadata.province, metadata.district, metadata.commune])) or None


def _as_of(value: date | str | None) -> date:
    if value is None:
        return date.today()
    if isinstance(value, date):
        return value
    parsed = parse_iso(value)
    if parsed is None:
        raise ValueError(f"--as-of must be an ISO date (YYYY-MM-DD), not {value!r}")
    return parsed


def _open(store: Any) -> tuple[Any, bool]:
    if store is None:
        return None, False
    if isinstance(store, (str, Path)):
        from kg.store import open_store

        return open_store(str(store)), True
    return store, False
