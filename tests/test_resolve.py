"""Identity (document IRIs, jurisdiction) and relation cues (ontology/relation_cues.json)."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg import vocab
from kg.data import ontology_file
from kg.extract import extract
from kg.resolve import (
    Jurisdiction,
    body_relation,
    citing_relation,
    continues_list,
    document_iri,
    document_type,
    identity_key,
    issuer_code_for_phrase,
    issuer_is_local,
    level_and_name,
    local_scope,
    named_document_iri,
    place_chain,
    slug,
    subject_link,
    subject_relation,
    title_relation,
    unglued_symbol,
)

DOC = vocab.ID + "doc/"


def test_document_iri_is_readable_and_follows_the_convention():
    assert document_iri("CT", "33", "CT-TTg", 2021) == DOC + "vn/ct/2021/33-ct-ttg"
    assert document_iri("NĐ", "59", "NĐ-CP", 2023) == DOC + "vn/nd/2023/59-nd-cp"
    assert document_iri("KH", "53", "KH-UBND", 2024, "binh-dinh") == DOC + "binh-dinh/kh/2024/53-kh-ubnd"
    assert document_iri("NQ", "18", "NQ/TW", None) == DOC + "vn/nq/unknown/18-nq-tw"


def test_the_same_document_in_different_forms_gets_one_iri():
    # Party "Quy định" is written QĐi and QĐ (DOMAIN.md §3); leading zeros; wrong case.
    assert document_iri("QĐi", "11", "QĐi/TW", 2019) == document_iri(None, "11", "QĐ/TW", 2019)
    assert document_iri("CT", "05", "CT/TW", 2016) == document_iri("CT", "5", "CT/TW", 2016)
    assert document_iri("QĐ", "22", "QĐ-TTG", 2013) == document_iri("QĐ", "22", "QĐ-TTg", 2013)
    assert identity_key("QĐi", "11", "QĐi/TW") == identity_key("QĐ", "11", "QĐ/TW")


def test_documents_that_differ_get_different_iris():
    # 16/CT-TTg exists for 2016 and 2020 (DOMAIN.md §2); local plans exist in every province (§5).
    assert document_iri("CT", "16", "CT-TTg", 2016) != document_iri("CT", "16", "CT-TTg", 2020)
    assert document_iri("KH", "53", "KH-UBND", 2024, "binh-dinh") != document_iri(
        "KH", "53", "KH-UBND", 2024, "binh-phuoc"
    )
    assert document_iri("NQ", "18", "NQ/TW", 2017) != document_iri("CT", "18", "CT/TW", 2017)


def test_type_segment_comes_from_the_symbol_so_every_caller_agrees():
    # A công văn has no type part; the National Assembly numbers laws and resolutions in one sequence.
    assert (
        document_iri(None, "4215", "UBND-NC", 2021, "binh-phuoc") == DOC + "binh-phuoc/cv/2021/4215-ubnd-nc"
    )
    assert document_iri("Luật", "10", "QH15", 2022) == document_iri(None, "10", "QH15", 2022)
    assert document_iri(None, "10", "QH15", 2022) == DOC + "vn/qh/2022/10-qh15"
    assert document_type("Luật", None, "QH15") == "Luật"
    assert document_type("Nghị quyết", None, "QH14") == "NQ"
    assert document_type("Chỉ thị", "CT", "CT-TTg") == "CT"


def test_named_documents():
    # one normalisation of names: "năm" before the year dropped, the year added when not in the name
    assert named_document_iri("Hiến pháp năm 2013") == DOC + "vn/named/hien-phap-2013"
    assert named_document_iri("Hiến pháp 2013") == named_document_iri("Hiến pháp", 2013)
    assert named_document_iri("Hiến pháp năm 2013") == named_document_iri("Hiến pháp", 2013)
    assert named_document_iri("Nghị quyết TW4 (khoá XII)") == named_document_iri("Nghị quyết TW4 khóa XII")


# A hyphen lost between type and issuer code (real 1936/QĐ-UBND, 1609/QĐ-TTPVHCC): the same document.
GLUED_SYMBOLS = [("TTBKHĐT", "TT-BKHĐT"), ("NĐCP", "NĐ-CP"), ("QĐUBND", "QĐ-UBND")]
NOT_GLUED = ["TT-BKHĐT", "UBND-NC", "TTLT-BTC-BNV", "KH/UBND-BDVTU", "QH15", "TTg", "KHCN", "STC", "TTHC"]


@pytest.mark.parametrize(("glued", "written"), GLUED_SYMBOLS)
def test_a_symbol_that_lost_its_hyphen_names_the_same_document(glued, written):
    assert unglued_symbol(glued) == written
    assert document_iri(None, "3", glued, 2021) == document_iri("TT", "3", written, 2021)


@pytest.mark.parametrize("symbol", NOT_GLUED)
def test_symbols_that_read_as_written_are_left_alone(symbol):
    assert unglued_symbol(symbol) == symbol


# Every way real documents write one named document: one IRI (aliases from ontology/named_refs.json).
_CONGRESS = "Nghị quyết Đại hội đại biểu toàn quốc lần thứ {} của Đảng"
ONE_NAMED_DOCUMENT = [
    ("Hiến pháp nước CHXHCN Việt Nam", "Hiến pháp"),
    ("Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam năm 1992", "Hiến pháp năm 1992"),
    ("Hiến pháp nước Cộng hoà xã hội chủ nghĩa Việt Nam 2013", "Hiến pháp năm 2013"),
    ("Luật dân chủ ở cơ sở", "Luật Thực hiện dân chủ ở cơ sở"),
    ("Nghị quyết đại hội toàn quốc lấn thứ XII của Đảng", _CONGRESS.format("XII")),
    ("Nghị quyết Đại hội XIII của Đảng", _CONGRESS.format("XIII")),
    ("Nghị quyết Đại hội Đảng toàn quốc lần thứ 13", _CONGRESS.format("XIII")),
]


@pytest.mark.parametrize(("written", "as_listed"), ONE_NAMED_DOCUMENT, ids=[w for w, _ in ONE_NAMED_DOCUMENT])
def test_named_document_written_another_way_is_one_node(written, as_listed):
    assert named_document_iri(written) == named_document_iri(as_listed)


def test_named_documents_that_differ_stay_apart():
    assert named_document_iri("Hiến pháp năm 1992") != named_document_iri("Hiến pháp năm 2013")
    assert named_document_iri("Nghị quyết Đại hội XIII của Đảng") != named_document_iri(
        "Nghị quyết Đại hội XIV của Đảng")
    # a provincial congress names its Party committee ("Đảng bộ"): not the national one of that number
    assert named_document_iri("Nghị quyết Đại hội Đảng bộ tỉnh lần thứ XII") != named_document_iri(
        "Nghị quyết Đại hội XII của Đảng")


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=1, max_size=30))
def test_slug_is_ascii_and_stable(text):
    result = slug(text)
    assert result.isascii() and " " not in result and "/" not in result
    assert slug(result) == result


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("UBND huyện Bình Sơn", ("district", "Bình Sơn")),
        ("HĐND xã", ("commune", None)),
        ("Ban Thường vụ Tỉnh ủy", ("province", None)),
        ("UBND tỉnh Bình Phước", ("province", "Bình Phước")),
        ("Ủy ban nhân dân tỉnh và Ban Dân vận Tỉnh ủy", ("province", None)),
        ("ỦY BAN NHÂN DÂN XÃ BÌNH PHƯỚC", ("commune", "BÌNH PHƯỚC")),
        ("Thủ tướng Chính phủ", (None, None)),
        ("BỘ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI", (None, None)),  # real 2638/LĐTBXH-KHTC: society, no commune
        ("Sở Lao động - Thương binh và Xã hội tỉnh Nghệ An", ("province", "Nghệ An")),
        ("Sở Lao động - Thương binh và xã hội tỉnh Bình Định", ("province", "Bình Định")),
        ("Ủy ban nhân dân xã Hội Xuân", ("commune", "Hội Xuân")),  # a commune whose name opens with "Hội"
        ("Ngân hàng Chính sách Xã hội huyện Bình Sơn", ("district", "Bình Sơn")),
        ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", (None, None)),
    ],
)
def test_level_and_name_of_an_issuer_phrase(phrase, expected):
    assert level_and_name(phrase) == expected


def test_local_documents_take_their_place_from_the_citing_document():
    # Seed 002 is from xã Bình Phước, huyện Bình Sơn, tỉnh Quảng Ngãi — NOT tỉnh Bình Phước.
    seed_002 = Jurisdiction("Quảng Ngãi", "Bình Sơn", "Bình Phước")
    assert local_scope("UBND", "UBND huyện Bình Sơn", seed_002)[0] == "quang-ngai/binh-son"
    assert local_scope("UBND", "UBND huyện", seed_002)[0] == "quang-ngai/binh-son"
    assert local_scope("HĐND", "HĐND xã", seed_002)[0] == "quang-ngai/binh-son/binh-phuoc"
    assert local_scope("TU", "Ban Thường vụ Tỉnh ủy", seed_002)[0] == "quang-ngai"
    # "UBND tỉnh" in a Bình Định plan is UBND tỉnh Bình Định; a named province wins over the context.
    binh_dinh = Jurisdiction("Bình Định")
    assert local_scope("UBND", "Ủy ban nhân dân tỉnh", binh_dinh)[0] == "binh-dinh"
    assert local_scope("UBND", "UBND tỉnh Bình Phước", binh_dinh)[0] == "binh-phuoc"
    # No level in the phrase: the issuer code, then the citing document's own level.
    assert local_scope("TU", None, binh_dinh)[0] == "binh-dinh"


@pytest.mark.parametrize(
    ("phrase", "level", "name", "scope"),
    [  # cited from a document of xã Cát Hanh, huyện Phù Cát, tỉnh Bình Định
        ("UBND xã Bình Phước, huyện Bình Sơn, tỉnh Quảng Ngãi", "commune", "Bình Phước",
         "quang-ngai/binh-son/binh-phuoc"),
        ("UBND XÃ BÌNH PHƯỚC, HUYỆN BÌNH SƠN, TỈNH QUẢNG NGÃI", "commune", "BÌNH PHƯỚC",
         "quang-ngai/binh-son/binh-phuoc"),
        ("Ủy ban nhân dân phường Tân Thành, thành phố Nha Trang, tỉnh Khánh Hòa", "commune", "Tân Thành",
         "khanh-hoa/nha-trang/tan-thanh"),  # a city under a province is a district
        ("UBND huyện Bình Sơn, tỉnh Quảng Ngãi", "district", "Bình Sơn", "quang-ngai/binh-son"),
        ("UBND xã Hội An, tỉnh Quảng Nam", "commune", "Hội An", "quang-nam/hoi-an"),  # not under Phù Cát
        ("UBND xã Bình Phước, huyện Bình Sơn", "commune", "Bình Phước", "binh-dinh/binh-son/binh-phuoc"),
        ("UBND phường Bến Thành, thành phố Hồ Chí Minh", "commune", "Bến Thành", "ho-chi-minh/ben-thanh"),
        ("UBND phường Lộc Thọ, thành phố Nha Trang", "commune", "Lộc Thọ", "binh-dinh/nha-trang/loc-tho"),
        ("UBND huyện Phù Mỹ, tỉnh Bình Định", "district", "Phù Mỹ", "binh-dinh/phu-my"),
        ("UBND huyện Bình Sơn, xã Bình Phước", "district", "Bình Sơn", "binh-dinh/binh-son"),  # lower: other
        ("UBND tỉnh Quảng Ngãi, thành phố Đà Nẵng", "province", "Quảng Ngãi", "quang-ngai"),
        ("UBND huyện Bình Sơn, thành phố Hội An", "district", "Bình Sơn", "binh-dinh/binh-son"),  # two bodies
        ("UBND các xã, phường, thị trấn", "commune", None, "binh-dinh/phu-cat/cat-hanh"),
        ("Sở Lao động - Thương binh và Xã hội, tỉnh Nghệ An", "province", "Nghệ An", "nghe-an"),
    ],
)
def test_a_cited_local_document_is_under_the_higher_places_its_issuer_names(phrase, level, name, scope):
    cat_hanh = Jurisdiction("Bình Định", "Phù Cát", "Cát Hanh")
    assert level_and_name(phrase) == (level, name)  # the body's own place is read as before
    assert local_scope("UBND", phrase, cat_hanh)[:2] == (scope, level)


def test_a_city_with_a_province_after_it_is_a_district():
    phrase = "UBND thành phố Nha Trang, tỉnh Khánh Hòa"
    assert level_and_name(phrase) == ("province", "Nha Trang")  # alone, "thành phố" reads as a province
    assert place_chain(phrase) == (("district", "Nha Trang"), ("province", "Khánh Hòa"))
    assert local_scope("UBND", phrase, Jurisdiction("Bình Định"))[:2] == ("khanh-hoa/nha-trang", "district")
    phrase = "UBND thành phố Thủ Đức, thành phố Hồ Chí Minh"  # a city under a centrally-run city
    assert place_chain(phrase) == (("district", "Thủ Đức"), ("province", "Hồ Chí Minh"))


NUMBERED = json.loads(ontology_file("jurisdiction.json").read_text(encoding="utf-8"))["numbered_names"]


@pytest.mark.parametrize("example", NUMBERED["examples"], ids=lambda e: e["phrase"])
def test_districts_and_wards_named_by_a_number(example):
    assert place_chain(example["phrase"]) == tuple(tuple(link) for link in example["chain"])


@pytest.mark.parametrize(
    ("phrase", "chain"),
    [
        ("Quận ủy Quận 10", (("district", "10"),)),  # the kind word again before the number
        ("Đảng ủy phường 12, Quận 3", (("commune", "12"), ("district", "3"))),
        ("UBND Quận 3/2024", (("district", None),)),  # a number that goes on is no name
        ("UBND huyện 5", (("district", None),)),  # only the kinds of numbered_names take numbers
    ],
)
def test_a_number_names_a_place_only_after_its_kind_word(phrase, chain):
    assert place_chain(phrase) == chain


def test_central_and_local_issuers():
    assert not issuer_is_local("TTg", "Thủ tướng Chính phủ")
    assert not issuer_is_local("TW", "Bộ Chính trị")
    assert not issuer_is_local("QH14", "Quốc hội")
    assert issuer_is_local("UBND", "UBND tỉnh")
    assert issuer_is_local("UBND-BDVTU", None)
    assert issuer_is_local("TU", "Tỉnh ủy")
    assert issuer_is_local("BCĐ", "Ban Chỉ đạo tỉnh")
    assert not issuer_is_local("BCĐ", "Ban Chỉ đạo Trung ương")


def test_issuer_code_for_a_header_phrase():
    assert issuer_code_for_phrase("UBND TỈNH BÌNH PHƯỚC") == "UBND"
    assert issuer_code_for_phrase("ỦY BAN NHÂN DÂN TỈNH CÀ MAU") == "UBND"
    assert issuer_code_for_phrase("BỘ TÀI CHÍNH") == "BTC"


# ---------------------------------------------------------------------------------------------- cues

CUES = json.loads(ontology_file("relation_cues.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("entry", CUES["citing"], ids=lambda e: e["cue"])
def test_citing_cue_examples(entry):
    assert entry["relation"] in vocab.RELATIONS
    assert citing_relation(entry["example"]) == entry["relation"]


@pytest.mark.parametrize("entry", CUES["body"], ids=lambda e: e["cue"])
def test_body_cue_examples(entry):
    example = entry["example"]
    citations = extract(example)
    target = citations[-1]
    assert body_relation(example[: target.start], example[target.end :]) == entry["relation"]


@pytest.mark.parametrize("entry", CUES["subject"], ids=lambda e: e["cue"])
def test_subject_cue_examples(entry):
    """Each example names two documents; the text between them types the relation first -> second."""
    example = entry["example"]
    citations = extract(example)
    assert len(citations) >= 2, example
    lead_in = example[citations[0].end : citations[-1].start]
    assert subject_link(lead_in) == (entry["relation"], bool(entry.get("reverse")))


def test_a_list_is_not_a_subject():
    # Seed 003: "Thực hiện Chỉ thị số 33/CT-TTg … về “Tiếp tục tăng cường …”, Kế hoạch số 64-KH/UBND-BDVTU"
    assert subject_relation(" ngày 26/11/2021 của Thủ tướng Chính phủ về “Tiếp tục thực hiện”, ") is None
    # A sentence end closes the subject (seed 000: "… Nghị quyết số 31/2023/NQ-HĐND. Phát huy …").
    assert subject_relation(". Phát huy vai trò … thực hiện tốt quy chế làm việc theo quy định của ") is None
    assert subject_relation("; triển khai ") is None
    # Real document 10988/BNV-CQĐP: "(thay thế Nghị quyết số 1211/…), Nghị định … (thay thế …)".
    assert subject_relation(" ngày 25/5/2016), Nghị định hướng dẫn việc lấy ý kiến (thay thế ") is None


def test_body_cues_are_this_documents_acts_only():
    assert body_relation("Quyết định này có hiệu lực kể từ ngày ký và thay thế ") == "replaces"
    assert body_relation("Điều 2. Bãi bỏ ") == "repeals"
    assert body_relation("Bãi bỏ ") == "repeals"
    # Another document's subject: "Nghị quyết số 76/2025/UBTVQH15 về … (thay thế Nghị quyết số 1211/…)".
    assert body_relation("đơn vị hành chính (thay thế ") is None
    assert body_relation("", " hết hiệu lực kể từ ngày Quyết định này có hiệu lực") == "expires"


@pytest.mark.parametrize(
    ("before", "relation"),
    [
        ("I. NHIỆM VỤ\nThực hiện ", "implements"),  # a body sentence opening with the cue, the citation next
        ("a) Tiếp tục thực hiện ", "continues"),
        ("Thực hiện nghiêm túc ", None),  # seed 003: a task set to others ("Thực hiện nghiêm túc Chỉ thị 37")
        ("Tiếp tục thực hiện nghiêm túc, có hiệu quả ", None),  # seed 000 (363/KH-TTCP)
        ("đánh giá việc\nthực hiện ", None),  # a hard line break inside a sentence (real 6225/BVHTTDL-VP)
        (" triển khai thực hiện ", None),  # after ";": the next task of a list (seed 000, 144-QĐ/TW)
        ("Các đơn vị thực hiện theo ", None),
    ],
)
def test_a_body_sentence_opening_with_thuc_hien_implements(before, relation):
    assert body_relation(before) == relation


def test_passive_subject_cues_reverse_the_relation():
    assert subject_link(" được sửa đổi, bổ sung tại ") == ("amends", True)
    assert subject_link(" ngày 06/5/2020 của Ủy ban nhân dân tỉnh về việc sửa đổi, bổ sung quy định ") == (
        "amends",
        False,
    )


def test_cue_words_are_matched_as_words():
    assert citing_relation("Căn cứ vào Kế hoạch") == "based_on"
    assert citing_relation("Thực hiện Chỉ thị") == "implements"
    assert citing_relation("Tiếp tục thực hiện Chỉ thị") == "continues"
    assert citing_relation("Theo đề nghị của Sở") == "cites"
    assert citing_relation("Thựchiện") is None
    assert citing_relation("Các cơ quan thực hiện") is None


@pytest.mark.parametrize("example", CUES["partial"]["examples"], ids=lambda e: e["text"][:40])
def test_replacing_or_repealing_a_part_amends(example):
    before = example["text"][: example["text"].rindex(" ") + 1]  # up to the cited number
    assert body_relation(before) == example["relation"]


@pytest.mark.parametrize(
    ("gap", "continues"),
    [
        (" ngày 08/6/2010 của Chính phủ về kiểm soát thủ tục hành chính; ", True),  # real 01763/QĐ-UBND
        (" ngày 08/6/2010 của Chính phủ về Kiểm soát thủ tục hành chính;\n", True),  # real 1609/QĐ-TTPVHCC
        (" ngày 14/5/2013 của Chính phủ về sửa đổi, bổ sung một số điều, ", True),
        (" số 85/2015/QH13;\n- ", True),
        (" ngày 08/6/2010;\nXét đề nghị của Sở Nội vụ tại ", False),  # its own clause, not the list
        (" ngày 08/6/2010. Nay ", False),
        (" ngày 08/6/2010. Các sở, ngành thực hiện; ", False),  # a sentence ended in between
        (" về kiểm soát thủ tục hành chính ", False),
    ],
)
def test_a_list_item_continues_the_clause_before_it(gap, continues):
    assert continues_list(gap) is continues


@pytest.mark.parametrize(
    ("lead_in", "relation"),
    [
        ("\nVỀ BAN HÀNH KẾ HOẠCH TRIỂN KHAI THỰC HIỆN ", "implements"),  # real 3210/QĐ-UBND
        ("\nSỬA ĐỔI, BỔ SUNG MỘT SỐ ĐIỀU CỦA QUY ĐỊNH KÈM THEO ", "amends"),  # real 34/2025/NQ-HĐND
        ("\nSỬA\nĐỔI, BỔ SUNG MỘT SỐ ĐIỀU CỦA ", "amends"),  # real 55/2025/TT-BCT
        ("\nCÔNG BỐ DANH MỤC THỦ TỤC HÀNH CHÍNH (THỰC HIỆN THEO ", "implements"),  # real 1609/QĐ-TTPVHCC
        ("\nVề việc ban hành Quy chế làm việc của ", None),
        ("\nVề việc bãi bỏ một số điều của ", "amends"),  # a part: the rest stays in force
        ("\nVề việc bãi bỏ ", "repeals"),
        ("\nVề việc thành lập Tổ công tác;\nCăn cứ ", None),  # the title ended
    ],
)
def test_the_citing_documents_title_types_the_relation(lead_in, relation):
    assert title_relation(lead_in) == relation


def test_the_next_list_item_is_not_the_subject():
    # Real 1936/QĐ-UBND: "… hướng dẫn thi hành một số điều của luật đầu tư\n- Thông tư số 03/2021/TT-BKHĐT".
    assert subject_link(" quy định chi tiết và hướng dẫn thi hành một số điều của luật đầu tư\n- ") is None
    assert subject_link(" về thực hiện\n2. ") is None
    assert subject_link(" quy định chi tiết\nmột số điều của ") == ("details", False)  # a wrapped line


RELATED = [
    # (text, the cited numbers in order, their relations): how a whole preamble or title types its citations.
    (
        "QUYẾT ĐỊNH\nCăn cứ Nghị định số 63/2010/NĐ-CP ngày 08/6/2010 của Chính phủ về kiểm soát thủ tục "
        "hành chính; Nghị định số 92/2017/NĐ-CP ngày 07/8/2017 của Chính phủ;\nNghị định số 48/2013/NĐ-CP, "
        "Nghị định số 23/2024/NĐ-CP;\nXét đề nghị của Sở Tài chính tại Tờ trình số 5/TTr-STC.\nQUYẾT ĐỊNH:\n",
        ["based_on", "based_on", "based_on", "based_on", "cites"],
    ),
    (
        "KẾ HOẠCH\nTriển khai thực hiện Thông tư số 09/2013/TT-BXD ngày 01/7/2013 của Bộ Xây dựng\n",
        ["implements"],
    ),
    (
        "NGHỊ QUYẾT\nSửa đổi, bổ sung một số điều của Quy định kèm theo Nghị quyết số 10/2022/NQ-HĐND\n"
        "Căn cứ Luật Tổ chức chính quyền địa phương số 72/2025/QH15;\nQUYẾT NGHỊ:\n",
        ["amends", "based_on"],
    ),
    (
        "Số: 125/UBND-VX V/v triển khai thực hiện Chỉ thị số 33/CT-TTg ngày 26/11/2021\nKính gửi: Các sở, "
        "ngành.\nỦy ban nhân dân tỉnh nhận được Công văn số 12/BNV-CQĐP.",
        ["implements", "cites"],
    ),
]


@pytest.mark.parametrize(
    ("text", "relations"), RELATED, ids=["list", "title", "amending title", "letter subject"]
)
def test_relations_of_a_preamble(text, relations):
    from kg.graph import relate_mentions

    mentions = relate_mentions(text, sorted(extract(text), key=lambda c: c.start))
    assert [m.relation for m in mentions] == relations


def test_a_second_mention_of_one_law_is_not_in_its_own_subject():
    # Real 3257/TNI-QLDN1: "… quy định của Luật Thuế GTGT thì thực hiện theo quy định của Luật Thuế GTGT".
    from kg.graph import relate_mentions

    text = (
        "Hàng hóa chịu thuế theo quy định của Luật Thuế giá trị gia tăng thì thực hiện theo quy định của "
        "Luật Thuế giá trị gia tăng và không được giảm thuế."
    )
    mentions = relate_mentions(text, sorted(extract(text), key=lambda c: c.start))
    assert [m.head for m in mentions] == [None, None]


@pytest.mark.parametrize("example", CUES["rank"]["examples"], ids=lambda e: e["amended"])
def test_a_lower_document_amends_no_law(example):
    from kg.graph import relate_mentions

    text = example["text"]
    citations = sorted(extract(text), key=lambda c: c.start)
    mentions = relate_mentions(text, citations)
    amended = [citations[m.head] for m in mentions if m.head is not None and m.head_relation == "amends"]
    assert [c.id or c.law_id for c in amended] == [example["amended"]]


# --- relations between cited documents in one text (kg.graph.relate_mentions) --------------------------


def _links(text: str) -> list[tuple[str, str, str]]:
    """(source, relation, target) of each subject link: what the head document is to the one it names."""
    from kg.graph import relate_mentions

    mentions = relate_mentions(text, extract(text))
    out = []
    for m in mentions:
        if m.head is None:
            continue
        head, this = mentions[m.head].citation, m.citation
        source, target = (this, head) if m.head_reverse else (head, this)
        out.append((source.id or source.name, m.head_relation, target.id or target.name))
    return out


_AMENDING = "Luật sửa đổi, bổ sung một số điều của Luật Quy hoạch, Luật Đầu tư và Luật Đấu thầu"


@pytest.mark.parametrize(
    ("text", "links"),
    [
        (  # an amending law by name amends each law named inside its name
            "Căn cứ Luật sửa đổi, bổ sung một số điều của Luật Quy hoạch, Luật Đầu tư và Luật Đấu thầu ngày "
            "29 tháng 11 năm 2024;",
            [(_AMENDING, "amends", t) for t in ("Luật Quy hoạch", "Luật Đầu tư", "Luật Đấu thầu")],
        ),
        (  # real 1609/QĐ-TTPVHCC: a numbered amending law names a list of laws
            "- Luật số 03/2022/QH15 sửa đổi, bổ sung một số điều của Luật Đầu tư công, Luật Nhà ở và Luật "
            "Đấu thầu;",
            [("03/2022/QH15", "amends", t) for t in ("Luật Đầu tư công", "Luật Nhà ở", "Luật Đấu thầu")],
        ),
        (  # real 1609/QĐ-TTPVHCC: passive, two amending decrees
            "Nghị định số 23/2024/NĐ-CP ngày 27/02/2024 của Chính phủ (được sửa đổi, bổ sung tại Nghị định "
            "số 115/2024/NĐ-CP ngày 16/9/2024 và Nghị định số 225/2025/NĐ-CP ngày 15/8/2025 của Chính phủ);",
            [("115/2024/NĐ-CP", "amends", "23/2024/NĐ-CP"), ("225/2025/NĐ-CP", "amends", "23/2024/NĐ-CP")],
        ),
        (  # a list in a preamble, no subject: no link
            "Căn cứ Nghị định số 63/2010/NĐ-CP ngày 08/6/2010, Nghị định số 92/2017/NĐ-CP ngày 07/8/2017;",
            [],
        ),
    ],
)
def test_subject_links_reach_every_document_of_a_list(text, links):
    assert _links(text) == links


@pytest.mark.parametrize(
    ("text", "relations"),
    [
        (  # real 3210/QĐ-UBND: a body line opening with "Căn cứ", two documents listed under it
            "II. NỘI DUNG\n- Căn cứ Quyết định số 22/2013/QĐ-TTg ngày 26/4/2013 của Thủ tướng Chính phủ và "
            "Thông tư số 09/2013/TT-BXD ngày 01/7/2013 của Bộ Xây dựng, Ủy ban nhân dân xã lập danh sách",
            ["based_on", "based_on"],
        ),
        (  # the list ends: a later document of the sentence is only cited
            "II. NỘI DUNG\nThực hiện Chỉ thị số 33/CT-TTg ngày 26/11/2021, các cơ quan thực hiện theo Quyết "
            "định số 12/QĐ-UBND ngày 05/3/2024.",
            ["implements", "cites"],
        ),
    ],
)
def test_a_body_opening_cue_types_the_documents_listed_under_it(text, relations):
    from kg.graph import relate_mentions

    assert [m.relation for m in relate_mentions(text, extract(text))] == relations


@pytest.mark.parametrize("example", CUES["proposal"]["examples"], ids=lambda e: e["text"][:40])
def test_a_subject_proposing_a_change_only_cites(example):
    """Real 34/2025/NQ-HĐND: the Tờ trình that proposes the amending resolution amends nothing itself."""
    text = example["text"]
    citations = extract(text)
    assert subject_relation(text[citations[0].end : citations[-1].start]) == example["relation"]


@pytest.mark.parametrize(
    ("text", "relations"),
    [
        (  # An Giang sheet shape: a lead-in ending with ":", one document per numbered item
            "QUYẾT NGHỊ:\nĐiều 1. Bãi bỏ toàn bộ các Nghị quyết sau:\n1. Nghị quyết số "
            "184/2018/NQ-HĐND ngày 14 tháng 12 năm 2018 của Hội đồng nhân dân tỉnh Kiên Giang về thu "
            "tiền bảo vệ, phát triển đất trồng lúa.\n2. Nghị quyết số 24/2024/NQ-HĐND ngày 27 tháng 12 "
            "năm 2024 của Hội đồng nhân dân tỉnh An Giang quy định thẩm quyền quyết định mua sắm hàng "
            "hóa, dịch vụ.",
            ["repeals", "repeals"],
        ),
        (  # items after the cue, separated by ";", each with its subject
            "QUYẾT NGHỊ:\nĐiều 2. Nghị quyết này có hiệu lực từ ngày 10 tháng 01 năm 2026 và thay thế "
            "Nghị quyết số 08/2024/NQ-HĐND ngày 18/7/2024 của Hội đồng nhân dân tỉnh An Giang quy định "
            "tiêu chí thành lập Tổ bảo vệ an ninh, trật tự ở cơ sở; Nghị quyết số 08/2024/NQ-HĐND ngày "
            "26/6/2024 của Hội đồng nhân dân tỉnh Kiên Giang quy định tiêu chí thành lập.",
            ["replaces", "replaces"],
        ),
        (  # two items joined by "và", the first with a long subject holding a parenthesis
            "QUYẾT ĐỊNH:\nĐiều 2. Bãi bỏ Quyết định số 16/2014/QĐ-UBND ngày 04/10/2014 của Ủy ban nhân "
            "dân tỉnh An Giang ban hành Quy chế (mẫu) công tác văn thư, lưu trữ của các cơ quan, tổ "
            "chức trên địa bàn tỉnh và Quyết định số 19/2014/QĐ-UBND ngày 09/5/2014 của Ủy ban nhân "
            "dân tỉnh Kiên Giang.",
            ["repeals", "repeals"],
        ),
        (  # the citing document's title lists what it repeals
            "QUYẾT ĐỊNH\nBãi bỏ Quyết định số 16/2014/QĐ-UBND ngày 04/10/2014 của Ủy ban nhân dân tỉnh "
            "An Giang và Quyết định số 19/2014/QĐ-UBND ngày 09/5/2014 của Ủy ban nhân dân tỉnh Kiên Giang\n"
            "Căn cứ Luật Tổ chức chính quyền địa phương số 72/2025/QH15;\nQUYẾT ĐỊNH:",
            ["repeals", "repeals", "based_on"],
        ),
        (  # a cue after what it acts on, in the lead-in
            "QUYẾT ĐỊNH:\nĐiều 3. Các văn bản sau đây hết hiệu lực kể từ ngày Quyết định này có hiệu lực:\n"
            "1. Quyết định số 12/2020/QĐ-UBND ngày 05/3/2020;\n2. Quyết định số 13/2021/QĐ-UBND.",
            ["expires", "expires"],
        ),
        (  # "một số" + a type word: whole documents; "một số điều": parts of them
            "QUYẾT ĐỊNH:\nĐiều 1. Bãi bỏ một số Quyết định sau:\n- Quyết định số "
            "12/2020/QĐ-UBND;\nĐiều 2. Bãi bỏ một số điều của các Quyết định sau:\n- Quyết định số "
            "13/2020/QĐ-UBND.",
            ["repeals", "amends"],
        ),
        (  # a cue after a list that is the clause's subject: every item
            "QUYẾT ĐỊNH:\nĐiều 3. Các Quyết định số 12/2020/QĐ-UBND ngày 05/3/2020, Quyết định số "
            "13/2021/QĐ-UBND ngày 06/4/2021 của UBND tỉnh hết hiệu lực kể từ ngày Quyết định này có hiệu "
            "lực.",
            ["expires", "expires"],
        ),
        (
            "QUYẾT ĐỊNH:\nĐiều 3. Quyết định số 12/2020/QĐ-UBND ngày 05/3/2020 về việc thực hiện Nghị quyết "
            "số 31/2019/NQ-HĐND và Quyết định số 13/2021/QĐ-UBND của UBND tỉnh hết hiệu lực kể từ ngày ký.",
            ["expires", "expires"],  # the document named in an item's subject is no item
        ),
        (  # the list modifies another noun: the permits lapse, no document does
            "QUYẾT ĐỊNH:\nĐiều 3. Các giấy phép đã cấp theo Quyết định số 12/2020/QĐ-UBND ngày 05/3/2020, "
            "Quyết định số 13/2021/QĐ-UBND ngày 06/4/2021 hết hiệu lực kể từ ngày 01/7/2025.",
            ["cites", "cites"],
        ),
        (  # a second cue after "và" acts on its own object: a part of B repealed, B amended
            "QUYẾT ĐỊNH:\nĐiều 4. Quyết định này có hiệu lực kể từ ngày ký, thay thế Quyết định số "
            "12/2020/QĐ-UBND ngày 05/3/2020 của UBND tỉnh và bãi bỏ khoản 2 Điều 1 Quyết định số "
            "13/2021/QĐ-UBND ngày 06/4/2021 của UBND tỉnh.",
            ["replaces", "amends"],
        ),
        (  # a second cue after a comma, when this document changes the first: its second act
            "QUYẾT ĐỊNH:\nĐiều 4. Quyết định này có hiệu lực kể từ ngày ký, thay thế Quyết định số "
            "12/2020/QĐ-UBND ngày 05/3/2020 của UBND tỉnh, thay thế Quyết định số 13/2021/QĐ-UBND ngày "
            "06/4/2021 của UBND tỉnh, bãi bỏ Quyết định số 14/2021/QĐ-UBND ngày 07/4/2021 của UBND tỉnh.",
            ["replaces", "replaces", "repeals"],
        ),
        (  # … not when the first is only cited: then the cue after the comma is its subject
            "Căn cứ Quyết định số 12/2020/QĐ-UBND ngày 05/3/2020 của UBND tỉnh, sửa đổi, bổ sung Quyết "
            "định số 13/2021/QĐ-UBND ngày 06/4/2021 của UBND tỉnh;",
            ["based_on"],
        ),
        (
            "QUYẾT ĐỊNH:\nĐiều 4. Quyết định này thay thế Quyết định số 12/2020/QĐ-UBND ngày 05/3/2020 và "
            "bãi bỏ Quyết định số 13/2021/QĐ-UBND, Quyết định số 14/2021/QĐ-UBND.",
            ["replaces", "repeals", "repeals"],
        ),
        (  # a new sentence has another actor
            "QUYẾT ĐỊNH:\nĐiều 4. Quyết định này thay thế Quyết định số 12/2020/QĐ-UBND ngày 05/3/2020. Sở "
            "Tư pháp rà soát và bãi bỏ khoản 2 Điều 1 Quyết định số 13/2021/QĐ-UBND.",
            ["replaces", "cites"],
        ),
        (  # the list ends with its sentence; an item that does not open with the citation is a task
            "QUYẾT ĐỊNH:\nĐiều 1. Bãi bỏ Quyết định số 12/2020/QĐ-UBND ngày 05/3/2020. Giao Sở Tư pháp "
            "theo dõi Quyết định số 13/2020/QĐ-UBND.\nĐiều 2. Trách nhiệm thi hành:\n1. Sở Tư pháp "
            "hướng dẫn thực hiện Quyết định số 14/2020/QĐ-UBND.",
            ["repeals", "cites", "cites"],
        ),
    ],
)
def test_a_change_cue_types_each_document_of_its_list(text, relations):
    from kg.graph import relate_mentions

    assert [m.relation for m in relate_mentions(text, extract(text)) if m.head is None] == relations


@pytest.mark.parametrize(
    ("symbol", "issuer"),
    [
        ("CT-TTg", "TTg"),  # TYPE-ISSUER
        ("QĐ-MTTQ-BTT", "MTTQ-BTT"),
        ("KH/UBND-BDVTU", "UBND-BDVTU"),  # Party TYPE/ISSUER
        ("BNV-CQĐP", "BNV-CQĐP"),  # công văn ISSUER-UNIT (real 10988/BNV-CQĐP): Bộ Nội vụ, not only its unit
        ("BVHTTDL-VP", "BVHTTDL-VP"),
        ("NHNN", "NHNN"),
    ],
)
def test_the_issuer_part_of_a_symbol(symbol, issuer):
    from kg.resolve import issuer_code_of

    assert issuer_code_of(symbol) == issuer


@pytest.mark.parametrize("example", CUES["backward"]["examples"], ids=lambda e: e["text"][:40])
def test_a_cue_pointing_back_types_nothing_after_it(example):
    """Real 1414/TCT-CS: "Căn cứ quy định nêu trên, Tổng cục Thuế đồng ý với … tại Công văn số 1752/…"."""
    text = example["text"]
    target = extract(text)[-1]
    assert citing_relation(text[: target.start]) == example["relation"]


@pytest.mark.parametrize(
    ("text", "relations"),
    [
        ("Điều 3. Giao Sở Nội vụ hướng dẫn thực hiện Quyết định này và Quyết định số 12/QĐ-UBND ngày "
         "1/1/2024.", ["cites"]),  # a task set to others, the citing document named after the cue
        ("Thông tư này hướng dẫn thi hành Nghị định số 59/2023/NĐ-CP.\nThông tư này hướng dẫn và thay thế "
         "Thông tư số 01/2020/TT-BNV.", ["details", "replaces"]),  # the nearest cue types each
    ],
)
def test_details_is_the_citing_documents_own_scope_only(text, relations):
    from kg.graph import relate_mentions

    assert [m.relation for m in relate_mentions(text, extract(text))] == relations


def test_a_draft_titled_with_what_it_replaces_replaces_each(shared):
    """Real An Giang tracking sheet (2026): draft resolutions and decisions titled "… trên địa bàn tỉnh An
    Giang (thay thế Nghị quyết số A …; Nghị quyết số B … của HĐND tỉnh Kiên Giang)", titles of up to 600
    characters with ";" in them: the draft replaces every document named in the parenthesis."""
    import csv

    from kg.graph import relate_mentions

    sheet = shared / "facts" / "angiang_stp_theo_doi_xu_ly_vbqppl_2026.csv"
    titles = [row["van_ban_goc_hoac_ten_du_thao"] for row in csv.DictReader(sheet.open(encoding="utf-8"))
              if row["hinh_thuc_xu_ly"] == "Thay thế" and "(thay thế" in row["van_ban_goc_hoac_ten_du_thao"]]
    assert len(titles) >= 50
    wrong = []
    for title in titles:
        text = (f"HỘI ĐỒNG NHÂN DÂN\nTỈNH AN GIANG\nSố: /2026/NQ-HĐND\nAn Giang, ngày   tháng   năm 2026\n"
                f"NGHỊ QUYẾT\n{title}\nHỘI ĐỒNG NHÂN DÂN TỈNH AN GIANG\nQUYẾT NGHỊ:\n")
        opened = text.index("(thay thế")
        for mention in relate_mentions(text, extract(text)):
            # documents named in a replaced document's own subject ("… Quyết định số 61/2024 sửa đổi … ban
            # hành kèm theo Quyết định số 28/2014") relate to it, not to the draft; a decree cited before the
            # parenthesis does not own it ("… Nghị định số 112/2024/NĐ-CP … quy định chi tiết về đất trồng
            # lúa trên địa bàn tỉnh An Giang (thay thế Nghị quyết số 09/2025/NQ-HĐND …)")
            first = mention.citation.start > opened and mention.citation.start - opened < 40
            if (mention.head is None or first) and mention.citation.start > opened and \
                    mention.relation != "replaces":
                wrong.append((mention.citation.id, mention.relation, title[:80]))
    assert wrong == []


@pytest.mark.parametrize(
    ("header", "scope"),
    [  # real 01/KH-TBTTKT: a body with a symbol of its own under the commune's election committee
        ("ỦY BAN BẦU CỬ XÃ PHỐ BẢNG\nTIỂU BAN THÔNG TIN, TUYÊN TRUYỀN, KHÁNH TIẾT\nSố: 01/KH-TBTTKT\n"
         "Phố Bảng, ngày 10 tháng 12 năm 2025\nKẾ HOẠCH\nTriển khai … trên địa bàn xã Phố Bảng, "
         "tỉnh Tuyên Quang\n",
         "tuyen-quang/pho-bang"),
        ("BỘ TÀI CHÍNH\nCỤC HẢI QUAN\nSố: 39365/CHQ-GSQL\nHà Nội, ngày 02 tháng 12 năm 2025\n",
         "vn"),  # a central body under a ministry
    ],
)
def test_a_citing_body_under_a_local_parent_is_local(header, scope):
    from kg.graph import analyse, citing_ref
    from kg.models import SourceDocument

    ref = citing_ref(analyse(SourceDocument(path="x.txt", text=header, format="txt")))
    assert ref.scope == scope


@pytest.mark.parametrize("example", CUES["purpose"]["examples"] + CUES["done_at"]["examples"],
                         ids=lambda e: e["text"][:40])
def test_a_purpose_or_a_place_of_guidance_is_no_subject(example):
    """Real 2638/LĐTBXH-KHTC: "theo Nghị định số 58/2019/NĐ-CP … của Chính phủ để xây dựng … kinh phí thực
    hiện Pháp lệnh …" and "… (theo mẫu biểu đã hướng dẫn tại Công văn số 2906/…" relate nothing."""
    text = example["text"]
    citations = extract(text)
    link = subject_link(text[citations[0].end : citations[-1].start])
    assert link == ((example["relation"], bool(example.get("reverse"))) if example["relation"] else None)


@pytest.mark.parametrize(
    ("lead_in", "link"),
    [
        # real 39365/CHQ-GSQL: a subject in parts, then the amending act in parentheses
        (" ngày 25/3/2015 của Bộ Tài chính quy định về thủ tục hải quan; kiểm tra, giám sát hải quan; thuế "
         "xuất khẩu\n(được sửa đổi, bổ sung bởi khoản 59 Điều 1 ", ("amends", True)),
        ("; Quy chế làm việc (được sửa đổi bởi ", None),  # a new list item owns the parenthesis
        (" về A; kiểm tra B (thay thế ", None),  # active: the semicolon still ends the subject
        ("; triển khai ", None),
    ],
)
def test_a_subject_in_parts_keeps_its_amending_parenthesis(lead_in, link):
    assert subject_link(lead_in) == link


_LONG_SUBJECT_CASES = [
    {"text": "Điều 3. Giao Sở Tư pháp rà soát Quyết định số 15/2019/QĐ-UBND ngày 12/3/2019 của UBND tỉnh "
             "để xác định các nội dung hết hiệu lực.", "relation": "cites"},  # the purpose clause's cue, near
    {"text": "Điều 3. Quyết định số 15/2019/QĐ-UBND ngày 12/3/2019 của UBND tỉnh về hỗ trợ kinh phí để phát "
             "triển du lịch hết hiệu lực kể từ ngày ký.", "relation": "expires"},  # a purpose in A's subject
    {"text": "Điều 3. Giao Sở Tư pháp rà soát Quyết định số 15/2019/QĐ-UBND ngày 12/3/2019 của UBND tỉnh "
             "ban hành Quy định về quản lý hệ thống thông tin báo cáo để xác định các nội dung hết hiệu lực "
             "kể từ ngày 01/7/2025.", "relation": "cites"},  # a task set to others, the cue far after A
    {"text": "Điều 3. Các Quyết định số 15/2019/QĐ-UBND ngày 12/3/2019 của UBND tỉnh ban hành Quy định về "
             "quản lý hệ thống thông tin báo cáo, Quyết định số 16/2019/QĐ-UBND ngày 13/3/2019 của UBND "
             "tỉnh ban hành Quy chế phối hợp trên địa bàn tỉnh hết hiệu lực kể từ ngày ký.",
     "relation": "expires"},  # every item of a list of long subjects
    {"text": "Điều 4. Kể từ ngày Quyết định này có hiệu lực, Quyết định số 15/2019/QĐ-UBND ngày 12/3/2019 "
             "của UBND tỉnh ban hành Quy định về quản lý hệ thống thông tin báo cáo hết hiệu lực kể từ ngày "
             "ký.",
     "relation": "expires"},  # the clause opens after the comma
]


@pytest.mark.parametrize("example", CUES["after_reach"]["examples"] + _LONG_SUBJECT_CASES,
                         ids=lambda e: e["text"][8:48])
def test_a_cue_after_a_long_subject_is_the_clauses_predicate(example):
    """'Quyết định số A ngày … của UBND tỉnh ban hành Quy định về … hết hiệu lực kể từ ngày ký': the cue lies
    past the cited document's date, issuer and subject."""
    from kg.graph import relate_mentions

    text = "QUYẾT ĐỊNH:\n" + example["text"]
    relations = {m.relation for m in relate_mentions(text, extract(text)) if m.head is None}
    assert relations == {example["relation"]}


@pytest.mark.parametrize("example", CUES["after_subject"]["examples"], ids=lambda e: e["text"][:40])
def test_a_cue_after_the_citation_needs_it_as_the_subject(example):
    """"Các giấy phép đã cấp theo Quyết định số A … hết hiệu lực": the permits lapse, not A."""
    text = example["text"]
    target = extract(text)[-1]
    relation = body_relation(text[: target.start], text[target.end :]) or "cites"
    assert relation == example["relation"]


_DECISION_HEADER = ("ỦY BAN NHÂN DÂN TỈNH BÌNH ĐỊNH\nSố: 12/QĐ-UBND   Bình Định, ngày 10 tháng 3 năm 2025\n"
                    "QUYẾT ĐỊNH\nVề việc ban hành Quy chế\n\n")


@pytest.mark.parametrize(
    ("clause", "relations", "links"),
    [
        (  # what is replaced is the members, not the decision that set the board up
            "Căn cứ Quyết định số 123/QĐ-UBND ngày 05/3/2024 của UBND tỉnh về việc thay thế thành viên Ban "
            "Chỉ đạo được thành lập tại Quyết định số 45/QĐ-UBND ngày 06/4/2021;",
            ["based_on", "cites"], [("123/QĐ-UBND", "amends", "45/QĐ-UBND")],
        ),
        (  # the preamble has begun: the parenthesis is A's subject, not the citing document's title
            "Căn cứ Quyết định số 123/QĐ-UBND ngày 05/3/2024 của UBND tỉnh về việc kiện toàn Ban Chỉ đạo "
            "(thay thế Quyết định số 45/QĐ-UBND ngày 06/4/2021);",
            ["based_on", "cites"], [("123/QĐ-UBND", "replaces", "45/QĐ-UBND")],
        ),
        (
            "Căn cứ Quyết định số 123/QĐ-UBND ngày 05/3/2024 của UBND tỉnh về việc hủy bỏ Quyết định số "
            "45/QĐ-UBND ngày 06/4/2021;",
            ["based_on", "cites"], [("123/QĐ-UBND", "repeals", "45/QĐ-UBND")],
        ),
        (  # a second cue after "và" in the subject acts on its own object, the subject's document the actor
            "Căn cứ Quyết định số 123/QĐ-UBND ngày 05/3/2024 của UBND tỉnh sửa đổi, bổ sung Quyết định số "
            "45/QĐ-UBND ngày 06/4/2021 và bãi bỏ Quyết định số 46/QĐ-UBND ngày 07/4/2021;",
            ["based_on", "cites", "cites"],
            [("123/QĐ-UBND", "amends", "45/QĐ-UBND"), ("123/QĐ-UBND", "repeals", "46/QĐ-UBND")],
        ),
        (
            "Căn cứ Quyết định số 123/QĐ-UBND ngày 05/3/2024 của UBND tỉnh thay thế Quyết định số 45/QĐ-UBND "
            "ngày 06/4/2021 và bãi bỏ khoản 2 Điều 1 Quyết định số 46/QĐ-UBND ngày 07/4/2021;",
            ["based_on", "cites", "cites"],
            [("123/QĐ-UBND", "replaces", "45/QĐ-UBND"), ("123/QĐ-UBND", "amends", "46/QĐ-UBND")],
        ),
    ],
)
def test_what_a_cited_decision_replaces_in_a_preamble(clause, relations, links):
    from kg.graph import relate_mentions

    text = _DECISION_HEADER + clause + "\n"
    mentions = relate_mentions(text, extract(text))
    assert [m.relation for m in mentions] == relations
    assert _links(text) == links


@pytest.mark.parametrize(
    ("phrase", "chain"),
    [
        ("UBND TP. Hồ Chí Minh", (("province", "Hồ Chí Minh"),)),
        ("UBND TX. Hương Trà, tỉnh Thừa Thiên Huế",
         (("district", "Hương Trà"), ("province", "Thừa Thiên Huế"))),
    ],
)
def test_abbreviated_kind_words_name_their_place(phrase, chain):
    assert place_chain(phrase) == chain
