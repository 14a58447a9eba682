"""The rule layer of `kg check` (DOMAIN.md §9): knowledge that needs no registry and no corpus.

Periods ("giai đoạn 2011-2020", an annual plan "năm 2020") make a document lapse; a type word that does
not exist or does not match the symbol, or a symbol in the other system's form, is malformed; a year in a
normative symbol that differs from the date, or an issuer that cannot have issued the symbol, is
inconsistent. The data is in ontology/ (check_rules.json, doc_types.json, issuers.json).
"""

from __future__ import annotations

import json
import re
import unicodedata
from datetime import date
from functools import cache
from typing import Any

from kg.check_model import (
    Event,
    Evidence,
    LocalisedLabel,
    citation_id,
    doc_types,
    fold_text,
    rule_evidence,
    rules_data,
    status_data,
)
from kg.data import ontology_file
from kg.models import Citation
from kg.periods import bound_period, subject_until
from kg.registry import parse_id, parse_iso

# ---------------------------------------------------------------------------------------------- rules


def subject_of(c: Citation, text: str, next_start: int | None, next_end: int | None = None) -> str:
    """The cited document's subject: the extractor's, else the words after the citation up to ";". Either
    ends where the next citation starts: "Kế hoạch số 15/KH-UBND … triển khai thi hành Luật Thực hiện dân
    chủ ở cơ sở năm 2022": the year is the law's, not the plan's."""
    if c.subject:
        if next_start is None or next_end is None:
            return c.subject
        return subject_until(c.subject, text[next_start:next_end])
    limit = rules_data()["subject_max_chars"]
    end = min(len(text), c.end + limit, next_start if next_start is not None else len(text))
    tail = text[c.end : end]
    return re.split(r";|\.\s*\n|\n\s*\n", tail, maxsplit=1)[0]


def period_event(c: Citation, subject: str) -> Event | None:
    """A document bound to a period or (plan-like) to one year lapses after it. Not a period over before the
    document was issued: "Kế hoạch số 15/KH-UBND ngày 10/01/2025 … về tổ chức Hội nghị tổng kết năm 2024"
    reviews 2024, it is not bound to it."""
    if c.kind == "named":
        return None  # laws and codes cited by name are not bound to a period
    type_code = parse_id(citation_id(c) or "")["type_code"] or c.type_code
    period = bound_period(type_code, subject, c.date)
    if period is None:
        return None
    return _period(citation_id(c) or c.text, period.end, period.values, period.label)


def _period(document: str, end_year: int, values: dict[str, int], label: dict[str, str]) -> Event:
    end = date(end_year, 12, 31)
    params = {"document": document, "period": LocalisedLabel(label, values), "end": end.isoformat()}
    evidence = Evidence("rule", "rule.period", params, "rule:period (ontology/check_rules.json)",
                        rules_data()["rule_confidence"])
    return Event("expired", date(end_year + 1, 1, 1), evidence)


@cache
def _law_versions() -> tuple[dict[str, tuple[str, list[dict[str, Any]]]], dict[str, tuple[str, int]]]:
    """From ontology/named_refs.json: folded name or alias -> (name, versions in order of entry into
    force), and a version's law number -> (folded name, its index). Amending acts are left out: two acts
    named "Luật sửa đổi, bổ sung một số điều của Luật X" amend different versions of X (63/2020/QH14 the
    law of 2015, 87/2025/QH15 the law of 2025), the later one replaces nothing."""
    from kg.grammar import grammar
    from kg.resolve import fold, named_entries

    amending_re = grammar().amending_re
    by_name: dict[str, tuple[str, list[dict[str, Any]]]] = {}
    by_number: dict[str, tuple[str, int]] = {}
    for entry in named_entries():
        type_word_end = entry["name"].find(" ")
        if amending_re is not None and amending_re.match(entry["name"], type_word_end):
            continue
        versions = sorted(entry.get("versions", []), key=_in_force)
        for name in [entry["name"], *entry.get("aliases", [])]:
            by_name[fold(name)] = (entry["name"], versions)
        for index, version in enumerate(versions):
            if version.get("law_id"):
                by_number[version["law_id"]] = (fold(entry["name"]), index)
    return by_name, by_number


def _in_force(version: dict[str, Any]) -> str:
    return version.get("in_force") or f"{version['year']}-01-01"  # unlisted: from 1 January of its year


