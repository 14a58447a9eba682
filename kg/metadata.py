"""The citing document's own metadata, read from its text (DOMAIN.md §10).

Header: issuing body under its parent ("UBND TỈNH BÌNH PHƯỚC / BAN DÂN TỘC"), "Số: N/TYPE-ISSUER" (the
number may be blank in drafts), "<place>, ngày … tháng … năm …" (day and month may be blank: the date stays
partial), the type in capitals and the subject. Footer: "Nơi nhận:" and the signature block. A text that
lost its header still gives what its body says (who "ban hành" / "xây dựng" it, the places it names).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import cache

from kg.models import DocumentMetadata
from kg.resolve import (
    PLACE_NUMBER,
    fold,
    known_type_names,
    level_and_name,
    level_words,
    numbered_place_words,
)

_MOTTO = re.compile(
    r"C\s*Ộ\s*N\s*G\s+H\s*[ÒO]\s*[AÀ]?\s*X\s*Ã\s+H\s*Ộ\s*I[^\n]*?VI\s*Ệ\s*T\s+NAM|CỘNG\s+H[OÒ][AÀ]?\s+XÃ\s+HỘI|"
    r"CHỦ\s+NGHĨA\s+VIỆT\s+NAM|Độc\s+lập\s*-\s*Tự\s+do\s*-\s*Hạnh\s+phúc|ĐẢNG\s+CỘNG\s+SẢN\s+VIỆT\s+NAM|"
    r"^\s*CỘNG\s*$|^\s*HÒA\s+XÃ\s+HỘI\s*$|-{3,}|_{3,}|\*{3,}",
    re.S | re.M,
)
_NUMBER = re.compile(
    r"Số\s*:?\s{0,40}?(?P<number>\d[\w.]*)?[ \t]*(?P<sep>[/-])[ \t]*"
    r"(?P<symbol>(?:\d{4}/)?[A-ZĐ][A-Za-zĐđ0-9.]*(?:[ \t]?[-/][ \t]?[A-ZĐ0-9][A-Za-zĐđ0-9.]*)*)"
)
_PLACE_WORD = r"[A-ZĐÂĂÊÔƠƯÁÀẢÃẠẤẦẨẪẬẮẰẲẴẶÉÈẺẼẸẾỀỂỄỆÍÌỈĨỊÓÒỎÕỌỐỒỔỖỘỚỜỞỠỢÚÙỦŨỤỨỪỬỮỰÝỲỶỸỴ][a-zà-ỹđ]+\.?"
# A place named by a number ("Quận 3", "PHƯỜNG 5": jurisdiction.json numbered_names)
_NUMBERED_PLACE = "(?:" + "|".join(
    f"{w}|{w.capitalize()}|{w.upper()}" for w in sorted(numbered_place_words())
) + r")[ \t]+" + PLACE_NUMBER
_DATE = re.compile(
    rf"(?<![\wÀ-ỹ])(?P<place>{_NUMBERED_PLACE}|(?:{_PLACE_WORD}[ \t]*\n?[ \t]*){{0,3}}{_PLACE_WORD})?"
    r"\s*,\s*ngày\s*"
    r"(?P<day>\d{1,2}|…|\.+)?\s*(?:tháng|/)\s*(?P<month>\d{1,2}|…|\.+)?\s*(?:năm|/)\s*(?P<year>\d{4})"
)
_AUTHORITY = re.compile(r"^\s*(?:T\s*/?\s*M|K\s*/?\s*T|T\s*/?\s*L|Q|TUQ)\s*\.\s*", re.I)
_ROLE_WORDS = (
    "CHỦ TỊCH",
    "PHÓ CHỦ TỊCH",
    "GIÁM ĐỐC",
    "PHÓ GIÁM ĐỐC",
    "TRƯỞNG BAN",
    "PHÓ TRƯỞNG BAN",
    "BỘ TRƯỞNG",
    "THỨ TRƯỞNG",
    "THỦ TƯỚNG",
    "PHÓ THỦ TƯỚNG",
    "BÍ THƯ",
    "PHÓ BÍ THƯ",
    "CHÁNH VĂN PHÒNG",
    "CỤC TRƯỞNG",
    "PHÓ CỤC TRƯỞNG",
    "TỔNG CỤC TRƯỞNG",
    "CHỦ NHIỆM",
    "TRƯỞNG PHÒNG",
    "THỐNG ĐỐC",
    "CHÁNH THANH TRA",
    "TRƯỞNG TIỂU BAN",
    "TỔ TRƯỞNG",
    "VIỆN TRƯỞNG",
    "CHÁNH ÁN",
    "TỔNG KIỂM TOÁN",
    "PHÓ CHÁNH VĂN PHÒNG",
    "VỤ TRƯỞNG",
    "PHÓ VỤ TRƯỞNG",
    "TRƯỞNG",  # "TRƯỞNG THUẾ TỈNH", "TRƯỞNG PHÒNG …"
    "PHÓ TRƯỞNG",
)
_BODY_HEAD = re.compile(
    r"^(?:ỦY|UỶ|UBND|HĐND|HỘI|BAN|SỞ|BỘ|CỤC|THUẾ|TRUNG|THỦ|CHÍNH|VĂN|TỈNH|HUYỆN|ĐẢNG|PHÒNG|TIỂU|MẶT|"
    r"THANH|TỔNG|VIỆN|TÒA|KIỂM|NGÂN|QUỐC|CÔNG|CHI|ĐOÀN|HỌC|TRƯỜNG|BỆNH)\b"
)


# Compiled once: read_metadata runs for every document of a build.
_SPACES = re.compile(r"\s+")
_COLUMN_GAP = re.compile(r"\s{3,}")  # columns laid side by side: wide spaces …
_CELL_GAP = re.compile(r"\s{3,}|\s*[|\t]\s*")  # … or a tab or "|" (a table row copied from a web page)
_DIGIT = re.compile(r"\d")
_NUMBERED_PLACE_LINE = re.compile(rf"{_NUMBERED_PLACE}$")
_YEAR_SLASH = re.compile(r"\d{4}/")
_SYMBOL_PARTS = re.compile(r"[/-]")
_SUBJECT_LINE = re.compile(  # at a line start, or after the number on its line ("Số: 1414/TCT-CS V/v …")
    r"(?:^[ \t]*|^[ \t]*Số\b[^\n]{0,40}?[ \t])(?:V/v|Về việc)\s*:?\s*"
    r"(.+(?:\n(?![ \t]*(?:Kính|[^\n]{0,40},\s*ngày|Số\b)).+)?)",
    re.M,
)
_BODY_START = re.compile(r"(?i)(căn cứ|thực hiện|theo|kính gửi|thủ tướng chính phủ điện|I\.|1\.|điều 1)\b")
_DASH_ITEM = re.compile(r"^[-–]\s")
_ADDRESSEES = re.compile(r"Kính\s+gửi\s*:?(.*?)(?:\n\s*\n|\n(?![ \t]*[-+•]))", re.S)
_SPACED_AUTHORITY = re.compile(r"^(T|K)\s+(M|T)\s*\.")
_NOT_IN_NAMES = re.compile(r"[\d:;,()/]")
_CITY_WORD = re.compile(r"^(?:Thành phố|TP\.|Tp\.)\s*")
_LETTER = re.compile(r"[\wÀ-ỹ]")


def read_metadata(text: str) -> DocumentMetadata:
    """What a document's own text says about itself; fields it does not say stay None."""
    text = unspace_header(unicodedata.normalize("NFC", text))
    metadata = DocumentMetadata()
    number = _NUMBER.search(text[:3000])
    header_end = number.start() if number else _header_end(text)
    _read_number(metadata, number)
    _read_date(metadata, text[:4000])
    bodies = _header_bodies(text[:header_end])
    if bodies:
        metadata.issuer = bodies[-1]
        metadata.parent_issuer = bodies[-2] if len(bodies) > 1 else None
    type_end = _read_type_and_title(metadata, text)
    if metadata.id is None:
        _read_appendix_reference(metadata, text)
    if metadata.issuer is None:
        metadata.issuer = _issuer_from_body(text[type_end:])
    _read_footer(metadata, text)
    _read_jurisdiction(metadata, text)
    return metadata


