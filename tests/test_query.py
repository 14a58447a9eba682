"""kg.query and `kg query`: parameters as terms, prefixes, errors with positions, formats, and every named
query against the graph built from corpus/ (expected results reasoned from the seeds and the registry)."""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from kg import query as q
from kg import vocab
from kg.cli import app
from kg.store import build, open_store

INJECTION = 'x" } ; DROP ALL ; #'


@pytest.fixture(scope="session")
def corpus_store_path(tmp_path_factory, corpus) -> Path:
    """corpus/ built once for the session into a temporary store (paths stored relative to the checkout)."""
    path = tmp_path_factory.mktemp("query") / "kg"
    report = build([str(corpus)], store=str(path), jobs=1)
    assert report.ok and len(report.written) == 5
    return path


@pytest.fixture(scope="session")
def corpus_store(corpus_store_path):
    store = open_store(str(corpus_store_path))
    yield store
    store.close()


def small_store() -> ox.Store:
    """A hand-made graph in kg's vocabulary: a directive implemented down to a commune plan."""
    store = ox.Store()
    graph = ox.NamedNode(vocab.GRAPH + "file/test")
    doc = {name: ox.NamedNode(f"{vocab.ID}doc/{name}") for name in ("ct", "tinh", "huyen", "xa", "other")}
    levels = {"ct": "central", "tinh": "province", "huyen": "district", "xa": "commune", "other": "province"}
    ids = {"ct": "33/CT-TTg", "tinh": "53/KH-UBND", "huyen": "54/KH-UBND", "xa": "12/KH-UBND",
           "other": INJECTION}
    quads = []
    for name, node in doc.items():
        quads += [
            ox.Quad(node, ox.NamedNode(vocab.RDF + "type"), ox.NamedNode(vocab.LEGAL_RESOURCE), graph),
            ox.Quad(node, ox.NamedNode(vocab.ID_LOCAL), ox.Literal(ids[name]), graph),
            ox.Quad(node, ox.NamedNode(vocab.LEVEL), ox.Literal(levels[name]), graph),
        ]
    for child, relation, parent in (("tinh", vocab.IMPLEMENTS, "ct"), ("huyen", vocab.BASED_ON, "tinh"),
                                    ("xa", vocab.BASED_ON, "huyen"), ("other", vocab.CITES, "ct")):
        quads.append(ox.Quad(doc[child], ox.NamedNode(relation), doc[parent], graph))
    store.extend(quads)
    return store


def key(document_id: str) -> str:
    """How the tests compare ids: NFC, leading zeros dropped, Party "QĐi" written "QĐ"."""
    text = unicodedata.normalize("NFC", document_id).replace("QĐi", "QĐ")
    return re.sub(r"^0+(?=\d)", "", text)


# ---------------------------------------------------------------- headers and the library


def test_every_named_query_has_a_header_with_typed_parameters():
    queries = q.load_named_queries()
    assert set(queries) >= {"most-cited", "cited-by", "cites", "citing-outdated", "implementation-chain",
                            "issuer-network", "citations-per-year", "in-force-on"}
    for named in queries.values():
        assert named.title and named.description, named.name
        for param in named.params:
            assert param.type in q.PARAM_TYPES and param.description, (named.name, param)
            clause = param.name == "limit" and "\nLIMIT 100" in named.sparql  # written in by with_limit
            used = f"?{param.name}" in named.sparql or clause
            assert used, f"{named.name}: parameter {param.name} is not used"
    cites = queries["cites"]
    assert [(p.name, p.type, p.default) for p in cites.params] == [("document", "string", None),
                                                                  ("max_depth", "integer", "2")]
    assert "corpus/004_a1f0a423e889157a.txt" in cites.param("document").description  # continued line
    assert queries["citing-outdated"].param("as_of").optional


