"""`kg build`, `kg export` and `kg stats` through the real command line."""

from __future__ import annotations

import csv
import io
import json
import shutil

import networkx as nx
import pytest
import rdflib
from typer.testing import CliRunner

from kg.cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def built(tmp_path_factory, corpus):
    folder = tmp_path_factory.mktemp("cli")
    shutil.copytree(corpus, folder / "corpus")
    store = folder / "kg"
    result = runner.invoke(app, ["build", str(folder / "corpus"), "--store", str(store), "--jobs", "2"])
    assert result.exit_code == 0, result.output
    return folder, store, result


def test_build_reports_what_it_wrote(built):
    _, _, result = built
    assert "5 file graph(s) written, 0 unchanged, 0 failed" in result.output


def test_a_second_build_skips_unchanged_files(built):
    folder, store, _ = built
    result = runner.invoke(app, ["build", str(folder / "corpus"), "--store", str(store), "--jobs", "1"])
    assert result.exit_code == 0
    assert "0 file graph(s) written, 5 unchanged" in result.output


def test_build_fails_with_exit_code_1_naming_the_bad_file(tmp_path, corpus):
    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copy(corpus / "003_2848af6e1fb85ee9.txt", folder)
    (folder / "scan.docx").write_bytes(b"not a zip file at all")
    result = runner.invoke(app, ["build", str(folder), "--store", str(tmp_path / "kg"), "--jobs", "1"])
    assert result.exit_code == 1
    assert "scan.docx" in result.output and "failed" in result.output
    assert "1 file graph(s) written" in result.output


@pytest.mark.parametrize("fmt", ["ttl", "nt", "nq", "trig", "jsonld"])
def test_export_rdf_formats_parse(built, tmp_path, fmt):
    _, store, _ = built
    out = tmp_path / f"graph.{fmt}"
    result = runner.invoke(app, ["export", "--format", fmt, "-o", str(out), "--store", str(store)])
    assert result.exit_code == 0, result.output
    parser = {"ttl": "turtle", "nt": "nt", "nq": "nquads", "trig": "trig", "jsonld": "json-ld"}[fmt]
    if fmt in ("nq", "trig"):
        dataset = rdflib.Dataset()
        dataset.parse(out, format=parser)
        names = {str(g.identifier) for g in dataset.graphs()}
        assert sum(name.startswith("https://w3id.org/kg-vn/graph/file/") for name in names) == 5
    else:
        graph = rdflib.Graph().parse(out, format=parser)
        citation = rdflib.URIRef("https://w3id.org/kg-vn/ontology#Citation")
        assert len(set(graph.subjects(rdflib.RDF.type, citation))) == 100


def test_export_graphml_and_gexf_have_documents_issuers_and_relations(built, tmp_path):
    _, store, _ = built
    for fmt, reader in (("graphml", nx.read_graphml), ("gexf", nx.read_gexf)):
        out = tmp_path / f"graph.{fmt}"
        assert runner.invoke(app, ["export", "-f", fmt, "-o", str(out), "--store", str(store)]).exit_code == 0
        graph = reader(out)
        kinds = {data["kind"] for _, data in graph.nodes(data=True)}
        assert kinds == {"document", "issuer"}
        relations = {data["relation"] for _, _, data in graph.edges(data=True)}
        assert {"implements", "based_on", "amends", "cites", "passed_by"} <= relations
        labels = {data.get("label") for _, data in graph.nodes(data=True)}
        assert "33/CT-TTg" in labels


def test_export_csv_to_stdout(built):
    _, store, _ = built
    result = runner.invoke(app, ["export", "-f", "csv", "--store", str(store)])
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {"source", "relation", "target"} <= set(rows[0])
    assert any(
        r["source_label"] == "53/KH-UBND"
        and r["relation"] == "implements"
        and r["target_label"] == "31/2023/NQ-HĐND"
        for r in rows
    )


def test_export_rejects_an_unknown_format(built):
    _, store, _ = built
    result = runner.invoke(app, ["export", "-f", "xlsx", "--store", str(store)])
    assert result.exit_code == 2 and "unknown --format" in result.output


def test_stats_counts_and_most_cited(built):
    _, store, _ = built
    result = runner.invoke(app, ["stats", "--store", str(store), "--top", "5"])
    assert result.exit_code == 0, result.output
    assert "100 citations" in result.output and "5 source files" in result.output
    for heading in ("by type", "by issuer", "by level", "by year", "most cited"):
        assert heading in result.output
    assert "10/2022/QH15" in result.output  # cited from four seeds: the top of the in-degree list


def test_stats_without_a_store_says_what_to_do(tmp_path):
    result = runner.invoke(app, ["stats", "--store", str(tmp_path / "nothing")])
    assert result.exit_code == 2 and "kg build" in result.output


def test_python_api(built):
    import kg

    _, store, _ = built
    opened = kg.open_store(store)
    try:
        rows = opened.select("SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a kg:SourceFile }")
        assert rows == [{"n": 5}]
        assert json.loads(opened.dump("jsonld"))
    finally:
        opened.close()


def test_build_into_a_busy_store_says_so(tmp_path, corpus):
    from kg.store import EmbeddedStore

    location = tmp_path / "kg"
    with EmbeddedStore(location):  # another writer holds the lock
        result = runner.invoke(
            app, ["build", str(corpus / "003_2848af6e1fb85ee9.txt"), "--store", str(location)]
        )
    assert result.exit_code == 3
    assert "busy" in result.output
