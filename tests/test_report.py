"""Reports of kg check: SARIF 2.1.0 against the official schema, a self-contained and escaped HTML page,
text in the reader's language."""

from __future__ import annotations

import json
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest

from kg.check import CheckResult, check, check_text
from kg.report import html_report, line_and_column, render_report, sarif, text_report

AS_OF = "2026-11-23"
SCHEMA = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"


@pytest.fixture(scope="module")
def seeds_result(shared):
    return check(sorted((shared / "seeds").glob("*.txt")), as_of=AS_OF)


@pytest.fixture(scope="module")
def sarif_validator():
    import jsonschema

    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    # Provenance: a swapped or truncated schema would make the validation below vacuous.
    assert schema["title"] == "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"
    assert schema["properties"]["version"]["enum"] == ["2.1.0"]
    assert len(schema["definitions"]) == 52
    # The official schema's `language` pattern uses "(?i)" mid-pattern, which Python's re rejects, so
    # check_schema() cannot run; kg never emits `language` properties, so validation never meets it.
    return jsonschema.validators.validator_for(schema)(schema)


def test_sarif_validates_against_the_official_schema(seeds_result, sarif_validator):
    log = sarif(seeds_result, "vi")
    errors = [f"{list(e.path)}: {e.message}" for e in sarif_validator.iter_errors(log)]
    assert not errors, errors[:5]
    assert log["version"] == "2.1.0"
    results = log["runs"][0]["results"]
    assert len(results) == sum(1 for _ in seeds_result.verdicts())


def test_schema_validation_is_not_vacuous(seeds_result, sarif_validator):
    log = json.loads(json.dumps(sarif(seeds_result, "en")))
    log["runs"][0]["results"][0]["level"] = "fatal"
    assert list(sarif_validator.iter_errors(log))


def test_sarif_results_point_at_the_citation(seeds_result):
    log = sarif(seeds_result, "en")
    run = log["runs"][0]
    rules = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    texts = {Path(d.file).name: d.text for d in seeds_result.documents}
    replaced = [r for r in run["results"] if r["ruleId"] == "citation/replaced"]
    assert replaced and all(r["level"] == "error" and r["kind"] == "fail" for r in replaced)
    for result in run["results"]:
        assert rules[result["ruleIndex"]] == result["ruleId"]
        region = result["locations"][0]["physicalLocation"]["region"]
        uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        text = texts[Path(uri).name]
        offset = region["charOffset"]
        assert text[offset:offset + region["charLength"]] == region["snippet"]["text"]
        assert line_and_column(text, offset) == (region["startLine"], region["startColumn"])
    ok = [r for r in run["results"] if r["properties"]["status"] == "ok"
          and r["properties"]["statusAtCiting"] == "ok"]
    assert ok and all(r["kind"] == "pass" and r["level"] == "none" for r in ok)


HOSTILE = (
    "ỦY BAN NHÂN DÂN TỈNH BÌNH ĐỊNH\nSố: 12/KH-UBND          Bình Định, ngày 10 tháng 3 năm 2024\n"
    "KẾ HOẠCH <script>alert('x')</script>\n"
    'Thực hiện Chỉ thị số 16/CT-TTg ngày 16/5/2016 của Thủ tướng Chính phủ về "x" onmouseover="alert(1)" '
    "<img src=x onerror=alert(2)> &amp; <b>đậm</b>;\n"
    "Quyết chế số 08-QC/TU ngày 29/8/2019 của Ban Thường vụ Tỉnh ủy </mark><script>bad()</script>.\n"
)


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


@pytest.fixture(scope="module")
def hostile_page():
    document = check_text(HOSTILE, file="<b>bad name</b>.txt", as_of=AS_OF)
    return document, html_report(CheckResult(date(2026, 11, 23), [document]), "vi")


def test_html_escapes_all_document_text(hostile_page):
    document, page = hostile_page
    parser = _Collector()
    parser.feed(page)
    tags = {tag for tag, _ in parser.tags}
    assert "script" not in tags and "img" not in tags and "b" not in tags
    assert tags <= {"html", "head", "meta", "title", "style", "body", "h1", "h2", "p", "span", "div", "mark",
                    "table", "tr", "th", "td", "small", "br", "strong"}
    for _, attributes in parser.tags:
        assert set(attributes) <= {"charset", "name", "content", "lang", "class", "id", "title"}
        assert not any(name.startswith("on") for name in attributes)
    # the page's text is the document's text, character for character
    shown = "".join(parser.text)
    assert "<script>alert('x')</script>" in shown and 'onmouseover="alert(1)"' in shown
    assert "&amp;" in shown and "<b>bad name</b>.txt" in shown


def test_html_highlights_each_citation_with_its_status_and_evidence(hostile_page):
    document, page = hostile_page
    parser = _Collector()
    parser.feed(page)
    marks = [attributes for tag, attributes in parser.tags if tag == "mark"]
    assert len(marks) == len(document.verdicts) >= 2
    by_class = {m["class"]: m["title"] for m in marks}
    assert "Không còn phù hợp" in by_class["st-superseded"]  # 16/CT-TTg, with its evidence on hover
    assert "33/CT-TTg" in by_class["st-superseded"]
    assert "Quy chế" in by_class["st-malformed"]