def test_header_parser_reads_defaults_optional_and_rejects_unknown_types():
    title, description, params = q.parse_header(
        "# title: T\n# description: first\n#   second\n"
        '# param a: string = "two words" — quoted default\n# param b: date optional - no default\n'
        "SELECT * { ?s ?p ?o }"
    )
    assert (title, description) == ("T", "first second")
    assert params[0].default == "two words" and params[1].optional and params[1].default is None
    with pytest.raises(q.QueryError, match="parameter type"):
        q.parse_header("# title: T\n# param a: float = 1 — x\n")
    with pytest.raises(q.QueryError, match="no '# title:'"):
        q.parse_header("SELECT * {}")


def test_parameters_are_checked_and_typed_by_the_header():
    named = q.named_query("cites")
    bound = q.bind_named(named, {"document": "33/CT-TTg"})
    assert bound["max_depth"] == ox.Literal(2) and bound["document"] == ox.Literal("33/CT-TTg")
    with pytest.raises(q.QueryError, match="needs --param document"):
        q.bind_named(named, {})
    with pytest.raises(q.QueryError, match="no parameter 'depth'"):
        q.bind_named(named, {"document": "x", "depth": "3"})
    with pytest.raises(q.QueryError, match="not a valid integer"):
        q.bind_named(named, {"document": "x", "max_depth": "two"})
    xsd_date = ox.NamedNode(vocab.XSD + "date")
    assert q.typed_term("2024-01-31", "date") == ox.Literal("2024-01-31", datatype=xsd_date)
    with pytest.raises(q.QueryError, match="not a valid date"):
        q.typed_term("31/01/2024", "date")
    expanded = ox.NamedNode(vocab.ID + "doc/vn/ct/2021/33-ct-ttg")
    assert q.typed_term("id:doc/vn/ct/2021/33-ct-ttg", "iri") == expanded
    with pytest.raises(q.QueryError, match="not a valid iri"):
        q.typed_term("<x> } DROP ALL", "iri")
    # Vietnamese typed in NFD is matched as the graph stores it (NFC)
    assert q.typed_term(unicodedata.normalize("NFD", "59/2023/NĐ-CP"), "string").value == "59/2023/NĐ-CP"


def test_values_block_goes_into_the_outermost_group_skipping_strings_iris_comments_and_templates():
    terms = {"doc": ox.Literal(INJECTION)}
    text = '# a { in a comment\nSELECT ?x WHERE { ?x <http://a/{b}> "{" . }'
    bound = q.with_values(text, terms)
    values = 'VALUES (?doc) { ("x\\" } ; DROP ALL ; #") }'
    assert bound.startswith('# a { in a comment\nSELECT ?x WHERE { ' + values)
    construct = q.with_values("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", {"s": ox.NamedNode("http://a")})
    assert construct == "CONSTRUCT { ?s ?p ?o } WHERE { VALUES (?s) { (<http://a>) }  ?s ?p ?o }"
    with pytest.raises(ValueError):
        q.values_block({"a b": ox.Literal("x")})


# ---------------------------------------------------------------- running ad-hoc queries


def test_injection_attempt_is_a_plain_literal():
    store = small_store()
    before = len(store)
    rows = q.query(store, "SELECT ?doc WHERE { ?doc eli:id_local ?id }", id=INJECTION)
    assert rows == [{"doc": vocab.ID + "doc/other"}]
    assert q.query(store, "SELECT ?doc WHERE { ?doc eli:id_local ?id }", id='x"') == []
    assert len(store) == before


@settings(max_examples=60, deadline=None)
@given(text=st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40))
def test_any_text_parameter_matches_exactly_itself(text):
    """Quotes, braces, backslashes, newlines, '#', Vietnamese: a value is data, whatever it contains.
    (Python values are NFC-normalised; command-line values are also stripped of surrounding blanks.)"""
    graph = ox.NamedNode(vocab.GRAPH + "file/p")
    node, other = ox.NamedNode(vocab.ID + "doc/p"), ox.NamedNode(vocab.ID + "doc/q")
    id_local = ox.NamedNode(vocab.ID_LOCAL)
    sparql = "SELECT ?d WHERE { ?d eli:id_local ?id }"
    python_value = unicodedata.normalize("NFC", text)
    for stored, bound in ((python_value, text), (python_value.strip(), q.typed_term(text, "string"))):
        store = ox.Store()
        store.extend([ox.Quad(node, id_local, ox.Literal(stored), graph),
                      ox.Quad(other, id_local, ox.Literal(stored + "x"), graph)])
        rows = q.execute(store, sparql, {"id": bound}).values()
        assert rows == [{"d": node.value}] and len(store) == 2


