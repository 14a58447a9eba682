"""Bytes to text: read .txt, .docx and .pdf files into `SourceDocument`s.

Nothing but `IngestError` ever leaves `read_document`: a file that cannot be read becomes an error whose
reason is one line telling the user what to do. Offsets downstream refer to `SourceDocument.text`
exactly as returned here (not normalised: the extractor NFC-normalises internally).

- `.txt`: BOM, then UTF-16 without BOM (NUL byte pattern), strict UTF-8, UTF-8 with a few broken bytes
  (replaced, with a warning), Windows-1258 if the result reads as Vietnamese, TCVN3/VNI bytes, then
  charset-normalizer as a last resort (with a warning). NUL bytes or many control characters: binary.
- `.docx`: the body only (no headers, footers, footnotes, comments or text boxes): paragraphs and tables
  in reading order, tables row by row and cell by cell, each cell starting on its own line.
- `.pdf`: the text layer of every page, pages joined with "\\n". No OCR. Read by pdfium (pypdfium2, which
  pdfplumber itself depends on; ~50x faster than pdfminer), with pdfplumber as the fallback for damaged
  files that pdfium refuses.
- Text typed in the legacy TCVN3 or VNI fonts is detected in any format, converted to Unicode and
  reported in `warnings`; in a .docx, runs set in such typefaces (".VnTime", "VNI-Times") are converted
  one by one, so documents mixing legacy and Unicode text come out right.
"""

from __future__ import annotations

import codecs
import errno
import functools
import hashlib
import io
import logging
import os
import re
import threading
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from kg import legacy_fonts
from kg.models import IngestError, SourceDocument

SUPPORTED_SUFFIXES = (".txt", ".docx", ".pdf")

_SAVE_AS = "save it as .docx or .pdf"
_OCR = "image file: run OCR first (e.g. ocrmypdf or tesseract) and save the text as .pdf or .txt"
# Formats people keep documents in that kg cannot read: what to tell them.
UNSUPPORTED_ADVICE = {
    ".doc": f".doc (Word 97-2003) is not supported: {_SAVE_AS}",
    ".rtf": f"unsupported file type .rtf: {_SAVE_AS}",
    ".odt": f"unsupported file type .odt: {_SAVE_AS}",
    ".wpd": f"unsupported file type .wpd: {_SAVE_AS}",
    ".xls": "unsupported file type .xls: save the document text as .docx, .pdf or .txt",
    ".xlsx": "unsupported file type .xlsx: save the document text as .docx, .pdf or .txt",
    ".ppt": "unsupported file type .ppt: save it as .pdf",
    ".pptx": "unsupported file type .pptx: save it as .pdf",
    **{suffix: _OCR for suffix in (".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp", ".gif")},
}

PASSWORD_PDF = "PDF is password-protected: remove the password (e.g. qpdf --decrypt) and try again"
GARBLED_PDF = "PDF text layer is unreadable (damaged or scrambled fonts): run OCR first, e.g. ocrmypdf"
NO_TEXT_LAYER = "PDF has no text layer (scanned?): run OCR first, e.g. ocrmypdf"
CANNOT_DECODE = "cannot decode text: not UTF-8, UTF-16 or Windows-1258; re-save it as UTF-8"
BINARY = "binary file, not text"
OUTSIDE_CORPUS = "symlink points outside the corpus"

_SNIFF_BYTES = 64 * 1024  # enough of the start of a file to judge its encoding or kind
_MAX_DOCX_EXPANDED = 512 * 1024 * 1024  # a .docx that unzips to more than this is a zip bomb
_UTF8_VALID_PER_BAD = 4  # a damaged UTF-8 file still has far more valid multi-byte characters than bad ones
_MIN_VIETNAMESE_SHARE = 0.9  # of non-ASCII letters in a Windows-1258 decoding

_MAGIC = {  # signature -> what the file really is
    b"%PDF-": "a PDF",
    b"PK\x03\x04": "a ZIP container (.docx?)",
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1": "a Word 97-2003 (.doc) or password-protected Office file",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
}


