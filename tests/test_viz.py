"""kg.viz without a browser: the page's content, filters, max-nodes, PNG/SVG, CLI and notebook helper."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from viz_graph import DOCS, EVIL_TITLE, N_DOCS, N_EDGES, N_ISSUERS, iri, many_store, small_store

from kg import vocab
from kg.viz import VizResult, load_style, visualise


def page_data(html_path: Path) -> dict:
    """The nodes, edges and options the page hands to vis-network."""
    text = html_path.read_text(encoding="utf-8")
    match = re.search(r'<script id="kg-data" type="application/json">(.*?)</script>', text, re.S)
    assert match, "the page has no kg-data block"
    return json.loads(match.group(1))


def node(data: dict, key: str) -> dict:
    wanted = iri(DOCS[key][0])
    return next(n for n in data["nodes"] if n["id"] == wanted)


@pytest.fixture(scope="module")
def small_page(tmp_path_factory) -> tuple[VizResult, Path]:
    out = tmp_path_factory.mktemp("viz") / "graph.html"
    return visualise(small_store(), out), out


def test_page_is_one_self_contained_file(small_page):
    result, out = small_page
    text = out.read_text(encoding="utf-8")
    # nothing the browser would fetch: no remote (or protocol-relative) src/href, no @import, no url(http…)
    assert not re.search(r"""\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", text, re.I)
    assert not re.search(r"@import|url\(\s*['\"]?\s*(?:https?:)?//", text, re.I)
    assert not re.search(r"bootstrap|jsdelivr|cdnjs|unpkg|fonts\.googleapis", text, re.I)
    assert not re.search(r"<(?:script|link|img|iframe)[^>]*\b(?:src|href)=", text, re.I)
    assert "sourceMappingURL" not in text
    assert "vis.Network" in text and "vis-network" in text  # the library itself is inline
    assert result.format == "html" and result.layout == "physics"
    assert list(out.parent.iterdir()) == [out]  # no lib/ folder beside it (pyvis "local" mode writes one)


def test_page_draws_every_document_issuer_and_relation(small_page):
    result, out = small_page
    data = page_data(out)
    assert (result.documents, result.issuers) == (N_DOCS, N_ISSUERS)
    assert len(data["nodes"]) == result.nodes == N_DOCS + N_ISSUERS
    assert len(data["edges"]) == result.edges == N_EDGES
    relations = {(e["from"], e["kgRelation"], e["to"]) for e in data["edges"]}
    plan, ct33 = iri(DOCS["plan"][0]), iri(DOCS["ct33"][0])
    # the broader eli:cites stated beside kg:implements is not drawn twice
    assert (plan, "implements", ct33) in relations and (plan, "cites", ct33) not in relations
    labels = {e.get("label") for e in data["edges"]}
    assert {"implements", "based on", "replaces", "cites"} <= labels


def test_colour_by_type_shape_by_system_size_by_citations(small_page):
    data = page_data(small_page[1])
    ct33, ct16, nd149 = node(data, "ct33"), node(data, "ct16"), node(data, "nd149")
    assert ct33["color"]["background"] == ct16["color"]["background"] != nd149["color"]["background"]
    assert node(data, "nq18")["shape"] == "diamond"  # party
    assert node(data, "mttq")["shape"] == "triangle"  # front
    assert ct33["shape"] == "dot"  # state
    issuers = [n for n in data["nodes"] if n["kgKind"] == "issuer"]
    assert len(issuers) == N_ISSUERS and {n["shape"] for n in issuers} == {"box"}
    assert ct33["size"] > node(data, "nq18")["size"]  # 2 mentions against 1
    size = load_style().size
    assert node(data, "plan")["size"] >= (size["min"] + size["max"]) / 2  # a corpus file is never tiny
    assert ct33["label"] == "33/CT-TTg"


def test_outdated_documents_are_marked(small_page):
    data = page_data(small_page[1])
    for key, status in (("nd60", "replaced"), ("nd04", "expired"), ("ct16", "superseded")):
        marked = node(data, key)
        assert marked["label"].startswith("✕ "), key
        assert marked["shapeProperties"]["borderDashes"], key
        assert marked["kgStatus"] == status
    fine = node(data, "ct33")
    assert not fine["label"].startswith("✕") and not fine["shapeProperties"]["borderDashes"]
    assert "replaces it" in node(data, "nd60")["title"]
    assert "medium confidence" in node(data, "ct16")["title"]  # registry facts say how sure they are


