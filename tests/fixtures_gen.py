"""Builds input files for the ingest tests at test time: .docx, .pdf and damaged or odd files.

Nothing binary is committed: every file is written into pytest's tmp_path.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

# One paragraph of a real-looking plan, with a citation, in Unicode NFC.
VIETNAMESE = (
    "Thực hiện Chỉ thị số 33/CT-TTg ngày 26/11/2021 của Thủ tướng Chính phủ về việc tiếp tục tăng cường "
    "và đổi mới công tác dân vận của cơ quan hành chính nhà nước, chính quyền các cấp."
)
HEADER = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"

# Legacy font samples, typed as they appear when a .VnTime / VNI-Times document is read as plain
# Latin-1 text, with what they say. Independent of the tables in kg/legacy_fonts.py.
TCVN3_SAMPLE = (
    "Céng hoµ x· héi chñ nghÜa ViÖt Nam\n§éc lËp - Tù do - H¹nh phóc\n"
    "Thùc hiÖn ChØ thÞ sè 33/CT-TTg ngµy 26/11/2021 cña Thñ t\u00adíng ChÝnh phñ vÒ viÖc "
    "tiÕp tôc t¨ng c\u00adêng c«ng t¸c d©n vËn cña c¬ quan hµnh chÝnh nhµ n\u00adíc."
)
TCVN3_EXPECTED = (
    "Cộng hoà xã hội chủ nghĩa Việt Nam\nĐộc lập - Tự do - Hạnh phúc\n"
    "Thực hiện Chỉ thị số 33/CT-TTg ngày 26/11/2021 của Thủ tướng Chính phủ về việc "
    "tiếp tục tăng cường công tác dân vận của cơ quan hành chính nhà nước."
)
VNI_SAMPLE = (
    "Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam\nÑoäc laäp - Töï do - Haïnh phuùc\n"
    "Thöïc hieän Chæ thò soá 33/CT-TTg ngaøy 26/11/2021 cuûa Thuû töôùng Chính phuû veà vieäc "
    "tieáp tuïc taêng cöôøng coâng taùc daân vaän cuûa cô quan haønh chính nhaø nöôùc."
)
VNI_EXPECTED = (
    "Cộng hòa xã hội chủ nghĩa Việt Nam\nĐộc lập - Tự do - Hạnh phúc\n"
    "Thực hiện Chỉ thị số 33/CT-TTg ngày 26/11/2021 của Thủ tướng Chính phủ về việc "
    "tiếp tục tăng cường công tác dân vận của cơ quan hành chính nhà nước."
)

UNICODE_FONT = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"


def write_docx(path: Path, blocks: list[str | list[list[str]]]) -> Path:
    """A .docx whose body holds the blocks in order: a string is a paragraph, a list of rows a table."""
    import docx

    document = docx.Document()
    for block in blocks:
        if isinstance(block, str):
            document.add_paragraph(block)
            continue
        table = document.add_table(rows=len(block), cols=len(block[0]))
        for r, row in enumerate(block):
            for c, value in enumerate(row):
                table.cell(r, c).text = value
    document.save(str(path))
    return path


def write_pdf(path: Path, pages: list[str]) -> Path:
    """A PDF with a real text layer in a Unicode font; an empty string makes a page with a drawing only."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_font("DejaVu", fname=str(UNICODE_FONT))
    for text in pages:
        pdf.add_page()
        if text:
            pdf.set_font("DejaVu", size=11)
            pdf.multi_cell(0, 6, text)
        else:
            pdf.rect(20, 20, 100, 60, style="F")  # "scanned": ink but no text
    pdf.output(str(path))
    return path


def write_encrypted_pdf(path: Path, text: str, password: str = "secret") -> Path:
    from pypdf import PdfReader, PdfWriter

    plain = write_pdf(path.with_name(path.stem + "_plain.pdf"), [text])
    writer = PdfWriter()
    for page in PdfReader(str(plain)).pages:
        writer.add_page(page)
    writer.encrypt(user_password=password, owner_password=password + "-owner", algorithm="AES-128")
    with path.open("wb") as out:
        writer.write(out)
    plain.unlink()
    return path


def truncate(path: Path, keep: float = 0.5) -> Path:
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])
    return path


_TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"


def to_cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese Windows writes it: letters with their shape marks, tones combining."""
    import unicodedata

    out = bytearray()
    for char in unicodedata.normalize("NFC", text):
        try:
            out += char.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", char)
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONE_MARKS))
            tones = "".join(c for c in parts if c in _TONE_MARKS)
            out += (base + tones).encode("cp1258")
    return bytes(out)


def minimal_pdf(content: bytes) -> bytes:
    """A one-page PDF written by hand around a content stream, in the standard Helvetica font."""
    resources = b"<< /Font << /F1 5 0 R >> >>"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 4 0 R /Resources %s >>" % resources,
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)