def read_document(path: str | Path) -> SourceDocument:
    """Read one file. Raises only `IngestError` (with the file name and a one-line reason)."""
    name = str(path)
    suffix = Path(name).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise IngestError(name, UNSUPPORTED_ADVICE.get(suffix, f"unsupported file type {suffix or '(none)'}"))
    try:
        data = Path(path).read_bytes()
    except IsADirectoryError:
        raise IngestError(name, "is a directory, not a file") from None
    except OSError as error:
        raise IngestError(name, f"cannot open file: {error.strerror or error}") from None
    try:
        document = _convert_legacy_font(_READERS[suffix](name, data))
    except IngestError:
        raise
    except Exception as error:  # a parser's surprise must not escape as a crash
        raise IngestError(name, f"cannot read {suffix} file ({_one_line(error)})") from None
    document.sha256 = hashlib.sha256(data).hexdigest()
    return document


def iter_documents(paths: Iterable[str | Path] | str | Path) -> Iterator[SourceDocument | IngestError]:
    """Read every given file, and every file under every given directory (recursively, sorted).

    Yields a `SourceDocument` per readable file and an `IngestError` per file that cannot be read,
    including files of unsupported types and symlinks that leave the directory (not followed).
    Hidden files and directories (".git", ".kg") are skipped silently.
    """
    if isinstance(paths, str | Path):
        paths = [paths]
    for given in paths:
        root = Path(given)
        if root.is_dir():
            for item in _walk(root):
                yield item if isinstance(item, IngestError) else _read_or_error(item)
        elif root.exists() or root.is_symlink():
            yield _read_or_error(root)
        else:
            yield IngestError(str(given), "no such file or directory")


def _read_or_error(path: Path) -> SourceDocument | IngestError:
    try:
        return read_document(path)
    except IngestError as error:
        return error


def _walk(root: Path) -> Iterator[Path | IngestError]:
    """Files under root in sorted order; symlinks leaving root become errors instead of being followed."""
    real_root = root.resolve()
    unreadable: list[OSError] = []
    for directory, subdirs, files in os.walk(root, onerror=unreadable.append, followlinks=False):
        while unreadable:  # a subdirectory that could not be listed (permissions)
            error = unreadable.pop(0)
            yield IngestError(str(error.filename), f"cannot open directory: {error.strerror or error}")
        subdirs[:] = sorted(d for d in subdirs if not d.startswith("."))
        here = Path(directory)
        for link in [d for d in subdirs if (here / d).is_symlink()]:
            subdirs.remove(link)  # never descend through a link: inside targets are walked anyway
            problem = _symlink_problem(here / link, real_root)
            if problem:
                yield IngestError(str(here / link), problem)
        for name in sorted(f for f in files if not f.startswith(".")):
            path = here / name
            problem = _symlink_problem(path, real_root) if path.is_symlink() else None
            yield IngestError(str(path), problem) if problem else path
    for error in unreadable:
        yield IngestError(str(error.filename), f"cannot open directory: {error.strerror or error}")


def _symlink_problem(link: Path, real_root: Path) -> str | None:
    try:
        target = link.resolve()
    except (OSError, RuntimeError):  # a loop of links
        return "symlink loop: its target cannot be resolved"
    if not target.is_relative_to(real_root):
        return OUTSIDE_CORPUS
    if not target.exists():
        try:
            link.stat()
        except OSError as error:
            if error.errno == errno.ELOOP:
                return "symlink loop: its target cannot be resolved"
        return "broken symlink: its target does not exist"
    return None


# --- .txt ---------------------------------------------------------------------------------------------


def _read_txt(name: str, data: bytes) -> SourceDocument:
    if not data:
        return SourceDocument(path=name, text="", format="txt", encoding="utf-8", warnings=["empty file"])
    text, encoding, warnings = decode_text(name, data)
    return SourceDocument(path=name, text=text, format="txt", encoding=encoding, warnings=warnings)


