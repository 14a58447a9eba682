"""Synthetic corpus of Vietnamese government documents, for scale benchmarks and extractor recall tests.

    .venv/bin/python benchmarks/synth.py --docs 1000 --seed 1 --out /tmp/synth

Driven by the same grammar data as the extractor (ontology/doc_types.json, issuers.json, named_refs.json,
read through kg.grammar) and by ontology/places.json (the 34 post-2025 provinces and some pre-merger
ones). Each document has a header (issuer, "Số: N/TYPE-ISSUER", place and date, type, title) and a body
that cites earlier documents of the corpus and central ones, with the messiness of real text (DOMAIN.md
§6): line wraps inside citations, stray spaces, "số" omitted, "ngày dd tháng mm năm yyyy", coordinated
numbers, a comma before "ngày", and replacement clauses ("Kế hoạch này thay thế Kế hoạch số …").

Output: DIR/NNN/NNNNNN.txt (1,000 files per folder) and DIR/.truth.jsonl (hidden, so `kg build DIR`
skips it), one line per file with the citations planted in it (`key`: "33/CT-TTg" for numbered ones,
the law number for laws cited by name).
The same seed gives the same bytes.
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import json
import random
import sys
import textwrap
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run from a checkout without installing

from kg.data import ontology_file  # noqa: E402
from kg.grammar import load  # noqa: E402

MERGER = dt.date(2025, 7, 1)  # district level abolished, provinces merged
FIRST_DAY, LAST_DAY = dt.date(2016, 1, 1), dt.date(2025, 12, 31)
LEVEL_WEIGHTS = {"central": 4, "province": 36, "district": 30, "commune": 30}

# What each kind of issuer writes: (type name, weight, normative share). Type codes come from doc_types.json.
STATE_LOCAL_TYPES = [
    ("Kế hoạch", 30, 0.0),
    ("Quyết định", 20, 0.15),
    ("Công văn", 12, 0.0),
    ("Báo cáo", 10, 0.0),
    ("Thông báo", 6, 0.0),
    ("Chỉ thị", 6, 0.1),
    ("Hướng dẫn", 4, 0.0),
    ("Chương trình", 4, 0.0),
]
COUNCIL_TYPES = [("Nghị quyết", 1, 0.5)]
PARTY_TYPES = [
    ("Nghị quyết", 15, 0.0),
    ("Chỉ thị", 10, 0.0),
    ("Kết luận", 10, 0.0),
    ("Kế hoạch", 25, 0.0),
    ("Chương trình", 8, 0.0),
    ("Hướng dẫn", 8, 0.0),
    ("Báo cáo", 10, 0.0),
    ("Thông báo", 6, 0.0),
]
# Central issuers: code -> what they write.
CENTRAL_STATE = {
    "TTg": [("Chỉ thị", 3, 0.0), ("Quyết định", 5, 0.0), ("Công điện", 1, 0.0)],
    "CP": [("Nghị định", 5, 1.0), ("Nghị quyết", 2, 0.0)],
    "VPCP": [("Công văn", 3, 0.0), ("Thông báo", 1, 0.0)],
    "BNV": [("Thông tư", 2, 1.0), ("Công văn", 3, 0.0), ("Quyết định", 1, 0.0)],
    "BTC": [("Thông tư", 3, 1.0), ("Công văn", 2, 0.0)],
    "BTP": [("Thông tư", 1, 1.0), ("Kế hoạch", 1, 0.0)],
    "BNNMT": [("Thông tư", 1, 1.0), ("Quyết định", 1, 0.0)],
    "BYT": [("Thông tư", 1, 1.0), ("Quyết định", 1, 0.0)],
    "TTCP": [("Kế hoạch", 1, 0.0), ("Thông tư", 1, 1.0)],
}
CENTRAL_PARTY = {
    "TW": [("Nghị quyết", 4, 0.0), ("Chỉ thị", 3, 0.0), ("Kết luận", 4, 0.0), ("Quy định", 2, 0.0)],
    "BTCTW": [("Hướng dẫn", 1, 0.0)],
    "BDVTW": [("Hướng dẫn", 1, 0.0), ("Kế hoạch", 1, 0.0)],
}
OFFICE_LETTER_UNITS = ["VX", "NC", "KT", "TH", "KGVX", "NV", "VP"]  # "4215/UBND-NC"
TOPICS = [
    "triển khai thực hiện công tác dân vận chính quyền",
    "thực hiện dân chủ ở cơ sở",
    "tăng cường công tác cải cách hành chính",
    "phòng, chống tham nhũng, tiêu cực",
    "đẩy mạnh chuyển đổi số",
    "xây dựng nông thôn mới",
    "bảo vệ môi trường và ứng phó với biến đổi khí hậu",
    "phòng, chống thiên tai và tìm kiếm cứu nạn",
    "phát triển kinh tế - xã hội",
    "nâng cao chất lượng công tác tiếp công dân",
    "tăng cường công tác phổ biến, giáo dục pháp luật",
    "đẩy mạnh phong trào thi đua yêu nước",
    "sắp xếp tổ chức bộ máy tinh gọn, hoạt động hiệu lực, hiệu quả",
    "thực hiện chương trình mục tiêu quốc gia giảm nghèo bền vững",
    "bảo đảm an ninh, trật tự an toàn xã hội",
    "công tác dân tộc và chính sách dân tộc",
    "xây dựng chính quyền điện tử",
]
FILLER = [
    "Nâng cao nhận thức, trách nhiệm của cấp ủy, chính quyền, cán bộ, công chức, viên chức và người lao động "
    "về vị trí, vai trò và tầm quan trọng của nhiệm vụ này trong tình hình mới.",
    "Việc triển khai thực hiện phải bảo đảm thiết thực, hiệu quả, phù hợp với điều kiện thực tế của "
    "địa phương, tránh hình thức, lãng phí.",
    "Các cơ quan, đơn vị căn cứ chức năng, nhiệm vụ được giao chủ động xây dựng kế hoạch cụ thể, tổ chức "
    "thực hiện nghiêm túc, đúng tiến độ.",
    "Tăng cường đối thoại trực tiếp với Nhân dân, lắng nghe ý kiến của Nhân dân, kịp thời giải quyết các "
    "kiến nghị chính đáng, hợp pháp của người dân và doanh nghiệp.",
    "Đẩy mạnh công tác tuyên truyền, phổ biến sâu rộng đến cán bộ, đảng viên và các tầng lớp Nhân dân "
    "bằng nhiều hình thức phù hợp.",
    "Định kỳ sáu tháng, hằng năm tổ chức sơ kết, tổng kết, đánh giá kết quả thực hiện, biểu dương, khen "
    "thưởng kịp thời các tập thể, cá nhân có thành tích tiêu biểu.",
    "Người đứng đầu cơ quan, đơn vị chịu trách nhiệm trước cấp trên về kết quả thực hiện nhiệm vụ được giao.",
    "Kinh phí thực hiện được bố trí trong dự toán ngân sách hằng năm của các cơ quan, đơn vị theo phân cấp "
    "hiện hành và các nguồn huy động hợp pháp khác.",
    "Trong quá trình tổ chức thực hiện, nếu có khó khăn, vướng mắc, các cơ quan, đơn vị kịp thời phản ánh "
    "để được hướng dẫn, giải quyết.",
    "Phát huy vai trò giám sát của Mặt trận Tổ quốc và các tổ chức chính trị - xã hội, tạo sự đồng thuận "
    "trong xã hội.",
    "Cải tiến lề lối, phương thức làm việc, chống biểu hiện quan liêu, sách nhiễu, gây phiền hà cho "
    "Nhân dân.",
    "Gắn việc thực hiện nhiệm vụ này với việc đánh giá, xếp loại chất lượng cán bộ, công chức, viên chức "
    "cuối năm.",
]
SECTIONS = [
    "I. MỤC ĐÍCH, YÊU CẦU",
    "II. NỘI DUNG, NHIỆM VỤ",
    "III. GIẢI PHÁP THỰC HIỆN",
    "IV. TỔ CHỨC THỰC HIỆN",
]
CUES = ["Căn cứ", "Thực hiện", "Triển khai", "Căn cứ", "Thực hiện"]
KEEP_SPACE, FORCE_BREAK = "\x00", "\x01"  # a stray space the wrap must not break at; a forced break
BODY_CUES = ["theo", "triển khai thực hiện", "thực hiện", "quán triệt", "theo tinh thần"]


@dataclass(slots=True)
class Place:
    province: str
    province_kind: str  # "tỉnh" | "thành phố"
    district: str | None = None
    district_kind: str | None = None
    commune: str | None = None
    commune_kind: str | None = None


@dataclass(slots=True)
class Doc:
    """One document of the synthetic universe: a file of the corpus, or a central document only cited."""

    level: str
    system: str  # state | party
    issuer: str  # code as in the symbol ("UBND", "TU", "TTg")
    type_name: str
    type_code: str | None  # None for a Công văn: "N/ISSUER-UNIT"
    normative: bool
    date: dt.date
    place: Place | None
    topic: str
    unit: str | None = None  # công văn unit ("NC")
    number: str = ""
    file: str | None = None  # path under the output folder, None for cited-only documents
    order: int = 0

    @property
    def ident(self) -> str:
        if self.system == "party":
            return f"{self.number}-{self.type_code}/{self.issuer}"
        if self.type_code is None:
            return f"{self.number}/{self.issuer}-{self.unit}"
        year = f"{self.date.year}/" if self.normative else ""
        return f"{self.number}/{year}{self.type_code}-{self.issuer}"

    def family(self) -> tuple:
        place = self.place
        where = (place.province, place.district, place.commune) if place else ("vn",)
        return (where, self.issuer, self.type_code, self.unit, self.normative, self.date.year)

    def scope(self) -> tuple:
        """Numbers restart every year per issuing body (and type for state documents)."""
        place = self.place
        where = (place.province, place.district, place.commune) if place else ("vn",)
        year = self.date.year
        return (where, self.issuer, self.type_code if self.system == "state" else "party", year)


@dataclass
class Universe:
    docs: list[Doc]  # ordered by date; files and cited-only central documents
    laws: list[tuple[str, int, str]]  # (name, year, law number) of laws cited by name
    by_province: dict[str, list[Doc]] = field(default_factory=dict)
    central: list[Doc] = field(default_factory=list)
    siblings: dict[tuple, list[Doc]] = field(default_factory=dict)  # family -> documents, in date order


# ---------------------------------------------------------------------------------------------- data


def _type_codes() -> dict[str, str | None]:
    codes: dict[str, str | None] = {}
    for entry in load("doc_types.json")["types"]:
        codes[entry["name"]] = entry["codes"][0] if entry["codes"] else None
    codes["Công văn"] = None  # công văn carry no type symbol (DOMAIN.md §2)
    return codes


@cache
def _issuer_names() -> dict[str, list[str]]:
    return {e["code"]: e["names"] for e in load("issuers.json")["issuers"]}


def _places() -> dict:
    with ontology_file("places.json").open(encoding="utf-8") as handle:
        return json.load(handle)


def _laws() -> list[tuple[str, int, str]]:
    laws = []
    for law in load("named_refs.json")["laws"]:
        for version in law["versions"]:
            if version.get("law_id") and law["name"].startswith(("Luật", "Bộ luật")):
                laws.append((law["name"], version["year"], version["law_id"]))
    return laws


def _pick(rng: random.Random, choices: list[tuple[str, int, float]]) -> tuple[str, float]:
    name, _, normative = rng.choices(choices, weights=[c[1] for c in choices])[0]
    return name, normative


def _random_date(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=rng.randrange((last - first).days + 1))


# ---------------------------------------------------------------------------------------------- planning


def _local_doc(rng: random.Random, level: str, places: dict, codes: dict[str, str | None]) -> Doc:
    before_merger = level == "district" or rng.random() < 0.35
    pool = places["provinces"] + (places["pre_merger"] if before_merger else [])
    province = rng.choice(pool)
    if "merged_into" in province:
        before_merger = True
    last = MERGER - dt.timedelta(days=1) if before_merger else LAST_DAY
    first = FIRST_DAY if before_merger or rng.random() < 0.7 else MERGER
    date = _random_date(rng, first, last)
    place = Place(province["name"], province["kind"])
    names = places["local_names"]
    if level == "district":
        place.district, place.district_kind = rng.choice(names), rng.choice(places["district_kinds"])
    elif level == "commune":
        place.commune, place.commune_kind = rng.choice(names), rng.choice(places["commune_kinds"])
        if date < MERGER and rng.random() < 0.7:
            place.district, place.district_kind = rng.choice(names), "huyện"
    party = rng.random() < 0.3
    if party:
        issuer = {"province": "TU", "district": "HU", "commune": "ĐU"}[level]
        type_name, normative = _pick(rng, PARTY_TYPES)
    elif level != "commune" and rng.random() < 0.12:
        issuer = "HĐND"
        type_name, normative = _pick(rng, COUNCIL_TYPES)
    else:
        issuer = "UBND" if level != "province" or rng.random() < 0.8 else rng.choice(["SNV", "STC", "SXD"])
        type_name, normative = _pick(rng, STATE_LOCAL_TYPES)
    doc = Doc(
        level,
        "party" if party else "state",
        issuer,
        type_name,
        codes[type_name],
        rng.random() < normative,
        date,
        place,
        rng.choice(TOPICS),
    )
    if doc.type_code is None:
        doc.unit = rng.choice(OFFICE_LETTER_UNITS)
    return doc


def _central_doc(rng: random.Random, codes: dict[str, str | None]) -> Doc:
    party = rng.random() < 0.3
    table = CENTRAL_PARTY if party else CENTRAL_STATE
    issuer = rng.choice(sorted(table))
    type_name, normative = _pick(rng, table[issuer])
    code = codes[type_name]
    if party and type_name == "Quy định":
        code = "QĐ"  # Party Quy định are written QĐ in practice (DOMAIN.md §3)
    doc = Doc(
        "central",
        "party" if party else "state",
        issuer,
        type_name,
        code,
        rng.random() < normative,
        _random_date(rng, FIRST_DAY - dt.timedelta(days=3 * 365), LAST_DAY),
        None,
        rng.choice(TOPICS),
    )
    if code is None:
        doc.unit = rng.choice(["V.I", "KGVX", "CCHC", "TCCB", "VP"])
    return doc


def plan(docs: int, seed: int) -> Universe:
    """Every document's identity (issuer, type, number, date, place), before any text is written."""
    rng = random.Random(seed)
    codes, places = _type_codes(), _places()
    levels = list(LEVEL_WEIGHTS)
    universe_docs: list[Doc] = []
    for _ in range(docs):
        level = rng.choices(levels, weights=list(LEVEL_WEIGHTS.values()))[0]
        local = level != "central"
        universe_docs.append(_local_doc(rng, level, places, codes) if local else _central_doc(rng, codes))
    files = list(universe_docs)
    universe_docs += [_central_doc(rng, codes) for _ in range(200 + docs // 20)]  # cited, not in the corpus
    universe_docs.sort(key=lambda d: d.date)  # stable: ties keep creation order
    counters: dict[tuple, int] = defaultdict(int)
    taken: set[tuple] = set()
    for order, doc in enumerate(universe_docs):
        doc.order = order
        scope = doc.scope()
        counters[scope] += rng.randint(1, 12)
        number = counters[scope]
        while (scope, number) in taken:
            number += 1
        taken.add((scope, number))
        doc.number = f"{number:02d}" if number < 10 else str(number)
    for i, doc in enumerate(files):
        doc.file = f"{i // 1000:03d}/{i:06d}.txt"
    universe = Universe(universe_docs, _laws())
    for doc in universe_docs:
        universe.siblings.setdefault(doc.family(), []).append(doc)
        if doc.place is None:
            universe.central.append(doc)
        else:
            universe.by_province.setdefault(doc.place.province, []).append(doc)
    return universe


# ---------------------------------------------------------------------------------------------- writing


def _issuer_phrase(rng: random.Random, doc: Doc, names: dict[str, list[str]], citing: Doc) -> str:
    """How a citation names the issuer: "UBND tỉnh Bình Định", "Thủ tướng Chính phủ", "Tỉnh ủy"."""
    if doc.place is None:
        return rng.choice(names[doc.issuer])
    place = doc.place
    same_place = citing.place is not None and citing.place.province == place.province
    if place.commune:
        where = f"{place.commune_kind} {place.commune}"
    elif place.district:
        where = f"{place.district_kind} {place.district}"
    else:
        where = f"{place.province_kind} {place.province}"
        if same_place and rng.random() < 0.4:
            where = place.province_kind
    body = {
        "UBND": rng.choice(["UBND", "Ủy ban nhân dân", "Uỷ ban nhân dân"]),
        "HĐND": rng.choice(["HĐND", "Hội đồng nhân dân"]),
        "TU": "Tỉnh ủy" if place.province_kind == "tỉnh" else "Thành ủy",
        "HU": "Huyện ủy",
        "ĐU": "Đảng ủy",
    }.get(doc.issuer)
    if body is None:  # a department: "Sở Nội vụ tỉnh Bình Định"
        return f"{names[doc.issuer][0]} {where}" if not same_place else names[doc.issuer][0]
    if doc.issuer == "TU":
        return body if same_place and rng.random() < 0.5 else f"{body} {place.province}"
    if doc.issuer in ("HU", "ĐU"):
        return f"{body} {place.commune or place.district}"
    return f"{body} {where}"


def _date_text(rng: random.Random, date: dt.date) -> str:
    day = f"{date.day:02d}" if rng.random() < 0.5 else str(date.day)
    month = f"{date.month:02d}" if rng.random() < 0.3 else str(date.month)
    roll = rng.random()
    if roll < 0.25:
        return f"ngày {date.day} tháng {date.month} năm {date.year}"
    if roll < 0.30:
        return f"ngày {day}/ {month} /{date.year}"  # stray spaces
    return f"ngày {day}/{month}/{date.year}"


def _written_ident(rng: random.Random, doc: Doc) -> str:
    """The identifier as written, with occasional stray spaces or a line break after the Party hyphen."""
    ident = doc.ident
    roll = rng.random()
    if roll < 0.04:
        sep = "-" if doc.system == "party" else "/"
        head, tail = ident.split(sep, 1)
        return f"{head}{KEEP_SPACE}{sep}{tail}"  # "120 -KL/TW", "14730 /STC-VP"
    if roll < 0.07 and doc.system == "party":
        head, tail = ident.split("-", 1)
        return f"{head}-{FORCE_BREAK}{tail}"  # "18-\nNQ/TW"
    return ident


def _type_word(doc: Doc) -> str:
    return "văn bản" if doc.type_code is None and doc.type_name == "Công văn" else doc.type_name


def _citation_text(rng: random.Random, docs: list[Doc], names: dict[str, list[str]], citing: Doc) -> str:
    """One citation of one or more documents (coordinated when more), with its date and issuer."""
    first = docs[0]
    so = "" if rng.random() < 0.1 and first.type_code is not None else " số"
    word = _type_word(first)
    if first.type_name == "Công văn" and rng.random() < 0.5:
        word = "Công văn"
    if len(docs) == 2 and not docs[0].normative and rng.random() < 0.5:
        # siblings share their symbol: "số 93, 95/KH-UBND", "số 217, 218-QĐ/TW" written once
        head = f"{word}{so or ' số'} {docs[0].number}, {docs[1].ident}"
        tail = ""
    elif len(docs) == 2:
        second = f"{_type_word(docs[1])} số {_written_ident(rng, docs[1])}"
        head = f"{word}{so} {_written_ident(rng, docs[0])} và {second}"
        tail = ""
    else:
        head = f"{word}{so} {_written_ident(rng, first)}"
        tail = ""
    last = docs[-1]
    if rng.random() < 0.9:
        tail += ("," if rng.random() < 0.1 else "") + " " + _date_text(rng, last.date)
    tail += f" của {_issuer_phrase(rng, last, names, citing)}"
    if rng.random() < 0.6:
        tail += f" về việc {last.topic}"
    return head + tail


def _earlier(docs: list[Doc], citing: Doc) -> int:
    """How many of `docs` (in date order) come before the citing document."""
    return bisect.bisect_left(docs, citing.order, key=lambda d: d.order)


def _pick_cited(rng: random.Random, universe: Universe, doc: Doc) -> Doc | None:
    """An earlier document: the same province's (mostly) or a central one (hubs cited more often)."""
    if doc.place is not None and rng.random() < 0.55:
        local = universe.by_province.get(doc.place.province, [])
        before = _earlier(local, doc)
        if before:
            return local[max(0, before - 1 - int(rng.expovariate(1 / 40)))]
    before = _earlier(universe.central, doc)
    if not before:
        return None
    return universe.central[int(before * rng.random() ** 3)]  # skewed towards the oldest: hubs


def _sibling(rng: random.Random, universe: Universe, cited: Doc, citing: Doc) -> Doc | None:
    """Another earlier document of the cited one's body and type, for "Kế hoạch số 12/KH-UBND và …"."""
    family = universe.siblings.get(cited.family(), [])
    before = _earlier(family, citing)
    earlier = [d for d in family[max(0, before - 8) : before] if d is not cited]
    return rng.choice(earlier) if earlier else None


def _wrap(text: str, rng: random.Random) -> str:
    """Hard line wraps as in text extracted from PDF (they fall inside citations too)."""
    width = rng.randint(72, 90)
    lines = textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)
    return "\n".join(lines).replace(KEEP_SPACE, " ").replace(FORCE_BREAK, "\n")


def _header(rng: random.Random, doc: Doc, names: dict[str, list[str]]) -> list[str]:
    place = doc.place
    if place is None:
        body = names[doc.issuer][0].upper()
        where = "Hà Nội"
    else:
        where = place.commune or place.district or place.province
        if place.commune:
            unit = f"{place.commune_kind} {place.commune}"
        elif place.district:
            unit = f"{place.district_kind} {place.district}"
        else:
            unit = f"{place.province_kind} {place.province}"
        if doc.system == "party":
            committee = {
                "TU": "TỈNH ỦY" if place.province_kind == "tỉnh" else "THÀNH ỦY",
                "HU": "HUYỆN ỦY",
                "ĐU": "ĐẢNG ỦY",
            }[doc.issuer]
            body = f"{committee}\n{where.upper()}"
        elif doc.issuer in ("UBND", "HĐND"):
            body = ("ỦY BAN NHÂN DÂN " if doc.issuer == "UBND" else "HỘI ĐỒNG NHÂN DÂN ") + unit.upper()
        else:
            body = f"UBND {unit.upper()}\n{names[doc.issuer][0].upper()}"
    motto = (
        "ĐẢNG CỘNG SẢN VIỆT NAM"
        if doc.system == "party"
        else "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"
    )
    date = f"{where}, ngày {doc.date.day:02d} tháng {doc.date.month:02d} năm {doc.date.year}"
    kind = doc.type_name.upper() if doc.type_name != "Công văn" else ""
    title = f"{doc.topic[0].upper()}{doc.topic[1:]} năm {doc.date.year}"
    if doc.type_name == "Công văn":
        title = f"V/v {doc.topic}"
    return [body, motto, f"Số: {doc.ident}", date, "", kind, title, ""]


def render(doc: Doc, universe: Universe, seed: int, replaces: Doc | None) -> tuple[str, list[str]]:
    """The text of one document and the keys of the citations planted in it."""
    rng = random.Random(f"{seed}:{doc.order}")
    names = _issuer_names()
    truth: list[str] = []
    lines = _header(rng, doc, names)

    def cite(cue: str) -> str:
        first = _pick_cited(rng, universe, doc)
        if first is None:
            return ""
        cited = [first]
        if rng.random() < 0.1:  # coordinated: another document of the same body and type
            sibling = _sibling(rng, universe, first, doc)
            if sibling is not None:
                cited = sorted([first, sibling], key=lambda d: d.order)
        truth.extend(d.ident for d in cited)
        return f"{cue} {_citation_text(rng, cited, names, doc)}"

    preamble = [c for c in (cite(rng.choice(CUES)) for _ in range(rng.randint(1, 4))) if c]
    lines += [_wrap(p + ";", rng) for p in preamble]
    own = names.get(doc.issuer, [doc.issuer])[0]
    lines.append(_wrap(f"{own} xây dựng {doc.type_name.lower()} {doc.topic} như sau:", rng))
    for heading in SECTIONS:
        lines += ["", heading]
        for _ in range(rng.randint(3, 9)):
            sentence = rng.choice(FILLER)
            roll = rng.random()
            if roll < 0.22:
                citation = cite(rng.choice(BODY_CUES))
                if citation:
                    sentence = f"{sentence[:-1]}, {citation}."
            elif roll < 0.28 and (passed := [law for law in universe.laws if law[1] <= doc.date.year]):
                name, year, law_id = rng.choice(passed)  # a document cites only laws passed by its date
                truth.append(law_id)
                sentence = f"{sentence[:-1]} theo quy định của {name} năm {year}."
            lines.append(_wrap(f"- {sentence}", rng))
    if replaces is not None:
        truth.append(replaces.ident)
        clause = (
            f"{doc.type_name} này có hiệu lực kể từ ngày ký và thay thế "
            f"{_citation_text(rng, [replaces], names, doc)}."
        )
        lines += ["", _wrap(clause, rng)]
    role = "BÍ THƯ" if doc.system == "party" else "CHỦ TỊCH" if doc.issuer in ("UBND", "HĐND") else "GIÁM ĐỐC"
    lines += [
        "",
        "Nơi nhận:",
        "- Như trên;",
        "- Lưu: VT.",
        "",
        "TM. " + own.upper(),
        role,
        "",
        "Nguyễn Văn " + rng.choice(["An", "Bình", "Cường", "Dũng", "Hải", "Hùng", "Lâm", "Minh"]),
    ]
    return "\n".join(lines) + "\n", truth


def generate(docs: int, seed: int, out: str | Path) -> Iterator[Path]:
    """Write the corpus and truth.jsonl to `out`; yields each file written."""
    out = Path(out)
    universe = plan(docs, seed)
    out.mkdir(parents=True, exist_ok=True)
    last_of: dict[tuple, Doc] = {}
    with (out / ".truth.jsonl").open("w", encoding="utf-8") as truth_file:
        for doc in universe.docs:
            scope = doc.scope()[:3] + (doc.type_code,)
            previous = last_of.get(scope)
            last_of[scope] = doc
            if doc.file is None:
                continue
            replaces = (
                previous
                if previous
                and doc.type_name in ("Chỉ thị", "Kế hoạch", "Quyết định")
                and random.Random(f"{seed}:replace:{doc.order}").random() < 0.3
                else None
            )
            text, truth = render(doc, universe, seed, replaces)
            path = out / doc.file
            path.parent.mkdir(exist_ok=True)
            path.write_text(text, encoding="utf-8")
            record = {"file": doc.file, "id": doc.ident, "level": doc.level, "citations": truth}
            truth_file.write(json.dumps(record, ensure_ascii=False) + "\n")
            yield path


def read_truth(out: str | Path) -> dict[str, list[str]]:
    """file (relative to the corpus folder) -> keys of the citations planted in it."""
    truth: dict[str, list[str]] = {}
    with (Path(out) / ".truth.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            truth[record["file"]] = record["citations"]
    return truth


@dataclass(slots=True)
class Score:
    planted: int
    found: int  # extracted citations that carry a key (number or law number)
    matched: int
    misses: list[tuple[str, str]]  # (file, key) planted but not found
    extras: list[tuple[str, str]]  # (file, key) found but not planted

    @property
    def recall(self) -> float:
        return self.matched / self.planted if self.planted else 1.0

    @property
    def precision(self) -> float:
        return self.matched / self.found if self.found else 1.0


def citation_key(citation: object) -> str | None:
    """What truth.jsonl calls a citation: its number and symbol, or the number of a law cited by name."""
    if getattr(citation, "kind", None) == "named":
        return getattr(citation, "law_id", None)
    ident = getattr(citation, "id", None)
    return "".join(ident.split()) if ident else None


def score(out: str | Path, files: list[str] | None = None) -> Score:
    """Run kg.extract on the corpus at `out` (or some of its files) and compare with the planted truth."""
    from collections import Counter

    from kg.extract import extract

    truth = read_truth(out)
    result = Score(0, 0, 0, [], [])
    for file in files if files is not None else sorted(truth):
        text = (Path(out) / file).read_text(encoding="utf-8")
        keys = [k for k in (citation_key(c) for c in extract(text)) if k]
        planted, found = Counter(truth[file]), Counter(keys)
        result.planted += sum(planted.values())
        result.found += sum(found.values())
        result.matched += sum((planted & found).values())
        result.misses += [(file, k) for k in (planted - found).elements()]
        result.extras += [(file, k) for k in (found - planted).elements()]
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write a synthetic corpus of Vietnamese documents")
    parser.add_argument("--docs", type=int, default=1000, help="number of documents (default 1000)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (same seed, same bytes)")
    parser.add_argument("--out", required=True, help="output folder")
    options = parser.parse_args(argv)
    size = sum(p.stat().st_size for p in generate(options.docs, options.seed, options.out))
    print(f"wrote {options.docs} documents ({size / 2**20:.1f} MB) and truth.jsonl to {options.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
