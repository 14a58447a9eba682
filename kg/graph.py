"""Citations -> RDF: one named graph per source file (docs/architecture.md, "Graph conventions").

Three steps. `analyse` reads one document (metadata, citations, their sentence, section and cue) and runs
in worker processes; `resolve_corpus` gives every mention its document IRI over the whole corpus (dateless
mentions, conflicting dates, variants: deterministic); `file_ntriples` writes one file's statements.
kg.pipeline.build_into ties them to a store, replacing each changed file graph atomically.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg import vocab
from kg.models import Citation, DocumentMetadata, IngestError, SourceDocument
from kg.periods import bound_period, subject_until
from kg.resolve import (
    Jurisdiction,
    after_cue_relations,
    body_relation,
    canonical_type_code,
    citing_relation,
    continues_list,
    distant_after_relation,
    document_iri,
    document_type,
    draft_document_iri,
    fold,
    identity_key,
    issuer_code_for_phrase,
    issuer_code_of,
    issuer_iri,
    issuer_is_local,
    level_and_name,
    list_lead_relation,
    local_scope,
    may_change,
    modifies_another_noun,
    named_document_iri,
    named_key,
    named_year_in_force,
    opens_clause,
    parallel_change,
    place_iri,
    slug,
    subject_link,
    title_parenthesis_relation,
    title_relation,
    type_iri,
)

ANALYSIS_VERSION = "5"  # bump when `analyse` changes: cached analyses of older versions are redone
# Code and data an analysis depends on: when any of them changes, cached analyses are redone.
_ANALYSIS_INPUTS = (
    "graph.py",
    "metadata.py",
    "extract.py",
    "grammar.py",
    "resolve.py",
    "ingest.py",
    "legacy_fonts.py",
    "models.py",
)


@functools.cache
def analysis_version() -> str:
    from kg.data import ontology_dir

    digest = hashlib.sha256(ANALYSIS_VERSION.encode())
    package = Path(__file__).resolve().parent
    files = [package / name for name in _ANALYSIS_INPUTS] + sorted(ontology_dir().glob("*.json"))
    for file in files:
        if file.is_file():
            digest.update(file.name.encode() + b"\0" + file.read_bytes())
    return digest.hexdigest()[:16]


# ---------------------------------------------------------------------------------------------- analysis


@dataclass(slots=True)
class Mention:
    """A citation with what the graph needs around it."""

    citation: Citation
    sentence: str
    section: str | None
    relation: str  # from the citing document: "based_on", "implements", … or "cites"
    head: int | None = None  # index of the mention whose subject (trích yếu) names this one
    head_relation: str | None = None  # relation head -> this ("implements", "amends", …)
    head_reverse: bool = False  # passive cue ("được sửa đổi, bổ sung tại"): the relation runs this -> head


@dataclass(slots=True)
class FileAnalysis:
    """One source file, read: what `analyse` returns and the build caches by content hash."""

    path: str
    sha256: str
    format: str
    metadata: DocumentMetadata
    mentions: list[Mention]
    warnings: list[str] = field(default_factory=list)


_SPACES = re.compile(r"\s+")


def _collapse(text: str) -> str:
    r"""Runs of whitespace as one space, ends stripped: re.sub(r"\s+", " ", text).strip(), faster (split()
    splits at exactly the characters \s matches)."""
    return " ".join(text.split())

_HEADING = re.compile(
    r"^[ \t]*(?:(?P<roman>[IVXLC]+)\.|(?P<arabic>\d{1,2})\.(?!\d)|(?P<article>Điều\s+\d+)\.?)"
    r"[ \t]+(?P<title>\S.*)$",
    re.M,
)
_PREAMBLE_END = re.compile(
    r"^[ \t]*(?:(?:I|1)\.[ \t]+\S|Điều\s+1\b|(?:QUYẾT ĐỊNH|QUYẾT NGHỊ|NGHỊ QUYẾT|CHỈ THỊ)\s*:)", re.M
)


def sections(text: str) -> list[tuple[int, str]]:
    """(offset, label) of each heading: "II. NỘI DUNG" then "1. …" gives "II.1 …"; "Điều 3" too."""
    found: list[tuple[int, str]] = []
    roman: str | None = None
    for match in _HEADING.finditer(text):
        title = _collapse(match.group("title"))[:100]
        if match.group("roman"):
            roman = match.group("roman")
            found.append((match.start(), f"{roman}. {title}"))
        elif match.group("arabic"):
            label = f"{roman}.{match.group('arabic')}" if roman else f"{match.group('arabic')}."
            found.append((match.start(), f"{label} {title}"))
        else:
            article = _SPACES.sub(" ", match.group("article"))
            found.append((match.start(), f"{article}. {title}"))
    return found


def section_at(headings: list[tuple[int, str]], offset: int, starts: list[int] | None = None) -> str | None:
    """The label of the last heading at or before `offset`; `starts`: the headings' offsets, when the
    caller asks for many offsets of one text (a bisection instead of a scan)."""
    index = bisect.bisect_right(starts if starts is not None else [h[0] for h in headings], offset)
    return headings[index - 1][1] if index else None


_SENTENCE_START = re.compile(
    r"\n[ \t]*(?=(?:[IVX]+\.|\d{1,2}\.|[a-zđ]\)|[-–+•]|Căn cứ|Thực hiện|Triển khai|Theo|Điều \d)[ \t]*)"
)


_SENTENCE_MARK = re.compile(r"\. |\.\n|;|!|\?")


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence holding text[start:end], whitespace collapsed: it starts after . ; ! ? or at a line that
    opens a heading, a list item or a preamble cue ("Căn cứ", "Thực hiện")."""
    # The sentence is cut 600 characters either side: marks are looked for only that far (a search of the
    # whole text for each mention made long documents quadratic).
    low = max(0, start - 601)
    left = max(
        text.rfind(". ", low, start),
        text.rfind(".\n", low, start),
        text.rfind(";", low, start),
        text.rfind("!", low, start),
        text.rfind("?", low, start),
        text.rfind(":\n", low, start),
    )
    for opener in _SENTENCE_START.finditer(text, max(0, start - 600), start):
        left = max(left, opener.start())
    mark = _SENTENCE_MARK.search(text, end, end + 602)  # the first of ". ", ".\n", ";", "!", "?"
    right = mark.start() + 1 if mark else len(text)
    left = max(left + 1, start - 600)
    right = min(right, end + 600)
    return _collapse(text[left:right])


_SENTENCE_END = re.compile(r"[.!?][”\")\]]*\s")


def _sentence_ends(text: str, preamble_end: int) -> tuple[list[int], list[int]]:
    """(ends, starts) of the sentence ends (_SENTENCE_END) of the preamble, in order, found once per text.

    A match never overlaps another and cannot grow past its whitespace, so the matches in text[:k] are
    exactly those here that end by k."""
    matches = [(m.end(), m.start()) for m in _SENTENCE_END.finditer(text, 0, preamble_end)]
    return [end for end, _ in matches], [start for _, start in matches]


def _clause_relation(
    text: str, preamble_end: int, citation: Citation, sentence_ends: tuple[list[int], list[int]] | None = None
) -> str | None:
    """The cue that opens the preamble clause holding the citation ("Căn cứ …;", "Thực hiện …")."""
    if citation.start >= preamble_end:
        return None
    ends, starts = sentence_ends or _sentence_ends(text, preamble_end)
    index = bisect.bisect_right(ends, citation.start)
    sentence_end = starts[index - 1] if index else -1
    boundary = max(text.rfind(";", 0, citation.start), sentence_end, text.rfind(":\n", 0, citation.start))
    clause = text[boundary + 1 : citation.start]
    # The cue opens a line; take the last line-initial cue of the clause.
    line_start = len(clause)
    while line_start >= 0:  # each line start from the last, the clause's own start (-1 + 1) included
        line_start = clause.rfind("\n", 0, line_start)
        relation = citing_relation(clause[line_start + 1 :])
        if relation:
            return relation
    return None


