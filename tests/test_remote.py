"""kg.remote.RemoteStore against a real, writable Oxigraph server on loopback: build, named queries, export
and check give what the embedded store gives; parameters stay terms; credentials never show."""

from __future__ import annotations

import base64
import json
import subprocess
import threading
import unicodedata
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from kg import query as q
from kg import serve, vocab
from kg.cli import app
from kg.remote import RemoteStore, RemoteStoreError
from kg.store import build, open_store

pytestmark = pytest.mark.server

INJECTION = 'x" } ; DROP ALL ; #'

# Every named query with parameters that give it something to return on the seed corpus.
NAMED_RUNS = [
    ("most-cited", {}),
    ("cited-by", {"document": "33/CT-TTg"}),
    ("cites", {"document": "corpus/004_a1f0a423e889157a.txt", "max_depth": 3}),
    ("citing-outdated", {}),
    ("citing-outdated", {"as_of": "2023-02-14"}),
    ("implementation-chain", {"document": "33/CT-TTg"}),
    ("issuer-network", {}),
    ("citations-per-year", {"system": "state"}),
    ("in-force-on", {"date": "2024-01-01"}),
]


@pytest.fixture(scope="module")
def server():
    """A writable in-memory Oxigraph server with the union default graph, as docs/scaling.md sets it up."""
    with serve.running(None, allow_update=True) as running:
        yield running


@pytest.fixture(scope="module")
def remote(server, corpus) -> RemoteStore:
    store = RemoteStore(server.url)
    report = build([str(corpus)], store=server.url, jobs=1)
    assert report.ok and len(report.written) == 5, report
    return store


@pytest.fixture(scope="module")
def embedded(tmp_path_factory, corpus):
    path = tmp_path_factory.mktemp("remote") / "kg"
    assert build([str(corpus)], store=str(path), jobs=1).ok
    store = open_store(str(path))
    yield store
    store.close()


def as_text(result: q.Result) -> list[tuple[tuple[str, str], ...]]:
    return sorted(tuple(sorted((k, str(v)) for k, v in row.items())) for row in result.rows)


@pytest.mark.parametrize(("name", "params"), NAMED_RUNS, ids=[f"{n}-{len(p)}" for n, p in NAMED_RUNS])
def test_named_queries_give_the_same_rows_remote_and_embedded(remote, embedded, name, params):
    here = q.run_named(embedded, name, **params)
    there = q.run_named(remote, name, **params)
    assert here.rows, f"{name} returned nothing: the comparison would prove nothing"
    assert there.variables == here.variables
    assert as_text(there) == as_text(here)


def test_rebuild_skips_unchanged_files_and_source_hashes_match(remote, embedded, server, corpus):
    assert remote.source_hashes() == embedded.source_hashes()
    again = build([str(corpus)], store=server.url, jobs=1)
    assert again.written == [] and len(again.unchanged) == 5


def test_export_of_the_remote_store_equals_the_embedded_one(remote, embedded):
    def lines(data: bytes) -> set[str]:
        return {line for line in data.decode("utf-8").splitlines() if line and "_:" not in line}

    assert lines(remote.dump("nq")) == lines(embedded.dump("nq"))
    assert lines(remote.dump("nt")) == lines(embedded.dump("nt"))
    assert len(remote.dump("jsonld")) == len(embedded.dump("jsonld"))
    assert b"eli:LegalResource" in remote.dump("ttl") and b"<rdf:RDF" in remote.dump("rdf")


def test_parameters_are_terms_on_the_remote_store_too(remote):
    graphs = len(remote.graphs())
    rows = q.query(remote, "SELECT ?d WHERE { ?d eli:id_local ?id }", id=INJECTION)
    assert rows == [] and len(remote.graphs()) == graphs
    remote.update('INSERT DATA { GRAPH <http://example.org/test> { <http://example.org/d> '
                  '<http://data.europa.eu/eli/ontology#id_local> "x\\" } ; DROP ALL ; #" } }')
    try:
        assert q.query(remote, "SELECT ?d WHERE { ?d eli:id_local ?id }", id=INJECTION) == [
            {"d": "http://example.org/d"}]
    finally:
        remote.drop_graph("http://example.org/test")
    assert len(remote.graphs()) == graphs


@settings(max_examples=20, deadline=None)
@given(text=st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=30))
def test_any_text_parameter_is_data_on_the_server(remote, text):
    value = unicodedata.normalize("NFC", text)
    graph = "http://example.org/property"
    remote.update(f"INSERT DATA {{ GRAPH <{graph}> {{ <http://example.org/p> <{vocab.ID_LOCAL}> "
                  f"{ox.Literal(value)} }} }}")
    try:
        rows = q.query(remote, "SELECT DISTINCT ?d WHERE { ?d eli:id_local ?id }", id=text)
        assert rows == [{"d": "http://example.org/p"}]
    finally:
        remote.drop_graph(graph)