def test_tooltip_has_type_title_date_issuer_and_validity(small_page):
    title = node(page_data(small_page[1]), "ct16")["title"]
    expected_parts = (
        "Chỉ thị",
        DOCS["ct16"][6],
        "2016-05-16",
        "Thủ tướng Chính phủ",
        "superseded by 33/CT-TTg",
    )
    for expected in expected_parts:
        assert expected in title


def test_document_text_reaches_the_page_only_as_escaped_data(small_page):
    text = small_page[1].read_text(encoding="utf-8")
    for payload in ("<script>alert", "<img src=x", '"><img', "<b>thử</b>"):
        assert payload not in text, payload
    assert text.count("</script>") == 3  # vis-network, the data block, our code: nothing closed early
    data = page_data(small_page[1])
    evil = node(data, "evil")
    assert EVIL_TITLE in evil["title"]  # plain text for vis-network's innerText tooltip, not entity-escaped
    assert ["Title", EVIL_TITLE] in evil["kgDetails"]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"doc_type": "CT"}, {"ct33", "ct16"}),
        ({"doc_type": "Chỉ thị,nd"}, {"ct33", "ct16", "nd60", "nd149", "nd04"}),
        ({"issuer": "TTg"}, {"ct33", "ct16"}),
        ({"issuer": "chinh phu"}, {"ct33", "ct16", "nd60", "nd149", "nd04"}),
        ({"level": "commune"}, {"mttq"}),
        ({"since": 2021, "until": "2023"}, {"ct33", "law", "evil"}),
        ({"since": "2024-01-01"}, {"plan", "mttq"}),
        ({"focus": "33/CT-TTg", "depth": 1}, {"ct33", "plan"}),
        ({"focus": "33/ct-ttg ", "depth": 0}, {"ct33"}),
        ({"focus": "60/2013/NĐ-CP", "depth": 2}, {"nd60", "nd149", "plan"}),
        ({"focus": "33/CT-TTg", "depth": 2, "doc_type": "CT"}, {"ct33", "ct16"}),
        ({"issuer": "CT"}, set()),  # a type symbol is not an issuer
    ],
)
def test_filters_keep_matching_documents_and_their_issuers(tmp_path, filters, expected):
    out = tmp_path / "g.html"
    result = visualise(small_store(), out, **filters)
    data = page_data(out)
    documents = {n["id"] for n in data["nodes"] if n["kgKind"] == "document"}
    assert documents == {iri(DOCS[k][0]) for k in expected}
    issuers = {n["id"] for n in data["nodes"] if n["kgKind"] == "issuer"}
    assert issuers == {iri(f"issuer/{'/'.join(DOCS[k][0].split('/')[1:2])}") for k in ()} | {
        e["to"] for e in data["edges"] if e["kgRelation"] == "passed_by"
    }
    assert all(e["from"] in documents | issuers and e["to"] in documents | issuers for e in data["edges"])
    assert result.nodes == len(data["nodes"])
    if "focus" in filters:
        assert result.focus and all(f in documents for f in result.focus)
    if not expected:
        assert "No document" in result.note and 'id="kg-note"' in out.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("filters", "error"),
    [
        ({"focus": "999/XX-YY"}, LookupError),
        ({"level": "planet"}, ValueError),
        ({"since": "last year"}, ValueError),
        ({"format": "gif"}, ValueError),
        ({"max_nodes": 0}, ValueError),
    ],
)
def test_bad_requests_say_what_is_wrong(tmp_path, filters, error):
    with pytest.raises(error):
        visualise(small_store(), tmp_path / "g.html", **filters)


def test_max_nodes_keeps_the_focus_and_says_what_it_left_out(tmp_path):
    out = tmp_path / "g.html"
    result = visualise(small_store(), out, focus="33/CT-TTg", depth=3, max_nodes=4)
    data = page_data(out)
    assert len(data["nodes"]) == result.nodes == 4
    assert iri(DOCS["ct33"][0]) in {n["id"] for n in data["nodes"]}
    assert iri(DOCS["plan"][0]) in {n["id"] for n in data["nodes"]}  # its neighbour comes next
    assert result.omitted and len(result.omitted) + result.documents == N_DOCS
    text = out.read_text(encoding="utf-8")
    note = re.search(r'<p id="kg-note" role="note">(.*?)</p>', text, re.S)
    assert note and "--max-nodes 4" in note.group(1) and f"left out {len(result.omitted)}" in note.group(1)
    assert result.note and "--max-nodes 4" in result.note