def _same_sentence(text: str, citations: list[Citation], index: int) -> tuple[str, str]:
    """Text of the citation's sentence before it and after it, stopping at neighbouring citations."""
    citation = citations[index]
    floor = citations[index - 1].end if index > 0 else 0
    ceiling = citations[index + 1].start if index + 1 < len(citations) else len(text)
    # Both sides stop 160 characters away: marks are looked for only that far.
    low = max(0, citation.start - 161)
    start = max(
        [floor, citation.start - 160] + [text.rfind(m, low, citation.start) + 1 for m in (".", ";", "\n\n")]
    )
    high = min(ceiling, citation.end + 162)
    ends = [i for i in (text.find(m, citation.end, high) for m in (". ", ".\n", ";")) if i >= 0]
    end = min([ceiling, citation.end + 160, *ends])
    return text[start : citation.start], text[citation.end : end]


_SUBJECT_OPENING = re.compile(r"(?:^|[ \t])V/v\b|^[ \t]*Về việc\b", re.M)


def _title_start(text: str) -> int | None:
    """Where the citing document's own title starts: after its type line ("KẾ HOẠCH"), else after the "V/v"
    of an official letter's subject ("Số: 12/UBND-VX V/v triển khai thực hiện Chỉ thị số …")."""
    from kg.metadata import type_line  # the type-line pattern metadata reads the title with

    match = type_line(text) or _SUBJECT_OPENING.search(text, 0, 3000)
    return match.end() if match else None


def _same_document(first: Citation, second: Citation) -> bool:
    """Two mentions of one document ("… của Luật Thuế giá trị gia tăng thì thực hiện theo … Luật Thuế giá trị
    gia tăng"): the second is no document named in the first's subject."""
    first_key = first.id or first.law_id or first.name
    return first_key is not None and first_key == (second.id or second.law_id or second.name)


_LIST_LINK = re.compile(r"[^;.:()\n]{0,80}?(?:,|\svà|,\s*và)\s*")


def _next_in_list(text: str, previous: Citation, citation: Citation, former: Mention) -> bool:
    """Does the citation follow the previous one in a list of documents of one type named in a subject
    ("… của Luật B, Luật C", "được sửa đổi tại Nghị định B ngày … và Nghị định C")?"""
    return (
        former.head is not None
        and citation.type == previous.type
        and _LIST_LINK.fullmatch(text, previous.end, citation.start) is not None
        and not _same_document(previous, citation)
    )


_OPENING_RELATIONS = frozenset({"based_on", "implements", "continues"})


def _listed_after_opening_cue(text: str, previous: Citation, citation: Citation, former: Mention) -> bool:
    """Does the citation follow, in one list, a body citation that an opening cue typed ("Căn cứ A và B")?"""
    return (
        former.relation in _OPENING_RELATIONS
        and former.head is None
        and _LIST_LINK.fullmatch(text, previous.end, citation.start) is not None
    )


# What the citing document does to each document of a list: "Bãi bỏ Quyết định số A … và Quyết định số B
# …", "… này thay thế Nghị quyết số A …; Nghị quyết số B …" (real An Giang tracking sheet, DOMAIN.md §9).
# Each item may carry its whole subject (a title of 200 characters, "Quy chế (mẫu)") before the next one.
_CHANGE_RELATIONS = frozenset({"replaces", "repeals", "amends"})
_CHANGE_LIST_LINK = re.compile(r"[^;.:\n]{0,300}?(?:,|\svà|,\s*và)\s*")


def _listed_after_change(
    text: str, citations: list[Citation], index: int, mentions: list[Mention]
) -> str | None:
    """The relation of the last document the citing one replaced, repealed or amended, when this citation
    is the next item of the same list (after ";", "," or "và", its subject documents aside)."""
    listed = next((m for m in reversed(mentions) if m.head is None), None)
    if listed is None or listed.relation not in _CHANGE_RELATIONS:
        return None
    gap = text[citations[index - 1].end : citations[index].start]
    return listed.relation if continues_list(gap) or _CHANGE_LIST_LINK.fullmatch(gap) else None


_SENTENCE_MARKS = re.compile(r"\.\s|;|\n\s*\n")


def _rest_of_sentence(text: str, citations: list[Citation], index: int) -> str:
    """The text after the citation up to the end of its sentence or the next citation, 400 characters at
    most: where a cue after a long subject is looked for (resolve.distant_after_relation)."""
    end = citations[index].end
    ceiling = min(citations[index + 1].start if index + 1 < len(citations) else len(text), end + 400)
    mark = _SENTENCE_MARKS.search(text, end, ceiling)
    return text[end : mark.start() if mark else ceiling]


def _is_list_gap(gap: str) -> bool:
    """The text between two items of one list of documents: "…, ", "… và ", or "…; " inside a line."""
    return _CHANGE_LIST_LINK.fullmatch(gap) is not None or ("\n" not in gap and continues_list(gap))


def _listed_before(text: str, citations: list[Citation], index: int, mentions: list[Mention]) -> list[int]:
    """The earlier items, still untyped (cites), of the list this citation ends, last first: "Các Quyết định
    số A …, Quyết định số B … hết hiệu lực" gives [A]. Documents named in an item's subject are no items."""
    items: list[int] = []
    later = index  # the citation after the gap being read
    for k in range(index - 1, -1, -1):
        if (later == index or mentions[later].head is None) and \
                not _is_list_gap(text[citations[k].end : citations[later].start]):
            break
        if mentions[k].head is None:
            if mentions[k].relation != "cites":
                break
            items.append(k)
        later = k
    return items


def _after_cue_on_list(
    text: str, citations: list[Citation], index: int, mentions: list[Mention], relation: str, distant: bool
) -> str:
    """A cue after a list ("Các Quyết định số A …, Quyết định số B … hết hiệu lực") says what happens to
    every item when the list is the clause's subject: each item gets the relation. The list introduced by a
    preposition modifies another noun ("Các giấy phép đã cấp theo Quyết định số A, Quyết định số B … hết
    hiệu lực": the permits lapse): then no item, the last one included, gets it."""
    items = _listed_before(text, citations, index, mentions)
    first = _same_sentence(text, citations, items[-1] if items else index)[0]
    if distant and not opens_clause(first):  # a cue past a long subject: only the clause's own subject
        return "cites"
    if not items:
        return relation
    if modifies_another_noun(first):
        return "cites"
    for k in items:
        mentions[k].relation = relation
    return relation


_COORDINATED = re.compile(r"(?:,|\svà)\s+")
_GAP_SENTENCE_END = re.compile(r"[.;:!?]\s|\n\s*\n")


def _coordinated_change(
    text: str, citations: list[Citation], index: int, mentions: list[Mention]
) -> str | None:
    """A second cue of the sentence, after "và" or ",", acts on its own object with the same actor, the citing
    document that replaced, repealed or amended the previous one: "Quyết định này thay thế Quyết định số A …
    và bãi bỏ khoản 2 Điều 1 Quyết định số B" (B amended: a part of it is repealed)."""
    listed = next((m for m in reversed(mentions) if m.head is None), None)
    if listed is None or listed.relation not in _CHANGE_RELATIONS:
        return None
    gap = text[citations[index - 1].end : citations[index].start]
    if len(gap) > 400 or _GAP_SENTENCE_END.search(gap):
        return None
    after = _same_sentence(text, citations, index)[1]
    for match in _COORDINATED.finditer(gap):
        relation = body_relation(gap[match.end() :], after)
        if relation in _CHANGE_RELATIONS:
            return relation
    return None


