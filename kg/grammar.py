"""The citation grammar's data: document types, issuers and named references from `ontology/`.

Everything here is loaded once, lazily (`import kg.grammar` reads no file). The extractor keeps only
mechanics; every Vietnamese word it looks for comes from these JSON files.
Matching happens on a *folded* text (see `fold`): NFC, old-style tone placement moved to the new style
("hoá" -> "hóa", "Uỷ" -> "Ủy"), look-alike Cyrillic letters and the Icelandic eth mapped to
Vietnamese ones. Folding never changes the length of a string, so offsets survive it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any

from kg.data import ontology_file

# --- length-preserving folding -------------------------------------------------------------

_TONES = {  # vowel -> its five toned forms (sắc, huyền, hỏi, ngã, nặng)
    "a": "áàảãạ", "e": "éèẻẽẹ", "y": "ýỳỷỹỵ", "o": "óòỏõọ", "u": "úùủũụ",
    "A": "ÁÀẢÃẠ", "E": "ÉÈẺẼẸ", "Y": "ÝỲỶỸỴ", "O": "ÓÒỎÕỌ", "U": "ÚÙỦŨỤ",
}


def _old_style_pairs() -> dict[str, str]:
    """"oá" -> "óa": in the open syllables oa, oe, uy the old style puts the tone on the second vowel."""
    pairs: dict[str, str] = {}
    for first, second in (("o", "a"), ("o", "e"), ("u", "y")):
        for f in (first, first.upper()):
            for s in (second, second.upper()):
                for i in range(5):
                    pairs[f + _TONES[s][i]] = _TONES[f][i] + s
    return pairs


_OLD_STYLE = _old_style_pairs()
# Only at the end of a word ("hoàng" keeps its tone on a in both styles) and not after q ("quý").
_TONED_AT_WORD_END = "[" + "".join(sorted({k[1] for k in _OLD_STYLE})) + r"](?!\w)"
_OLD_STYLE_RE = re.compile("[oOuU]" + _TONED_AT_WORD_END)
# The same, one pattern per first letter: a literal first character lets the engine skip ahead with a
# fast search, where a character class makes it test every character (twice as fast over a whole text).
_OLD_STYLE_BY_LETTER = tuple(re.compile(letter + _TONED_AT_WORD_END) for letter in "oOuU")
_LOOKALIKES = str.maketrans({
    "А": "A", "В": "B", "С": "C", "Е": "E", "Н": "H", "К": "K", "М": "M", "О": "O", "Р": "P", "Т": "T",
    "Х": "X", "а": "a", "с": "c", "е": "e", "о": "o", "р": "p", "х": "x", "у": "y", "Ð": "Đ", "ð": "đ",
    "\u200b": " ", "\ufeff": " ", "\u00ad": " ", "\u00a0": " ", "\u2007": " ", "\u202f": " ",
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2212": "-", "\uff0f": "/", "\u2215": "/",
})
_LOOKALIKE_RE = re.compile("[\u0400-\u04ff\u00d0\u00f0\u200b\ufeff\u00ad\u00a0\u2007\u202f"
                           "\u2010-\u2013\u2212\uff0f\u2215]")


_LOOKALIKE_CHARS = tuple(chr(code) for code in _LOOKALIKES)
# The look-alikes outside the Cyrillic block U+0400-U+047F, whose UTF-8 forms all start with byte D0 or D1.
_NON_CYRILLIC_LOOKALIKES = tuple(c for c in _LOOKALIKE_CHARS if not "\u0400" <= c <= "\u047f")


def clean(text: str, utf8: bytes | None = None) -> str:
    """Look-alike letters to Vietnamese ones, odd spaces and dashes to plain ones (same length).
    `utf8`, if given, is text.encode("utf-8"): the Cyrillic letters are then looked for by their lead
    bytes, two memchr over bytes instead of 18 searches in the string (some, like "Р" U+0420, are slow
    there: a string search stops at every character sharing their low byte, here every space)."""
    # Most texts hold none of them: one `in` per character (a memchr) is faster than a regex scan.
    if utf8 is None:
        found = any(char in text for char in _LOOKALIKE_CHARS)
    else:
        found = b"\xd0" in utf8 or b"\xd1" in utf8 or any(char in text for char in _NON_CYRILLIC_LOOKALIKES)
    if not found:
        return text
    return _LOOKALIKE_RE.sub(lambda m: m.group().translate(_LOOKALIKES), text)


def _new_style(m: re.Match[str]) -> str:
    pair, start = m.group(), m.start()
    if pair not in _OLD_STYLE or (start > 0 and m.string[start - 1] in "qQ"):
        return pair
    return _OLD_STYLE[pair]


def fold(text: str) -> str:
    """`clean` plus new-style tone placement (same length): the form every pattern is matched on."""
    return fold_clean(clean(text))


def fold_clean(text: str) -> str:
    """`fold` of a text that `clean` already went over (its scan is not repeated)."""
    # Matches of the four patterns never overlap (a match ends before a non-word character).
    found = sorted((m for regex in _OLD_STYLE_BY_LETTER for m in regex.finditer(text)), key=_match_start)
    if not found:
        return text
    pieces, last = [], 0
    for m in found:
        pieces += (text[last:m.start()], _new_style(m))
        last = m.end()
    pieces.append(text[last:])
    return "".join(pieces)


def _match_start(m: re.Match[str]) -> int:
    return m.start()


@lru_cache(maxsize=8192)
def key(words: str) -> str:
    """Lookup key of a written phrase: folded, lower case, single spaces."""
    return " ".join(fold(words).lower().split())


def phrase_pattern(phrase: str) -> str:
    """Regex source for a phrase with any whitespace (line breaks included) between its words; a dash
    between words may have spaces or none on either side ("Bộ Lao động- Thương binh và Xã hội")."""
    source = ""
    for word in fold(phrase).split():
        if word == "-":
            source += r"\s*-\s*"
        else:
            source += (r"\s+" if source and not source.endswith(r"-\s*") else "") + re.escape(word)
    return source


# --- loading -------------------------------------------------------------------------------


@cache
def load(name: str) -> dict[str, Any]:
    with ontology_file(name).open(encoding="utf-8") as handle:
        return json.load(handle)


# eq=False: identity comparison and hashing. Each word is made once (grammar() is cached), and the
# extractor's caches take it as a key per citation, where a hash of all its fields costs ~2 us.
@dataclass(frozen=True, slots=True, eq=False)
class TypeWord:
    written: str  # the form as listed ("Quyết chế")
    name: str  # what `Citation.type` says: the canonical name, or the written form of a typo
    abbreviation: bool  # "NQ số 66/NQ-CP": counts only when written in capitals
    canonical: str  # the entry's canonical name ("Quy chế")
    codes: tuple[str, ...]
    systems: tuple[str, ...]
    by_name: str | None = None  # "law" | "constitution" | "party": also cited by name


@dataclass(frozen=True, slots=True)
class Grammar:
    type_words: dict[str, TypeWord]  # key(written) -> TypeWord
    max_type_len: int  # longest type word, in words
    type_first_words: frozenset[str]  # quick filters before joining words
    type_last_words: frozenset[str]
    generic_words: frozenset[str]  # keys of "văn bản"
    excluded_words: frozenset[str]  # keys of "mẫu", "mã số", ...
    excluded_last_words: frozenset[str]  # their last words: a quick test before joining words
    common_nouns: frozenset[str]  # keys of "pháp luật": ends with a type word, is none
    code_types: dict[str, list[TypeWord]]  # type code -> canonical types that use it
    issuer_codes: dict[str, dict[str, Any]]  # issuer code (upper case) -> entry
    known_codes: frozenset[str]  # every type and issuer code, upper case: a bare symbol needs one
    issuer_name_re: re.Pattern[str]  # known issuer names and roles, case-insensitive
    introducer_re: re.Pattern[str]  # ", của " / " giữa ": an issuer phrase follows
    complete_issuers: frozenset[str]  # keys of central names that take no place name after them
    roles: frozenset[str]
    stop_words: frozenset[str]
    strong_stop_words: frozenset[str]
    max_issuer_words: int
    subject_starters: tuple[str, ...]
    clause_end_re: re.Pattern[str]  # where a clause (a subject) ends: ";", ":", a full stop, a new item
    left_verbs: frozenset[str]  # "Ủy ban nhân dân tỉnh giao tại Quyết định …": the issuer before the type
    left_links: frozenset[str]
    left_verb_ends: frozenset[str]  # last words of left_verbs: a quick test before joining words
    left_links_alone: frozenset[str]  # links that need no verb ("của Bộ Tài chính tại …")
    session_re: re.Pattern[str] | None  # "Hội nghị lần thứ sáu ": a meeting written before the issuing body
    term_re: re.Pattern[str]  # "khóa XII" after a body's name
    issuer_heads: frozenset[str]  # keys of words that start an issuer name ("ban", "bộ", "ủy ban")
    numbered_bodies: tuple[str, ...] = ()  # keys of bodies whose name goes on with a number ("ban chỉ đạo")
    named_anchor_re: re.Pattern[str] | None = None  # type words of documents also cited by name
    named_anchor_res_by_letter: tuple[re.Pattern[str], ...] = ()  # the same, split for fast scanning
    laws: list[dict[str, Any]] = field(default_factory=list)
    law_re: re.Pattern[str] | None = None  # known law names; group name "l<i>" -> laws[i]
    law_by_key: dict[str, dict[str, Any]] = field(default_factory=dict)  # key(name or alias) -> its law
    amending_re: re.Pattern[str] | None = None  # after "Luật": " sửa đổi, bổ sung một số điều của "
    amended_link_re: re.Pattern[str] | None = None  # between the laws an amending law names: ", ", " và "
    party_res: list[tuple[str, re.Pattern[str]]] = field(default_factory=list)
    # key(place kind) -> (lowest, highest) level it names: "xã" (1, 1), "huyện" (2, 2), "thành phố" (2, 3),
    # "tỉnh" (3, 3) (ontology/places.json): "UBND xã A, huyện B" names one issuer, places going up
    place_levels: dict[str, tuple[int, int]] = field(default_factory=dict)
    central_body_codes: dict[str, str] = field(default_factory=dict)  # key(central name) -> its code
    after_issuer_re: re.Pattern[str] | None = None  # a body's term and meeting: ", khóa XIII, kỳ họp thứ 15"
    # a clause's predicate with its date after a cited document ("hết hiệu lực kể từ"): its subject ends
    subject_stop_re: re.Pattern[str] | None = None
    subject_stop_blockers: tuple[str, ...] = ()  # keys: a subject naming these ("danh mục văn bản") goes on
    # keys of phrases that start with a place's kind and are none ("xã hội": "Bảo hiểm xã hội tỉnh")
    not_places: frozenset[str] = frozenset()
    kind_abbreviations: frozenset[str] = frozenset()  # "tp", "tx": "UBND TP. Hồ Chí Minh" (places.json)


def _type_words(data: dict[str, Any]) -> dict[str, TypeWord]:
    words: dict[str, TypeWord] = {}
    for entry in data["types"]:
        codes, systems, by_name = tuple(entry["codes"]), tuple(entry["systems"]), entry.get("by_name")
        name = entry["name"]
        words[key(name)] = TypeWord(name, name, False, name, codes, systems, by_name)
        for variant in entry.get("variants", []):
            written = variant["written"]
            shown = written if variant.get("typo") else name
            abbreviation = bool(variant.get("abbreviation"))
            word = TypeWord(written, shown, abbreviation, name, codes, systems, by_name)
            words.setdefault(key(written), word)
    return words


def _session_re(words: list[str]) -> re.Pattern[str] | None:
    """A meeting of a body, then the body: "Hội nghị lần thứ sáu Ban Chấp hành Trung ương …", "Hội nghị
    Trung ương 6 Ban Chấp hành …": what the pattern takes is skipped, the issuer is the body after it."""
    if not words:
        return None
    names = "|".join(phrase_pattern(w) for w in words)
    # group "ordinal": the plenum's number is written ("lần thứ sáu", "Trung ương 6"), the plenum is named
    ordinal = r"(?:(?P<ordinal>(?:Trung\s+ương\s+)?l[ầấâa]n\s+thứ\s+\w+|Trung\s+ương\s+\w+)|\w+)"
    return re.compile(rf"(?:{names})\s+(?:{ordinal}\s+)?", re.IGNORECASE)