def decode_text(name: str, data: bytes) -> tuple[str, str, list[str]]:
    """(text, encoding, warnings) for the bytes of a text file, or IngestError."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _strict(name, data[len(bom) :], encoding), encoding, []
    utf16 = _sniff_utf16(data)
    if utf16:
        try:
            text = data.decode(utf16)
        except UnicodeDecodeError:
            text = None  # not UTF-16 after all: judged as binary below
        if text is not None and not _garbled(text[:_SNIFF_BYTES]):  # 16-bit binary numbers also have NULs
            return text, utf16, ["UTF-16 without byte order mark"]
    head = data[:_SNIFF_BYTES]
    if b"\x00" in data or _mostly_control(head):  # memchr over the whole file is cheap
        raise IngestError(name, _binary_reason(head))
    try:
        return data.decode("utf-8"), "utf-8", []
    except UnicodeDecodeError:
        pass
    damaged = _mostly_utf8(data)
    if damaged:
        return damaged
    cp1258 = _try_cp1258(data)
    if cp1258 is not None:
        return cp1258, "cp1258", []
    legacy = _legacy_bytes(data)
    if legacy:
        return legacy
    return _charset_normalizer(name, data)


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE, whose BOM is its prefix
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def _mostly_utf8(data: bytes) -> tuple[str, str, list[str]] | None:
    """UTF-8 with a few broken bytes (a file cut mid-character, a bad copy): keep it, mark the damage."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count("\ufffd".encode())
    valid_non_ascii = len(text) - len(text.encode("ascii", "ignore")) - bad
    if bad <= 0 or valid_non_ascii < _UTF8_VALID_PER_BAD * bad:
        return None
    warning = f"{bad} invalid UTF-8 byte sequence(s) replaced by U+FFFD: the file may be damaged"
    return text, "utf-8", [warning]


def _strict(name: str, data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        reason = f"invalid {encoding} after its byte order mark at byte {error.start}"
        raise IngestError(name, reason) from None


def _sniff_utf16(data: bytes) -> str | None:
    """UTF-16 without BOM: ASCII characters leave a NUL in every other byte, on one side only."""
    head = data[: _SNIFF_BYTES - _SNIFF_BYTES % 2]
    if len(head) < 2 or len(data) % 2 or b"\x00" not in head:  # no NUL (one memchr): no ASCII in UTF-16
        return None
    pairs = len(head) // 2
    nul_even = head[0::2].count(0)
    nul_odd = head[1::2].count(0)
    if nul_odd >= pairs * 0.3 and nul_even <= pairs * 0.02:
        return "utf-16-le"
    if nul_even >= pairs * 0.3 and nul_odd <= pairs * 0.02:
        return "utf-16-be"
    return None


_TEXT_CONTROLS = b"\t\n\r\f\v\x1a"  # \x1a: the DOS end-of-file mark some editors leave
# Every byte that is not a stray control character: deleting them leaves only the suspicious ones.
_NOT_CONTROL = bytes(b for b in range(256) if not ((b < 0x20 and b not in _TEXT_CONTROLS) or b == 0x7F))


def _mostly_control(head: bytes) -> bool:
    return len(head.translate(None, _NOT_CONTROL)) > len(head) * 0.1


def _binary_reason(head: bytes) -> str:
    for magic, kind in _MAGIC.items():
        if head.startswith(magic):
            return f"{BINARY}: it is {kind}, named .txt; rename it with the right extension"
    return BINARY


def _legacy_bytes(data: bytes) -> tuple[str, str, list[str]] | None:
    # TCVN3 and VNI files are single-byte: read them byte for byte, convert later with the other formats.
    text = data.decode("latin-1")
    if legacy_fonts.detect(text) is None:
        return None
    return text, "latin-1", []


def _try_cp1258(data: bytes) -> str | None:
    """Windows-1258, if every byte is defined there and the non-ASCII letters are Vietnamese ones."""
    try:
        text = data.decode("cp1258")
    except UnicodeDecodeError:
        return None
    return text if looks_vietnamese(text) else None


_VIETNAMESE_LETTERS = frozenset(
    "àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ"
    "ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬĐÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ"
)
_ONLY_VIETNAMESE = re.compile("[ăĂđĐơƠưƯĩĨũŨỹỸ\u1ea0-\u1ef9]")


def looks_vietnamese(text: str) -> bool:
    """Non-ASCII letters are (almost) all Vietnamese, and some exist in no other Latin language."""
    sample = unicodedata.normalize("NFC", text[:_SNIFF_BYTES])
    foreign = [c for c in sample if not c.isascii() and (c.isalpha() or unicodedata.combining(c))]
    if not foreign:
        return False
    vietnamese = sum(1 for c in foreign if c in _VIETNAMESE_LETTERS)
    return vietnamese / len(foreign) >= _MIN_VIETNAMESE_SHARE and bool(_ONLY_VIETNAMESE.search(sample))


def _charset_normalizer(name: str, data: bytes) -> tuple[str, str, list[str]]:
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data))
    if not matches:
        raise IngestError(name, CANNOT_DECODE)
    best = min(matches, key=lambda m: m.chaos)
    # Near-ties are common on short Western text; Windows' own Western code page is the likeliest then.
    western = next((m for m in matches if m.encoding == "cp1252" and m.chaos <= best.chaos + 0.05), None)
    chosen = western or best
    warning = f"encoding guessed as {chosen.encoding}: check the text reads correctly"
    return str(chosen), chosen.encoding, [warning]