def _coordinated_subject_change(
    text: str, previous: Citation, citation: Citation, former: Mention
) -> str | None:
    """In a cited document's subject, a second change cue after "và" or "," acts on its own object, with that
    document as actor: "Quyết định số X … sửa đổi, bổ sung Quyết định số A và bãi bỏ Quyết định số B" (X
    repeals B; a part of it: X amends B)."""
    if former.head is None or former.head_reverse or former.head_relation not in _CHANGE_RELATIONS:
        return None
    gap = text[previous.end : citation.start]
    if len(gap) > 400 or _GAP_SENTENCE_END.search(gap):
        return None
    for match in _COORDINATED.finditer(gap):
        link = subject_link(gap[match.end() :])
        if link and not link[1] and link[0] in _CHANGE_RELATIONS:
            return link[0]
    return None


def relate_mentions(text: str, citations: list[Citation]) -> list[Mention]:
    """Type each citation's relation from its cue and link subject citations to their head."""
    preamble = _PREAMBLE_END.search(text)
    preamble_end = preamble.start() if preamble else len(text)
    headings = sections(text)
    heading_starts = [start for start, _ in headings]
    sentence_ends = _sentence_ends(text, preamble_end)
    title_start = _title_start(text)
    clause_relations: list[str | None] = []  # each citation's preamble cue, carried on to a list after it
    outer_name: int | None = None  # the citation whose span holds the next ones (an amending law's name)
    mentions: list[Mention] = []
    for index, citation in enumerate(citations):
        head, head_relation, head_reverse = None, None, False
        if outer_name is not None and citation.end <= citations[outer_name].end:
            # named inside another's name ("Luật sửa đổi, bổ sung một số điều của Luật A, Luật B"): the words
            # before the first name inside relate the outer document to each of them
            link = subject_link(text[citations[outer_name].start : citations[outer_name + 1].start])
            if link and not link[1]:
                head, (head_relation, head_reverse) = outer_name, link
        elif index > 0:
            outer_name = None
            previous = citations[index - 1]
            link = subject_link(text[previous.end : citation.start])
            if link and link[0] in _CHANGE_RELATIONS and not link[1] and mentions[index - 1].head is None \
                    and mentions[index - 1].relation in _CHANGE_RELATIONS \
                    and parallel_change(text[previous.end : citation.start]):
                link = None  # "… thay thế Quyết định số A …, thay thế Quyết định số B": a second act, on B
            if link and title_start is not None and 0 < citation.start - title_start <= 700 and \
                    title_parenthesis_relation(text[title_start : citation.start]):
                link = None  # "… Nghị định số A … trên địa bàn tỉnh (thay thế Nghị quyết số B": the title
            if link and not _same_document(previous, citation):
                head, (head_relation, head_reverse) = index - 1, link
                if head_reverse and not may_change(citation.type, previous.type):
                    # "Nghị định A … thi hành Luật B (được sửa đổi tại Nghị định C)": C amends A, no law
                    outer = mentions[head].head
                    if outer is None or not may_change(citation.type, citations[outer].type):
                        head, head_relation, head_reverse = None, None, False
                    else:
                        head = outer
                # A chain "A về thực hiện B" where A itself sits in the same list keeps A as head.
            elif link is None and _next_in_list(text, previous, citation, mentions[index - 1]):
                # "A sửa đổi, bổ sung … của Luật B, Luật C và Luật D": what A is to B, it is to C and D
                former = mentions[index - 1]
                head, head_relation, head_reverse = former.head, former.head_relation, former.head_reverse
            elif link is None and (coordinated := _coordinated_subject_change(text, previous, citation,
                                                                             mentions[index - 1])):
                head, head_relation, head_reverse = mentions[index - 1].head, coordinated, False
        if index + 1 < len(citations) and citations[index + 1].start < citation.end and outer_name is None:
            outer_name = index  # the next citation starts inside this one
        if head is not None:
            relation = "cites"
            clause_relations.append(clause_relations[head])
        else:
            relation = _clause_relation(text, preamble_end, citation, sentence_ends)
            if relation is None and title_start is not None and 0 < citation.start - title_start <= 700:
                relation = title_relation(text[title_start : citation.start])
            if relation is None and index > 0 and citation.start < preamble_end:
                if continues_list(text[citations[index - 1].end : citation.start]):
                    relation = clause_relations[index - 1]  # "Căn cứ A …; B …": B under the same cue
            clause_relations.append(relation)
            if relation is None:
                before, after = _same_sentence(text, citations, index)
                relation = body_relation(before, after)
                distant = relation is None
                if distant:  # a cue past a long subject: the list's first item must open the clause
                    relation = distant_after_relation(_rest_of_sentence(text, citations, index))
                if relation in after_cue_relations() and index > 0:  # "Các Quyết định số A, B … hết hiệu lực"
                    relation = _after_cue_on_list(text, citations, index, mentions, relation, distant)
                elif distant and relation is not None and not opens_clause(before):
                    relation = None
            if relation is None and citation.start >= preamble_end:
                relation = list_lead_relation(text, citation.start)  # "Bãi bỏ các … sau:\n1. Quyết định số …"
            if relation is None and index > 0:  # "… này thay thế Quyết định số A và bãi bỏ khoản 2 … B"
                relation = _coordinated_change(text, citations, index, mentions)
            if relation is None and index > 0:  # in the body, or the title ("Bãi bỏ Quyết định số A … và B")
                relation = _listed_after_change(text, citations, index, mentions)  # "thay thế A …; B …"
            if relation is None and index > 0 and _listed_after_opening_cue(text, citations[index - 1],
                                                                             citation, mentions[-1]):
                relation = mentions[-1].relation  # "- Căn cứ Quyết định số A … và Thông tư số B, …"
            relation = relation or "cites"
        mentions.append(
            Mention(
                citation=citation,
                sentence=sentence_around(text, citation.start, citation.end),
                section=section_at(headings, citation.start, heading_starts),
                relation=relation,
                head=head,
                head_relation=head_relation,
                head_reverse=head_reverse,
            )
        )
    return mentions


def analyse(document: SourceDocument) -> FileAnalysis:
    """Everything the graph needs from one document; pure, so it runs in worker processes."""
    from kg.extract import extract
    from kg.metadata import read_metadata

    text = document.text
    citations = sorted(extract(text), key=lambda c: (c.start, c.end))
    return FileAnalysis(
        path=document.path,
        sha256=document.sha256 or hashlib.sha256(text.encode("utf-8")).hexdigest(),
        format=document.format,
        metadata=read_metadata(text),
        mentions=relate_mentions(text, citations),
        warnings=list(document.warnings),
    )


# ---------------------------------------------------------------------------------------------- identity


@dataclass(slots=True)
class DocRef:
    """A mention's document identity before the corpus pass."""

    key: tuple[str, ...]  # (scope, type, number, symbol) for numbered; ("named", name) for named
    year: int | None
    date: str | None
    scope: str
    level: str | None
    place: Jurisdiction
    system: str | None
    issuer_codes: list[str]
    issuer_phrase: str | None
    form: str  # the id as written: "11-QĐi/TW", or the name
    type_code: str | None
    type_name: str | None
    doc_type: str  # code of its eli:type_document ("CT", "Luật")
    number: str | None
    symbol: str | None
    name: str | None = None
    iri: str = ""


