"""Hostile document text in HTML outputs, credentials in error messages, writes through read-only doors.

Already covered by their owners, not repeated here: the viz page's escaping of a hand-made graph
(tests/test_viz.py, test_viz_browser.py), `kg serve` bound to 127.0.0.1 and refusing updates unless
--allow-update (tests/test_serve.py), query parameters bound as terms, not spliced (tests/test_query.py),
RemoteStore masking its password in repr and errors (tests/test_remote.py). Here the whole pipeline runs
on a hostile document, and every command that can take a remote store is run against a dead one.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = "<script>alert(1)</script>"
ATTRIBUTE = '"><img src=x onerror=alert(1)>'
RAW = (SCRIPT, ATTRIBUTE, "<img src=x", "<script>alert")

HOSTILE_PLAN = f"""ỦY BAN NHÂN DÂN
TỈNH BÌNH ĐỊNH
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

Số: 12/KH-UBND
Bình Định, ngày 05 tháng 3 năm 2024

KẾ HOẠCH
Triển khai {SCRIPT} công tác dân vận {ATTRIBUTE} năm 2024

Thực hiện Chỉ thị số 33/CT-TTg ngày 26/11/2021 của Thủ tướng Chính phủ về việc {SCRIPT} tăng cường
công tác dân vận {ATTRIBUTE}; Căn cứ Quyết định số 99/QĐ-UBND ngày 01/02/2023 của Ủy ban nhân dân tỉnh
về {ATTRIBUTE} ban hành quy chế {SCRIPT}.
Ủy ban nhân dân tỉnh ban hành Kế hoạch như sau:
I. MỤC ĐÍCH {SCRIPT}
1. Thực hiện tốt Chỉ thị số 16/CT-TTg ngày 12/6/2018 {ATTRIBUTE}.
"""


def kg(*args: str, env: dict[str, str] | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kg.cli", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300, env={**os.environ, **(env or {})})


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A plan whose title, subjects and citation sentences carry HTML payloads, and its built store."""
    base = tmp_path_factory.mktemp("hostile")
    plan = base / "plan.txt"
    plan.write_text(HOSTILE_PLAN, encoding="utf-8")
    store = base / "store"
    done = kg("build", str(plan), "--store", str(store))
    assert done.returncode == 0, done.stderr
    return plan, store


def _assert_escaped(page: str) -> None:
    for raw in RAW:
        assert raw not in page, f"unescaped {raw!r}"
    assert "alert(1)" in page  # the payload did reach the page, as text


def test_the_payloads_reach_the_graph_as_plain_text(hostile):
    _, store = hostile
    read = ox.Store.read_only(str(store))
    quads = read.quads_for_pattern(None, None, None)
    literals = {q.object.value for q in quads if isinstance(q.object, ox.Literal)}
    assert any(SCRIPT in value for value in literals)  # the title or a subject: stored as is
    assert any(ATTRIBUTE in value for value in literals)


def test_kg_viz_page_escapes_document_text(hostile, tmp_path):
    _, store = hostile
    page = tmp_path / "graph.html"
    done = kg("viz", "--store", str(store), "-o", str(page))
    assert done.returncode == 0, done.stderr
    _assert_escaped(page.read_text(encoding="utf-8"))


def test_kg_check_html_report_escapes_document_text(hostile, tmp_path):
    plan, store = hostile
    report = tmp_path / "report.html"
    done = kg("check", str(plan), "--store", str(store), "--format", "html", "-o", str(report),
              "--fail-on", "never")
    assert done.returncode == 0, done.stderr
    _assert_escaped(report.read_text(encoding="utf-8"))


def test_kg_query_cannot_write_the_store(hostile):
    _, store = hostile
    before = len(ox.Store.read_only(str(store)))
    done = kg("query", "--store", str(store), "INSERT DATA { <urn:x:a> <urn:x:b> <urn:x:c> }")
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    done = kg("query", "--store", str(store), "DROP ALL")
    assert done.returncode != 0
    assert len(ox.Store.read_only(str(store))) == before


# --- credentials never printed ------------------------------------------------------------------------

SECRET = "Secret-7c1d-pw"


def _dead_url() -> str:
    """An http URL on 127.0.0.1 where nothing listens (a closed port)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/kg"


@pytest.mark.parametrize("in_url", [False, True], ids=["env", "url"])
def test_a_failing_remote_store_never_prints_the_password(hostile, tmp_path, in_url):
    plan, _ = hostile
    url = _dead_url()
    env = {"KG_STORE_USER": "kg-user", "KG_STORE_PASSWORD": SECRET}
    if in_url:
        url = url.replace("http://", f"http://kg-user:{SECRET}@")
        env = {}
    commands = [
        ["query", "--store", url, "ASK {}"],
        ["query", "--store", url, "--name", "most-cited"],
        ["build", str(plan), "--store", url],
        ["check", str(plan), "--store", url],
        ["stats", "--store", url],
        ["export", "--store", url, "--format", "nq"],
        ["viz", "--store", url, "-o", str(tmp_path / "g.html")],
    ]
    for command in commands:
        done = kg(*command, env=env)
        shown = " ".join(command[:1])
        assert done.returncode != 0, f"kg {shown} succeeded against a dead server"
        assert SECRET not in done.stdout and SECRET not in done.stderr, f"kg {shown} printed the password"
        assert "Traceback" not in done.stderr, done.stderr
        assert f"cannot reach the SPARQL server {_dead_url_shown(url)}" in done.stderr, done.stderr


def _dead_url_shown(url: str) -> str:
    return url.replace(f"kg-user:{SECRET}@", "")