def _clause_end_re(starters: list[str]) -> re.Pattern[str]:
    """";", ":", a full stop, a new list item ("- ", "a) ", "2. ", "II. ") or a line opening with a preamble
    word ("Căn cứ …" on a new line): where a clause ends."""
    opening = "".join(rf"|{phrase_pattern(w)}(?!\w)" for w in starters)
    return re.compile(rf"[;:]|\.(?=\s|$)|\n[ \t]*(?:[-+•]|[a-zđ]\)|\d{{1,2}}\.|[IVX]{{1,4}}\.{opening})")


def _term_re(words: list[str]) -> re.Pattern[str]:
    """The term of a body after its name: "khóa XII", ", (khóa XIII)"."""
    names = "|".join(phrase_pattern(w) for w in words) or "(?!)"
    number = r"(?:[IVXLC]{1,6}|\d{1,2})\b"
    source = rf"\s{{0,4}},?\s{{0,4}}\(?\s{{0,2}}(?:{names})\s+{number}(?:\s{{0,2}}\))?"
    return re.compile(source, re.IGNORECASE)


def _issuer_name_re(issuers: dict[str, Any]) -> re.Pattern[str]:
    names = {n for entry in issuers["issuers"] for n in entry["names"]} | set(issuers["phrase"]["roles"])
    longest_first = sorted(names, key=len, reverse=True)
    return re.compile(_by_first_word([(n, None) for n in longest_first]), re.IGNORECASE)