def citing_context(metadata: DocumentMetadata) -> Jurisdiction:
    return Jurisdiction(metadata.province, metadata.district, metadata.commune)


_FOUR_DIGITS = re.compile(r"\d{4}")
_LAW_ID = re.compile(r"\s*(\w+)/(\d{4})/([\w-]+)\s*")
_TITLE_YEAR = re.compile(r"năm\s+(\d{4})")


def _year_of(date: str | None) -> int | None:
    return int(date[:4]) if date and _FOUR_DIGITS.match(date) else None


def _system_of(citation_system: str | None, symbol: str | None, issuer_code: str | None) -> str:
    if citation_system:
        return citation_system
    if issuer_code and "MTTQ" in issuer_code:
        return "front"
    if symbol and "/" in symbol:
        return "party"
    return "state"


def mention_ref(citation: Citation, context: Jurisdiction) -> DocRef | None:
    """Identity of the document a citation names, resolved against the citing document's place."""
    date = citation.date
    if citation.kind == "named" or not citation.number:
        name = citation.name or citation.text
        law = _parse_law_id(citation.law_id)
        if law:
            number, year, symbol = law
            scope = "vn"
            key = identity_key("Luật", number, symbol, scope)
            return DocRef(
                key=key,
                year=year,
                date=date,
                scope=scope,
                level="central",
                place=Jurisdiction(),
                system="state",
                issuer_codes=["QH"],
                issuer_phrase="Quốc hội",
                form=citation.law_id or name,
                type_code="Luật",
                type_name=citation.type or "Luật",
                doc_type=document_type(citation.type or "Luật", None, None),
                number=number,
                symbol=symbol,
                name=name,
            )
        if not name:
            return None
        system = citation.system or "state"
        scope, level, place = "vn", "central", Jurisdiction()
        if system == "party" and level_and_name(name)[0]:  # "Nghị quyết Đại hội Đảng bộ tỉnh …"
            scope, level, place = local_scope("TU", name, context)
        return DocRef(
            key=named_key(name, scope),
            year=citation.year,
            date=date,
            scope=scope,
            level=level,
            place=place,
            system=system,
            issuer_codes=_named_issuers(citation, system, level),
            issuer_phrase=citation.issuer,
            form=name,
            type_code=citation.type_code,
            type_name=citation.type,
            doc_type=document_type(citation.type, citation.type_code, None),
            number=None,
            symbol=None,
            name=name,
        )
    symbol = citation.symbol or ""
    issuer_code = citation.issuer_code or issuer_code_of(symbol)
    system = _system_of(citation.system, symbol, issuer_code)
    if issuer_is_local(issuer_code, citation.issuer):
        scope, level, place = local_scope(issuer_code, citation.issuer, context)
    else:
        scope, level, place = "vn", "central", Jurisdiction()
    type_code = canonical_type_code(citation.type_code, symbol)
    key = identity_key(type_code, citation.number, symbol, scope)
    return DocRef(
        key=key,
        year=citation.year or _year_of(date),
        date=date,
        scope=scope,
        level=level,
        place=place,
        system=system,
        issuer_codes=[c for c in (issuer_code or "").split("-") if c],
        issuer_phrase=citation.issuer,
        form=citation.id or f"{citation.number}/{symbol}",
        type_code=type_code,
        type_name=citation.type,
        doc_type=document_type(citation.type, citation.type_code, symbol),
        number=citation.number,
        symbol=symbol,
    )


def _named_issuers(citation: Citation, system: str, level: str | None) -> list[str]:
    """Who issues a document cited by name: the National Assembly for laws and the constitution, the
    Central Committee (or the provincial committee) for Party resolutions; else unknown."""
    if citation.issuer_code:
        return [citation.issuer_code]
    if fold(citation.type or "") in ("luật", "bộ luật", "hiến pháp", "pháp lệnh"):
        return ["QH"] if fold(citation.type or "") != "pháp lệnh" else ["UBTVQH"]
    if system == "party":
        return ["TW"] if level in (None, "central") else ["TU"]
    return []


def _parse_law_id(law_id: str | None) -> tuple[str, int, str] | None:
    match = _LAW_ID.fullmatch(law_id or "")
    return (match.group(1), int(match.group(2)), match.group(3)) if match else None


def citing_ref(analysis: FileAnalysis) -> DocRef:
    """Identity of the citing document itself, from its own header (a draft is identified by its file)."""
    md = analysis.metadata
    context = citing_context(md)
    symbol = md.symbol or ""
    issuer_code = issuer_code_of(symbol) if symbol else None
    type_code = canonical_type_code(None, symbol) if symbol else _type_code_of_name(md.type)
    local = issuer_is_local(issuer_code, md.issuer) or (context.level is not None and not issuer_code) or (
        context.level is not None and issuer_is_local(None, md.parent_issuer))  # "ỦY BAN BẦU CỬ XÃ …" above
    scope = context.scope() if local else "vn"
    level = context.level if local else "central"
    # Undated (a draft, or a lost header): the year its title names ("… năm 2023") bounds it.
    title_year = _TITLE_YEAR.findall(md.title or "")
    year = _year_of(md.date) or (int(title_year[-1]) if title_year else None)
    if md.number and symbol:
        key = identity_key(type_code, md.number, symbol, scope)
        iri = document_iri(type_code, md.number, symbol, year, scope)
    else:
        key = ("file", analysis.path)
        iri = draft_document_iri(scope, type_code, year, Path(analysis.path).stem)
    return DocRef(
        key=key,
        year=year,
        date=md.date,
        scope=scope,
        level=level,
        place=context if local else Jurisdiction(),
        system=_system_of(None, symbol, issuer_code),
        issuer_codes=[c for c in (issuer_code or "").split("-") if c] or ([md.issuer] if md.issuer else []),
        issuer_phrase=md.issuer,
        form=md.id or (md.type or Path(analysis.path).name),
        type_code=type_code,
        type_name=md.type,
        doc_type=document_type(md.type, type_code, symbol or None),
        number=md.number,
        symbol=md.symbol,
        iri=iri,
    )


def _type_code_of_name(type_name: str | None) -> str:
    from kg.resolve import known_type_names

    return known_type_names().get(fold(type_name or ""), slug(type_name or "vb").upper())


@dataclass(slots=True)
class Resolution:
    """The corpus pass: the citing document and every mention's document, per file, and the warnings."""

    citing: dict[str, DocRef]
    mentions: dict[str, list[DocRef | None]]
    id_local: dict[str, str]  # document IRI -> the form it is most often cited in
    warnings: list[str]
    canonical: dict[str, DocRef] = field(default_factory=dict)  # IRI -> representative mention
    # (source IRI, relation name, target IRI) of every relation the file graphs state, once each: the mention
    # relations live in FileAnalysis, which the summary graph (kg.summary) does not see. Added for kg.summary.
    edges: set[tuple[str, str, str]] = field(default_factory=set)


def file_doc_refs(analysis: FileAnalysis) -> tuple[DocRef, list[DocRef | None]]:
    """The per-file part of resolve_corpus: the citing document's identity and each mention's, years
    filled in within the file. Pure, so the build runs it in its worker processes (kg.pipeline)."""
    context = citing_context(analysis.metadata)
    refs = [mention_ref(m.citation, context) for m in analysis.mentions]
    _years_within_file(refs)
    _named_years_on(refs, analysis.metadata.date)
    return citing_ref(analysis), refs


def _named_years_on(file_refs: list[DocRef | None], on: str | None) -> None:
    """A document listed by name cited without a year ("Hiến pháp") is the version in force on the citing
    document's date, when the file states one (DOMAIN.md §7)."""
    if not on:
        return
    for ref in file_refs:
        if ref is not None and ref.key[0] == "named" and ref.year is None:
            ref.year = named_year_in_force(ref.name or ref.form, on)


