"""Periods a document is bound to (DOMAIN.md §9): "giai đoạn 2011-2020" in its subject, or one year
("năm 2020") in the subject of a plan-like document. One rule, read from ontology/check_rules.json, used by
kg check (the document lapses after its period) and kg graph (kg:periodEnd, for queries and the viz): both
read the subject with `subject_until` and ask `bound_period`, so they agree.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
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


def subject_until(subject: str, next_written: str | None) -> str:
    """The subject a citation is written with, up to where the next citation is named in it: "Kế hoạch số
    15/KH-UBND … triển khai thi hành Luật Thực hiện dân chủ ở cơ sở năm 2022": the year is the law's, not
    the plan's. `next_written`: the next citation's words as the text writes them."""
    named = " ".join(next_written.split()) if next_written else ""
    cut = subject.find(named) if named else -1
    return subject[:cut] if cut >= 0 else subject


def bound_period(type_code: str | None, subject: str | None, issued: str | None) -> Period | None:
    """`period_of`, but not a period already over when the document was issued (`issued`: its full ISO
    date, if known): "Kế hoạch số 15/KH-UBND ngày 10/01/2025 … về tổ chức Hội nghị tổng kết năm 2024"
    reviews 2024, it is not bound to it."""
    period = period_of(type_code, subject)
    if period is None or (issued_year := _full_date_year(issued)) is not None and period.end < issued_year:
        return None
    return period


def _full_date_year(value: str | None) -> int | None:
    """The year of a full ISO date ("2025-01-10"); None for a partial one or none."""
    try:
        return date.fromisoformat(value.strip()).year if value else None
    except ValueError:
        return None
