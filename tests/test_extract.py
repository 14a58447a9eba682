"""kg.extract: gold seeds, Unicode forms, offsets, learned cases, real documents, the CLI contract."""

from __future__ import annotations

import json
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.extract import extract
from kg.models import Citation

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT / "tests" / "cases"
FIELDS = ("type", "number", "year", "symbol", "date", "issuer")


def numbered(citations: list[Citation]) -> list[Citation]:
    return [c for c in citations if c.kind == "numbered"]


def assert_offsets(text: str, citations: list[Citation]) -> None:
    for c in citations:
        assert 0 <= c.start < c.end <= len(text)
        assert text[c.start:c.end] == c.text


# --- gold --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def gold(shared: Path) -> dict:
    return {
        "citations": json.loads((shared / "gold" / "seed_citations.json").read_text(encoding="utf-8")),
        "named": json.loads((shared / "gold" / "seed_named.json").read_text(encoding="utf-8")),
        "seeds": shared / "seeds",
    }


@pytest.fixture(scope="module")
def seed_results(gold: dict) -> dict[str, tuple[str, list[Citation]]]:
    out = {}
    for name in gold["citations"]:
        text = (gold["seeds"] / name).read_text(encoding="utf-8")
        out[name] = (text, extract(text))
    return out


def test_numbered_citations_match_gold_in_order(gold: dict, seed_results: dict) -> None:
    for name, expected in gold["citations"].items():
        text, citations = seed_results[name]
        got = [{f: getattr(c, f) for f in FIELDS} for c in numbered(citations)]
        want = [{f: e.get(f) for f in FIELDS} for e in expected]
        assert got == want, name


def test_ids_match_gold(gold: dict, seed_results: dict) -> None:
    for name, expected in gold["citations"].items():
        got = [c.id for c in numbered(seed_results[name][1])]
        assert got == [e["id"] for e in expected], name


def test_named_references_match_gold(gold: dict, seed_results: dict) -> None:
    for name, expected in gold["named"].items():
        got = [c for c in seed_results[name][1] if c.kind == "named"]
        assert [(c.name, c.law_id, c.pinpoint) for c in got] == [
            (e["name"], e.get("law_id"), e.get("pinpoint")) for e in expected
        ], name
        for c, e in zip(got, expected, strict=True):
            if "year" in e:
                assert c.year == e["year"]


def test_seed_offsets_are_exact(seed_results: dict) -> None:
    for text, citations in seed_results.values():
        assert_offsets(text, citations)


# --- Unicode -------------------------------------------------------------------------------------


_TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"


def _windows_1258_style(text: str) -> str:
    """Base letters precomposed (â, ơ, ư), tone marks left combining: how Windows-1258 text decodes."""
    out: list[str] = []
    base, tones = "", ""
    for ch in unicodedata.normalize("NFD", text) + " ":
        if unicodedata.combining(ch):
            if ch in _TONE_MARKS:
                tones += ch
            else:
                base += ch
            continue
        out.append(unicodedata.normalize("NFC", base) + tones)
        base, tones = ch, ""
    return "".join(out)


@pytest.mark.parametrize("form", ["NFD", "1258"])
def test_decomposed_input_gives_same_fields_and_exact_offsets(seed_results: dict, form: str) -> None:
    for text, expected in seed_results.values():
        variant = unicodedata.normalize("NFD", text) if form == "NFD" else _windows_1258_style(text)
        assert variant != text
        got = extract(variant)
        assert_offsets(variant, got)
        strip = ("start", "end", "text")
        assert [{k: v for k, v in c.to_dict().items() if k not in strip} for c in got] == [
            {k: v for k, v in c.to_dict().items() if k not in strip} for c in expected
        ]


# --- no spaCy in the core -------------------------------------------------------------------------


