"""Citation checking (DOMAIN.md §9): is each citation in force, amended, superseded, replaced, repealed,
expired, dated in the future, malformed, inconsistent — or unknown?

Knowledge comes in three layers, each producing evidence with its source and confidence:
  registry  ontology/registry/ (kg/registry.py), curated facts;
  corpus    relations the graph learned from documents ("Chỉ thị này thay thế …"), read from a store
            with one SPARQL query, plus how other documents of the corpus cite the same document;
  rules     periods ("giai đoạn 2011-2020", an annual plan "năm 2020"), future dates, the year in a
            normative symbol, type words and symbol forms (ontology/doc_types.json, check_rules.json).

Two clocks: the citing document's own date (or the bounds inferred for it) and `as_of` (default today).
Statuses, their severity order and all report wording are data: ontology/statuses.json.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from kg.data import ontology_file
from kg.models import Citation, DocumentMetadata, IngestError
from kg.registry import Registry, ValidityFact, identity_key, load_registry, parse_id, parse_iso

# ---------------------------------------------------------------------------------------------- data


@cache
def status_data() -> dict[str, Any]:
    return json.loads(ontology_file("statuses.json").read_text(encoding="utf-8"))


@cache
def rules_data() -> dict[str, Any]:
    return json.loads(ontology_file("check_rules.json").read_text(encoding="utf-8"))


@cache
def doc_types() -> list[dict[str, Any]]:
    return json.loads(ontology_file("doc_types.json").read_text(encoding="utf-8"))["types"]


def statuses() -> list[str]:
    """Status codes, least severe first."""
    return [s["code"] for s in sorted(status_data()["statuses"], key=lambda s: s["severity"])]


def severity(status: str) -> int:
    return statuses().index(status)


def status_label(status: str, lang: str = "vi") -> str:
    for entry in status_data()["statuses"]:
        if entry["code"] == status:
            return entry[lang]
    raise KeyError(status)


def render(section: str, key: str, params: dict[str, Any], lang: str) -> str:
    """Fill a message template; parameters that depend on the language have a `localise(lang)` method."""
    template = status_data()[section][key][lang]
    values = {k: _localised(v, lang) for k, v in params.items()}
    return template.format_map(_Missing(values))


def _localised(value: Any, lang: str) -> Any:
    if value is None:
        return ""
    localise = getattr(value, "localise", None)
    return localise(lang) if localise else value


class _Missing(dict):
    def __missing__(self, key: str) -> str:
        return "?"


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip().casefold()


# ---------------------------------------------------------------------------------------------- results


@dataclass(slots=True)
class Evidence:
    """Why a status was given: a registry fact, a corpus sentence or a rule. `message` names a template in
    statuses.json; `detail(lang)` renders it."""

    kind: str  # "registry" | "corpus" | "rule"
    message: str
    params: dict[str, Any]
    source: str
    confidence: str  # "high" | "medium" | "low"

    def detail(self, lang: str = "vi") -> str:
        return render("messages", self.message, self.params, lang)

    def to_dict(self, lang: str = "vi") -> dict[str, Any]:
        return {"kind": self.kind, "detail": self.detail(lang), "source": self.source,
                "confidence": self.confidence}


@dataclass(slots=True)
class Note:
    """Something worth saying that is not a problem (a known variant, an assumption made)."""

    message: str
    params: dict[str, Any]

    def text(self, lang: str = "vi") -> str:
        return render("notes", self.message, self.params, lang)


@dataclass(slots=True)
class Event:
    """A change of status from `effective` on (None: date unknown, taken as always applying)."""

    status: str | None  # None: supports "in force" (a continuation, an in-force record)
    effective: date | None
    evidence: Evidence
    suggestion: str | None = None
    other_date: date | None = None


@dataclass(slots=True)
class Verdict:
    citation: Citation
    status: str  # at as_of
    status_at_citing: str
    evidence: list[Evidence]
    suggestion: str | None = None
    suggestion_at_citing: str | None = None
    confidence: str | None = None  # of the status at as_of: the weakest evidence behind it
    notes: list[Note] = field(default_factory=list)

    @property
    def worst(self) -> str:
        return max(self.status, self.status_at_citing, key=severity)

    def to_dict(self, lang: str = "vi") -> dict[str, Any]:
        c = self.citation
        return {
            "start": c.start, "end": c.end, "text": c.text, "id": citation_id(c), "number": c.number,
            "year": c.year, "symbol": c.symbol, "date": c.date, "type": c.type, "issuer": c.issuer,
            "status": self.status, "status_at_citing": self.status_at_citing,
            "confidence": self.confidence,
            "evidence": [e.to_dict(lang) for e in self.evidence],
            "suggestion": self.suggestion, "suggestion_at_citing": self.suggestion_at_citing,
            "notes": [n.text(lang) for n in self.notes],
        }


@dataclass(slots=True)
class DocumentCheck:
    file: str
    text: str
    date: str | None  # ISO, only when the document states a full date
    date_bounds: tuple[str | None, str | None]
    verdicts: list[Verdict]
    metadata: DocumentMetadata | None = None
    warnings: list[str] = field(default_factory=list)

    def to_dict(self, lang: str = "vi") -> dict[str, Any]:
        return {"file": self.file, "date": self.date, "date_bounds": list(self.date_bounds),
                "citations": [v.to_dict(lang) for v in self.verdicts], "warnings": self.warnings}


@dataclass(slots=True)
class CheckResult:
    as_of: date
    documents: list[DocumentCheck]
    errors: list[str] = field(default_factory=list)  # inputs that could not be read, one line each

    def to_dict(self, lang: str = "vi") -> dict[str, Any]:
        return {"as_of": self.as_of.isoformat(), "documents": [d.to_dict(lang) for d in self.documents],
                "errors": self.errors}

    def verdicts(self) -> Iterable[tuple[DocumentCheck, Verdict]]:
        for document in self.documents:
            for verdict in document.verdicts:
                yield document, verdict

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(statuses(), 0)
        for _, verdict in self.verdicts():
            counts[verdict.status] += 1
        return counts

    def fails(self, fail_on: str) -> bool:
        """True when some citation reaches `fail_on` at either clock ("never": never)."""
        if fail_on == "never":
            return False
        threshold = severity(fail_on)
        return any(severity(v.worst) >= threshold for _, v in self.verdicts())


# ---------------------------------------------------------------------------------------------- ids


def citation_id(c: Citation) -> str | None:
    """Number and symbol as cited: "33/CT-TTg", "59/2023/NĐ-CP", "120-KL/TW"; named references by name."""
    if c.id:
        return c.id
    if c.number and c.symbol:
        if c.year:
            return f"{c.number}/{c.year}/{c.symbol}"
        if c.system == "party" or re.match(r"^[^/-]+/", c.symbol):
            return f"{c.number}-{c.symbol}"
        return f"{c.number}/{c.symbol}"
    return c.law_id or c.name


def citation_year(c: Citation) -> int | None:
    """The year that identifies the cited document: in its symbol (normative, laws), else of its date."""
    if c.year:
        return c.year
    in_symbol = parse_id(citation_id(c) or "")["year"]
    if in_symbol:
        return int(in_symbol)
    parsed = parse_iso(c.date)
    return parsed.year if parsed else None


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
    cited = [d for d in (parse_iso(c.date) for c in citations) if d and (hi is None or d <= hi)]
    if cited and (lo is None or max(cited) > lo):
        lo = max(cited)
    return lo, hi, False


# ---------------------------------------------------------------------------------------------- rules


def subject_of(c: Citation, text: str, next_start: int | None) -> str:
    """The cited document's subject: the extractor's, else the words after the citation up to ";"."""
    if c.subject:
        return c.subject
    limit = rules_data()["subject_max_chars"]
    end = min(len(text), c.end + limit, next_start if next_start is not None else len(text))
    tail = text[c.end : end]
    return re.split(r";|\.\s*\n|\n\s*\n", tail, maxsplit=1)[0]


def period_event(c: Citation, subject: str) -> Event | None:
    """A document bound to a period or (plan-like) to one year lapses after it."""
    rules = rules_data()
    if c.kind == "named":
        return None  # laws and codes cited by name are not bound to a period
    type_code = parse_id(citation_id(c) or "")["type_code"] or c.type_code
    if type_code in rules["period_excluded_type_codes"]["codes"]:
        return None
    subject = unicodedata.normalize("NFC", subject)
    document = citation_id(c) or c.text
    for entry in rules["period_patterns"]:
        match = re.search(entry["pattern"], subject, re.IGNORECASE)
        if match:
            start, end = int(match.group(1)), int(match.group(2))
            if end >= start:
                return _period(document, end, {"start": start, "end": end}, entry["label"])
    type_code = parse_id(citation_id(c) or "")["type_code"] or c.type_code
    annual = rules["annual"]
    if type_code in annual["type_codes"]:
        match = re.search(annual["pattern"], subject, re.IGNORECASE)
        if match:
            year = int(match.group(1))
            return _period(document, year, {"end": year}, annual["label"])
    return None


def _period(document: str, end_year: int, values: dict[str, int], label: dict[str, str]) -> Event:
    end = date(end_year, 12, 31)
    params = {"document": document, "period": _LocalisedLabel(label, values), "end": end.isoformat()}
    evidence = Evidence("rule", "rule.period", params, "rule:period (ontology/check_rules.json)",
                        rules_data()["rule_confidence"])
    return Event("expired", date(end_year + 1, 1, 1), evidence)


@dataclass(frozen=True, slots=True)
class _LocalisedLabel:
    """A label from ontology data whose language is chosen when the message is rendered."""

    label: dict[str, str]
    values: dict[str, Any]

    def localise(self, lang: str) -> str:
        return self.label[lang].format(**self.values)


def written_id(c: Citation) -> str:
    """The number and symbol exactly as written (spaces and line breaks removed), whatever separators the
    extractor normalised: "18/NQ-TW" stays "18/NQ-TW" even when the id says "18-NQ/TW"."""
    compact = re.sub(r"\s+", "", unicodedata.normalize("NFC", c.text))
    ident = citation_id(c) or ""
    if ident and ident in compact:
        return ident
    if c.number and c.symbol:
        pieces = [re.escape(p) for p in re.split(r"[-/]", c.symbol) if p]
        year = rf"{c.year}/" if c.year else ""
        pattern = re.escape(c.number) + "[-/]" + year + "[-/]".join(pieces)
        match = re.search(pattern, compact, re.IGNORECASE)
        if match:
            return match.group(0)
    return ident or compact


def _type_names() -> dict[str, dict[str, Any]]:
    """Folded type name or written variant -> {"name", "typo", "entry"}."""
    names: dict[str, dict[str, Any]] = {}
    for entry in doc_types():
        names[_fold(entry["name"])] = {"name": entry["name"], "typo": False, "entry": entry}
        for variant in entry.get("variants", []):
            names[_fold(variant["written"])] = {"name": entry["name"], "typo": bool(variant.get("typo")),
                                                "entry": entry}
    return names


def _types_for_code(code: str, system: str | None) -> list[dict[str, Any]]:
    found = [t for t in doc_types() if code in t["codes"]]
    if system:
        in_system = [t for t in found if system in t["systems"]]
        found = in_system or found
    # the canonical owner of a code lists it first ("QĐ" -> Quyết định, not Quy định)
    return sorted(found, key=lambda t: t["codes"].index(code))


def written_type(text: str, c: Citation) -> str | None:
    """The words just before the number ("Quyết chế số 08-QC/TU" -> "Quyết chế"), as written."""
    prefix = unicodedata.normalize("NFC", c.text)
    if c.number and c.number in prefix:
        prefix = prefix[: prefix.index(c.number)]
    else:
        prefix = ""
    if not re.search(r"[A-Za-zÀ-ỹĐđ]", prefix):
        prefix = unicodedata.normalize("NFC", text[max(0, c.start - 60) : c.start]) + prefix
    prefix = re.sub(r"\s+", " ", prefix)
    match = re.search(r"((?:[\wÀ-ỹĐđ]+ ){0,3}[\wÀ-ỹĐđ]+)\s*(?:số\s*:?)?\s*$", prefix, re.IGNORECASE)
    if not match:
        return None
    words = match.group(1).split()
    if words and words[-1].lower() == "số":
        words = words[:-1]
    return " ".join(words) or None


def _edit_distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def type_word_findings(text: str, c: Citation) -> list[tuple[Evidence, str | None]]:
    """A type word that does not exist, does not match the symbol, or belongs to the other system."""
    ident = written_id(c)
    parts = parse_id(ident)
    code = parts["type_code"]
    if not code:
        return []
    system = _system_of(parts)
    expected = _types_for_code(code, system)
    words = written_type(text, c)
    if not words or not expected:
        return []
    names = _type_names()
    tokens = words.split()
    known = None
    for size in range(min(4, len(tokens)), 0, -1):
        known = names.get(_fold(" ".join(tokens[-size:])))
        if known:
            written = " ".join(tokens[-size:])
            break
    params = {"code": code, "expected": expected[0]["name"], "system": _system_label(system)}
    if known is None:
        for size in (2, 1):
            if len(tokens) < size:
                continue
            written = " ".join(tokens[-size:])
            if not written[0].isupper():
                continue
            distance = _edit_distance(_fold(written), _fold(expected[0]["name"]))
            if 0 < distance <= 2 and distance * 2 < len(expected[0]["name"]):
                return [(_rule_evidence("rule.type_word_typo", params | {"written": written}),
                         expected[0]["name"])]
        return []
    if known["typo"]:
        return [(_rule_evidence("rule.type_word_typo", params | {"written": written}), known["name"])]
    entry = known["entry"]
    if entry["name"] in rules_data()["letter_type_names"]["names"] and parts["form"] == "state":
        return []  # a letter's symbol starts with its issuer ("577/CT-THNVDT": CT is Cục Thuế)
    if code in entry["codes"] and system in entry["systems"]:
        return []
    if code in entry["codes"]:
        message = "rule.type_not_in_system"
    elif not entry["codes"]:
        return []  # Luật / Bộ luật / Hiến pháp carry no type code
    else:
        message = "rule.type_mismatch"
    return [(_rule_evidence(message, params | {"written": written}), expected[0]["name"])]


def _system_of(parts: dict[str, Any]) -> str:
    """party for the Party form; front when an issuer in the symbol is of the Front; else state."""
    if parts["form"] == "party":
        return "party"
    known = _issuer_systems()
    components = [re.sub(r"\d+$", "", x) for x in re.split(r"[-/]", str(parts["symbol"] or "")) if x]
    if any(known.get(x) == {"front"} for x in components):
        return "front"
    return "state"


def _system_label(system: str) -> _LocalisedLabel:
    return _LocalisedLabel(status_data()["ui"][f"system_{system}"], {})


@cache
def _issuer_systems() -> dict[str, set[str]]:
    """Issuer symbol -> systems it belongs to, from ontology/issuers.json when present."""
    path = ontology_file("issuers.json")
    if not path.exists():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    entries = data.get("issuers", data) if isinstance(data, dict) else data
    systems: dict[str, set[str]] = {}
    for entry in entries if isinstance(entries, list) else []:
        codes = [entry.get("code") or entry.get("symbol")] + list(entry.get("codes", []))
        entry_systems = entry.get("systems") or [entry.get("system")]
        for code in filter(None, codes):
            systems.setdefault(code, set()).update(s for s in entry_systems if s)
    return systems


def form_findings(c: Citation) -> list[tuple[Evidence, str | None]]:
    """A symbol written in the other system's form: Party "18/NQ-TW" for 18-NQ/TW, or the reverse."""
    ident = written_id(c)
    parts = parse_id(ident)
    if parts["form"] not in ("party", "state") or not parts["symbol"]:
        return []
    known = _issuer_systems()
    if parts["form"] == "state":
        type_code, _, issuer = str(parts["symbol"]).partition("-")
    else:
        type_code, _, issuer = str(parts["symbol"]).partition("/")
    components = [x for x in re.split(r"[-/]", issuer) if x]
    if not components or not type_code:
        return []
    component_systems = [known.get(x) or known.get(re.sub(r"\d+$", "", x)) for x in components]
    both = set(rules_data()["issuers_in_both_systems"]["codes"])
    if any(s is None for s in component_systems) or any(x in both for x in components):
        return []
    number = parts["number"]
    if parts["form"] == "state" and all(s == {"party"} for s in component_systems):
        expected = f"{number}-{type_code}/{issuer}"
        params = {"issuer": issuer, "expected": expected}
        return [(_rule_evidence("rule.party_issuer_state_form", params), expected)]
    if parts["form"] == "party" and all("party" not in s and "front" not in s for s in component_systems):
        expected = f"{number}/{type_code}-{issuer}"
        params = {"issuer": issuer, "expected": expected}
        return [(_rule_evidence("rule.state_issuer_party_form", params), expected)]
    return []


