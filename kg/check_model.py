"""What `kg check` produces and the data it speaks with: statuses by severity, evidence, notes, verdicts,
and the wording of every message in both languages (ontology/statuses.json, ontology/check_rules.json).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any

from kg.data import ontology_file
from kg.models import Citation, DocumentMetadata
from kg.registry import parse_id, parse_iso

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


def fold_text(text: str) -> str:
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
    confidence: str | None = None  # of the status at as_of: the strongest evidence behind it
    notes: list[Note] = field(default_factory=list)
    confidence_at_citing: str | None = None  # of the status at the citing document's date

    @property
    def worst(self) -> str:
        return max(self.status, self.status_at_citing, key=severity)

    def to_dict(self, lang: str = "vi") -> dict[str, Any]:
        c = self.citation
        return {
            "start": c.start, "end": c.end, "text": c.text, "id": citation_id(c), "number": c.number,
            "year": c.year, "symbol": c.symbol, "date": c.date, "type": c.type, "issuer": c.issuer,
            "status": self.status, "status_at_citing": self.status_at_citing,
            "confidence": self.confidence, "confidence_at_citing": self.confidence_at_citing,
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


@dataclass(slots=True)
class Knowledge:
    """Everything known about one cited document: status events, timeless problems, notes."""

    events: list[Event] = field(default_factory=list)
    problems: list[tuple[str, Evidence, str | None]] = field(default_factory=list)  # (status, ev, suggest)
    notes: list[Note] = field(default_factory=list)
    known_date: date | None = None  # the cited document's issue date, where known


@dataclass(frozen=True, slots=True)
class LocalisedLabel:
    """A label from ontology data whose language is chosen when the message is rendered."""

    label: dict[str, str]
    values: dict[str, Any]

    def localise(self, lang: str) -> str:
        return self.label[lang].format(**self.values)


def rule_evidence(message: str, params: dict[str, Any], confidence: str = "high") -> Evidence:
    return Evidence("rule", message, params, f"rule:{message.split('.', 1)[1]}", confidence)


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