# ------------------------------------------------------------------------------------------ letter spacing

# A Vietnamese syllable: onset, vowel nucleus, coda. PDFs with letter-spaced headers ("ỦY B AN NHÂN D Â N")
# break words at single letters; rejoining them into syllables rebuilds the words.
_VOWELS = "aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵ"
_ONSET = r"(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnpqrstvx])?"
_SYLLABLE = re.compile(rf"{_ONSET}[{_VOWELS}]{{1,3}}(?:ch|ng|nh|[cmnpt])?", re.IGNORECASE)
_HEADER_LINES = 12


def unspace_header(text: str) -> str:
    """Rejoin letter-spaced words in the first lines ("B Ộ LAO ĐỘNG" -> "BỘ LAO ĐỘNG"); a line is touched
    only when it has two or more single-letter words, so ordinary text stays as it is."""
    lines = text.split("\n")
    head = min(len(lines), _HEADER_LINES)
    return "\n".join([_unspace_line(line) for line in lines[:head]] + lines[head:])


def _unspace_line(line: str) -> str:
    tokens = line.split(" ")
    singles = [i for i, t in enumerate(tokens) if len(t) == 1 and t.isalpha()]
    if len(singles) < 2:
        return line
    cores = [t.rstrip(",.;:") for t in tokens]
    out: list[str] = []
    start = 0
    while start < len(tokens):
        end = start + 1  # a run: neighbouring words, one of each pair a single letter; "inh," ends one
        while end < len(tokens) and cores[end].isalpha() and tokens[end - 1].isalpha() and (
            len(cores[end]) == 1 or len(tokens[end - 1]) == 1
        ):
            end += 1
        if end - start > 1 and cores[start].isalpha():
            words = _syllables(cores[start:end])
            out.extend([*words[:-1], words[-1] + tokens[end - 1][len(cores[end - 1]):]])
        else:
            out.extend(tokens[start:end])
        start = end
    return " ".join(out)


