"""The corpus graph: relations against the gold, identity across files, provenance, ontology, SHACL."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from kg import vocab
from kg.data import ontology_file
from kg.graph import (
    FileAnalysis,
    Mention,
    file_ntriples,
    node_graph_iri,
    node_graphs,
    relate_mentions,
    resolve_corpus,
    sections,
)
from kg.models import Citation, DocumentMetadata
from kg.store import EmbeddedStore, build

FILE_GRAPHS = vocab.GRAPH + "file/"
NODE_GRAPHS = vocab.GRAPH + "node/"  # each document's (issuer's, place's, type's) one description
IN_NODE_GRAPHS = "FILTER(STRSTARTS(STR(?g), STR(?nodes)))"  # with the binding nodes=NODE_GRAPHS


@pytest.fixture(scope="module")
def store(tmp_path_factory, corpus):
    location = tmp_path_factory.mktemp("graph") / "kg"
    report = build([str(corpus)], store=location, jobs=1)
    assert report.ok and len(report.written) == 5
    opened = EmbeddedStore(location, read_only=True)
    opened.report = report
    yield opened
    opened.close()


def _ids(store, iri):
    """id_local and variants of a document."""
    rows = store.select(
        "SELECT ?v WHERE { { ?d eli:id_local ?v } UNION { ?d kg:variant ?v } UNION "
        "{ ?c kg:citedDocument ?d ; kg:text ?v } }",
        {"d": iri},
    )
    return {row["v"] for row in rows}


def _citing_document(store, file_name):
    rows = store.select(
        "SELECT ?d WHERE { ?d kg:sourceFile ?f . ?d a eli:LegalResource . ?f kg:path ?p "
        "FILTER(STRENDS(?p, ?name)) }",
        {"name": file_name},
    )
    assert len(rows) == 1, rows
    return rows[0]["d"]


def _by_id(store, document_id):
    """Documents of the corpus graphs (not the curated registry) with this id_local."""
    rows = store.select(
        f"SELECT DISTINCT ?d WHERE {{ GRAPH ?g {{ ?d eli:id_local ?id }} {IN_NODE_GRAPHS} }}",
        {"id": document_id, "nodes": NODE_GRAPHS},
    )
    return sorted(row["d"] for row in rows)


# ---------------------------------------------------------------------------------------------- relations


def test_every_gold_relation_is_in_the_graph(store, shared):
    """Relations typed from cues (DOMAIN.md §8) — from the citing document and between cited documents.

    A subproperty counts for its parent (kg:continues ⊑ kg:implements: "về tiếp tục thực hiện")."""
    gold = json.loads((shared / "gold" / "seed_relations.json").read_text(encoding="utf-8"))
    missing = []
    for expected in gold:
        relation = vocab.RELATIONS[expected["relation"]]
        rows = store.select(
            "SELECT ?s ?o WHERE { ?p rdfs:subPropertyOf* ?relation . ?s ?p ?o . ?o a eli:LegalResource }",
            {"relation": relation},
        )
        if expected["source"] == "<this document>":
            sources = {_citing_document(store, expected["file"])}
        else:
            sources = {row["s"] for row in rows if expected["source"] in _ids(store, row["s"])}
        found = [
            row
            for row in rows
            if row["s"] in sources
            and any(expected["target"].lower() in value.lower() for value in _ids(store, row["o"]))
        ]
        if not found:
            missing.append(expected)
    assert missing == []


def test_typed_relations_from_the_citing_document_are_precise(store, shared):
    """Every non-"cites" relation asserted by a seed itself is one the gold lists."""
    gold = json.loads((shared / "gold" / "seed_relations.json").read_text(encoding="utf-8"))
    expected = {(g["file"], g["target"]) for g in gold if g["source"] == "<this document>"}
    rows = store.select(
        "SELECT ?path ?o ?p WHERE { ?d kg:sourceFile/kg:path ?path ; ?p ?o . ?o a eli:LegalResource "
        "FILTER(?p != eli:cites && ?p != rdf:type) }"
    )
    asserted = set()
    for row in rows:
        if row["p"] in vocab.RELATIONS.values():
            ids = _ids(store, row["o"])
            asserted.add(
                (
                    Path(row["path"]).name,
                    next(t for f, t in expected if t in ids)
                    if any(t in ids for _, t in expected)
                    else sorted(ids)[0],
                )
            )
    assert asserted == expected


def test_each_mention_carries_its_relation(store):
    rows = store.select(
        "SELECT ?rel (COUNT(?c) AS ?n) WHERE { ?c a kg:Citation ; kg:relation ?rel } GROUP BY ?rel"
    )
    counts = {row["rel"]: row["n"] for row in rows}
    assert counts[vocab.BASED_ON] == 1 and counts[vocab.IMPLEMENTS] == 5 and counts[vocab.CITES] > 80


# ---------------------------------------------------------------------------------------------- identity


def test_one_document_cited_from_several_files_is_one_node(store):
    nodes = _by_id(store, "33/CT-TTg")
    assert nodes == [vocab.ID + "doc/vn/ct/2021/33-ct-ttg"]
    rows = store.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?d a eli:LegalResource } }", {"d": nodes[0]})
    corpus = [r["g"] for r in rows if r["g"] != vocab.REGISTRY_GRAPH]
    assert corpus == [node_graph_iri(nodes[0])]  # described once, in its own graph
    rows = store.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?c kg:citedDocument ?d } }", {"d": nodes[0]})
    assert len([r for r in rows if r["g"].startswith(FILE_GRAPHS)]) == 3  # cited by three files


def test_variants_of_one_identifier_are_one_node_that_keeps_them(store):
    iri = vocab.ID + "doc/vn/qd/2019/11-qd-tw"
    ids = store.select(
        f"SELECT DISTINCT ?id WHERE {{ GRAPH ?g {{ ?d eli:id_local ?id }} {IN_NODE_GRAPHS} }}",
        {"d": iri, "nodes": NODE_GRAPHS},
    )
    variants = store.select("SELECT ?v WHERE { ?d kg:variant ?v }", {"d": iri})
    assert {r["id"] for r in ids} | {r["v"] for r in variants} == {"11-QĐ/TW", "11-QĐi/TW"}
    assert len(ids) == 1


def test_local_documents_belong_to_the_citing_documents_place(store):
    doc = vocab.ID + "doc/"
    # Seed 002: xã Bình Phước, huyện Bình Sơn, tỉnh Quảng Ngãi — never tỉnh Bình Phước.
    assert _by_id(store, "54/KH-UBND") == [doc + "quang-ngai/binh-son/kh/2024/54-kh-ubnd"]
    assert _by_id(store, "2563/QĐ-UBND") == [doc + "quang-ngai/binh-son/qd/2024/2563-qd-ubnd"]
    assert _by_id(store, "11/NQ-HĐND") == [doc + "quang-ngai/binh-son/binh-phuoc/nq/2024/11-nq-hdnd"]
    assert _by_id(store, "1211/QĐ-UBND") == [doc + "quang-ngai/qd/2022/1211-qd-ubnd"]
    # Seed 003 (Bình Định) and seed 004 (Sở Ngoại vụ, Bình Phước).
    assert _by_id(store, "4379/QĐ-UBND") == [doc + "binh-dinh/qd/2024/4379-qd-ubnd"]
    assert _by_id(store, "44/KH-UBND") == [doc + "binh-phuoc/kh/2023/44-kh-ubnd"]
    place = store.select(
        "SELECT DISTINCT ?l ?up WHERE { ?p rdfs:label ?l ; kg:partOf ?up }",  # graph:summary states it too
        {"p": vocab.ID + "place/quang-ngai/binh-son/binh-phuoc"},
    )
    assert place == [{"l": "xã Bình Phước", "up": vocab.ID + "place/quang-ngai/binh-son"}]


def test_dateless_mentions_resolve_only_when_unambiguous(store):
    # 05-CT/TW is dateless in seed 004 but dated 15/5/2016 in seed 001: one known document.
    assert _by_id(store, "05-CT/TW") == [vocab.ID + "doc/vn/ct/2016/5-ct-tw"]
    # 03-CT/TW is dateless everywhere in the corpus, but the curated registry knows one 03-CT/TW (2011)
    # issued before the citing plan (2023): one known document (DOMAIN.md §2).
    assert _by_id(store, "03-CT/TW") == [vocab.ID + "doc/vn/ct/2011/3-ct-tw"]


def test_a_dateless_mention_the_corpus_cannot_date_takes_the_one_registry_document():
    citation = _citation(None, number="03", symbol="CT/TW")
    later = [_analysis("a.txt", [citation], DocumentMetadata(date="2020-01-02"))]
    assert resolve_corpus(later).mentions["a.txt"][0].iri == vocab.ID + "doc/vn/ct/2011/3-ct-tw"
    # cited by a document older than the registry's one: not that document, left unresolved
    earlier = [_analysis("a.txt", [citation], DocumentMetadata(date="2005-01-02"))]
    assert resolve_corpus(earlier).mentions["a.txt"][0].iri == vocab.ID + "doc/vn/ct/unknown/3-ct-tw"


def test_a_body_sentence_of_the_citing_document_amends():
    from kg.extract import extract

    text = "THÔNG TƯ\nĐiều 1. Thông tư này sửa đổi, bổ sung một số điều của Thông tư số 03/2018/TT-BNV.\n"
    mentions = relate_mentions(text, extract(text))
    assert [m.relation for m in mentions] == ["amends"]


def test_documents_bound_to_a_period_state_its_end(store):
    rows = store.select(
        "SELECT DISTINCT ?d ?end WHERE { ?d kg:periodEnd ?end ; eli:id_local ?id }", {"id": "30c/NQ-CP"}
    )
    assert [str(r["end"]) for r in rows] == ["2020"]  # "giai đoạn 2011 - 2020" in its subject
    # an annual plan of the corpus is bound to its year; a law is bound to none
    assert store.ask("ASK { ?d kg:periodEnd ?e ; eli:type_document ?t . ?t skos:notation 'KH' }")
    assert not store.ask("ASK { ?d kg:periodEnd ?e ; eli:id_local '10/2022/QH15' }")


def _analysis(path, citations, metadata=None):
    text_mentions = [Mention(c, c.text, None, "cites") for c in citations]
    return FileAnalysis(
        path=path,
        sha256="0" * 64,
        format="txt",
        metadata=metadata or DocumentMetadata(),
        mentions=text_mentions,
    )


def _citation(date=None, start=0, number="16", symbol="CT-TTg", year=None):
    return Citation(
        start=start,
        end=start + 20,
        text=f"Chỉ thị số {number}/{symbol}",
        kind="numbered",
        type="Chỉ thị",
        number=number,
        symbol=symbol,
        date=date,
        year=year,
        type_code="CT",
        id=f"{number}/{symbol}",
        issuer="Thủ tướng Chính phủ",
    )


def test_conflicting_dates_are_kept_apart_and_reported():
    analyses = [
        _analysis("a.txt", [_citation("2016-05-16")]),
        _analysis("b.txt", [_citation("2016-05-16")]),
        _analysis("c.txt", [_citation("2016-06-01")]),
    ]
    resolution = resolve_corpus(analyses)
    iris = {path: refs[0].iri for path, refs in resolution.mentions.items()}
    assert iris["a.txt"] == iris["b.txt"] == vocab.ID + "doc/vn/ct/2016/16-ct-ttg"
    assert iris["c.txt"] != iris["a.txt"]
    assert any("16/CT-TTg" in w and "2016-06-01" in w and "2016-05-16" in w for w in resolution.warnings)


def test_dateless_mention_takes_an_earlier_dated_mention_in_the_same_document():
    analyses = [
        _analysis("a.txt", [_citation("2020-03-31", 0), _citation(None, 100)]),
        _analysis("b.txt", [_citation("2016-05-16", 0)]),
        _analysis("c.txt", [_citation(None, 0)]),
    ]
    resolution = resolve_corpus(analyses)
    a_refs = resolution.mentions["a.txt"]
    assert a_refs[1].iri == a_refs[0].iri == vocab.ID + "doc/vn/ct/2020/16-ct-ttg"
    # In c.txt the corpus knows two 16/CT-TTg (2016 and 2020): ambiguous, reported, left unresolved.
    assert resolution.mentions["c.txt"][0].iri == vocab.ID + "doc/vn/ct/unknown/16-ct-ttg"
    assert any("c.txt" in w and "2016" in w and "2020" in w for w in resolution.warnings)


def test_a_dateless_mention_cannot_be_a_document_issued_after_the_citing_one():
    analyses = [
        _analysis("a.txt", [_citation("2016-05-16")]),
        _analysis("b.txt", [_citation("2020-03-31")]),
        _analysis("c.txt", [_citation(None)], DocumentMetadata(date="2018-01-02")),
    ]
    resolution = resolve_corpus(analyses)
    assert resolution.mentions["c.txt"][0].iri == vocab.ID + "doc/vn/ct/2016/16-ct-ttg"


def _named(name, year=None):
    return Citation(start=0, end=len(name), text=name, kind="named", type="Hiến pháp", number=None,
                    year=year, name=name, system="state")


def test_a_name_without_year_is_the_version_in_force_on_the_citing_date():
    # DOMAIN.md §7; the versions come from ontology/named_refs.json (1992, 2013 in force 2014-01-01)
    dated = [
        _analysis("a.txt", [_named("Hiến pháp nước CHXHCN Việt Nam")], DocumentMetadata(date="2025-11-04")),
        _analysis("b.txt", [_named("Hiến pháp năm 2013", 2013)], DocumentMetadata(date="2020-01-02")),
        _analysis("c.txt", [_named("Hiến pháp")], DocumentMetadata(date="2005")),
        _analysis("d.txt", [_named("Hiến pháp")]),
    ]
    iris = {path: refs[0].iri for path, refs in resolve_corpus(dated).mentions.items()}
    assert iris["a.txt"] == iris["b.txt"] == vocab.ID + "doc/vn/named/hien-phap-2013"
    assert iris["c.txt"] == vocab.ID + "doc/vn/named/hien-phap-1992"
    assert iris["d.txt"] == vocab.ID + "doc/vn/named/hien-phap"  # no date: no version is guessed


def test_resolution_does_not_depend_on_the_order_of_files():
    analyses = [
        _analysis(f"{name}.txt", [_citation(date)])
        for name, date in (("a", "2016-05-16"), ("b", None), ("c", "2016-06-01"))
    ]
    forward = resolve_corpus(analyses)
    backward = resolve_corpus(list(reversed(analyses)))
    for analysis in analyses:
        assert file_ntriples(analysis, forward) == file_ntriples(analysis, backward)
    assert list(node_graphs(forward)) == list(node_graphs(backward))
    assert forward.warnings == backward.warnings


# ---------------------------------------------------------------------------------------------- provenance


def test_mentions_keep_their_provenance(store, corpus):
    rows = store.select(
        "SELECT ?start ?end ?text ?sentence ?section ?path WHERE { ?c a kg:Citation ; kg:citedDocument ?d ; "
        "kg:start ?start ; kg:end ?end ; kg:text ?text ; kg:sentence ?sentence ; "
        "kg:sourceFile/kg:path ?path ."
        " OPTIONAL { ?c kg:section ?section } FILTER(CONTAINS(?path, '000_')) } ORDER BY ?start",
        {"d": vocab.ID + "doc/vn/ct/2022/18-ct-tw"},
    )
    assert len(rows) == 1
    row = rows[0]
    source = (corpus / "000_8bddda222f55bb4c.txt").read_text(encoding="utf-8")
    assert " ".join(source[row["start"] : row["end"]].split()) == row["text"] == "Chỉ thị số 18-CT/TW"
    assert row["text"] in row["sentence"]
    assert row["section"].startswith("II.1 Quán triệt, tuyên truyền")


def test_sections_number_subsections_under_their_part():
    text = "I. MỤC ĐÍCH\n1. Mục đích\nabc\nII. NỘI DUNG\n1. Quán triệt\nx\n3. Tiếp tục\ny\nĐiều 2. Hiệu lực\n"
    labels = [label for _, label in sections(text)]
    assert labels == [
        "I. MỤC ĐÍCH",
        "I.1 Mục đích",
        "II. NỘI DUNG",
        "II.1 Quán triệt",
        "II.3 Tiếp tục",
        "Điều 2. Hiệu lực",
    ]


def test_relate_mentions_from_preamble_cues_and_subjects():
    text = (
        "KẾ HOẠCH\nCăn cứ Luật Tổ chức chính quyền địa phương;\n"
        "Thực hiện Kế hoạch số 53/KH-UBND ngày 05/02/2024 của UBND tỉnh về việc triển khai "
        "Nghị quyết số 31/2023/NQ-HĐND;\nI. NỘI DUNG\n1. Theo Chỉ thị số 33/CT-TTg.\n"
        "Quyết định này thay thế Quyết định số 12/QĐ-UBND.\n"
    )
    from kg.extract import extract

    mentions = relate_mentions(text, extract(text))
    by_text = {m.citation.text: m for m in mentions}
    assert by_text["Kế hoạch số 53/KH-UBND"].relation == "implements"
    subject = by_text["Nghị quyết số 31/2023/NQ-HĐND"]
    assert (subject.relation, subject.head_relation) == ("cites", "implements")
    assert mentions[subject.head].citation.text == "Kế hoạch số 53/KH-UBND"
    assert by_text["Chỉ thị số 33/CT-TTg"].relation == "cites"  # body, no cue
    assert by_text["Quyết định số 12/QĐ-UBND"].relation == "replaces"


# ---------------------------------------------------------------------------------------------- ontology


def test_ontology_graph_has_the_document_type_scheme_from_doc_types_json(store):
    types = json.loads(ontology_file("doc_types.json").read_text(encoding="utf-8"))["types"]
    rows = store.select(
        "SELECT ?n ?l WHERE { GRAPH ?g { ?t a kg:DocumentType ; skos:inScheme kg:documentTypes ; "
        "skos:notation ?n ; skos:prefLabel ?l } }",
        {"g": vocab.ONTOLOGY_GRAPH},
    )
    assert {(r["n"], r["l"]) for r in rows} == {((t["codes"] or [t["name"]])[0], t["name"]) for t in types}


def test_every_relation_is_an_eli_property_or_below_one(store):
    for name, iri in vocab.RELATIONS.items():
        assert store.ask(
            f"ASK {{ GRAPH <{vocab.ONTOLOGY_GRAPH}> {{ <{iri}> rdfs:subPropertyOf* ?p "
            f"FILTER(STRSTARTS(STR(?p), '{vocab.ELI}')) }} }}"
        ) or iri.startswith(vocab.ELI), name


def test_every_document_is_an_eli_legal_resource_with_its_core_properties(store):
    missing = store.select(
        "SELECT ?d WHERE { GRAPH ?g { ?d a eli:LegalResource } FILTER(STRSTARTS(STR(?g), STR(?nodes))) "
        "FILTER NOT EXISTS { ?d eli:id_local ?i ; eli:type_document ?t } }",
        {"nodes": NODE_GRAPHS},
    )
    assert missing == []
    # Every document a mention names is described, and by its node graph only, not by the file graphs.
    undescribed = store.select(
        "SELECT DISTINCT ?d WHERE { { ?c kg:citedDocument ?d } UNION { ?c kg:citingDocument ?d } "
        "FILTER NOT EXISTS { GRAPH ?g { ?d a eli:LegalResource ; eli:id_local ?i } } }"
    )
    assert undescribed == []
    in_files = store.select(
        "SELECT ?d WHERE { GRAPH ?g { ?d eli:id_local ?i } FILTER(STRSTARTS(STR(?g), STR(?files))) } LIMIT 1",
        {"files": FILE_GRAPHS},
    )
    assert in_files == []
    row = store.select(
        "SELECT DISTINCT ?id ?date ?issuer ?label WHERE { ?d eli:id_local ?id ; eli:date_document ?date ; "
        "eli:passed_by ?issuer . ?issuer a org:Organization , kg:Issuer ; rdfs:label ?label }",
        {"d": vocab.ID + "doc/vn/ct/2021/33-ct-ttg"},
    )
    assert [(r["id"], str(r["date"]), r["label"]) for r in row] == [
        ("33/CT-TTg", "2021-11-26", "Thủ tướng Chính phủ")
    ]


def test_the_built_graph_with_the_registry_is_valid_against_the_shacl_shapes(store):
    import pyshacl

    dataset = rdflib.Dataset()
    dataset.parse(data=store.store.dump(format=ox.RdfFormat.N_QUADS).decode("utf-8"), format="nquads")
    union = rdflib.Graph()
    for graph in dataset.graphs():
        name = str(graph.identifier)
        corpus = name.startswith((FILE_GRAPHS, NODE_GRAPHS))
        if corpus or name in (vocab.ONTOLOGY_GRAPH, vocab.REGISTRY_GRAPH):
            for triple in graph:
                union.add(triple)
    shapes = rdflib.Graph().parse(ontology_file("shapes.ttl"))
    # The ontology's subclass axioms (kg:Issuer ⊑ org:Organization) are what sh:class follows.
    conforms, _, text = pyshacl.validate(union, shacl_graph=shapes, allow_warnings=True)
    assert conforms, text


def test_shapes_reject_a_broken_graph():
    import pyshacl

    broken = rdflib.Graph().parse(
        data=f"<{vocab.ID}doc/x> a <{vocab.LEGAL_RESOURCE}> . <{vocab.ID}c> a <{vocab.CITATION}> ; "
        f"<{vocab.START}> 5 ; <{vocab.END}> 3 .",
        format="turtle",
    )
    shapes = rdflib.Graph().parse(ontology_file("shapes.ttl"))
    conforms, _, text = pyshacl.validate(broken, shacl_graph=shapes, allow_warnings=True)
    assert not conforms
    assert "id_local" in text and "ends after it starts" in text


# ------------------------------------------------------------------------------------------ real documents


@pytest.fixture(scope="module")
def real_store(tmp_path_factory, corpus, shared):
    location = tmp_path_factory.mktemp("real") / "kg"
    files = [str(corpus)] + sorted(str(p) for p in (shared / "realdocs").glob("*.txt"))
    report = build(files, store=location, jobs=2)
    opened = EmbeddedStore(location, read_only=True)
    opened.report = report
    yield opened
    opened.close()


def test_real_documents_build_and_keep_their_identity(real_store):
    assert real_store.report.ok and len(real_store.report.written) == 26
    doc = vocab.ID + "doc/"
    # A real document with a number is itself a normal document node, in its province.
    assert _by_id(real_store, "01763/QĐ-UBND") == [doc + "ca-mau/qd/2025/1763-qd-ubnd"]
    assert _by_id(real_store, "220/CĐ-TTg") == [doc + "vn/cd/2025/220-cd-ttg"]
    # 33/CT-TTg of 2025 (src01_6225) is not the 33/CT-TTg of 2021 the seeds cite.
    assert _by_id(real_store, "33/CT-TTg") == [doc + "vn/ct/2021/33-ct-ttg", doc + "vn/ct/2025/33-ct-ttg"]
    files = real_store.select("SELECT (COUNT(DISTINCT ?f) AS ?n) WHERE { ?f a kg:SourceFile }")
    assert files == [{"n": 26}]


def test_real_documents_passive_amendments_run_the_right_way(real_store):
    # src03 drafts: "Luật Bầu cử … số 85/2015/QH13 được sửa đổi, bổ sung … Luật số 83/2025/QH15".
    assert real_store.ask(
        "ASK { ?new eli:amends ?old . ?new eli:id_local '83/2025/QH15' . ?old eli:id_local '85/2015/QH13' }"
    )
    assert not real_store.ask(
        "ASK { ?old eli:amends ?new . ?new eli:id_local '83/2025/QH15' . ?old eli:id_local '85/2015/QH13' }"
    )
    # src01_10988: "(thay thế Nghị quyết số 1211/2016/UBTVQH13 …)" is not an act of the letter itself.
    assert not real_store.ask("ASK { ?letter kg:replaces ?x ; eli:id_local '10988/BNV-CQĐP' }")


def test_conflicting_dates_in_real_documents_are_reported(real_store):
    warnings = real_store.report.warnings
    assert any(w.startswith("69/2018/NĐ-CP cited with conflicting dates") for w in warnings)
    assert len(_by_id(real_store, "69/2018/NĐ-CP")) == 2


def test_a_cited_local_document_is_under_the_places_its_issuer_names():
    """A commune plan of tỉnh Bình Định cites a decision of UBND huyện Bình Sơn, tỉnh Quảng Ngãi: the decision
    is Quảng Ngãi's, not Bình Định's; "UBND huyện" with no place stays the plan's own district."""
    from kg.graph import analyse
    from kg.models import SourceDocument

    text = (
        "UBND HUYỆN PHÙ CÁT\nỦY BAN NHÂN DÂN XÃ CÁT HANH\n\nSố: 45/KH-UBND\n"
        "Cát Hanh, ngày 10 tháng 5 năm 2024\n\nKẾ HOẠCH\n"
        "Phát triển du lịch trên địa bàn xã Cát Hanh, huyện Phù Cát, tỉnh Bình Định năm 2024\n\n"
        "Căn cứ Quyết định số 12/QĐ-UBND ngày 03/4/2024 của UBND huyện Bình Sơn, tỉnh Quảng Ngãi "
        "về việc phê duyệt đề án liên kết du lịch;\n"
        "Căn cứ Quyết định số 30/QĐ-UBND ngày 05/4/2024 của UBND huyện về việc giao chỉ tiêu;\n"
    )
    analysis = analyse(SourceDocument("plan.txt", text, "txt"))
    assert (analysis.metadata.province, analysis.metadata.commune) == ("Bình Định", "Cát Hanh")
    graph = rdflib.Graph().parse(data=file_ntriples(analysis, resolve_corpus([analysis])), format="nt")
    cited = {str(o) for o in graph.objects(None, rdflib.URIRef(vocab.CITED))}
    assert cited == {
        vocab.ID + "doc/quang-ngai/binh-son/qd/2024/12-qd-ubnd",
        vocab.ID + "doc/binh-dinh/phu-cat/qd/2024/30-qd-ubnd",
    }


