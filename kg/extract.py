"""Text -> citations: numbered references ("Chỉ thị số 33/CT-TTg ngày 26/11/2021 của Thủ tướng Chính phủ")
and references by name ("Luật Thực hiện dân chủ ở cơ sở năm 2022", "Nghị quyết TW4 (khóa XII)").

How it works: the text is NFC-normalised and folded (kg.grammar.fold) into a same-length working copy,
with an offset map back to the string the caller gave. One regex finds numbered "cores"
(`33/CT-TTg`, `59/2023/NĐ-CP`, `18-NQ/TW`); each core is then read locally: to its left the type
word, "số", coordinated numbers and a pinpoint; to its right the date, the issuer phrase and the subject.
Local windows never reach past the neighbouring cores, so the work per byte stays linear.
No spaCy here: kg.spacy_component wraps this module.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass
from datetime import date as _date
from functools import lru_cache
from operator import itemgetter
from pathlib import Path

from kg.grammar import _UPPER_CLASS, Grammar, TypeWord, clean, fold_clean, grammar, key
from kg.models import Citation

# --- the working text ----------------------------------------------------------------------

_COMBINING_RUN_RE = re.compile(r"[\u0300-\u036f]+")
# A line holding only a page number (1-3 digits): page furniture inside running text.
_PAGE_NUMBER_RE = re.compile(r"\n[ \t]*\d{1,3}[ \t\r]*(?=\n)")


@dataclass(slots=True)
class Prepared:
    """The caller's text, its NFC form `clean` (look-alikes mapped, page numbers blanked) and the
    folded `work` copy patterns run on (`clean` and `work` have the same length)."""

    original: str
    clean: str
    work: str
    # Combining sequences that NFC changed: (start in clean, length in clean, start in original, length
    # there), sorted. Offsets elsewhere shift by what the sequences before them gained or lost.
    clusters: list[tuple[int, int, int, int]]
    cluster_starts: list[int]

    def to_original(self, i: int) -> int:
        k = bisect.bisect_right(self.cluster_starts, i) - 1
        if k < 0:
            return i
        start, length, orig_start, orig_length = self.clusters[k]
        if i < start + length:  # inside a composed sequence: its first character
            return orig_start + min(i - start, orig_length - 1)
        return orig_start + orig_length + (i - start - length)


def _nfc_with_clusters(text: str, data: bytes) -> tuple[str, list[tuple[int, int, int, int]]]:
    # Only combining marks change Vietnamese text under NFC; a text without any is taken as it is
    # (much faster than unicodedata.is_normalized, which slows down on many Vietnamese letters).
    # In UTF-8 (`data`) every combining mark U+0300-U+036F starts with byte CC or CD, and nothing else
    # does: encoding and two memchr cost half of a regex scan for the range.
    if b"\xcc" not in data and b"\xcd" not in data:
        return text, []
    clusters: list[tuple[int, int, int, int]] = []
    pieces: list[str] = []
    shift = 0  # characters the composed text has lost so far
    last = 0
    # A cluster is a run of marks and the letter before it (marks at the very start have none).
    # Looking for the marks scans faster than looking for "any letter followed by marks".
    for m in _COMBINING_RUN_RE.finditer(text):
        start, end = m.start() - 1, m.end()
        if start < 0:
            continue
        written = text[start:end]
        piece = unicodedata.normalize("NFC", written)
        if piece != written:
            clusters.append((start - shift, len(piece), start, len(written)))
            shift += len(written) - len(piece)
        pieces += (text[last:start], piece)
        last = end
    if not pieces:
        return text, []
    pieces.append(text[last:])
    return "".join(pieces), clusters


def prepare(text: str) -> Prepared:
    data = text.encode("utf-8", "surrogatepass")  # scanned by bytes for marks and Cyrillic look-alikes
    nfc, clusters = _nfc_with_clusters(text, data)
    cleaned = clean(nfc, data if nfc is text else None)
    cleaned = _PAGE_NUMBER_RE.sub(lambda m: "\n" + " " * (len(m.group()) - 1), cleaned)
    return Prepared(text, cleaned, fold_clean(cleaned), clusters, [c[0] for c in clusters])


# --- patterns (compiled once at import; no quantified group can match the same text two ways) ---

_NUM = r"\d{1,6}(?:\.\d{1,3})?[a-zđ]?"
_PIECE = r"[A-ZĐ](?:[\w&]|\.(?=\w))*"
_CORE_RE = re.compile(
    # a digit first (the engine then scans fast), then "not preceded by a word character, . / - or :"
    rf"(?P<num>\d(?<![\w./\-:]\d)\d{{0,5}}(?:\.\d{{1,3}})?[a-zđ]?)[ \t]{{0,4}}(?P<sep>[-/])\s{{0,8}}"
    rf"(?:(?P<year>(?:19|20)\d\d)(?:[ \t]{{0,4}}/\s{{0,8}}|(?P<noslash>[ \t]{{1,3}})))?"
    rf"(?P<sym>{_PIECE}(?:[ \t]{{0,3}}[-/]\s{{0,6}}{_PIECE}|-\d{{1,3}}(?![\d/.])|(?<=\b[A-ZĐ]) {_PIECE})*)"
)
# In the reversed text a core reads: its separator, spaces, its number backwards, then no word character.
# The separator is a literal the engine scans for fast, where _CORE_RE's leading digit class makes it
# test every character: these patterns find where cores can start, _CORE_RE is then tried only there.
_CORE_START_REVERSED_RES = tuple(
    re.compile(re.escape(sep) + r"[ \t]{0,4}[\da-zđ.]{0,10}\d(?![\w./\-:])") for sep in "/-"
)
_SYM_SPLIT_RE = re.compile(r"\s*([-/])\s*|\s+")
_NUM_TOKEN_RE = re.compile(rf"{_NUM}\Z")
_DATE_NUMERIC = r"(?P<d1>\d{1,2})\s{0,3}[/.\-]\s{0,3}(?P<m1>\d{1,2})\s{0,3}[/.\-]\s{0,3}(?P<y1>\d{4})"
_DATE_WORDS = r"(?P<d2>\d{1,2})\s{1,4}tháng\s{1,4}(?P<m2>\d{1,2})\s{0,3},?\s{1,4}năm\s{1,4}(?P<y2>\d{4})"
_DATE_RE = re.compile(
    rf"\s{{0,8}},?\s{{0,8}}ngày\s{{0,4}}(?:{_DATE_NUMERIC}|{_DATE_WORDS})(?!\d)", re.IGNORECASE
)
_SUBJECT_LEAD_RE = re.compile(r"\s{0,8},?\s{0,8}[“\"(]?\s{0,3}")
_PINPOINT_RE = re.compile(
    # parts listed before the last one ("Điều 45, Điều 46", "khoản 2 và khoản 3 Điều 36"), or the first of a
    # range ("từ Điều 21 đến Điều 28": the whole range is the pinpoint), then the last one
    r"(?:(?:từ|Từ|TỪ)\s+(?=\w{4,6}\s+\w{1,3}\s{0,3}(?:đến|ĐẾN)\s))?"
    r"(?:(?:điểm|Điểm|ĐIỂM|khoản|Khoản|KHOẢN|Điều|điều|ĐIỀU)\s+\w{1,3}\s{0,3}"
    r"(?:,\s{0,4}(?:và\s+)?|và\s+|(?:đến|ĐẾN)\s+))*"
    r"(?:(?:điểm|Điểm|ĐIỂM)\s+\w{1,3}\s{0,3},?\s{0,4})?(?:(?:khoản|Khoản|KHOẢN)\s+\d{1,3}\s{0,3},?\s{0,4})?"
    # the last article, with more numbers ("Điều 22, 24 và 25")
    r"(?:Điều|điều|ĐIỀU)\s+\d{1,3}[a-zđ]?(?:\s{0,3}(?:,\s{0,4}(?:và\s+)?|và\s+)\d{1,3}[a-zđ]?)*"
    r"\s{0,3},?\s{0,4}(?:\[\d{1,3}\]\s{0,4})?(?:(?:của|CỦA)\s+)?\Z"
)
_YEAR_SUFFIX_RE = re.compile(r"\s{1,4}(?:(?:năm|NĂM)\s{1,4})?(?P<year>(?:19|20)\d\d)(?![\d/])")
# The year written after a number without one ("Quyết định số 45/QĐ-UBND năm 2023"): read as a date is, so
# that the issuer and subject after it are read; the citation's `year` stays the year in the symbol.
_WRITTEN_YEAR_RE = re.compile(r"\s{0,8},?\s{0,8}(?:năm|NĂM|Năm)\s{1,4}(?P<year>(?:19|20)\d\d)(?![\d/])")
# A date without "ngày" in the cell after a number's ("12/QĐ-UBND\n01/02/2024\nVề việc …": a table of
# documents, each cell on its own line or after a tab or "|"), or after a comma
_CELL_SEPARATORS = frozenset("\n\t|,")
# a day and month without a year after a number ("số 4079/UBND-KT ngày 19/6 của …"), read past, no date
_YEARLESS_DATE_RE = re.compile(
    r"\s{0,8},?\s{0,8}ngày\s{1,4}\d{1,2}(?:\s{0,3}/\s{0,3}|\s{1,4}tháng\s{1,4})\d{1,2}(?![\d/.\-]|\s{0,4}(?:/|năm))"
)
# a unit written with a dash after an issuer, before the subject: " - Tổng cục Thủy lợi về việc …"
_UNIT_DASH_RE = re.compile(r"[ \t]{0,3}[-–][ \t]{1,3}(?=[A-ZĐ\u00c0-\u1ef8])")  # a capital after the dash
_UNIT_WORD_RE = re.compile(r"[ \t]*([^\s,;:.()“\"]+)")  # words of one line, up to punctuation
_UNIT_SUBJECT_STARTERS = frozenset({"về", "v/v"})
_MAX_UNIT_WORDS = 8
_CELL_DATE_RE = re.compile(rf"[ \t]{{0,8}}(?:\n|\t|\||,)[ \t]{{0,8}}{_DATE_NUMERIC}(?![\d/.\-])")
# A law named as the revision of its predecessor, then its year: "Luật Đất đai (sửa đổi) năm 2024"
_REVISED_YEAR_RE = re.compile(
    r"\s{0,3}\(\s{0,2}(?:sửa|SỬA)\s{1,3}(?:đổi|ĐỔI)(?:\s{0,2},?\s{1,3}(?:bổ|BỔ)\s{1,3}(?:sung|SUNG))?\s{0,2}\)"
    r"\s{1,4}(?:(?:năm|NĂM)\s{1,4})?(?P<year>(?:19|20)\d\d)(?![\d/])"
)
_HEADER_DATE_RE = re.compile(rf"ngày\s{{0,6}}(?:{_DATE_NUMERIC}|{_DATE_WORDS})", re.IGNORECASE)

# a line (spaces first) opening with two capitals: where a heading may interrupt a subject
_CAPITAL_LINE_RE = re.compile(rf"\n[ \t]*{_UPPER_CLASS}{_UPPER_CLASS}")
_ITEM_MARKS = ("-", "+", "•")  # what opens a list item on a line of its own
_LEFT_WINDOW = 120
_SHORT_LEFT_WINDOW = 40
_HEADER_ZONE = 600  # characters at the top where a capitalised "Số" is the document's own number
_TITLE_ZONE = 2500  # characters at the top that hold the title, and the enacting body's line under it
_OWN_NUMBER: dict = {}  # what the left-hand reading returns for the document's own number
_RIGHT_WINDOW = 320
_ISSUER_WINDOW = 110
_SUBJECT_MAX = 400
_MAX_INTERMEDIATE = 6  # "Kế hoạch thanh tra số …": words between a type word and "số"
_MAX_LAW_NAME = 24  # "Luật Bầu cử đại biểu Quốc hội và đại biểu Hội đồng nhân dân số …"


# --- small helpers -------------------------------------------------------------------------


def _collapse(text: str) -> str:
    return " ".join(text.split())


@lru_cache(maxsize=4096)
def _iso(day: str, month: str, year: str) -> str | None:
    try:
        return _date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


def _date_of(m: re.Match[str]) -> str | None:
    d1, m1, y1, d2, m2, y2 = m.group("d1", "m1", "y1", "d2", "m2", "y2")
    return _iso(d1, m1, y1) if d1 else _iso(d2, m2, y2)


_PIECE_RE = re.compile(r"[A-ZĐ][A-ZĐ0-9&.]*(?:[a-zđ][A-ZĐ0-9&.]*)?\Z")
_SEP_RE = re.compile(r"[-/]")
_TYPED_SYMBOL_RE = re.compile(r"[A-ZĐ][A-Za-zĐđ]*[-/][A-ZĐ]")  # type code, separator, issuer
# Readings of a symbol depend on its text only, and the same symbols ("NĐ-CP", "QĐ-UBND") come back in
# every document: the functions that read symbols are cached (lru_cache) to spare the per-citation work.


@lru_cache(maxsize=4096)
def _is_symbol_piece(piece: str) -> bool:
    """A symbol piece is an abbreviation ("TTg", "QĐi", "V.I"), not a word ("Nghị", "Sở", "Ng")."""
    if not _PIECE_RE.match(piece):
        return False
    return piece.isupper() or sum(c.isalpha() for c in piece) >= 3


class _Token(tuple):
    """(text, start, end, lower-case text): a word or a punctuation mark of the working text."""

    __slots__ = ()
    text = property(itemgetter(0))
    start = property(itemgetter(1))
    end = property(itemgetter(2))
    low = property(itemgetter(3))


# (spaces, token): matches follow each other without gaps, so positions add up from the lengths.
_SPACE_RE = re.compile(r"\s")
_SPACED_TOKEN_RE = re.compile(r"(\s*)(\w+(?:[./]\w+)*|[^\w\s])")


def _tokens(work: str, start: int, end: int) -> list[_Token]:
    out, pos, new = [], start, tuple.__new__
    for space, piece in _SPACED_TOKEN_RE.findall(work, start, end):
        pos += len(space)
        after = pos + len(piece)
        out.append(new(_Token, (piece, pos, after, piece.lower())))
        pos = after
    return out


class _LazyTokens:
    """The tokens _tokens(work, start, end) gives, made one by one as far as they are looked at."""

    __slots__ = ("work", "end", "pos", "items", "done")

    def __init__(self, work: str, start: int, end: int):
        self.work, self.end, self.pos = work, end, start
        self.items: list[_Token] = []
        self.done = False

    def has(self, i: int) -> bool:
        """Is there a token i (made now if needed)?"""
        items = self.items
        while len(items) <= i and not self.done:
            m = _SPACED_TOKEN_RE.match(self.work, self.pos, self.end)
            if m is None:
                self.done = True
                break
            piece = m.group(2)
            self.pos = after = m.end()
            items.append(tuple.__new__(_Token, (piece, m.start(2), after, piece.lower())))
        return i < len(items)

    def skip_to(self, i: int, end: int) -> int:
        """The index of the first token that starts at or after `end`, counting from token i. The tokens
        in between are not made when no token can run across `end` (a name ends before a space or a mark
        other than "." and "/"): tokenising then resumes at `end`."""
        items = self.items
        while i < len(items) and items[i].start < end:
            i += 1
        after = self.work[end:end + 1]
        if i == len(items) and not self.done and after != "." and after != "/" and self.pos < end:
            self.pos = end
        while self.has(i) and items[i].start < end:
            i += 1
        return i


def _written_as(word: TypeWord, toks: list[_Token]) -> bool:
    """Abbreviated type words ("NQ") count only in capitals, as written in the data."""
    return not word.abbreviation or " ".join(t.text for t in toks) == word.written


def _type_at_end(g: Grammar, toks: list[_Token], end: int) -> tuple[TypeWord | str | None, int]:
    """The type word (or generic word "văn bản") made of toks[i:end], longest first; returns (word, i)."""
    if end < 1 or toks[end - 1].low not in g.type_last_words:
        return None, end
    lows = [t.low for t in toks[max(0, end - g.max_type_len - 1):end]]
    for n in range(min(len(lows), g.max_type_len), 0, -1):
        words = " ".join(lows[-n:])
        if words in g.type_words and _written_as(g.type_words[words], toks[end - n:end]):
            if _common_noun(g, lows, n):
                return None, end
            return g.type_words[words], end - n
        if words in g.generic_words:
            return words, end - n
    return None, end


def _common_noun(g: Grammar, lows: list[str], n: int) -> bool:
    """The type word of the last n words ends a common noun ("pháp luật" in "… quy phạm pháp luật số …")."""
    return len(lows) > n and f"{lows[-n - 1]} {lows[-n]}" in g.common_nouns


_TYPE_LENGTHS: dict[int, tuple[Grammar, dict[str, tuple[int, ...]]]] = {}


def _type_lengths(g: Grammar) -> dict[str, tuple[int, ...]]:
    """Last word -> the lengths in words of the type and generic words ending with it, longest first."""
    cached = _TYPE_LENGTHS.get(id(g))
    if cached is None or cached[0] is not g:
        lengths: dict[str, set[int]] = {}
        for phrase in [*g.type_words, *g.generic_words]:
            parts = phrase.split()
            if len(parts) <= g.max_type_len:  # as _type_at_end, which reads no more words
                lengths.setdefault(parts[-1], set()).add(len(parts))
        cached = _TYPE_LENGTHS[id(g)] = (g, {w: tuple(sorted(ns, reverse=True)) for w, ns in lengths.items()})
    return cached[1]


def _type_of_words(g: Grammar, words: list[str], lows: list[str]) -> tuple[TypeWord | str | None, int]:
    """_type_at_end for plain words (the last one is known to end a type word): (word, its length).
    Only the lengths some type or generic word ending with that last word has are tried."""
    available = len(lows)
    for n in _type_lengths(g).get(lows[-1], ()):
        if n > available:
            continue
        joined = " ".join(lows[-n:])
        word = g.type_words.get(joined)
        if word is not None and (not word.abbreviation or " ".join(words[-n:]) == word.written):
            return (None, 0) if _common_noun(g, lows, n) else (word, n)
        if joined in g.generic_words:
            return joined, n
    return None, 0


# In the reversed text: "số" (a whole token: a space before it) or nothing, then up to 4 words separated by
# spaces, each a whole token (not part of a longer word, nor the end of "x.y" or "x/y"). Cases spelled
# out: IGNORECASE would also take the long s "ſ", which str.lower() does not turn into "s".
_REVERSED_TYPE_WORDS_RE = re.compile(r"(\s*[ốỐ][sS](?=\s))?((?:\s+\w+(?![./]?\w)){1,4})")
# As _SPACED_TOKEN_RE's tokens, which read backwards are the same; a word must end where its token ends
# (no backtracking into a shorter one).
_TOKEN = r"(?:\w+(?:[./]\w+)*(?![./]?\w)|[^\w\s])"
_REVERSED_THREE_TOKENS_RE = re.compile(rf"\s*({_TOKEN})\s*({_TOKEN})\s*{_TOKEN}")
_REVERSED_ONE_TOKEN_RE = re.compile(rf"\s*({_TOKEN})")
# "số" in small letters as a whole token (a capital "Số" may be the document's own number), read backwards
_REVERSED_LOWER_SO_RE = re.compile(r"\s*[ốỐ]s(?!\w)(?![./]\w)")


@lru_cache(maxsize=8)
def _reversed_words_re(count: int) -> re.Pattern[str]:
    """`count` words read backwards, as _REVERSED_TYPE_WORDS_RE reads them (spaces, then a word)."""
    return re.compile(rf"(?:\s+\w+){{{count}}}")


def _type_at_start(g: Grammar, toks: list[_Token], start: int) -> TypeWord | None:
    if start >= len(toks) or toks[start].low not in g.type_first_words:
        return None
    lows = [t.low for t in toks[start:start + g.max_type_len]]
    for n in range(len(lows), 0, -1):
        words = " ".join(lows[:n])
        if words in g.type_words and _written_as(g.type_words[words], toks[start:start + n]):
            return g.type_words[words]
    return None


# --- numbered citations ----------------------------------------------------------------------


@dataclass(slots=True)
class _Found:
    start: int  # in the clean/work text
    end: int
    core_start: int
    core_end: int
    number: str
    sep: str
    year: int | None
    symbol: str
    type_word: TypeWord | None
    has_type_word: bool  # a type word or "văn bản" was written
    name: str | None = None  # "Luật Tổ chức chính quyền địa phương" before "số"
    date: str | None = None
    issuer: str | None = None
    subject: str | None = None
    pinpoint: str | None = None
    tail: int = 0  # end of what the right-hand reading consumed (date, issuer)
    compact_group: int | None = None  # "số 217, 218-QĐ/TW": members share everything
    chain_next: _Found | None = None  # the next citation of a coordination ("A, B và C của …")
    issuer_from_left: bool = False  # written before the number: it can flow on to "…, số B"
    list_head: bool = False  # its type was written once for a list ("các Nghị định: số A; số B")
    written_year: int | None = None  # "số 45/QĐ-UBND năm 2023": the year written after the number


@lru_cache(maxsize=4096)
def _parse_symbol(raw: str) -> tuple[str, int]:
    """Spaces removed; pieces that are words (not abbreviations) cut the symbol. Returns (symbol, used)."""
    if " " not in raw and "\n" not in raw and "\t" not in raw:  # the usual case: no spaces to remove
        pieces = _SEP_RE.split(raw)
        if _is_symbol_piece(pieces[0]) and all(_is_symbol_piece(p) or p.isdigit() for p in pieces[1:]):
            return raw, len(raw)
    pos, out, used = 0, "", 0
    parts = _SYM_SPLIT_RE.split(raw)
    # re.split with one group gives [piece, sep, piece, sep, ...]; sep None for a plain space.
    for i in range(0, len(parts), 2):
        piece = parts[i]
        if not (_is_symbol_piece(piece) or (i and piece.isdigit())):  # "CV-01": a numbered unit
            break
        sep = parts[i - 1] if i else ""
        out += (sep or "") + piece
        pos = raw.index(piece, pos) + len(piece)
        used = pos
    return out, used


@lru_cache(maxsize=4)
def _date_and_introducer_re(introducer: str) -> re.Pattern[str]:
    """_DATE_RE then the introducer pattern, each optional: `(?P<dated>date)?(?P<intro>introducer)?`."""
    return re.compile(rf"(?P<dated>{_DATE_RE.pattern})?(?P<intro>{introducer})?", re.IGNORECASE)


@lru_cache(maxsize=4)
def _two_word_starts(*phrase_sets: frozenset[str]) -> frozenset[str]:
    """First words of the phrases of two words or more ("trả lời", "và các") in these sets."""
    return frozenset(w.split()[0] for phrases in phrase_sets for w in phrases if " " in w)


class _Reader:
    def __init__(self, prepared: Prepared):
        self.p = prepared
        self.work = prepared.work
        self.g = grammar()
        self.reversed_work = prepared.work[::-1]  # the left of a core is read backwards from it
        self.date_and_introducer_re = _date_and_introducer_re(self.g.introducer_re.pattern)
        self.after_issuer_re = self.g.after_issuer_re
        self.place_kind_starts = _two_word_starts(frozenset(self.g.place_levels))  # "thành" of "thành phố"
        self.own_ids: set[tuple] = set()  # number and symbol of the document itself, from its header
        self.written_year_seen = False  # a year written after a number ("số 45/QĐ-UBND năm 2023")

    def clause_end(self, pos: int, limit: int) -> int:
        """Where the clause that contains pos ends (";", ":", a full stop, a new list item), or limit."""
        m = self.g.clause_end_re.search(self.work, pos, limit)
        return m.start() if m else limit

    # -- issuer phrase ---------------------------------------------------------------------
    def issuer(self, pos: int, limit: int, joins: int = 0) -> tuple[int, int] | None:
        """The issuer phrase starting at pos (after "của"), as (start, end), or None. `joins`: how many
        further issuers a comma may add ("của Bộ Tài chính, Bộ Nội vụ" for a joint symbol TTLT-BTC-BNV)."""
        full_end = min(limit, pos + _ISSUER_WINDOW)
        work = self.work
        session_re = self.g.session_re
        session = session_re.match(work, pos, limit) if session_re and work[pos:pos + 1] == "H" else None
        if session is not None:
            if self.g.issuer_name_re.match(work, session.end(), limit):
                pos = session.end()  # "Hội nghị lần thứ sáu Ban Chấp hành Trung ương Đảng": the body issued
            elif session.group("ordinal"):  # "Hội nghị Trung ương 6 khóa XII": the plenum, number and term
                end = pos + len(session.group().rstrip())
                term = self.g.term_re.match(work, end, limit)
                return pos, term.end() if term else end
        # the name at pos, matched once for both readings (a phrase starts with a capital)
        first = self.g.issuer_name_re.match(work, pos, limit) if work[pos:pos + 1].isupper() else None
        if first is not None:
            quick = self._complete_issuer(first, pos, full_end, joins)
            if quick is not None:
                return quick
        # Tokens are made as the reading looks at them: most phrases end a few words in.
        return self._issuer_span(_LazyTokens(work, pos, full_end), limit, first, pos, joins)

    def _complete_issuer(
        self, m: re.Match[str], pos: int, full_end: int, joins: int = 0
    ) -> tuple[int, int] | None:
        """The reading of _issuer_span when the phrase is a central name ("Thủ tướng Chính phủ", "Bộ Tài
        chính"), found without tokenising: 60 % of phrases. After a complete name the reading stops at
        the next token whatever it is, unless that token is "và" or, with `joins`, a comma (another issuer
        may follow): None then, and None whenever this shortcut does not apply. `m`: the issuer name matched
        at pos."""
        work = self.work
        k = key(m.group())
        if k not in self.g.complete_issuers or k in self.g.roles:
            return None
        end = m.end()
        if end < full_end:
            if work[end] in "./":  # the last token may run on ("phủ.X"): the general reading decides
                return None
            nxt = _SPACED_TOKEN_RE.match(work, end, full_end)
            if nxt is not None and (nxt.group(2).lower() == "và" or joins and nxt.group(2) in (",", "-")):
                return None
        return pos, end

    def _issuer_span(
        self, toks: _LazyTokens, limit: int, first: re.Match[str] | None, pos: int, joins: int = 0
    ) -> tuple[int, int] | None:
        """The span of the issuer phrase at the first token, or None. `first`: the issuer name matched
        at pos, where a capital starts (None there: no name)."""
        g, work, has, items = self.g, self.work, toks.has, toks.items
        if not has(0) or not items[0].text[0].isupper():
            return None
        start, end, words, i = items[0].start, items[0].start, 0, 0
        only_role = complete = False
        stop_words, strong_stop_words, two_word_starts = g.stop_words, g.strong_stop_words, _two_word_starts(
            g.stop_words, g.strong_stop_words)
        levels, kind_starts, place_seen = g.place_levels, self.place_kind_starts, False
        while (i < len(items) or has(i)) and words < g.max_issuer_words:
            text, tok_start, tok_end, low = items[i]
            # a known name counts at the start, or capitalised (the big pattern is tried only then)
            if i == 0 and tok_start == pos:  # a capital is there (else the phrase ended above)
                m = first
            else:
                m = g.issuer_name_re.match(work, tok_start, limit) if i == 0 or text[0].isupper() else None
            if m:
                if complete:
                    break
                name = key(m.group())
                only_role = words == 0 and name in g.roles
                complete = name in g.complete_issuers
                end, words = m.end(), words + len(m.group().split())
                i = toks.skip_to(i, end)
                continue
            if not text[0].isalpha():
                if text.isdigit() and len(text) <= 4 and words > 0 and self._numbered_body(start, end):
                    end, words, i = tok_end, words + 1, i + 1  # "Ban Chỉ đạo 35 Trung ương": part of the name
                    continue
                if text == "." and words > 0 and items[i - 1][3] in g.kind_abbreviations and has(i + 1) \
                        and items[i + 1][0][0].isupper() and items[i + 1][1] > tok_end:
                    i += 1  # "UBND TP. Hồ Chí Minh": an abbreviated place kind, the name after it
                    continue
                if text == "," and only_role and has(i + 1) and items[i + 1][0][0].isupper():
                    i += 1
                    continue
                if text == "," and words > 0 and self._higher_place_follows(toks, i):
                    i += 1  # "Ủy ban nhân dân huyện Bình Sơn, tỉnh Quảng Ngãi": the place goes on
                    continue
                if text in (",", "-") and joins and words > 0 and self._issuer_starts(toks, i + 1, limit):
                    # "Bộ Tài chính, Bộ Nội vụ", "Bộ Tài chính - Bộ Lao động - …": joint issuers
                    i, complete, joins = i + 1, False, joins - 1
                    continue
                break
            # two words are looked up only where a stop phrase of two words can start
            two = low + " " + items[i + 1][3] if low in two_word_starts and has(i + 1) else low
            if low in strong_stop_words or two in strong_stop_words:
                break
            if (text.islower() or text.isupper() and len(text) > 1 and words > 0) and (
                low in stop_words or two in stop_words
            ):
                break
            if low == "và":  # "Ủy ban nhân dân tỉnh và Ban Dân vận Tỉnh ủy": only before another issuer
                if not self._issuer_starts(toks, i + 1, limit):
                    break
                i, complete = i + 1, False
                continue
            if complete:
                break
            if low in levels and has(i + 1) and f"{low} {items[i + 1][3]}" in g.not_places:
                end, words, i = items[i + 1][2], words + 2, i + 2  # "Bảo hiểm xã hội tỉnh": no commune
                continue
            if text.islower() and words > 0:  # a place's kind ("tỉnh", "thành phố"), or after one a word
                # in small letters that starts something else ("UBND tỉnh phân bổ …", "UBND huyện X tổ chức")
                if low in kind_starts and has(i + 1) and f"{low} {items[i + 1][3]}" in levels:
                    end, words, place_seen, i = items[i + 1][2], words + 2, True, i + 2
                    continue
                if low in levels:
                    place_seen = True
                elif place_seen:
                    break
            if words > 0 and text[0].isupper() and self._starts_something_else(toks, i, end):
                break
            end, words, only_role, i = tok_end, words + 1, False, i + 1
        return (start, end) if end > start else None

    def _same_body_after(self, name: str, pos: int, limit: int) -> int:
        """The end of the names of the same central body written after the issuer `name` (a key) at pos
        (", Ban Bí thư" after "Bộ Chính trị", both sign as TW), or pos. The issuer stays the first name (as
        the seeds' gold reads it); the subject is read after the others. Other bodies are no part of it
        ("Thủ tướng Chính phủ, Ủy ban nhân dân tỉnh ban hành …")."""
        codes, work = self.g.central_body_codes, self.work
        code = codes.get(name)
        while code is not None and work[pos:pos + 1] == ",":
            start = pos + 1
            while start < limit and work[start] in " \t\n":
                start += 1
            m = self.g.issuer_name_re.match(work, start, limit) if work[start:start + 1].isupper() else None
            if m is None or codes.get(key(m.group())) != code:
                break
            pos = m.end()
        return pos

    def _higher_place_follows(self, toks: _LazyTokens, comma: int) -> bool:
        """Does a place of a higher level follow the comma at toks[comma], the phrase before it ending with a
        place ("UBND xã Bình Phước, huyện Bình Sơn", "… phường Bắc Cam Ranh, tỉnh Khánh Hòa")? A lower or
        equal one starts something else ("của UBND huyện, xã Bình Phước tổ chức …")."""
        levels, items = self.g.place_levels, toks.items
        before = None
        for k in range(comma - 2, max(-1, comma - 8), -1):  # the kind word before the place's name
            two = f"{items[k - 1].low} {items[k].low}" if k >= 1 else ""
            before = levels.get(two) or levels.get(items[k].low)
            if before is not None or not _names_a_place(items[k + 1].text):
                break
        if before is None or not _names_a_place(items[comma - 1].text):
            return False
        for size in (2, 1):
            if not toks.has(comma + size + 1):
                continue
            words = " ".join(t.low for t in items[comma + 1:comma + 1 + size])
            after = levels.get(words)
            if after is not None and _names_a_place(items[comma + 1 + size].text):
                return after[1] > before[0]
        return False

    def _numbered_body(self, start: int, end: int) -> bool:
        """Does the phrase work[start:end] end with a body named with a number after it ("Ban Chỉ đạo")?"""
        bodies = self.g.numbered_bodies
        return bool(bodies) and key(self.work[max(start, end - 20):end]).endswith(bodies)

    def _starts_something_else(self, toks: _LazyTokens, i: int, end: int) -> bool:
        """A capitalised word after an issuer that begins something else: a type word, a heading
        ("I.", "\nMỤC ĐÍCH" after mixed case), a new sentence on a new line ("\nTheo đó")."""
        g, items = self.g, toks.items
        text, tok_start, _, low = items[i]
        if low in g.type_first_words:  # _type_at_start's first test, before making its tokens
            toks.has(i + g.max_type_len - 1)  # what _type_at_start looks at
            if _type_at_start(g, items, i):
                return True
        if len(text) == 1 and toks.has(i + 1) and items[i + 1][0] in (".", ")"):
            return True
        if "\n" in self.work[end:tok_start]:
            if text.isupper() and len(text) > 1 and not self.work[items[0].start:end].isupper() \
                    and not _is_known_code(text):
                return True  # a heading in capitals on the next line
            two = low + " " + items[i + 1].low if toks.has(i + 1) else low
            return low in g.stop_words or two in g.stop_words or low in g.subject_starters
        return False

    def _issuer_starts(self, toks: _LazyTokens, i: int, limit: int) -> bool:
        g, items = self.g, toks.items
        if not toks.has(i) or not items[i].text[0].isupper():
            return False
        if g.issuer_name_re.match(self.work, items[i].start, limit):
            return True
        two = items[i].low + " " + items[i + 1].low if toks.has(i + 1) else ""
        return items[i].low in g.issuer_heads or two in g.issuer_heads

    # -- the left of a core --------------------------------------------------------------------
    def left(self, m: re.Match[str], floor: int) -> dict | None:
        """Read a short window first; a longer one only when the short one may have cut something off."""
        lo = max(floor, m.start() - _SHORT_LEFT_WINDOW)
        quick = self._quick_left_nothing(m.start(), lo, floor)
        if quick is None:
            quick = self._quick_left(m.start(), lo, floor)
        if quick is None:
            quick = self._quick_left_after_mark(m.start(), lo, floor)
        return quick if quick is not None else self._general_left(m, floor, lo)

    def _general_left(self, m: re.Match[str], floor: int, lo: int) -> dict | None:
        work, core_start = self.work, m.start()
        toks = _tokens(work, lo, core_start)
        result = self._left(m, lo, toks)
        if lo > floor and (result is None or result is not _OWN_NUMBER and result["maybe_cut"]):
            # The long window's tokens after the first space of the short one are the short one's.
            long_lo = max(floor, core_start - _LEFT_WINDOW)
            space = _SPACE_RE.search(work, lo, core_start)
            if space is None:
                return self._left(m, long_lo, _tokens(work, long_lo, core_start))
            at = space.start()
            return self._left(m, long_lo, _tokens(work, long_lo, at) + [t for t in toks if t.start > at])
        return result

    def _left(self, m: re.Match[str], lo: int, toks: list[_Token]) -> dict | None:
        """The reading of the tokens of work[lo:m.start()]."""
        g, work = self.g, self.work
        j = len(toks)
        listed: list[_Token] = []
        # coordinated numbers written once: "số 217, 218-QĐ/TW", "số 93 và 94/KH-UBND"
        k = j
        while k >= 2 and toks[k - 1].low in (",", "và") and _NUM_TOKEN_RE.match(toks[k - 2].text):
            listed.insert(0, toks[k - 2])
            k -= 2
        if listed and k >= 1 and toks[k - 1].low == "số":
            j = k
        else:
            listed = []
        colon = j >= 1 and toks[j - 1].text == ":"
        if colon:
            j -= 1
        has_so = False
        so_tok = None
        while j >= 1 and toks[j - 1].low == "số":  # "số", and the stutter "số số"
            has_so, so_tok = True, toks[j - 1]
            j -= 1
        start = so_tok.start if so_tok else (listed[0].start if listed else m.start())
        type_word, i = _type_at_end(g, toks, j)
        name = between_issuer = None
        # a list's head: "các Nghị định của Chính phủ: số 59/2023/NĐ-CP …; số 60/2023/NĐ-CP …", the items
        # maybe on lines of their own ("…:\n- Số 59/2023/NĐ-CP …;\n- Số 60/…": no document's own number)
        head_end = j - 2 if j >= 3 and toks[j - 1].text in _ITEM_MARKS else j - 1
        in_list = has_so and head_end >= 1 and toks[head_end].text in (":", ";")
        if colon and not has_so and j >= 1:  # "các Thông tư của Bộ Tài chính: 01/2024/TT-BTC …"
            head_end, in_list = j, True
        list_head = False
        if type_word is None and in_list and toks[head_end].text == ":":
            type_word, i, between_issuer = self._list_head(toks, head_end)
            list_head = type_word is not None
        if type_word is None and has_so:
            type_word, i, name, between_issuer = self._type_before_name(toks, j)
            if type_word is not None and so_tok.text == "SỐ" and toks[i].text.isupper() \
                    and not work[:toks[i].start].strip():
                return _OWN_NUMBER  # the text opens with its own title: "CHỈ THỊ CỦA THỦ TƯỚNG … SỐ 16/…"
        # "Mẫu số 01/…", "mã số …": not citations
        for n in (1, 2):  # "Mẫu số 01/…", "mã số …": not citations, whatever comes before
            if j - n >= 0 and toks[j - 1].low in g.excluded_last_words \
                    and " ".join(t.low for t in toks[j - n:j]) in g.excluded_words:
                return None
        if type_word is None and so_tok is not None and so_tok.text[0] == "S" and not (listed or in_list):
            line_start = work.rfind("\n", 0, so_tok.start) + 1
            in_header = so_tok.start < _HEADER_ZONE
            if colon or in_header or not work[line_start:so_tok.start].strip():
                return _OWN_NUMBER  # the document's own number: "Số: 123/QĐ-UBND", "…Hạnh phúc Số 12/KH-UBND"
        left_issuer = between_issuer
        if type_word is not None:
            start = toks[i].start
            left_issuer = left_issuer or self._issuer_before(toks, i)
        return {
            "maybe_cut": (type_word is None and has_so) or k <= 1 or (
                type_word is not None and (i <= 2 or (left_issuer is None and self._left_cue(toks, i)))
            ) or (left_issuer is not None and left_issuer[0] <= toks[1].start),
            "issuer": left_issuer,
            "start": start,
            "type": type_word if isinstance(type_word, TypeWord) else None,
            "has_type": type_word is not None,
            "has_so": has_so,
            "listed": listed,
            "name": name,
            "pinpoint_end": start,
            "floor": lo,
            "list_head": list_head,
        }

    def _quick_left(self, core_start: int, lo: int, floor: int, final: bool = False) -> dict | None:
        """What left() gives in the common case "<type word> [số] <core>" with no issuer written before
        the type word (or only "theo" without a verb), read backwards with two matches on the reversed
        text instead of tokenising the window. None in other cases. `final`: the long window, which
        left() reads when the short one may have cut something off, and no further."""
        n, g, reversed_work = len(self.work), self.g, self.reversed_work
        m = _REVERSED_TYPE_WORDS_RE.match(reversed_work, n - core_start, n - lo)
        if m is None:
            return None
        words = m.group(2)[::-1].split()  # the words before "số" (or the core), in text order
        last = words[-1].lower()
        if last not in g.type_last_words or last == "số":
            return None
        lows = [w.lower() for w in words]
        type_word, size = _type_of_words(g, words, lows)
        if type_word is None:
            return None
        if lows[-1] in g.excluded_last_words and (
            lows[-1] in g.excluded_words or " ".join(lows[-2:]) in g.excluded_words
        ):
            return None
        # where the type word starts: after its `size` words read backwards (bounded as the words were)
        start = n - _reversed_words_re(size).match(reversed_work, m.start(2), m.end(2)).end()
        before = _REVERSED_THREE_TOKENS_RE.match(reversed_work, n - start, n - lo)
        if before is None:  # fewer than three tokens before the type word: the type may be cut off
            if not final and lo > floor:
                return self._quick_left(core_start, max(floor, core_start - _LEFT_WINDOW), floor, True)
            previous = _REVERSED_ONE_TOKEN_RE.match(reversed_work, n - start, n - lo)
            if previous is not None and self._is_left_cue(previous.group(1)[::-1].lower()):
                return None
            maybe_cut = True
        else:
            cue, cue_before = before.group(1)[::-1].lower(), before.group(2)[::-1].lower()
            maybe_cut = False
            if cue in g.left_verb_ends or cue in g.left_links_alone:
                return None  # an issuer may be written before the type word
            if cue in g.left_links:  # "theo Quyết định số": an issuer only with a verb before "theo"
                if cue_before in g.left_verb_ends:
                    return None
                maybe_cut = True  # left() reads the long window, with the same result but its floor
                if not final and lo > floor:
                    lo = max(floor, core_start - _LEFT_WINDOW)
        return {
            "maybe_cut": maybe_cut, "issuer": None, "start": start,
            "type": type_word if isinstance(type_word, TypeWord) else None, "has_type": True,
            "has_so": m.group(1) is not None, "listed": [], "name": None, "pinpoint_end": start, "floor": lo,
            "list_head": False,
        }

    def _quick_left_nothing(self, core_start: int, lo: int, floor: int) -> dict | None:
        """What left() gives right after the previous citation ("66.4/QĐ-UBND 67/QĐ-UBND"): nothing."""
        if lo != floor or not (lo == core_start or self.work[lo:core_start].isspace()):
            return None
        return {
            "maybe_cut": True, "issuer": None, "start": core_start, "type": None, "has_type": False,
            "has_so": False, "listed": [], "name": None, "pinpoint_end": core_start, "floor": lo,
            "list_head": False,
        }

    def _quick_left_after_mark(self, core_start: int, lo: int, floor: int) -> dict | None:
        """What left() gives for "số <core>" after a punctuation mark or a number ("…/CT- số 33/CT"), or
        at the start of the text: no type word, so left() reads the long window, and finds none there
        either. None in other cases (a word before "số" may end a type word further back)."""
        n, reversed_work = len(self.work), self.reversed_work
        if lo > floor:
            lo = max(floor, core_start - _LEFT_WINDOW)
        so = _REVERSED_LOWER_SO_RE.match(reversed_work, n - core_start, n - lo)
        if so is None:
            return None
        previous = _REVERSED_ONE_TOKEN_RE.match(reversed_work, so.end(), n - lo)
        if previous is not None:
            text = previous.group(1)
            # its first character, read backwards; ":" may end a list's head ("các Nghị định: số …"), and so
            # may a list item's mark at a line start ("…:\n- số …")
            if text[-1].isalpha() or text == "," or text == ":":
                return None
            line_start = reversed_work[previous.end():previous.end() + 12].lstrip(" \t")[:1] == "\n"
            if text in _ITEM_MARKS and line_start:
                return None
        start = n - so.end()
        return {
            "maybe_cut": True, "issuer": None, "start": start, "type": None, "has_type": False,
            "has_so": True, "listed": [], "name": None, "pinpoint_end": start, "floor": lo,
            "list_head": False,
        }

    def _is_left_cue(self, low: str) -> bool:
        return low in self.g.left_links or low in self.g.left_verb_ends

    def _left_cue(self, toks: list[_Token], i: int) -> bool:
        """Is the word before the type a link or verb of an issuer written first ("… giao tại")?"""
        if i < 1:
            return False
        low = toks[i - 1].low
        return low in self.g.left_links or low in self.g.left_verb_ends

    def _issuer_before(self, toks: list[_Token], i: int) -> tuple[int, int] | None:
        """The issuer written before the type: "Ủy ban nhân dân tỉnh giao tại Quyết định số …",
        "Chính phủ đã ban hành Nghị quyết số …"."""
        g = self.g
        if not self._left_cue(toks, i):
            return None
        j = i
        link = toks[j - 1].low if j >= 1 and toks[j - 1].low in g.left_links else None
        if link:
            j -= 1
        verb = False
        for n in (4, 3, 2, 1):
            if j - n >= 0 and " ".join(t.low for t in toks[j - n:j]) in g.left_verbs:
                j, verb = j - n, True
                break
        if not (verb or link in g.left_links_alone) or j == 0:
            return None
        for k in range(max(0, j - g.max_issuer_words), j):
            # with a verb any issuer; with only "tại"/"theo", one after "của" ("của Bộ Tài chính tại …")
            if toks[k].text[0].isupper() and (verb or (k >= 1 and toks[k - 1].low == "của")):
                span = self.issuer(toks[k].start, toks[j].start)
                if span and span[1] == toks[j - 1].end:
                    return span
        return None

    def _list_head(
        self, toks: list[_Token], colon: int
    ) -> tuple[TypeWord | str | None, int, tuple[int, int] | None]:
        """The type word (and issuer) of a list written once before a colon at toks[colon]: "các Nghị định:",
        "các Quyết định của Ủy ban nhân dân tỉnh:", "các văn bản của Bộ Tài chính:" (a generic word: no
        type). Returns (type or generic word, its first token, issuer span)."""
        word, i = _type_at_end(self.g, toks, colon)
        if word is not None:
            return word, i, None
        for k in range(colon - 2, max(-1, colon - 2 - self.g.max_issuer_words), -1):
            if toks[k].low != "của":
                continue
            word, i = _type_at_end(self.g, toks, k)
            if word is None or k + 1 >= colon:
                return None, colon, None
            span = self.issuer(toks[k + 1].start, toks[colon].start)
            if span is None or span[1] != toks[colon - 1].end:
                return None, colon, None
            return word, i, span
        return None, colon, None

    def _type_before_name(
        self, toks: list[_Token], j: int
    ) -> tuple[TypeWord | None, int, str | None, tuple[int, int] | None]:
        """ "Luật Tổ chức chính quyền địa phương số …", "Kế hoạch thanh tra số …": a type word a few
        words before "số", the words between being a name or a description (no clause break)."""
        g = self.g
        for i in range(j - 1, max(-1, j - 1 - _MAX_LAW_NAME), -1):
            tok = toks[i]
            if not tok.text[0].isalpha() and tok.text != ",":
                return None, j, None, None
            if tok.low in ("về", "ngày", "số") or tok.text.isdigit():
                return None, j, None, None
            word, k = _type_at_end(g, toks, i + 1)
            if isinstance(word, TypeWord) and k <= i:
                between = toks[i + 1:j]
                is_law = word.by_name == "law"
                if len(between) > _MAX_INTERMEDIATE and not is_law:
                    return None, j, None, None
                if any(t.text == "," for t in between) and not is_law:
                    return None, j, None, None
                name, issuer = None, None
                if is_law and k >= 1 and toks[k - 1].low == "của":
                    # "Luật sửa đổi, bổ sung một số điều của Luật X số N": N is the outer, amending law
                    word, k = self._amending_law(toks, k - 1, j) or (word, k)
                if is_law and between:
                    name = _collapse(self.p.clean[toks[k].start:toks[j - 1].end])
                elif len(between) > 1 and between[0].low == "của":  # "các Quyết định của Thủ tướng … số"
                    issuer = self.issuer(between[1].start, toks[j - 1].end)
                return word, k, name, issuer
        return None, j, None, None

    def _amending_law(self, toks: list[_Token], of: int, j: int) -> tuple[TypeWord, int] | None:
        """The law whose name ends "… của" at toks[of] ("Luật sửa đổi, bổ sung một số điều của"), within a
        law name's length of "số" at toks[j], no clause break in between."""
        for i in range(of - 1, max(-1, j - 1 - _MAX_LAW_NAME), -1):
            if toks[i].text in (";", ".", ":", "(", ")"):
                return None
            word, k = _type_at_end(self.g, toks, i + 1)
            if isinstance(word, TypeWord) and word.by_name == "law" and toks[k].text[0].isupper():
                return word, k
        return None

    # -- the right of a core -------------------------------------------------------------------
    def right(self, found: _Found, limit: int, next_core: int | None = None) -> None:
        work = self.work
        pos = found.core_end
        # the date and the introducer in one match: both optional, so each part reads what it would alone
        head = self.date_and_introducer_re.match(work, pos, limit)
        if head.end() == pos:  # neither a date nor an introducer (both optional: an empty match)
            if work.find("ăm", pos, pos + 14) != -1 or work.find("ĂM", pos, pos + 14) != -1:
                year = _WRITTEN_YEAR_RE.match(work, pos, limit)  # "số 45/QĐ-UBND năm 2023 của …"
                if year is not None:
                    found.written_year, pos = int(year.group("year")), year.end()
                    head = self.date_and_introducer_re.match(work, pos, limit)
                    self.written_year_seen = True
            elif "ngày" in work[pos:pos + 8] and (day := _YEARLESS_DATE_RE.match(work, pos, limit)):
                pos = day.end()  # "ngày 19/6 của UBND tỉnh về …": no year to date it; the issuer follows
                head = self.date_and_introducer_re.match(work, pos, limit)
            elif (cell_at := pos + work.startswith(" ", pos)) < limit and work[cell_at] in _CELL_SEPARATORS \
                    and (bare := _CELL_DATE_RE.match(work, pos, limit)):  # a table's next cell: its date
                found.date = _iso(bare.group("d1"), bare.group("m1"), bare.group("y1"))
                if found.date is not None:
                    pos = bare.end()
        if head.group("dated") is not None:
            found.date, pos = _date_of(head), head.end("dated")
        intro = head.end("intro") if head is not None and head.group("intro") is not None else None
        if intro is None:  # "… ngày 25/10/2017 Hội nghị lần thứ sáu …", "số 04-NQ/TW Hội nghị Trung ương 4"
            intro = self._session_after_date(pos, limit)
        if intro is not None:
            span = self.issuer(intro, limit, _joint_issuers(found.symbol) - 1)
            if span:
                found.issuer = _collapse(self.p.clean[span[0]:span[1]])
                pos = span[1]
                if work.startswith(",", pos):  # "của Bộ Chính trị, Ban Bí thư về …"
                    pos = self._same_body_after(key(found.issuer), pos, limit)
                if found.date is None:
                    d = _DATE_RE.match(work, pos, limit)
                    if d:
                        found.date, pos = _date_of(d), d.end()
        found.tail = pos
        found.subject = self._subject(pos, limit, next_core)
        if found.subject is None and found.issuer is not None and self.after_issuer_re is not None:
            term = self.after_issuer_re.match(work, pos, limit)  # a body's term and meeting, the subject
            if term is not None:  # after them: "của HĐND tỉnh khóa XIII, kỳ họp thứ 15 về …"
                found.subject = self._subject(term.end(), limit, next_core)
        if found.subject is None and found.issuer is not None and work.startswith((" -", "-", " –"), pos):
            unit_end = self._unit_after_dash(pos, limit)  # "của Bộ Tài chính - Tổng cục Thuế về …"
            if unit_end is not None:
                found.subject = self._subject(unit_end, limit, next_core)

    def _unit_after_dash(self, pos: int, limit: int) -> int | None:
        """Where the subject starts after a unit written with a dash after the issuer ("của Bộ Nông nghiệp và
        Phát triển nông thôn - Tổng cục Thủy lợi về việc …"): a capitalised word after the dash, then up to
        _MAX_UNIT_WORDS words on the same line, before "về" or "V/v" (a letter's subject; other starters
        are verbs that may be the sentence's own: "… - Sở Tài chính thực hiện"); None otherwise. The issuer
        stays the body before the dash (the letter is the body's, its unit drafted it)."""
        m = _UNIT_DASH_RE.match(self.work, pos, limit)
        if m is None:
            return None
        for n, word in enumerate(_UNIT_WORD_RE.finditer(self.work, m.end(), limit)):
            text = word.group(1)
            if n > _MAX_UNIT_WORDS or not text[0].isalpha():
                return None
            if n and text.lower() in _UNIT_SUBJECT_STARTERS and (text.islower() or text == "V/v"):
                return word.start(1)
        return None

    def _subject(self, pos: int, limit: int, next_core: int | None) -> str | None:
        """The subject (trích yếu) that starts at pos after spaces, a comma or a quote, or None."""
        work = self.work
        lead = _SUBJECT_LEAD_RE.match(work, pos, limit)
        if not lead:
            return None
        s = lead.end()
        head = work[s:s + 24].lower()
        starters = self.g.subject_starters
        if not (head.startswith(starters) and _starts_with_word(head, starters)):  # a quick test first
            return None
        end = self.clause_end(s, min(len(work), s + _SUBJECT_MAX))
        if next_core is not None and next_core < end:
            end = self._before_sibling(s, end, next_core)
        if work.find("từ", s, end) != -1 or work.find("TỪ", s, end) != -1:  # a quick test: "kể từ", "từ ngày"
            end = self._before_predicate(s, end)
        if s < _TITLE_ZONE and work.find("\n", s, end) != -1:  # a title's subject over its lines
            end = self._before_enacting_line(s, end)
        heading = _CAPITAL_LINE_RE.search(work, s, end)  # rare: most lines go on in small letters
        if heading is not None:
            end = self._before_heading(heading.start(), s, end)
        if work.find(")", s, end) != -1:
            end = _before_unopened_paren(work, s, end)
        return _collapse(self.p.clean[s:end]).rstrip(" ,”\"") or None

    def _before_predicate(self, start: int, end: int) -> int:
        """The end of a subject that runs into its document's predicate with a date ("… ban hành Quy định về
        quản lý … hết hiệu lực kể từ ngày 01/01/2026": doc_types.json subject_stops), else `end`. Not inside
        brackets the subject opened ("(có hiệu lực từ ngày …)" says something of a name in it), nor after a
        blocker ("công bố danh mục văn bản … hết hiệu lực kể từ …": the listed documents lapse)."""
        g, work = self.g, self.work
        if g.subject_stop_re is None:
            return end
        for m in g.subject_stop_re.finditer(work, start + 1, end):
            at = m.start()
            if work.count("(", start, at) > work.count(")", start, at):
                continue
            before = " ".join(work[start:at].lower().split())  # work is folded as the keys are
            if any(w in before for w in g.subject_stop_blockers):
                return end
            return at
        return end

    def _before_sibling(self, start: int, end: int, next_core: int) -> int:
        """The end of a subject that runs into the next citation of a list: where ", Nghị định số …" or
        " và Thông tư số …" starts (a document of its own, listed after this one), else `end`. A citation
        the subject names after a verb or a link ("triển khai Nghị quyết số …", "tại Quyết định số …")
        stays in it."""
        work = self.work
        low = max(start, next_core - 80)
        comma = work.rfind(",", low, next_core)
        link = max(work.rfind(" và ", low, next_core), work.rfind(" VÀ ", low, next_core))
        # a new line: a table's next row ("Về việc ban hành quy chế\n2\nQuyết định số 15/…"), unless the
        # line before ends with a link or verb that names the document ("… sửa đổi, bổ sung\nQuyết định số")
        line = work.rfind("\n", low, next_core)
        if line > max(comma, link) and self._is_type_word_before(line + 1, next_core) \
                and not self._names_next(start, line):
            return line
        cut = max(comma, link)
        if cut < 0:
            return end
        return cut if self._is_type_word_before(cut + (4 if cut == link else 1), next_core) else end

    def _is_type_word_before(self, start: int, next_core: int) -> bool:
        """Is work[start:next_core] a capitalised type word, "số" after it or not ("Nghị định số")?"""
        words = self.work[start:next_core].split()
        if words and words[-1].rstrip(":").lower() == "số":
            words.pop()  # "Nghị định số", "Nghị định số:"
        if not 1 <= len(words) <= 4 or not words[0][0].isupper():
            return False
        if words[-1].lower() not in self.g.type_last_words:  # a quick test before joining words
            return False
        word, size = _type_of_words(self.g, words, [w.lower() for w in words])
        return isinstance(word, TypeWord) and size == len(words)

    def _names_next(self, start: int, line: int) -> bool:
        """Does the subject's text before the line break at `line` end with a word that goes on to a document
        named on the next line (a link, a verb, a subject starter: "của", "tại", "thực hiện", "bổ sung")?"""
        g = self.g
        words = self.work[max(start, line - 40):line].split()
        if not words or words[-1][-1:] in ",;:(":
            return True
        last = words[-1].lower()
        two = f"{words[-2].lower()} {last}" if len(words) > 1 else last
        return any(w in phrases for w in (last, two) for phrases in (
            g.stop_words, g.strong_stop_words, g.left_links, g.left_verb_ends, g.subject_starters
        )) or last in _NAMING_LAST_WORDS

    def _before_enacting_line(self, start: int, end: int) -> int:
        """The end of a subject in a title that runs into the enacting body's line under it ("… chuyển đổi
        số quốc gia\nỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI", "…\nCHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH …"): a line in
        capitals that is an issuer phrase as a whole, the line before it not ending with a link ("CỦA", "VÀ",
        ","), where a wrapped title would go on; else `end`."""
        work = self.work
        nl = work.find("\n", start, end)
        while nl != -1:
            line_end = work.find("\n", nl + 1, end)
            if not work[nl + 1:nl + 3].isupper():  # most lines of a subject go on in lower case: a quick test
                nl = line_end
                continue
            stop = line_end if line_end != -1 else end
            line = work[nl + 1:stop]
            first = nl + 1 + len(line) - len(line.lstrip())
            if work[first:first + 1].isupper() and line.isupper() and self._whole_issuer(first, stop):
                before = work[start:nl].rstrip()
                last = before.rsplit(None, 1)[-1].lower() if before else ""
                if last not in ("của", "và", "giữa") and not before.endswith((",", "-")):
                    return nl
            nl = line_end
        return end

    def _before_heading(self, nl: int, start: int, end: int) -> int:
        """The end of a subject in small letters that runs into a heading in capitals on a line of its own
        ("… ưu đãi về người có công với cách mạng,\n\nQUYẾT NGHỊ", "… đặc biệt\n \nPHỤ LỤC II"): the start
        of that line; else `end`. A subject in capitals (a title) goes on over its lines."""
        work = self.work
        small, seen = False, start  # small letters in work[start:seen] (read once, however many lines)
        while True:  # nl: the first line break that a line opening with two capitals follows
            line_end = work.find("\n", nl + 1, end)
            line = work[nl + 1:line_end if line_end != -1 else end].strip()
            if line.isupper() and " " in line:
                piece = work[seen:nl]
                small, seen = small or piece != piece.upper(), nl
                if small:
                    return nl
            m = _CAPITAL_LINE_RE.search(work, nl + 1, end)
            if m is None:
                return end
            nl = m.start()

    def _whole_issuer(self, start: int, stop: int) -> bool:
        """Is work[start:stop] one issuer phrase opening with a known name or role, trailing spaces aside
        ("CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH …"; not "ỦY BAN NHÂN DÂN TỈNH THỰC HIỆN", "PHỤ LỤC II")?"""
        if not self.g.issuer_name_re.match(self.work, start, stop):  # a known name or role first
            return False
        span = self.issuer(start, stop)
        return span is not None and not self.work[span[1]:stop].strip()

    def _session_after_date(self, pos: int, limit: int) -> int | None:
        """Where a plenum written right after the date (or the number) starts, with no "của" ("ngày
        25/10/2017 Hội nghị lần thứ sáu Ban Chấp hành Trung ương Đảng", "số 04-NQ/TW Hội nghị Trung ương 4
        (khóa XII)"): its issuer follows as after "của"."""
        start = pos + 1
        if self.work[pos:start] != " " or self.work[start:start + 1] != "H" or self.g.session_re is None:
            return None
        session = self.g.session_re.match(self.work, start, limit)
        return start if session is not None and session.group("ordinal") else None

    def pinpoint(self, at: int, floor: int) -> str | None:
        window_start = max(floor, at - 60)
        if "iều" not in self.work[max(window_start, at - 24):at].lower():
            return None  # the article word sits right before the citation, or there is no pinpoint
        m = _PINPOINT_RE.search(self.work, window_start, at)
        if not m:
            return None
        text = _collapse(self.p.clean[m.start():m.end()])
        text = re.sub(r"\s*,?\s*(?:\[\d{1,3}\]\s*)?(?:của|CỦA)?$", "", text).rstrip(" ,")  # "Điều 22 [1] "
        return text or None

    # -- all cores -------------------------------------------------------------------------------
    def numbered(self) -> list[_Found]:
        cores = _cores(self.work, self.reversed_work)
        found: list[_Found] = []
        floor = 0
        for n, m in enumerate(cores):
            next_start = cores[n + 1].start() if n + 1 < len(cores) else len(self.work)
            found.extend(self._read_core(m, floor, next_start, n))
            floor = m.end()
        # the document mentioning itself ("Ban hành kèm theo Quyết định số 1936/QĐ-UBND") cites nothing
        return self._without_own(found) if self.own_ids else found

    def _without_own(self, found: list[_Found]) -> list[_Found]:
        """found less the mentions of the document's own number. Numbers restart every year and every issuer
        has its own: one dated otherwise than the document's place-and-date line is another document
        ("Số: 04/QĐ-UBND" of 2022 citing "Quyết định số 04/QĐ-UBND ngày 11/02/2016"), and so are its later
        undated mentions."""
        own = self.own_ids
        # a normative number mentioned without its year on the document's own date ("Ban hành kèm theo
        # Thông tư số 55/TT-BCT ngày 28 tháng 11 năm 2025" in 55/2025/TT-BCT) is the document too
        yearless = {(number, symbol, None) for number, symbol, year in own if year is not None}
        identities = [_identity(f.number, f.symbol, f.year) for f in found]
        if not own.intersection(identities) and not yearless.intersection(identities):
            return found  # the usual case: the body does not mention the document
        own_date = _own_date(self.work)
        other_year: set[tuple] = set()
        kept = []
        for f, ident in zip(found, identities, strict=True):
            if ident in yearless and ident not in own and own_date is not None and f.date == own_date:
                continue
            if ident in own:
                if f.date is not None and own_date is not None and f.date != own_date or (
                    f.date is None and f.written_year is not None and own_date is not None
                    and f.written_year != int(own_date[:4])  # "Quyết định số 04/QĐ-UBND năm 2016"
                ):
                    other_year.add(ident)
                elif f.date is not None or f.written_year is not None or ident not in other_year:
                    continue
            kept.append(f)
        return kept

    def _read_core(self, m: re.Match[str], floor: int, next_start: int, n: int) -> list[_Found]:
        number, sep, year_text, noslash, raw_symbol = m.groups()  # _CORE_RE's groups, in their order
        core_start = m.start()
        known = year_text is not None or _has_known_code(raw_symbol)
        if not known and not self._so_or_type_word_before(core_start, floor):
            return []  # cheap rejection of things like "Lô A8-A9", "01/GTGT" before any reading
        symbol, used = _parse_symbol(raw_symbol)
        if not symbol:
            return []
        if sep == "-" and "/" not in symbol:
            return []  # "2025 - UBND": a Party number is N-TYPE/ISSUER
        core_end = m.start("sym") + used
        if noslash is not None and not _TYPED_SYMBOL_RE.match(symbol):
            return []  # "102/2025 NQLT/…" lost its slash; "tháng 12/2025 UBND tỉnh …" is no citation
        known = known and (year_text is not None or _has_known_code(symbol))
        left = self.left(m, floor)
        if left is _OWN_NUMBER:
            self.own_ids.add(_identity(number, symbol, year_text))
            return []
        if left is None:
            return []
        if not (known or left["has_type"] or left["has_so"]):
            return []  # a bare symbol is a citation only when made of known type or issuer codes
        year = int(year_text) if year_text else None
        limit = min(next_start, core_end + _RIGHT_WINDOW)
        main = _Found(left["start"], core_end, core_start, core_end, number, sep, year, symbol,
                      left["type"], left["has_type"], name=left["name"])
        if left["list_head"]:
            main.list_head = True
        listed = left["listed"]
        if not listed:  # the usual case: one citation
            self.right(main, limit, next_start)
            self._left_issuer_and_pinpoint(main, left, main.start, floor)
            return [main]
        out: list[_Found] = []
        main.start = core_start
        group_start = left["start"]
        for idx, tok in enumerate(listed):
            member = _Found(group_start if idx == 0 else tok.start, tok.end, tok.start, tok.end, tok.text,
                            sep, year, symbol, left["type"], left["has_type"], compact_group=n)
            out.append(member)
        main.compact_group = n
        self.right(main, limit, next_start)
        self._left_issuer_and_pinpoint(main, left, out[0].start, floor)
        for member in out:
            member.date, member.issuer, member.subject = main.date, main.issuer, main.subject
            member.pinpoint = main.pinpoint
        out.append(main)
        return out

    def _so_or_type_word_before(self, core_start: int, floor: int) -> bool:
        """Is "số", or a word that ends a type word, right before a core of unknown codes? A type word
        without "số" ("Công văn 285/CCTTHC ngày …") cites as well; the left reading then decides."""
        before = self.work[max(floor, core_start - 12):core_start].lower()
        if "số" in before:
            return True
        words = before.split()
        return bool(words) and words[-1] in self.g.type_last_words

    def _left_issuer_and_pinpoint(self, main: _Found, left: dict, pinpoint_at: int, floor: int) -> None:
        if main.issuer is None and left["issuer"] is not None:
            main.issuer = _collapse(self.p.clean[left["issuer"][0]:left["issuer"][1]])
            main.issuer_from_left = True
        # the pinpoint may start before the left window ("khoản 1 đến khoản 3 Điều 5 của"), not before the
        # previous core
        main.pinpoint = self.pinpoint(pinpoint_at, floor)


def _names_a_place(word: str) -> bool:
    """A word that can be (the start of) a place's name: capitalised, or a number ("Phường 5, Quận 3")."""
    return word[0].isupper() or word.isdigit()


def _before_unopened_paren(work: str, start: int, end: int) -> int:
    """The end of a subject at a ")" it did not open: the citation was inside brackets ("(theo mẫu biểu tại
    Công văn số 2906/LĐTBXH-KHTC … năm 2018-2020) gửi về Bộ …"); else `end`."""
    opened = closed = 0
    counted = start  # "(" counted up to here: each character is looked at once
    i = work.find(")", start, end)
    while i != -1:
        opened, counted, closed = opened + work.count("(", counted, i), i, closed + 1
        if opened < closed:
            return i
        i = work.find(")", i + 1, end)
    return end


# last words of phrases that name a document after them, besides the grammar's stop words and cues
_NAMING_LAST_WORDS = frozenset({"sung", "theo", "hành", "khai", "hiện", "chính", "số"})


def _starts_with_word(text: str, words: tuple[str, ...]) -> bool:
    """Does text start with one of the words as a whole word (not followed by a letter or digit)?"""
    for word in words:
        if text.startswith(word) and not text[len(word):len(word) + 1].isalnum():
            return True
    return False


def _cores(work: str, reversed_work: str | None = None) -> list[re.Match[str]]:
    """What _CORE_RE.finditer(work) gives: every place a core can start is tried, in order.
    `reversed_work` is work[::-1] when the caller has it already."""
    if reversed_work is None:
        reversed_work = work[::-1]
    n = len(work)
    starts = sorted(n - m.end() for regex in _CORE_START_REVERSED_RES for m in regex.finditer(reversed_work))
    cores: list[re.Match[str]] = []
    pos = 0
    for start in starts:
        if start >= pos and (m := _CORE_RE.match(work, start)):
            cores.append(m)
            pos = m.end()
    return cores


@lru_cache(maxsize=4096)
def _has_known_code(symbol: str) -> bool:
    known = grammar().known_codes
    for piece in _SEP_RE.split(symbol.upper()):
        piece = piece.strip()
        if piece in known or piece.rstrip("0123456789") in known:
            return True
    return False


def _is_known_code(piece: str) -> bool:
    upper, known = piece.upper(), grammar().known_codes
    return upper in known or upper.rstrip("0123456789") in known


def _identity(number: str, symbol: str, year: str | int | None) -> tuple:
    return number.lstrip("0"), symbol.upper().replace("Đ", "D"), int(year) if year else None


def _issuer_code_of(piece: str) -> dict | None:
    """The issuer entry of a symbol piece: "UBND", "TW", "QH14" (khóa number stripped)."""
    codes = grammar().issuer_codes
    upper = piece.upper()
    return codes.get(upper) or codes.get(upper.rstrip("0123456789")) if upper else None


# --- chains, repeats and derived fields ------------------------------------------------------

_CHAIN_GAP_RE = re.compile(r"\s{0,8}(?:,|và|,\s{0,4}và|hoặc)\s{0,8}(?:các\s+)?\Z", re.IGNORECASE)


def _link_chains(work: str, found: list[_Found]) -> None:
    """Coordinated citations ("A ngày …, B và C của Bộ Chính trị") share what is written once."""
    for a, b in zip(found, found[1:], strict=False):
        if a.compact_group is not None and a.compact_group == b.compact_group:
            continue
        if not b.has_type_word and a.has_type_word and _next_list_item(work, a, b):
            # "các Nghị định của Chính phủ: số 59/2023/NĐ-CP …; số 60/2023/NĐ-CP …": the type written once
            b.type_word, b.has_type_word, b.list_head = a.type_word, True, a.list_head
            if b.issuer is None and a.issuer_from_left and _same_issuer_code(a, b):
                b.issuer, b.issuer_from_left = a.issuer, True
            continue
        if (a.issuer is not None and not a.issuer_from_left) or b.start < a.tail \
                or not _CHAIN_GAP_RE.match(work, a.tail, b.start):
            continue
        a.chain_next = b
        if not b.has_type_word:  # "…, số 53/2010/QĐ-TTg": what the first one said holds for the next
            if a.type_word is not None:
                b.type_word, b.has_type_word, b.list_head = a.type_word, True, a.list_head
            if b.issuer is None and a.issuer_from_left and _same_issuer_code(a, b):
                b.issuer, b.issuer_from_left = a.issuer, True
    for f in reversed(found):  # dates and issuers flow backwards along a chain
        nxt = f.chain_next
        if nxt is None:
            continue
        if f.issuer is None and nxt.issuer is not None and _same_issuer_code(f, nxt):
            f.issuer = nxt.issuer  # between documents of one issuer
        same_kind = f.year == nxt.year and (
            f.symbol.lower() == nxt.symbol.lower() or _is_letter(f.symbol) and _is_letter(nxt.symbol)
            and _same_issuer_code(f, nxt)  # "văn bản số 1552/BTTTT-TTH và 708/BTTTT-CATTT ngày …"
        )
        if f.date is None and nxt.date is not None and same_kind and "và" in work[f.tail:nxt.start].lower():
            f.date = nxt.date  # "Quyết định số 217-QĐ/TW và Quyết định số 218-QĐ/TW ngày …"


_LIST_HEAD_BEFORE_RE = re.compile(r"(?:các|những)\s{1,4}\Z", re.IGNORECASE)
_ITEM_GAP_RE = re.compile(r";\s{0,8}(?:[-+•]\s{0,4})?(?:và\s{1,4})?(?=[sS][ốỐ]\s)")


def _next_list_item(work: str, a: _Found, b: _Found) -> bool:
    """Is b the next item of a list whose type was written once, after the end of a's clause ("các Nghị
    định: số A ngày … về …; số B ngày …", "các Quyết định số A …; số B …")? b starts with "số", a's clause
    ends with ";" right before it, and a's type heads a list (a colon after it, or "các" before it)."""
    semicolon = work.rfind(";", max(a.tail, b.start - 16), b.start)  # quick tests first: most pairs fail
    if semicolon == -1 or work[b.start:b.start + 2].lower() != "số":
        return False
    if not (a.list_head or _LIST_HEAD_BEFORE_RE.search(work, max(0, a.start - 12), a.start)):
        return False
    gap = _ITEM_GAP_RE.match(work, semicolon)
    if gap is None or gap.end() != b.start:
        return False
    end = grammar().clause_end_re.search(work, a.tail, b.start)  # a's clause ends right there
    return end is not None and end.start() == semicolon


@lru_cache(maxsize=4096)
def _issuer_part(symbol: str) -> str:
    """The issuer part of a symbol, upper case: "CT-TTg" -> "TTG", "KH/UBND-BDVTU" -> "UBND-BDVTU"."""
    parts = re.split(r"[-/]", symbol.upper())
    issuers = [p for p in parts if p not in grammar().code_types]
    if len(issuers) == len(parts):  # an official letter, N/ISSUER-UNIT: the unit is no issuer
        return parts[0]
    return "-".join(issuers) if len(parts) > 1 else parts[0]


@lru_cache(maxsize=4096)
def _joint_issuers(symbol: str) -> int:
    """How many issuers a symbol names: "TTLT-BTC-BNV" 2, "KH/UBND-BDVTU" 2, "QĐ-UBND" and a letter's
    "UBND-NC" (its unit is no issuer) 1."""
    return _issuer_part(symbol).count("-") + 1


@lru_cache(maxsize=4096)
def _is_letter(symbol: str) -> bool:
    """An official letter's symbol (N/ISSUER-UNIT): no piece is a type code."""
    return not any(p in grammar().code_types for p in re.split(r"[-/]", symbol.upper()))


def _same_issuer_code(a: _Found, b: _Found) -> bool:
    return _issuer_part(a.symbol).rstrip("0123456789") == _issuer_part(b.symbol).rstrip("0123456789")


@lru_cache(maxsize=4096)
def _system_of(symbol: str, sep: str) -> str:
    """Party numbers are N-TYPE/ISSUER; otherwise the issuer codes in the symbol decide."""
    pieces = [p for p in re.split(r"[-/]", symbol) if p]
    systems = [e.get("system") for p in pieces if (e := _issuer_code_of(p))]
    if "front" in systems:
        return "front"
    if "party" in systems and (sep == "-" or "state" not in systems):
        return "party"
    if sep == "-":
        return "party"
    return "state"


@lru_cache(maxsize=4096)
def _type_code(symbol: str, type_word: TypeWord | None, system: str) -> tuple[str | None, str | None]:
    """(type_code, issuer_code) of a symbol: "CT-TTg" -> ("CT", "TTg"); "UBND-NC" -> (None, "UBND-NC")."""
    g = grammar()
    sep = re.search(r"[-/]", symbol)
    first, rest = (symbol[:sep.start()], symbol[sep.end():]) if sep else (symbol, "")
    candidates = g.code_types.get(first.upper(), [])
    if candidates:
        issuer_code = rest or None
        if type_word is not None and first.upper() in (c.upper() for c in type_word.codes):
            return type_word.codes[0], issuer_code
        for word in candidates:
            if system in word.systems:
                return word.codes[0], issuer_code
        return candidates[0].codes[0], issuer_code
    return (type_word.codes[0] if type_word and type_word.codes else None), symbol


def _to_citation(p: Prepared, f: _Found) -> Citation:
    start, end = (p.to_original(f.start), p.to_original(f.end)) if p.clusters else (f.start, f.end)
    system = _system_of(f.symbol, f.sep)
    type_code, issuer_code = _type_code(f.symbol, f.type_word, system)
    if f.year is not None:
        ident = f"{f.number}/{f.year}/{f.symbol}"
    else:
        ident = f"{f.number}{f.sep}{f.symbol}"
    word = f.type_word
    # Positional arguments in CITATION_FIELDS order: a third of the cost of keywords, per citation.
    return Citation(
        start, end, p.original[start:end], "numbered", word.name if word else None, f.number, f.year,
        f.symbol, f.date, f.issuer, f.name, f.pinpoint, ident, system, type_code, issuer_code,
        ident if word and word.by_name == "law" else None, f.subject,
    )


# The order of the positional arguments above (tests/test_extract.py checks it against kg.models).
CITATION_FIELDS = (
    "start", "end", "text", "kind", "type", "number", "year", "symbol", "date", "issuer", "name", "pinpoint",
    "id", "system", "type_code", "issuer_code", "law_id", "subject",
)


def _mark_repeats(citations: list[Citation], written_years: dict[int, int] | None = None) -> None:
    """Mark repeats; `written_years`: id(citation) -> the year written after its number ("năm 2016")."""
    seen: dict[tuple, Citation] = {}
    for c in citations:
        if c.kind == "numbered":
            k = ("n", c.number, c.year, (c.symbol or "").upper())
        else:
            k = ("l", c.law_id or key(c.name or ""), c.year)
        first = seen.get(k)
        if first is None:
            seen[k] = c
            continue
        if c.kind == "numbered" and c.date is not None and first.date is not None and c.date != first.date:
            continue  # same number, another year: another document
        if written_years and c.kind == "numbered":
            mine, theirs = _year_of(c, written_years), _year_of(first, written_years)
            if mine is not None and theirs is not None and mine != theirs:
                continue  # "Quyết định số 45/QĐ-UBND năm 2016" after one dated 2022: another document
        c.repeat = True
        if c.kind == "numbered" and c.date is None:
            c.date = first.date
            c.type = c.type or first.type
        if c.kind == "numbered":  # dated as the first mention or not at all: the issuer is the first's too
            c.issuer = c.issuer or first.issuer


def _year_of(c: Citation, written_years: dict[int, int]) -> int | None:
    """The year of a numbered citation's date, else the year written after its number, else None."""
    return int(c.date[:4]) if c.date else written_years.get(id(c))


# --- named references ---------------------------------------------------------------------------


def _law_version(
    law: dict, year: int | None, on: str | None, passed: str | None = None, guided: bool = False
) -> dict | None:
    """The version of a law a name refers to: of its year when written; else the one in force `on` the
    citing date. `guided`: the name is in the subject of a document dated `on` ("Nghị định … ngày
    25/6/2025 … quy định chi tiết … Luật Bảo hiểm xã hội"), which may guide a law passed in an earlier
    year and not yet in force: the latest passed then."""
    versions = law.get("versions", [])
    if not versions:
        return None
    # no law is in force before the year it was passed: where its date is not listed, its year bounds it
    versions = [v if "in_force" in v else {**v, "in_force": f"{v['year']}-01-01"} for v in versions]
    if year is not None:
        exact = [v for v in versions if v.get("year") == year]
        if len(exact) > 1 and passed is not None:  # two laws of one name in one year (2025): the first
            return next((v for v in exact if v.get("in_force", "9999") >= passed), exact[-1])  # after it
        if len(exact) > 1 and on is not None:  # … else the one in force on the citing date
            return ([v for v in exact if v.get("in_force", "0000") <= on] or exact)[-1]
        if exact or on is None or year < versions[0]["year"]:  # written before the first version listed:
            return exact[-1] if exact else None  # an older law ("Luật Ngân sách nhà nước … năm 2002")
    if on is not None:
        in_force = [
            v for v in versions if v.get("in_force", "0000") <= on or guided and f"{v['year']}" < on[:4]
        ]
        if in_force:
            return in_force[-1]
        return versions[0]
    return versions[-1]


def _document_date(work: str) -> str | None:
    """The citing document's own date, from its place-and-date line near the top."""
    m = _HEADER_DATE_RE.search(work, 0, min(len(work), 3000))
    return _date_of(m) if m else None


# A header's place-and-date line ("Hà Nội, ngày 03 tháng 7 năm 2019", "Thành phố Huế,\nngày 18 …"): a short
# place at the start of a line, a comma, the date. Stricter than _document_date, whose first "ngày …" may
# be a cited document's date in a text that lost its header.
_PLACE_DATE_RE = re.compile(
    rf"^[ \t]*[^\W\d_][^\n\d,;:]{{0,40}}?,\s{{0,4}}ngày\s{{0,6}}(?:{_DATE_NUMERIC}|{_DATE_WORDS})",
    re.IGNORECASE | re.MULTILINE,
)


def _own_date(work: str) -> str | None:
    """The date of the citing document's place-and-date line near the top, or None."""
    m = _PLACE_DATE_RE.search(work, 0, min(len(work), 3000))
    return _date_of(m) if m else None


def _own_year(work: str) -> int | None:
    """The year of the citing document's place-and-date line, or None."""
    date = _own_date(work)
    return int(date[:4]) if date else None


def _generic_law_end(reader: _Reader, pos: int, limit: int) -> int | None:
    """End of an unlisted law name: "Luật Tổ chức chính quyền địa phương" (capitalised first word)."""
    g = reader.g
    lazy = _LazyTokens(reader.work, pos, min(limit, pos + 90))  # made as far as they are looked at
    has, toks = lazy.has, lazy.items
    if not has(2) or not toks[1].text[0].isupper() or toks[1].text.isupper() and len(toks[1].text) > 1:
        return None
    has(g.max_type_len)  # the tokens _type_at_start looks at
    if _type_at_start(g, toks, 1):
        return None  # a table header "Luật / Nghị định", not a name
    end, words = toks[1].end, 1
    for i in range(2, 12):
        if not has(i):
            break
        t = toks[i]
        if not t.text[0].isalpha() or t.text.isdigit():
            break
        two = t.low + " " + toks[i + 1].low if has(i + 1) else t.low
        has(i + g.max_type_len - 1)  # what _type_at_start looks at
        if t.low in ("và", "năm", "số", "ngày") or t.low in g.stop_words or t.low in g.strong_stop_words \
                or two in g.stop_words or two in g.strong_stop_words or _type_at_start(g, toks, i):
            break
        if t.text[0].isupper() and g.named_anchor_re.match(reader.work, t.start):
            break
        end, words = t.end, words + 1
    return end if words >= 2 else None  # "Luật Đất đai": an unlisted name has two words at least


_NAME_BREAK_WORDS = frozenset(
    {"năm", "số", "ngày", "và", "này", "hiện", "đã", "được", "các", "để", "với", "cùng"}
)
# A law named inside the name of the law that amends it: the year or date after it is the amending law's.
_AMENDING_LAW_BEFORE_RE = re.compile(r"(?i:luật)\s+(?:sửa|sử)\s+đổi[^;.:]{0,160}?\s(?:của|và|,)\s*$")


def _name_goes_on(reader: _Reader, end: int) -> bool:
    """A short known name followed by more of a name ("Luật Doanh nghiệp" + "nhà nước") is another law."""
    first = _SPACED_TOKEN_RE.match(reader.work, end, min(len(reader.work), end + 40))  # the next token
    if first is None or not first.group(2).isalpha() or not first.group(2).islower():
        return False
    low, g = first.group(2).lower(), reader.g
    return low not in _NAME_BREAK_WORDS and low not in g.stop_words and low not in g.strong_stop_words


def _anchor_matches(g: Grammar, work: str) -> list[re.Match[str]]:
    """What g.named_anchor_re.finditer(work) gives, from the patterns split by first letter (several
    scans for a literal are faster than one scan for a set of letters)."""
    found = sorted((m for regex in g.named_anchor_res_by_letter for m in regex.finditer(work)),
                   key=_match_start)
    out: list[re.Match[str]] = []
    pos = 0
    for m in found:
        if m.start() < pos:
            if m.end() > pos:  # its pattern skipped what it overlaps, which may start a match: rare
                return list(g.named_anchor_re.finditer(work))
            continue
        out.append(m)
        pos = m.end()
    return out


def _match_start(m: re.Match[str]) -> int:
    return m.start()


def _named(
    reader: _Reader, numbered: list[_Found], doc_date: str | None, own_year: int | None = None
) -> list[tuple[int, Citation]]:
    g, work, p = reader.g, reader.work, reader.p
    taken = [(f.start, f.core_end) for f in numbered]
    starts = [s for s, _ in taken]
    out: list[tuple[int, Citation]] = []
    last_end = 0
    amended_until = 0  # the end of the laws an amending law names: their years and dates are its own
    amended_on = None  # … and its date: the versions in force then are the ones it amends
    anchors = [a for a in _anchor_matches(g, work) if not work[a.start() - 1:a.start()].isalnum()]
    for n, a in enumerate(anchors):
        pos = a.start()
        if pos < last_end:
            continue
        limit = anchors[n + 1].start() if n + 1 < len(anchors) else len(work)  # names hold no anchor
        i = bisect.bisect_right(starts, pos) - 1
        if i >= 0 and taken[i][0] <= pos < taken[i][1]:
            continue  # part of a numbered citation ("Luật … số 72/2025/QH15")
        law, end, kind, head = None, None, None, None
        anchor = g.type_words[key(a.group())]
        if anchor.by_name == "party":
            for kind_name, regex in g.party_res:
                m = regex.match(work, pos, limit)
                if m:
                    end, kind = m.end(), kind_name
                    break
        elif anchor.by_name == "law" and (head := _amending_head(reader, a, anchors, n)) is not None:
            end = _amended_laws_end(reader, anchors, n + 1)  # "Luật sửa đổi, bổ sung … của Luật A và Luật B"
            if end is not None:
                law = g.law_by_key.get(key(p.clean[pos:end]))
        else:
            law, end = _law_name(reader, a, limit)
        if end is None:
            continue
        year = None
        date_iso = None
        ym, revised = _YEAR_SUFFIX_RE.match(work, end), None
        if ym is None and work.find("(", end, end + 3) != -1:
            ym = _REVISED_YEAR_RE.match(work, end)  # "Luật Đất đai (sửa đổi) năm 2024": the new law's year
        if kind is None and head is None and (
            pos < amended_until or _AMENDING_LAW_BEFORE_RE.search(work, max(0, pos - 200), pos)
        ):
            ym = None  # "Luật sửa đổi, bổ sung … của Luật A và Luật B ngày …": the amending law's date
        elif ym and kind is None and own_year is not None and int(ym.group("year")) > own_year:
            ym = None  # later than the citing one: no law's ("Pháp lệnh … năm 2020" in 2019: a budget year)
        elif ym and kind is None:
            if ym.re is _REVISED_YEAR_RE:  # the name without "(sửa đổi)": "Luật Đất đai năm 2024"
                revised = f"{_collapse(p.clean[pos:end])} năm {ym.group('year')}"
            year, end = int(ym.group("year")), ym.end()
        elif kind is None and ym is None:
            dm = _DATE_RE.match(work, end)
            if dm and (date_iso := _date_of(dm)):
                year = int(date_iso[:4])  # the date it was passed
        law_id = None
        if law is not None:
            enclosing = amended_on if pos < amended_until else _enclosing_date(reader, numbered, starts, pos)
            guided = not date_iso and enclosing is not None and pos >= amended_until
            version = _law_version(law, year, date_iso or enclosing or doc_date, date_iso, guided)
            law_id = version.get("law_id") if version else None
        name_end = end if ym is None or head is None else ym.start()
        s, e = (p.to_original(pos), p.to_original(end)) if p.clusters else (pos, end)
        name = revised or _collapse(p.clean[pos:end])
        if law is not None and work.startswith(" ", a.end() + 2) \
                and (space := _ocr_split_at(work, a.end(), end)) is not None:
            name = _collapse(p.clean[pos:space] + p.clean[space + 1:end])  # "Luật Bầu cử" for "Luật B ầu cử"
        ctype = anchor.name
        pinpoint = reader.pinpoint(pos, max(0, pos - 80))
        out.append((pos, Citation(  # positionally, in CITATION_FIELDS order
            s, e, p.original[s:e], "named", ctype, None, year, None, date_iso, None, name, pinpoint, None,
            "party" if kind else "state", None, None, law_id,
        )))
        last_end = end
        if head is not None:  # the laws it names are read next, as references of their own
            last_end, amended_until = head, name_end
            amended_on = date_iso or (f"{year}-12-31" if year else None)
    return out


def _law_name(reader: _Reader, a: re.Match[str], limit: int) -> tuple[dict | None, int | None]:
    """(the known law, end) of a law or constitution named at anchor `a`; the law is None for an unlisted
    name ("Luật Tổ chức chính quyền địa phương" as written), the end None where no name is."""
    g, work, pos = reader.g, reader.work, a.start()
    word = a.group()
    anchor = g.type_words[key(word)]
    m = g.law_re.match(work, pos, limit) if g.law_re else None
    shift = 0
    if m is None and g.law_re and work.startswith(" ", a.end() + 2) \
            and (space := _ocr_split_at(work, a.end(), limit)) is not None:
        # "Luật B ầu cử": the name matched with the stray space taken out, its end shifted back by one
        m = g.law_re.match(work[pos:space] + work[space + 1:min(limit, pos + 200)])
        shift = pos + 1
        if m is not None and m.end() + shift <= space + 1:
            m = None  # the joined word must be part of the known name
    if m and not (len(m.group().split()) <= 3 and _name_goes_on(reader, m.end() + shift)):
        return g.laws[int(m.lastgroup[1:].split("_")[0])], m.end() + shift
    if anchor.by_name == "law" and word[0].isupper() and not word.isupper():
        return None, _generic_law_end(reader, pos, limit)
    if anchor.by_name == "constitution":
        return None, a.end()  # "Hiến pháp" alone is a reference too
    return None, None


# OCR noise: a space after the first letter of a law's name ("Luật B ầu cử"), the letter a capital alone
_OCR_SPLIT_RE = re.compile(rf"\s{{1,4}}{_UPPER_CLASS}(?P<space> )(?=[^\W\d_])")


def _ocr_split_at(work: str, pos: int, limit: int) -> int | None:
    """Where a stray space splits the first word of a name starting after pos ("Luật B ầu cử"), or None.
    Only a capital letter alone before a word in small letters; the caller checks the joined word."""
    m = _OCR_SPLIT_RE.match(work, pos, limit)
    if m is None or not work[m.end():m.end() + 1].islower():
        return None
    return m.start("space")


def _amending_head(reader: _Reader, a: re.Match[str], anchors: list[re.Match[str]], n: int) -> int | None:
    """Where the laws an amending law names start ("Luật sửa đổi, bổ sung một số điều của |Luật A"), or
    None when the law at anchor n is no amending law or names no law right after its head."""
    regex = reader.g.amending_re
    if regex is None or n + 1 >= len(anchors):
        return None
    m = regex.match(reader.work, a.end(), anchors[n + 1].start())
    return m.end() if m is not None and m.end() == anchors[n + 1].start() else None


def _amended_laws_end(reader: _Reader, anchors: list[re.Match[str]], k: int) -> int | None:
    """The end of the laws named from anchor k on, joined by commas and "và" ("Luật Quy hoạch, Luật Đầu
    tư và Luật Đấu thầu"): the rest of an amending law's name. None when no law is named at k."""
    work, link = reader.work, reader.g.amended_link_re
    end = None
    while k < len(anchors):
        a = anchors[k]
        if end is not None and not link.fullmatch(work, end, a.start()):
            break
        _, name_end = _law_name(reader, a, anchors[k + 1].start() if k + 1 < len(anchors) else len(work))
        if name_end is None:
            break
        end, k = name_end, k + 1
    return end


def _enclosing_date(reader: _Reader, numbered: list[_Found], starts: list[int], pos: int) -> str | None:
    """The date of the closest numbered citation before pos in the same clause (pos in its subject), or the
    end of the year in its number when it has no date ("Luật số 47/2019/QH14 sửa đổi … của Luật Tổ chức
    Chính phủ": the 2015 law, not the 2025 one)."""
    i = bisect.bisect_right(starts, pos) - 1
    for f in numbered[max(0, i - 4):i + 1][::-1]:
        if reader.clause_end(f.core_end, pos) < pos:
            return None  # a clause ends in between
        if f.date:
            return f.date
        if f.year:
            return f"{f.year}-12-31"
    return None


# --- public API ----------------------------------------------------------------------------------


def extract(text: str) -> list[Citation]:
    """Every citation in `text`, in text order. Offsets index `text` exactly as given."""
    prepared = prepare(text)
    reader = _Reader(prepared)
    found = reader.numbered()
    _link_chains(prepared.work, found)
    items = [(f.start, _to_citation(prepared, f)) for f in found]
    written_years = {  # rare: built only when a year was written after a number
        id(c): f.written_year for f, (_, c) in zip(found, items, strict=True) if f.written_year is not None
    } if reader.written_year_seen else None
    items += _named(reader, found, _document_date(prepared.work), _own_year(prepared.work))
    items.sort(key=itemgetter(0))  # stable: numbered before named at one position, as before
    citations = [c for _, c in items]
    _mark_repeats(citations, written_years)
    return citations


def extract_file(path: str | Path) -> list[Citation]:
    """Read a file through kg.ingest and extract its citations (raises kg.models.IngestError)."""
    from kg.ingest import read_document

    return extract(read_document(path).text)


def render_table(records: list[dict]) -> None:
    """A readable terminal table of `kg extract` records (rich)."""
    from rich.console import Console
    from rich.table import Table

    table = Table(show_lines=False, header_style="bold")
    for column in ("file", "at", "type", "citation", "date", "issuer"):
        table.add_column(column, overflow="fold")
    for r in records:
        cited = r["id"] or r["name"] or r["text"]
        if r.get("pinpoint"):
            cited = f"{r['pinpoint']} {cited}"
        table.add_row(Path(r["file"]).name, str(r["start"]), r["type"] or "", cited, r["date"] or "",
                      r["issuer"] or "")
    Console().print(table)
    Console(stderr=True).print(f"{len(records)} citations")
