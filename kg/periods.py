"""Periods a document is bound to (DOMAIN.md §9): "giai đoạn 2011-2020" in its subject, or one year
("năm 2020") in the subject of a plan-like document. One rule, read from ontology/check_rules.json, used by
kg check (the document lapses after its period) and kg graph (kg:periodEnd, for queries and the viz).
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import Any

from kg.data import ontology_file


@dataclass(frozen=True, slots=True)
class Period:
    end: int
    values: dict[str, int]  # {"start": 2011, "end": 2020} or {"end": 2020}: the label's placeholders
    label: dict[str, str]  # {"vi": "giai đoạn {start} - {end}", "en": …}


@cache
def _rules() -> dict[str, Any]:
    return json.loads(ontology_file("check_rules.json").read_text(encoding="utf-8"))


@cache
def _patterns() -> tuple[list[tuple[re.Pattern[str], dict[str, str]]], re.Pattern[str]]:
    """The period patterns (with their labels) and the annual pattern, compiled once: period_of runs for
    every document a build describes."""
    rules = _rules()
    periods = [(re.compile(e["pattern"], re.IGNORECASE), e["label"]) for e in rules["period_patterns"]]
    return periods, re.compile(rules["annual"]["pattern"], re.IGNORECASE)


@cache
def _excluded_subjects() -> re.Pattern[str]:
    """Subjects of one-off acts bound to no period (check_rules.json "period_excluded_subjects")."""
    patterns = _rules().get("period_excluded_subjects", {}).get("patterns", []) or ["(?!)"]
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


_DIGIT_OR_SLASH = re.compile(r"[/\d]")


def period_of(type_code: str | None, subject: str | None) -> Period | None:
    """The period a document of `type_code` whose subject (trích yếu) is `subject` is bound to, if any.

    Documents that report or announce (check_rules.json "period_excluded_type_codes") are bound to none;
    a year right after a cited document's number ("Nghị quyết 18-NQ/TW năm 2017") is that document's year.
    """
    rules = _rules()
    if not subject or type_code in rules["period_excluded_type_codes"]["codes"]:
        return None
    subject = unicodedata.normalize("NFC", subject)
    if _excluded_subjects().search(subject):
        return None  # a one-off act outlives its period ("sắp xếp đơn vị hành chính … giai đoạn 2023 - 2025")
    periods, annual_pattern = _patterns()
    for pattern, label in periods:
        match = pattern.search(subject)
        if match:
            start, end = int(match.group(1)), int(match.group(2))
            if end >= start:
                return Period(end, {"start": start, "end": end}, label)
    annual = rules["annual"]
    if type_code in annual["type_codes"]:
        for match in annual_pattern.finditer(subject):
            before = subject[: match.start()].split()
            if before and _DIGIT_OR_SLASH.search(before[-1]):
                continue
            year = int(match.group(1))
            return Period(year, {"end": year}, annual["label"])
    return None