def test_syntax_errors_from_the_server_are_positioned(remote):
    with pytest.raises(q.QuerySyntaxError) as caught:
        q.execute(remote, "SELECT ?x\nWHERE { ?x ?y }", {"y": "bound"})
    assert (caught.value.line, caught.value.column) == (2, 16)


def test_cli_query_and_check_against_the_server(remote, server, embedded, corpus):
    runner = CliRunner()
    there = runner.invoke(app, ["query", "--store", server.url, "-n", "cited-by", "-p", "document=33/CT-TTg",
                                "--format", "tsv"])
    assert there.exit_code == 0, there.output
    assert there.stdout == q.render(q.run_named(embedded, "cited-by", document="33/CT-TTg"), "tsv")
    plan = str(Path(corpus) / "004_a1f0a423e889157a.txt")

    def statuses(store: str) -> list[tuple[str, str, str]]:
        options = ["--store", store, "--format", "json", "--fail-on", "never", "--as-of", "2026-01-01"]
        checked = runner.invoke(app, ["check", plan, *options])
        assert checked.exit_code == 0, checked.output
        report = json.loads(checked.stdout)
        citations = [c for document in report["documents"] for c in document["citations"]]
        return [(c["id"], c["status"], c["status_at_citing"]) for c in citations]

    remote_statuses = statuses(server.url)
    assert ("16/CT-TTg", "superseded") in {(i, s) for i, s, _ in remote_statuses}
    assert remote_statuses == statuses(embedded.location)


# ---------------------------------------------------------------- configuration and credentials


def test_credentials_are_masked_and_taken_from_env_or_config(tmp_path, monkeypatch):
    store = RemoteStore("http://alice:s3cr%21t@127.0.0.1:9/kg")
    assert store.location == "http://127.0.0.1:9/kg"
    assert "s3cr" not in repr(store) and "alice" in repr(store)
    with pytest.raises(RemoteStoreError) as caught:
        store.select("ASK {}")
    assert "s3cr" not in str(caught.value) and "127.0.0.1:9" in str(caught.value)

    config = tmp_path / "store.toml"
    config.write_text(
        'timeout = 5\n[stores."https://fuseki.example.org/kg"]\nquery = "/kg/sparql"\nupdate = "/kg/update"\n'
        'store = "/kg/data"\nuser = "bob"\npassword = "hunter2"\nunion_param = ""\n', encoding="utf-8")
    monkeypatch.setenv("KG_STORE_CONFIG", str(config))
    fuseki = RemoteStore("https://fuseki.example.org/kg/")
    assert fuseki.endpoints.query == "https://fuseki.example.org/kg/kg/sparql"
    assert fuseki.endpoints.store == "https://fuseki.example.org/kg/kg/data"
    assert fuseki.union_param == "" and fuseki.timeout == 5
    assert "hunter2" not in repr(fuseki) and "bob" in repr(fuseki)
    monkeypatch.setenv("KG_STORE_USER", "carol")
    monkeypatch.setenv("KG_STORE_PASSWORD", "pa55")
    from_env = RemoteStore("https://fuseki.example.org/kg")
    assert "carol" in repr(from_env) and "pa55" not in repr(from_env)
    other = RemoteStore("http://127.0.0.1:7878")  # not in the file: Oxigraph's layout, top-level timeout
    assert other.endpoints.update == "http://127.0.0.1:7878/update"
    assert other.union_param == "union-default-graph"


