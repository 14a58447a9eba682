"""`kg serve`: the Oxigraph SPARQL server over a built store, started on a free loopback port."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg import query as q
from kg import serve
from kg.cli import app
from kg.remote import RemoteStore
from kg.store import StoreBusyError, build, open_store

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def built(tmp_path_factory, corpus) -> Path:
    path = tmp_path_factory.mktemp("serve") / "kg"
    assert build([str(corpus)], store=str(path), jobs=1).ok
    return path


def http(url: str, data: dict[str, str] | None = None, method: str | None = None, body: bytes | None = None,
         headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    payload = urllib.parse.urlencode(data).encode() if data else body
    request = urllib.request.Request(url, data=payload, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def count_quads(base: str) -> int:
    status, body = http(base + "/query", {"query": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"},
                        headers={"Accept": "application/sparql-results+json"})
    assert status == 200, body
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


def test_read_only_server_answers_queries_and_refuses_updates(built):
    embedded = open_store(str(built))
    expected = q.run_named(embedded, "most-cited", min_files=2).values()
    embedded_quads = len(embedded.oxigraph)
    embedded.close()
    with serve.running(built) as server:
        assert server.host == "127.0.0.1" and server.read_only
        assert count_quads(server.url) == embedded_quads
        # the union default graph is on: named queries run unchanged over HTTP
        assert q.run_named(RemoteStore(server.url), "most-cited", min_files=2).values() == expected
        status, body = http(server.url + "/update", {"update": "DROP ALL"})
        assert status == 403 and b"read-only" in body
        status, _ = http(server.url + "/store?graph=http://example.org/g", method="PUT",
                         body=b"<http://a> <http://b> <http://c> .",
                         headers={"Content-Type": "application/n-triples"})
        assert status == 403
        assert count_quads(server.url) == embedded_quads
        status, page = http(server.url + "/")
        assert status == 200 and b"<title>Oxigraph server</title>" in page
        assert b"https://" not in page.split(b"<body")[0]  # the query UI's scripts are served locally
    assert server.process.poll() is not None  # stopped


def test_command_lines_are_loopback_read_only_and_union_by_default(built):
    command = serve.server_command(built)
    assert command[1:] == ["serve-read-only", "--location", str(built), "--bind", "127.0.0.1:7878",
                           "--union-default-graph"]
    writable = serve.server_command(built, port=9000, allow_update=True)
    assert writable[1] == "serve" and "127.0.0.1:9000" in writable
    with pytest.raises(serve.ServeError, match="kg build"):
        serve.start(built.parent / "missing")
    missing = CliRunner().invoke(app, ["serve", "--store", str(built.parent / "missing")])
    assert missing.exit_code == 2 and "kg build" in missing.stderr


def test_kg_serve_command_runs_until_interrupted(built):
    port = serve.free_port()
    command = [sys.executable, "-m", "kg.cli", "serve", "--store", str(built), "--port", str(port)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                assert count_quads(base) > 0
                break
            except (urllib.error.URLError, ConnectionError):
                assert time.monotonic() < deadline and process.poll() is None, process.stderr.read()
                time.sleep(0.2)
        assert http(base + "/update", {"update": "CLEAR ALL"})[0] == 403
    finally:
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=20)
    assert b"read-only" in err and f"http://127.0.0.1:{port}/query".encode() in err


def test_writable_server_holds_the_lock_against_a_build(built, tmp_path, corpus):
    copy = tmp_path / "kg"
    build([str(corpus)], store=str(copy), jobs=1)
    with serve.running(copy, allow_update=True) as server:
        assert not server.read_only
        status, _ = http(server.url + "/update", {
            "update": "INSERT DATA { GRAPH <http://example.org/g> { <http://a> <http://b> 'c' } }"})
        assert status == 204
        with pytest.raises(StoreBusyError, match="busy"):
            build([str(corpus)], store=str(copy), jobs=1)
    reopened = open_store(str(copy))
    assert reopened.ask("ASK { GRAPH <http://example.org/g> { <http://a> <http://b> 'c' } }")
    reopened.close()