def _named_anchor_forms(type_words: dict[str, TypeWord]) -> list[str]:
    """Where a reference by name can start: "Luật", "Bộ luật", "Hiến pháp", "Nghị quyết", longest first."""
    named = [w for w in type_words.values() if w.by_name and w.name == w.canonical]
    # Case variants spelled out instead of IGNORECASE: literal alternatives let the engine scan fast.
    # Lower case only for Party resolutions: "luật" alone is the common noun ("pháp luật").
    forms = {f for w in named for f in (w.written, w.written.upper(), w.written.title())}
    forms |= {w.written.lower() for w in named if w.by_name == "party"}
    return sorted(forms, key=lambda form: (-len(form), form))


# Upper-case letters (Vietnamese ones included): "a capitalised word follows" in a pattern.
_UPPER_CLASS = "[" + "".join(c for c in map(chr, range(0x41, 0x1EFA)) if c.isupper() and c.isalpha()) + "]"


def _lower_law_anchors(type_words: dict[str, TypeWord]) -> list[str]:
    """Pattern sources of law words in lower case before a capitalised name ("theo luật Ngân sách nhà
    nước"). Elsewhere "luật" is the common noun ("pháp luật", "luật sư"), and so it is after "pháp"
    ("pháp luật Việt Nam"); kg.extract reads only known names after these. One-word law words only:
    each is one more scan of every text (~0.5 % of extraction), and "bộ luật", "pháp lệnh" are rare in
    lower case."""
    words = {
        w.written.lower() for w in type_words.values()
        if w.by_name == "law" and w.name == w.canonical and " " not in w.written
    }
    return [
        rf"{phrase_pattern(w)}(?<!háp {re.escape(w)})(?=\s{{1,4}}{_UPPER_CLASS})"
        for w in sorted(words, key=lambda w: (-len(w), w))
    ]


