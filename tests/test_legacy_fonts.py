"""kg.legacy_fonts: TCVN3 and VNI detection and conversion, and no false alarms on Unicode text."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures_gen import TCVN3_EXPECTED, TCVN3_SAMPLE, VIETNAMESE, VNI_EXPECTED, VNI_SAMPLE

from kg import legacy_fonts
from kg.legacy_fonts import TCVN3_FONT, VNI_FONT, detect, to_unicode

LOWER = (
    "àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ"
)


def test_tcvn3_table_covers_every_lower_case_vietnamese_letter_once() -> None:
    values = list(legacy_fonts.TCVN3.values())
    for letter in LOWER:
        assert values.count(letter) == 1, letter


def test_vni_table_covers_every_vietnamese_letter_in_both_cases() -> None:
    produced = set(legacy_fonts._vni_table().values())
    assert set(LOWER) <= produced
    assert set(LOWER.upper()) <= produced


@pytest.mark.parametrize(
    ("legacy", "font", "expected"),
    [
        (TCVN3_SAMPLE, TCVN3_FONT, TCVN3_EXPECTED),
        (VNI_SAMPLE, VNI_FONT, VNI_EXPECTED),
        (
            "CéNG HOµ X· HéI CHñ NGHÜA VIÖT NAM\nQuyÕt ®Þnh",
            TCVN3_FONT,
            "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM\nQuyết định",
        ),
        ("COÄNG HOØA XAÕ HOÄI CHUÛ NGHÓA VIEÄT NAM", VNI_FONT, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
    ],
    ids=["tcvn3", "vni", "tcvn3_capitals_font", "vni_capitals"],
)
def test_detects_and_converts(legacy: str, font: legacy_fonts.LegacyFont, expected: str) -> None:
    assert detect(legacy) is font
    assert to_unicode(legacy, font) == expected


@pytest.mark.parametrize(
    "text",
    [
        VIETNAMESE,
        "Plain English text about Decree 59/2023/ND-CP and Directive 33/CT-TTg.",
        "Le café où je suis allé est très joli, déjà vu à côté de l'hôtel.",
        "Über die Straße nach Österreich, «Gesetz» und Gemüse.",
        "El niño está en la canción del corazón, señor.",
        "",
        (VIETNAMESE * 3).encode("utf-8").decode("latin-1"),
    ],
    ids=["vietnamese", "english", "french", "german", "spanish", "empty", "utf8_read_as_latin1"],
)
def test_ordinary_text_is_not_taken_for_a_legacy_font(text: str) -> None:
    assert detect(text) is None


def test_no_real_document_is_taken_for_a_legacy_font(shared: Path, corpus: Path) -> None:
    files = sorted(corpus.glob("*.txt")) + sorted((shared / "realdocs").glob("*.txt"))
    assert len(files) >= 20
    flagged = [f.name for f in files if detect(f.read_text(encoding="utf-8")) is not None]
    assert flagged == []
