"""Pre-Unicode Vietnamese font encodings: TCVN3 (ABC, fonts ".VnTime") and VNI (fonts "VNI-Times").

Documents typed before ~2005 often store Vietnamese letters as Latin-1 look-alikes that only render
correctly in a special font: TCVN3 puts each accented letter on one byte ("Céng hoµ" = "Cộng hoà"),
VNI writes a base letter followed by a mark byte ("Coäng hoøa"). Read as text they are gibberish to the
extractor, so ingest detects them and converts them to Unicode (NFC).

The tables below are data, not logic: TCVN3 is one character per letter; VNI is generated from the
meaning of each mark byte and composed with Unicode normalisation.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

# TCVN 5712:1993 VN3 ("ABC"): Latin-1 character (= the byte) -> the lower-case Vietnamese letter it shows.
# Capitals with tone marks do not exist in VN3: the ".VnTimeH" fonts draw these same codes as capitals.
TCVN3 = {
    "¡": "Ă", "¢": "Â", "£": "Ê", "¤": "Ô", "¥": "Ơ", "¦": "Ư", "§": "Đ",
    "¨": "ă", "©": "â", "ª": "ê", "«": "ô", "¬": "ơ", "\u00ad": "ư", "®": "đ",
    "µ": "à", "¶": "ả", "·": "ã", "¸": "á", "¹": "ạ",
    "»": "ằ", "¼": "ẳ", "½": "ẵ", "¾": "ắ", "Æ": "ặ",
    "Ç": "ầ", "È": "ẩ", "É": "ẫ", "Ê": "ấ", "Ë": "ậ",
    "Ì": "è", "Î": "ẻ", "Ï": "ẽ", "Ð": "é", "Ñ": "ẹ",
    "Ò": "ề", "Ó": "ể", "Ô": "ễ", "Õ": "ế", "Ö": "ệ",
    "×": "ì", "Ø": "ỉ", "Ü": "ĩ", "Ý": "í", "Þ": "ị",
    "ß": "ò", "á": "ỏ", "â": "õ", "ã": "ó", "ä": "ọ",
    "å": "ồ", "æ": "ổ", "ç": "ỗ", "è": "ố", "é": "ộ",
    "ê": "ờ", "ë": "ở", "ì": "ỡ", "í": "ớ", "î": "ợ",
    "ï": "ù", "ñ": "ủ", "ò": "ũ", "ó": "ú", "ô": "ụ",
    "õ": "ừ", "ö": "ử", "÷": "ữ", "ø": "ứ", "ù": "ự",
    "ú": "ỳ", "û": "ỷ", "ü": "ỹ", "ý": "ý", "þ": "ỵ",
}

# VNI: a mark byte after a vowel adds these combining marks (upper-case mark bytes mean the same).
_GRAVE, _ACUTE, _HOOK, _TILDE, _DOT = "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"
_CIRCUMFLEX, _BREVE, _HORN = "\u0302", "\u0306", "\u031b"
VNI_TONE_MARKS = {"ø": _GRAVE, "ù": _ACUTE, "û": _HOOK, "õ": _TILDE, "ï": _DOT}
VNI_CIRCUMFLEX_MARKS = {  # after a, e, o
    "â": _CIRCUMFLEX, "à": _CIRCUMFLEX + _GRAVE, "á": _CIRCUMFLEX + _ACUTE,
    "å": _CIRCUMFLEX + _HOOK, "ã": _CIRCUMFLEX + _TILDE, "ä": _CIRCUMFLEX + _DOT,
}
VNI_BREVE_MARKS = {  # after a only
    "ê": _BREVE, "è": _BREVE + _GRAVE, "é": _BREVE + _ACUTE,
    "ú": _BREVE + _HOOK, "ü": _BREVE + _TILDE, "ë": _BREVE + _DOT,
}
# One-byte VNI letters (lower case; the upper-case byte gives the upper-case letter).
VNI_SINGLE = {
    "ô": "ơ", "ö": "ư", "ñ": "đ",
    "ì": "ì", "í": "í", "æ": "ỉ", "ó": "ĩ", "ò": "ị", "î": "ỵ",
}

# Characters that never occur in Unicode Vietnamese text written without a legacy font, used to rule out
# the detectors: any real "ơ", "ư", "đ", "ă" or precomposed tone letter means the text is already Unicode.
_UNICODE_VIETNAMESE = re.compile("[ăĂđĐơƠưƯĩĨũŨ\u1ea0-\u1ef9]")


@dataclass(frozen=True, slots=True)
class LegacyFont:
    name: str  # "tcvn3" | "vni"
    label: str  # for messages


TCVN3_FONT = LegacyFont("tcvn3", "TCVN3 (ABC, .VnTime fonts)")
VNI_FONT = LegacyFont("vni", "VNI (VNI-Times fonts)")

_SAMPLE_CHARS = 30_000  # detection looks at the start of the text: thousands of words, bounded time
# UTF-8 read as Latin-1 ("Ä\x91", "á»§"): lead bytes that neither table uses, before continuation bytes.
_UTF8_MOJIBAKE = re.compile("[\u00c2-\u00c5][\u0080-\u00bf]|\u00e1[\u00ba\u00bb][\u0080-\u00bf]")
_MIN_MARKED_WORDS = 3
_MIN_MARKED_SHARE = 0.15  # Vietnamese marks most words; French or German text marks far fewer


def detect(text: str) -> LegacyFont | None:
    """The legacy font encoding `text` is written in, or None for ordinary (Unicode) text."""
    sample = text[:_SAMPLE_CHARS]
    if _UNICODE_VIETNAMESE.search(sample) or len(_UTF8_MOJIBAKE.findall(sample)) >= _MIN_MARKED_WORDS:
        return None
    words = [w for w in sample.split() if any(c.isascii() and c.isalpha() for c in w)]
    if not words:
        return None
    scores = {
        TCVN3_FONT: sum(1 for w in words if _tcvn3_word(w)),
        VNI_FONT: sum(1 for w in words if _vni_pair_pattern().search(w)),
    }
    font, marked = max(scores.items(), key=lambda item: item[1])
    if marked >= _MIN_MARKED_WORDS and marked / len(words) >= _MIN_MARKED_SHARE:
        return font
    return None


def _tcvn3_word(word: str) -> bool:
    # A TCVN3 word mixes ASCII letters with the symbol-like bytes 0xA1-0xBE ("vµ", "c¬", "®Þnh"),
    # which ordinary Latin-1 text never puts inside a word (guillemets may open one: "«Law»").
    for i, c in enumerate(word):
        if not ("\u00a1" <= c <= "\u00be" and c in TCVN3):
            continue
        after_letter = i > 0 and word[i - 1].isascii() and word[i - 1].isalpha()
        opens_word = i + 1 < len(word) and word[i + 1].isalpha() and c not in "«»"
        if after_letter or opens_word:
            return True
    return False


def to_unicode(text: str, font: LegacyFont) -> str:
    """Convert text in a legacy font encoding to NFC Unicode."""
    if font is TCVN3_FONT:
        return _restore_capitals(text.translate(_tcvn3_table()))
    return _vni_pattern().sub(lambda m: _vni_table()[m.group(0)], text)


@cache
def _tcvn3_table() -> dict[int, str]:
    return {ord(k): v for k, v in TCVN3.items()}


_NO_LOWER_WORD = re.compile(r"\b[^\Wa-z]{2,}\b")  # candidates: words without an ASCII lower-case letter
_ASCII_LOWER = re.compile("[a-z]")
_ASCII_UPPER = re.compile("[A-Z]")
_MIN_CAPS_LINE = 4  # ASCII capitals needed to call a whole line a capitals heading


def _restore_capitals(text: str) -> str:
    # ".VnTimeH" headings hold lower-case codes drawn as capitals: "CéNG HOµ X·" -> "CỘNG HOÀ XÃ".
    return "".join(_restore_line(line) for line in text.splitlines(keepends=True))


def _restore_line(line: str) -> str:
    if not _ASCII_LOWER.search(line) and len(_ASCII_UPPER.findall(line)) >= _MIN_CAPS_LINE:
        return line.upper()
    return _NO_LOWER_WORD.sub(_capitalise_word, line)


def _capitalise_word(match: re.Match[str]) -> str:
    word = match.group(0)
    return word.upper() if len(_ASCII_UPPER.findall(word)) >= 2 else word


@cache
def _vni_table() -> dict[str, str]:
    """Every VNI sequence (one or two characters) -> its Unicode letter."""
    table: dict[str, str] = {}

    def add(base: str, mark_byte: str, marks: str) -> None:
        for b in {base.lower(), base.upper()}:
            letter = unicodedata.normalize("NFC", b + marks)
            for m in {mark_byte, mark_byte.upper()}:
                table[b + m] = letter

    for vowel in "aeouy":
        for mark_byte, mark in VNI_TONE_MARKS.items():
            add(vowel, mark_byte, mark)
    for vowel in "aeo":
        for mark_byte, mark in VNI_CIRCUMFLEX_MARKS.items():
            add(vowel, mark_byte, mark)
    for mark_byte, mark in VNI_BREVE_MARKS.items():
        add("a", mark_byte, mark)
    for single, letter in VNI_SINGLE.items():
        table[single] = letter
        table[single.upper()] = letter.upper()
    for horn_byte, base in (("ô", "o"), ("ö", "u")):  # ơ and ư take tone marks too
        for mark_byte, mark in VNI_TONE_MARKS.items():
            for case in (str.lower, str.upper):
                letter = unicodedata.normalize("NFC", case(base) + _HORN + mark)
                for m in {mark_byte, mark_byte.upper()}:
                    table[case(horn_byte) + m] = letter
    return table


@cache
def _vni_pattern() -> re.Pattern[str]:
    keys = sorted(_vni_table(), key=len, reverse=True)  # two-character sequences win over one
    return re.compile("|".join(re.escape(k) for k in keys))


@cache
def _vni_pair_pattern() -> re.Pattern[str]:
    # Detection trusts only vowel + mark pairs: single bytes such as "ó" or "ñ" are common in Spanish.
    keys = sorted(k for k in _vni_table() if len(k) == 2)
    return re.compile("|".join(re.escape(k) for k in keys))


# Typefaces that draw a legacy encoding, by name prefix (lower case). In a .docx the font of each run is
# known, so a document mixing ".VnTime" headings with a Unicode body can be converted run by run.
TYPEFACE_PREFIXES = {".vn": TCVN3_FONT, "vni-": VNI_FONT, "vni ": VNI_FONT}


def font_of_typeface(typeface: str | None) -> LegacyFont | None:
    name = (typeface or "").strip().lower()
    return next((font for prefix, font in TYPEFACE_PREFIXES.items() if name.startswith(prefix)), None)


def convert_run(text: str, typeface: str) -> str:
    """Text set in a legacy typeface, in Unicode; ".VnTimeH"-style TCVN3 faces draw capitals."""
    font = font_of_typeface(typeface)
    if font is TCVN3_FONT:
        converted = text.translate(_tcvn3_table())
        capitals_face = typeface.strip().endswith("H")
        return converted.upper() if capitals_face else converted
    if font is VNI_FONT:
        return to_unicode(text, VNI_FONT)
    return text