def _syllables(run: list[str]) -> list[str]:
    """Words of a run, split only between its pieces: the fewest syllables, then the longest onsets
    ("HỒ C H Í M I NH" -> HỒ CHÍ MINH, not HỒC HÍ MINH). An abbreviation ("U B ND") is joined whole."""
    best: dict[int, tuple[int, int, list[str]]] = {0: (0, 0, [])}
    for end in range(1, len(run) + 1):
        for start in range(end):
            if start not in best:
                continue
            piece = "".join(run[start:end])
            match = _SYLLABLE.fullmatch(piece)
            if not match:
                continue
            count, onsets, words = best[start]
            candidate = (count + 1, onsets - len(match.group(1) or ""), [*words, piece])
            if end not in best or candidate[:2] < best[end][:2]:
                best[end] = candidate
    if len(run) in best:
        return best[len(run)][2]
    return ["".join(run)] if all(len(t) <= 2 and t.isupper() for t in run) else run


# ---------------------------------------------------------------------------------------------- header


def _header_end(text: str) -> int:
    """Without a "Số:" line the header (if any) ends where the type line or the date line starts."""
    date = _DATE.search(text[:4000])
    type_match = type_line(text)
    ends = [m.start() for m in (date, type_match) if m]
    return min(ends) if ends else 0


def _read_number(metadata: DocumentMetadata, match: re.Match[str] | None) -> None:
    if not match:
        return
    symbol = _SPACES.sub("", match.group("symbol")).rstrip(".")
    year = None
    if _YEAR_SLASH.match(symbol):
        year, symbol = symbol[:4], symbol[5:]
    number = match.group("number")
    metadata.number = number
    metadata.symbol = symbol
    separator = match.group("sep")
    middle = f"/{year}/" if year else separator
    metadata.id = f"{number or ''}{middle}{symbol}"