def resolve_corpus(
    analyses: Iterable[FileAnalysis], per_file: dict[str, tuple[DocRef, list[DocRef | None]]] | None = None
) -> Resolution:
    """Give every mention a document IRI, deterministically over the whole corpus.

    A dateless mention takes the year of the nearest earlier dated mention of the same document in the
    same file, else the one year the corpus knows for it; otherwise its year stays "unknown". One
    identifier cited with different full dates in one year is kept apart (the rarer date gets its own
    IRI) and reported.
    """
    ordered = sorted(analyses, key=lambda a: a.path)
    # `per_file`: file_doc_refs of some analyses, computed already (by the build's workers).
    known = per_file or {}
    citing: dict[str, DocRef] = {}
    refs: dict[str, list[DocRef | None]] = {}
    for analysis in ordered:
        citing[analysis.path], refs[analysis.path] = known.get(analysis.path) or file_doc_refs(analysis)

    known_years: dict[tuple[str, ...], set[int]] = defaultdict(set)
    for ref in _all_refs(citing, refs):
        if ref.year is not None and ref.key[0] != "file":
            known_years[ref.key].add(ref.year)
    warnings: list[str] = []
    registry_years = _registry_years()
    for path, file_refs in refs.items():
        for ref in file_refs:
            if ref is None or ref.year is not None:
                continue
            # A document cannot cite one issued after it: the citing document's year bounds the candidates.
            bound = citing[path].year
            years = {y for y in known_years.get(ref.key, set()) if bound is None or y <= bound}
            if not years:  # the corpus does not know it: one document of the curated registry may
                known = registry_years.get(ref.key, set())
                years = {y for y in known if y is None or bound is None or y <= bound}
                years = years if None not in years else set()
            if len(years) == 1:
                ref.year = next(iter(years))
            elif len(years) > 1 and ref.key[0] != "named":
                warnings.append(
                    f"{ref.form} in {path}: no date, and the corpus knows it for {sorted(years)}: "
                    "left unresolved"
                )

    _assign_iris(citing, refs, warnings)
    forms: dict[str, dict[str, int]] = {}  # IRI -> form -> mentions (plain dicts: a Counter each was slow)
    for ref in _all_refs(citing, refs):
        counts = forms.get(ref.iri)
        if counts is None:
            forms[ref.iri] = {ref.form: 1}
        else:
            counts[ref.form] = counts.get(ref.form, 0) + 1
    id_local = {iri: _most_counted(c) for iri, c in forms.items()}
    # What every file says about a shared document comes from one representative mention (the first in
    # the form most cited), so that the union of the file graphs agrees on number, symbol, type and issuer.
    canonical: dict[str, DocRef] = {}
    for ref in _all_refs(citing, refs):
        if ref.form == id_local[ref.iri]:
            canonical.setdefault(ref.iri, ref)

    edges = {edge for a in ordered for edge in relation_edges(a.mentions, refs[a.path], citing[a.path].iri)}
    return Resolution(citing=citing, mentions=refs, id_local=id_local, warnings=warnings, canonical=canonical,
                      edges=edges)


def _registry_years() -> dict[tuple[str, ...], set[int | None]]:
    """Identity key -> years of the curated registry's documents (DOMAIN.md §2: one known document)."""
    try:
        from kg.registry import known_years
    except ImportError:
        return {}
    return known_years()


def _all_refs(citing: dict[str, DocRef], refs: dict[str, list[DocRef | None]]) -> Iterable[DocRef]:
    for path in sorted(refs):
        yield citing[path]
        yield from (r for r in refs[path] if r is not None)


def _years_within_file(file_refs: list[DocRef | None]) -> None:
    last_year: dict[tuple[str, ...], int] = {}
    for ref in file_refs:
        if ref is None:
            continue
        if ref.year is not None:
            last_year[ref.key] = ref.year
        elif ref.key in last_year:
            ref.year = last_year[ref.key]


def _most_counted(counts: dict[str, int]) -> str:
    """The key counted most, the smallest of those on a tie."""
    if len(counts) == 1:
        return next(iter(counts))
    return min(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0]


@functools.lru_cache(maxsize=1 << 16)
def _file_name(path: str) -> str:
    return Path(path).name


def _assign_iris(
    citing: dict[str, DocRef], refs: dict[str, list[DocRef | None]], warnings: list[str]
) -> None:
    # Full dates seen per (identifier, year): more than one is a conflict, kept apart. The first form of
    # each identifier, for the warnings: once, not a scan of all refs per conflict (that scan made kg
    # build quadratic in corpus size).
    dates: dict[tuple[tuple[str, ...], int | None], dict[str, int]] = {}
    first_form: dict[tuple[str, ...], str] = {}
    for ref in _all_refs(citing, refs):
        first_form.setdefault(ref.key, ref.form)
        if ref.date and len(ref.date) == 10 and ref.key[0] != "file":
            counts = dates.get((ref.key, ref.year))
            if counts is None:
                dates[(ref.key, ref.year)] = {ref.date: 1}
            else:
                counts[ref.date] = counts.get(ref.date, 0) + 1
    main_date = {group: _most_counted(counts) for group, counts in dates.items()}
    conflicts = {group for group, counts in dates.items() if len(counts) > 1}
    if conflicts:
        _warn_conflicting_dates(citing, refs, dates, conflicts, first_form, warnings)
    for path in sorted(refs):
        for ref in [citing[path], *refs[path]]:
            if ref is None or (ref.key[0] == "file"):
                continue
            ref.iri = _iri_of(ref)
            chosen = main_date.get((ref.key, ref.year))
            if chosen and ref.date and len(ref.date) == 10 and ref.date != chosen:
                ref.iri += f"-{ref.date}"
            if ref.symbol and ref.year and ref.date and _year_of(ref.date) not in (None, ref.year):
                warnings.append(
                    f"{ref.form} in {_file_name(path)}: dated {ref.date}, but its number says {ref.year}"
                )


def _warn_conflicting_dates(
    citing: dict[str, DocRef],
    refs: dict[str, list[DocRef | None]],
    dates: dict[tuple[tuple[str, ...], int | None], dict[str, int]],
    conflicts: set[tuple[tuple[str, ...], int | None]],
    first_form: dict[tuple[str, ...], str],
    warnings: list[str],
) -> None:
    """One warning per identifier cited with several full dates in one year, with the files of each date."""
    where: dict[tuple[tuple[str, ...], int | None, str], set[str]] = defaultdict(set)
    for path in sorted(refs):
        for ref in [citing[path], *refs[path]]:
            if ref is not None and ref.date and (ref.key, ref.year) in conflicts and len(ref.date) == 10:
                where[(ref.key, ref.year, ref.date)].add(path)
    for group, counts in dates.items():
        if group not in conflicts:
            continue
        key, year = group
        ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        details = "; ".join(
            f"{date} ({n}x in {', '.join(sorted(_file_name(p) for p in where[(key, year, date)]))})"
            for date, n in ranked
        )
        warnings.append(f"{first_form[key]} cited with conflicting dates, kept apart: {details}")


def _iri_of(ref: DocRef) -> str:
    if ref.key[0] == "named":
        return named_document_iri(ref.name or ref.form, ref.year, ref.scope)
    return document_iri(ref.type_code, ref.number or "0", ref.symbol, ref.year, ref.scope)


# ---------------------------------------------------------------------------------------------- triples


def _iri(value: str) -> str:
    return f"<{value}>"