def year_findings(c: Citation) -> list[Evidence]:
    """The year inside a normative symbol must be the year of its date."""
    cited = parse_iso(c.date)
    year = c.year or parse_id(citation_id(c) or "")["year"]
    if cited and year and cited.year != year:
        return [_rule_evidence("rule.year_mismatch", {"year": year, "cited": cited.isoformat()})]
    return []


def _rule_evidence(message: str, params: dict[str, Any], confidence: str = "high") -> Evidence:
    return Evidence("rule", message, params, f"rule:{message.split('.', 1)[1]}", confidence)


# ---------------------------------------------------------------------------------------------- knowledge


@dataclass(slots=True)
class Knowledge:
    """Everything known about one cited document: status events, timeless problems, notes."""

    events: list[Event] = field(default_factory=list)
    problems: list[tuple[str, Evidence, str | None]] = field(default_factory=list)  # (status, ev, suggest)
    notes: list[Note] = field(default_factory=list)
    known_date: date | None = None  # the cited document's issue date, where known


def registry_knowledge(
    c: Citation, registry: Registry, knowledge: Knowledge, not_after: date | None = None
) -> None:
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
        knowledge.events.append(_fact_event(fact, lookup, undated))
    entry = registry.in_force_entry(lookup, year)
    if entry and _is_party_central(c):
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