# --- .docx --------------------------------------------------------------------------------------------


def _read_docx(name: str, data: bytes) -> SourceDocument:
    _check_zip(name, data, ".docx")
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as error:  # missing parts, broken XML, another Office format renamed .docx
        reason = f"not a Word .docx document ({_one_line(error)}): re-save it from Word"
        raise IngestError(name, reason) from None
    reader = _DocxReader(document)
    lines = list(reader.blocks(document.element.body))
    warnings = [] if any(line.strip() for line in lines) else ["no text in the document body"]
    if reader.legacy_typefaces:
        faces = ", ".join(sorted(reader.legacy_typefaces))
        warnings.append(f"text in legacy Vietnamese fonts ({faces}) converted to Unicode")
    return SourceDocument(path=name, text="\n".join(lines), format="docx", warnings=warnings)


def _check_zip(name: str, data: bytes, suffix: str) -> None:
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise IngestError(
            name,
            f"this {suffix} is really a Word 97-2003 file or is password-protected: "
            "remove the password and save it as .docx or .pdf",
        )
    if not data.startswith(b"PK"):
        raise IngestError(name, f"not a {suffix} file (no ZIP signature): is it truncated or misnamed?")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            expanded = sum(info.file_size for info in archive.infolist())
            if expanded > _MAX_DOCX_EXPANDED:
                reason = f"{suffix} expands to {expanded // 2**20} MB: refusing a likely zip bomb"
                raise IngestError(name, reason)
            bad = archive.testzip()
    except (zipfile.BadZipFile, EOFError, ValueError, NotImplementedError) as error:
        raise IngestError(name, f"corrupt or truncated {suffix} ({_one_line(error)}): re-save it") from None
    if bad is not None:
        raise IngestError(name, f"corrupt {suffix}: part {bad} fails its checksum; re-save it")


# Runs of a paragraph as Word shows it with tracked changes accepted: insertions in, deletions (w:del) out.
_PARAGRAPH_RUNS = (
    "w:r | w:hyperlink/w:r | w:ins/w:r | w:ins/w:hyperlink/w:r | w:smartTag/w:r | w:fldSimple/w:r"
    " | w:sdt/w:sdtContent/w:r"
)


@functools.cache
def _xpath(expression: str):  # an lxml XPath, compiled once: paragraphs are many
    from docx.oxml.ns import nsmap
    from lxml import etree

    return etree.XPath(expression, namespaces={"w": nsmap["w"]})


