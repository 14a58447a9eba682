"""kg.ingest on well-formed inputs: every supported format and encoding, and directory walking."""

from __future__ import annotations

import codecs
import hashlib
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest
from fixtures_gen import (
    HEADER,
    TCVN3_EXPECTED,
    TCVN3_SAMPLE,
    VIETNAMESE,
    VNI_EXPECTED,
    VNI_SAMPLE,
    to_cp1258,
    write_docx,
    write_pdf,
)

from kg.ingest import iter_documents, read_document
from kg.models import IngestError, SourceDocument

TEXT = HEADER + "\n\n" + VIETNAMESE + "\n"
NFD = unicodedata.normalize("NFD", TEXT)

# name, bytes, expected encoding, expected text (None: the same as TEXT), expected warnings substring
TXT_CASES: list[tuple[str, bytes, str, str | None, str | None]] = [
    ("utf8", TEXT.encode("utf-8"), "utf-8", None, None),
    ("utf8_bom", codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8", None, None),
    ("utf16le_bom", codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), "utf-16-le", None, None),
    ("utf16be_bom", codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16-be", None, None),
    ("utf16le_nobom", TEXT.encode("utf-16-le"), "utf-16-le", None, "without byte order mark"),
    ("utf16be_nobom", TEXT.encode("utf-16-be"), "utf-16-be", None, "without byte order mark"),
    ("utf32_bom", codecs.BOM_UTF32_LE + TEXT.encode("utf-32-le"), "utf-32-le", None, None),
    ("nfd", NFD.encode("utf-8"), "utf-8", NFD, None),
    ("crlf", TEXT.replace("\n", "\r\n").encode("utf-8"), "utf-8", TEXT.replace("\n", "\r\n"), None),
    ("cp1258", to_cp1258(TEXT), "cp1258", to_cp1258(TEXT).decode("cp1258"), None),
    ("tcvn3_bytes", TCVN3_SAMPLE.encode("latin-1"), "latin-1+tcvn3", TCVN3_EXPECTED, "TCVN3"),
    ("tcvn3_in_utf8", TCVN3_SAMPLE.encode("utf-8"), "utf-8+tcvn3", TCVN3_EXPECTED, "TCVN3"),
    ("vni_bytes", VNI_SAMPLE.encode("cp1252"), "latin-1+vni", VNI_EXPECTED, "VNI"),
    ("vni_in_utf8", VNI_SAMPLE.encode("utf-8"), "utf-8+vni", VNI_EXPECTED, "VNI"),
]


@pytest.mark.parametrize(
    ("name", "data", "encoding", "expected", "warning"), TXT_CASES, ids=[c[0] for c in TXT_CASES]
)
def test_txt_encodings(
    tmp_path: Path, name: str, data: bytes, encoding: str, expected: str | None, warning: str | None
) -> None:
    path = tmp_path / f"{name}.txt"
    path.write_bytes(data)
    document = read_document(path)
    assert document.format == "txt"
    assert document.encoding == encoding
    assert document.text == (TEXT if expected is None else expected)
    assert document.sha256 == hashlib.sha256(data).hexdigest()
    assert document.path == str(path)
    if warning is None:
        assert document.warnings == []
    else:
        assert any(warning in w for w in document.warnings), document.warnings


def test_cp1258_keeps_combining_marks_and_reads_vietnamese_after_nfc(tmp_path: Path) -> None:
    path = tmp_path / "legacy.txt"
    path.write_bytes(to_cp1258(VIETNAMESE))
    text = read_document(path).text
    assert any(unicodedata.combining(c) for c in text)  # offsets refer to the decoded text as is
    assert unicodedata.normalize("NFC", text) == VIETNAMESE


def test_docx_paragraphs_and_tables_in_reading_order(tmp_path: Path) -> None:
    path = write_docx(
        tmp_path / "plan.docx",
        [
            "KẾ HOẠCH",
            [["STT", "Nội dung"], ["1", "Chỉ thị số 33/CT-TTg"], ["2", "Nghị định số 59/2023/NĐ-CP"]],
            "Nơi nhận:",
        ],
    )
    document = read_document(path)
    assert document.format == "docx"
    assert document.text.split("\n") == [
        "KẾ HOẠCH",
        "STT",
        "Nội dung",
        "1",
        "Chỉ thị số 33/CT-TTg",
        "2",
        "Nghị định số 59/2023/NĐ-CP",
        "Nơi nhận:",
    ]
    assert document.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_docx_merged_cell_is_read_once_and_multi_paragraph_cells_keep_lines(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    table = document.add_table(rows=2, cols=3)
    merged = table.cell(0, 0).merge(table.cell(0, 2))
    merged.text = "Tiêu đề gộp"
    table.cell(1, 0).text = "a"
    table.cell(1, 1).text = "dòng một"
    table.cell(1, 1).add_paragraph("dòng hai")
    table.cell(1, 2).text = "c"
    path = tmp_path / "merged.docx"
    document.save(str(path))
    assert read_document(path).text.split("\n") == ["Tiêu đề gộp", "a", "dòng một", "dòng hai", "c"]


def test_docx_tracked_insertions_and_hyperlinks_are_text(tmp_path: Path) -> None:
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    paragraph = document.add_paragraph("Căn cứ ")
    w = nsdecls("w")
    inserted = f'<w:ins {w} w:id="1" w:author="x"><w:r><w:t xml:space="preserve">Luật số </w:t></w:r></w:ins>'
    deleted = f'<w:del {w} w:id="2" w:author="x"><w:r><w:delText>bỏ </w:delText></w:r></w:del>'
    link = f"<w:hyperlink {w}><w:r><w:t>10/2022/QH15</w:t></w:r></w:hyperlink>"
    for xml in (inserted, deleted, link):
        paragraph._p.append(parse_xml(xml))
    path = tmp_path / "tracked.docx"
    document.save(str(path))
    assert read_document(path).text == "Căn cứ Luật số 10/2022/QH15"


def test_docx_tabs_and_line_breaks_inside_a_paragraph(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    run = document.add_paragraph().add_run("Điều 1.")
    run.add_tab()
    run.add_text("Phạm vi")
    run.add_break()
    run.add_text("điều chỉnh")
    path = tmp_path / "breaks.docx"
    document.save(str(path))
    assert read_document(path).text == "Điều 1.\tPhạm vi\nđiều chỉnh"


def test_docx_legacy_font_text_is_converted(tmp_path: Path) -> None:
    path = write_docx(tmp_path / "old.docx", TCVN3_SAMPLE.split("\n"))
    document = read_document(path)
    assert document.text == TCVN3_EXPECTED
    assert any("TCVN3" in w for w in document.warnings)


def test_docx_runs_in_legacy_typefaces_are_converted_run_by_run(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    heading = document.add_paragraph()
    heading.add_run("céng hoµ x· héi").font.name = ".VnTimeH"  # a capitals face: lower-case codes
    body = document.add_paragraph()
    body.add_run("Thực hiện ")  # Unicode, default font
    body.add_run("ChØ thÞ sè").font.name = ".VnTime"
    body.add_run(" 33/CT-TTg ").font.name = "Times New Roman"
    body.add_run("cña Thñ t\u00adíng").font.name = ".VnTime"
    vni = document.add_paragraph()
    vni.add_run("Ñoäc laäp").font.name = "VNI-Times"
    styled = document.add_paragraph(style=document.styles.add_style("Old", 1))  # 1: a paragraph style
    styled.style.font.name = ".VnArial"
    styled.add_run("n¨m 2025")
    path = tmp_path / "mixed.docx"
    document.save(str(path))
    read = read_document(path)
    assert read.text.split("\n") == [
        "CỘNG HOÀ XÃ HỘI",
        "Thực hiện Chỉ thị số 33/CT-TTg của Thủ tướng",
        "Độc lập",
        "năm 2025",
    ]
    assert read.warnings == [
        "text in legacy Vietnamese fonts (.VnArial, .VnTime, .VnTimeH, VNI-Times) converted to Unicode"
    ]


def test_pdf_text_layer_round_trips_and_pages_join_with_newline(tmp_path: Path) -> None:
    path = write_pdf(tmp_path / "plan.pdf", ["Trang một: " + HEADER, "Trang hai: Chỉ thị số 33/CT-TTg"])
    document = read_document(path)
    assert document.format == "pdf"
    assert document.warnings == []
    text = unicodedata.normalize("NFC", document.text)
    assert text.split("\n") == [
        "Trang một: CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Trang hai: Chỉ thị số 33/CT-TTg",
    ]
    assert document.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_pdf_with_some_pages_scanned_warns_with_page_numbers(tmp_path: Path) -> None:
    path = write_pdf(tmp_path / "mixed.pdf", ["Chỉ thị số 33/CT-TTg", "", "Trang ba"])
    document = read_document(path)
    assert "33/CT-TTg" in document.text
    assert document.warnings == ["pages without a text layer (scanned?): 2; run OCR on them"]


def test_pdf_encrypted_with_owner_password_only_is_readable(tmp_path: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    plain = write_pdf(tmp_path / "plain.pdf", ["Quyết định số 1609/QĐ-TTPVHCC"])
    writer = PdfWriter()
    writer.add_page(PdfReader(str(plain)).pages[0])
    writer.encrypt(user_password="", owner_password="owner", algorithm="AES-128")
    path = tmp_path / "restricted.pdf"
    with path.open("wb") as out:
        writer.write(out)
    assert "1609/QĐ-TTPVHCC" in unicodedata.normalize("NFC", read_document(path).text)


def test_suffix_is_case_insensitive(tmp_path: Path) -> None:
    path = tmp_path / "UPPER.TXT"
    path.write_text(VIETNAMESE, encoding="utf-8")
    assert read_document(path).text == VIETNAMESE


# --- iter_documents ------------------------------------------------------------------------------------


def _texts(items: list[SourceDocument | IngestError]) -> dict[str, str]:
    return {Path(i.path).name: i.text for i in items if isinstance(i, SourceDocument)}


def test_iter_documents_walks_directories_recursively_in_sorted_order(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "deep").mkdir(parents=True)
    (tmp_path / ".kg").mkdir()
    for relative in ["z.txt", "b/y.txt", "a/deep/x.txt", "a/w.txt", ".kg/hidden.txt", ".hidden.txt"]:
        (tmp_path / relative).write_text(f"văn bản {relative}", encoding="utf-8")
    items = list(iter_documents([tmp_path]))
    assert [Path(i.path).relative_to(tmp_path).as_posix() for i in items] == [
        "z.txt",
        "a/w.txt",
        "a/deep/x.txt",
        "b/y.txt",
    ]
    assert all(isinstance(i, SourceDocument) for i in items)


def test_iter_documents_accepts_files_strings_and_reports_missing_paths(tmp_path: Path) -> None:
    path = tmp_path / "one.txt"
    path.write_text(VIETNAMESE, encoding="utf-8")
    items = list(iter_documents([str(path), tmp_path / "missing.txt"]))
    assert isinstance(items[0], SourceDocument) and items[0].text == VIETNAMESE
    assert isinstance(items[1], IngestError) and items[1].reason == "no such file or directory"
    assert [type(i) for i in iter_documents(str(path))] == [SourceDocument]  # a lone path, not its letters


def test_iter_documents_on_the_corpus_reads_every_seed(corpus: Path) -> None:
    items = list(iter_documents([corpus]))
    assert len(items) == len(list(corpus.glob("*.txt"))) >= 5
    assert all(isinstance(i, SourceDocument) and i.encoding == "utf-8" and "/" in i.text for i in items)


def test_iter_documents_on_the_real_documents_reads_every_text_and_reports_the_readme(shared: Path) -> None:
    items = list(iter_documents([shared / "realdocs"]))
    errors = [i for i in items if isinstance(i, IngestError)]
    documents = [i for i in items if isinstance(i, SourceDocument)]
    assert [(Path(e.path).name, e.reason) for e in errors] == [("README.md", "unsupported file type .md")]
    assert len(documents) == len(list((shared / "realdocs").glob("*.txt"))) >= 20
    assert all(d.encoding == "utf-8" and d.warnings == [] for d in documents)


@pytest.mark.parametrize(
    "make",
    [
        lambda d: write_docx(d / "g.docx", [VIETNAMESE]),
        lambda d: write_pdf(d / "g.pdf", [VIETNAMESE]),
    ],
    ids=["docx", "pdf"],
)
def test_every_format_reads_the_same_words(tmp_path: Path, make: Callable[[Path], Path]) -> None:
    text = unicodedata.normalize("NFC", read_document(make(tmp_path)).text)
    assert " ".join(text.split()) == VIETNAMESE