def query_corpus(store: Any, ids: Iterable[str]) -> tuple[list[CorpusFact], list[CorpusMention]]:
    """Two SPARQL queries, bounded by the ids cited: relations that change a cited document's status
    (outside the registry graph), and how the corpus cites the same documents (for consistency)."""
    from kg import vocab

    wanted = sorted({i for i in ids if i})
    if not wanted:
        return [], []
    values = " ".join(_sparql_string(i) for i in wanted)
    relations = " ".join(f"<{getattr(vocab, name.upper())}>" for name in _CORPUS_RELATIONS)
    facts_query = f"""{vocab.SPARQL_PREFIXES}
SELECT ?oldId ?oldYear ?rel ?newId ?newDate ?sentence ?file ?newFile WHERE {{
  VALUES ?oldId {{ {values} }}
  VALUES ?rel {{ {relations} }}
  ?old eli:id_local|kg:variant ?oldId .
  GRAPH ?g {{ ?new ?rel ?old . }}
  FILTER (?g != <{vocab.REGISTRY_GRAPH}>)
  OPTIONAL {{ ?old kg:year ?oldYear }}
  OPTIONAL {{ ?new eli:id_local ?newId }}
  OPTIONAL {{ ?new eli:date_document ?newDate }}
  OPTIONAL {{ ?new kg:sourceFile ?nsf . ?nsf kg:path ?newFile }}
  OPTIONAL {{ GRAPH ?g {{ ?sf a kg:SourceFile ; kg:path ?file }} }}
  OPTIONAL {{ GRAPH ?g {{ ?m kg:citedDocument ?old ; kg:sentence ?sentence }} }}
}}"""
    facts = [
        CorpusFact(
            old_id=str(row["oldId"]), old_year=_as_int(row.get("oldYear")),
            relation=str(row["rel"]).rsplit("#", 1)[-1].rsplit("/", 1)[-1],
            new_id=_value(row.get("newId")), new_date=_as_date(row.get("newDate")),
            sentence=_value(row.get("sentence")), file=_value(row.get("file")),
            new_file=_value(row.get("newFile")),
        )
        for row in store.select(facts_query)
    ]
    mentions_query = f"""{vocab.SPARQL_PREFIXES}
SELECT ?oldId ?oldYear ?citedDate ?issuer ?file ?oldDate WHERE {{
  VALUES ?oldId {{ {values} }}
  ?old eli:id_local|kg:variant ?oldId .
  ?m kg:citedDocument ?old .
  OPTIONAL {{ ?m kg:citedDate ?citedDate }}
  OPTIONAL {{ ?m kg:citedIssuer ?issuer }}
  FILTER (BOUND(?citedDate) || BOUND(?issuer))
  OPTIONAL {{ ?old kg:year ?oldYear }}
  OPTIONAL {{ ?old eli:date_document ?oldDate . ?old kg:sourceFile ?own }}
  OPTIONAL {{ ?m kg:sourceFile ?sf . ?sf kg:path ?file }}
}}"""
    mentions = [
        CorpusMention(str(row["oldId"]), _as_int(row.get("oldYear")), _as_date(row.get("citedDate")),
                      _value(row.get("file")), _as_date(row.get("oldDate")), _value(row.get("issuer")))
        for row in store.select(mentions_query)
    ]
    return facts, mentions