class _DocxReader:
    """Body text of a python-docx Document; runs set in legacy typefaces (".VnTime") are converted."""

    def __init__(self, document) -> None:  # a python-docx Document
        self.document = document
        self.style_typefaces = _style_typefaces(document)
        self.default_typeface = self.style_typefaces.get(None)
        self.legacy_typefaces: set[str] = set()

    def blocks(self, container) -> Iterator[str]:  # a body, cell or content-control element
        """Lines in document order: paragraphs, and tables cell by cell; content controls are looked into."""
        from docx.table import Table

        for child in container.iterchildren():
            tag = child.tag.rsplit("}", 1)[-1]
            if tag == "p":
                yield self.paragraph(child)
            elif tag == "tbl":
                yield from self.table(Table(child, self.document))
            elif tag == "sdt":
                for content in child.iterchildren():
                    if content.tag.endswith("}sdtContent"):
                        yield from self.blocks(content)

    def table(self, table) -> Iterator[str]:  # a python-docx Table
        for row in table.rows:
            seen: set[int] = set()
            for cell in row.cells:
                if id(cell._tc) in seen:  # a merged cell is repeated once per grid column it spans
                    continue
                seen.add(id(cell._tc))
                yield "\n".join(self.blocks(cell._tc))

    def paragraph(self, p) -> str:  # a w:p element
        style = _xpath("string(w:pPr/w:pStyle/@w:val)")(p) or None
        paragraph_face = self.style_typefaces.get(style) or self.default_typeface
        parts = []
        for run in _xpath(_PARAGRAPH_RUNS)(p):
            text = _run_text(run)
            face = self.run_typeface(run) or paragraph_face
            if text and legacy_fonts.font_of_typeface(face):
                self.legacy_typefaces.add(face)
                text = legacy_fonts.convert_run(text, face)
            parts.append(text)
        return "".join(parts)

    def run_typeface(self, run) -> str | None:  # a w:r element
        direct = _xpath("string(w:rPr/w:rFonts/@w:ascii)")(run)
        if direct:
            return direct
        style = _xpath("string(w:rPr/w:rStyle/@w:val)")(run)
        return self.style_typefaces.get(style) if style else None


# What each piece of a run stands for in text (w:t holds its own text); breaks of any kind end a line.
_RUN_PIECES = {"tab": "\t", "ptab": "\t", "br": "\n", "cr": "\n", "noBreakHyphen": "-"}


def _run_text(run) -> str:  # a w:r element
    pieces = _xpath("w:t | w:tab | w:ptab | w:br | w:cr | w:noBreakHyphen")(run)
    return "".join(
        (piece.text or "") if piece.tag.endswith("}t") else _RUN_PIECES[piece.tag.rsplit("}", 1)[-1]]
        for piece in pieces
    )


def _style_typefaces(document) -> dict[str | None, str | None]:
    """Style id -> its typeface, inherited through base styles; None -> the document's default typeface."""
    from docx.enum.style import WD_STYLE_TYPE

    faces: dict[str | None, str | None] = {}
    for style in document.styles:
        face, current = None, style
        while current is not None and face is None:
            face = getattr(getattr(current, "font", None), "name", None)
            current = getattr(current, "base_style", None)  # numbering styles have none
        faces[style.style_id] = face
    normal = document.styles.default(WD_STYLE_TYPE.PARAGRAPH)
    defaults = _xpath("string(w:docDefaults/w:rPrDefault/w:rPr/w:rFonts/@w:ascii)")(document.styles.element)
    faces[None] = (faces.get(normal.style_id) if normal is not None else None) or defaults or None
    return faces


# --- .pdf ---------------------------------------------------------------------------------------------


def _read_pdf(name: str, data: bytes) -> SourceDocument:
    if b"%PDF-" not in data[:1024]:
        raise IngestError(name, "not a PDF file (no %PDF header): is it truncated or misnamed?")
    try:
        pages = _pdfium_pages(data)
    except _PdfiumPasswordError:
        raise IngestError(name, PASSWORD_PDF) from None
    except Exception:  # pdfium refuses some damaged files that pdfminer's lenient parser still reads
        try:
            pages = _pdfplumber_pages(data)
        except Exception as error:
            raise IngestError(name, _pdf_failure(error)) from None
    return SourceDocument(path=name, text="\n".join(pages), format="pdf", warnings=_pdf_warnings(name, pages))