def _literal(value: Any, datatype: str | None = None) -> str:
    if isinstance(value, bool):
        return f'"{str(value).lower()}"^^<{vocab.XSD}boolean>'
    if isinstance(value, int):
        return f'"{value}"^^<{vocab.XSD}integer>'
    text = str(value)
    if "\\" in text or '"' in text or "\n" in text or "\r" in text:  # most literals need no escape
        text = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{text}"^^<{datatype}>' if datatype else f'"{text}"'


class TripleWriter:
    """Collects one graph's triples as N-Triples lines, each once, in a stable order."""

    def __init__(self) -> None:
        self.lines: set[str] = set()

    # The line is written in place (no call of add/_iri): hundreds of thousands of calls per build.
    def add(self, subject: str, predicate: str, obj: str) -> None:
        self.lines.add(f"<{subject}> <{predicate}> {obj} .")

    def iri(self, subject: str, predicate: str, obj: str | None) -> None:
        if obj:
            self.lines.add(f"<{subject}> <{predicate}> <{obj}> .")

    def lit(self, subject: str, predicate: str, value: Any, datatype: str | None = None) -> None:
        if value is not None and value != "":
            self.lines.add(f"<{subject}> <{predicate}> {_literal(value, datatype)} .")

    def ntriples(self) -> str:
        return "\n".join(sorted(self.lines)) + "\n"


def path_key(path: str, root: str | None = None) -> str:
    """How a source file is named in the graph: `<folder>/<path below it>`, where the folder is the one
    given to kg build (`root`), or the file's own folder for a file given by itself.

    Neither the working directory nor how the folder was spelled matters: `kg build corpus/` from the
    repository and `kg build .` from inside corpus/ both name a file `corpus/000_….txt`, and so does
    `kg build corpus/000_….txt`. A file outside `root` is named from its own folder.
    """
    file = Path(path).resolve()
    base = Path(root).resolve() if root is not None else file.parent
    try:
        inside = file.relative_to(base).as_posix()
    except ValueError:
        base, inside = file.parent, file.name
    return f"{base.name}/{inside}" if base.name else inside


def _link_key(path: str, root: str | None = None) -> str:
    """path_key of a symlink itself, not of its target: a walk error is about the link the user has."""
    link = Path(path)
    folder = Path(root).resolve() if root is not None else link.parent.resolve()
    try:
        inside = (link.parent.resolve() / link.name).relative_to(folder).as_posix()
    except ValueError:
        folder, inside = link.parent.resolve(), link.name
    return f"{folder.name}/{inside}" if folder.name else inside


@functools.lru_cache(maxsize=1 << 16)
def stored_as(key: str, path: str) -> bool:
    """Whether the file at `path` is the one stored under `key` (path_key from any build root): its
    resolved path ends with the key's parts."""
    key_parts = Path(key).parts
    file_parts = Path(path).resolve().parts
    return len(key_parts) <= len(file_parts) and file_parts[-len(key_parts):] == key_parts


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def file_graph_iri(path: str) -> str:
    return f"{vocab.GRAPH}file/{_hash(path)}"


def source_file_iri(path: str) -> str:
    return f"{vocab.ID}file/{_hash(path)}"


def _place_triples(out: TripleWriter, place: Jurisdiction, level: str | None) -> str | None:
    """Places down to `level`, each part of the one above; returns the innermost place's IRI."""
    lines, iri = _place_lines(place, level)
    out.lines.update(lines)
    return iri


@functools.lru_cache(maxsize=1 << 17)  # places repeat across documents (6,770 at 10k: 1 << 12 thrashed)
def _place_lines(place: Jurisdiction, level: str | None) -> tuple[frozenset[str], str | None]:
    from kg.resolve import LEVELS

    out = TripleWriter()
    parent: str | None = None
    iri: str | None = None
    names = [place.province, place.district, place.commune]
    depth = LEVELS.index(level) + 1 if level in LEVELS else 3
    words = {"province": "tỉnh", "district": "huyện", "commune": "xã"}
    parts: list[str] = []
    for lvl, name in zip(LEVELS[:depth], names[:depth], strict=True):
        if not name:
            continue
        parts.append(slug(name))
        iri = place_iri("/".join(parts))
        out.iri(iri, vocab.RDF + "type", vocab.PLACE)
        out.lit(iri, vocab.LABEL, f"{words[lvl]} {name}", None)
        out.lit(iri, vocab.LEVEL, lvl)
        out.iri(iri, vocab.PLACE_OF, parent)
        parent = iri
    return frozenset(out.lines), iri


def _issuer_triples(out: TripleWriter, ref: DocRef) -> list[str]:
    """The issuing bodies of a document (a joint symbol "UBND-BDVTU" names two), as org:Organization."""
    scope = ref.scope if ref.level not in (None, "central") else "vn"
    place = ref.place if scope != "vn" else None
    lines, iris = _issuer_lines(tuple(ref.issuer_codes), scope, ref.level, place, ref.system)
    out.lines.update(lines)
    return list(iris)


@functools.lru_cache(maxsize=1 << 17)  # issuers repeat across documents: described once per build
def _issuer_lines(
    codes: tuple[str, ...],
    scope: str,
    level: str | None,
    jurisdiction: Jurisdiction | None,
    system: str | None,
) -> tuple[frozenset[str], tuple[str, ...]]:
    from kg.resolve import issuer_entries, issuer_label

    out = TripleWriter()
    place = _place_triples(out, jurisdiction, level) if jurisdiction is not None else None
    iris = []
    for code in codes:
        iri = issuer_iri(code, scope)
        iris.append(iri)
        entry = issuer_entries().get(code, {})
        out.iri(iri, vocab.RDF + "type", vocab.ISSUER)
        out.iri(iri, vocab.RDF + "type", vocab.ORG + "Organization")
        out.lit(iri, vocab.NOTATION, code)
        out.lit(iri, vocab.LABEL, issuer_label(code, jurisdiction, level))
        out.lit(
            iri,
            vocab.SYSTEM,
            entry.get("system") if entry.get("system") in ("state", "party", "front") else system,
        )
        out.lit(iri, vocab.LEVEL, level or "central")
        out.iri(iri, vocab.JURISDICTION, place)
        parent = entry.get("parent")
        if parent:
            out.iri(iri, vocab.PARENT, issuer_iri(parent, scope))
            out.iri(issuer_iri(parent, scope), vocab.RDF + "type", vocab.ISSUER)
            out.iri(issuer_iri(parent, scope), vocab.RDF + "type", vocab.ORG + "Organization")
            out.lit(issuer_iri(parent, scope), vocab.NOTATION, parent)
            out.lit(issuer_iri(parent, scope), vocab.LABEL, issuer_label(parent))
    return frozenset(out.lines), tuple(iris)


def _title_triples(out: TripleWriter, iri: str, ref: DocRef, title: str | None, issued: str | None,
                   next_written: str | None = None) -> None:
    """A title a file gives a document (its own header's, or the subject it cites it with) and the period
    that title binds the document to: what this file says, so it stays in the file's graph. The period is
    read as kg check reads it (kg.periods): from the title up to the next citation named in it
    (`next_written`), and not one already over at the document's issue date (`issued`)."""
    out.lit(iri, vocab.TITLE, _collapse(title) if title else None)
    subject = subject_until(title, next_written) if title else title
    period = bound_period(ref.type_code, subject, issued) if ref.key[0] != "named" else None
    if period is not None:  # the same rule as kg check's (kg.periods): the document lapses after it
        out.lit(iri, vocab.PERIOD_END, str(period.end), vocab.XSD + "gYear")