_EFFECTIVE_IN_SENTENCE = re.compile(
    r"(?:kể\s+từ|từ)\s+ngày\s+(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})", re.IGNORECASE
)


def corpus_knowledge(c: Citation, facts: list[CorpusFact], knowledge: Knowledge, citing_file: str) -> None:
    ident = citation_id(c)
    year = citation_year(c)
    confidence = rules_data()["corpus_confidence"]
    relevant = [f for f in facts if identity_key(f.old_id) == identity_key(ident or "")
                and (year is None or f.old_year in (None, year))]
    if year is None and len({f.old_year for f in relevant if f.old_year}) > 1:
        years = ", ".join(str(y) for y in sorted({f.old_year for f in relevant if f.old_year}))
        knowledge.notes.append(Note("ambiguous", {"document": ident, "years": years}))
        return  # an undated citation of a number the corpus knows for several years: no guess
    seen: set[tuple[str, str | None]] = set()
    for fact in sorted(relevant, key=_sentence_names_actor):
        if fact.new_file and _same_file(fact.new_file, citing_file):
            continue  # the document that replaces another cites it in its replacement clause: no finding
        key = (fact.relation, fact.new_id)
        if key in seen:
            continue
        seen.add(key)
        effective = _effective_from(fact.sentence) or fact.new_date
        effective_text = {"effective": effective.isoformat()} if effective else None
        # a document without a number (a draft) is named by its file
        other = fact.new_id or (Path(fact.new_file).name if fact.new_file else "?")
        params = {"document": ident, "other": other, "file": fact.file or "?",
                  "sentence": _shorten(fact.sentence or ""), "effective_text": _Effective(effective_text)}
        evidence = Evidence("corpus", f"corpus.{fact.relation}", params, fact.file or "store", confidence)
        knowledge.events.append(Event(_CORPUS_RELATIONS[fact.relation], effective, evidence,
                                      suggestion=fact.new_id, other_date=fact.new_date))