def _read_date(metadata: DocumentMetadata, head: str) -> None:
    match = _DATE.search(head)
    if not match:
        return
    place = match.group("place")
    if place and fold(place) not in {"số", "v/v"}:
        metadata.place = _SPACES.sub(" ", place).strip()
    year, month, day = match.group("year"), match.group("month"), match.group("day")
    month = month if month and month.isdigit() else None
    day = day if day and day.isdigit() else None
    if month and day:
        metadata.date = f"{year}-{int(month):02d}-{int(day):02d}"
    elif month:
        metadata.date = f"{year}-{int(month):02d}"
    else:
        metadata.date = year


def _header_bodies(header: str) -> list[str]:
    """The issuing bodies named above "Số:", outermost first ("UBND TỈNH BÌNH PHƯỚC", "BAN DÂN TỘC")."""
    cleaned = _MOTTO.sub("\n", header)
    lines = []
    for raw in cleaned.splitlines():
        # Two columns on one line ("UBND TỈNH BÌNH PHƯỚC    CỘNG HÒA …"): keep the left one.
        line = _columns(raw.strip(), 1)[0].strip() if raw.strip() else ""
        if line and (line.isupper() or _BODY_HEAD.match(line)) and (
            not _DIGIT.search(line) or _NUMBERED_PLACE_LINE.match(line)  # "QUẬN 3" continues the body
        ):
            lines.append(line)
    bodies: list[str] = []
    for line in [part for raw_line in lines for part in _split_central_parent(raw_line)]:
        level_word = _CONTINUATION.match(line)
        continues = bodies and (
            level_word
            or not _BODY_HEAD.match(line)  # "ĐẢNG ỦY" / "PHÙ MỸ": a place, not a new body
            or len(line.split()) <= 1
            or len(bodies[-1].split()) <= 1
            or bodies[-1].endswith("-")
        )
        if continues:
            bodies[-1] = f"{bodies[-1]} {line}"
        else:
            bodies.append(line)
    return [_SPACES.sub(" ", b).strip() for b in bodies]


def _split_central_parent(line: str) -> list[str]:
    """A central body and the body under it on one line ("BỘ TÀI CHÍNH TỔNG CỤC THUẾ"): two bodies. The
    longest central name (ontology/issuers.json) that starts the line, followed by the head of a body."""
    from kg.grammar import grammar, key

    words = line.split()
    central = grammar().complete_issuers
    for n in range(len(words), 1, -1):
        if key(" ".join(words[:n])) in central:
            rest = " ".join(words[n:])  # none for a whole name ("THỦ TƯỚNG CHÍNH PHỦ", not "THỦ TƯỚNG" + …)
            return [" ".join(words[:n]), rest] if rest and _BODY_HEAD.match(rest) else [line]
    return [line]


_CONTINUATION = re.compile(
    r"^(TỈNH|HUYỆN|XÃ|THÀNH PHỐ|PHƯỜNG|QUẬN|THỊ XÃ|THỊ TRẤN|ĐẶC KHU|TP\.|TRUNG ƯƠNG|QUỐC HỘI|NHÂN DÂN|DÂN)\b"
)


@cache
def _type_names() -> dict[str, str]:
    """Upper-case type word -> canonical name ("KẾ HOẠCH" -> "Kế hoạch")."""
    names = {}
    for folded in known_type_names():
        canonical = folded[0].upper() + folded[1:]
        names[folded.upper()] = canonical
    return names


@cache
def _type_line_pattern() -> re.Pattern[str]:
    names = sorted(_type_names(), key=len, reverse=True)
    pattern = r"^[ \t]*(" + "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in names) + r")[ \t]*$"
    return re.compile(pattern, re.M)