class _PdfiumPasswordError(Exception):
    pass


_PDFIUM_LOCK = threading.Lock()  # pdfium is not thread-safe


def _pdfium_pages(data: bytes) -> list[str]:
    """Page texts by pdfium (shipped with pdfplumber as pypdfium2): about 50x faster than pdfminer."""
    import pypdfium2

    with _PDFIUM_LOCK:
        try:
            pdf = pypdfium2.PdfDocument(data)
        except pypdfium2.PdfiumError as error:
            if "password" in str(error).lower():
                raise _PdfiumPasswordError from None
            raise
        try:
            return [_pdfium_page_text(page) for page in pdf]
        finally:
            pdf.close()


def _pdfium_page_text(page) -> str:  # a pypdfium2 PdfPage
    textpage = page.get_textpage()
    try:
        text = textpage.get_text_range()
    finally:
        textpage.close()
        page.close()
    # pdfium ends lines with CRLF and writes a hyphen that breaks a word at a line end as U+0002
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\x02", "-")


def _pdfplumber_pages(data: bytes) -> list[str]:
    import pdfplumber

    # pdfminer logs every damaged object it skips; the outcome reaches the user as an error or warning
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [_page_text(page) for page in pdf.pages]


def _page_text(page) -> str:  # a pdfplumber Page
    text = page.extract_text() or ""
    page.close()  # frees the page's parsed objects: long PDFs stay small in memory
    return text


def _pdf_failure(error: Exception) -> str:
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    if type(error).__name__ == "PdfminerException" and error.args and isinstance(error.args[0], Exception):
        error = error.args[0]  # pdfplumber wraps pdfminer's own error
    if isinstance(error, PDFPasswordIncorrect):
        return PASSWORD_PDF
    if isinstance(error, PDFEncryptionError):
        return f"PDF is encrypted in a way kg cannot read ({_one_line(error)}): save an unencrypted copy"
    return f"corrupt or truncated PDF ({_one_line(error)}): re-save or re-export it"


def _pdf_warnings(name: str, pages: list[str]) -> list[str]:
    empty = [str(n) for n, text in enumerate(pages, 1) if not text.strip()]
    if not pages or len(empty) == len(pages):
        raise IngestError(name, NO_TEXT_LAYER)
    if _garbled("".join(pages)):
        raise IngestError(name, GARBLED_PDF)
    warnings = []
    if empty:
        warnings.append(f"pages without a text layer (scanned?): {', '.join(empty)}; run OCR on them")
    if any("(cid:" in text or "\ufffd" in text for text in pages):
        warnings.append("some glyphs have no Unicode mapping: parts of the text are missing; OCR may help")
    return warnings


def _garbled(text: str) -> bool:
    """Mostly control characters: a font whose Unicode map is damaged or deliberately scrambled."""
    visible = [c for c in text if not c.isspace()]
    controls = sum(1 for c in visible if unicodedata.category(c) == "Cc")
    return bool(visible) and controls > len(visible) * 0.1


# --- shared -------------------------------------------------------------------------------------------


_READERS = {".txt": _read_txt, ".docx": _read_docx, ".pdf": _read_pdf}


def _convert_legacy_font(document: SourceDocument) -> SourceDocument:
    font = legacy_fonts.detect(document.text)
    if font is None:
        return document
    document.text = legacy_fonts.to_unicode(document.text, font)
    document.warnings.append(f"text was typed in the legacy {font.label} encoding: converted to Unicode")
    if document.encoding:
        document.encoding = f"{document.encoding}+{font.name}"
    return document


def _one_line(error: BaseException) -> str:
    text = " ".join(str(error).split()) or type(error).__name__
    return text if len(text) <= 120 else text[:117] + "..."