def test_max_nodes_prefers_the_most_connected_documents(tmp_path):
    out = tmp_path / "g.html"
    result = visualise(many_store(n_plans=40, cited_per_plan=3), out, max_nodes=10)
    ids = {n["kgId"] for n in page_data(out)["nodes"]}
    assert result.nodes == 10 and len(result.omitted) == result.documents + len(result.omitted) - 10
    assert "1/CT-TTg" in ids  # cited by the most plans
    assert not visualise(small_store(), tmp_path / "all.html").note  # nothing left out, nothing said
    tight = visualise(small_store(), tmp_path / "tight.html", max_nodes=N_DOCS + 2)
    assert (tight.documents, tight.issuers) == (N_DOCS, 2)  # documents first, issuers in the room left


def test_large_graph_gets_a_fixed_precomputed_layout(tmp_path):
    out = tmp_path / "g.html"
    result = visualise(many_store(n_plans=330, cited_per_plan=2), out)
    data = page_data(out)
    assert result.layout == "precomputed" and result.nodes > 300
    assert data["options"]["physics"]["enabled"] is False
    assert all(isinstance(n["x"], float) and isinstance(n["y"], float) for n in data["nodes"])
    assert len({(n["x"], n["y"]) for n in data["nodes"]}) == len(data["nodes"])  # spread out, not stacked


def test_precomputed_layout_is_the_same_in_every_process(tmp_path):
    """Positions do not depend on the hash seed (set order): the same store gives the same page."""
    import subprocess
    import sys

    script = (
        "import sys; sys.path[:0] = [sys.argv[1], sys.argv[2]]\n"
        "from viz_graph import many_store\nfrom kg.viz import visualise\n"
        "visualise(many_store(n_plans=330, cited_per_plan=2), sys.argv[3])\n"
    )
    pages = []
    for seed in ("1", "2"):
        out = tmp_path / f"seed{seed}.html"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        here, root = str(Path(__file__).parent), str(Path(__file__).parent.parent)
        subprocess.run([sys.executable, "-c", script, here, root, str(out)], check=True, env=env)
        pages.append({n["id"]: (n["x"], n["y"]) for n in page_data(out)["nodes"]})
    assert len(pages[0]) > 300 and pages[0] == pages[1]


def test_built_store_read_by_iri_draws_what_a_full_read_draws(tmp_path, corpus):
    """A kg-built store is read in outline, then the drawn documents by IRI (mentions counted for them
    only); the page equals the one drawn from the same statements read whole (a copy whose ontology graph
    has another name: the graph is how viz recognises a kg-built store)."""
    import pyoxigraph as ox

    from kg.store import build, open_store

    built = tmp_path / "kg"
    assert build([str(corpus)], store=str(built), jobs=1).ok
    whole = ox.Store()
    store = open_store(str(built))
    ontology = ox.NamedNode(vocab.ONTOLOGY_GRAPH)
    renamed = ox.NamedNode(vocab.GRAPH + "not-the-ontology")
    whole.extend(
        ox.Quad(q.subject, q.predicate, q.object, renamed if q.graph_name == ontology else q.graph_name)
        for q in store.oxigraph
    )
    store.close()
    omitted = {}
    for max_nodes in (12, 1500):  # a cut view (omitted documents named from the outline) and the whole
        by_iri = visualise(str(built), tmp_path / f"iri{max_nodes}.html", max_nodes=max_nodes)
        full = visualise(whole, tmp_path / f"full{max_nodes}.html", max_nodes=max_nodes)
        assert (by_iri.omitted, by_iri.note, by_iri.edges) == (full.omitted, full.note, full.edges)
        assert page_data(tmp_path / f"iri{max_nodes}.html") == page_data(tmp_path / f"full{max_nodes}.html")
        omitted[max_nodes] = len(by_iri.omitted)
    assert by_iri.documents > 20 and omitted[12] > 0 and omitted[1500] == 0


@pytest.mark.parametrize(("suffix", "magic"), [("png", b"\x89PNG\r\n\x1a\n"), ("svg", b"<svg")])
def test_static_pictures(tmp_path, output_dir, suffix, magic):
    out = output_dir / f"viz_small.{suffix}"
    result = visualise(small_store(), out)
    assert result.format == suffix and result.nodes == N_DOCS + N_ISSUERS and result.edges == N_EDGES
    head = out.read_bytes()[:2000]
    assert head.startswith(magic) if suffix == "png" else magic in head
    explicit = visualise(small_store(), tmp_path / "picture.out", format=suffix, doc_type="CT")
    assert explicit.format == suffix and explicit.documents == 2 and explicit.path.stat().st_size > 1000


