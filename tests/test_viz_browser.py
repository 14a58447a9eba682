"""The `kg viz` page in a real headless Chromium (Debian's /usr/bin/chromium driven by playwright).

In CI these tests must run: a missing browser fails them there. Locally they skip, saying why.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from viz_graph import DOCS, EVIL_TITLE, N_DOCS, N_EDGES, N_ISSUERS, RELATIONS, iri, many_store, small_store

from kg import vocab
from kg.viz import visualise

pytestmark = pytest.mark.browser

class Visit:
    """A page opened from a file, with everything it logged, fetched or popped up."""

    def __init__(self, browser, html_path: Path):
        self.url = html_path.resolve().as_uri()
        self.page = browser.new_page(viewport={"width": 1400, "height": 900})
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.page.on(
            "console", lambda m: self.errors.append(m.text) if m.type in ("error", "warning") else None
        )
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("dialog", self._dialog)
        self.page.goto(self.url)
        self.page.wait_for_function("document.body.getAttribute('data-stable') === 'true'", timeout=60_000)

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def counts(self) -> dict[str, int]:
        return self.page.evaluate(
            """() => ({nodes: kgViz.nodes.length, edges: kgViz.edges.length,
                       drawnNodes: kgViz.network.body.nodeIndices.length,
                       drawnEdges: kgViz.network.body.edgeIndices.length})"""
        )

    def assert_clean(self) -> None:
        assert self.errors == []
        assert self.dialogs == []
        assert set(self.requests) == {self.url}  # the file itself, nothing else

    def search(self, text: str) -> list[str]:
        self.page.fill("#kg-search", text)
        self.page.press("#kg-search", "Enter")
        return self.page.evaluate("kgViz.network.getSelectedNodes()")

    def wait_until_centred_on(self, node_id: str) -> None:
        """Wait (however slow the machine) for the zoom animation of a search to reach the node."""
        self.page.wait_for_function(
            """(id) => { const n = kgViz.network, v = n.getViewPosition(), p = n.getPosition(id);
                         return Math.abs(n.getScale() - 1.4) < 0.01
                                && Math.abs(v.x - p.x) < 1 && Math.abs(v.y - p.y) < 1; }""",
            arg=node_id,
            timeout=20_000,
        )

    def hover(self, node_id: str) -> str:
        """Move the mouse onto a node and return the text of vis-network's tooltip."""
        point = self.page.evaluate(
            """(id) => { const p = kgViz.network.canvasToDOM(kgViz.network.getPosition(id));
                         const box = document.getElementById('kg-network').getBoundingClientRect();
                         return {x: box.left + p.x, y: box.top + p.y}; }""",
            node_id,
        )
        self.page.mouse.move(point["x"], point["y"])
        tooltip = self.page.locator("div.vis-tooltip")
        tooltip.wait_for(state="visible", timeout=15_000)
        return tooltip.inner_text()