def _listed_version(c: Citation) -> tuple[str, list[dict[str, Any]], int] | None:
    """(name, versions, which one) of a law, code or constitution listed by name that `c` cites: by its
    number, else by its name and written year. None when not listed or the version is not known."""
    from kg.resolve import bare_name_key

    by_name, by_number = _law_versions()
    number = c.law_id or (citation_id(c) if c.kind == "numbered" else None)
    if number in by_number:
        folded, index = by_number[number]
        name, versions = by_name[folded]
        return name, versions, index
    if c.kind != "named" or c.year is None:
        return None
    listed = by_name.get(bare_name_key(c.name or c.text))
    if listed is None:
        return None
    same_year = [i for i, v in enumerate(listed[1]) if v["year"] == c.year]
    return (listed[0], listed[1], same_year[0]) if len(same_year) == 1 else None


# "Luật số 03/2022/QH15 sửa đổi, bổ sung một số điều của Luật Đầu tư công, Luật Nhà ở và …": the laws it
# lists are named for what they were when amended, not cited as a basis of their own.
_AMENDED_LIST = re.compile(
    r"sửa\s+đổi,?\s+bổ\s+sung\s+(?:một\s+số\s+điều\s+)?(?:của\s+)?(?:[^;:.]{0,400}?(?:,|và)\s+)?$",
    re.IGNORECASE,
)


def listed_by_amending_act(c: Citation, text: str) -> bool:
    """The citation names a law in the list of what an amending act amends ("Luật số 03/2022/QH15 sửa đổi,
    bổ sung một số điều của Luật Đầu tư công, Luật Nhà ở …"): the title of the act, not a basis of its own."""
    return _AMENDED_LIST.search(text, max(0, c.start - 500), c.start) is not None


def has_later_version(c: Citation) -> bool:
    """A law listed by name (ontology/named_refs.json) of which a later version exists."""
    listed = _listed_version(c)
    return listed is not None and listed[2] + 1 < len(listed[1])


def successor_events(c: Citation, text: str) -> list[Event]:
    """A law, code or constitution listed by name is replaced by each later version of its name from the
    day that one comes into force: a new law of the same name replaces the old one (DOMAIN.md §9). Not
    for the laws an amending act lists as what it amends."""
    listed = _listed_version(c)
    if listed is None or listed_by_amending_act(c, text):
        return []
    name, versions, index = listed
    events = []
    for later in versions[index + 1 :]:
        successor = later.get("law_id") or f"{name} {later['year']}"
        effective = _in_force(later)
        params = {"document": citation_id(c) or c.text, "successor": successor, "name": name,
                  "year": later["year"], "effective": effective}
        evidence = Evidence("rule", "rule.new_version", params, "rule:new_version (ontology/named_refs.json)",
                            rules_data()["rule_confidence"])
        events.append(Event("replaced", parse_iso(effective), evidence, suggestion=successor))
    return events


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