def _next_citation(ordered: list[Citation], start: int) -> Citation | None:
    """The first citation starting after `start` (`ordered` by start): where kg check ends a subject."""
    after = bisect.bisect_right(ordered, start, key=lambda other: other.start)
    return ordered[after] if after < len(ordered) else None


@dataclass(slots=True)
class _Described:
    """What the corpus says of one document: its representative mention and the forms and full dates it is
    cited (or issued) with."""

    ref: DocRef
    forms: list[str]  # lists, not sets: one or two items each, for hundreds of thousands of documents
    dates: list[str]


def _described_documents(resolution: Resolution) -> dict[str, _Described]:
    """Every document a file graph names (its own document or one it cites), by IRI."""
    found: dict[str, _Described] = {}
    for path in sorted(resolution.mentions):
        citing = resolution.citing[path]
        for ref in (citing, *resolution.mentions[path]):
            # a document naming itself ("kèm theo Quyết định số …" of its own) cites nothing
            if ref is None or not ref.iri or (ref is not citing and ref.iri == citing.iri):
                continue
            described = found.get(ref.iri)
            if described is None:
                representative = resolution.canonical.get(ref.iri, ref)
                described = found[ref.iri] = _Described(representative, [], [])
            if ref.form not in described.forms:
                described.forms.append(ref.form)
            if ref.date and len(ref.date) == 10 and ref.date not in described.dates:
                described.dates.append(ref.date)
    return found


def _description(out: TripleWriter, nodes: TripleWriter, iri: str, described: _Described,
                 resolution: Resolution) -> None:
    """A document's one description (identity fields from the corpus-wide representative mention) into
    `out`; the issuers, places and document type it points to into `nodes`."""
    ref = described.ref
    id_local = resolution.id_local.get(iri) or ref.form
    out.iri(iri, vocab.RDF + "type", vocab.LEGAL_RESOURCE)
    out.lit(iri, vocab.ID_LOCAL, id_local)
    for form in described.forms:
        if form != id_local:
            out.lit(iri, vocab.VARIANT, form)
    type_code = ref.doc_type
    type_node = type_iri(type_code)
    out.iri(iri, vocab.TYPE_DOCUMENT, type_node)
    nodes.iri(type_node, vocab.RDF + "type", vocab.DOCUMENT_TYPE)
    nodes.lit(type_node, vocab.NOTATION, type_code)
    out.lit(iri, vocab.NUMBER, ref.number)
    out.lit(iri, vocab.SYMBOL, ref.symbol)
    for date in described.dates:
        out.lit(iri, vocab.DATE_DOCUMENT, date, vocab.XSD + "date")
    if ref.year is not None:
        out.lit(iri, vocab.YEAR, int(ref.year))
    out.lit(iri, vocab.SYSTEM, ref.system)
    out.lit(iri, vocab.LEVEL, ref.level or ("central" if ref.scope == "vn" else None))
    if ref.scope != "vn":
        out.iri(iri, vocab.JURISDICTION, _place_triples(nodes, ref.place, ref.level))
    for issuer in _issuer_triples(nodes, ref):
        out.iri(iri, vocab.PASSED_BY, issuer)


def node_graph_iri(node: str) -> str:
    """The named graph holding the one description of a document, issuer, place or document type."""
    return f"{vocab.GRAPH}node/{_hash(node)}"


def node_graphs(resolution: Resolution) -> Iterator[tuple[str, str, str]]:
    """(graph IRI, N-Triples ending with the graph's kg:contentHash line, that hash) of every node graph:
    one per document the corpus names (its own document or a cited one), then one per issuer, place and
    document type those point to, in a stable order.

    Each node is described once, in a graph of its own (docs/architecture.md, "Graph conventions"): a
    build writes the new and changed node graphs before the file graphs and drops those of nodes nobody
    names any more after them, so a build killed between two file graphs leaves every named node
    described, by exactly one description (each graph old or new, never a mix)."""
    documents = _described_documents(resolution)
    nodes = TripleWriter()  # issuers, places, types: a few thousand, shared by many documents
    for iri in sorted(documents):
        out = TripleWriter()
        _description(out, nodes, iri, documents[iri], resolution)
        yield _node_graph(iri, out.lines)
    del documents
    by_subject: dict[str, set[str]] = defaultdict(set)
    for line in nodes.lines:
        by_subject[line[1 : line.index(">")]].add(line)
    for node in sorted(by_subject):
        yield _node_graph(node, by_subject[node])


def _node_graph(node: str, lines: Iterable[str]) -> tuple[str, str, str]:
    graph = node_graph_iri(node)
    content = "\n".join(sorted(lines)) + "\n"
    digest = _hash(content)
    return graph, content + content_hash_line(graph, digest), digest


def content_hash_line(graph: str, digest: str) -> str:
    """The last line of every graph kg writes: its kg:contentHash, which tells a rebuild what changed."""
    return f"{_iri(graph)} {_iri(vocab.CONTENT_HASH)} {_literal(digest)} .\n"


def write_node_graphs(store: Any, resolution: Resolution, stored: dict[str, str]) -> list[str]:
    """Store the node graphs that are new or changed in a store in use (`stored`: graph IRI -> its stored
    kg:contentHash; a store built aside gets them from kg.pipeline's loaders). Returns the stored node
    graphs of nodes no file names any more, which the caller drops once the file graphs are written."""
    current: set[str] = set()

    def changed() -> Iterator[tuple[str, str]]:
        for graph, content, digest in node_graphs(resolution):
            current.add(graph)
            if stored.get(graph) != digest:
                yield graph, content

    replace_graphs = getattr(store, "replace_graphs", None)
    if replace_graphs is not None:  # a remote store: many node graphs per request, not one round trip each
        replace_graphs(changed())
    else:
        for graph, content in changed():
            store.replace_graph(graph, content)
    prefix = node_graph_iri("")[: -len(_hash(""))]
    return sorted(graph for graph in stored if graph.startswith(prefix) and graph not in current)


def relation_edges(
    mentions: Sequence[Mention], refs: Sequence[DocRef | None], citing_iri: str
) -> Iterable[tuple[str, str, str]]:
    """(source, relation, target) of the relation triples one file graph states (file_ntriples writes them,
    kg.summary collects them): the citing document's relation to each document it cites, and the relation
    a cited document's subject states (its head mention)."""
    for mention, ref in zip(mentions, refs, strict=True):
        if ref is None or ref.iri == citing_iri:
            continue
        yield citing_iri, mention.relation, ref.iri
        head = refs[mention.head] if mention.head is not None else None
        if head is not None and mention.head_relation and head.iri not in (ref.iri, citing_iri):
            source, target = (ref.iri, head.iri) if mention.head_reverse else (head.iri, ref.iri)
            yield source, mention.head_relation, target


