"""The data that flows between pipeline stages. Plain dataclasses, no behaviour beyond conversion."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


class IngestError(Exception):
    """A file that cannot be read as a document. The message is one line that says what to do."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason

    def __reduce__(self) -> tuple[type, tuple[str, str]]:
        # Exceptions unpickle as cls(*args), and args holds only the message: a build's worker
        # processes return IngestErrors, so they must round-trip as (path, reason).
        return (type(self), (self.path, self.reason))


@dataclass(slots=True)
class SourceDocument:
    """A decoded input file. `text` is what every offset refers to."""

    path: str
    text: str
    format: str  # "txt" | "docx" | "pdf"
    encoding: str | None = None  # for .txt: the encoding it was decoded from
    sha256: str = ""  # of the raw bytes: unchanged files are skipped by the build
    warnings: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Citation:
    """One mention of another document in a text.

    Offsets index the text given to the extractor (the decoded original, not its NFC form).
    Field names and meanings are the `kg extract --format jsonl` contract.
    """

    start: int
    end: int
    text: str
    kind: str  # "numbered" | "named"
    type: str | None = None  # canonical Vietnamese type name ("Chỉ thị"), or None
    number: str | None = None  # "33", "05", "30c", "66.4"
    year: int | None = None  # the year inside the symbol (59/2023/NĐ-CP -> 2023), else None
    symbol: str | None = None  # what follows number and year, spaces removed ("CT-TTg", "NQ/TW")
    date: str | None = None  # ISO issue date as cited
    issuer: str | None = None  # the issuer phrase as written ("Thủ tướng Chính phủ")
    name: str | None = None  # named references: "Luật Thực hiện dân chủ ở cơ sở"
    pinpoint: str | None = None  # "khoản 3 Điều 63"
    # Derived fields, useful downstream and not part of the minimal contract.
    id: str | None = None  # number and symbol as cited: "33/CT-TTg", "59/2023/NĐ-CP", "120-KL/TW"
    system: str | None = None  # "state" | "party" | "front"
    type_code: str | None = None  # the type's symbol ("CT", "NQ", "QĐi"), from ontology/doc_types
    issuer_code: str | None = None  # the issuer part of the symbol ("TTg", "TW", "UBND-BDVTU")
    law_id: str | None = None  # named reference resolved to a number ("10/2022/QH15") where known
    subject: str | None = None  # the trích yếu that follows ("về việc triển khai …"), if any
    repeat: bool = False  # the same document was already cited earlier in this text

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class DocumentMetadata:
    """What a document's own text says about itself (DOMAIN.md §10). Every field may be missing."""

    issuer: str | None = None
    parent_issuer: str | None = None
    number: str | None = None  # "123" or None for a blank draft number
    symbol: str | None = None  # "KH-UBND"
    id: str | None = None  # "123/KH-UBND", or "/KH-UBND" when the number is blank
    type: str | None = None
    place: str | None = None
    date: str | None = None  # ISO, or a partial "2025" / "2025-11" when day or month is blank
    title: str | None = None
    signer: str | None = None
    signer_role: str | None = None
    recipients: list[str] = field(default_factory=list)
    province: str | None = None
    district: str | None = None
    commune: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
