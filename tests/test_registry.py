"""The curated registry: its files, their schema, lookups that respect identity, and its RDF form."""

from __future__ import annotations

import csv
import json
import shutil
from datetime import date

import pytest

from kg import vocab
from kg.data import ontology_file
from kg.registry import (
    ValidityFact,
    identity_key,
    load_registry,
    parse_id,
    registry_document_iri,
    registry_ntriples,
)


@pytest.fixture(scope="module")
def registry():
    return load_registry()


def _rows(name: str) -> list[dict[str, str]]:
    with ontology_file("registry", name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize("name,definition", [("validity.csv", "validity"), ("in_force.csv", "in_force")])
def test_every_row_validates_against_the_registry_schema(name, definition):
    import jsonschema

    schema = json.loads(ontology_file("schema", "registry.schema.json").read_text(encoding="utf-8"))
    row_schema = {"$ref": f"#/definitions/{definition}", "definitions": schema["definitions"]}
    rows = _rows(name)
    assert rows
    for row in rows:
        jsonschema.validate(row, row_schema)


def test_registry_files_keep_every_shared_fact(shared):
    # The registry starts from the curated facts and adds sourced rows after them.
    for name in ("validity.csv", "in_force.csv"):
        ours = ontology_file("registry", name).read_text(encoding="utf-8").splitlines()
        curated = (shared / "facts" / name).read_text(encoding="utf-8").splitlines()
        assert ours[: len(curated)] == curated


def test_each_fact_keeps_source_confidence_and_line(registry):
    [fact] = registry.facts_about("159/2016/NĐ-CP")
    assert fact.relation == "repealed_by" and fact.status == "repealed"
    assert fact.other == "59/2023/NĐ-CP"
    assert fact.confidence == "high"
    assert "Điều 28" in fact.source
    assert fact.effective_date.isoformat() == "2023-08-08"
    lines = ontology_file("registry", "validity.csv").read_text(encoding="utf-8").splitlines()
    assert lines[fact.line - 1].startswith("159/2016/NĐ-CP,")


def test_continuation_is_not_a_status_change(registry):
    [fact] = registry.facts_about("05-CT/TW")
    assert fact.relation == "continued_by" and fact.status is None


def test_lookup_ignores_case_spaces_and_leading_zeros(registry):
    assert registry.facts_about("3-CT/TW") == registry.facts_about("03-CT/TW") != []
    assert registry.facts_about("16/ct-ttg") == registry.facts_about("16/CT-TTg") != []
    assert identity_key("60 /2013/NĐ-CP") == identity_key("60/2013/nđ-cp")
    assert registry.in_force_entry("Hiến pháp năm 2013") is not None  # named as written
    # a type code glued to its issuer code (real 1609/QĐ-TTPVHCC "214/2025/NĐCP") is the same document
    assert registry.facts_about("60/2013/NĐCP") == registry.facts_about("60/2013/NĐ-CP") != []
    assert identity_key("25/2023/TTBKHĐT") == identity_key("25/2023/TT-BKHĐT")


def test_the_year_keeps_documents_with_one_number_apart(registry):
    # 16/CT-TTg of 2016 (dân vận) is not 16/CT-TTg of 2020 (COVID-19).
    assert registry.facts_about("16/CT-TTg", 2016)
    assert registry.facts_about("16/CT-TTg", 2020) == []
    assert registry.in_force_entry("33/CT-TTg", 2021) is not None
    assert registry.in_force_entry("33/CT-TTg", 2005) is None


def test_known_variant_maps_to_the_official_form(registry):
    assert registry.official_form("11-QĐ/TW") == "11-QĐi/TW"
    assert registry.official_form("11-QĐi/TW") is None


def test_known_date_from_either_file(registry):
    assert registry.known_date("30-CT/TW")[0] == "1998-02-18"
    assert registry.known_date("60/2013/NĐ-CP")[0] == "2013-06-19"
    assert registry.known_date("145/2020/NĐ-CP")[0] == "2020-12-14"  # known only as the "other" of a fact


def test_bad_confidence_is_rejected(tmp_path):
    shutil.copy(ontology_file("registry", "in_force.csv"), tmp_path / "in_force.csv")
    text = ontology_file("registry", "validity.csv").read_text(encoding="utf-8")
    (tmp_path / "validity.csv").write_text(text.replace(",high,", ",certain,", 1), encoding="utf-8")
    with pytest.raises(ValueError, match="confidence"):
        load_registry(tmp_path)


@pytest.mark.parametrize(
    "effective,other_date,other,expected",
    [
        ("2025-07-01", "2025-06-30", "172/2025/NĐ-CP", date(2025, 7, 1)),
        ("", "2025-06-30", "172/2025/NĐ-CP", date(2025, 6, 30)),  # from the acting document's date
        ("", "", "95/2025/NĐ-CP", date(2025, 1, 1)),  # no earlier than its number's year: not at every date
        ("", "", "12-KL/TW", None),  # a Party number has no year
    ],
)
def test_a_fact_takes_effect_no_earlier_than_the_act_that_makes_it(effective, other_date, other, expected):
    fact = ValidityFact("44/2022/NĐ-CP", "Nghị định", None, None, "amended_by", other, other_date or None,
                        effective or None, "medium", "test", 2)
    assert fact.effective_date == expected


@pytest.mark.parametrize(
    "ident,expected",
    [
        ("59/2023/NĐ-CP", ("59", 2023, "NĐ-CP", "NĐ", "normative")),
        ("120-KL/TW", ("120", None, "KL/TW", "KL", "party")),
        ("33/CT-TTg", ("33", None, "CT-TTg", "CT", "state")),
        ("10/2022/QH15", ("10", 2022, "QH15", None, "normative")),
        ("Hiến pháp 2013", (None, None, None, None, "named")),
    ],
)
def test_parse_id(ident, expected):
    parts = parse_id(ident)
    assert (parts["number"], parts["year"], parts["symbol"], parts["type_code"], parts["form"]) == expected


@pytest.fixture(scope="module")
def registry_graph():
    import rdflib

    graph = rdflib.Graph()
    graph.parse(data=registry_ntriples(), format="nt")
    return graph


def test_registry_ntriples_has_one_validity_fact_node_per_fact(registry, registry_graph):
    import rdflib

    facts = set(registry_graph.subjects(rdflib.RDF.type, rdflib.URIRef(vocab.VALIDITY_FACT)))
    assert len(facts) == len(registry.facts) + len(registry.in_force)
    for node in facts:
        assert registry_graph.value(node, rdflib.URIRef(vocab.CONFIDENCE)) is not None
        assert registry_graph.value(node, rdflib.URIRef(vocab.FACT_SOURCE)) is not None
        assert registry_graph.value(node, rdflib.URIRef(vocab.FACT_SUBJECT)) is not None


def test_registry_ntriples_asserts_direct_relations_with_the_graph_iris(registry_graph):
    import rdflib

    old = rdflib.URIRef(registry_document_iri("03-CT/TW", "2011-05-14"))
    new = rdflib.URIRef(registry_document_iri("05-CT/TW", "2016-05-15"))
    assert (new, rdflib.URIRef(vocab.REPLACES), old) in registry_graph
    amended = rdflib.URIRef(registry_document_iri("20/2021/NĐ-CP", "2021-03-15"))
    amending = rdflib.URIRef(registry_document_iri("76/2024/NĐ-CP", "2024-07-01"))
    assert (amending, rdflib.URIRef(vocab.AMENDS), amended) in registry_graph
    assert (old, rdflib.URIRef(vocab.IN_FORCE), rdflib.Literal("InForce-notInForce")) in registry_graph
    kept = rdflib.URIRef(registry_document_iri("33/CT-TTg", "2021-11-26"))
    assert (kept, rdflib.URIRef(vocab.IN_FORCE), rdflib.Literal("InForce-inForce")) in registry_graph
    assert (kept, rdflib.RDF.type, rdflib.URIRef(vocab.LEGAL_RESOURCE)) in registry_graph
    assert str(registry_graph.value(kept, rdflib.URIRef(vocab.ID_LOCAL))) == "33/CT-TTg"
    # a continuation is stated as such, never as a replacement
    continued = rdflib.URIRef(registry_document_iri("01-KL/TW", "2021-05-18"))
    assert (continued, rdflib.URIRef(vocab.CONTINUES), new) in registry_graph
    assert (continued, rdflib.URIRef(vocab.REPLACES), new) not in registry_graph


def test_registry_iris_are_the_resolver_iris():
    from kg.resolve import document_iri

    assert registry_document_iri("33/CT-TTg", "2021-11-26") == document_iri("CT", "33", "CT-TTg", 2021)
    assert registry_document_iri("59/2023/NĐ-CP", None) == document_iri("NĐ", "59", "NĐ-CP", 2023)
    assert registry_document_iri("11-QĐi/TW", "2019-02-18") == document_iri("QĐ", "11", "QĐ/TW", 2019)


def test_registry_documents_have_their_type_and_issuer(registry_graph):
    import rdflib

    from kg.resolve import issuer_iri, type_iri

    def value(iri, prop):
        return set(registry_graph.objects(rdflib.URIRef(iri), rdflib.URIRef(prop)))

    kept = registry_document_iri("33/CT-TTg", "2021-11-26")
    assert value(kept, vocab.TYPE_DOCUMENT) == {rdflib.URIRef(type_iri("CT"))}
    assert value(kept, vocab.PASSED_BY) == {rdflib.URIRef(issuer_iri("TTg"))}
    assert (rdflib.URIRef(issuer_iri("TTg")), rdflib.RDF.type, rdflib.URIRef(vocab.ISSUER)) in registry_graph
    law = registry_document_iri("03/2011/QH13", None)  # National Assembly numbering: type from the type word
    assert value(law, vocab.PASSED_BY) == {rdflib.URIRef(issuer_iri("QH"))}
    assert len(value(law, vocab.TYPE_DOCUMENT)) == 1
    constitution = registry_document_iri("Hiến pháp 2013", "2013-11-28")
    assert len(value(constitution, vocab.TYPE_DOCUMENT)) == 1
    assert value(constitution, vocab.PASSED_BY) == {rdflib.URIRef(issuer_iri("QH"))}


def test_registry_iris_of_names_and_local_documents_are_the_graph_iris():
    from kg.resolve import document_iri, named_document_iri

    # a named reference: one normalisation for registry and corpus ("năm" dropped)
    assert registry_document_iri("Hiến pháp 2013", "2013-11-28") == named_document_iri("Hiến pháp năm 2013")
    # a law named by its name is the numbered law, as a corpus mention of it is
    named_law = registry_document_iri("Luật Thực hiện dân chủ ở cơ sở", "2022-11-10")
    assert named_law == registry_document_iri("10/2022/QH15", "2022-11-10")
    # a local document takes its scope from its issuer, as a corpus mention does
    local = registry_document_iri("64/KH-UBND", "2025-01-02", "Ủy ban nhân dân tỉnh Bình Định")
    assert local == document_iri("KH", "64", "KH-UBND", 2025, "binh-dinh")


def test_known_years_by_identity_key():
    from kg.registry import known_years
    from kg.resolve import identity_key

    years = known_years()
    assert years[identity_key("CT", "3", "CT/TW")] == {2011}
    assert years[identity_key("QĐ", "11", "QĐi/TW")] == {2019}  # the Party QĐi form is the QĐ document


def test_a_local_registry_document_is_described_with_its_place(tmp_path):
    import rdflib

    from kg.registry import load_registry
    from kg.resolve import place_iri

    (tmp_path / "validity.csv").write_text(
        "document,type,date,title,relation,other_document,other_date,effective,confidence,source\n",
        encoding="utf-8")
    (tmp_path / "in_force.csv").write_text(
        "document,type,date,issuer,title,note,confidence\n"
        "64/KH-UBND,Kế hoạch,2025-01-02,Ủy ban nhân dân tỉnh Bình Định,dân vận,,high\n", encoding="utf-8")
    graph = rdflib.Graph().parse(data=registry_ntriples(load_registry(tmp_path)), format="nt")
    issuer = "Ủy ban nhân dân tỉnh Bình Định"
    document = rdflib.URIRef(registry_document_iri("64/KH-UBND", "2025-01-02", issuer))
    place = rdflib.URIRef(place_iri("binh-dinh"))
    assert (document, rdflib.URIRef(vocab.JURISDICTION), place) in graph
    assert (place, rdflib.RDF.type, rdflib.URIRef(vocab.PLACE)) in graph
    assert str(graph.value(document, rdflib.URIRef(vocab.LEVEL))) == "province"