def test_prefixes_are_added_only_when_missing():
    store = small_store()
    own = ("PREFIX eli: <http://data.europa.eu/eli/ontology#>\n"
           "SELECT ?id WHERE { ?d eli:id_local ?id ; kg:level 'commune' }")
    assert q.query(store, own) == [{"id": "12/KH-UBND"}]
    assert "PREFIX eli:" not in q.missing_prefixes(own) and "PREFIX kg:" in q.missing_prefixes(own)


def test_syntax_error_is_positioned_in_the_text_the_user_wrote():
    with pytest.raises(q.QuerySyntaxError) as caught:
        q.execute(small_store(), "SELECT ?x\nWHERE { ?x ?y }", {"y": ox.Literal("bound")})
    error = caught.value
    assert (error.line, error.column) == (2, 16)  # not shifted by the prefixes kg added nor the VALUES
    assert "expected one of" in error.message and "[" not in error.message
    assert "line 2, column 16" in str(error) and "WHERE { ?x ?y }\n" in str(error)


def test_ask_and_construct_results():
    store = small_store()
    assert q.execute(store, "ASK { ?d kg:level 'commune' }").boolean is True
    graph = q.execute(store, "CONSTRUCT { ?d a kg:Local } WHERE { ?d kg:level ?l FILTER(?l != 'central') }")
    assert len(graph.triples) == 4 and "kg-vn/ontology#Local> .\n" in q.render(graph, "table")
    no = q.execute(store, "ASK { ?s ?p 42 }")
    assert json.loads(q.render(no, "json")) == {"head": {}, "boolean": False}


def test_output_formats_are_standard_sparql_results():
    result = q.execute(small_store(), "SELECT ?id ?level ?none WHERE { ?d eli:id_local ?id ; kg:level ?level "
                                      "OPTIONAL { ?d kg:nothing ?none } } ORDER BY ?id")
    rows = list(csv.reader(io.StringIO(q.render(result, "csv"))))
    assert rows[0] == ["id", "level", "none"] and ["12/KH-UBND", "commune", ""] in rows
    assert [INJECTION, "province", ""] in rows  # quotes and braces survive CSV quoting
    tsv = q.render(result, "tsv").splitlines()
    assert tsv[0] == "?id\t?level\t?none" and '"12/KH-UBND"\t"commune"\t' in tsv
    data = json.loads(q.render(result, "json"))
    assert data["head"]["vars"] == ["id", "level", "none"]
    assert data["results"]["bindings"][0] == {"id": {"type": "literal", "value": "12/KH-UBND"},
                                              "level": {"type": "literal", "value": "commune"}}
    numbers = q.execute(small_store(), "SELECT (COUNT(*) AS ?n) WHERE { ?d kg:level ?l }")
    assert json.loads(q.render(numbers, "json"))["results"]["bindings"][0]["n"] == {
        "type": "literal", "value": "5", "datatype": vocab.XSD + "integer"}
    assert q.query(small_store(), "SELECT (COUNT(*) AS ?n) WHERE { ?d kg:level ?l }") == [{"n": 5}]


def test_implementation_chain_descends_central_province_district_commune():
    store = small_store()
    # the named queries read each document's id and level from the summary graph kg build writes
    summary = ox.NamedNode(vocab.SUMMARY_GRAPH)
    store.extend([ox.Quad(quad.subject, quad.predicate, quad.object, summary) for quad in store
                  if quad.predicate.value in (vocab.ID_LOCAL, vocab.LEVEL)])
    result = q.run_named(store, "implementation-chain", document="33/CT-TTg")
    chain = [(r["level"], r["node_id"], r["relation"], r["parent_id"]) for r in result.values()]
    assert chain == [
        ("province", "53/KH-UBND", "implements", "33/CT-TTg"),
        ("district", "54/KH-UBND", "based_on", "53/KH-UBND"),
        ("commune", "12/KH-UBND", "based_on", "54/KH-UBND"),
    ]  # "other" only cites the directive: not part of the chain