@cache
def _type_led_line_pattern() -> re.Pattern[str]:
    """A capitalised line that opens with a type word and goes on with the subject ("THÔNG BÁO KẾT LUẬN",
    "QUYẾT ĐỊNH VỀ VIỆC …"); the match ends after the type word, where the title starts."""
    names = sorted(_type_names(), key=len, reverse=True)
    types = "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in names)
    return re.compile(rf"^[ \t]*({types})(?=[ \t]+(?P<rest>\w[^\n]*)$)", re.M)


def type_line(text: str) -> re.Match[str] | None:
    """The document's type line ("KẾ HOẠCH", "QUYẾT ĐỊNH" …) in its first 5,000 characters; else a capitalised
    line that opens with a type word ("THÔNG BÁO KẾT LUẬN" of real 432-TB/VPTW)."""
    exact = _type_line_pattern().search(text, 0, 5000)
    if exact:
        return exact
    led = (m for m in _type_led_line_pattern().finditer(text, 0, 5000) if m.group("rest").isupper())
    return next(led, None)


def _read_type_and_title(metadata: DocumentMetadata, text: str) -> int:
    """Type from the capitalised type line, title from the lines under it; returns where the body starts."""
    match = type_line(text)
    if match:
        metadata.type = _type_names()[_SPACES.sub(" ", match.group(1))]
        title_lines = _title_lines(text[match.end() :])
        metadata.title = " ".join(title_lines) or None
        return match.end()
    subject = _SUBJECT_LINE.search(text, 0, 4000)
    if subject:
        metadata.type = "Công văn"
        title = subject.group(1)
        place_and_date = _DATE.search(title)  # a header laid out in columns: the date's column on the line
        title = title[: place_and_date.start()] if place_and_date else title
        metadata.title = _SPACES.sub(" ", title).strip().rstrip(".") or None
    if metadata.type is None and metadata.symbol:
        head = _SYMBOL_PARTS.split(metadata.symbol, 1)[0]
        by_code = {code: name for name, code in known_type_names().items()}
        if head in by_code:
            metadata.type = by_code[head][0].upper() + by_code[head][1:]
    return 0


_RULE_LINE = re.compile(r"[-_*=]{3,}")


def _title_lines(rest: str) -> list[str]:
    lines: list[str] = []
    for raw in rest.splitlines():
        line = _SPACES.sub(" ", raw).strip()
        if not line:
            continue
        starts_body = _BODY_START.match(line)
        authority = line.isupper() and any(
            line.startswith(role) for role in _ROLE_WORDS + ("HỘI ĐỒNG", "BAN ")
        )
        if lines and (starts_body or authority or _DASH_ITEM.match(line)):
            break
        if lines and line.isupper() and line.startswith(("ỦY BAN ", "UỶ BAN ")):
            break  # the enacting body under the title ("ỦY BAN THƯỜNG VỤ QUỐC HỘI", then "Căn cứ …")
        if line.endswith("điện:") or _RULE_LINE.fullmatch(line):
            break  # "Thủ tướng Chính phủ điện:"; a rule ("-----") under the title
        if authority:
            break
        lines.append(line)
        if len(lines) >= 6:
            break
    return lines


_BODY_ISSUER = re.compile(
    r"(?:^|\n)[ \t]*(?P<body>(?:Ủy|Uỷ|UBND|HĐND|Hội|Ban|Sở|Bộ|Cục|Thủ|Chính|Văn|Tỉnh|Huyện|Đảng|Phòng|Tiểu|"
    r"Thường)[^\n,;:.]{0,70}?)\s+(?:ban hành|xây dựng|triển khai|đề ra|hướng dẫn)\s+(?:kế hoạch|quyết định|"
    r"chương trình|hướng dẫn|chỉ thị|nghị quyết)",
    re.I,
)