def _sentence_names_actor(fact: CorpusFact) -> int:
    """Sentences that name the acting document first: they are the ones that say what it does."""
    number = (fact.new_id or "").split("/")[0].split("-")[0]
    return 0 if number and fact.sentence and number in fact.sentence else 1


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


def _same_file(a: str, b: str) -> bool:
    return a == b or _resolved(a) == _resolved(b)


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
    cited, key, year, local = parse_iso(c.date), identity_key(ident), citation_year(c), _is_local(c)
    confidence = rules_data()["corpus_confidence"]
    own = _own_date_problem(c, store_mentions, key, year, local, confidence) if cited else None
    if own:
        return [own]
    dates: dict[str, set[date]] = {}
    bodies: dict[str, set[frozenset[str]]] = {}
    if given is None:  # the files being checked (resolved paths)
        given = frozenset(_resolved(file) for file in {m.file for m in mentions})
    for m in mentions:
        if identity_key(m.ident) != key or m.year != year or _same_file(m.file, citing_file):
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
        if (m.file and (_resolved(m.file) in given or _same_file(m.file, citing_file))):
            continue  # the files being checked vote with what they say now, not with what was stored
        if m.cited_date and (year is None or m.cited_date.year == year):
            dates.setdefault(name, set()).add(m.cited_date)
        found = party_bodies(m.issuer)
        if found:
            bodies.setdefault(name, set()).add(found)
    problems = []
    if cited:
        loser = _outvoted(cited, dates, lambda a, b: a == b)
        if loser:
            other, file = loser
            params = {"document": ident, "other_date": other.isoformat(), "cited": cited.isoformat(),
                      "file": file}
            problems.append(("inconsistent", Evidence("corpus", "corpus.date_mismatch", params, file,
                                                      confidence), None))
    mine = party_bodies(c.issuer) if _is_party_central(c) else frozenset()
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
def _resolved(path: str) -> str:
    try:
        return str(Path(path).resolve())
    except OSError:
        return path