def test_implementation_chain_limited_keeps_the_direct_links_first():
    # "7/CT-TTg" is implemented by two plans, and four more plans are based on the first of them: two
    # links are the two to the directive itself (a limited answer for a hub needs no path search)
    store = ox.Store()
    summary, graph = ox.NamedNode(vocab.SUMMARY_GRAPH), ox.NamedNode(vocab.GRAPH + "file/test")
    doc = {name: ox.NamedNode(f"{vocab.ID}doc/{name}") for name in ("ct", "a1", "a2", *"cdef")}
    quads = [ox.Quad(doc[name], ox.NamedNode(vocab.ID_LOCAL), ox.Literal(local), summary)
             for name, local in (("ct", "7/CT-TTg"), ("a1", "1/KH"), ("a2", "2/KH"), ("c", "4/KH"),
                                 ("d", "5/KH"), ("e", "6/KH"), ("f", "8/KH"))]
    quads += [ox.Quad(doc[child], ox.NamedNode(vocab.IMPLEMENTS), doc[parent], graph)
              for child, parent in (("c", "a1"), ("d", "a1"), ("e", "a1"), ("f", "a1"),
                                    ("a1", "ct"), ("a2", "ct"))]
    store.extend(quads)
    links = {(r["node_id"], r["parent_id"])
             for r in q.run_named(store, "implementation-chain", document="7/CT-TTg", limit=2).values()}
    assert links == {("1/KH", "7/CT-TTg"), ("2/KH", "7/CT-TTg")}
    assert len(q.run_named(store, "implementation-chain", document="7/CT-TTg", limit=0).rows) == 6


# ---------------------------------------------------------------- named queries on the corpus graph


def gold_files_per_document(shared: Path) -> Counter:
    """In how many seed files each document is cited, from the hand-checked gold (numbered and named)."""
    cited = json.loads((shared / "gold" / "seed_citations.json").read_text(encoding="utf-8"))
    named = json.loads((shared / "gold" / "seed_named.json").read_text(encoding="utf-8"))
    per_file: dict[str, set[str]] = {}
    for file, citations in cited.items():
        per_file.setdefault(file, set()).update(key(c["id"]) for c in citations)
    for file, names in named.items():
        per_file.setdefault(file, set()).update(key(n["law_id"]) for n in names if n.get("law_id"))
    return Counter(k for ids in per_file.values() for k in ids)


def test_most_cited_matches_the_gold_counts(corpus_store, shared):
    gold = gold_files_per_document(shared)
    for threshold in (3, 2):
        rows = q.run_named(corpus_store, "most-cited", min_files=threshold).values()
        found = {key(r["id"]): r["files"] for r in rows}
        expected = {k: n for k, n in gold.items() if n >= threshold}
        assert found == expected, threshold
    # hubs first: 33/CT-TTg is cited in three plans (000, 002, 003) and mentioned at least once in each
    rows = q.run_named(corpus_store, "most-cited").values()
    assert rows[0]["files"] == 3 and rows[-1]["files"] == 1
    top = next(r for r in rows if r["id"] == "33/CT-TTg")
    assert top["mentions"] >= 3 and top["type"] == "Chỉ thị" and top["year"] == 2021


def test_cited_by_gives_the_citing_plans_with_their_sentences(corpus_store):
    rows = q.run_named(corpus_store, "cited-by", document="33/CT-TTg").values()
    files = {Path(r["path"]).name[:3] for r in rows}
    assert files == {"000", "002", "003"}
    assert all("33/CT-TTg" in r["sentence"] and r["text"].endswith("33/CT-TTg") for r in rows)
    preamble = "Thực hiện Chỉ thị số 33/CT-TTg"
    opening = {Path(r["path"]).name[:3] for r in rows if r["sentence"].startswith(preamble)}
    assert opening == {"000", "003"}  # the preamble "Thực hiện …" of both province plans
    assert {r["relation"] for r in rows if r["sentence"].startswith("Thực hiện")} == {"implements"}
    # a variant finds the same document: the Party's 11-QĐi/TW is cited as 11-QĐ/TW in seed 000
    def files_citing(document: str) -> set[str]:
        rows = q.run_named(corpus_store, "cited-by", document=document).values()
        return {Path(r["path"]).name[:3] for r in rows}

    assert files_citing("11-QĐ/TW") == files_citing("11-QĐi/TW") == {"000", "003"}


