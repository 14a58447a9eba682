"""The grammar data in ontology/: every file validates against its schema, every example extracts to its entry
(the reporters-db pattern), and a property test builds citations from the same data."""

from __future__ import annotations

import json
import re
import unicodedata

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.data import ontology_file
from kg.extract import extract, prepare
from kg.grammar import fold, grammar, key, load

DATA_FILES = ("doc_types", "issuers", "named_refs")


@pytest.mark.parametrize("name", DATA_FILES)
def test_data_file_validates_against_its_schema(name: str) -> None:
    schema = json.loads(ontology_file("schema", f"{name}.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(load(f"{name}.json"), schema)


def _type_examples() -> list[tuple[str, set[str], str]]:
    out = []
    for entry in load("doc_types.json")["types"]:
        names = {entry["name"]} | {v["written"] for v in entry.get("variants", []) if v.get("typo")}
        out += [(entry["name"], names, example) for example in entry["examples"]]
    return out


@pytest.mark.parametrize(("entry", "names", "example"), _type_examples())
def test_type_example_extracts_to_its_type(entry: str, names: set[str], example: str) -> None:
    types = {c.type for c in extract(example)}
    assert types & names, f"{example!r} gave types {types}, expected {entry}"


@pytest.mark.parametrize("noun", load("doc_types.json").get("common_nouns", []))
def test_a_common_noun_ending_with_a_type_word_is_no_type_word(noun: str) -> None:
    text = f"Căn cứ Luật Phổ biến, giáo dục {noun} số 14/2012/QH13;"
    (citation,) = extract(text)
    assert text[citation.start:].startswith("Luật Phổ biến"), citation


def test_every_type_with_a_symbol_code_has_an_example() -> None:
    for entry in load("doc_types.json")["types"]:
        assert entry["examples"], entry["name"]


def _issuer_examples() -> list[tuple[dict, str]]:
    return [(entry, example) for entry in load("issuers.json")["issuers"] for example in entry["examples"]]


def _code_pieces(issuer_code: str | None) -> set[str]:
    return {p.rstrip("0123456789") for p in re.split(r"[-/]", (issuer_code or "").upper())}


def _entry_id(value: object) -> str:
    return str(value.get("code") or value.get("name")) if isinstance(value, dict) else ""


def _dashes(text: str) -> str:
    return re.sub(r"\s*-\s*", " - ", text)


@pytest.mark.parametrize(("entry", "example"), _issuer_examples(), ids=_entry_id)
def test_issuer_example_extracts_to_its_issuer(entry: dict, example: str) -> None:
    citations = [c for c in extract(example) if c.kind == "numbered"]
    matching = [c for c in citations if entry["code"].upper() in _code_pieces(c.issuer_code)]
    assert matching, f"{example!r}: no citation with issuer code {entry['code']}"
    c = matching[0]
    assert c.system == entry["system"], example
    if re.search(r"\b(của|giữa)\b", example, re.IGNORECASE):
        assert c.issuer, example
        names = [_dashes(key(n)) for n in entry["names"]]
        issuer = _dashes(key(c.issuer))  # the issuer as written: "Bộ Văn hóa- Thông tin"
        assert any(n in issuer or issuer in n for n in names), (example, c.issuer)


def _law_examples() -> list[tuple[dict, str]]:
    named = load("named_refs.json")
    laws = named["laws"] + named["amending"]["laws"]
    return [(law, example) for law in laws for example in law["examples"]]


@pytest.mark.parametrize(("law", "example"), _law_examples(), ids=_entry_id)
def test_law_example_extracts_to_its_law(law: dict, example: str) -> None:
    known = [key(law["name"])] + [key(a) for a in law.get("aliases", [])]
    found = [c for c in extract(example) if c.kind == "named"]
    named = [c for c in found if any(key(c.name).startswith(k) for k in known)]
    assert named, example
    c = named[0]
    ids = {v["law_id"] for v in law["versions"]}
    assert c.law_id in ids, (example, c.law_id, ids)


def _amending_examples() -> list[dict]:
    return load("named_refs.json")["amending"]["examples"]


@pytest.mark.parametrize("example", _amending_examples(), ids=lambda e: e["text"][:40])
def test_amending_law_example_gives_it_and_the_laws_it_names(example: dict) -> None:
    assert [c.name for c in extract(example["text"]) if c.kind == "named"] == example["names"]


def _party_examples() -> list[tuple[str, str]]:
    return [(p["kind"], example) for p in load("named_refs.json")["party"] for example in p["examples"]]


@pytest.mark.parametrize(("kind", "example"), _party_examples())
def test_party_example_extracts_a_named_party_reference(kind: str, example: str) -> None:
    named = [c for c in extract(example) if c.kind == "named"]
    assert len(named) == 1, example
    c = named[0]
    assert c.system == "party" and c.name.startswith(("Nghị quyết", "nghị quyết"))
    regex = dict(grammar().party_res)[kind]
    assert regex.fullmatch(fold(" ".join(c.name.split()))), c.name


def test_fold_keeps_length_and_moves_old_style_tones() -> None:
    for old, new in (("khoá", "khóa"), ("Uỷ ban", "Ủy ban"), ("hoà", "hòa"), ("thoả thuận", "thỏa thuận")):
        assert fold(old) == new and len(fold(old)) == len(old)
    assert fold("quý") == "quý" and fold("hoàng") == "hoàng"  # qu- and closed syllables keep their tone
    assert fold("BТС") == "BTC"  # Cyrillic look-alikes


def test_prepare_maps_offsets_of_decomposed_text() -> None:
    text = unicodedata.normalize("NFD", "Nghị định số 59/2023/NĐ-CP")
    p = prepare(text)
    assert len(p.work) < len(text)
    assert p.to_original(len(p.work)) == len(text)
    i = p.work.index("59")
    assert text[p.to_original(i):p.to_original(i + 2)] == "59"


# --- property test: citations generated from the grammar data ------------------------------------

FILLER = ["Tiếp tục triển khai thực hiện hiệu quả", "nhằm nâng cao chất lượng công tác dân vận",
          "trên địa bàn tỉnh", "các cơ quan, đơn vị", "theo tinh thần", "đồng thời bảo đảm"]


def _state_types() -> list[tuple[str, str]]:
    return [(t["name"], t["codes"][0]) for t in load("doc_types.json")["types"]
            if t["codes"] and "state" in t["systems"] and t["name"] not in ("Công văn", "Lệnh")]


def _party_types() -> list[tuple[str, str]]:
    types = load("doc_types.json")["types"]
    return [(t["name"], t["codes"][0]) for t in types if t["codes"] and "party" in t["systems"]]


def _issuers(system: str) -> list[tuple[str, str]]:
    return [(e["code"], e["names"][0]) for e in load("issuers.json")["issuers"]
            if e["system"] == system and e["level"] == "central" and "," not in e["names"][0]]


def _gap(draw, allow_newline: bool = True) -> str:
    gaps = [" ", " ", "  ", "\n", " \n\n", "\n\n12\n\n"] if allow_newline else [" ", "  "]
    return draw(st.sampled_from(gaps))


@st.composite
def citation_case(draw):
    party = draw(st.booleans())
    type_name, type_code = draw(st.sampled_from(_party_types() if party else _state_types()))
    issuer_code, issuer_name = draw(st.sampled_from(_issuers("party" if party else "state")))
    number = draw(st.from_regex(r"[1-9]\d{0,3}|0[1-9]|[1-9]\d?[a-c]", fullmatch=True))
    year = None if party else draw(st.one_of(st.none(), st.integers(1990, 2030)))
    symbol = f"{type_code}/{issuer_code}" if party else f"{type_code}-{issuer_code}"
    sep = "-" if party else "/"
    core_sep = draw(st.sampled_from([sep, f"{sep}\n", f" {sep}", f"{sep} "]))
    core = f"{number}{core_sep}{year}/{symbol}" if year else f"{number}{core_sep}{symbol}"
    so = draw(st.sampled_from(["số ", "số\n", "", "số  "]))
    words = type_name.split()
    written_type = words[0] + "".join(_gap(draw) + w for w in words[1:])
    day, month, y = draw(st.integers(1, 28)), draw(st.integers(1, 12)), draw(st.integers(1990, 2030))
    date_text = draw(st.sampled_from([f"{day}/{month}/{y}", f"{day:02d}/{month:02d}/{y}",
                                      f"{day} tháng {month} năm {y}"]))
    dated = draw(st.booleans())
    tail = f"{_gap(draw)}ngày {date_text}" if dated else ""
    with_issuer = draw(st.booleans())
    tail += f" của{_gap(draw)}{issuer_name}" if with_issuer else ""
    text = f"{written_type}{_gap(draw, False) if not so else ' '}{so}{core}{tail}"
    before, after = draw(st.sampled_from(FILLER)), draw(st.sampled_from(FILLER))
    expected = {
        "type": type_name, "number": number, "year": year, "symbol": symbol,
        "date": f"{y:04d}-{month:02d}-{day:02d}" if dated else None,
        "issuer": issuer_name if with_issuer else None,
    }
    document = f"{before} {text}; {after}."
    if draw(st.booleans()):  # decomposed input must give the same fields, offsets into it
        document, text = unicodedata.normalize("NFD", document), unicodedata.normalize("NFD", text)
    return document, text, expected


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(citation_case())
def test_generated_citations_are_found_with_exact_fields_and_offsets(case) -> None:
    document, written, expected = case
    citations = [c for c in extract(document) if c.kind == "numbered"]
    assert len(citations) == 1, (document, citations)
    c = citations[0]
    assert {f: getattr(c, f) for f in expected} == expected, document
    assert document[c.start:c.end] == c.text
    start = document.index(written)
    assert c.start == start
    assert written.startswith(c.text)


@st.composite
def coordinated_case(draw):
    """ "Quyết định số 217, 218-QĐ/TW ngày …", "Quyết định số 217-QĐ/TW và Quyết định số 218-QĐ/TW ngày …"."""
    type_name, type_code = draw(st.sampled_from(_party_types()))
    issuer_code, issuer_name = draw(st.sampled_from(_issuers("party")))
    numbers = draw(st.lists(st.integers(1, 999), min_size=2, max_size=4, unique=True))
    symbol = f"{type_code}/{issuer_code}"
    day, month, year = draw(st.integers(1, 28)), draw(st.integers(1, 12)), draw(st.integers(1990, 2030))
    if draw(st.booleans()):
        listed = ", ".join(str(n) for n in numbers[:-1])
        body = f"{type_name} số {listed},{_gap(draw)}{numbers[-1]}-{symbol}"
    else:
        body = " và ".join(f"{type_name} số {n}-{symbol}" for n in numbers)
    text = f"Tiếp tục thực hiện {body} ngày {day}/{month}/{year} của {issuer_name} về công tác dân vận."
    iso = f"{year:04d}-{month:02d}-{day:02d}"
    fields = {"type": type_name, "symbol": symbol, "date": iso, "issuer": issuer_name}
    expected = [{"number": str(n), **fields} for n in numbers]
    return text, expected


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(coordinated_case())
def test_coordinated_numbers_share_date_and_issuer(case) -> None:
    text, expected = case
    citations = [c for c in extract(text) if c.kind == "numbered"]
    assert [{f: getattr(c, f) for f in expected[0]} for c in citations] == expected, text
    for c in citations:
        assert text[c.start:c.end] == c.text


@pytest.mark.parametrize("example", load("places.json")["kind_abbreviations"]["examples"])
def test_an_abbreviated_place_kind_keeps_the_place_in_the_issuer(example: str) -> None:
    (citation,) = [c for c in extract(example) if c.kind == "numbered"]
    kinds = load("places.json")["kind_abbreviations"]["abbreviations"]
    assert citation.issuer and any(f"{k}. " in citation.issuer for k in kinds), citation.issuer
    assert citation.subject and citation.subject.startswith("về"), citation.subject