# ---------------------------------------------------------------------------------------------- issuers


def party_bodies(phrase: str | None) -> frozenset[str]:
    """The Party central bodies an issuer phrase names ("Bộ Chính trị, Ban Bí thư" -> both)."""
    if not phrase:
        return frozenset()
    text = _fold(phrase)
    found = set()
    for entry in rules_data()["party_central_bodies"]["bodies"]:
        if any(_fold(name) in text for name in entry["names"]):
            found.add(entry["body"])
    return frozenset(found)


def _is_party_central(c: Citation) -> bool:
    parts = parse_id(citation_id(c) or "")
    return parts["form"] == "party" and str(parts["symbol"] or "").split("/")[-1] == "TW"


@cache
def _issuer_entries() -> tuple[list[tuple[str, str]], dict[str, str | None], list[str]]:
    """(folded name, code) longest first; code -> parent; role words that may precede a name."""
    data = json.loads(ontology_file("issuers.json").read_text(encoding="utf-8"))
    names = sorted(((_fold(n), e["code"]) for e in data["issuers"] for n in e["names"]),
                   key=lambda item: -len(item[0]))
    parents = {e["code"]: e.get("parent") for e in data["issuers"]}
    roles = [_fold(r) for r in data.get("phrase", {}).get("roles", [])]
    return names, parents, roles