def test_cites_follows_relations_to_the_requested_depth(corpus_store):
    rows = q.run_named(corpus_store, "cites", document="01-KL/TW", max_depth=2).values()
    edges = {(r["depth"], r["from_id"], r["to_id"], r["source"]) for r in rows}
    # seed 001: "Kết luận số 01-KL/TW … về tiếp tục thực hiện Chỉ thị số 05-CT/TW"; the registry: 05-CT/TW
    # replaced 03-CT/TW
    assert edges == {(1, "01-KL/TW", "05-CT/TW", "corpus"), (2, "05-CT/TW", "03-CT/TW", "registry")}
    assert {r["relation"] for r in rows if r["depth"] == 2} == {"replaces"}
    shallow = q.run_named(corpus_store, "cites", document="01-KL/TW", max_depth=1).values()
    assert [(r["from_id"], r["to_id"]) for r in shallow] == [("01-KL/TW", "05-CT/TW")]
    # from a citing plan, by its path: seed 004 implements 44/KH-UBND, and 138/KH-UBND implements 01-ĐA/TU
    plan = q.run_named(corpus_store, "cites", document="corpus/004_a1f0a423e889157a.txt").values()
    assert ("implements", "44/KH-UBND") in {(r["relation"], r["to_id"]) for r in plan if r["depth"] == 1}
    assert (2, "138/KH-UBND", "implements", "01-ĐA/TU") in {
        (r["depth"], r["from_id"], r["relation"], r["to_id"]) for r in plan}


OUTDATED_IN_SEED_004 = {
    ("16/CT-TTg", "superseded", "33/CT-TTg"),  # registry: superseded_by 33/CT-TTg (2021-11-26)
    ("60/2013/NĐ-CP", "replaced", "149/2018/NĐ-CP"),  # replaced_by 149/2018 (2018-12-22)
    ("30c/NQ-CP", "expired", None),  # the 2011-2020 programme expired 2021-01-01
    ("30c/NQ-CP", "superseded", "76/NQ-CP"),
    ("04/2015/NĐ-CP", "expired", "10/2022/QH15"),  # expired_by the law from 2023-07-01
    ("10/2012/QH13", "replaced", "45/2019/QH14"),  # "Bộ Luật lao động" in the subject of 60/2013
    # dateless in the corpus, but the registry knows one 03-CT/TW (2011), replaced by 05-CT/TW in 2016
    ("03-CT/TW", "replaced", "05-CT/TW"),
}


def test_citing_outdated_lists_what_the_registry_says_ended(corpus_store, shared):
    rows = q.run_named(corpus_store, "citing-outdated").values()
    found = {(r["cited_id"], r["status"], r.get("by_id")) for r in rows}
    assert found == OUTDATED_IN_SEED_004
    assert {Path(r["path"]).name for r in rows} == {"004_a1f0a423e889157a.txt"}
    assert all(r["evidence"] == "registry" and r["source"] for r in rows)
    assert {r["confidence"] for r in rows} == {"high", "medium"}
    # nothing the gold calls ok (05-CT/TW is continued, not replaced) nor merely amended (20/2021/NĐ-CP)
    status = json.loads((shared / "gold" / "seed_status.json").read_text(encoding="utf-8"))
    fine = {key(s["cited"]) for s in status if s["now"] in ("ok", "amended")}
    assert fine and not fine & {key(c) for c, _, _ in found}
    # on the day 44/KH-UBND was signed, the decree 04/2015 had not lapsed yet (2023-07-01)
    earlier = q.run_named(corpus_store, "citing-outdated", as_of="2023-02-14").values()
    assert {(r["cited_id"], r["status"], r.get("by_id")) for r in earlier} == OUTDATED_IN_SEED_004 - {
        ("04/2015/NĐ-CP", "expired", "10/2022/QH15")}


