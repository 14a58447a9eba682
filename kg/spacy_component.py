"""spaCy pipeline component `legal_citations`: kg's citation extractor inside a spaCy pipeline.

    from kg.spacy_component import blank_vietnamese
    nlp = blank_vietnamese()            # spacy.blank("vi") without the pyvi dependency
    nlp.add_pipe("legal_citations")
    doc = nlp(text)
    for span in doc.spans["citations"]:
        span._.citation["id"], span._.cite_type, span._.cite_date

The component runs `kg.extract.extract` on `doc.text` and maps character offsets to tokens with
`doc.char_span(..., alignment_mode="expand")`. `span._.citation` holds the citation's fields as a plain
dict (msgpack-serialisable, so docs still go through DocBin); `span._.cite_<field>` reads one field.
The factory is registered on import and through the `spacy_factories` entry point, so
`nlp.add_pipe("legal_citations")` works without importing this module first once kg is installed.
"""

from __future__ import annotations

from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from kg.extract import extract

SPANS_KEY = "citations"
FIELDS = ("kind", "type", "number", "year", "symbol", "date", "issuer", "name", "pinpoint", "id", "law_id",
          "system", "type_code", "issuer_code", "subject", "repeat")


def _field_getter(field: str):
    def get(span: Span) -> Any:
        data = span._.citation
        return data.get(field) if data else None

    return get


def _register_extensions() -> None:
    if not Span.has_extension("citation"):
        Span.set_extension("citation", default=None)
    for field in FIELDS:
        if not Span.has_extension(f"cite_{field}"):
            Span.set_extension(f"cite_{field}", getter=_field_getter(field))


class LegalCitations:
    """Puts every citation of the text in `doc.spans[spans_key]`, in text order."""

    def __init__(self, spans_key: str = SPANS_KEY):
        self.spans_key = spans_key
        _register_extensions()

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        for citation in extract(doc.text):
            span = doc.char_span(citation.start, citation.end, label=citation.kind, alignment_mode="expand")
            if span is None:
                continue
            span._.citation = citation.to_dict()
            spans.append(span)
        doc.spans[self.spans_key] = spans
        return doc


@Language.factory("legal_citations", default_config={"spans_key": SPANS_KEY})
def make_legal_citations(nlp: Language, name: str, spans_key: str) -> LegalCitations:
    return LegalCitations(spans_key=spans_key)


def blank_vietnamese() -> Language:
    """A blank Vietnamese pipeline that does not need pyvi: spaCy's rule-based tokenizer with the
    Vietnamese punctuation rules (`spacy.blank("vi")` alone asks for pyvi)."""
    import spacy

    return spacy.blank("vi", config={"nlp": {"tokenizer": {"@tokenizers": "spacy.Tokenizer.v1"}}})
