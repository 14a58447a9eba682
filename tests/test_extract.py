"""kg.extract: gold seeds, Unicode forms, offsets, learned cases, real documents, the CLI contract."""

from __future__ import annotations

import json
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

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