@cache
def _appendix_reference() -> re.Pattern[str]:
    """An appendix after the signature names its document: "(Kèm theo Công văn số 6225/BVHTTDL-VP ngày
    18/11/2025 của Bộ Văn hóa, Thể thao và Du lịch)", "(Ban hành kèm theo Quyết định số 12/2025/QĐ-UBND)"."""
    names = sorted(known_type_names(), key=len, reverse=True)
    types = "|".join(re.escape(name).replace(r"\ ", r"\s+") for name in names)
    return re.compile(
        rf"\(\s*\*?\s*(?:ban\s+hành\s+)?kèm\s+theo\s+(?P<type>{types})\s+số\s*:?\s*(?P<number>\d[\w.]*)[ \t]*"
        r"(?P<sep>[/-])[ \t]*(?P<symbol>(?:\d{4}/)?[A-ZĐ][A-Za-zĐđ0-9.]*"
        r"(?:[ \t]?[-/][ \t]?[A-ZĐ0-9][A-Za-zĐđ0-9.]*)*)"
        r"(?:\s+ngày\s+(?P<day>\d{1,2})\s*/\s*(?P<month>\d{1,2})\s*/\s*(?P<year>\d{4}))?"
        r"(?:\s+của\s+(?P<issuer>[^()\n]{3,120}?(?:\n[^()\n]{1,80}?)?)\s*\))?",
        re.IGNORECASE,
    )


def _read_appendix_reference(metadata: DocumentMetadata, text: str) -> None:
    """A text that lost its header (no "Số:" line) still names itself in the heading of its appendix, after
    "Nơi nhận:": number, symbol, type, date and issuer are read there (real 6225/BVHTTDL-VP)."""
    position = text.find("Nơi nhận")
    match = _appendix_reference().search(text, position) if position >= 0 else None
    if match is None:
        return
    _read_number(metadata, match)
    metadata.type = metadata.type or _SPACES.sub(" ", match.group("type")).capitalize()
    if metadata.date is None and match.group("year"):
        metadata.date = f"{match['year']}-{int(match['month']):02d}-{int(match['day']):02d}"
    if metadata.issuer is None and match.group("issuer"):
        metadata.issuer = _SPACES.sub(" ", match.group("issuer")).strip()


def _issuer_from_body(body: str) -> str | None:
    match = _BODY_ISSUER.search(body[:6000])
    return _SPACES.sub(" ", match.group("body")).strip() if match else None


# ---------------------------------------------------------------------------------------------- footer


def _read_footer(metadata: DocumentMetadata, text: str) -> None:
    position = text.rfind("Nơi nhận")
    footer = text[position:] if position >= 0 else text[-1200:]
    columns: list[str] = []
    recipients: list[str] = []
    for raw in footer.splitlines():
        parts = [p.strip() for p in _columns(raw.strip()) if p.strip()]
        for part in parts:
            if part.startswith(("-", "+", "•")) and position >= 0:
                recipient = part.lstrip("-+• ").rstrip(";,. ").strip()
                if recipient and not fold(recipient).startswith("lưu"):
                    recipients.append(recipient)
            elif not fold(part).startswith("nơi nhận"):
                columns.append(part)
    metadata.recipients = recipients or _addressees(text)
    _read_signature(metadata, columns)


def _addressees(text: str) -> list[str]:
    """A letter's "Kính gửi:" list when it has no "Nơi nhận:"."""
    match = _ADDRESSEES.search(text, 0, 5000)
    if not match:
        return []
    lines = [_SPACES.sub(" ", s).strip(" -+•;,.") for s in match.group(1).splitlines()]
    return [line for line in lines if line]


def _read_signature(metadata: DocumentMetadata, lines: list[str]) -> None:
    role = None
    signer = None
    for line in _split_flattened(lines):
        collapsed = _SPACES.sub(" ", line).strip()
        stripped = _AUTHORITY.sub("", _SPACED_AUTHORITY.sub(r"\1\2.", collapsed))
        if collapsed.isupper() and any(stripped.startswith(word) for word in _ROLE_WORDS):
            if signer is None and (not _AUTHORITY.match(collapsed) or role is None):  # the first signer's
                role = stripped
        elif role and signer is None and _looks_like_name(collapsed):
            signer = collapsed
    metadata.signer_role = role
    metadata.signer = signer


