"""The citing document's own metadata (DOMAIN.md §10), checked against what the seeds and real documents say
(each expected value was read in the file itself)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.metadata import read_metadata


def _read(folder, name):
    return read_metadata((folder / name).read_text(encoding="utf-8"))


def test_seed_000_provincial_plan_with_blank_number_and_date(corpus):
    md = _read(corpus, "000_8bddda222f55bb4c.txt")
    assert md.issuer == "ỦY BAN NHÂN DÂN TỈNH BÌNH PHƯỚC"
    assert md.parent_issuer is None
    assert (md.number, md.symbol, md.id) == (None, "KH-UBND", "/KH-UBND")  # "Số:           /KH-UBND"
    assert md.place == "Bình Phước"
    assert md.date == "2025"  # "ngày     tháng    năm 2025": kept partial
    assert md.type == "Kế hoạch"
    assert md.title == (
        "Triển khai, thực hiện công tác dân vận chính quyền trên địa bàn tỉnh Bình Phước năm 2025"
    )
    assert (md.signer, md.signer_role) == ("Trần Tuyết Minh", "PHÓ CHỦ TỊCH")
    assert md.recipients[:2] == ["Bộ Nội vụ (b/c)", "Thường trực Tỉnh ủy"]
    assert "UBND các huyện, thị xã, thành phố" in md.recipients
    assert not any(r.startswith("Lưu") for r in md.recipients)
    assert (md.province, md.district, md.commune) == ("Bình Phước", None, None)


def test_seed_001_department_under_its_parent_body(corpus):
    md = _read(corpus, "001_e830b464a435be0c.txt")
    # "UBND TỈNH BÌNH PHƯỚC    CỘNG HÒA …" / "BAN DÂN TỘC     Độc lập …": two columns on each line.
    assert (md.parent_issuer, md.issuer) == ("UBND TỈNH BÌNH PHƯỚC", "BAN DÂN TỘC")
    assert md.id == "/KH-BDT"
    assert md.date == "2022-02"  # "ngày      tháng 02 năm 2022"
    assert md.title == "Triển khai thực hiện công tác dân vận chính quyền năm 2022"
    assert md.signer_role == "TRƯỞNG BAN"  # on the "Nơi nhận:" line; the text has no signer name
    assert md.signer is None
    assert md.recipients == ["UBND tỉnh", "Sở Nội vụ", "LĐ ban, các phòng", "CC, LĐ cơ quan"]
    assert md.province == "Bình Phước"


def test_seed_002_is_a_commune_of_quang_ngai_not_the_province_binh_phuoc(corpus):
    md = _read(corpus, "002_728e7e7738d1aea9.txt")
    assert md.issuer == "UỶ BAN NHÂN DÂN XÃ BÌNH PHƯỚC"
    assert md.place == "Bình Phước"
    assert md.date == "2025-03"
    # Commune from the header, district from "UBND huyện Bình Sơn", province from "tỉnh Quảng Ngãi".
    assert (md.province, md.district, md.commune) == ("Quảng Ngãi", "Bình Sơn", "Bình Phước")
    assert (md.signer, md.signer_role) == ("Lê Hồng Phong", "PHÓ CHỦ TỊCH")


def test_seed_003_without_issuer_header(corpus):
    md = _read(corpus, "003_2848af6e1fb85ee9.txt")
    assert md.issuer == "Ủy ban nhân dân tỉnh"  # "Ủy ban nhân dân tỉnh ban hành Kế hoạch …"
    assert (md.id, md.place, md.date) == ("/KH-UBND", "Bình Định", "2025")
    assert md.title == "Thực hiện công tác dân vận chính quyền năm 2025"
    assert md.province == "Bình Định"
    assert (md.signer, md.signer_role) == ("Lâm Hải Giang", "PHÓ CHỦ TỊCH")


def test_seed_004_without_header_still_gets_what_its_text_says(corpus):
    md = _read(corpus, "004_a1f0a423e889157a.txt")
    assert md.number is None and md.id is None and md.date is None
    assert md.type == "Kế hoạch"
    assert md.title == "Triển khai thực hiện công tác dân vận chính quyền của Sở Ngoại vụ năm 2023"
    assert md.issuer == "Sở Ngoại vụ"
    assert md.province == "Bình Phước"  # "UBND tỉnh Bình Phước", "trên địa bàn tỉnh Bình Phước"
    assert (md.signer, md.signer_role) == ("Phạm Thị Anh Thư", "GIÁM ĐỐC")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "src01_220-cd-ttg.txt",
            dict(
                issuer="THỦ TƯỚNG CHÍNH PHỦ",
                id="220/CĐ-TTg",
                type="Công điện",
                place="Hà Nội",
                date="2025-11-18",
                signer="Phạm Minh Chính",
                signer_role="THỦ TƯỚNG",
                province=None,
            ),
        ),
        (
            "src01_34-2025-nq-hdnd.txt",
            dict(
                issuer="HỘI ĐỒNG NHÂN DÂN THÀNH PHỐ HUẾ",
                id="34/2025/NQ-HĐND",
                number="34",
                symbol="NQ-HĐND",
                type="Nghị quyết",
                date="2025-11-18",
                signer="Lê Trường Lưu",
                province="Huế",
            ),
        ),
        (
            "src01_1609-qd-ttpvhcc.txt",
            dict(
                issuer="TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG",
                parent_issuer="UBND THÀNH PHỐ HÀ NỘI",
                id="1609/QĐ-TTPVHCC",
                type="Quyết định",
                date="2025-11-25",
                province="Hà Nội",
            ),
        ),
        (
            "src01_432-tb-vptw.txt",
            dict(
                issuer="VĂN PHÒNG",
                parent_issuer="BAN CHẤP HÀNH TRUNG ƯƠNG",
                id="432-TB/VPTW",
                symbol="TB/VPTW",
                type="Thông báo",
                date="2025-11-26",
                signer="Lâm Thị Phương Thanh",
                # the type line goes on with the subject ("THÔNG BÁO KẾT LUẬN"), a rule ("-----") ends it
                title="KẾT LUẬN CỦA ĐỒNG CHÍ TỔNG BÍ THƯ TẠI BUỔI LÀM VIỆC VỚI ĐẢNG UỶ BỘ Y TẾ VÀ CÁC BAN, "
                "BỘ, NGÀNH TRUNG ƯƠNG VỀ CÔNG TÁC CHĂM SÓC VÀ BẢO VỆ TRẺ EM CÓ HOÀN CẢNH ĐẶC BIỆT",
            ),
        ),
        (
            "src01_3257-tni-qldn1.txt",
            dict(
                issuer="THUẾ TỈNH TÂY NINH",
                parent_issuer="CỤC THUẾ",
                id="3257/TNI-QLDN1",
                type="Công văn",
                place="Tây Ninh",
                date="2025-12-01",
                title="thuế suất thuế GTGT",
                province="Tây Ninh",
            ),
        ),
        (
            "src01_10988-bnv-cqdp.txt",
            dict(
                issuer="BỘ NỘI VỤ",
                id="10988/BNV-CQĐP",
                type="Công văn",
                date="2025-11-21",
                title="tuyên truyền chủ trương, chính sách của Đảng, Nhà nước",
                signer_role="THỨ TRƯỞNG",
            ),
        ),
        (
            "src03_draft-kh-mttq-btt-13.txt",
            dict(
                issuer="BAN THƯỜNG TRỰC",
                parent_issuer="UỶ BAN MTTQ VIỆT NAM PHƯỜNG BẮC CAM RANH",
                id="/KH-MTTQ-BTT",
                number=None,
                date="2025-11",
                commune="Bắc Cam Ranh",
                signer="Phạm Thị Thúy",
            ),
        ),
        (  # letter-spaced header lines from a PDF ("ỦY B AN NHÂN D Â N T HÀNH P HỐ HỒ C H Í M I NH")
            "src02_3210-qd-u-b-nd.txt",
            dict(
                issuer="ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH",
                id="3210/QĐ-UBND",
                type="Quyết định",
                date="2014-06-28",
                province="Hồ Chí Minh",
            ),
        ),
        (  # "xã hội" (society) in the ministry's name is no commune; the subject after the number
            "src02_2638-ldtbxh-khtc.txt",
            dict(issuer="BỘ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI", id="2638/LĐTBXH-KHTC", date="2019-07-03",
                 type="Công văn", commune=None, province=None),
        ),
        (  # the header is lost: the appendix after the signature names the letter ("Kèm theo Công văn số …")
            "src01_6225-bvhttdl-vp.txt",
            dict(id="6225/BVHTTDL-VP", number="6225", symbol="BVHTTDL-VP", type="Công văn", date="2025-11-18",
                 issuer="Bộ Văn hóa, Thể thao và Du lịch", signer_role="BỘ TRƯỞNG"),
        ),
        (  # the enacting body under the title ends it
            "src02_494-nq-ubtvqh13.txt",
            dict(id="494/NQ-UBTVQH13", type="Nghị quyết", date="2012-05-18",
                 title="VỀ KẾT QUẢ GIÁM SÁT VIỆC THỰC HIỆN CHÍNH SÁCH, PHÁP LUẬT VỀ NGƯỜI CÓ CÔNG VỚI "
                 "CÁCH MẠNG"),
        ),
        (  # a central body and the body under it on one line; "Số: … V/v …" on one line
            "src02_1414-tct-cs.txt",
            dict(issuer="TỔNG CỤC THUẾ", parent_issuer="BỘ TÀI CHÍNH", id="1414/TCT-CS", type="Công văn",
                 title="hỗ trợ người có công với cách mạng cải thiện nhà ở"),
        ),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_real_documents(shared, name, expected):
    md = _read(shared / "realdocs", name)
    for field, value in expected.items():
        assert getattr(md, field) == value, field


def test_a_letter_lists_its_addressees_when_it_has_no_recipient_block():
    text = (
        "BỘ NỘI VỤ\nSố: 12/BNV-VP\nV/v báo cáo\nHà Nội, ngày 02 tháng 3 năm 2024\n"
        "Kính gửi:\n- Sở Nội vụ;\n- Sở Tài chính.\n\nNội dung.\n"
    )
    md = read_metadata(text)
    assert md.recipients == ["Sở Nội vụ", "Sở Tài chính"]
    assert (md.id, md.date, md.type, md.title) == ("12/BNV-VP", "2024-03-02", "Công văn", "báo cáo")


def test_text_without_any_header():
    md = read_metadata("Thực hiện Chỉ thị số 33/CT-TTg ngày 26/11/2021 của Thủ tướng Chính phủ.")
    assert md.issuer is None and md.id is None and md.date is None and md.recipients == []


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "Số:",
                " /KH-UBND",
                "ỦY BAN NHÂN DÂN",
                "\n",
                "TỈNH BÌNH ĐỊNH",
                "Bình Định, ngày",
                " tháng ",
                " năm 2025",
                "KẾ HOẠCH",
                "Nơi nhận:",
                "- UBND tỉnh;",
                "KT. CHỦ TỊCH",
                "Nguyễn Văn A",
                "V/v",
                "Kính gửi:",
                "xã",
                "huyện Bình Sơn",
                "12",
                "  ",
                "…",
            ]
        ),
        max_size=40,
    )
)
def test_any_arrangement_of_header_pieces_reads_without_error(pieces):
    md = read_metadata("".join(pieces))
    assert md.date is None or md.date[:4].isdigit()
    assert all(isinstance(r, str) and r for r in md.recipients)


@pytest.mark.parametrize(
    ("header", "issuer", "parent"),
    [
        ("BỘ TÀI CHÍNH TỔNG CỤC THUẾ", "TỔNG CỤC THUẾ", "BỘ TÀI CHÍNH"),  # real 1414/TCT-CS
        ("THỦ TƯỚNG CHÍNH PHỦ", "THỦ TƯỚNG CHÍNH PHỦ", None),  # one name, though "THỦ TƯỚNG" is one too
        ("BỘ NỘI VỤ", "BỘ NỘI VỤ", None),
    ],
)
def test_a_central_body_and_the_body_under_it_on_one_line(header, issuer, parent):
    md = read_metadata(f"{header}\nSố: 12/QĐ-BNV\nHà Nội, ngày 02 tháng 3 năm 2024\n")
    assert (md.issuer, md.parent_issuer) == (issuer, parent)


@pytest.mark.parametrize(
    ("text", "own_id"),
    [
        (  # no header: the appendix heading after "Nơi nhận:" names the document
            "Kính gửi: Các Sở.\nĐề nghị các Sở thực hiện.\nNơi nhận:\n- Như trên;\nGIÁM ĐỐC\nNguyễn Văn A\n"
            "PHỤ LỤC\n(Ban hành kèm theo Quyết định số 12/2025/QĐ-UBND ngày 05/3/2025 của Ủy ban nhân dân "
            "tỉnh)",
            "12/2025/QĐ-UBND",
        ),
        (  # the header's own number wins over any appendix
            "UBND TỈNH AN GIANG\nSố: 15/KH-UBND\nAn Giang, ngày 05 tháng 3 năm 2025\nKẾ HOẠCH\nVề …\n"
            "Nơi nhận:\n- Như trên;\nPHỤ LỤC\n(Kèm theo Công văn số 16/UBND-VP ngày 06/3/2025)",
            "15/KH-UBND",
        ),
        (  # a document named "kèm theo" in the body, before the signature, is another document
            "Kính gửi: Các Sở.\nThực hiện Kế hoạch (kèm theo Quyết định số 12/QĐ-UBND ngày 05/3/2025).\n",
            None,
        ),
    ],
)
def test_a_document_without_a_header_is_named_by_its_appendix(text, own_id):
    assert read_metadata(text).id == own_id


@pytest.mark.parametrize(
    ("name", "role", "signer"),
    [
        ("src01_3257-tni-qldn1.txt", "PHÓ TRƯỞNG THUẾ TỈNH", "Nguyễn Tấn Lợi"),  # "KT. / TRƯỞNG … / PHÓ …"
        # a signature block flattened onto one line: the last role is the signer's
        ("src02_1414-tct-cs.txt", "PHÓ VỤ TRƯỞNG", "Ngô Văn Độ"),
        ("src02_2638-ldtbxh-khtc.txt", "VỤ TRƯỞNG VỤ KẾ HOẠCH - TÀI CHÍNH", "Phạm Quang Phụng"),
        ("src02_494-nq-ubtvqh13.txt", "CHỦ TỊCH", "Nguyễn Sinh Hùng"),
        # a line after the signer's name ("TRƯỞNG BAN XÂY DỰNG ĐẢNG", a footnote's addressee) is not its role
        ("src03_01-kh-tbttkt.txt", "TRƯỞNG TIỂU BAN", "Nguyễn Văn Hoàn"),
    ],
)
def test_the_signer_and_role_of_real_signature_blocks(shared, name, role, signer):
    md = _read(shared / "realdocs", name)
    assert (md.signer_role, md.signer) == (role, signer)


# A header table read line by line across its two columns (pdfplumber, `pdftotext -layout`, some converters):
# each line holds a piece of the issuer and a piece of the motto, the number line holds the place and date.
_SIDE_BY_SIDE = (
    "{left1} CỘNG HÒA XÃ HỘI\n{left2} CHỦ NGHĨA VIỆT NAM\n------- Độc lập - Tự do - Hạnh phúc\n"
    "---------------\nSố: {number} {place}, ngày 18 tháng 11 năm 2025\n{rest}"
)


@pytest.mark.parametrize(
    ("left1", "left2", "number", "place", "rest", "expected"),
    [
        ("ỦY BAN NHÂN DÂN", "TỈNH CÀ MAU", "01763/QĐ-UBND", "Cà Mau", "QUYẾT ĐỊNH\nVề việc công bố\n",
         {"issuer": "ỦY BAN NHÂN DÂN TỈNH CÀ MAU", "province": "Cà Mau", "id": "01763/QĐ-UBND",
          "date": "2025-11-18", "type": "Quyết định"}),
        ("HỘI ĐỒNG NHÂN DÂN", "THÀNH PHỐ HUẾ", "34/2025/NQ-HĐND", "Huế", "NGHỊ QUYẾT\nVề việc\n",
         {"issuer": "HỘI ĐỒNG NHÂN DÂN THÀNH PHỐ HUẾ", "province": "Huế", "id": "34/2025/NQ-HĐND"}),
        ("BỘ TÀI CHÍNH", "CỤC HẢI QUAN", "39365/CHQ-GSQL V/v nhập khẩu hàng hóa", "Hà Nội",
         "Kính gửi: Công ty\n",
         {"issuer": "CỤC HẢI QUAN", "parent_issuer": "BỘ TÀI CHÍNH", "title": "nhập khẩu hàng hóa",
          "type": "Công văn", "place": "Hà Nội"}),
    ],
)
def test_a_header_read_across_its_two_columns(left1, left2, number, place, rest, expected):
    md = read_metadata(_SIDE_BY_SIDE.format(left1=left1, left2=left2, number=number, place=place, rest=rest))
    assert {field: getattr(md, field) for field in expected} == expected


def test_a_district_and_a_ward_named_by_a_number():
    text = (
        "ỦY BAN NHÂN DÂN\n{body}\nSố: 12/KH-UBND\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "Độc lập - Tự do - Hạnh phúc\n{place}, ngày 05 tháng 3 năm 2024\nKẾ HOẠCH\nCông tác dân vận\n"
        "Thực hiện Kế hoạch số 45/KH-UBND của Ủy ban nhân dân Thành phố Hồ Chí Minh, {issuer} ban hành "
        "kế hoạch trên địa bàn Thành phố Hồ Chí Minh.\n"
    )
    md = read_metadata(text.format(body="QUẬN 3", place="Quận 3", issuer="Ủy ban nhân dân Quận 3"))
    assert (md.issuer, md.place, md.province, md.district, md.commune) == (
        "ỦY BAN NHÂN DÂN QUẬN 3", "Quận 3", "Hồ Chí Minh", "3", None)
    md = read_metadata(text.format(body="PHƯỜNG 5", place="Phường 5", issuer="UBND Phường 5, Quận 3"))
    assert (md.issuer, md.province, md.district, md.commune) == (
        "ỦY BAN NHÂN DÂN PHƯỜNG 5", "Hồ Chí Minh", "3", "5")


def test_a_header_laid_out_as_a_table_and_the_enacting_line():
    # a header copied from a web page as a table row ("|" between the columns) that lost the place line;
    # the decision's enacting line before "Căn cứ" repeats the body with its place
    text = (
        "ỦY BAN NHÂN DÂN | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |\n"
        "Số: 30/2018/QĐ-UBND | Hải Phòng, ngày 09 tháng 10 năm 2018 |\n"
        "BAN HÀNH QUY ĐỊNH VỀ TRÁCH NHIỆM CỦA ỦY BAN NHÂN DÂN QUẬN, HUYỆN\n"
        "ỦY BAN NHÂN DÂN THÀNH PHỐ HẢI PHÒNG\n"
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;\n"
    )
    md = read_metadata(text)
    assert (md.issuer, md.place, md.date, md.id, md.province, md.district) == (
        "ỦY BAN NHÂN DÂN", "Hải Phòng", "2018-10-09", "30/2018/QĐ-UBND", "Hải Phòng", None)