def _named_anchor_re(forms: list[str], lower: tuple[str, ...] | list[str] = ()) -> re.Pattern[str]:
    return re.compile(rf"(?:{'|'.join([*(phrase_pattern(f) for f in forms), *lower])})(?!\w)")


def _named_anchor_res_by_letter(forms: list[str]) -> tuple[re.Pattern[str], ...]:
    """The anchor pattern split by first letter, the order of the forms kept: each part starts with a
    literal the engine scans for fast, and at any position at most one part can match."""
    by_letter: dict[str, list[str]] = {}
    for form in forms:
        by_letter.setdefault(fold(form)[0], []).append(form)
    return tuple(_named_anchor_re(group) for group in by_letter.values())


def _lower_law_anchor_res(sources: list[str]) -> tuple[re.Pattern[str], ...]:
    """_lower_law_anchors, one pattern each (each starts with its literal word: fast scanning)."""
    return tuple(_named_anchor_re([], [source]) for source in sources)


def _law_re(laws: list[dict[str, Any]]) -> re.Pattern[str]:
    named: list[tuple[str, int]] = []
    for i, law in enumerate(laws):
        named += [(law["name"], i)] + [(alias, i) for alias in law.get("aliases", [])]
    named.sort(key=lambda item: len(item[0]), reverse=True)
    return re.compile(_by_first_word([(n, f"l{i}_{j}") for j, (n, i) in enumerate(named)]), re.IGNORECASE)