def test_html_is_self_contained(seeds_result):
    page = html_report(seeds_result, "en")
    parser = _Collector()
    parser.feed(page)
    for tag, attributes in parser.tags:
        assert tag not in ("script", "link", "iframe", "img", "object")
        assert "src" not in attributes and "href" not in attributes
    assert "<style>" in page and "@import" not in page and "url(" not in page


def test_html_writes_a_page_a_person_can_look_at(seeds_result, output_dir):
    (output_dir / "check_report.html").write_text(html_report(seeds_result, "vi"), encoding="utf-8")
    assert (output_dir / "check_report.html").stat().st_size > 10_000


def test_text_report_speaks_vietnamese_by_default_and_english_on_request(seeds_result):
    vi = text_report(seeds_result)
    en = render_report(seeds_result, "text", "en")
    for label in ("Bị thay thế", "Được sửa đổi, bổ sung", "Còn hiệu lực", "Hết hiệu lực", "Sai thể thức",
                  "Đề nghị trích dẫn", "Căn cứ"):
        assert label in vi
    for label in ("Replaced", "Amended", "In force", "Expired", "Malformed", "Cite instead", "Evidence"):
        assert label in en
    assert "145/2020/NĐ-CP" in vi and "145/2020/NĐ-CP" in en
    assert "độ tin cậy trung bình" in vi and "medium confidence" in en


def test_unknown_format_or_language_is_refused(seeds_result):
    with pytest.raises(ValueError):
        render_report(seeds_result, "xml")
    with pytest.raises(ValueError):
        render_report(seeds_result, "text", "fr")


@pytest.mark.browser
def test_html_in_a_browser_runs_nothing_and_fetches_nothing(browser, hostile_page, tmp_path, output_dir):
    document, page_html = hostile_page
    path = tmp_path / "report.html"
    path.write_text(page_html, encoding="utf-8")
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    requests, dialogs, errors = [], [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(path.resolve().as_uri())
    page.wait_for_load_state("load")
    assert requests == [path.resolve().as_uri()]  # offline: the file itself, nothing else
    assert dialogs == [] and errors == []  # the <script> and onerror in the text stayed text
    assert page.evaluate("document.scripts.length") == 0
    marks = page.locator("mark")
    assert marks.count() == len(document.verdicts)
    superseded = page.locator("mark.st-superseded")
    superseded.hover()
    assert "33/CT-TTg" in superseded.get_attribute("title")
    assert "<script>alert('x')</script>" in page.inner_text(".doc")
    page.screenshot(path=str(output_dir / "check_report_hostile.png"))
    page.close()


def test_text_report_folds_a_document_cited_again_with_the_same_finding():
    text = (
        "KẾ HOẠCH\nThực hiện Chỉ thị số 16/CT-TTg ngày 16/5/2016 của Thủ tướng Chính phủ;\n"
        "Nội dung khác.\nTheo Chỉ thị số 16/CT-TTg, các đơn vị triển khai;\n"
        "Căn cứ Quyết định số 12/QĐ-UBND ngày 02/01/2024 của UBND tỉnh.\n"
    )
    document = check_text(text, as_of=date(2026, 11, 23))
    report = text_report(CheckResult(date(2026, 11, 23), [document]), "en")
    heads = [line for line in report.splitlines() if line.startswith("  [")]
    assert [h for h in heads if "16/CT-TTg" in h] == [h for h in heads if "(line 2, 4)" in h]
    assert len([h for h in heads if "16/CT-TTg" in h]) == 1 and any("12/QĐ-UBND" in h for h in heads)
    # the machine-readable reports keep every mention, with its own position
    mentions = json.loads(render_report(CheckResult(date(2026, 11, 23), [document]), "json"))
    cited = [c for d in mentions["documents"] for c in d["citations"] if c["id"] == "16/CT-TTg"]
    assert len(cited) == 2 and cited[0]["start"] != cited[1]["start"]


@pytest.mark.parametrize(("act", "label"), [
    ("Điều 2. Quyết định này sửa đổi, bổ sung Quyết định số 1564/QĐ-UBND ngày 29/7/2019 của UBND tỉnh.",
     "Cite it as amended by: 88/QĐ-UBND"),  # not "Cite instead": the amended decision stays in force
    ("Điều 3. Quyết định này thay thế Quyết định số 1564/QĐ-UBND ngày 29/7/2019 của UBND tỉnh.",
     "Cite instead: 88/QĐ-UBND"),
])
def test_the_suggestion_says_what_it_is_for(tmp_path, act, label):
    head = "ỦY BAN NHÂN DÂN TỈNH BÌNH ĐỊNH\nSố: {}   Bình Định, ngày {} tháng 3 năm {}\n{}\nVề việc {}\n\n"
    (tmp_path / "act.txt").write_text(head.format("88/QĐ-UBND", 10, 2024, "QUYẾT ĐỊNH", "ban hành") + act,
                                      encoding="utf-8")
    (tmp_path / "plan.txt").write_text(head.format("12/KH-UBND", 10, 2025, "KẾ HOẠCH", "triển khai") +
                                       "Căn cứ Quyết định số 1564/QĐ-UBND ngày 29/7/2019 của UBND tỉnh;\n",
                                       encoding="utf-8")
    assert label in render_report(check(tmp_path, as_of="2026-11-23"), "text", "en")