def test_inline_notebook_view_embeds_the_page(small_page):
    from kg.viz import inline

    shown = inline(small_page[1], height=500)
    markup = shown._repr_html_()
    assert markup.startswith("<div><iframe srcdoc=") and "height:500px" in markup
    assert "&lt;script" in markup and "<script" not in markup  # the whole page, escaped into one attribute


def test_kg_visualise_is_the_public_api():
    import kg

    assert kg.visualise is visualise


def test_cli_writes_the_page_and_reports_what_it_left_out(tmp_path):
    from typer.testing import CliRunner

    from kg.cli import app

    store_dir = tmp_path / "store"
    store = small_store(str(store_dir))
    store.flush()
    del store
    out = tmp_path / "cli.html"
    runner = CliRunner()
    args = ["viz", "--store", str(store_dir), "-o", str(out), "--focus", "33/CT-TTg", "--max-nodes", "3"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert f"Wrote {out}: 3 nodes" in result.output
    assert "left out" in result.output  # the note, on stderr (mixed into output by the runner)
    assert len(page_data(out)["nodes"]) == 3

    png = tmp_path / "cli.png"
    result = runner.invoke(app, ["viz", "--store", str(store_dir), "-o", str(png), "--type", "NĐ"])
    assert result.exit_code == 0, result.output
    assert png.read_bytes().startswith(b"\x89PNG")

    missing = runner.invoke(app, ["viz", "--store", str(tmp_path / "nowhere")])
    assert missing.exit_code == 2 and "kg build" in missing.output
    unknown = runner.invoke(app, ["viz", "--store", str(store_dir), "--focus", "1/XX", "-o", str(out)])
    assert unknown.exit_code == 2 and "1/XX" in unknown.output


def test_reads_validity_from_the_vocabulary_terms():
    """The registry fact and eli:in_force are found through kg.vocab's IRIs (the graph contract)."""
    from kg.viz import read_graph

    graph = read_graph(small_store())
    assert graph.docs[iri(DOCS["nd04"][0])].status == "expired"
    assert graph.docs[iri(DOCS["ct16"][0])].status == "superseded"
    assert graph.docs[iri(DOCS["nd60"][0])].status == "replaced"
    assert graph.docs[iri(DOCS["ct33"][0])].status == ""
    assert vocab.IN_FORCE.startswith(vocab.ELI)


def test_documents_the_graph_says_little_about_get_type_and_system_from_their_id():
    """Registry-only documents may lack eli:type_document and kg:system; the id as cited still tells."""
    import pyoxigraph as ox

    from kg.viz import read_graph

    store = ox.Store()
    registry = ox.NamedNode(vocab.REGISTRY_GRAPH)
    ids = {"law": "64/2025/QH15", "old_law": "80/2015/QH13", "party": "290-QĐ/TW", "named": "Hiến pháp 2013"}
    for key, id_local in ids.items():
        store.add(
            ox.Quad(ox.NamedNode(iri(key)), ox.NamedNode(vocab.ID_LOCAL), ox.Literal(id_local), registry)
        )
    store.add(
        ox.Quad(
            ox.NamedNode(iri("law")), ox.NamedNode(vocab.REPLACES), ox.NamedNode(iri("old_law")), registry
        )
    )
    store.add(
        ox.Quad(ox.NamedNode(iri("named")), ox.NamedNode(vocab.CITES), ox.NamedNode(iri("party")), registry)
    )
    docs = read_graph(store).docs
    assert (docs[iri("old_law")].type_code, docs[iri("old_law")].system) == ("Luật", "state")
    assert docs[iri("old_law")].status == "replaced"
    assert (docs[iri("party")].type_code, docs[iri("party")].system) == ("QĐ", "party")
    assert (docs[iri("named")].type_code, docs[iri("named")].system) == ("HP", "state")


def test_pagerank_gives_networkx_numbers_to_the_bit():
    """The view's order and cut follow these numbers: kg computes them without a networkx graph."""
    import random

    import networkx as nx

    from kg.viz import Link, _pagerank

    docs = [f"d{i:02d}" for i in range(40)]  # the last ten unlinked
    rng = random.Random(3)
    links = [Link(rng.choice(docs[:30]), rng.choice(docs[:30]), "cites") for _ in range(90)]
    links += [Link("d01", "d01", "cites"), Link("d02", "d03", "cites"), Link("d03", "d02", "amends")]
    graph = nx.Graph()
    graph.add_nodes_from(docs)
    graph.add_edges_from((x.source, x.target) for x in links)
    ours = _pagerank(docs, links)
    assert ours == nx.pagerank(graph) and list(ours) == docs
    assert _pagerank(docs, []) == dict.fromkeys(docs, 1.0)


def test_documents_are_read_with_their_least_id():
    """One grouped query gives every document and the id its label shows ("" when it has none)."""
    import pyoxigraph as ox

    from kg.viz import _document_ids

    store = ox.Store()
    doc_type = (ox.NamedNode(vocab.RDF + "type"), ox.NamedNode(vocab.LEGAL_RESOURCE))
    store.add(ox.Quad(ox.NamedNode(iri("typed")), *doc_type))
    for key, id_local in (("two", "9/KH-UBND"), ("two", "10/KH-UBND"), ("untyped", "Hiến pháp 2013")):
        store.add(ox.Quad(ox.NamedNode(iri(key)), ox.NamedNode(vocab.ID_LOCAL), ox.Literal(id_local)))
    store.add(ox.Quad(ox.NamedNode(iri("two")), *doc_type))
    expected = {iri("typed"): "", iri("two"): "10/KH-UBND", iri("untyped"): "Hiến pháp 2013"}
    assert _document_ids(store) == expected


@pytest.mark.parametrize(
    ("notation", "name", "label", "expected"),
    [
        ("TTg", "Thủ tướng Chính phủ", "Thủ tướng Chính phủ", "Thủ tướng Chính phủ"),
        ("UBND", "UBND TỈNH BÌNH PHƯỚC", "Ủy ban nhân dân tỉnh Bình Phước", "UBND tỉnh Bình Phước"),
        ("TU", "", "Tỉnh ủy tỉnh Bình Định", "TU tỉnh Bình Định"),
        ("UBND", "Ủy ban nhân dân thị xã An Nhơn", "", "UBND thị xã An Nhơn"),
        ("TW", "Ban Chấp hành Trung ương Đảng", "", "TW"),
    ],
)
def test_issuer_labels_are_short_and_tell_local_bodies_apart(notation, name, label, expected):
    from kg.viz import IssuerNode

    assert IssuerNode("key", notation, name, label).short == expected


def test_document_labels():
    from kg.viz import DocNode

    assert DocNode("x", id_local="33/CT-TTg").short == "33/CT-TTg"
    draft = DocNode("x", id_local="/KH-UBND", source="corpus/002_728e7e7738d1aea9.txt")
    assert draft.short.startswith("/KH-UBND · 002_728e")  # blank numbers: the file tells drafts apart
    named = DocNode("x", name="Nghị quyết Đại hội đại biểu toàn quốc lần thứ XIII của Đảng")
    assert len(named.short) <= 32 and named.short.endswith("…")


def test_document_text_in_the_omission_note_is_escaped(tmp_path):
    import pyoxigraph as ox

    store = ox.Store()
    hostile = "<img src=x onerror=alert(1)>"
    for key, id_local in (("a", "1/KH-UBND"), ("b", hostile)):
        node = ox.NamedNode(iri(key))
        store.add(ox.Quad(node, ox.NamedNode(vocab.RDF + "type"), ox.NamedNode(vocab.LEGAL_RESOURCE)))
        store.add(ox.Quad(node, ox.NamedNode(vocab.ID_LOCAL), ox.Literal(id_local)))
    store.add(ox.Quad(ox.NamedNode(iri("a")), ox.NamedNode(vocab.CITES), ox.NamedNode(iri("b"))))
    out = tmp_path / "g.html"
    result = visualise(store, out, focus="1/KH-UBND", max_nodes=1)
    assert result.omitted == [hostile] and hostile in result.note  # plain text for the terminal
    text = out.read_text(encoding="utf-8")
    assert hostile not in text and "&lt;img src=x onerror=alert(1)&gt;" in text


@pytest.mark.server
def test_remote_store_gives_the_same_picture_as_the_embedded_one(tmp_path, corpus):
    """The view model reads only the GraphStore contract: a SPARQL server and .kg draw the same graph."""
    from kg import serve
    from kg.store import build

    embedded = tmp_path / "kg"
    assert build([str(corpus)], store=str(embedded), jobs=1).ok
    here = visualise(str(embedded), tmp_path / "here.html")
    with serve.running(None, allow_update=True) as server:
        assert build([str(corpus)], store=server.url, jobs=1).ok
        there = visualise(server.url, tmp_path / "there.html")

    def drawn(path: Path) -> tuple:
        data = page_data(path)
        nodes = sorted((n["id"], n["label"], n.get("kgStatus", ""), n["shape"]) for n in data["nodes"])
        return nodes, sorted(e["id"] for e in data["edges"])

    assert here.documents > 20 and (here.nodes, here.edges) == (there.nodes, there.edges)
    assert drawn(tmp_path / "here.html") == drawn(tmp_path / "there.html")