@cache
def _type_names() -> dict[str, dict[str, Any]]:
    """Folded type name or written variant -> {"name", "typo", "entry"}."""
    names: dict[str, dict[str, Any]] = {}
    for entry in doc_types():
        names[fold_text(entry["name"])] = {"name": entry["name"], "typo": False, "entry": entry}
        for variant in entry.get("variants", []):
            names[fold_text(variant["written"])] = {"name": entry["name"], "typo": bool(variant.get("typo")),
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
        known = names.get(fold_text(" ".join(tokens[-size:])))
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
            distance = _edit_distance(fold_text(written), fold_text(expected[0]["name"]))
            if 0 < distance <= 2 and distance * 2 < len(expected[0]["name"]):
                return [(rule_evidence("rule.type_word_typo", params | {"written": written}),
                         expected[0]["name"])]
        return []
    if known["typo"]:
        return [(rule_evidence("rule.type_word_typo", params | {"written": written}), known["name"])]
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
    return [(rule_evidence(message, params | {"written": written}), expected[0]["name"])]


def _system_of(parts: dict[str, Any]) -> str:
    """party for the Party form; front when an issuer in the symbol is of the Front; else state."""
    if parts["form"] == "party":
        return "party"
    known = issuer_systems()
    components = [re.sub(r"\d+$", "", x) for x in re.split(r"[-/]", str(parts["symbol"] or "")) if x]
    if any(known.get(x) == {"front"} for x in components):
        return "front"
    return "state"


def _system_label(system: str) -> LocalisedLabel:
    return LocalisedLabel(status_data()["ui"][f"system_{system}"], {})


@cache
def issuer_systems() -> dict[str, set[str]]:
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
    """A symbol written in the other system's form: Party "18/NQ-TW" for 18-NQ/TW, or the reverse; a
    normative symbol whose type code is glued to its issuer code."""
    ident = written_id(c)
    parts = parse_id(ident)
    glued = _glued_finding(ident, parts)
    if glued:
        return [glued]
    if parts["form"] not in ("party", "state") or not parts["symbol"]:
        return []
    known = issuer_systems()
    if parts["form"] == "state":
        type_code, _, issuer = str(parts["symbol"]).partition("-")
    else:
        type_code, _, issuer = str(parts["symbol"]).partition("/")
    components = [x for x in re.split(r"[-/]", issuer) if x]
    if not components or not type_code:
        return []
    bare = [re.sub(r"\d+$", "", x) for x in components]  # "BCĐ389" (Ban Chỉ đạo 389) is a BCĐ
    component_systems = [known.get(x) or known.get(b) for x, b in zip(components, bare, strict=True)]
    both = set(rules_data()["issuers_in_both_systems"]["codes"])
    if any(s is None for s in component_systems) or both & {*components, *bare}:
        return []
    number = parts["number"]
    if parts["form"] == "state" and all(s == {"party"} for s in component_systems):
        expected = f"{number}-{type_code}/{issuer}"
        params = {"issuer": issuer, "expected": expected}
        return [(rule_evidence("rule.party_issuer_state_form", params), expected)]
    if parts["form"] == "party" and all("party" not in s and "front" not in s for s in component_systems) \
            and not _names_a_party_body(c.issuer):
        expected = f"{number}/{type_code}-{issuer}"
        params = {"issuer": issuer, "expected": expected}
        return [(rule_evidence("rule.state_issuer_party_form", params), expected)]
    return []


def _names_a_party_body(phrase: str | None) -> bool:
    """ "Ban Tổ chức Huyện ủy", "Đảng ủy xã": check_rules.json party_issuer_words."""
    if not phrase:
        return False
    text = fold_text(phrase).replace("uỷ", "ủy")
    return any(re.search(rf"(?<![\wÀ-ỹ]){re.escape(word)}(?![\wÀ-ỹ])", text)
               for word in rules_data()["party_issuer_words"]["words"])


def _glued_finding(ident: str, parts: dict[str, Any]) -> tuple[Evidence, str] | None:
    """ "Nghị định số 214/2025/NĐCP", "thông tư số 03/2021/TTBKHĐT" (real 1609/QĐ-TTPVHCC, 1936/QĐ-UBND): a
    normative symbol always reads TYPE-ISSUER, and a lost hyphen is a typo. Only normative symbols (with
    their year): a công văn's unit codes may read like a type and an issuer written together."""
    from kg.resolve import unglued_symbol

    if parts["form"] != "normative" or not parts["symbol"] or not parts["year"]:
        return None
    unglued = unglued_symbol(str(parts["symbol"]))
    if unglued == parts["symbol"]:
        return None
    expected = f"{parts['number']}/{parts['year']}/{unglued}"
    return rule_evidence("rule.glued_symbol", {"written": ident, "expected": expected}), expected


def year_findings(c: Citation) -> list[Evidence]:
    """The year inside a normative symbol must be the year of its date."""
    cited = parse_iso(c.date)
    year = c.year or parse_id(citation_id(c) or "")["year"]
    if cited and year and cited.year != year:
        return [rule_evidence("rule.year_mismatch", {"year": year, "cited": cited.isoformat()})]
    return []


# ---------------------------------------------------------------------------------------------- issuers


def party_bodies(phrase: str | None) -> frozenset[str]:
    """The Party central bodies an issuer phrase names ("Bộ Chính trị, Ban Bí thư" -> both)."""
    if not phrase:
        return frozenset()
    text = fold_text(phrase)
    found = set()
    for entry in rules_data()["party_central_bodies"]["bodies"]:
        if any(fold_text(name) in text for name in entry["names"]):
            found.add(entry["body"])
    return frozenset(found)


def is_party_central(c: Citation) -> bool:
    parts = parse_id(citation_id(c) or "")
    return parts["form"] == "party" and str(parts["symbol"] or "").split("/")[-1] == "TW"


@cache
def _issuer_entries() -> tuple[list[tuple[str, str]], dict[str, str | None], list[str]]:
    """(folded name, code) longest first; code -> parent; role words that may precede a name."""
    data = json.loads(ontology_file("issuers.json").read_text(encoding="utf-8"))
    names = sorted(((fold_text(n), e["code"]) for e in data["issuers"] for n in e["names"]),
                   key=lambda item: -len(item[0]))
    parents = {e["code"]: e.get("parent") for e in data["issuers"]}
    roles = [fold_text(r) for r in data.get("phrase", {}).get("roles", [])]
    return names, parents, roles


def issuer_codes_in(phrase: str | None) -> set[str]:
    """Issuer codes an issuer phrase names ("Ủy ban nhân dân tỉnh và Ban Dân vận Tỉnh ủy" -> UBND, BDVTU)."""
    if not phrase:
        return set()
    names, _, roles = _issuer_entries()
    codes = set()
    for part in re.split(r",|;| và | giữa ", fold_text(phrase)):
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
    return [(rule_evidence("rule.issuer_mismatch", params, "medium"), None)]