def test_implementation_chain_of_the_directive_in_the_corpus(corpus_store):
    rows = q.run_named(corpus_store, "implementation-chain", document="33/CT-TTg").values()
    assert {(r["level"], r["place"], Path(r["path"]).name[:3], r["relation"]) for r in rows} == {
        ("province", "tỉnh Bình Phước", "000", "implements"),
        ("province", "tỉnh Bình Định", "003", "implements"),
    }  # seed 002 (a commune) mentions the directive in its body only: a citation, not an implementation


def test_issuer_network_counts_document_pairs(corpus_store):
    rows = q.run_named(corpus_store, "issuer-network", min_links=2).values()
    links = {(r["citing_issuer"].removeprefix(vocab.ID), r["cited_issuer"].removeprefix(vocab.ID)): r["links"]
             for r in rows}
    assert links[("issuer/binh-phuoc/ubnd", "issuer/vn/ttg")] == 2  # seed 000: 33/CT-TTg and 10/CT-TTg
    assert links[("issuer/binh-dinh/ubnd", "issuer/vn/ttg")] == 2  # seed 003: 33/CT-TTg and 27/CT-TTg
    # the commune plan (002) and its district: Kế hoạch 54/KH-UBND and Quyết định 2563/QĐ-UBND
    assert links[("issuer/quang-ngai/binh-son/binh-phuoc/ubnd", "issuer/quang-ngai/binh-son/ubnd")] == 2
    assert all(r["links"] >= 2 for r in rows)
    labels = {r["citing_label"] for r in rows}
    assert "Ủy ban nhân dân xã Bình Phước" in labels


def test_citations_per_year(corpus_store):
    rows = {r["year"]: r for r in q.run_named(corpus_store, "citations-per-year").values()}
    assert list(rows) == sorted(rows)
    assert (rows[1998]["documents"], rows[1998]["mentions"]) == (1, 1)  # only 30-CT/TW, cited once in 004
    # 2013: 217-QĐ/TW, 218-QĐ/TW, 60/2013/NĐ-CP, Luật Tiếp công dân 42/2013/QH13, Hiến pháp năm 2013
    assert rows[2013]["documents"] == 5
    party = {r["year"]: r["documents"] for r in q.run_named(corpus_store, "citations-per-year",
                                                             system="party").values()}
    assert party[2013] == 2 and 2012 not in party  # 217/218-QĐ/TW; 2012 is the Labour Code (state)


def test_in_force_on_a_date(corpus_store):
    def in_force(day: str) -> dict[str, str]:
        return {r["id"]: r["status"]
                for r in q.run_named(corpus_store, "in-force-on", date=day, limit=0).values()}

    mid_2020 = in_force("2020-06-01")
    assert {"16/CT-TTg", "30c/NQ-CP", "149/2018/NĐ-CP", "04/2015/NĐ-CP"} <= set(mid_2020)
    # replaced in 2018; issued in 2021; replaced in 2016
    assert not {"60/2013/NĐ-CP", "33/CT-TTg", "03-CT/TW"} & set(mid_2020)
    start_2024 = in_force("2024-01-01")
    assert start_2024["59/2023/NĐ-CP"] == "in force (registry)" and "145/2020/NĐ-CP" in start_2024
    assert not {"04/2015/NĐ-CP", "16/CT-TTg", "149/2018/NĐ-CP", "30c/NQ-CP"} & set(start_2024)
    assert start_2024["33/CT-TTg"] == "in force (registry)"


def test_limit_gives_the_first_rows_of_the_full_answer(corpus_store):
    for name, params in (("most-cited", {}), ("issuer-network", {}), ("in-force-on", {"date": "2024-01-01"})):
        full = q.run_named(corpus_store, name, limit=0, **params).values()
        assert len(full) > 5, name
        for n in (1, 5):
            first = q.run_named(corpus_store, name, limit=n, **params).values()
            assert first == full[: len(first)], (name, n)
            # in-force-on looks at the n most cited documents: those of them in force, at most n
            assert len(first) == n if name != "in-force-on" else len(first) <= n
    # in force, most cited first: the registry-only documents (never cited) only without a limit
    cited = q.run_named(corpus_store, "in-force-on", date="2024-01-01").values()
    assert 0 < len(cited) < len(q.run_named(corpus_store, "in-force-on", date="2024-01-01", limit=0).rows)
    assert "145/2020/NĐ-CP" not in {r["id"] for r in cited}  # registry only
    with pytest.raises(q.QueryError, match="limit"):
        q.run_named(corpus_store, "most-cited", limit=-1)