def issuer_codes_in(phrase: str | None) -> set[str]:
    """Issuer codes an issuer phrase names ("Ủy ban nhân dân tỉnh và Ban Dân vận Tỉnh ủy" -> UBND, BDVTU)."""
    if not phrase:
        return set()
    names, _, roles = _issuer_entries()
    codes = set()
    for part in re.split(r",|;| và | giữa ", _fold(phrase)):
        part = re.sub(r"^(của|giữa)\s+", "", part.strip())
        for role in roles:
            if part.startswith(role + " "):
                part = part[len(role) + 1:]
                break
        for name, code in names:
            if part == name or part.startswith(name + " ") or part.startswith(name + "("):
                codes.add(code)
                break
    return codes


def _related(a: str, b: str) -> bool:
    """Same issuer, or one is the parent body of the other (TTg and CP, UBTVQH and QH)."""
    _, parents, _ = _issuer_entries()
    return a == b or parents.get(a) == b or parents.get(b) == a


def issuer_findings(c: Citation) -> list[tuple[Evidence, str | None]]:
    """An issuer phrase that names a body the symbol cannot belong to ("59/2023/NĐ-CP của Bộ Tài chính")."""
    named = issuer_codes_in(c.issuer)
    ident = citation_id(c) or ""
    symbol = str(parse_id(ident)["symbol"] or "")
    _, parents, _ = _issuer_entries()
    in_symbol = {re.sub(r"\d+$", "", x) for x in re.split(r"[-/]", symbol) if x}
    known = {x for x in in_symbol if x in parents}
    if not named or not known:
        return []
    if any(_related(a, b) for a in named for b in known):
        return []
    params = {"issuer": re.sub(r"\s+", " ", c.issuer or ""), "symbol": ident}
    return [(_rule_evidence("rule.issuer_mismatch", params, "medium"), None)]


def _is_local(c: Citation) -> bool:
    from kg import resolve

    parts = parse_id(citation_id(c) or "")
    symbol = str(parts["symbol"] or "")
    return resolve.issuer_is_local(c.issuer_code or resolve.issuer_code_of(symbol), c.issuer)


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


def judge(
    c: Citation, knowledge: Knowledge, bounds: tuple[date | None, date | None], as_of: date,
    registry: Registry,
) -> Verdict:
    lo, hi = bounds
    cited = parse_iso(c.date)
    notes = list(knowledge.notes)
    evidence: list[Evidence] = []

    def add(items: Iterable[Evidence]) -> None:
        for item in items:
            if item not in evidence:
                evidence.append(item)

    # Timeless problems: the worst one is the status at both clocks.
    problem = max(knowledge.problems, key=lambda p: severity(p[0]), default=None)

    # The now clock.
    now_status, now_events, now_suggestion = status_at(knowledge, as_of)
    if cited and cited > as_of:
        now_status, now_suggestion = "future", None
        add([_rule_evidence("rule.future_as_of", {"cited": cited.isoformat(), "as_of": as_of.isoformat()})])
    add(e.evidence for e in now_events)
    now_suggestion = follow_chain(now_suggestion, as_of, registry)

    # The citing clock: one date, or both ends of the bounds; a document is never older than what it cites.
    citing_lo = max(filter(None, [lo, knowledge.known_date, cited]), default=None)
    citing_hi = hi or as_of
    if cited and hi and cited > hi:
        at_citing, citing_suggestion = "future", None
        add([_rule_evidence("rule.future", {"cited": cited.isoformat(), "citing": _range(lo, hi)})])
    else:
        status_lo, events_lo, suggest_lo = status_at(knowledge, citing_lo)
        status_hi, events_hi, suggest_hi = status_at(knowledge, citing_hi)
        add(e.evidence for e in events_lo + events_hi)
        if status_lo == status_hi or citing_lo == citing_hi:
            at_citing, citing_suggestion = status_hi, follow_chain(suggest_hi, citing_hi, registry)
        else:
            at_citing, citing_suggestion = "unknown", None
            notes.append(Note("clock_split", {
                "lo": citing_lo.isoformat() if citing_lo else "?", "hi": citing_hi.isoformat(),
                "status_lo": _StatusLabel(status_lo), "status_hi": _StatusLabel(status_hi)}))
    if problem:
        status, problem_evidence, problem_suggestion = problem
        add(p[1] for p in knowledge.problems)
        if severity(status) > severity(now_status):
            now_status, now_suggestion = status, problem_suggestion
            now_events = []
        if severity(status) > severity(at_citing):
            at_citing, citing_suggestion = status, problem_suggestion
    if now_status == "unknown" and at_citing == "unknown" and not evidence:
        notes.append(Note("no_knowledge", {}))
    # A period still running at the now clock is worth saying, though it decides nothing yet.
    for event in knowledge.events:
        if event.evidence.kind == "rule" and event.effective and event.effective > as_of:
            notes.append(Note("period_running", event.evidence.params))
    confidence = _status_confidence(now_status, now_events, knowledge)
    return Verdict(c, now_status, at_citing, evidence, now_suggestion, citing_suggestion, confidence, notes)


