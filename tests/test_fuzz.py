"""Adversarial text for the extractor and the stages after it: no exception, offsets that hold.

Hypothesis builds arbitrary Unicode and text from grammar fragments (type words, "số", digits, "/",
"-", issuer symbols, dates, line breaks). The worst inputs found for speed are kept in
tests/cases/adversarial/ and run here for correctness only; their speed is measured by
benchmarks/run.py (the "Extractor worst case" section), never asserted by a timed test.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.extract import extract
from kg.graph import relate_mentions
from kg.metadata import read_metadata

CASES = Path(__file__).parent / "cases" / "adversarial"

FRAGMENTS = [
    "Chỉ thị", "chỉ thị", "CHỈ THỊ", "Nghị quyết", "Quyết định", "Thông tư", "Kết luận", "Luật", "Bộ luật",
    "Nghị định", "Kế hoạch", "Hướng dẫn", "Công văn", "Hiến pháp", "Quy định", "Thông báo", "Văn bản",
    "số", "Số", "số:", "sè", "No.", "ngày", "tháng", "năm", "của", "về việc", "về", "và", "tại", "khoản",
    "Điều", "điểm", "Chương", "Mục", "sửa đổi, bổ sung", "thay thế", "bãi bỏ", "căn cứ", "Căn cứ",
    "CT", "TTg", "NQ", "TW", "QĐ", "UBND", "HĐND", "NĐ", "CP", "BCT", "BCH", "TU", "HU", "ĐU", "QH", "BTC",
    "KH", "BDVTW", "QĐi", "KL", "HD", "TB", "Đảng", "Thủ tướng Chính phủ", "Ban Chấp hành Trung ương",
    "Ủy ban nhân dân tỉnh", "Bình Định", "huyện", "xã",
    "33", "05", "1", "2021", "2023", "1998", "30c", "66.4", "0", "000000000000", "9" * 30,
    "/", "//", "-", "–", "—", ".", ",", ";", ":", "(", ")", "«", "»", '"', "“", "”", "…", "/CT-TTg",
    "/2023/NĐ-CP", "-CT/TW", "-NQ/TW", "/NQ-CP", "/QĐ-UBND", "26/11/2021", "26-11-2021", "31/02/2021",
    "ngày 26 tháng 11 năm 2021", "ngày   tháng   năm 2025", "\n", "\r\n", "\n\n", "\t", " ", "  ", "\u00a0",
    "\u200b", "\ufeff", "\u0301", "\u0323", "ố", "Đ", "đ", "İ", "ß", "ﬁ", "\U0001f600", "\x00", "\x1a",
]

grammar_text = st.lists(st.sampled_from(FRAGMENTS), max_size=60).map("".join)
spaced_grammar_text = st.lists(st.sampled_from(FRAGMENTS), max_size=60).map(" ".join)
any_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=400)
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _assert_sound(text: str) -> None:
    citations = extract(text)
    for citation in citations:
        assert 0 <= citation.start < citation.end <= len(text), citation
        assert text[citation.start : citation.end] == citation.text, citation
        assert citation.kind in ("numbered", "named")
    ordered = sorted(citations, key=lambda c: (c.start, c.end))
    relate_mentions(text, ordered)  # the graph stage after extraction: sentences, sections, cues
    read_metadata(text)


@FUZZ
@given(any_text)
def test_arbitrary_unicode_text(text: str) -> None:
    _assert_sound(text)


@FUZZ
@given(grammar_text)
def test_text_glued_from_grammar_fragments(text: str) -> None:
    _assert_sound(text)


@FUZZ
@given(spaced_grammar_text)
def test_text_spaced_from_grammar_fragments(text: str) -> None:
    _assert_sound(text)


@FUZZ
@given(st.lists(st.tuples(st.sampled_from(FRAGMENTS), any_text.map(lambda t: t[:20])), max_size=25))
def test_grammar_fragments_between_random_text(parts: list[tuple[str, str]]) -> None:
    _assert_sound("".join(fragment + noise for fragment, noise in parts))


def test_a_real_citation_survives_hostile_surroundings() -> None:
    citation = "Chỉ thị số 33/CT-TTg ngày 26/11/2021 của Thủ tướng Chính phủ"
    for noise in ("/" * 5000, "9" * 5000, "số " * 2000, "\x00" * 100, "\u0301" * 500, "-" * 5000):
        text = noise + "\n" + citation + "\n" + noise
        found = [c for c in extract(text) if c.id == "33/CT-TTg"]
        assert found, noise[:10]
        assert text[found[0].start : found[0].end] == found[0].text


@pytest.mark.parametrize("case", sorted(CASES.glob("*.txt")), ids=lambda p: p.stem)
def test_kept_worst_cases_extract_without_error(case: Path) -> None:
    """Regression inputs that were slowest per MB when found; correctness here, speed in benchmarks/."""
    _assert_sound(case.read_text(encoding="utf-8"))


def test_the_worst_cases_are_kept() -> None:
    assert len(list(CASES.glob("*.txt"))) >= 1
