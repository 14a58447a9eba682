"""kg.spacy_component: the `legal_citations` pipe on a blank Vietnamese pipeline (no pyvi)."""

from __future__ import annotations

import subprocess
import sys
import unicodedata

import pytest
import spacy

from kg.extract import extract
from kg.spacy_component import blank_vietnamese

TEXT = (
    "Thực hiện Chỉ thị số 33/CT-TTg ngày 26/11/2021 của Thủ tướng Chính phủ về việc tiếp tục tăng cường; "
    "Nghị quyết số 18-\nNQ/TW ngày 25/10/2017 của Ban Chấp hành Trung ương khóa XII và Luật Thực hiện "
    "dân chủ ở cơ sở năm 2022; Quyết định số 217, 218-QĐ/TW ngày 12/12/2013 của Bộ Chính trị."
)


@pytest.fixture(scope="module")
def nlp():
    pipeline = blank_vietnamese()
    pipeline.add_pipe("legal_citations")
    return pipeline


def test_spans_carry_the_citations_in_order(nlp) -> None:
    doc = nlp(TEXT)
    spans = list(doc.spans["citations"])
    expected = extract(TEXT)
    assert [s._.citation["id"] or s._.citation["name"] for s in spans] == [c.id or c.name for c in expected]
    first = spans[0]
    assert first._.cite_type == "Chỉ thị" and first._.cite_date == "2021-11-26"
    assert first._.cite_issuer == "Thủ tướng Chính phủ" and first.label_ == "numbered"
    for span, c in zip(spans, expected, strict=True):
        assert span.start_char <= c.start and span.end_char >= c.end  # "expand" alignment


def test_decomposed_text_gives_the_same_spans(nlp) -> None:
    nfd_doc, nfc_doc = nlp(unicodedata.normalize("NFD", TEXT)), nlp(TEXT)
    got = [(s._.cite_id, s._.cite_date) for s in nfd_doc.spans["citations"]]
    assert got and got == [(s._.cite_id, s._.cite_date) for s in nfc_doc.spans["citations"]]


def test_a_custom_spans_key(nlp) -> None:
    other = blank_vietnamese()
    other.add_pipe("legal_citations", config={"spans_key": "refs"})
    assert len(other(TEXT).spans["refs"]) == len(extract(TEXT))


def test_plain_spacy_blank_with_rule_tokenizer_works() -> None:
    pipeline = spacy.blank("vi", config={"nlp": {"tokenizer": {"@tokenizers": "spacy.Tokenizer.v1"}}})
    pipeline.add_pipe("legal_citations")
    doc = pipeline("Chỉ thị số 33/CT-TTg")
    assert doc.spans["citations"][0]._.cite_symbol == "CT-TTg"


def test_factory_is_found_through_the_entry_point_without_importing_the_module() -> None:
    code = (
        "import spacy; tokenizer = {'@tokenizers': 'spacy.Tokenizer.v1'};"
        "nlp = spacy.blank('vi', config={'nlp': {'tokenizer': tokenizer}}); nlp.add_pipe('legal_citations');"
        "print(len(nlp('Kết luận số 120 -KL/TW').spans['citations']))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "1"


def test_doc_with_citations_survives_docbin(nlp) -> None:
    from spacy.tokens import DocBin

    doc = nlp(TEXT)
    restored = list(DocBin(docs=[doc], store_user_data=True).get_docs(nlp.vocab))[0]
    assert [s._.cite_id for s in restored.spans["citations"]] == [s._.cite_id for s in doc.spans["citations"]]