def _status_confidence(status: str, events: list[Event], knowledge: Knowledge) -> str | None:
    if status == "unknown":
        return None
    order = ["low", "medium", "high"]
    behind = [e.evidence.confidence for e in events if e.status == status or status == "ok"]
    if behind:  # the strongest evidence for the status decides how sure it is
        return max(behind, key=order.index)
    relevant = [p[1].confidence for p in knowledge.problems if p[0] == status]
    if relevant:
        return min(relevant, key=order.index)
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


def check_prepared(
    documents: list[_Prepared], store: Any = None, as_of: date | str | None = None,
    registry: Registry | None = None,
) -> CheckResult:
    as_of_date = _as_of(as_of)
    registry = registry or load_registry()
    graph_store, opened = _open(store)
    try:
        ids = {citation_id(c) for d in documents for c in d.citations}
        ids |= {registry.official_form(i) for i in ids if i and registry.official_form(i)}
        facts, store_mentions = query_corpus(graph_store, ids) if graph_store is not None else ([], [])
    finally:
        if opened and graph_store is not None:
            graph_store.close()
    mentions = [
        Mention(citation_id(c) or "", citation_year(c), parse_iso(c.date), d.path, _is_local(c),
                _place(d.metadata), party_bodies(c.issuer) if _is_party_central(c) else frozenset())
        for d in documents for c in d.citations
    ]
    given = frozenset(_resolved(d.path) for d in documents)
    by_key: dict[str, list[Mention]] = {}
    for mention in mentions:
        by_key.setdefault(identity_key(mention.ident), []).append(mention)
    results = []
    for document in documents:
        lo, hi, exact = date_bounds(document.text, document.metadata, document.citations)
        place = _place(document.metadata)
        starts = sorted(c.start for c in document.citations)
        verdicts = [
            _judge_one(c, document, registry, facts, by_key.get(identity_key(citation_id(c) or ""), []),
                       store_mentions, place, (lo, hi), as_of_date, starts, given)
            for c in sorted(document.citations, key=lambda c: (c.start, c.end))
        ]
        results.append(DocumentCheck(
            file=document.path, text=document.text, date=lo.isoformat() if exact and lo else None,
            date_bounds=(lo.isoformat() if lo else None, hi.isoformat() if hi else None),
            verdicts=verdicts, metadata=document.metadata, warnings=document.warnings,
        ))
    return CheckResult(as_of_date, results)


def _judge_one(
    c: Citation, document: _Prepared, registry: Registry, facts: list[CorpusFact], mentions: list[Mention],
    store_mentions: list[CorpusMention], place: str | None, bounds: tuple[date | None, date | None],
    as_of: date, starts: list[int], given: frozenset[str] | None = None,
) -> Verdict:
    knowledge = Knowledge()
    registry_knowledge(c, registry, knowledge, not_after=bounds[1])
    corpus_knowledge(c, facts, knowledge, document.path)
    following = next((s for s in starts if s > c.start), None)
    period = period_event(c, subject_of(c, document.text, following))
    if period:
        knowledge.events.append(period)
    for evidence, suggestion in type_word_findings(document.text, c) + form_findings(c):
        knowledge.problems.append(("malformed", evidence, suggestion))
    for evidence in year_findings(c):
        knowledge.problems.append(("inconsistent", evidence, None))
    for evidence, suggestion in issuer_findings(c):
        knowledge.problems.append(("inconsistent", evidence, suggestion))
    knowledge.problems += consistency_problems(c, mentions, store_mentions, document.path, place, given)
    return judge(c, knowledge, bounds, as_of, registry)


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