def file_ntriples(analysis: FileAnalysis, resolution: Resolution) -> str:
    """The statements of one source file: the file, what its own text says of its document (title, signer,
    place, recipients, …), each mention, the relations it states, and the title it cites each document
    with. The documents' descriptions (id, type, issuers, …) are in the node graphs (`node_graphs`)."""
    from kg.resolve import relation_iri

    out = TripleWriter()
    path = analysis.path
    file_iri = source_file_iri(path)
    out.iri(file_iri, vocab.RDF + "type", vocab.SOURCE_FILE)
    out.lit(file_iri, vocab.PATH, path)
    out.lit(file_iri, vocab.SHA256, analysis.sha256)
    out.lit(file_iri, vocab.FORMAT, analysis.format)

    md = analysis.metadata
    citing = resolution.citing[path]
    _title_triples(out, citing.iri, resolution.canonical.get(citing.iri, citing), md.title, md.date)
    out.iri(citing.iri, vocab.LOCAL_SOURCE, file_iri)
    out.lit(citing.iri, vocab.SIGNER, md.signer)
    out.lit(citing.iri, vocab.SIGNER_ROLE, md.signer_role)
    out.lit(citing.iri, vocab.PLACE_NAME, md.place)
    if md.date and len(md.date) < 10:
        out.lit(citing.iri, vocab.DATE_PARTIAL, md.date)
    for recipient in md.recipients:
        out.lit(citing.iri, vocab.RECIPIENT, recipient)
    if md.parent_issuer:
        parent_code = issuer_code_for_phrase(md.parent_issuer)
        parent_level, _ = level_and_name(md.parent_issuer)
        parent_scope = citing_context(md).scope(parent_level) if parent_level else citing.scope
        parent = issuer_iri(parent_code or md.parent_issuer, parent_scope)
        out.iri(parent, vocab.RDF + "type", vocab.ISSUER)
        out.iri(parent, vocab.RDF + "type", vocab.ORG + "Organization")
        written = _SPACES.sub(" ", md.parent_issuer).strip()
        if parent_code:
            from kg.resolve import issuer_label

            parent_place = citing_context(md) if parent_level else None
            out.lit(parent, vocab.LABEL, issuer_label(parent_code, parent_place, parent_level))
            out.lit(parent, vocab.ALT_LABEL, written)
        else:
            out.lit(parent, vocab.LABEL, written)
        out.lit(parent, vocab.NOTATION, parent_code)
        for issuer in _issuer_triples(TripleWriter(), citing):
            out.iri(issuer, vocab.PARENT, parent)

    refs = resolution.mentions[path]
    used: set[str] = set()
    citation_prefix = f"{vocab.ID}citation/{_hash(path)}/"
    ordered = sorted((m.citation for m in analysis.mentions), key=lambda c: c.start)
    for mention, ref in zip(analysis.mentions, refs, strict=True):
        if ref is None or ref.iri == citing.iri:
            continue  # a document naming itself ("kèm theo Quyết định số …" of its own) cites nothing
        citation = mention.citation
        following = _next_citation(ordered, citation.start)
        _title_triples(out, ref.iri, resolution.canonical.get(ref.iri, ref), citation.subject, citation.date,
                       following.text if following else None)
        node = f"{citation_prefix}{citation.start}-{citation.end}"
        if node in used:  # two documents named by one span ("Quyết định số 217, 218-QĐ/TW")
            node += f"-{sum(1 for u in used if u.startswith(node))}"
        used.add(node)
        out.iri(node, vocab.RDF + "type", vocab.CITATION)
        out.iri(node, vocab.CITING, citing.iri)
        out.iri(node, vocab.CITED, ref.iri)
        out.iri(node, vocab.RELATION, relation_iri(mention.relation))
        out.iri(node, vocab.SOURCE, file_iri)
        out.lit(node, vocab.START, citation.start)
        out.lit(node, vocab.END, citation.end)
        out.lit(node, vocab.TEXT, _collapse(citation.text))
        out.lit(node, vocab.SENTENCE, mention.sentence)
        out.lit(node, vocab.SECTION, mention.section)
        out.lit(node, vocab.CITED_DATE, citation.date)
        out.lit(node, vocab.CITED_ISSUER, citation.issuer and _SPACES.sub(" ", citation.issuer))
        out.lit(node, vocab.KIND, citation.kind)
        out.lit(node, vocab.PINPOINT, citation.pinpoint)
    for source, relation, target in relation_edges(analysis.mentions, refs, citing.iri):
        out.iri(source, relation_iri(relation), target)
    content = out.ntriples()
    graph = file_graph_iri(path)
    return content + content_hash_line(graph, _hash(content))


# ---------------------------------------------------------------------------------------------- ontology


def ontology_ntriples() -> str:
    """graph:ontology: kg.ttl plus the document-type SKOS scheme generated from ontology/doc_types.json."""
    import pyoxigraph as ox

    from kg.data import ontology_file

    triples = list(ox.parse(path=str(ontology_file("kg.ttl")), format=ox.RdfFormat.TURTLE))
    out = TripleWriter()
    for t in triples:
        out.lines.add(f"{t.subject} {t.predicate} {t.object} .")
    scheme = vocab.DOCUMENT_TYPES
    for code, name, system in _doc_types():
        concept = type_iri(code)
        out.iri(concept, vocab.RDF + "type", vocab.DOCUMENT_TYPE)
        out.iri(concept, vocab.RDF + "type", vocab.SKOS + "Concept")
        out.iri(concept, vocab.IN_SCHEME, scheme)
        out.lit(concept, vocab.NOTATION, code)
        out.add(concept, vocab.PREF_LABEL, f"{_literal(name)}@vi")
        for one in (system or "").split():
            out.lit(concept, vocab.SYSTEM, one)
    return out.ntriples()


def _doc_types() -> list[tuple[str, str, str | None]]:
    """(symbol, name, systems) of each document type with a symbol in ontology/doc_types.json."""
    from kg.data import ontology_file

    data = json.loads(ontology_file("doc_types.json").read_text(encoding="utf-8"))
    found = set()
    for entry in data["types"]:
        code = (entry.get("codes") or [entry["name"]])[0]
        found.add((code, entry["name"], " ".join(entry.get("systems", [])) or None))
    return sorted(found)


def registry_ntriples(described: dict[str, str] | None = None) -> str | None:
    """The curated registry's statements, when kg.registry exists; `described`: the documents the corpus
    graphs describe (IRI -> their eli:id_local), which the registry does not describe again."""
    try:
        from kg.registry import registry_ntriples as registry
    except ImportError:
        return None
    return registry(described=described)


# ---------------------------------------------------------------------------------------------- build

SUFFIXES = (".txt", ".docx", ".pdf")


def expand_paths(paths: Iterable[str], errors: list[IngestError] | None = None) -> list[str]:
    """Files named and files under folders named (sorted), each once.

    Folders are walked as `kg extract` and `kg check` walk them (kg.ingest): every non-hidden file is
    kept, so a .doc or .xlsx is reported by read_document instead of skipped in silence, and a symlink
    leaving its folder is not followed but appended to `errors`.
    """
    return list(keyed_paths(paths, errors).values())


def keyed_paths(paths: Iterable[str], errors: list[IngestError] | None = None) -> dict[str, str]:
    """expand_paths with each file's name in the graph (path_key against the folder it was found under),
    sorted by that name; walk errors in `errors` carry the key of the link as their path."""
    from kg.ingest import _walk

    found: list[tuple[str, str]] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for item in _walk(path):
                if isinstance(item, IngestError):
                    if errors is not None:
                        errors.append(IngestError(_link_key(item.path, raw), item.reason))
                else:
                    found.append((path_key(str(item), raw), str(item)))
        else:
            found.append((path_key(str(path)), str(path)))
    seen: dict[str, str] = {}
    for key, file in found:
        seen.setdefault(key, file)
    return {key: seen[key] for key in sorted(seen)}


def _file_sha(path: str) -> str | None:
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return None


def analyse_path(path: str, key: str | None = None) -> FileAnalysis | IngestError:
    """Worker: ingest and analyse one file, named `key` in the graph (default: path_key(path)); an
    unreadable file comes back as its IngestError."""
    from kg.ingest import read_document

    try:
        document = read_document(path)
    except IngestError as error:
        return error
    except (OSError, ValueError) as error:
        return IngestError(path, str(error))
    document.path = key or path_key(path)
    if not document.sha256:
        document.sha256 = _file_sha(path) or ""
    return analyse(document)


# The build itself (cache, worker pools, store writes) is kg.pipeline.build_into.