@pytest.fixture(scope="module")
def small_html(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("viz_browser") / "small.html"
    visualise(small_store(), out)
    return out


def test_page_loads_offline_and_draws_the_whole_graph(browser, small_html, output_dir):
    visit = Visit(browser, small_html)
    counts = visit.counts()
    assert counts == {
        "nodes": N_DOCS + N_ISSUERS,
        "edges": N_EDGES,
        "drawnNodes": N_DOCS + N_ISSUERS,
        "drawnEdges": N_EDGES,
    }
    assert visit.page.evaluate("kgViz.network.physics.options.enabled") is False  # settled, then frozen
    assert visit.page.locator("#kg-legend").inner_text().count("\n") > 10
    visit.page.screenshot(path=str(output_dir / "viz_small.png"))
    visit.page.uncheck("#kg-show-issuers")  # the reader can hide issuers and their "issued by" edges
    counts = visit.counts()
    assert (counts["drawnNodes"], counts["drawnEdges"]) == (N_DOCS, len(RELATIONS))
    visit.page.check("#kg-show-issuers")
    assert visit.counts()["drawnNodes"] == N_DOCS + N_ISSUERS
    visit.assert_clean()
    visit.page.close()


def test_search_selects_and_focuses_the_node(browser, small_html, output_dir):
    visit = Visit(browser, small_html)
    ct33 = iri(DOCS["ct33"][0])
    assert visit.search("33/CT-TTg") == [ct33]
    assert "33/CT-TTg" in visit.page.locator("#kg-details").inner_text()
    visit.wait_until_centred_on(ct33)  # the focus animation has ended
    scale = visit.page.evaluate("kgViz.network.getScale()")
    assert scale == pytest.approx(1.4, rel=0.05)
    centre = visit.page.evaluate(
        "(() => { const p = kgViz.network.getViewPosition(); return [p.x, p.y]; })()"
    )
    node = visit.page.evaluate(
        f"(() => {{ const p = kgViz.network.getPosition({ct33!r}); return [p.x, p.y]; }})()"
    )
    assert centre == pytest.approx(node, abs=2)  # the view is centred on it
    visit.page.screenshot(path=str(output_dir / "viz_small_search.png"))

    assert visit.search("dan van cac cap") == [iri(DOCS["ct33"][0])]  # title words, no diacritics
    assert visit.search("18-nq/tw") == [iri(DOCS["nq18"][0])]
    visit.search("no such document 0000")
    assert visit.page.locator("#kg-search-msg").inner_text() == "not found"
    visit.assert_clean()
    visit.page.close()


def test_hostile_title_shows_as_text(browser, small_html, output_dir):
    visit = Visit(browser, small_html)
    evil = iri(DOCS["evil"][0])
    assert visit.search("99/QĐ-UBND") == [evil]
    details = visit.page.locator("#kg-details")
    assert EVIL_TITLE in details.inner_text()
    assert details.locator("img, script, b").count() == 0
    visit.wait_until_centred_on(evil)
    tooltip = visit.hover(evil)
    assert EVIL_TITLE in tooltip
    assert visit.page.locator("div.vis-tooltip img, div.vis-tooltip script, div.vis-tooltip b").count() == 0
    visit.page.screenshot(path=str(output_dir / "viz_small_tooltip.png"))
    visit.assert_clean()  # no alert, no console error, no request for the <img src=x>
    visit.page.close()


def test_large_graph_is_laid_out_beforehand_and_says_what_it_left_out(browser, tmp_path, output_dir):
    out = tmp_path / "large.html"
    result = visualise(many_store(n_plans=500, cited_per_plan=2), out, max_nodes=400)
    assert result.layout == "precomputed" and result.omitted
    visit = Visit(browser, out)
    counts = visit.counts()
    assert counts["nodes"] == counts["drawnNodes"] == result.nodes == 400
    assert counts["edges"] == counts["drawnEdges"] == result.edges
    note = visit.page.locator("#kg-note")
    assert note.is_visible() and f"left out {len(result.omitted)}" in note.inner_text()
    visit.page.screenshot(path=str(output_dir / "viz_large.png"))
    visit.assert_clean()
    visit.page.close()


@pytest.fixture(scope="session")
def corpus_store(tmp_path_factory, corpus) -> Path:
    """The seed corpus built with `kg build` (shared by the browser tests that need a real graph)."""
    import kg

    store = tmp_path_factory.mktemp("corpus_store") / "kg"
    report = kg.build([str(corpus)], store=str(store), jobs=1)
    assert report.ok, report.failed
    return store


def test_corpus_graph_in_the_browser(browser, corpus_store, tmp_path, output_dir):
    from kg.store import open_store

    handle = open_store(str(corpus_store))
    try:
        documents = handle.select(
            f"SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE {{ ?d a <{vocab.LEGAL_RESOURCE}> }}"
        )
        issuers = handle.select(f"SELECT (COUNT(DISTINCT ?i) AS ?n) WHERE {{ ?d <{vocab.PASSED_BY}> ?i }}")
    finally:
        handle.close()
    out = tmp_path / "corpus.html"
    result = visualise(str(corpus_store), out)
    assert result.documents == int(documents[0]["n"]) > 20
    assert result.issuers == int(issuers[0]["n"]) > 0
    visit = Visit(browser, out)
    counts = visit.counts()
    assert counts["nodes"] == counts["drawnNodes"] == result.nodes
    assert counts["edges"] == counts["drawnEdges"] == result.edges > result.documents - 1
    visit.page.screenshot(path=str(output_dir / "viz_corpus.png"))
    shutil.copy(out, output_dir / "viz_corpus.html")
    visit.assert_clean()
    visit.page.close()


def test_empty_selection_loads_and_says_so(browser, tmp_path):
    out = tmp_path / "empty.html"
    visualise(small_store(), out, doc_type="no such type")
    visit = Visit(browser, out)
    assert visit.counts() == {"nodes": 0, "edges": 0, "drawnNodes": 0, "drawnEdges": 0}
    assert "No document" in visit.page.locator("#kg-note").inner_text()
    visit.assert_clean()
    visit.page.close()