def test_limited_mentions_are_some_rows_of_the_full_answer(corpus_store):
    def rows(name: str, **params: object) -> list[tuple]:
        return [tuple(sorted(r.items())) for r in q.run_named(corpus_store, name, **params).values()]

    for name, params in (("cited-by", {"document": "33/CT-TTg"}), ("citing-outdated", {}),
                         ("implementation-chain", {"document": "33/CT-TTg"})):
        full = rows(name, limit=0, **params)
        assert len(full) >= 2, name
        assert rows(name, **params) == full  # fewer rows than the default limit: all of them, same order
        for n in (1, len(full) - 1):
            some = rows(name, limit=n, **params)
            assert 0 < len(some) <= n and set(some) <= set(full), (name, n)
            assert some == sorted(some, key=full.index), name  # sorted as the full answer is


def test_citing_outdated_limit_counts_rows_not_mentions(tmp_path):
    # one plan citing two replaced documents three times each: two rows, and limit=2 keeps both (the
    # first two mentions found, of one document, made one row when the limit counted mentions)
    text = ("ỦY BAN NHÂN DÂN\nTỈNH BÌNH PHƯỚC\n\nSố: 12/KH-UBND\n\nKẾ HOẠCH\nThực hiện quy chế dân chủ\n\n"
            + "Quán triệt Nghị định số 60/2013/NĐ-CP và Bộ luật Lao động số 10/2012/QH13.\n" * 3)
    (tmp_path / "plan.txt").write_text(text, encoding="utf-8")
    assert build([str(tmp_path / "plan.txt")], store=str(tmp_path / "kg"), jobs=1).ok
    store = open_store(str(tmp_path / "kg"))
    try:
        counts = [len(q.run_named(store, "citing-outdated", limit=n).rows) for n in (0, 1, 2, 3)]
    finally:
        store.close()
    assert counts == [2, 1, 2, 2]


def test_parameters_are_bound_in_the_marked_group():
    sparql = "SELECT ?x WHERE {\n  { SELECT ?x WHERE {  # parameters bound here\n ?x ?p ?y } LIMIT 1 } }"
    bound = q.with_values(sparql, {"y": ox.Literal(1)})
    assert bound.index("VALUES") > bound.index("{ SELECT")
    unmarked = sparql.replace("parameters bound here", "other")
    assert q.with_values(unmarked, {"y": ox.Literal(1)}).index("VALUES") < unmarked.index("{ SELECT")


def test_limit_is_written_into_the_query_text():
    sparql = ('# param limit: integer = 100 — x\n'
              'SELECT ?x WHERE { ?x ?p "LIMIT 100" FILTER(?limit > 0) } # LIMIT 100\nLIMIT 100')
    terms = {"limit": ox.Literal(7), "other": ox.Literal(1)}
    out = q.with_limit(sparql, terms)
    assert out.endswith("\nLIMIT 7") and '"LIMIT 100"' in out and "# LIMIT 100" in out
    assert "FILTER(7 > 0)" in out
    assert terms == {"other": ox.Literal(1)}  # bound in the text, not by VALUES
    every = q.with_limit(sparql, {"limit": ox.Literal(0)})
    assert every.endswith("# LIMIT 100\n") and "FILTER(0 > 0)" in every  # no LIMIT clause: every row
    undeclared = sparql.replace("# param limit", "# param other")
    assert q.with_limit(undeclared, {"limit": ox.Literal(7)}) == undeclared


# ---------------------------------------------------------------- the command