def test_core_and_cli_do_not_import_spacy() -> None:
    code = (
        "import sys, kg.extract, kg.cli; kg.extract.extract('Chỉ thị số 33/CT-TTg'); "
        "print('spacy' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "False"


# --- learned cases (tests/cases/*.json: snippets of real documents with the expected citations) ----------


def _cases() -> list[tuple[str, dict]]:
    out = []
    for path in sorted(CASES.glob("*.json")):
        out += [(path.stem, case) for case in json.loads(path.read_text(encoding="utf-8"))]
    return out


@pytest.mark.parametrize(("table", "case"), _cases(), ids=lambda v: v["note"] if isinstance(v, dict) else v)
def test_learned_case(table: str, case: dict) -> None:
    citations = extract(case["text"])
    assert_offsets(case["text"], citations)
    pairs = zip(citations, case["expect"], strict=False)
    got = [{k: getattr(c, k) for k in expected} for c, expected in pairs]
    assert len(citations) == len(case["expect"]) and got == case["expect"], case["note"]
    if table == "negatives":
        assert citations == []


def test_learned_cases_keep_their_fields_under_nfd() -> None:
    for _, case in _cases():
        nfd = unicodedata.normalize("NFD", case["text"])
        fields = [(c.kind, c.type, c.number, c.symbol, c.date, c.issuer, c.name) for c in extract(nfd)]
        assert fields == [(c.kind, c.type, c.number, c.symbol, c.date, c.issuer, c.name)
                          for c in extract(case["text"])]


# --- real documents: nothing breaks, offsets hold ---------------------------------------------------------


def test_every_real_document_extracts_with_exact_offsets(shared: Path) -> None:
    paths = sorted((shared / "realdocs").glob("*.txt"))
    assert len(paths) >= 20
    total = 0
    for path in paths:
        text = path.read_text(encoding="utf-8")
        citations = extract(text)
        assert_offsets(text, citations)
        assert all(c.kind in ("numbered", "named") for c in citations)
        assert [c.start for c in citations] == sorted(c.start for c in citations)
        for c in citations:
            if c.kind == "numbered":
                assert c.number and c.symbol and c.id and c.id.startswith(c.number)
                assert " " not in c.symbol
            else:
                assert c.name
        total += len(citations)
    assert total > 300


def test_repeats_and_derived_fields() -> None:
    text = (
        "Thực hiện Chỉ thị số 33/CT-TTg ngày 26/11/2021 của Thủ tướng Chính phủ về tăng cường công tác "
        "dân vận; Nghị quyết số 18-NQ/TW của Ban Chấp hành Trung ương; theo Chỉ thị số 33/CT-TTg."
    )
    first, party, again = extract(text)
    assert (first.id, first.system, first.type_code, first.issuer_code) == ("33/CT-TTg", "state", "CT", "TTg")
    assert first.subject == "về tăng cường công tác dân vận"
    assert (party.id, party.system, party.type_code, party.issuer_code) == ("18-NQ/TW", "party", "NQ", "TW")
    assert again.repeat and not first.repeat
    assert (again.date, again.issuer) == ("2021-11-26", "Thủ tướng Chính phủ")  # from the first mention


def test_same_number_with_another_date_is_not_a_repeat() -> None:
    text = "Chỉ thị số 16/CT-TTg ngày 16/5/2016 và Chỉ thị số 16/CT-TTg ngày 31/3/2020 của Thủ tướng"
    a, b = extract(text)
    assert not b.repeat and (a.date, b.date) == ("2016-05-16", "2020-03-31")


def test_compact_coordination_gives_one_citation_per_number() -> None:
    text = "theo Quyết định số 217, \n\n218-QĐ/TW ngày 12/12/2013 của Ban Chấp hành Trung ương ban hành"
    a, b = extract(text)
    assert (a.number, b.number) == ("217", "218")
    for c in (a, b):
        assert (c.symbol, c.date, c.type) == ("QĐ/TW", "2013-12-12", "Quyết định")
        assert c.issuer == "Ban Chấp hành Trung ương"
    assert a.text == "Quyết định số 217" and b.text == "218-QĐ/TW"


def test_adversarial_inputs_finish() -> None:
    """Long runs of the grammar's own pieces: each must be read in linear time (no assertion on time,
    but a catastrophic pattern would hang this test)."""
    pieces = ["1/AB ", "số ", "Luật Ab ", "1-AB/CD ", "Quyết định số 1/QĐ-UBND ngày 1/1/2020 của UBND tỉnh ",
              "1/" + "A-" * 50, "của " + "Ab " * 50, "\u0301", "Điều 1, ", "ngày 1/1/", "và ", "-", " "]
    for piece in pieces:
        text = piece * (20_000 // len(piece))
        assert_offsets(text, extract(text))


# --- the CLI contract -------------------------------------------------------------------------------------


def _kg(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kg.cli", *args], capture_output=True, text=True, cwd=ROOT)


def test_cli_jsonl_prints_one_object_per_citation(corpus: Path) -> None:
    out = _kg("extract", str(corpus), "--format", "jsonl")
    assert out.returncode == 0, out.stderr
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    files = sorted(corpus.glob("*.txt"))
    assert {Path(r["file"]).name for r in rows} == {p.name for p in files}
    for key_ in ("file", "start", "end", "text", "kind", "type", "number", "year", "symbol", "date", "issuer",
                 "name"):
        assert all(key_ in r for r in rows)
    first_file = files[0]
    text = first_file.read_text(encoding="utf-8")
    mine = [r for r in rows if Path(r["file"]).name == first_file.name]
    expected = [(c.start, c.id or c.name) for c in extract(text)]
    assert [(r["start"], r["id"] or r["name"]) for r in mine] == expected
    assert all(text[r["start"]:r["end"]] == r["text"] for r in mine)


def test_cli_json_and_table(corpus: Path) -> None:
    path = str(sorted(corpus.glob("*.txt"))[0])
    as_json = _kg("extract", path, "--format", "json")
    assert as_json.returncode == 0 and len(json.loads(as_json.stdout)) == len(extract(Path(path).read_text()))
    table = _kg("extract", path)
    assert table.returncode == 0 and "33/CT-TTg" in table.stdout


def test_cli_reports_bad_files_and_goes_on(tmp_path: Path, corpus: Path) -> None:
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.4 not really")
    good = sorted(corpus.glob("*.txt"))[0]
    out = _kg("extract", str(bad), str(tmp_path / "missing.txt"), str(good), "--format", "jsonl")
    assert out.returncode == 1
    assert "broken.pdf" in out.stderr and "missing.txt" in out.stderr
    lines = out.stdout.splitlines()
    assert lines and all(json.loads(line)["file"] == str(good) for line in lines)


def test_cli_usage_errors_exit_2(corpus: Path) -> None:
    assert _kg("extract", str(corpus), "--format", "xml").returncode == 2
    assert _kg("extract").returncode == 2


# --- fast scanners: the same matches as the plain patterns they stand for ----------------------------

_SCAN_PIECES = [
    "1", "20", "2021", "٣", "/", "-", " ", "\t", "\n", ".", ":", "_", "a", "đ", "x", "A",
    "CT", "TTg", "NĐ", "Q", "số ", "Luật", "LUẬT", "Bộ luật", "BỘ", "Hiến", "HIẾN PHÁP", "PHÁP LỆNH",
    "Pháp", "lệnh", "Nghị quyết", "nghị", "quyết", "NQ", "nq", "hoá", "Uỷ", "quý", "Ð",
    "\u00a0", "\u2013", "\u0301", "\u0323", "e\u0302\u0301", "Р", "а", "\u0400", "\u047f", "\u2011",
]
# numbers of every length the core pattern takes (and one more), spaces before the separator up to 5
_SCAN_NUMBERS = st.from_regex(r"\A\d{1,7}(\.\d{1,4})?[a-zđ]?[ \t]{0,5}[-/]\Z")
_scan_texts = st.lists(st.sampled_from(_SCAN_PIECES) | _SCAN_NUMBERS, max_size=30).map("".join)


@settings(max_examples=200, deadline=None)
@given(_scan_texts)
def test_fast_scanners_match_the_plain_patterns(text: str) -> None:
    import re

    from kg import extract as module
    from kg.grammar import _OLD_STYLE_RE, _new_style, clean, fold, grammar

    g = grammar()
    work = fold(text)
    assert [(m.span(), m.groupdict()) for m in module._cores(work)] == \
        [(m.span(), m.groupdict()) for m in module._CORE_RE.finditer(work)]
    assert [m.span() for m in module._anchor_matches(g, work)] == \
        [m.span() for m in g.named_anchor_re.finditer(work)]
    assert fold(text) == _OLD_STYLE_RE.sub(_new_style, clean(text))
    utf8 = text.encode("utf-8", "surrogatepass")
    assert clean(text, utf8) == clean(text)  # the byte test for Cyrillic look-alikes
    composed, clusters = module._nfc_with_clusters(text, utf8)
    cluster = re.compile(r"[^\u0300-\u036f][\u0300-\u036f]+")
    assert composed == cluster.sub(lambda m: unicodedata.normalize("NFC", m.group()), text)
    assert sum(length - new_length for _, new_length, _, length in clusters) == len(text) - len(composed)


# --- shortcut readings: what the general (tokenising) reading gives ------------------------------------

_READ_PIECES = [
    "Quyết định", "quyết định", "QĐ", "Qđ", "NQ", "Nghị quyết", "Nghị \n\nquyết", "Thông tư", "văn bản",
    "Luật", "số", "Số", "SỐ", "ſố", "số số", "a/số", "x.y", " ", "  ", "\n", ",", ";", ":", "(", ".", "/",
    "-", "theo", "tại", "ban hành", "giao", "kèm theo", "và", "Mẫu", "mã", "của", "về việc",
    "Thủ tướng Chính phủ", "Chính phủ", "Chính phủ.Tiếp", "Bộ Tài chính", "Ủy ban nhân dân", "UBND", "tỉnh",
    "Bộ Nội vụ", "Nghệ An", "Tỉnh ủy", "Chủ tịch", "I.", "33/CT-TTg", "12/QĐ-UBND", "59/2023/NĐ-CP",
    "217, 218-QĐ/TW",
    "ngày 5/3/2020", "Quyết định số 12/QĐ-UBND", "Nghị quyết 59/2023/NĐ-CP", "văn bản số 33/CT-TTg",
    "theo Thông tư số 12/QĐ-UBND", "NQ số 33/CT-TTg", "đã ban hành Quyết định số 217, 218-QĐ/TW",
    "33/ /CT- số 33/CT /TTg", "2020) số 12/QĐ-UBND", "sỐ 59/2023/NĐ-CP", "66.4/QĐ-UBND", "\t30c/NQ-CP",
]
_read_texts = st.lists(st.sampled_from(_READ_PIECES), max_size=40).map(" ".join) | \
    st.lists(st.sampled_from(_READ_PIECES), max_size=40).map("".join)


@settings(max_examples=300, deadline=None)
@given(_read_texts)
def test_shortcut_readings_match_the_general_ones(text: str) -> None:
    """The left reading on the reversed text and the central-issuer shortcut are exact stand-ins."""
    from kg import extract as module

    reader = module._Reader(module.prepare(text))
    work, floor = reader.work, 0
    for m in module._cores(work):
        lo = max(floor, m.start() - module._SHORT_LEFT_WINDOW)
        quick_readings = (reader._quick_left(m.start(), lo, floor),
                          reader._quick_left_after_mark(m.start(), lo, floor),
                          reader._quick_left_nothing(m.start(), lo, floor))
        for quick in quick_readings:
            if quick is not None:
                assert quick == reader._general_left(m, floor, lo)
        floor = m.end()
    names = reader.g.issuer_name_re
    for pos in range(len(work)):
        if not work[pos].isupper():
            continue  # no phrase starts there: both readings give None
        for limit, joins in ((len(work), 0), (min(len(work), pos + 25), 0), (len(work), 1)):
            full_end = min(limit, pos + module._ISSUER_WINDOW)
            general = reader._issuer_span(module._LazyTokens(work, pos, full_end), limit, None, -1, joins)
            first = names.match(work, pos, limit)  # the name issuer() matches once for both readings
            tokens = module._LazyTokens(work, pos, full_end)
            assert reader._issuer_span(tokens, limit, first, pos, joins) == general
            quick = reader._complete_issuer(first, pos, full_end, joins) if first is not None else None
            if quick is not None:
                assert quick == general


@pytest.mark.slow
def test_a_file_with_50000_citations_is_read_and_extracted_whole(tmp_path):
    """A hostile-size input (issue: 'a file with 50,000 citations'): every citation found, offsets exact."""
    from kg.ingest import read_document

    lines = [
        f"{i}. Thực hiện Quyết định số {i}/QĐ-UBND ngày {1 + i % 28:02d}/{1 + i % 12:02d}/20{10 + i % 15} "
        "của Ủy ban nhân dân tỉnh;"
        for i in range(1, 50_001)
    ]
    path = tmp_path / "many.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    document = read_document(path)
    citations = extract(document.text)
    assert len(citations) == 50_000
    assert [c.number for c in citations[:3]] == ["1", "2", "3"] and citations[-1].number == "50000"
    assert all(document.text[c.start:c.end] == c.text for c in citations)
    assert {c.symbol for c in citations} == {"QĐ-UBND"}


def test_numbered_citations_are_built_in_the_models_field_order():
    """kg.extract builds Citation positionally (speed): its argument order must follow kg.models."""
    from dataclasses import fields

    from kg.extract import CITATION_FIELDS
    from kg.models import Citation

    assert CITATION_FIELDS == tuple(f.name for f in fields(Citation))[:len(CITATION_FIELDS)]
    c = extract("Chỉ thị số 33/CT-TTg ngày 26/11/2021 của Thủ tướng Chính phủ về việc tăng cường")[0]
    assert (c.type, c.id, c.date, c.issuer, c.subject) == (
        "Chỉ thị", "33/CT-TTg", "2021-11-26", "Thủ tướng Chính phủ", "về việc tăng cường")


_RIGHT_PIECES = [" ", "\n", ",", "ngày", "Ngày", "NGÀY", "26", "/", "11", "2021", ".", "-", "tháng", "năm",
                 "của", "CỦA", "giữa", "Thủ tướng", "1", "2", "3"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_RIGHT_PIECES), max_size=16).map("".join), st.integers(0, 40))
def test_date_and_introducer_in_one_match_read_as_apart(text: str, cut: int) -> None:
    from kg import extract as module
    from kg.grammar import grammar

    g = grammar()
    limit = max(0, len(text) - cut)
    both = module._date_and_introducer_re(g.introducer_re.pattern).match(text, 0, limit)
    date = module._DATE_RE.match(text, 0, limit)
    pos = date.end() if date else 0
    intro = g.introducer_re.match(text, pos, limit)
    dated, introduced = both.group("dated") is not None, both.group("intro") is not None
    assert (both.span("dated") if dated else None) == (date.span() if date else None)
    assert (both.span("intro") if introduced else None) == (intro.span() if intro else None)


def test_subject_stop_examples_end_the_subject_before_the_predicate() -> None:
    """doc_types.json subject_stops examples: the first citation's subject is the one listed."""
    data = json.loads((ROOT / "ontology" / "doc_types.json").read_text(encoding="utf-8"))["subject_stops"]
    assert data["examples"]
    for example in data["examples"]:
        assert extract(example["text"])[0].subject == example["subject"], example["text"]