def test_two_documents_named_by_one_span_are_two_mentions():
    first = _citation("2013-12-12", 5, number="217", symbol="QĐ/TW")
    second = _citation("2013-12-12", 5, number="218", symbol="QĐ/TW")
    analysis = _analysis("a.txt", [first, second])
    triples = file_ntriples(analysis, resolve_corpus([analysis]))
    graph = rdflib.Graph().parse(data=triples, format="nt")
    mentions = set(graph.subjects(rdflib.RDF.type, rdflib.URIRef(vocab.CITATION)))
    assert len(mentions) == 2
    assert all(len(set(graph.objects(m, rdflib.URIRef(vocab.CITED)))) == 1 for m in mentions)


def test_build_stores_the_curated_registry_in_its_own_graph(store):
    from kg.registry import load_registry, registry_ntriples

    registry = load_registry()
    rows = store.select(
        "SELECT (COUNT(DISTINCT ?f) AS ?n) WHERE { GRAPH ?g { ?f a kg:ValidityFact } }",
        {"g": vocab.REGISTRY_GRAPH},
    )
    assert rows[0]["n"] == len(registry.facts) + len(registry.in_force)
    assert len(registry_ntriples().splitlines()) > len(registry.facts)
    # A document the corpus describes is described there only; one it does not is described by the registry.
    in_registry = (
        "ASK {{ GRAPH <" + vocab.REGISTRY_GRAPH + "> {{ ?d eli:id_local '{}' ; eli:type_document ?t }} }}"
    )
    assert not store.ask(in_registry.format("33/CT-TTg"))
    assert store.ask(in_registry.format("290-QĐ/TW"))
    assert store.ask(
        f"ASK {{ GRAPH <{vocab.REGISTRY_GRAPH}> {{ ?f a kg:ValidityFact ; kg:confidence ?c }} }}"
    )