def test_a_store_path_is_opened_for_the_query(corpus_store_path):
    rows = q.query(corpus_store_path, "SELECT DISTINCT ?d WHERE { ?d eli:id_local ?id }", id="33/CT-TTg")
    assert rows == [{"d": vocab.ID + "doc/vn/ct/2021/33-ct-ttg"}]
    assert q.run_named(str(corpus_store_path), "most-cited", min_files=3).column("files") == [3, 3, 3, 3]


def test_cli_named_query_formats_and_errors(corpus_store_path):
    runner = CliRunner()
    store = str(corpus_store_path)
    out = runner.invoke(app, ["query", "--store", store, "--name", "cited-by", "--param",
                              "document=33/CT-TTg", "--format", "csv"])
    assert out.exit_code == 0, out.output
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert {Path(r["path"]).name[:3] for r in rows} == {"000", "002", "003"}
    table = runner.invoke(app, ["query", "--store", store, "-n", "most-cited", "-p", "min_files=3"])
    assert table.exit_code == 0 and "33/CT-TTg" in table.stdout and "4 rows" in table.stdout
    bad = runner.invoke(app, ["query", "--store", store, "SELECT ?x\nWHERE { ?x ?y }"])
    assert bad.exit_code == 2 and "line 2, column 16" in bad.stderr
    missing = runner.invoke(app, ["query", "--store", store, "--name", "cited-by"])
    assert missing.exit_code == 2 and "needs --param document" in missing.stderr
    unknown = runner.invoke(app, ["query", "--store", store, "--name", "nope"])
    assert unknown.exit_code == 2 and "kg query --list" in unknown.stderr
    no_store = runner.invoke(app, ["query", "--store", str(corpus_store_path.parent / "none"), "ASK {}"])
    assert no_store.exit_code == 2 and "kg build" in no_store.stderr


def test_cli_file_json_injection_and_list(corpus_store_path, tmp_path):
    runner = CliRunner()
    rq = tmp_path / "q.rq"
    # DISTINCT: the union default graph yields a triple once per named graph that holds it
    rq.write_text("SELECT DISTINCT ?d WHERE { ?d eli:id_local ?id }", encoding="utf-8")
    out = runner.invoke(app, ["query", "--store", str(corpus_store_path), "-f", str(rq), "-p",
                              f"id={INJECTION}", "--format", "json"])
    assert out.exit_code == 0, out.output
    assert json.loads(out.stdout)["results"]["bindings"] == []
    still = runner.invoke(app, ["query", "--store", str(corpus_store_path), "-f", str(rq), "-p",
                                "id=33/CT-TTg", "--format", "tsv"])
    assert still.stdout.splitlines() == ["?d", f"<{vocab.ID}doc/vn/ct/2021/33-ct-ttg>"]
    # typed parameters: from the header of a .rq file, or key:type=value without one. Documents of 1998:
    # 30-CT/TW (cited in seed 004) and 55/1998/NQ-UBTVQH10 (in the registry)
    count = "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d kg:year ?year }"
    typed = tmp_path / "typed.rq"
    header = "# title: Documents of a year\n# param year: integer — the year\n"
    typed.write_text(header + count, encoding="utf-8")
    store = ["query", "--store", str(corpus_store_path), "--format", "csv"]
    by_header = runner.invoke(app, [*store, "-f", str(typed), "-p", "year=1998"])
    assert by_header.stdout.splitlines() == ["n", "2"]
    inline = runner.invoke(app, [*store, "-p", "year:integer=1998", count])
    assert inline.stdout.splitlines() == ["n", "2"]
    as_text = runner.invoke(app, [*store, "-p", "year=1998", count])
    assert as_text.stdout.splitlines() == ["n", "0"]  # the string "1998" is not the integer 1998
    listing = runner.invoke(app, ["query", "--list"])
    assert listing.exit_code == 0
    for name, named in q.load_named_queries().items():
        assert f"{name} — {named.title}" in listing.stdout
    assert "--param max_depth=<integer>  (default 2)" in listing.stdout
    both = runner.invoke(app, ["query", "--store", str(corpus_store_path), "-n", "most-cited", "ASK {}"])
    assert both.exit_code == 2 and "exactly one" in both.stderr
