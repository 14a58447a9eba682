"""Identity and relation typing: readable IRIs for documents, issuers and places, the jurisdiction of a
local document, and the relation a cue word asserts (DOMAIN.md §2, §5, §8).

Domain knowledge is data: ontology/jurisdiction.json (level words, local and central issuer symbols) and
ontology/relation_cues.json (cue -> relation).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from kg import vocab
from kg.data import ontology_file

# ---------------------------------------------------------------------------------------------- text


_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Lower-case NFC text with runs of whitespace collapsed: what cue and name matching compares."""
    # Phrases (issuers, type words, cues) repeat across documents: short ones are memoised.
    return _fold_short(text) if len(text) <= 200 else _fold(text)


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFC", text).replace("Uỷ", "Ủy").replace("uỷ", "ủy")
    return _SPACES.sub(" ", text).strip().lower()


_fold_short = lru_cache(maxsize=1 << 14)(_fold)


def ascii_fold(text: str) -> str:
    """Vietnamese without diacritics ("Bình Định" -> "Binh Dinh")."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in text if not unicodedata.combining(ch))


@lru_cache(maxsize=1 << 16)  # called for every IRI part of every mention: a hot spot of kg build
def slug(text: str) -> str:
    """A readable ASCII IRI segment: "Bình Định" -> "binh-dinh", "QĐ-UBND" -> "qd-ubnd", "66.4" stays."""
    text = ascii_fold(text).lower()
    text = re.sub(r"[^a-z0-9.]+", "-", text)
    return re.sub(r"-{2,}", "-", text).strip("-.") or "x"


# ---------------------------------------------------------------------------------------------- data


@cache
def jurisdiction_data() -> dict[str, Any]:
    return json.loads(ontology_file("jurisdiction.json").read_text(encoding="utf-8"))


@cache
def relation_cues() -> dict[str, Any]:
    return json.loads(ontology_file("relation_cues.json").read_text(encoding="utf-8"))


# ---------------------------------------------------------------------------------------------- IRIs


def normalise_number(number: str) -> str:
    """Numbers compare as numbers: "05" and "5" are one document; letters and dots are kept ("30c")."""
    stripped = number.strip().lstrip("0")
    return stripped if stripped and stripped[0].isalnum() else (stripped or "0")


def canonical_symbol(symbol: str) -> str:
    """The symbol as identity compares it: Party "QĐi/TW" is written "QĐ/TW" too (DOMAIN.md §3).

    Party symbols read TYPE/ISSUER, so only those are mapped. A type code glued to its issuer code
    ("TTBKHĐT", "NĐCP") is the symbol with its hyphen ("TT-BKHĐT", "NĐ-CP").
    """
    symbol = unglued_symbol(symbol)
    if "/" not in symbol:
        return symbol
    head, _, tail = symbol.partition("/")
    mapping = jurisdiction_data()["equivalent_type_codes"]["party"]
    return f"{mapping.get(head, head)}/{tail}"


_SYMBOL_HEAD = re.compile(r"[/-]")


@lru_cache(maxsize=1 << 14)
def unglued_symbol(symbol: str) -> str:
    """"TTBKHĐT" -> "TT-BKHĐT": a first piece that is neither a type nor an issuer code but one of each
    written together (a hyphen lost in typing) gets its hyphen back; any other symbol stays as it is."""
    first = _SYMBOL_HEAD.split(symbol, 1)[0]
    if _is_type_or_issuer(first):
        return symbol
    for cut in range(1, len(first)):
        if first[:cut] in known_type_codes() and _is_issuer_code(first[cut:]):
            return f"{symbol[:cut]}-{symbol[cut:]}"
    return symbol


def _is_issuer_code(piece: str) -> bool:
    return piece in issuer_entries() or piece.rstrip("0123456789") in issuer_entries()


def _is_type_or_issuer(piece: str) -> bool:
    return piece in known_type_codes() or _is_issuer_code(piece)
_ASSEMBLY_NUMBERING = re.compile(r"(?:UBTV)?QH\d*")


@lru_cache(maxsize=1 << 14)  # pure, and called for every mention with the few symbols a corpus repeats
def canonical_type_code(type_code: str | None, symbol: str | None) -> str:
    """The type segment of a document IRI, from the symbol alone when there is one, so that every caller
    (extractor, registry, metadata) agrees: its type part ("CT-TTg" -> "CT", Party "QĐi/TW" -> "QĐ");
    "QH" for the shared numbering of the National Assembly ("10/2022/QH15", "88/2019/QH14"); "CV" for a
    công văn (ISSUER-UNIT, no type part). Without a symbol, the given type code."""
    mapping = jurisdiction_data()["equivalent_type_codes"]["party"]
    if not symbol:
        return mapping.get(type_code or "", type_code or "CV")
    head = _SYMBOL_HEAD.split(unglued_symbol(symbol), 1)[0]
    if head in known_type_codes():
        return mapping.get(head, head)
    if _ASSEMBLY_NUMBERING.fullmatch(head):
        return "QH"
    return "CV"


@lru_cache(maxsize=1 << 14)
def document_type(type_word: str | None, type_code: str | None, symbol: str | None) -> str:
    """The code of a document's eli:type_document: its IRI's type segment, except where the symbol does not
    say the type (National Assembly numbering "QH15", names): then the type word's code, or the word itself
    for types without a symbol ("Luật", "Hiến pháp")."""
    segment = canonical_type_code(type_code, symbol)
    if symbol and segment != "QH":
        return segment
    if type_word:
        return known_type_names().get(fold(type_word)) or type_word[0].upper() + type_word[1:]
    return type_code or "VB"


@cache
def known_type_codes() -> frozenset[str]:
    """Type symbols from ontology/doc_types.json (the extractor's grammar data)."""
    path = ontology_file("doc_types.json")
    if not path.exists():
        return frozenset(
            {"NQ", "NĐ", "QĐ", "CT", "TT", "KH", "KL", "QĐi", "HD", "CTr", "TB", "BC", "ĐA", "QC"}
        )
    codes: set[str] = set()
    _collect_codes(json.loads(path.read_text(encoding="utf-8")), codes)
    return frozenset(codes)


@cache
def known_type_names() -> dict[str, str]:
    """Folded type word -> its symbol ("kế hoạch" -> "KH"), from ontology/doc_types.json."""
    names = {
        "kế hoạch": "KH",
        "quyết định": "QĐ",
        "chỉ thị": "CT",
        "nghị quyết": "NQ",
        "nghị định": "NĐ",
        "thông tư": "TT",
        "công văn": "CV",
        "công điện": "CĐ",
        "hướng dẫn": "HD",
        "thông báo": "TB",
        "báo cáo": "BC",
        "kết luận": "KL",
        "chương trình": "CTr",
        "đề án": "ĐA",
        "quy định": "QyĐ",
    }
    path = ontology_file("doc_types.json")
    if path.exists():
        _collect_names(json.loads(path.read_text(encoding="utf-8")), names)
    return names


def _collect_names(node: Any, names: dict[str, str]) -> None:
    if isinstance(node, dict):
        name, codes = node.get("name"), node.get("codes")
        if isinstance(name, str) and isinstance(codes, list) and codes:
            names.setdefault(fold(name), codes[0])
        for value in node.values():
            _collect_names(value, names)
    elif isinstance(node, list):
        for item in node:
            _collect_names(item, names)


def _collect_codes(node: Any, codes: set[str]) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if key in {"symbol", "code", "type_code"} and isinstance(value, str):
                codes.add(value)
            elif key in {"symbols", "codes"} and isinstance(value, list):
                codes.update(v for v in value if isinstance(v, str))
            else:
                _collect_codes(value, codes)
    elif isinstance(node, list):
        for item in node:
            _collect_codes(item, codes)


@lru_cache(maxsize=1 << 16)
def document_iri(
    type_code: str | None, number: str, symbol: str | None, year: int | str | None, scope: str = "vn"
) -> str:
    """`id:doc/<scope>/<type>/<year>/<number>-<symbol>`, e.g. id:doc/vn/ct/2021/33-ct-ttg.

    Deterministic and readable; the same document cited as "11-QĐ/TW" or "11-QĐi/TW", "05-CT/TW" or
    "5-CT/TW", "QĐ-TTG" or "QĐ-TTg" gets one IRI. `scope` is "vn" for central documents, the
    jurisdiction slug for local ones ("binh-dinh", "quang-ngai/binh-son/binh-phuoc").
    """
    type_segment = slug(canonical_type_code(type_code, symbol))
    symbol_segment = slug(canonical_symbol(symbol)) if symbol else ""
    name = slug(normalise_number(number)) + (f"-{symbol_segment}" if symbol_segment else "")
    year_segment = str(year) if year not in (None, "") else "unknown"
    return f"{vocab.ID}doc/{scope}/{type_segment}/{year_segment}/{name}"


@lru_cache(maxsize=1 << 16)
def identity_key(
    type_code: str | None, number: str, symbol: str | None, scope: str = "vn"
) -> tuple[str, ...]:
    """What two mentions must share to be one document (the year aside): the segments of its IRI."""
    iri = document_iri(type_code, number, symbol, None, scope)
    _, type_segment, _, name = iri[len(vocab.ID + "doc/") :].rsplit("/", 3)
    return (scope, type_segment, name)


_YEAR_WORD = re.compile(r"(?<![\wÀ-ỹ])năm\s+(?=\d{4}(?!\d))", re.IGNORECASE)


@lru_cache(maxsize=1 << 14)
def named_name(name: str) -> str:
    """A name as identity compares it: whitespace collapsed, "năm" before a year dropped ("Hiến pháp năm
    2013" is "Hiến pháp 2013"). The one normalisation of named references, for graph and registry alike."""
    text = _YEAR_WORD.sub("", _SPACES.sub(" ", unicodedata.normalize("NFC", name)).strip())
    return _canonical_name(text)


_TRAILING_YEAR = re.compile(r"\s*(\d{4})$")
# A national Party congress however it is written ("Nghị quyết Đại hội XIII của Đảng", "… Đại hội đại biểu
# toàn quốc lần thứ XIII của Đảng", "… Đại hội Đảng toàn quốc lần thứ 13"); a local one names "Đảng bộ".
_NATIONAL_CONGRESS = re.compile(
    r"Nghị quyết (?:của )?Đại hội (?:đại biểu )?(?:Đảng )?(?P<nation>toàn quốc )?(?:l[ầấâa]n thứ )?"
    r"(?P<number>(?-i:[IVXLC]{1,6})|\d{1,2})(?P<party> của Đảng(?: Cộng sản Việt Nam)?)?$",
    re.IGNORECASE,
)
_ROMAN = ("", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV",
          "XVI", "XVII", "XVIII", "XIX", "XX")


def _canonical_name(text: str) -> str:
    """The name a document's entry in ontology/named_refs.json gives it, for an alias ("Hiến pháp nước
    CHXHCN Việt Nam 1992" is "Hiến pháp 1992"), and one form of a national Party congress: every way of
    writing one document names one node."""
    written = _TRAILING_YEAR.search(text)
    bare = text[: written.start()] if written else text
    canonical = _canonical_names().get(fold(bare))
    if canonical is not None:
        return f"{canonical} {written.group(1)}" if written else canonical
    congress = _NATIONAL_CONGRESS.match(text)
    if congress is not None and (congress.group("nation") or congress.group("party")):
        number = congress.group("number")
        if number.isdigit():
            number = _ROMAN[int(number)] if int(number) < len(_ROMAN) else number
        return f"Nghị quyết Đại hội đại biểu toàn quốc lần thứ {number.upper()} của Đảng"
    return text


def named_key(name: str, scope: str = "vn") -> tuple[str, ...]:
    """What two mentions by name must share to be one document (the year aside, as for numbered ones)."""
    return ("named", scope, slug(named_name(name)))


def named_document_iri(name: str, year: int | None = None, scope: str = "vn") -> str:
    """A document known only by its name ("Hiến pháp năm 2013", a Party congress resolution): name and
    year, "năm" dropped (a law whose number is known gets the numbered law's IRI instead, kg.graph)."""
    name = named_name(name)
    suffix = f"-{year}" if year and str(year) not in name else ""
    return f"{vocab.ID}doc/{scope}/named/{slug(name)}{suffix}"


@cache
def named_entries() -> tuple[dict[str, Any], ...]:
    """The laws, codes and constitution of ontology/named_refs.json, amending laws too (known with each
    of their heads, as the extractor knows them): each with its name, aliases and versions (law_id, year,
    in force from)."""
    from kg.grammar import with_head_variants

    path = ontology_file("named_refs.json")
    if not path.exists():
        return ()
    data = json.loads(path.read_text(encoding="utf-8"))
    amending = data.get("amending", {})
    amending_laws = with_head_variants(amending.get("laws", []), amending.get("heads", []))
    return tuple(data.get("laws", []) + amending_laws)


def bare_name_key(name: str) -> str:
    """A listed name as named_refs.json keys it: "Hiến pháp nước CHXHCN Việt Nam năm 1992" -> "hiến pháp"."""
    return fold(_TRAILING_YEAR.sub("", named_name(name).rstrip()))


@cache
def _named_laws() -> dict[str, list[dict[str, Any]]]:
    """Folded name or alias (year and "năm" dropped) -> its versions, from ontology/named_refs.json."""
    return {fold(name): entry.get("versions", []) for entry in named_entries()
            for name in [entry["name"], *entry.get("aliases", [])]}


@cache
def _canonical_names() -> dict[str, str]:
    """Folded alias (not the name itself) -> the name of its entry in ontology/named_refs.json."""
    return {fold(alias): entry["name"] for entry in named_entries() for alias in entry.get("aliases", [])}


def named_year_in_force(name: str, on: str) -> int | None:
    """The year of the version of a document listed by name in ontology/named_refs.json that is in force
    on `on` (ISO, or a partial "2025" / "2025-11", read as its last day): "Hiến pháp" cited in 2025 is
    the 2013 one (DOMAIN.md §7). None when the name is not listed or no version is in force yet."""
    day = on + "-12-31"[len(on) - 4:] if len(on) < 10 else on
    versions = _named_laws().get(bare_name_key(name), [])
    years = [v["year"] for v in versions if v.get("in_force", f"{v['year']}-01-01") <= day]
    return years[-1] if years else None


def known_law_id(name: str, year: int | None = None) -> str | None:
    """The number of a law known by name ("Luật Thực hiện dân chủ ở cơ sở" of 2022 -> "10/2022/QH15"),
    from ontology/named_refs.json: the version of `year`, or the only numbered one."""
    written = re.search(r"(\d{4})\s*$", named_name(name))
    year = year or (int(written.group(1)) if written else None)
    numbered = [v for v in _named_laws().get(bare_name_key(name), []) if v.get("law_id")]
    chosen = [v for v in numbered if year is None or v.get("year") == year]
    return chosen[0]["law_id"] if len(chosen) == 1 else None


def draft_document_iri(scope: str, type_code: str | None, year: int | str | None, file_stem: str) -> str:
    """A citing document without a number (a draft "Số: /KH-UBND"): identified by its file."""
    year_segment = str(year) if year else "unknown"
    return f"{vocab.ID}doc/{scope}/{slug(type_code or 'vb')}/{year_segment}/draft-{slug(file_stem)}"


@cache
def issuer_entries() -> dict[str, dict[str, Any]]:
    """Issuer code -> its entry in ontology/issuers.json (names, system, level, parent)."""
    path = ontology_file("issuers.json")
    if not path.exists():
        return {}
    return {entry["code"]: entry for entry in json.loads(path.read_text(encoding="utf-8"))["issuers"]}


@lru_cache(maxsize=1 << 14)
def issuer_label(code: str, place: Jurisdiction | None = None, level: str | None = None) -> str:
    """A readable name: "Thủ tướng Chính phủ", "Ủy ban nhân dân tỉnh Bình Phước", else the code."""
    entry = issuer_entries().get(code)
    name = entry["names"][0] if entry else code
    parts = place.parts(level) if place else []
    if parts:
        words = {"province": "tỉnh", "district": "huyện", "commune": "xã"}
        name += f" {words.get(level or '', '')} {parts[-1]}".replace("  ", " ")
    return name


@lru_cache(maxsize=1 << 12)
def issuer_code_for_phrase(phrase: str) -> str | None:
    """The issuer code a body phrase names: "UBND TỈNH BÌNH PHƯỚC" -> "UBND", "Bộ Tài chính" -> "BTC"."""
    folded = fold(phrase)
    best: tuple[int, str] | None = None
    for code, entry in issuer_entries().items():
        for name in [code, *entry.get("names", [])]:
            name_folded = fold(name)
            if folded == name_folded or folded.startswith(name_folded + " "):
                if best is None or len(name_folded) > best[0]:
                    best = (len(name_folded), code)
    return best[1] if best else None


def issuer_iri(code: str, scope: str = "vn") -> str:
    return f"{vocab.ID}issuer/{scope}/{slug(code)}"


def place_iri(scope: str) -> str:
    return f"{vocab.ID}place/{scope}"


@lru_cache(maxsize=1 << 10)
def type_iri(type_code: str) -> str:
    """A document type's concept; Đ is spelled "dd" so that codes stay apart (HĐ hợp đồng, HD hướng dẫn)."""
    return f"{vocab.ID}type/{slug(type_code.replace('Đ', 'DD').replace('đ', 'dd'))}"


# ---------------------------------------------------------------------------------------------- places


LEVELS = ("province", "district", "commune")


@dataclass(frozen=True, slots=True)
class Jurisdiction:
    """Where a local document belongs. Names as written ("Bình Định"); any part may be unknown."""

    province: str | None = None
    district: str | None = None
    commune: str | None = None

    def parts(self, level: str | None = None) -> list[str]:
        """Names down to `level` (all known levels when None), outermost first."""
        names = [self.province, self.district, self.commune]
        depth = LEVELS.index(level) + 1 if level in LEVELS else 3
        return [n for n in names[:depth] if n]

    def scope(self, level: str | None = None) -> str:
        parts = self.parts(level)
        return "/".join(slug(p) for p in parts) if parts else "local"

    @property
    def level(self) -> str | None:
        for level, name in zip(reversed(LEVELS), (self.commune, self.district, self.province), strict=True):
            if name:
                return level
        return None

    def within(self, higher: Iterable[tuple[str, str | None]]) -> Jurisdiction:
        """This place with the named `higher` places (level, name) put in, outermost first: one other than
        this place's at its level drops this place's ones under it (they lie elsewhere)."""
        values = {"province": self.province, "district": self.district, "commune": self.commune}
        for level, name in sorted(higher, key=lambda place: LEVELS.index(place[0])):
            if name and slug(name) != slug(values[level] or ""):
                values[level] = name
                values.update({lower: None for lower in LEVELS[LEVELS.index(level) + 1 :]})
        return Jurisdiction(**values)

    def at(self, level: str, name: str | None) -> Jurisdiction:
        """The place of a body at `level` named `name` (or, unnamed, the citing document's own one)."""
        values = {"province": self.province, "district": self.district, "commune": self.commune}
        keep = LEVELS[: LEVELS.index(level)]
        new = {lv: (values[lv] if lv in keep else None) for lv in LEVELS}
        new[level] = name or values[level]
        return Jurisdiction(**new)


_NAME = r"((?:[A-ZĐÂĂÊÔƠƯÁÀẢÃẠẤẦẨẪẬẮẰẲẴẶÉÈẺẼẸẾỀỂỄỆÍÌỈĨỊÓÒỎÕỌỐỒỔỖỘỚỜỞỠỢÚÙỦŨỤỨỪỬỮỰÝỲỶỸỴ][\wÀ-ỹ]*\.?\s?){1,4})"


_AFTER_WORD_NAME = re.compile(r"\s+" + _NAME)


@cache
def _kind_abbreviations() -> dict[str, str]:
    """Abbreviated place kinds, lower case with their full stop, and the kind each stands for ("tp." ->
    "thành phố"): ontology/places.json kind_abbreviations, which the extractor reads too."""
    abbreviations = _places()["kind_abbreviations"]["abbreviations"]
    return {f"{short.lower()}.": kind for short, kind in abbreviations.items()}


@cache
def _places() -> dict[str, Any]:
    return json.loads(ontology_file("places.json").read_text(encoding="utf-8"))


@cache
def level_words() -> tuple[dict[str, str], ...]:
    """jurisdiction.json level_words, and each abbreviated kind ("tp.", "tx.") at its full kind's level."""
    words = jurisdiction_data()["level_words"]
    level_of = {e["word"]: e["level"] for e in words}
    abbreviated = ({"word": short, "level": level_of[kind]} for short, kind in _kind_abbreviations().items())
    return (*words, *abbreviated)


@cache
def _level_word_patterns() -> list[tuple[re.Pattern[str], str]]:
    """Level words (`level_words`), longest first, each as a whole-word pattern."""
    words = sorted(level_words(), key=lambda e: -len(e["word"]))
    return [(re.compile(rf"(?<![\wÀ-ỹ]){re.escape(e['word'])}(?![\wÀ-ỹ])"), e["level"]) for e in words]


@lru_cache(maxsize=1 << 14)  # documents repeat the same issuer phrases: a hot spot of kg build
def level_and_name(phrase: str | None) -> tuple[str | None, str | None]:
    """The administrative level and place a body phrase names: "UBND huyện Bình Sơn" -> (district, Bình Sơn).

    "Tỉnh ủy" -> (province, None); "HĐND xã" -> (commune, None); "Thủ tướng Chính phủ" -> (None, None).
    """
    found = _body_place(phrase)
    return (found.level, found.name) if found else (None, None)


@dataclass(frozen=True, slots=True)
class _BodyPlace:
    level: str
    name: str | None
    word: str  # the kind word as found, lower case ("thành phố")
    end: int  # where the name (or, unnamed, the kind word) ends in `text`
    text: str  # the phrase, NFC with single spaces
    low: str  # its lower case with the common nouns ("xã hội") blanked


def _body_place(phrase: str | None) -> _BodyPlace | None:
    """The body's own place: the first level word of the phrase (a party one first) and the name after it."""
    if not phrase:
        return None
    text = unicodedata.normalize("NFC", _SPACES.sub(" ", phrase)).replace("uỷ", "ủy").replace("Uỷ", "Ủy")
    low = text.lower()
    for found in _not_places().finditer(low):  # "xã hội" is no commune; "xã Hội An" is one
        if not _written_as_place(text, found.start(), found.end()):
            low = low[: found.start()] + " " * (found.end() - found.start()) + low[found.end() :]
    for entry in jurisdiction_data()["party_level_words"]:
        position = low.find(entry["word"])
        if position >= 0:
            word_end = position + len(entry["word"])
            name = _name_after(text, word_end, entry["word"])
            return _BodyPlace(entry["level"], name, entry["word"], _name_end(text, word_end, name), text, low)
    best: tuple[int, str, re.Match[str]] | None = None
    for pattern, level in _level_word_patterns():
        found = pattern.search(low)
        if found is not None and (best is None or found.start() < best[0]):
            best = (found.start(), level, found)
    if best is None:
        return None
    _, level, word = best
    name = _name_after(text, word.end(), word.group())
    return _BodyPlace(level, name, word.group(), _name_end(text, word.end(), name), text, low)


PLACE_NUMBER = r"\d{1,2}(?![\d/]|[.,\-]\d)"  # a place's number ("Quận 3"), not a date's or a symbol's
_NUMBER_NAME = re.compile(rf"\s+({PLACE_NUMBER})")


def _name_after(text: str, word_end: int, word: str) -> str | None:
    """The place name after a kind word: capitalised words, or a number after a word whose places may be
    numbered ("Quận 3", "Phường 5": jurisdiction.json numbered_names)."""
    match = _AFTER_WORD_NAME.match(text, word_end)
    name = _clean_name(match.group(1)) if match else None
    if match and name and (first := name.split()[0]).lower() in numbered_place_words():
        return _name_after(text, match.start(1) + len(first), first.lower())  # "Quận ủy Quận 10"
    if name is None and word.split()[-1] in numbered_place_words():  # "đảng ủy phường 5" too
        number = _NUMBER_NAME.match(text, word_end)
        name = number.group(1) if number else None
    return name


@cache
def numbered_place_words() -> frozenset[str]:
    """Kind words (lower case) whose places may be named by a number (jurisdiction.json numbered_names)."""
    return frozenset(jurisdiction_data()["numbered_names"]["words"])


def _name_end(text: str, word_end: int, name: str | None) -> int:
    """End of `name` read after the kind word ending at word_end (the kind word's end when unnamed)."""
    if not name:
        return word_end
    return text.index(name, word_end) + len(name)


@cache
def _chain_kinds() -> tuple[re.Pattern[str], dict[str, tuple[str, ...]]]:
    """jurisdiction.json place_chain kinds: a link (", " or a space) and a kind word at the start of the rest
    of a phrase, longest first, and the levels of each word."""
    kinds = jurisdiction_data()["place_chain"]["kinds"]
    kinds = {**kinds, **{short: kinds[kind] for short, kind in _kind_abbreviations().items()}}  # "tp.", "tx."
    words = "|".join(re.escape(w) for w in sorted(kinds, key=len, reverse=True))
    return re.compile(rf"\s?,?\s?({words})(?![\wÀ-ỹ])"), {w: tuple(v) for w, v in kinds.items()}


@cache
def _centrally_run_cities() -> frozenset[str]:
    """Slugs of the cities run by the centre (ontology/places.json provinces of kind "thành phố")."""
    return frozenset(slug(p["name"]) for p in _places()["provinces"] if p["kind"] == "thành phố")


@lru_cache(maxsize=1 << 14)
def place_chain(phrase: str | None) -> tuple[tuple[str, str | None], ...]:
    """The body's place and the higher places the phrase names after it, innermost first, as (level, name):
    "UBND xã Bình Phước, huyện Bình Sơn, tỉnh Quảng Ngãi" -> ((commune, Bình Phước), (district, Bình Sơn),
    (province, Quảng Ngãi)); "UBND tỉnh" -> ((province, None),); no level word -> ().

    Each place must be higher than the one before (a lower or equal one starts something else). The body's
    level is level_and_name's, except a "thành phố" with a province after it: a city under a province.
    """
    body = _body_place(phrase)
    if body is None:
        return ()
    link, kind_levels = _chain_kinds()
    named: list[tuple[tuple[str, ...], str]] = []  # each higher place's possible levels and its name
    position = body.end if body.name else len(body.text)  # an unnamed body has no chain
    while found := link.match(body.low, position):
        name = _name_after(body.text, found.end(), found.group(1))
        if name is None:
            break
        named.append((kind_levels[found.group(1)], name))
        position = _name_end(body.text, found.end(), name)
    levels = [_place_level(kinds, name) for kinds, name in named]
    body_level = body.level
    if levels[:1] == ["province"] and "district" in kind_levels.get(body.word, ()):
        body_level = "district"  # "thành phố Nha Trang, tỉnh Khánh Hòa": a city under a province
    chain = [(body_level, body.name)]
    for level, (_, name) in zip(levels, named, strict=True):
        if LEVELS.index(level) >= LEVELS.index(chain[-1][0]):  # not higher: something else begins
            break
        chain.append((level, name))
    return tuple(chain)


def _place_level(levels: tuple[str, ...], name: str) -> str:
    """The level of a higher place of a chain: its kind's; of two ("thành phố"), a province only as a city run
    by the centre ("thành phố Hồ Chí Minh"), else the city under a province ("thành phố Nha Trang")."""
    if len(levels) == 1:
        return levels[0]
    return "province" if slug(name) in _centrally_run_cities() else "district"


def _written_as_place(text: str, start: int, end: int) -> bool:
    """Is text[start:end] ("xã hội" in any case) written as a level word and a place name: the level word in
    lower case, then capitalised words, and a capitalised word after ("xã Hội An"; not "xã hội", "XÃ HỘI",
    "Cộng hòa Xã hội Chủ nghĩa")?"""
    level, *names = text[start:end].split()
    after = text[end:].split(maxsplit=1)
    return level.islower() and all(n.istitle() for n in names) and bool(after) and after[0][:1].isupper()


@cache
def _not_places() -> re.Pattern[str]:
    """Common nouns that open with a level word (jurisdiction.json "not_places"), as whole words."""
    words = jurisdiction_data().get("not_places", [])
    return re.compile("|".join(rf"(?<![\wÀ-ỹ]){re.escape(w)}(?![\wÀ-ỹ])" for w in words) or "(?!)")


_NOT_NAMES = {"Ban", "Về", "Và", "Trong", "Tại", "Năm", "Ngày", "Giai", "Nhiệm", "Khóa", "Khoá", "Lần"}


def _clean_name(name: str) -> str | None:
    words = name.strip().rstrip(".").split()
    kept: list[str] = []
    for word in words:
        if word in _NOT_NAMES or not word[0].isupper():
            break
        kept.append(word)
    return " ".join(kept) or None


_CODE_SEPARATOR = re.compile(r"[-/]")
_TRAILING_DIGITS = re.compile(r"\d+$")


@lru_cache(maxsize=1 << 14)  # the same (symbol issuer, phrase) pairs recur in every document
def issuer_is_local(issuer_code: str | None, issuer_phrase: str | None) -> bool:
    """Local documents need a jurisdiction for their identity; central ones are unique nation-wide."""
    data = jurisdiction_data()
    codes = _CODE_SEPARATOR.split(issuer_code or "")
    level, _ = level_and_name(issuer_phrase)
    if level is None and "trung ương" in fold(issuer_phrase or ""):
        return False  # "Ban Chỉ đạo Trung ương", "Ủy ban Trung ương MTTQ Việt Nam"
    if any(code in data["local_issuer_codes"] for code in codes if code):
        return True
    if any(_TRAILING_DIGITS.sub("", code) in data["central_issuer_codes"] for code in codes if code):
        return False
    return level is not None


@lru_cache(maxsize=1 << 12)
def level_from_code(issuer_code: str | None) -> str | None:
    for code in _CODE_SEPARATOR.split(issuer_code or ""):
        level = jurisdiction_data()["local_issuer_codes"].get(code)
        if level:
            return level
    return None


def issuer_code_of(symbol: str | None) -> str | None:
    """The issuer part of a symbol: "CT-TTg" -> "TTg", "KH/UBND-BDVTU" -> "UBND-BDVTU", "UBND-NC" stays."""
    if not symbol:
        return None
    if "/" in symbol:
        return symbol.split("/", 1)[1] or None
    head, _, tail = symbol.partition("-")
    # a công văn's symbol is ISSUER-UNIT (DOMAIN.md §2): all of it names who issued it, as kg.extract reads it
    return tail if tail and head in known_type_codes() else symbol


@lru_cache(maxsize=1 << 14)  # pure: the same issuers are cited from the same places again and again
def local_scope(
    issuer_code: str | None, issuer_phrase: str | None, context: Jurisdiction
) -> tuple[str, str | None, Jurisdiction]:
    """Scope slug, level and jurisdiction of a local document cited from a document of `context`.

    The issuer phrase is the strongest evidence ("UBND huyện Bình Sơn"); an unnamed level ("UBND tỉnh")
    is the citing document's own place at that level; with no level at all, the citing document's place.
    """
    chain = place_chain(issuer_phrase)  # the body's place, then the higher ones the phrase names
    level, name = chain[0] if chain else (None, None)
    level = level or level_from_code(issuer_code) or context.level
    if level is None:
        return "local", None, Jurisdiction()
    place = context.within(chain[1:]).at(level, name)
    return place.scope(level), level, place


# ---------------------------------------------------------------------------------------------- cues


def _cue_pattern(cue: str) -> str:
    """A cue as words. On NFC text every Vietnamese letter is a \\w (str.isalnum): the class [\\wÀ-ỹ] meant
    the same and took 1.3 ms to compile per use, 0.2 s for the cue patterns of one `kg check`."""
    return r"(?<!\w)" + r"\s+".join(re.escape(part) for part in cue.split()) + r"(?!\w)"


@cache
def _compiled_cues(kind: str) -> list[tuple[re.Pattern[str], dict[str, Any]]]:
    """The cues of relation_cues.json[kind] as compiled patterns, in file order, with their entries."""
    return [(re.compile(_cue_pattern(entry["cue"])), entry) for entry in relation_cues()[kind]]


@cache
def _citing_cues() -> tuple[re.Pattern[str], list[str]]:
    """One pattern for the citing cues, longest first (the first alternative that matches wins, as the
    longest cue must), and the relation of each alternative's group."""
    entries = sorted(relation_cues()["citing"], key=lambda e: -len(e["cue"]))
    pattern = "|".join(f"({_cue_pattern(entry['cue'])})" for entry in entries)
    return re.compile(pattern), [entry["relation"] for entry in entries]


def citing_relation(clause: str) -> str | None:
    """Relation from the citing document to a citation in a preamble clause ("Căn cứ …" -> based_on).

    The clause must open with the cue; None when it does not open with any.
    """
    text = fold(clause).lstrip("-–•+*0123456789.,;:)( ")
    pattern, relations = _citing_cues()
    match = pattern.match(text)
    if match and _backward_object().match(text, match.end()):
        return None  # "Căn cứ quy định nêu trên, Tổng cục Thuế đồng ý với … Công văn số …"
    return relations[match.lastindex - 1] if match and match.lastindex else None


@cache
def _backward_object() -> re.Pattern[str]:
    """A cue's object that points back ("quy định nêu trên,"): relation_cues.json "backward"."""
    words = "|".join(_cue_pattern(word) for word in relation_cues()["backward"]["words"])
    return re.compile(rf"[^,;.]{{0,60}}?(?:{words})\s*,")


@cache
def _body_cue_filters() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Any body cue that counts before the citation; any that counts after it. Without _cue_pattern's
    word-boundary look-arounds (a pattern opening with one is tried at every offset): a text these do not
    match has no cue."""
    entries = [e for e in relation_cues()["body"] if not e.get("opens")]
    never = r"(?!)"

    def words(cue: str) -> str:
        return r"\s+".join(re.escape(part) for part in cue.split())

    before = [words(e["cue"]) for e in entries if e.get("position") != "after"] or [never]
    after = [words(e["cue"]) for e in entries if e.get("position") == "after"] or [never]
    return re.compile("|".join(before)), re.compile("|".join(after))


def body_relation(before: str, after: str = "") -> str | None:
    """Relation asserted by a body sentence of the citing document about the citation between `before`
    and `after` ("… này thay thế Quyết định số …", "Bãi bỏ Quyết định số …", "Quyết định số … hết hiệu lực").

    A cue before the citation counts only when the sentence names the citing document itself ("… này") or
    opens with the cue: "(thay thế Nghị quyết số …)" in another document's subject is not this document's act.
    """
    opening = _opening_cue_relation(before)
    if opening is not None:
        return opening
    found: tuple[int, int, str] | None = None
    before_text = fold(before)
    after_text = fold(after)[: relation_cues()["after_reach"]["near_chars"]]
    any_before, any_after = _body_cue_filters()
    if any_before.search(before_text) is None and any_after.search(after_text) is None:
        return None  # most sentences: no cue at all, one search each instead of one per cue
    for pattern, entry in _compiled_cues("body"):
        if entry.get("opens"):
            continue  # read by _opening_cue_relation
        after_cue = entry.get("position") == "after"
        if after_cue and _modifier_before().search(before_text):
            continue  # "Các giấy phép đã cấp theo Quyết định số A … hết hiệu lực": the permits lapse
        text = after_text if after_cue else before_text
        for match in pattern.finditer(text):
            if not after_cue and not _acts_itself(text, match.start()):
                continue
            if after_cue and _purpose_before(text, match.start(), passive=True):
                continue  # "rà soát Quyết định số A … để xác định các nội dung hết hiệu lực": the purpose's
            if entry.get("after_this") and not _this_acts().search(text, 0, match.start()):
                continue  # "Thông tư này hướng dẫn …", not "Giao Sở … hướng dẫn thực hiện Quyết định này"
            nearness = -match.start() if after_cue else match.end() - len(text)
            candidate = (nearness, len(entry["cue"]), entry["relation"])
            if found is None or candidate > found:
                found = candidate
                if not after_cue and _acts_on_a_part(entry["relation"], text, match.end()):
                    found = (nearness, len(entry["cue"]), relation_cues()["partial"]["becomes"])
    return found[2] if found else None


@cache
def after_cue_relations() -> frozenset[str]:
    """Relations only a body cue after the citation gives ("Quyết định số A … hết hiệu lực" -> expires)."""
    body = relation_cues()["body"]
    before = {e["relation"] for e in body if e.get("position") != "after"}
    return frozenset(e["relation"] for e in body if e.get("position") == "after") - before


@cache
def _distant_after_cues() -> tuple[list[tuple[re.Pattern[str], str]], re.Pattern[str]]:
    """Each cue after the citation as a predicate with its date ("hết hiệu lực kể từ"), with its relation;
    the words that make it part of the cited document's subject (relation_cues.json "after_reach")."""
    data = relation_cues()["after_reach"]
    then = "|".join(_cue_pattern(word) for word in data["then"])
    cues = [(re.compile(rf"{_cue_pattern(e['cue'])}\s+(?:{then})"), e["relation"])
            for e in relation_cues()["body"] if e.get("position") == "after"]
    return cues, re.compile("|".join(_cue_pattern(word) for word in data["blockers"]))


def distant_after_relation(far: str) -> str | None:
    """A cue after the citation past the near window, at most max_chars away in `far` (the rest of the
    sentence after the citation): "Quyết định số A ngày … của UBND tỉnh ban hành Quy định về … hết hiệu lực
    kể từ ngày ký". Only as the clause's predicate with its date and no blocker before it ("… công bố danh
    mục văn bản … hết hiệu lực kể từ …": A's own subject). The caller checks that A (or the first item of
    its list) opens the clause (`opens_clause`)."""
    cues, blockers = _distant_after_cues()
    text = fold(far)[: relation_cues()["after_reach"]["max_chars"]]
    for pattern, relation in cues:
        match = pattern.search(text)
        if match and blockers.search(text, 0, match.start()) is None and \
                not _purpose_before(text, match.start(), passive=True):
            return relation
    return None


_PLURAL = re.compile(r"^các\b\s*")
_CLAUSE_START = re.compile(r".*(?:,|\svà)(?:\s|$)", re.S)


def opens_clause(before: str) -> bool:
    """Nothing but a list marker or an article's number ("Điều 3.", "1.", "-") and "Các" comes before the
    citation in its clause (which may begin after "," or "và": "Kể từ ngày Quyết định này có hiệu lực,
    Quyết định số A …"): the citation is the clause's subject."""
    text = fold(before)
    start = _CLAUSE_START.match(text)
    text = text[start.end() :] if start else text
    return not _PLURAL.sub("", _OPENING.sub("", text)).strip()


def modifies_another_noun(before: str) -> bool:
    """A preposition right before the citation ("Các giấy phép đã cấp theo Quyết định số A"): the citation
    is no subject of its clause, a cue after it says nothing of it (relation_cues.json "after_subject")."""
    return _modifier_before().search(fold(before)) is not None


@cache
def _modifier_before() -> re.Pattern[str]:
    """A preposition right before the citation: it modifies another noun (relation_cues "after_subject")."""
    words = "|".join(_cue_pattern(word) for word in relation_cues()["after_subject"]["words"])
    return re.compile(rf"(?:{words})\s*$")


@cache
def _opening_cues() -> tuple[re.Pattern[str], list[str]]:
    """The body cues marked "opens", longest first, each in a group: a line (or sentence) made of a list
    marker, the cue and nothing else up to the citation."""
    entries = sorted((e for e in relation_cues()["body"] if e.get("opens")), key=lambda e: -len(e["cue"]))
    cues = "|".join(f"({_cue_pattern(e['cue'])})" for e in entries) or "(?!)"
    marker = r"(?:điều\s+\d+\s*[.:]?|[-–•+*]|\d{1,2}[.)]|[a-zđ]\))?"
    return re.compile(rf"\s*{marker}\s*(?:{cues})\s*"), [e["relation"] for e in entries]


def _opening_cue_relation(before: str) -> str | None:
    """ "Thực hiện Nghị quyết số …" opening a body sentence or line: the citing document implements it. The
    cue must lead straight to the citation: "Thực hiện nghiêm túc Chỉ thị …" (a task set to others) or
    "thực hiện theo Quyết định …" is no act of the document's own. It opens a sentence written with a
    capital: a small "thực hiện" at a line start is a hard line break inside a sentence ("việc\nthực hiện
    Nghị quyết …"), after ";" the next item of a list of tasks."""
    line = before[before.rfind("\n") + 1 :]
    if len(line) > 40:
        return None  # longer than any cue with its list marker: no opening cue alone
    line = unicodedata.normalize("NFC", line)
    pattern, relations = _opening_cues()
    match = pattern.fullmatch(line.lower().replace("uỷ", "ủy"))
    if match is None or not match.lastindex or not line[match.start(match.lastindex)].isupper():
        return None
    return relations[match.lastindex - 1]


@cache
def _partial_words() -> re.Pattern[str]:
    words = sorted(relation_cues()["partial"]["words"], key=len, reverse=True)
    # A count, "các", or a second cue may come first: "Bãi bỏ 03 thủ tục …", "Thay thế, bãi bỏ một số từ …".
    lead = r"(?:[\s,]*(?:\d+|các|những|và|thay\s+thế|bãi\s+bỏ)(?![\wÀ-ỹ]))*\s*"
    return re.compile(lead + "(?:" + "|".join(_cue_pattern(word) for word in words) + ")")


def _acts_on_a_part(relation: str, text: str, cue_end: int) -> bool:
    """The cue acts on a part of the document (relation_cues.json "partial"), which stays in force, amended:
    "Thay thế Mẫu số 02 … của Thông tư số …", "Bãi bỏ khoản 3 Điều 5 …". "Bãi bỏ một số Quyết định sau"
    acts on whole documents: a type word right after the part word says so."""
    partial = relation_cues()["partial"]
    if relation not in partial["relations"]:
        return False
    match = _partial_words().match(text, cue_end)
    if match is not None:
        return _document_words().match(text, match.end()) is None
    # "thay thế thành viên Ban Chỉ đạo được thành lập tại Quyết định số …": not the document itself
    return not _acts_on_whole(text, cue_end)


@cache
def _whole_lead() -> re.Pattern[str]:
    """Words that may come between a cue that acts on a whole document and the document (relation_cues.json
    "partial" whole_lead)."""
    lead = "|".join(_cue_pattern(word) for word in relation_cues()["partial"]["whole_lead"])
    return re.compile(rf"(?:[\s,:]*(?:{lead}))*[\s,:]*")


_PLACED_IN = re.compile(r"\s+tại\b")


def _acts_on_whole(text: str, cue_end: int) -> bool:
    """After the lead words, the citation itself (the end of the text) or a type word follows the cue; a type
    word followed by "tại" is a part located in a document ("bãi bỏ quy định tại khoản 2 …")."""
    position = _whole_lead().match(text, cue_end).end()
    if position == len(text):
        return True
    word = _document_words().match(text, position)
    return word is not None and _PLACED_IN.match(text, word.end()) is None


@cache
def _document_words() -> re.Pattern[str]:
    """Type words (and "văn bản") as they follow "một số" when whole documents are meant, folded. One
    word-end look-ahead for all of them: a look-around per alternative made the pattern take 0.09 s to
    compile, paid by every `kg check` of a text with "thay thế" or "bãi bỏ"."""
    words = sorted({*known_type_names(), "văn bản"}, key=len, reverse=True)
    alternatives = "|".join(r"\s+".join(re.escape(part) for part in word.split()) for word in words)
    return re.compile(rf"\s*(?:{alternatives})(?![\wÀ-ỹ])")


_OPENING = re.compile(r"^\s*(?:điều\s+\d+\s*[.:]?|[-–•+*]|\d{1,2}[.)]|[a-zđ]\))?\s*")


@cache
def _this_acts() -> re.Pattern[str]:
    """The citing document named as the actor right before a cue: "<type word> này" and at most three words
    ("Nghị định này quy định chi tiết", "Thông tư này hướng dẫn"), folded."""
    words = "|".join(_cue_pattern(word) for word in sorted(known_type_names(), key=len, reverse=True))
    return re.compile(rf"(?:{words})\s+này(?:\s+[\wÀ-ỹ]+){{0,3}}\s*$")

_THIS = re.compile(r"\bnày\b")


def _acts_itself(sentence: str, cue_start: int) -> bool:
    """The sentence names the citing document itself, or opens with the cue (after "Điều 2.", "1.", "a)")."""
    opening = _OPENING.sub("", sentence[:cue_start])
    return not opening.strip() or _THIS.search(sentence) is not None


def subject_relation(lead_in: str) -> str | None:
    """Relation of cited document A to B when B appears in A's subject; `lead_in` is the text between them.

    The nearest cue before B wins (longest on a tie); the lead-in must not cross a sentence end (". ", ";"),
    nor a list comma that directly precedes B ("…, Kế hoạch số 64…" lists, it does not relate).
    A passive cue ("được sửa đổi, bổ sung tại") gives the relation B -> A: see `subject_link`.
    """
    link = subject_link(lead_in)
    return link[0] if link else None


_SENTENCE_END = re.compile(r"[.;:!?][”\"]?(?:\s|$)")
_LIST_END = re.compile(r"[,”\"]\s*(và\s*)?$")
_PARENTHESIS_LIST = re.compile(r"\)\s*,")
_NEW_LIST_ITEM = re.compile(r"\n[ \t]*(?:[-–•+*][ \t]|\d{1,2}[.)][ \t]|[a-zđ]\)[ \t])")


def subject_link(lead_in: str) -> tuple[str, bool] | None:
    """(relation, reverse) for the text between two cited documents A and B; reverse means B -> A."""
    data = relation_cues()
    if len(lead_in) > data["subject_max_gap"]:
        return None
    if _SENTENCE_END.search(lead_in):
        return _amended_after_long_subject(lead_in)  # else the subject ends with its sentence
    if _NEW_LIST_ITEM.search(lead_in):
        return None  # "… Luật Đầu tư\n- Thông tư số …": the next item of a list, not A's subject
    text = fold(lead_in)
    if _LIST_END.search(text) or text.endswith(" và"):
        return None
    if _PARENTHESIS_LIST.search(text):
        return None  # "A (…), B-phrase (thay thế C)": A's parenthesis closed, a list went on
    found: tuple[int, int, str, bool] | None = None
    cue_start = 0
    for pattern, entry in _compiled_cues("subject"):
        for match in pattern.finditer(text):
            candidate = (match.end(), len(entry["cue"]), entry["relation"], bool(entry.get("reverse")))
            if found is None or candidate[:2] > found[:2]:
                found, cue_start = candidate, match.start()
    if found and _purpose_before(text, cue_start, passive=found[3]):
        return None  # "… của Chính phủ để xây dựng … thực hiện Pháp lệnh": the citing sentence's purpose
    if found and not found[3] and _done_at().match(text, found[0]):
        # "(sửa đổi, bổ sung tại Nghị định B)" is passive; "mẫu biểu đã hướng dẫn tại Công văn B" relates none
        return (found[2], True) if found[2] in _CHANGES and _opens_parenthesis(text, cue_start) else None
    if found and found[2] in data["proposal"]["relations"] and _proposal_words().search(text, 0, cue_start):
        return "cites", False  # "Tờ trình A về việc đề nghị ban hành Nghị quyết sửa đổi … Nghị quyết B"
    if found and not found[3] and _acts_on_a_part(found[2], text, found[0]):
        return data["partial"]["becomes"], False  # "về việc bãi bỏ một số điều của Quyết định số …"
    return (found[2], found[3]) if found else None


_CHANGES = frozenset({"amends", "replaces", "repeals"})


def parallel_change(lead_in: str) -> bool:
    """A change cue right after a comma, with no subject opener before it, between two cited documents A and
    B ("… thay thế Quyết định số A ngày … của UBND tỉnh, thay thế Quyết định số B"): when the citing document
    itself changes A, the cue is its second act on B, not A's subject. The caller checks that A is changed."""
    text = fold(lead_in)
    openers = _purpose_words()[1]
    for pattern, entry in _compiled_cues("subject"):
        if entry["relation"] not in _CHANGES or entry.get("reverse"):
            continue
        for match in pattern.finditer(text):
            before = text[: match.start()].rstrip()
            if before.endswith(",") and openers.search(before) is None:
                return True
    return False


_INNER_SEMICOLON = re.compile(r";\s+(?=[a-zà-ỹđ])")  # "thủ tục hải quan; kiểm tra, giám sát hải quan; …"


@cache
def _purpose_words() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    data = relation_cues()["purpose"]
    return (re.compile("|".join(_cue_pattern(word) for word in data["words"])),
            re.compile("|".join(_cue_pattern(word) for word in data["openers"])),
            re.compile("(?:" + "|".join(_cue_pattern(word) for word in data["coordinators"]) + r")[\s,]*$"))


def _purpose_before(text: str, cue_start: int, passive: bool = False) -> bool:
    """A purpose word ("để", "nhằm") before the cue and no subject opener ("về") before that word, or a
    coordinator ("và") right before an active cue with neither an opener nor a cue before it: the citing
    sentence goes on after A, A's subject (if any) has not begun (relation_cues.json "purpose"). A passive
    cue after "và" still describes A ("Luật … số 85/2015/QH13, ngày 25/6/2015 và được sửa đổi, bổ sung bởi
    Luật số 83/2025/QH15", real draft QĐ of MTTQ Lương Minh)."""
    words, openers, coordinator = _purpose_words()
    purpose = words.search(text, 0, cue_start)
    if purpose is not None and openers.search(text, 0, purpose.start()) is None:
        return True
    if passive:
        return False
    joined = coordinator.search(text, 0, cue_start)
    return joined is not None and openers.search(text, 0, joined.start()) is None and not any(
        pattern.search(text, 0, joined.start()) for pattern, _ in _compiled_cues("subject"))


@cache
def _done_at() -> re.Pattern[str]:
    words = "|".join(_cue_pattern(word) for word in relation_cues()["done_at"]["words"])
    return re.compile(rf"\s*(?:{words})")


_PARENTHESIS_OPENING = re.compile(r"\(\s*(?:đã\s+)?$")
_PASSIVE_OPENING = re.compile(r"\(\s*(?:đã\s+)?được\s")


def _opens_parenthesis(text: str, cue_start: int) -> bool:
    """The cue opens a parenthesis right after A: "A (sửa đổi, bổ sung tại …", "A (đã được sửa đổi …"."""
    return _PARENTHESIS_OPENING.search(text, 0, cue_start) is not None


def _amended_after_long_subject(lead_in: str) -> tuple[str, bool] | None:
    """A subject written with semicolons between its parts ("Thông tư số A … quy định về thủ tục hải quan;
    kiểm tra, giám sát hải quan; thuế xuất khẩu … (được sửa đổi, bổ sung bởi khoản 59 Điều 1 Thông tư số B",
    real 39365/CHQ-GSQL), followed by a parenthesis still open before B that opens with a passive cue: B
    changes A. Only a semicolon followed by a small letter goes on a subject (a list item opens with a
    capital or a marker), and only the parenthesis is read."""
    opened = lead_in.rfind("(")
    if opened < 0 or ")" in lead_in[opened:]:
        return None
    if _SENTENCE_END.search(_INNER_SEMICOLON.sub(", ", lead_in[:opened])) or _NEW_LIST_ITEM.search(lead_in):
        return None
    parenthesis = lead_in[opened:]
    if not _PASSIVE_OPENING.match(fold(parenthesis)):
        return None
    link = subject_link(parenthesis)
    return link if link and link[1] and link[0] in _CHANGES else None


@cache
def _proposal_words() -> re.Pattern[str]:
    """Words of a subject that proposes a change rather than making it (relation_cues.json "proposal")."""
    return re.compile("|".join(_cue_pattern(word) for word in relation_cues()["proposal"]["words"]))


def title_relation(lead_in: str) -> str | None:
    """Relation of the citing document to a document its own title names, `lead_in` being the title up to
    the citation ("KẾ HOẠCH / Triển khai thực hiện Thông tư số …" -> implements; "NGHỊ QUYẾT / Sửa đổi,
    bổ sung một số điều của Quy định kèm theo Nghị quyết số …" -> amends): the title reads like a subject.
    A long title ends with what it does in parentheses ("… trên địa bàn tỉnh An Giang (thay thế Nghị quyết số
    …"): the parenthesis is read alone, whatever the title before it holds (";", 300 characters)."""
    if _preamble_began(lead_in):
        return None
    return title_parenthesis_relation(lead_in) or (
        link[0] if (link := subject_link(lead_in)) and not link[1] else None)


def title_parenthesis_relation(lead_in: str) -> str | None:
    """The active cue of a parenthesis the title leaves open before the citation ("… (thay thế Nghị quyết số
    …"): what the titled document does, even where a document cited earlier in the title could own it."""
    opened = lead_in.rfind("(")
    if opened < 0 or ")" in lead_in[opened:] or _preamble_began(lead_in[:opened]):
        return None
    link = subject_link(lead_in[opened + 1 :])
    return link[0] if link and not link[1] else None


def _preamble_began(title: str) -> bool:
    """A line of the text from the title on opens with a citing cue ("Căn cứ …"): the title has ended and
    the text is the preamble, where "(thay thế Quyết định số B" belongs to the document cited before it
    ("Căn cứ Quyết định số A … về việc kiện toàn Ban Chỉ đạo (thay thế Quyết định số B …)")."""
    return any(citing_relation(line) is not None for line in title.split("\n")[1:])


_LIST_ITEM_END = re.compile(r"[;,][\s\-–•+*]*$")


def continues_list(gap: str) -> bool:
    """The text between two citations closes the first one's list item ("…;", "…,", "…;\\n- ") without
    ending its sentence: "Căn cứ Nghị định A …; Nghị định B …" lists B under the same cue as A."""
    if len(gap) > 400:
        return False
    end = _LIST_ITEM_END.search(gap)
    return end is not None and _SENTENCE_END.search(gap, 0, end.start()) is None


_ITEM_OPENING = re.compile(r"[ \t]*(?:[-–•+*]|\d{1,2}[.)]|[a-zđ]\))?[ \t]*")
_LIST_BREAK = re.compile(r"\n[ \t]*(?:Điều\s+\d|Chương\s|[IVX]+\.\s|Nơi nhận)", re.IGNORECASE)
_LEAD_START = re.compile(r".*(?:[.;]\s|:\n)", re.S)
_AS_FOLLOWS = re.compile(r"như\s+sau\s*$", re.IGNORECASE)


def list_lead_relation(text: str, start: int) -> str | None:
    """A citation opening an item of a list whose lead-in, ending a line with ":", is the citing document's
    act ("Điều 1. Bãi bỏ các Nghị quyết sau:\n1. Nghị quyết số …\n2. Nghị quyết số …", "… này thay thế các
    Quyết định sau:\n- …") takes the lead-in's relation. Not a citation inside an item's text, nor past a new
    article, heading or the recipients."""
    line_start = text.rfind("\n", 0, start) + 1
    opening = _ITEM_OPENING.fullmatch(text, line_start, start)
    if opening is None:
        return None
    if not opening.group().strip() and not text[:line_start].rstrip().endswith((":", ";", ".")):
        return None  # no list marker, and the line before goes on into this one (a hard line break)
    colon = text.rfind(":", max(0, start - 3000), line_start)
    if colon < 0 or text[colon + 1 : text.find("\n", colon) % (len(text) + 1)].strip():
        return None  # no lead-in, or a colon inside a line ("lúc 14:00", "Kính gửi: …")
    if _LIST_BREAK.search(text, colon, line_start):
        return None  # a new article or heading ends the list
    if text[colon + 1 : line_start].lstrip().startswith(("“", '"')):
        return None  # the new wording an amendment quotes ("… như sau:\n“…")
    window = text[max(0, colon - 400) : colon]
    lead_start = _LEAD_START.match(window)
    lead = window[lead_start.end() if lead_start else 0 :]
    if _AS_FOLLOWS.search(lead):
        return None  # "Sửa đổi, bổ sung khoản 3 Điều 4 như sau:": the new wording follows, not a list
    # "Bãi bỏ các … sau:"; else a cue that follows what it acts on: "Các văn bản sau đây hết hiệu lực …:"
    return body_relation(lead + " ") or body_relation("", lead)


def may_change(changer_type: str | None, changed_type: str | None) -> bool:
    """Can a document of this type amend, replace or repeal one of that type? Laws and the constitution
    only by laws and resolutions (relation_cues.json "rank"); a missing type allows it."""
    rank = relation_cues()["rank"]
    return changed_type not in rank["laws"] or changer_type is None or changer_type in rank["changed_by"]


def relation_iri(name: str) -> str:
    return vocab.RELATIONS[name]
