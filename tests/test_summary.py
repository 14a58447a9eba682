"""kg.summary: graph:summary states once what the file graphs repeat, and counts what the named queries
would otherwise aggregate over every mention; it follows an incremental rebuild."""

from __future__ import annotations

import shutil

import pytest

from kg import query as q
from kg import vocab
from kg.graph import path_key
from kg.store import EmbeddedStore, build

SUMMARY = f"<{vocab.SUMMARY_GRAPH}>"
FILE_GRAPHS = f"FILTER(?g NOT IN ({SUMMARY}, <{vocab.REGISTRY_GRAPH}>, <{vocab.ONTOLOGY_GRAPH}>))"
RELATIONS = " ".join(f"<{iri}>" for iri in vocab.RELATIONS.values())


@pytest.fixture(scope="module")
def store(tmp_path_factory, corpus):
    location = tmp_path_factory.mktemp("summary") / "kg"
    assert build([str(corpus)], store=location, jobs=1).ok
    opened = EmbeddedStore(location, read_only=True)
    yield opened
    opened.close()


def rows(store, sparql: str) -> set[tuple[str, ...]]:
    return {tuple(str(v) for v in row.values()) for row in store.select(vocab.SPARQL_PREFIXES + sparql)}


@pytest.mark.parametrize("predicate", ["eli:id_local", "kg:variant", "eli:type_document", "kg:year",
                                       "kg:system", "kg:level", "kg:jurisdiction", "eli:date_document",
                                       "eli:passed_by"])
def test_each_document_is_described_once_as_the_file_graphs_describe_it(store, predicate):
    in_files = rows(store, f"SELECT DISTINCT ?d ?v WHERE {{ GRAPH ?g {{ ?d {predicate} ?v ; "
                           f"a eli:LegalResource }} {FILE_GRAPHS} }}")
    in_summary = rows(store, f"SELECT ?d ?v WHERE {{ GRAPH {SUMMARY} {{ ?d {predicate} ?v }} }}")
    assert in_files and in_summary == in_files
    if predicate == "eli:id_local":
        assert len(in_summary) == len({d for d, _ in in_summary})  # one id per document


def test_counts_are_those_of_the_mentions(store):
    counted = rows(store, f"SELECT ?d ?files ?mentions WHERE {{ GRAPH {SUMMARY} {{ "
                          "?d kg:citingFileCount ?files ; kg:mentionCount ?mentions } }")
    aggregated = rows(store, "SELECT ?d (COUNT(DISTINCT ?g) AS ?files) (COUNT(DISTINCT ?m) AS ?mentions) "
                             "WHERE { GRAPH ?g { ?m kg:citedDocument ?d } } GROUP BY ?d")
    directive = vocab.ID + "doc/vn/ct/2021/33-ct-ttg"
    assert counted == aggregated and (directive, "3", "5") in counted
    # kg:rank: most-cited's order (files, mentions descending, then id), 1 … n
    ranked = sorted(rows(store, f"SELECT ?r ?f ?m ?id WHERE {{ GRAPH {SUMMARY} {{ ?d kg:rank ?r ; "
                                "kg:citingFileCount ?f ; kg:mentionCount ?m ; eli:id_local ?id } }"),
                    key=lambda row: int(row[0]))
    assert [int(r) for r, *_ in ranked] == list(range(1, len(counted) + 1))
    keys = [(-int(f), -int(m), i) for _, f, m, i in ranked]
    assert keys == sorted(keys)
    per_year = rows(store, f"SELECT ?y ?m ?n WHERE {{ GRAPH {SUMMARY} {{ ?c kg:countedYear ?y ; "
                           "kg:mentionCount ?m ; kg:documentCount ?n "
                           "FILTER NOT EXISTS { ?c kg:countedSystem ?s } } }")
    by_year = rows(store, f"SELECT ?y (SUM(?m) AS ?mentions) (COUNT(?d) AS ?n) WHERE {{ GRAPH {SUMMARY} {{ "
                          "?d kg:mentionCount ?m ; kg:year ?y } } GROUP BY ?y")
    assert per_year == by_year and ("1998", "1", "1") in per_year