def with_head_variants(laws: list[dict[str, Any]], heads: list[str]) -> list[dict[str, Any]]:
    """Amending laws whose names (and aliases) written with their head ("sửa đổi, bổ sung một số điều của")
    are also known with each other head: a name typed "Luật sử đổi, bổ sung một số điều của Luật X" is the
    same law (real 01/KH-TBTTKT)."""
    out = []
    for law in laws:
        names = [law["name"], *law.get("aliases", [])]
        variants = [name.replace(head, other, 1) for name in names for head in heads if head in name
                    for other in heads if other != head]
        extra = [v for v in dict.fromkeys(variants) if v not in names]
        out.append({**law, "aliases": [*law.get("aliases", []), *extra]} if extra else law)
    return out


def _law_by_key(laws: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {key(name): law for law in laws for name in [law["name"], *law.get("aliases", [])]}


def _amending_re(heads: list[str]) -> re.Pattern[str] | None:
    """What follows the type word of a law that amends the laws it names after it, spaces around."""
    if not heads:
        return None
    alternatives = "|".join(phrase_pattern(h) for h in sorted(heads, key=len, reverse=True))
    return re.compile(rf"\s+(?:{alternatives})\s+", re.IGNORECASE)


def _amended_link_re(links: list[str]) -> re.Pattern[str]:
    """The text between two laws an amending law names: a link word with spaces, a comma before it."""
    words = "|".join(phrase_pattern(w) for w in links) or "(?!)"
    return re.compile(rf"\s*,\s*(?:(?:{words})\s+)?|\s+(?:{words})\s+", re.IGNORECASE)


def _by_first_word(phrases: list[tuple[str, str | None]]) -> str:
    r"""Regex source of `(?:phrase|phrase|…)(?!\w)` for phrases tried in this order (each in a named group
    when a name is given), with the first word written once for the phrases that share it:
    "Luật\s+(?:Đất\s+đai|Đầu\s+tư|…)". Written out in full, a text "Luật X" that is none of them is
    compared with every phrase in turn. The matches are the same: phrases of two groups never match at one
    place, and a group keeps the order of its phrases."""
    by_first: dict[str, list[tuple[str, list[str], str | None]]] = {}
    for phrase, group_name in phrases:
        first, *rest = fold(phrase).split()
        by_first.setdefault(first.lower(), []).append((first, rest, group_name))

    def named(source: str, group_name: str | None) -> str:
        return f"(?P<{group_name}>{source})" if group_name else source

    alternatives = []
    for group in by_first.values():
        if any(not rest for _, rest, _ in group):  # a one-word phrase: the group is written out in full
            alternatives += [named(phrase_pattern(" ".join([w, *rest])), n) for w, rest, n in group]
            continue
        rests = _by_first_letter([(phrase_pattern(" ".join(rest)), n) for _, rest, n in group], named)
        alternatives.append(rf"{re.escape(group[0][0])}\s+(?:{rests})")
    return rf"(?:{'|'.join(alternatives)})(?!\w)"


def _by_first_letter(items: list[tuple[str, str | None]], named: Any) -> str:
    r"""The alternation of these pattern sources (in this order, each named by `named`), with the first
    letter written once for those sharing it (case-insensitively, as _by_first_word's first words; its
    patterns are compiled with IGNORECASE): "G(?:iáo\s+dục|iá)". After "Luật " the engine then tests a
    few letters, not every listed name (120 laws). Sources of two letters never match at one place, and a
    letter keeps the order of its sources: the matches are the same."""
    by_letter: dict[str, list[tuple[str, str | None]]] = {}
    for source, group_name in items:
        letter = source[0].lower() if source[0].isalnum() else source  # an escape: a group of its own
        by_letter.setdefault(letter, []).append((source, group_name))
    out = []
    for group in by_letter.values():
        first = group[0][0][0]
        if len(group) == 1 or not first.isalnum():
            out += [named(source, n) for source, n in group]
        else:
            out.append(first + "(?:" + "|".join(named(source[1:], n) for source, n in group) + ")")
    return "|".join(out)


@cache
def grammar() -> Grammar:
    types, issuers, named = load("doc_types.json"), load("issuers.json"), load("named_refs.json")
    type_words = _type_words(types)
    code_types: dict[str, list[TypeWord]] = {}
    for word in type_words.values():
        if word.name == word.canonical:
            for code in word.codes:
                code_types.setdefault(code.upper(), []).append(word)
    phrase = issuers["phrase"]
    anchor_forms = _named_anchor_forms(type_words)
    lower_law_anchors = _lower_law_anchors(type_words)
    amending = named.get("amending", {})
    # amending laws are known by name too, whichever of the heads they are written with
    laws = named["laws"] + with_head_variants(amending.get("laws", []), amending.get("heads", []))
    after_reach = load("relation_cues.json").get("after_reach", {})  # read as data: no import of kg.resolve
    return Grammar(
        type_words=type_words,
        max_type_len=max(len(k.split()) for k in type_words),
        type_first_words=frozenset(k.split()[0] for k in type_words),
        type_last_words=frozenset(
            k.split()[-1] for k in [*type_words, *(key(w) for w in types["generic_words"])]
        ),
        generic_words=frozenset(key(w) for w in types["generic_words"]),
        excluded_words=frozenset(key(w) for w in types["excluded_words"]),
        excluded_last_words=frozenset(key(w).split()[-1] for w in types["excluded_words"]),
        common_nouns=frozenset(key(w) for w in types.get("common_nouns", [])),
        code_types=code_types,
        issuer_codes={e["code"].upper(): e for e in issuers["issuers"]},
        known_codes=frozenset(code_types) | {e["code"].upper() for e in issuers["issuers"]},
        issuer_name_re=_issuer_name_re(issuers),
        introducer_re=re.compile(
            r"\s{0,8},?\s{0,8}(?:" + "|".join(phrase_pattern(w) for w in phrase["introducers"]) + r")\s+",
            re.IGNORECASE,
        ),
        complete_issuers=frozenset(
            key(n) for e in issuers["issuers"] if e.get("level") == "central" for n in e["names"]
        ),
        roles=frozenset(key(r) for r in phrase["roles"]),
        stop_words=frozenset(key(w) for w in phrase["stop_words"]),
        strong_stop_words=frozenset(key(w) for w in phrase["strong_stop_words"]),
        max_issuer_words=phrase["max_words"],
        subject_starters=tuple(key(w) for w in types.get("subject_starters", ["về"])),
        clause_end_re=_clause_end_re(types.get("clause_starters", [])),
        left_verbs=frozenset(key(w) for w in phrase["left_verbs"]),
        left_links=frozenset(key(w) for w in phrase["left_links"]),
        left_verb_ends=frozenset(key(w).split()[-1] for w in phrase["left_verbs"]),
        left_links_alone=frozenset(key(w) for w in phrase["left_links_alone"]),
        session_re=_session_re(phrase.get("sessions", [])),
        term_re=_term_re(phrase.get("terms", [])),
        issuer_heads=frozenset(key(w) for w in phrase["heads"]),
        numbered_bodies=tuple(sorted(  # and the places named by a number: "Ủy ban nhân dân Quận 3"
            {key(w) for w in phrase.get("numbered_bodies", [])}
            | {key(w) for w in load("jurisdiction.json")["numbered_names"]["words"]})),
        named_anchor_re=_named_anchor_re(anchor_forms, lower_law_anchors),
        named_anchor_res_by_letter=_named_anchor_res_by_letter(anchor_forms)
        + _lower_law_anchor_res(lower_law_anchors),
        laws=laws,
        law_re=_law_re(laws),
        law_by_key=_law_by_key(laws),
        amending_re=_amending_re(named.get("amending", {}).get("heads", [])),
        amended_link_re=_amended_link_re(named.get("amending", {}).get("links", [])),
        party_res=[(p["kind"], re.compile(fold(p["pattern"]), re.IGNORECASE)) for p in named["party"]],
        place_levels=_place_levels(load("places.json")),
        central_body_codes={
            key(n): e["code"] for e in issuers["issuers"] if e.get("level") == "central" for n in e["names"]
        },
        after_issuer_re=_after_issuer_re(phrase.get("terms", []), phrase.get("meetings", []),
                                         types.get("subject_starters", [])),
        subject_stop_re=_subject_stop_re(types.get("subject_stops", {}).get("predicates", []), after_reach),
        subject_stop_blockers=tuple(key(w) for w in after_reach.get("blockers", [])),
        # jurisdiction.json is resolve's data, read here as data (no import of kg.resolve)
        not_places=frozenset(key(w) for w in load("jurisdiction.json").get("not_places", [])),
        kind_abbreviations=frozenset(
            key(w) for w in load("places.json").get("kind_abbreviations", {}).get("abbreviations", {})
        ),
    )


def _subject_stop_re(predicates: list[str], after_reach: dict[str, Any]) -> re.Pattern[str] | None:
    """A predicate of doc_types.json subject_stops followed by one of relation_cues.json after_reach "then"
    words ("hết hiệu lực kể từ", "có hiệu lực từ ngày"), as a word after a space; the match starts at the
    predicate. The same "then" words as the relation reader's, so the subject ends where it reads the cue."""
    then = after_reach.get("then", [])
    if not predicates or not then:
        return None
    ordered = sorted(predicates, key=len, reverse=True)
    alternatives = "|".join(phrase_pattern(w) for w in ordered)
    thens = "|".join(phrase_pattern(w) for w in sorted(then, key=len, reverse=True))
    return re.compile(rf"(?<=\s)(?:{alternatives})\s+(?:{thens})(?!\w)", re.IGNORECASE)


def _after_issuer_re(terms: list[str], meetings: list[str], starters: list[str]) -> re.Pattern[str] | None:
    """A body's term and a meeting written after the issuer, before the subject: " khóa XII", ", khóa XIII,
    kỳ họp thứ 15", " (khoá XIII) tại Kỳ họp thứ mười lăm". The meeting's name is at most four words and
    stops before a subject starter ("… kỳ họp thứ 15 quy định …")."""
    if not terms:
        return None
    term = _term_re(terms).pattern
    if not meetings:
        return re.compile(term, re.IGNORECASE)
    names = "|".join(phrase_pattern(w) for w in meetings)
    stop = "|".join(phrase_pattern(w) for w in sorted(starters, key=len, reverse=True)) or "(?!)"
    meeting = rf"\s{{0,4}},?\s{{0,4}}(?:tại\s+)?(?:{names})(?:\s+(?!(?:{stop})(?!\w))\w+){{1,4}}"
    return re.compile(rf"(?:{term})(?:{meeting})?|{meeting}", re.IGNORECASE)


def _place_levels(places: dict[str, Any]) -> dict[str, tuple[int, int]]:
    """key(kind) -> (lowest, highest) administrative level of the places it names (1 commune, 2 district,
    3 province)."""
    levels: dict[str, set[int]] = {}
    kinds = [(places["commune_kinds"], 1), (places["district_kinds"], 2),
             ({p["kind"] for p in places["provinces"]}, 3)]
    for words, level in kinds:
        for word in words:
            levels.setdefault(key(word), set()).add(level)
    return {word: (min(found), max(found)) for word, found in levels.items()}