_NAME_AT_END = re.compile(r"\s((?:[A-ZĐÀ-Ỹ][a-zà-ỹđ]*\s?){2,5})$")


@cache
def _role_words_pattern() -> re.Pattern[str]:
    words = sorted(_ROLE_WORDS, key=len, reverse=True)
    return re.compile("|".join(rf"(?<![\wÀ-Ỹ]){re.escape(w)}(?![\wÀ-Ỹ])" for w in words))


def _split_flattened(lines: list[str]) -> list[str]:
    """A signature block flattened onto one line ("TL. BỘ TRƯỞNG VỤ TRƯỞNG VỤ KẾ HOẠCH - TÀI CHÍNH Phạm Quang
    Phụng"): the signer's role (from the last role word) and name as two lines; other lines as they are."""
    out: list[str] = []
    for line in lines:
        collapsed = _SPACES.sub(" ", line).strip()
        name = _NAME_AT_END.search(collapsed)
        head = collapsed[: name.start()] if name else ""
        roles = list(_role_words_pattern().finditer(head)) if head.isupper() else []
        if name and roles and _looks_like_name(name.group(1).strip()):
            out += [head[roles[-1].start() :].strip(), name.group(1).strip()]
        else:
            out.append(line)
    return out


def _looks_like_name(line: str) -> bool:
    words = line.split()
    return (
        2 <= len(words) <= 5
        and all(w[0].isupper() and not w.isupper() for w in words if w)
        and not _NOT_IN_NAMES.search(line)
    )


# ---------------------------------------------------------------------------------------------- places


def _read_jurisdiction(metadata: DocumentMetadata, text: str) -> None:
    """Province, district and commune the issuer belongs to; header first, then what the body names."""
    found: dict[str, str] = {}
    issuer_level = None
    for body in (metadata.parent_issuer, metadata.issuer):
        level, name = level_and_name(body)
        if level:
            issuer_level = level
            if name:
                found[level] = _title(name)
    if not found and (enacting := _enacting_place(metadata.issuer, text)):
        issuer_level, name = enacting
        found[issuer_level] = _title(name)
    if issuer_level is None:
        issuer_level = (
            _level_of_body(metadata.issuer)
            or _level_of_body(metadata.parent_issuer)
            or _level_of_code(metadata.symbol, metadata.issuer)
        )
    if issuer_level is None or issuer_level == "central":
        return
    # The issuer's own place: header, else the place line ("Bình Phước, ngày …"); the places above it: the
    # ones the body names most ("UBND huyện Bình Sơn", "trên địa bàn tỉnh Quảng Ngãi").
    if issuer_level not in found and metadata.place:
        place_level, place_name = level_and_name(metadata.place)  # "Quận 3": its name is "3"
        numbered = place_level == issuer_level and place_name and place_name.isdigit()
        found[issuer_level] = place_name if numbered else _CITY_WORD.sub("", metadata.place)
    mentions = _place_mentions(text)
    levels = ("province", "district", "commune")
    for level in levels[: levels.index(issuer_level) + 1]:
        if level not in found and mentions[level]:
            found[level] = mentions[level].most_common(1)[0][0]
    metadata.province = found.get("province")
    metadata.district = found.get("district") if issuer_level in ("district", "commune") else None
    metadata.commune = found.get("commune") if issuer_level == "commune" else None


def _enacting_place(issuer: str | None, text: str) -> tuple[str, str] | None:
    """The level and place of a decision's or resolution's enacting line, which repeats its body with the
    place ("ỦY BAN NHÂN DÂN THÀNH PHỐ HẢI PHÒNG" before "Căn cứ …"): a header laid out as a table may have
    lost its place line ("ỦY BAN NHÂN DÂN | CỘNG HÒA XÃ HỘI …")."""
    if not issuer:
        return None
    words = issuer.split()
    pattern = r"^[ \t]*" + r"[ \t]+".join(map(re.escape, words)) + r"[ \t]+\S[^\n]*"
    for match in re.finditer(pattern, text[:5000], re.M):
        line = _SPACES.sub(" ", match.group()).strip()
        if line.isupper():
            level, name = level_and_name(line)
            if level and name:
                return level, name
    return None