def test_issuer_links_count_distinct_document_pairs(store):
    links = rows(store, f"SELECT ?a ?b ?n WHERE {{ GRAPH {SUMMARY} {{ ?l kg:linkFrom ?a ; kg:linkTo ?b ; "
                        "kg:linkCount ?n } }")
    aggregated = rows(store, f"""SELECT ?a ?b (COUNT(*) AS ?n) WHERE {{
        {{ SELECT DISTINCT ?x ?y WHERE {{ GRAPH ?g {{ ?x ?p ?y }} VALUES ?p {{ {RELATIONS} }} {FILE_GRAPHS}
                                          FILTER(?x != ?y) }} }}
        {{ SELECT DISTINCT ?x ?a WHERE {{ ?x eli:passed_by ?a }} }}
        {{ SELECT DISTINCT ?y ?b WHERE {{ ?y eli:passed_by ?b }} }}
      }} GROUP BY ?a ?b""")
    assert links == aggregated and len(links) == 40
    ranks = rows(store, f"SELECT ?r WHERE {{ GRAPH {SUMMARY} {{ ?l kg:linkCount ?n ; kg:rank ?r }} }}")
    assert sorted(int(r) for (r,) in ranks) == list(range(1, 41))


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory, corpus):
    """corpus/ built, then seed 004 given a replacement and rebuilt incrementally (first) and from scratch."""
    work = tmp_path_factory.mktemp("changed") / "corpus"
    shutil.copytree(corpus, work)
    incremental, fresh = work.parent / "a", work.parent / "b"
    build([str(work)], store=incremental, jobs=1)
    changed = work / "004_a1f0a423e889157a.txt"
    added = ("\nThực hiện Chỉ thị số 33/CT-TTg ngày 10/12/2021, Nghị định số 30/2020/NĐ-CP ngày 05/3/2020 "
             "thay thế Nghị định số 110/2004/NĐ-CP.\n")
    changed.write_text(changed.read_text(encoding="utf-8") + added, encoding="utf-8")
    assert build([str(work)], store=incremental, jobs=1).written == [path_key(str(changed))]
    build([str(work)], store=fresh, jobs=1)
    return incremental, fresh


def test_ended_on_is_the_earliest_corpus_document_ending_it(rebuilt):
    with EmbeddedStore(rebuilt[0], read_only=True) as store:
        ended = rows(store, f"SELECT ?d ?on WHERE {{ GRAPH {SUMMARY} {{ ?d kg:endedOn ?on }} }}")
        expected = rows(store, f"""SELECT ?d (MIN(?issued) AS ?on) WHERE {{
            GRAPH ?g {{ ?new kg:replaces|eli:repeals|kg:expires|kg:supersedes ?d }} {FILE_GRAPHS}
            ?new eli:date_document ?issued }} GROUP BY ?d""")
    # the decree 30/2020/NĐ-CP, issued 2020-03-05, replaces 110/2004/NĐ-CP (in the subject seed 004 cites)
    assert ended == expected == {(vocab.ID + "doc/vn/nd/2004/110-nd-cp", "2020-03-05")}


def test_an_incremental_rebuild_gives_the_summary_of_a_fresh_build(rebuilt):
    summaries, named = [], []
    for location in rebuilt:
        with EmbeddedStore(location, read_only=True) as opened:
            summaries.append(rows(opened, f"SELECT ?s ?p ?o WHERE {{ GRAPH {SUMMARY} {{ ?s ?p ?o }} }}"))
            named.append([q.to_json(q.run_named(opened, name)) for name in
                          ("most-cited", "issuer-network", "citations-per-year")])
    assert summaries[0] == summaries[1] and named[0] == named[1]
    assert any("30-nd-cp" in s and p == vocab.MENTION_COUNT for s, p, _ in summaries[0])