class AuthProxy(BaseHTTPRequestHandler):
    """Forwards to the real Oxigraph server only with the right Basic credentials (as a reverse proxy
    in front of Fuseki or GraphDB would)."""

    target = ""
    expected = "Basic " + base64.b64encode(b"kg:p@ss word").decode()

    def _forward(self) -> None:
        if self.headers.get("Authorization") != self.expected:
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="kg"')
            self.end_headers()
            self.wfile.write(b"credentials required")
            return
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        headers = {k: v for k, v in self.headers.items() if k.lower() in ("content-type", "accept")}
        url = self.target + self.path
        request = urllib.request.Request(url, data=body, method=self.command, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                status, payload, kind = response.status, response.read(), response.headers.get("Content-Type")
        except urllib.error.HTTPError as error:
            status, payload, kind = error.code, error.read(), error.headers.get("Content-Type")
        self.send_response(status)
        if kind:
            self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_DELETE = _forward

    def log_message(self, *args: object) -> None:
        pass


def test_basic_credentials_reach_a_protected_server(remote, server, monkeypatch):
    AuthProxy.target = server.url
    proxy = ThreadingHTTPServer(("127.0.0.1", 0), AuthProxy)
    thread = threading.Thread(target=proxy.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{proxy.server_address[1]}"
    try:
        with pytest.raises(RemoteStoreError) as refused:
            RemoteStore(url).ask("ASK {}")
        assert refused.value.status == 401
        monkeypatch.setenv("KG_STORE_USER", "kg")
        monkeypatch.setenv("KG_STORE_PASSWORD", "p@ss word")
        protected = RemoteStore(url)
        assert q.run_named(protected, "most-cited", min_files=3).values() == q.run_named(
            remote, "most-cited", min_files=3).values()
        with pytest.raises(RemoteStoreError) as wrong:
            RemoteStore(url, password="nope").ask("ASK {}")
        assert "nope" not in str(wrong.value) and wrong.value.status == 401
    finally:
        proxy.shutdown()
        proxy.server_close()


def test_bulk_load_of_an_exported_dump_serves_the_same_answers(embedded, tmp_path):
    """docs/scaling.md: `kg export --format nq`, `oxigraph load`, serve, query with --store URL."""
    dump = tmp_path / "kg.nq"
    arguments = ["export", "--store", embedded.location, "--format", "nq", "-o", str(dump)]
    exported = CliRunner().invoke(app, arguments)
    assert exported.exit_code == 0, exported.output
    location = tmp_path / "bulk"
    subprocess.run([serve.oxigraph_binary(), "load", "--location", str(location), "--file", str(dump)],
                   check=True, capture_output=True)
    with serve.running(location) as server:
        loaded = RemoteStore(server.url)
        for name, params in (("citing-outdated", {}), ("most-cited", {"min_files": 2})):
            expected = q.run_named(embedded, name, **params)
            assert as_text(q.run_named(loaded, name, **params)) == as_text(expected)


def test_union_default_graph_is_requested_per_query_from_a_plain_oxigraph():
    """Without --union-default-graph on the server, kg's request parameter still gives the union;
    `union_param=""` (for servers that do not know it) sends nothing."""
    port = serve.free_port()
    command = [serve.oxigraph_binary(), "serve", "--bind", f"127.0.0.1:{port}"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        plain = serve.Server(process, "127.0.0.1", port, read_only=False)
        serve._wait_until_ready(plain, 30)
        store = RemoteStore(plain.url)
        store.replace_graph("http://example.org/g", '<http://example.org/a> <http://example.org/b> "c" .\n')
        assert store.select("SELECT ?o WHERE { ?s ?p ?o }") == [{"o": "c"}]
        assert RemoteStore(plain.url, union_param="").select("SELECT ?o WHERE { ?s ?p ?o }") == []
    finally:
        process.terminate()
        process.wait()


def test_viz_draws_the_same_graph_from_the_server(remote, embedded, tmp_path):
    from kg.viz import visualise

    here = visualise(embedded, tmp_path / "embedded.html")
    there = visualise(remote, tmp_path / "remote.html")
    assert (there.nodes, there.edges, there.documents) == (here.nodes, here.edges, here.documents)
    assert there.nodes > 50


def test_masking_hides_the_password_and_leaves_other_words_alone():
    store = RemoteStore("http://u:topsecret@127.0.0.1:9/kg")
    assert store._mask("connection refused with topsecret") == "connection refused with ***"


class CountingStore(RemoteStore):
    """A real RemoteStore that counts the update requests it sends."""

    posts = 0

    def _post_update(self, sparql: str) -> None:
        self.posts += 1
        super()._post_update(sparql)


def test_replace_graphs_swaps_many_graphs_in_few_requests():
    """Node graphs of a first build go in batches: the server ends with exactly the new content of each
    graph (an old graph replaced, not added to), Vietnamese text and escapes intact."""
    graphs = [(f"urn:kg-test:g{i}",
               f'<urn:kg-test:d{i}> <urn:kg-test:title> "Kế hoạch số {i}/KH-UBND \\"mới\\"\\n" .\n')
              for i in range(40)]
    with serve.running(None, allow_update=True) as server:
        store = CountingStore(server.url)
        store.replace_graph("urn:kg-test:g0", '<urn:kg-test:old> <urn:kg-test:title> "cũ" .\n')
        store.replace_graphs(graphs, max_bytes=1000)
        assert 1 < store.posts < len(graphs)
        rows = store.select("SELECT ?g ?s ?o WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert sorted((r["g"], r["s"], r["o"]) for r in rows) == sorted(
        (f"urn:kg-test:g{i}", f"urn:kg-test:d{i}", f'Kế hoạch số {i}/KH-UBND "mới"\n') for i in range(40))