def _columns(line: str, maxsplit: int = 0) -> list[str]:
    """The columns of a header or footer line (the cheaper pattern where no tab or "|" can split it)."""
    gap = _CELL_GAP if "|" in line or "\t" in line else _COLUMN_GAP
    return gap.split(line, maxsplit)


def _level_of_body(body: str | None) -> str | None:
    """Level of a body named without a place: a Sở is provincial, a ministry central."""
    if not body:
        return None
    folded = fold(body)
    if folded.startswith(("sở ", "ban dân tộc", "văn phòng ubnd tỉnh")):
        return "province"
    if folded.startswith(("bộ ", "thủ tướng", "chính phủ", "quốc hội", "văn phòng chính phủ")):
        return "central"
    return None


def _level_of_code(symbol: str | None, issuer: str | None) -> str | None:
    """The level ontology/issuers.json gives the issuer ("ĐU" Đảng ủy: commune), by symbol or by name."""
    from kg.resolve import issuer_code_for_phrase, issuer_code_of, issuer_entries

    for code in (issuer_code_of(symbol), issuer_code_for_phrase(issuer) if issuer else None):
        level = issuer_entries().get(code or "", {}).get("level")
        if level in ("province", "district", "commune", "central"):
            return level
    return None


def _title(name: str) -> str:
    return " ".join(w if not w.isupper() else w.capitalize() for w in name.split())


@cache
def _place_pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    """"<level word> <Name>" (the level words of ontology/jurisdiction.json, longest first), and the level of
    each word. The word must not follow a letter: _place_mentions checks that itself (a pattern opening with
    that look-behind is tried at every offset, one opening with the words only where a word can start)."""
    words = sorted(level_words(), key=lambda e: -len(e["word"]))
    alternatives = "|".join(  # as written in running text, or capitalised ("Thành phố Hồ Chí Minh")
        re.escape(w) for e in words if e["word"] != "thành phố trực thuộc trung ương"
        for w in (e["word"], e["word"][0].upper() + e["word"][1:])
    )
    pattern = re.compile(  # a name, or a number ("Quận 3": the caller keeps it after a numbered kind only)
        rf"({alternatives})\s+((?:[A-ZĐÂĂÊÔƠƯÁÀẢÃẠÉÈÍÌÓÒÚÙÝ][\wÀ-ỹ]*)(?:\s+[A-ZĐÂĂÊÔƠƯÁÀẢÃẠÉÈÍÌÓÒÚÙÝ][\wÀ-ỹ]*){{0,2}}"
        rf"|{PLACE_NUMBER})"
    )
    return pattern, {e["word"]: e["level"] for e in words}


def _place_mentions(text: str) -> dict[str, Counter[str]]:
    """Counts of "<level word> <Name>" in the text, by level ("tỉnh Quảng Ngãi", "huyện Bình Sơn")."""
    counts: dict[str, Counter[str]] = {"province": Counter(), "district": Counter(), "commune": Counter()}
    pattern, by_word = _place_pattern()
    text = unicodedata.normalize("NFC", text)
    position = 0
    while match := pattern.search(text, position):
        start = match.start()
        if start and _LETTER.match(text, start - 1):  # inside a word: look again from the next offset
            position = start + 1
            continue
        position = match.end()
        word = match.group(1).lower()
        level = by_word.get(word)
        name = _title(match.group(2))
        if name.isdigit() and word not in numbered_place_words():
            continue  # "huyện 5": only the kinds of jurisdiction.json numbered_names take numbers
        if level and name.split()[0] not in {"Ủy", "Uỷ", "Ban", "Hội", "Đảng"}:
            counts[level][name] += 1
    return counts
