"""kg check: verdicts on the seeds against gold (both clocks), each knowledge layer (registry, corpus,
rules), the two clocks, exit codes and the JSON contract."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from kg.check import (
    Event,
    Evidence,
    Knowledge,
    check,
    check_text,
    date_bounds,
    severity,
    status_at,
    statuses,
)
from kg.cli import app
from kg.models import Citation, DocumentMetadata
from kg.registry import identity_key

AS_OF = "2026-11-23"  # fixed, so that the "now" clock does not move under the tests


# ---------------------------------------------------------------------------------------------- gold


@pytest.fixture(scope="module")
def seed_result(shared):
    return check(sorted((shared / "seeds").glob("*.txt")), as_of=AS_OF)


def _gold(shared) -> list[dict]:
    return json.loads((shared / "gold" / "seed_status.json").read_text(encoding="utf-8"))


def _accepts(gold_value, status: str) -> bool:
    return status in (gold_value if isinstance(gold_value, list) else [gold_value])


def _verdicts_for(result, entry):
    for document in result.documents:
        if Path(document.file).name == entry["file"]:
            return [v for v in document.verdicts
                    if identity_key(v.to_dict()["id"] or "") == identity_key(entry["cited"])]
    raise AssertionError(f"{entry['file']} was not checked")


def test_seed_verdicts_match_gold_at_both_clocks(shared, seed_result):
    problems = []
    for entry in _gold(shared):
        verdicts = _verdicts_for(seed_result, entry)
        if not verdicts:
            problems.append(f"{entry['file']} {entry['cited']}: not found")
        for verdict in verdicts:
            label = f"{entry['file']} {entry['cited']}"
            if not _accepts(entry["at_citing"], verdict.status_at_citing):
                problems.append(f"{label}: at citing {verdict.status_at_citing}, gold {entry['at_citing']}")
            if not _accepts(entry["now"], verdict.status):
                problems.append(f"{label}: now {verdict.status}, gold {entry['now']}")
            if entry.get("suggest") and verdict.suggestion != entry["suggest"]:
                problems.append(f"{label}: suggests {verdict.suggestion}, gold {entry['suggest']}")
            if entry.get("variant_of"):
                notes = " ".join(n.text("en") for n in verdict.notes)
                if entry["variant_of"] not in notes or verdict.status != "ok":
                    problems.append(f"{label}: variant of {entry['variant_of']} not noted ({notes})")
    assert not problems, "\n".join(problems)


def test_seed_findings_carry_evidence_unless_unknown(seed_result):
    for _, verdict in seed_result.verdicts():
        if verdict.status == "unknown" and verdict.status_at_citing == "unknown":
            continue
        assert verdict.evidence, verdict.citation
        for evidence in verdict.evidence:
            assert evidence.kind in ("registry", "corpus", "rule")
            assert evidence.source and evidence.confidence in ("high", "medium", "low")
            assert evidence.detail("vi") and evidence.detail("en")


def test_undated_seed_gets_bounds_from_its_title_and_latest_cited_date(seed_result):
    [plan] = [d for d in seed_result.documents if d.file.endswith("004_a1f0a423e889157a.txt")]
    assert plan.date is None
    assert plan.date_bounds == ("2023-02-14", "2023-12-31")


# ---------------------------------------------------------------------------------------------- clocks


def test_date_bounds_from_a_full_date_are_exact():
    metadata = DocumentMetadata(date="2024-03-10")
    assert date_bounds("", metadata, []) == (date(2024, 3, 10), date(2024, 3, 10), True)


def test_date_bounds_from_a_partial_date_and_cited_dates():
    cited = [Citation(0, 1, "x", "numbered", date="2025-02-14"),
             Citation(2, 3, "y", "numbered", date="2026-01-02")]
    lo, hi, exact = date_bounds("", DocumentMetadata(date="2025"), cited)
    # the 2026 date cannot bound a document of 2025 (it is a future citation), the 2025 one can
    assert (lo, hi, exact) == (date(2025, 2, 14), date(2025, 12, 31), False)


def test_date_bounds_without_any_date_keep_an_open_upper_end():
    cited = [Citation(0, 1, "x", "numbered", date="2020-05-01")]
    assert date_bounds("không có năm", DocumentMetadata(), cited) == (date(2020, 5, 1), None, False)


def _event(status, effective, kind="registry", suggestion=None):
    evidence = Evidence(kind, "registry.expired", {"document": "X", "effective": str(effective)}, "s", "high")
    return Event(status, effective, evidence, suggestion)


def test_status_at_applies_only_events_already_in_effect():
    knowledge = Knowledge(events=[_event("replaced", date(2020, 1, 1), suggestion="NEW")])
    assert status_at(knowledge, date(2019, 12, 31))[0] == "ok"  # the registry says: in force until then
    assert status_at(knowledge, date(2020, 1, 1))[0] == "replaced"
    assert status_at(knowledge, date(2020, 1, 1))[2] == "NEW"


def test_a_rule_alone_never_makes_a_document_ok():
    knowledge = Knowledge(events=[_event("expired", date(2030, 1, 1), kind="rule")])
    assert status_at(knowledge, date(2025, 1, 1))[0] == "unknown"
    assert status_at(knowledge, date(2030, 1, 1))[0] == "expired"


def test_most_severe_status_wins():
    knowledge = Knowledge(events=[_event("superseded", date(2021, 7, 15), suggestion="76/NQ-CP"),
                                  _event("expired", date(2021, 1, 1))])
    status, events, suggestion = status_at(knowledge, date(2022, 1, 1))
    assert status == "expired" and suggestion == "76/NQ-CP"


def test_severity_order_is_documented_data():
    assert statuses() == ["ok", "unknown", "amended", "superseded", "expired", "replaced", "repealed",
                          "future", "inconsistent", "malformed"]
    assert severity("replaced") > severity("expired") > severity("ok")


def test_status_data_validates_and_both_languages_say_the_same_things():
    import string

    import jsonschema

    from kg.check import status_data
    from kg.data import ontology_file

    schema = json.loads(ontology_file("schema", "statuses.schema.json").read_text(encoding="utf-8"))
    data = status_data()
    jsonschema.validate(data, schema)
    assert sorted(s["severity"] for s in data["statuses"]) == list(range(len(data["statuses"])))
    for section in ("messages", "notes", "ui"):
        for key, text in data[section].items():
            vi, en = ({f for _, f, _, _ in string.Formatter().parse(text[lang]) if f} for lang in text)
            assert vi == en, (section, key)


def _plan(day: str, body: str) -> str:
    d, m, y = day.split("/")
    return (f"ỦY BAN NHÂN DÂN TỈNH BÌNH ĐỊNH\nSố: 12/KH-UBND          Bình Định, ngày {d} tháng {m} năm {y}\n"
            f"KẾ HOẠCH\nTriển khai công tác năm {y}\n\n{body}\n")


def _one(document, ident):
    found = [v for v in document.verdicts if identity_key(v.to_dict()["id"] or "") == identity_key(ident)]
    assert found, [v.to_dict()["id"] for v in document.verdicts]
    return found[0]


def test_two_clocks_differ_when_the_replacement_came_later():
    text = _plan("10/3/2017", "Căn cứ Nghị định số 60/2013/NĐ-CP ngày 19/6/2013 của Chính phủ;")
    verdict = _one(check_text(text, as_of=AS_OF), "60/2013/NĐ-CP")
    assert verdict.status_at_citing == "ok"  # written before 149/2018 replaced it
    assert verdict.status == "replaced"
    assert verdict.suggestion == "145/2020/NĐ-CP"  # the end of the replacement chain today


def test_suggestion_follows_the_chain_only_as_far_as_the_clock():
    text = _plan("10/3/2019", "Căn cứ Nghị định số 60/2013/NĐ-CP ngày 19/6/2013 của Chính phủ;")
    verdict = _one(check_text(text, as_of=AS_OF), "60/2013/NĐ-CP")
    assert verdict.status_at_citing == "replaced"
    assert verdict.suggestion_at_citing == "149/2018/NĐ-CP"  # 145/2020 did not exist in 2019
    assert verdict.suggestion == "145/2020/NĐ-CP"


def test_as_of_moves_the_second_clock():
    text = _plan("10/3/2017", "Căn cứ Nghị định số 60/2013/NĐ-CP ngày 19/6/2013 của Chính phủ;")
    assert _one(check_text(text, as_of="2018-01-01"), "60/2013/NĐ-CP").status == "ok"


# ---------------------------------------------------------------------------------------------- registry


def test_medium_confidence_is_shown_as_such():
    text = _plan("10/3/2024", "Thực hiện Chỉ thị số 16/CT-TTg ngày 16/5/2016 của Thủ tướng Chính phủ;")
    verdict = _one(check_text(text, as_of=AS_OF), "16/CT-TTg")
    assert verdict.status == "superseded" and verdict.confidence == "medium"
    assert verdict.status_at_citing == "superseded" and verdict.confidence_at_citing == "medium"
    assert all(e.confidence == "medium" for e in verdict.evidence if e.kind == "registry")
    from kg.check import CheckResult
    from kg.report import text_report

    report = text_report(CheckResult(date(2026, 11, 23), [check_text(text, as_of=AS_OF)]), "en")
    assert "medium confidence, not certain" in report


def test_a_different_year_is_a_different_document():
    text = _plan("10/3/2021", "Thực hiện Chỉ thị số 16/CT-TTg ngày 31/3/2020 của Thủ tướng Chính phủ;")
    verdict = _one(check_text(text, as_of=AS_OF), "16/CT-TTg")
    assert (verdict.status, verdict.status_at_citing) == ("unknown", "unknown")


def test_an_undated_citation_is_not_matched_to_a_younger_document():
    # the registry knows 33/CT-TTg of 2021 only
    text = _plan("10/3/2019", "Thực hiện Chỉ thị số 33/CT-TTg của Thủ tướng Chính phủ;")
    verdict = _one(check_text(text, as_of=AS_OF), "33/CT-TTg")
    assert (verdict.status, verdict.status_at_citing) == ("unknown", "unknown")
    assert "undated_later" in [n.message for n in verdict.notes]


def test_unknown_says_so_plainly():
    text = _plan("10/3/2024", "Thực hiện Quyết định số 777/QĐ-TTg ngày 02/02/2024 của Thủ tướng Chính phủ;")
    verdict = _one(check_text(text, as_of=AS_OF), "777/QĐ-TTg")
    assert (verdict.status, verdict.status_at_citing) == ("unknown", "unknown")
    assert verdict.evidence == [] and verdict.suggestion is None and verdict.confidence is None
    assert [n.message for n in verdict.notes] == ["no_knowledge"]


def test_registry_date_disagreement_is_inconsistent():
    text = _plan("10/3/2024", "Căn cứ Nghị định số 59/2023/NĐ-CP ngày 15/8/2023 của Chính phủ;")
    verdict = _one(check_text(text, as_of=AS_OF), "59/2023/NĐ-CP")
    assert verdict.status == verdict.status_at_citing == "inconsistent"
    assert verdict.suggestion == "2023-08-14"
    assert any(e.kind == "registry" and e.message == "registry.date_mismatch" for e in verdict.evidence)


# ---------------------------------------------------------------------------------------------- rules


@pytest.fixture(scope="module")
def rules_document():
    body = (
        "Thực hiện Nghị quyết số 18/NQ-TW ngày 25/10/2017 của Ban Chấp hành Trung ương; "
        "Chỉ thị số 33-CT/TTg ngày 26/11/2021 của Thủ tướng Chính phủ; "
        "Nghị định số 61/2023/NĐ-CP ngày 16/8/2022 của Chính phủ; "
        "Chỉ thị số 45/QĐ-TTg ngày 01/02/2024 của Thủ tướng Chính phủ; "
        "Quyết định số 99/QĐ-TTg ngày 05/6/2024 của Thủ tướng Chính phủ; "
        "Thông tư số 01-TT/TW ngày 02/01/2020 của Ban Bí thư; "
        "Quyết chế số 08-QC/TU ngày 29/8/2019 của Ban Thường vụ Tỉnh ủy; "
        "Chương trình số 5/CTr-UBND ngày 02/01/2016 của UBND tỉnh về cải cách hành chính "
        "giai đoạn 2016-2020; "
        "Kế hoạch số 93/KH-UBND ngày 09/4/2020 của UBND tỉnh về công tác dân vận năm 2020; "
        "Kế hoạch số 7/KH-UBND ngày 09/01/2024 của UBND tỉnh về công tác dân vận năm 2024."
    )
    return check_text(_plan("10/3/2024", body), as_of=AS_OF)


@pytest.mark.parametrize(
    "ident,status,suggestion",
    [
        ("18/NQ-TW", "malformed", "18-NQ/TW"),  # Party symbol in the state form
        ("33-CT/TTg", "malformed", "33/CT-TTg"),  # state symbol in the Party form
        ("45/QĐ-TTg", "malformed", "Quyết định"),  # type word does not match the symbol
        ("01-TT/TW", "malformed", "Thông tri"),  # Party TT is Thông tri, not Thông tư
        ("08-QC/TU", "malformed", "Quy chế"),  # "Quyết chế" does not exist
        ("61/2023/NĐ-CP", "inconsistent", None),  # year in the symbol vs the date
    ],
)
def test_rules_find_malformed_and_inconsistent_citations(rules_document, ident, status, suggestion):
    verdict = _one(rules_document, ident)
    assert verdict.status == verdict.status_at_citing == status
    assert any(e.kind == "rule" for e in verdict.evidence)
    if suggestion:
        assert verdict.suggestion == suggestion


@pytest.mark.parametrize("clause,ident", [
    ("Kế hoạch số 9/KH-UBND ngày 02/01/2024 về thực hiện Nghị quyết số 18-NQ/TW năm 2017", "9/KH-UBND"),
    ("Công văn số 577/CT-THNVDT ngày 02/02/2024 của Cục Thuế", "577/CT-THNVDT"),  # CT: Cục Thuế, a letter
    ("Quyết định số 3385/QĐ-BCĐ ngày 02/02/2024 của Ban Chỉ đạo tỉnh", "3385/QĐ-BCĐ"),  # state or Party
    ("Kế hoạch số 12/KH-BCĐ389 ngày 02/02/2024 của Ban Chỉ đạo 389 tỉnh", "12/KH-BCĐ389"),  # numbered BCĐ
    ("Hướng dẫn số 12-HD/BTC ngày 02/02/2024 của Ban Tổ chức Huyện ủy", "12-HD/BTC"),  # BTC: Bộ Tài chính too
    ("Thông tri số 04/TT-MTTW-BTT ngày 02/02/2024 của Ban Thường trực", "04/TT-MTTW-BTT"),  # the Front's
    ("Tờ trình số 16/TTr-UBND ngày 02/02/2024 về Chương trình giai đoạn 2021-2025", "16/TTr-UBND"),
])
def test_real_forms_that_are_not_errors(clause, ident):
    verdict = _one(check_text(_plan("10/3/2024", f"Thực hiện {clause};"), as_of=AS_OF), ident)
    assert (verdict.status, verdict.status_at_citing) == ("unknown", "unknown"), verdict.evidence


def test_a_date_after_the_citing_document_is_future(rules_document):
    verdict = _one(rules_document, "99/QĐ-TTg")
    assert verdict.status_at_citing == "future"
    assert verdict.status != "future"  # by the as-of clock the date has passed
    assert any(e.message == "rule.future" for e in verdict.evidence)


def test_a_date_after_as_of_is_future_at_that_clock():
    text = _plan("10/3/2024", "Thực hiện Quyết định số 99/QĐ-TTg ngày 05/6/2024 của Thủ tướng Chính phủ;")
    assert _one(check_text(text, as_of="2024-05-01"), "99/QĐ-TTg").status == "future"


@pytest.mark.parametrize("ident,at_citing", [("5/CTr-UBND", "expired"), ("93/KH-UBND", "expired"),
                                             ("7/KH-UBND", "unknown")])
def test_period_and_annual_plans_expire_after_their_period(rules_document, ident, at_citing):
    verdict = _one(rules_document, ident)
    assert verdict.status_at_citing == at_citing
    assert verdict.status == "expired"
    assert any(e.message == "rule.period" and e.confidence == "medium" for e in verdict.evidence)


def test_known_variant_is_a_note_not_an_error():
    text = _plan("10/3/2024", "Thực hiện Quy định số 11-QĐ/TW ngày 18/02/2019 của Bộ Chính trị;")
    verdict = _one(check_text(text, as_of=AS_OF), "11-QĐ/TW")
    assert verdict.status == verdict.status_at_citing == "ok"
    assert [n.message for n in verdict.notes] == ["variant"]


def test_same_document_cited_with_another_date_elsewhere_is_inconsistent(tmp_path):
    cite = "Thực hiện Quyết định số 123/QĐ-TTg ngày {} của Thủ tướng Chính phủ;"
    (tmp_path / "a.txt").write_text(_plan("10/3/2021", cite.format("05/3/2020")), encoding="utf-8")
    (tmp_path / "b.txt").write_text(_plan("10/4/2021", cite.format("15/3/2020")), encoding="utf-8")
    (tmp_path / "c.txt").write_text(_plan("10/5/2021", cite.format("05/3/2020")), encoding="utf-8")
    result = check(tmp_path, as_of=AS_OF)
    by_file = {Path(d.file).name: _one(d, "123/QĐ-TTg") for d in result.documents}
    assert by_file["b.txt"].status == "inconsistent"
    assert any(e.kind == "corpus" and "2020-03-05" in e.detail("vi") for e in by_file["b.txt"].evidence)
    # the date two files agree on is not flagged; the odd one out is
    assert by_file["a.txt"].status == by_file["c.txt"].status == "unknown"


def test_a_file_that_is_the_cited_document_states_its_own_date(tmp_path):
    (tmp_path / "plan.txt").write_text(_plan("10/3/2024", "Thực hiện Chỉ thị số 33/CT-TTg ngày 26/11/2021;"),
                                       encoding="utf-8")  # its header: Số: 12/KH-UBND, 10/3/2024
    report_text = _plan("10/6/2024", "Thực hiện Kế hoạch số 12/KH-UBND ngày 11/3/2024 của UBND tỉnh;")
    (tmp_path / "report.txt").write_text(report_text.replace("Số: 12/KH-UBND", "Số: 40/BC-UBND"),
                                         encoding="utf-8")
    result = check(tmp_path, as_of=AS_OF)
    [report] = [d for d in result.documents if d.file.endswith("report.txt")]
    verdict = _one(report, "12/KH-UBND")
    assert verdict.status == "inconsistent" and verdict.suggestion == "2024-03-10"
    assert any(e.message == "corpus.own_date" and e.source.endswith("plan.txt") for e in verdict.evidence)


def test_a_tie_flags_both_sides(tmp_path):
    cite = "Thực hiện Quyết định số 123/QĐ-TTg ngày {} của Thủ tướng Chính phủ;"
    (tmp_path / "a.txt").write_text(_plan("10/3/2021", cite.format("05/3/2020")), encoding="utf-8")
    (tmp_path / "b.txt").write_text(_plan("10/4/2021", cite.format("15/3/2020")), encoding="utf-8")
    result = check(tmp_path, as_of=AS_OF)
    assert {_one(d, "123/QĐ-TTg").status for d in result.documents} == {"inconsistent"}


def test_party_document_attributed_to_another_body_elsewhere_in_the_corpus(seed_result):
    # 217-QĐ/TW and 218-QĐ/TW (12/12/2013) are cited as of the Bộ Chính trị in two seeds, of the Ban
    # Chấp hành Trung ương in seed 002.
    by_file = {Path(d.file).name[:3]: d for d in seed_result.documents}
    for ident in ("217-QĐ/TW", "218-QĐ/TW"):
        odd = _one(by_file["002"], ident)
        assert odd.status == "inconsistent"
        [evidence] = [e for e in odd.evidence if e.message == "corpus.body_mismatch"]
        assert "Bộ Chính trị" in evidence.detail("vi") and evidence.kind == "corpus"
        assert _one(by_file["001"], ident).status != "inconsistent"
        assert _one(by_file["003"], ident).status != "inconsistent"


def test_registry_body_disagreement_is_inconsistent():
    text = _plan("10/3/2024", "Thực hiện Kết luận số 114-KL/TW ngày 14/7/2015 của Bộ Chính trị;")
    verdict = _one(check_text(text, as_of=AS_OF), "114-KL/TW")
    assert verdict.status == "inconsistent" and verdict.suggestion == "Ban Bí thư"


def test_issuer_that_cannot_have_issued_the_symbol_is_inconsistent():
    text = _plan("10/3/2024", "Căn cứ Nghị định số 59/2023/NĐ-CP ngày 14/8/2023 của Bộ Tài chính; "
                              "Chỉ thị số 33/CT-TTg ngày 26/11/2021 của Chính phủ;")
    document = check_text(text, as_of=AS_OF)
    assert _one(document, "59/2023/NĐ-CP").status == "inconsistent"
    assert _one(document, "33/CT-TTg").status == "ok"  # the Prime Minister's body: close enough


# ---------------------------------------------------------------------------------------------- corpus


NEW_DIRECTIVE = """THỦ TƯỚNG CHÍNH PHỦ
Số: 20/CT-TTg                    Hà Nội, ngày 10 tháng 6 năm 2024

CHỈ THỊ
Về tăng cường công tác phòng, chống thiên tai

Chỉ thị này thay thế Chỉ thị số 12/CT-TTg ngày 05/3/2019 của Thủ tướng Chính phủ về công tác phòng,
chống thiên tai.
"""

OLDER_DIRECTIVE = """THỦ TƯỚNG CHÍNH PHỦ
Số: 05/CT-TTg                    Hà Nội, ngày 01 tháng 3 năm 2012

CHỈ THỊ
Về công tác phòng, chống lụt bão

Chỉ thị này thay thế Chỉ thị số 12/CT-TTg ngày 01/02/2010 của Thủ tướng Chính phủ về phòng, chống lụt bão.
"""

DECREE = """CHÍNH PHỦ
Số: 50/2024/NĐ-CP                    Hà Nội, ngày 10 tháng 5 năm 2024

NGHỊ ĐỊNH
Quy định về quản lý công tác thi đua

Điều 20. Hiệu lực thi hành
1. Nghị định này có hiệu lực thi hành kể từ ngày 01 tháng 7 năm 2024.
2. Bãi bỏ Quyết định số 30/2015/QĐ-TTg ngày 31/7/2015 của Thủ tướng Chính phủ.
3. Thông tư số 05/2018/TT-BNV ngày 20/3/2018 của Bộ Nội vụ hết hiệu lực kể từ ngày 01/9/2024.
"""

CITING_PLAN = _plan("20/3/2025", "Thực hiện Chỉ thị số 12/CT-TTg ngày 05/3/2019 của Thủ tướng Chính phủ "
                                  "về công tác phòng, chống thiên tai.")


@pytest.fixture(scope="module")
def corpus_store(tmp_path_factory):
    from kg.store import build

    root = tmp_path_factory.mktemp("corpus_layer")
    (root / "corpus").mkdir()
    (root / "corpus" / "new.txt").write_text(NEW_DIRECTIVE, encoding="utf-8")
    (root / "corpus" / "older.txt").write_text(OLDER_DIRECTIVE, encoding="utf-8")
    (root / "corpus" / "decree.txt").write_text(DECREE, encoding="utf-8")
    (root / "citing.txt").write_text(CITING_PLAN, encoding="utf-8")
    build([str(root / "corpus")], store=str(root / ".kg"), jobs=1)
    return root


def test_a_replacement_clause_in_the_corpus_changes_the_verdict(corpus_store):
    citing = corpus_store / "citing.txt"
    before = _one(check(citing, as_of=AS_OF).documents[0], "12/CT-TTg")
    assert (before.status, before.status_at_citing) == ("unknown", "unknown")
    after = _one(check(citing, store=corpus_store / ".kg", as_of=AS_OF).documents[0], "12/CT-TTg")
    assert after.status == after.status_at_citing == "replaced"
    assert after.suggestion == "20/CT-TTg"
    [evidence] = [e for e in after.evidence if e.kind == "corpus"]
    assert "thay thế Chỉ thị số 12/CT-TTg" in evidence.detail("vi")
    assert evidence.source.endswith("new.txt")
    assert evidence.confidence == "medium"


def test_the_replacement_applies_from_the_new_documents_date(corpus_store):
    earlier = corpus_store / "earlier.txt"
    earlier.write_text(CITING_PLAN.replace("năm 2025", "năm 2023"), encoding="utf-8")
    verdict = _one(check(earlier, store=corpus_store / ".kg", as_of=AS_OF).documents[0], "12/CT-TTg")
    # written in 2023: the corpus says it was in force until the 2024 replacement
    assert verdict.status_at_citing == "ok"
    assert verdict.status == "replaced"


@pytest.mark.parametrize("clause,ident,status,effective", [
    ("Quyết định số 30/2015/QĐ-TTg ngày 31/7/2015 của Thủ tướng Chính phủ", "30/2015/QĐ-TTg", "repealed",
     "2024-05-10"),
    ("Thông tư số 05/2018/TT-BNV ngày 20/3/2018 của Bộ Nội vụ", "05/2018/TT-BNV", "expired", "2024-09-01"),
])
def test_repeal_and_lapse_clauses_in_the_corpus_change_the_verdict(corpus_store, clause, ident, status,
                                                                     effective):
    citing = corpus_store / f"cites_{status}.txt"
    citing.write_text(_plan("20/3/2025", f"Căn cứ {clause};"), encoding="utf-8")
    assert _one(check(citing, as_of=AS_OF).documents[0], ident).status == "unknown"
    verdict = _one(check(citing, store=corpus_store / ".kg", as_of=AS_OF).documents[0], ident)
    assert verdict.status == verdict.status_at_citing == status
    assert verdict.suggestion == "50/2024/NĐ-CP"
    [evidence] = [e for e in verdict.evidence if e.kind == "corpus"]
    assert effective in evidence.detail("en")  # from the sentence when it names a date
    early = corpus_store / f"early_{status}.txt"
    early.write_text(_plan("20/3/2024", f"Căn cứ {clause};"), encoding="utf-8")
    before = _one(check(early, store=corpus_store / ".kg", as_of=AS_OF).documents[0], ident)
    assert before.status_at_citing == "ok"  # written before the repeal or lapse


def test_an_undated_citation_of_a_number_known_for_two_years_is_not_guessed(corpus_store):
    undated = corpus_store / "undated.txt"
    undated.write_text(_plan("20/3/2025", "Thực hiện Chỉ thị số 12/CT-TTg của Thủ tướng Chính phủ."),
                       encoding="utf-8")
    verdict = _one(check(undated, store=corpus_store / ".kg", as_of=AS_OF).documents[0], "12/CT-TTg")
    assert (verdict.status, verdict.status_at_citing) == ("unknown", "unknown")
    assert [n.message for n in verdict.notes if n.message == "ambiguous"] == ["ambiguous"]


def test_the_replacing_document_itself_is_not_flagged(corpus_store):
    new = corpus_store / "corpus" / "new.txt"
    verdict = _one(check(new, store=corpus_store / ".kg", as_of=AS_OF).documents[0], "12/CT-TTg")
    assert verdict.status != "replaced"


# ---------------------------------------------------------------------------------------------- CLI


@pytest.fixture(scope="module")
def runner():
    return CliRunner()


def test_exit_code_is_1_when_something_reaches_fail_on(runner, shared):
    seed = str(shared / "seeds" / "004_a1f0a423e889157a.txt")
    assert runner.invoke(app, ["check", seed, "--as-of", AS_OF]).exit_code == 1  # 60/2013 replaced
    assert runner.invoke(app, ["check", seed, "--as-of", AS_OF, "--fail-on", "never"]).exit_code == 0
    assert runner.invoke(app, ["check", seed, "--as-of", AS_OF, "--fail-on", "malformed"]).exit_code == 0
    assert runner.invoke(app, ["check", seed, "--as-of", AS_OF, "--fail-on", "expired"]).exit_code == 1


@pytest.mark.parametrize("arguments", [
    ["--format", "xml"], ["--fail-on", "bad"], ["--lang", "fr"], ["--as-of", "23/11/2026"],
    ["--store", "/nonexistent/kg-store"],
])
def test_usage_errors_exit_2(runner, shared, arguments):
    seed = str(shared / "seeds" / "001_e830b464a435be0c.txt")
    result = runner.invoke(app, ["check", seed, *arguments])
    assert result.exit_code == 2, result.output


def test_missing_input_exits_2(runner, tmp_path):
    assert runner.invoke(app, ["check", str(tmp_path / "missing.txt")]).exit_code == 2


def test_unreadable_input_exits_2(runner, tmp_path):
    (tmp_path / "picture.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(20))
    assert runner.invoke(app, ["check", str(tmp_path / "picture.png")]).exit_code == 2


def test_json_contract(runner, shared, tmp_path):
    out = tmp_path / "report.json"
    seed = str(shared / "seeds" / "000_8bddda222f55bb4c.txt")
    result = runner.invoke(app, ["check", seed, "--as-of", AS_OF, "--format", "json", "-o", str(out),
                                 "--fail-on", "never"])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["as_of"] == AS_OF
    [document] = data["documents"]
    assert document["file"] == seed
    assert document["date"] is None
    assert len(document["date_bounds"]) == 2 and document["date_bounds"][1] == "2025-12-31"
    assert document["citations"]
    codes = set(statuses())
    text = Path(seed).read_text(encoding="utf-8")
    for citation in document["citations"]:
        for key in ("start", "end", "text", "id", "number", "year", "symbol", "date", "status",
                    "status_at_citing", "evidence", "suggestion"):
            assert key in citation
        assert text[citation["start"]:citation["end"]] == citation["text"]
        assert citation["status"] in codes and citation["status_at_citing"] in codes
        assert citation["date"] is None or date.fromisoformat(citation["date"])
        for evidence in citation["evidence"]:
            assert set(evidence) == {"kind", "detail", "source", "confidence"}
            assert evidence["kind"] in ("registry", "corpus", "rule")
    amended = [c for c in document["citations"] if c["id"] == "20/2021/NĐ-CP"]
    assert amended and amended[0]["status"] == "amended" and amended[0]["suggestion"] == "76/2024/NĐ-CP"


def test_json_keys_and_codes_stay_english_in_vietnamese(runner, shared):
    seed = str(shared / "seeds" / "004_a1f0a423e889157a.txt")
    vi = json.loads(runner.invoke(app, ["check", seed, "--as-of", AS_OF, "--format", "json"]).stdout)
    en = json.loads(runner.invoke(app, ["check", seed, "--as-of", AS_OF, "--format", "json",
                                        "--lang", "en"]).stdout)
    assert [c["status"] for c in vi["documents"][0]["citations"]] == [
        c["status"] for c in en["documents"][0]["citations"]]
    details_vi = [e["detail"] for c in vi["documents"][0]["citations"] for e in c["evidence"]]
    details_en = [e["detail"] for c in en["documents"][0]["citations"] for e in c["evidence"]]
    assert details_vi != details_en
    assert any("bị thay thế" in d for d in details_vi) and any("was replaced" in d for d in details_en)


def test_works_without_a_store_on_the_project_corpus(runner, corpus):
    result = runner.invoke(app, ["check", str(corpus), "--as-of", AS_OF, "--fail-on", "never"])
    assert result.exit_code == 0
    assert "Bị thay thế" in result.stdout and "Còn hiệu lực" in result.stdout


# ---------------------------------------------------------------------------------------------- robustness

_PIECES = st.sampled_from([
    "Chỉ thị số ", "Quyết chế số ", "Nghị định số ", "Quy định số ", "Kế hoạch số ", "Thông tư số ",
    "33", "05", "18", "2023", "/", "-", "CT", "NĐ", "QĐ", "QĐi", "TW", "TTg", "CP", "UBND", "KH", "TU",
    " ngày ", "26/11/2021", "31/02/2020", "14/8/2022", " của ", "Bộ Chính trị", "Chính phủ", " năm 2020",
    " giai đoạn 2011 - 2020", "; ", "\n", "<script>", "\"", " ", "Thay thế", "năm 9999", "ngày 00/00/0000",
])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_PIECES, min_size=1, max_size=40).map("".join))
def test_any_text_gets_one_status_per_citation_at_both_clocks(text):
    document = check_text(text, as_of=AS_OF)
    codes = set(statuses())
    for verdict in document.verdicts:
        assert verdict.status in codes and verdict.status_at_citing in codes
        assert 0 <= verdict.citation.start <= verdict.citation.end <= len(text)
        json.dumps(verdict.to_dict("vi"), ensure_ascii=False)



def test_the_store_is_read_once_per_cited_document_and_citing_file(tmp_path):
    """Each file graph repeats the cited document's id and year: the union default graph must not multiply
    the mentions read from it (that made `kg check` take 20+ s on a 10,000-document store)."""
    from kg.check_corpus import query_corpus
    from kg.store import build, open_store

    (tmp_path / "corpus").mkdir()
    for n in range(3):  # three plans citing one directive, with its date
        plan = CITING_PLAN.replace("ngày 20 tháng 3", f"ngày {20 + n} tháng 3")
        (tmp_path / "corpus" / f"plan{n}.txt").write_text(plan, encoding="utf-8")
    build([str(tmp_path / "corpus")], store=str(tmp_path / ".kg"), jobs=1)
    store = open_store(str(tmp_path / ".kg"))
    try:
        _, mentions = query_corpus(store, {"12/CT-TTg"})
        # only what the checks compare is read: the dates of a dated citation, nothing for an undated one
        _, dates_only = query_corpus(store, {"12/CT-TTg"}, dated={"12/CT-TTg"}, attributed=set())
        _, nothing = query_corpus(store, {"12/CT-TTg"}, dated=set(), attributed=set())
    finally:
        store.close()

    def rows(found):
        return sorted((m.old_id, m.old_year, m.cited_date, Path(m.file or "").name) for m in found)

    assert rows(mentions) == [("12/CT-TTg", 2019, date(2019, 3, 5), f"plan{n}.txt") for n in range(3)]
    assert rows(dates_only) == rows(mentions) and nothing == []


# ------------------------------------------------------------------ the An Giang Department of Justice sheet

_SHEET_OLD = re.compile(
    r"^(?:Nghị quyết|Quyết định) số \d+/\d{4}/(?:NQ-HĐND|QĐ-UBND) ngày [^\n]*?của "
    r"(?:Hội đồng nhân dân|HĐND|Hồi đồng nhân dân|Ủy ban nhân dân|UBND) tỉnh (?:An Giang|Kiên Giang)")
_SHEET_NEW = re.compile(r"^(?P<type>Nghị quyết|Quyết định) số (?P<id>\d+/\d{4}/(?:NQ-HĐND|QĐ-UBND)) "
                        r"ngày (?P<day>\d{1,2})/(?P<month>\d{1,2})/(?P<year>\d{4})")
_SHEET_STATUS = {"Thay thế": "replaced", "Bãi bỏ": "repealed"}
# How an acting document lists what it replaces or repeals: items under a lead-in ending with ":", items
# after the cue separated by ";", two items joined by "và" (three or more by ";": "A sửa đổi … Quyết định
# số B và Quyết định số C" reads as A amending B and C, DOMAIN.md §6).
_LIST_SHAPES = [
    lambda cue, olds: f"{cue} các văn bản sau:\n" + "\n".join(f"{k}. {o};" for k, o in enumerate(olds, 1)),
    lambda cue, olds: f"{cue} " + "; ".join(olds) + ".",
    lambda cue, olds: f"{cue} " + (" và " if len(olds) == 2 else "; ").join(olds) + ".",
]


def _sheet_actions(shared) -> dict[tuple[str, str, str, str], list[str]]:
    """(acting id, its type word, form, its date) -> the documents it replaced or repealed, as the sheet
    names them ("Nghị quyết số 08/2024/NQ-HĐND ngày 26/6/2024 của Hội đồng nhân dân tỉnh Kiên Giang …")."""
    import csv

    sheet = shared / "facts" / "angiang_stp_theo_doi_xu_ly_vbqppl_2026.csv"
    actions: dict[tuple[str, str, str, str], list[str]] = {}
    for row in csv.DictReader(sheet.open(encoding="utf-8")):
        old, form = row["van_ban_goc_hoac_ten_du_thao"].strip(), row["hinh_thuc_xu_ly"]
        new = _SHEET_NEW.match(row["van_ban_xu_ly_da_ban_hanh"])
        if form in _SHEET_STATUS and new and _SHEET_OLD.match(old):
            when = f"{new['year']}-{int(new['month']):02d}-{int(new['day']):02d}"
            actions.setdefault((new["id"], new["type"], form, when), []).append(old.rstrip(".;"))
    return actions


def test_a_draft_citing_what_the_province_replaced_or_repealed_is_told(shared, tmp_path):
    """Real An Giang tracking sheet (2026): each provincial resolution or decision that a later one replaced
    or repealed, An Giang's and merged Kiên Giang's alike (namesakes such as 09/2024/NQ-HĐND of both stay
    apart), is reported so in a draft that cites it, with the acting document as the suggestion."""
    from kg.store import build

    actions = _sheet_actions(shared)
    assert len(actions) >= 20
    (tmp_path / "corpus").mkdir()
    for n, ((new_id, type_word, form, when), olds) in enumerate(sorted(actions.items())):
        year, month, day = when.split("-")
        body = _LIST_SHAPES[n % len(_LIST_SHAPES)](f"Điều 2. {type_word} này có hiệu lực từ ngày ký và "
                                                  f"{form.lower()}", olds)
        (tmp_path / "corpus" / f"{n:03d}.txt").write_text(
            f"ỦY BAN NHÂN DÂN\nTỈNH AN GIANG\nSố: {new_id}\nAn Giang, ngày {day} tháng {month} năm {year}\n"
            f"{type_word.upper()}\nQuy định …\nQUYẾT ĐỊNH:\nĐiều 1. Ban hành kèm theo {type_word} này …\n"
            f"{body}\nĐiều 3. Tổ chức thực hiện.\n", encoding="utf-8")
    build(tmp_path / "corpus", store=tmp_path / "store", jobs=1)
    cited = [(old, new_id, form) for (new_id, _, form, _), olds in sorted(actions.items()) for old in olds]
    draft = "ỦY BAN NHÂN DÂN\nTỈNH AN GIANG\nSố: /QĐ-UBND\nAn Giang, ngày    tháng 6 năm 2026\nQUYẾT ĐỊNH\n"
    draft += "".join(f"Căn cứ {old};\n" for old, _, _ in cited) + "QUYẾT ĐỊNH:\nĐiều 1. …\n"
    result = check_text(draft, store=tmp_path / "store", as_of=AS_OF)
    by_start = {v.citation.start: v for v in result.verdicts}
    wrong = []
    position = 0
    for old, new_id, form in cited:
        position = draft.index(f"Căn cứ {old};", position) + len("Căn cứ ")
        verdict = by_start[position]
        if (verdict.status_at_citing, verdict.suggestion_at_citing) != (_SHEET_STATUS[form], new_id):
            wrong.append((old[:60], verdict.status_at_citing, verdict.suggestion_at_citing, new_id))
    assert wrong == [], "\n".join(map(str, wrong))


@pytest.mark.parametrize(
    ("changed", "changed_year", "acting", "kept"),
    [
        # real 1609/QĐ-TTPVHCC: "Luật số 03/2022/QH15 sửa đổi, bổ sung … Luật Đầu tư công, Luật Nhà ở …" with
        # the names read as the laws of 2024 and 2023, which it cannot have amended
        ("58/2024/QH15", 2024, "03/2022/QH15", False),
        ("27/2023/QH15", 2023, "03/2022/QH15", False),
        ("59/2020/QH14", 2020, "03/2022/QH15", True),
        ("31/2021/NĐ-CP", 2021, "239/2025/NĐ-CP", True),
        ("1564/QĐ-UBND", 2019, "957/QĐ-UBND", True),  # no year in the acting number, no date: kept
    ],
)
def test_no_document_changes_one_issued_after_it(changed, changed_year, acting, kept):
    from kg.check_corpus import CorpusFact, corpus_knowledge

    fact = CorpusFact(old_id=changed, old_year=changed_year, relation="amends", new_id=acting, new_date=None,
                      sentence=None, file="other.txt")
    citation = Citation(start=0, end=10, text=changed, kind="numbered", id=changed, year=changed_year)
    knowledge = Knowledge()
    corpus_knowledge(citation, [fact], knowledge, "citing.txt")
    assert [e.suggestion for e in knowledge.events] == ([acting] if kept else [])


@pytest.mark.parametrize(
    ("clause", "cited", "amending"),
    [
        ("Căn cứ Luật Mặt trận Tổ quốc Việt Nam số 75/2015/QH13 được sửa đổi bổ sung bởi Luật số "
         "97/2025/QH15;", "75/2015/QH13", "97/2025/QH15"),  # real draft QĐ of MTTQ xã Lương Minh
        ("Căn cứ Luật Bầu cử đại biểu Quốc hội và đại biểu Hội đồng nhân dân số 85/2015/QH13 đã được sửa "
         "đổi, bổ sung một số điều theo Luật số 83/2025/QH15;", "85/2015/QH13", "83/2025/QH15"),  # real HD
    ],
)
def test_a_document_cited_as_amended_needs_no_suggestion(tmp_path, clause, cited, amending):
    """The file that says "X được sửa đổi, bổ sung bởi Y" already cites X as amended: amended, with a note and
    no suggestion; another file citing X alone is told to cite it as amended by Y."""
    from kg.store import build

    header = "ỦY BAN MTTQ VIỆT NAM\nXÃ LƯƠNG MINH\nSố: /QĐ-MTTQ-BTT\nLương Minh, ngày 12 tháng 01 năm 2026\n"
    (tmp_path / "docs").mkdir()
    own, other = tmp_path / "docs" / "own.txt", tmp_path / "docs" / "other.txt"
    own.write_text(f"{header}QUYẾT ĐỊNH\nVề việc …\n{clause}\nQUYẾT ĐỊNH:\nĐiều 1. …\n", encoding="utf-8")
    other.write_text(header + f"KẾ HOẠCH\nVề việc …\nCăn cứ Luật số {cited};\n", encoding="utf-8")
    build(tmp_path / "docs", store=tmp_path / "store", jobs=1)
    result = check([own, other], store=tmp_path / "store", as_of=AS_OF)
    verdicts = {Path(d.file).name: next(v for v in d.verdicts if v.citation.id == cited)
                for d in result.documents}
    assert (verdicts["own.txt"].status, verdicts["own.txt"].suggestion) == ("amended", None)
    assert "cited_as_amended" in [n.message for n in verdicts["own.txt"].notes]
    assert (verdicts["other.txt"].status, verdicts["other.txt"].suggestion) == ("amended", amending)


def _excluded_subject_examples() -> list[dict]:
    from kg.data import ontology_file

    rules = json.loads(ontology_file("check_rules.json").read_text(encoding="utf-8"))
    return rules["period_excluded_subjects"]["examples"]


@pytest.mark.parametrize("example", _excluded_subject_examples(), ids=lambda e: e["subject"][:40])
def test_a_one_off_act_outlives_the_period_its_subject_names(example):
    """Real 34/2025/NQ-HĐND cites 1314/NQ-UBTVQH15 'về việc sắp xếp đơn vị hành chính … giai đoạn 2023 -
    2025': the units it made stay, it does not lapse in 2026; a programme of a period does."""
    from kg.periods import period_of

    assert (period_of("NQ", example["subject"]) is not None) == example["bound"]


@pytest.mark.parametrize(
    ("right", "slip", "document", "issuer"),
    [  # real 39365/CHQ-GSQL cites "Nghị định số 69/2018/NĐ-CP ngày 15/5/2025", 01763/QĐ-UBND "ngày 15/5/2018"
        ("ngày 15/5/2018", "ngày 15/5/2025", "Nghị định số 69/2018/NĐ-CP", "Chính phủ"),
        ("ngày 17/6/2020", "ngày 17/6/2021", "Luật Đầu tư số 61/2020/QH14", "Quốc hội"),  # real 1936/QĐ-UBND
    ],
)
def test_a_date_whose_year_the_number_contradicts_is_told_the_right_one(tmp_path, right, slip, document,
                                                                        issuer):
    files = []
    for name, when in (("right.txt", right), ("slip.txt", slip)):
        path = tmp_path / name
        header = "BỘ TÀI CHÍNH\nSố: 1/BTC-VP\nHà Nội, ngày 02 tháng 12 năm 2025\n"
        path.write_text(f"{header}Căn cứ {document} {when} của {issuer};\n", encoding="utf-8")
        files.append(path)
    result = check(files, as_of=AS_OF)
    verdicts = {Path(d.file).name: d.verdicts[0] for d in result.documents}
    assert verdicts["right.txt"].status != "inconsistent"
    expected = f"{document.split()[-1]} {right}"  # "69/2018/NĐ-CP ngày 15/5/2018"
    assert (verdicts["slip.txt"].status, verdicts["slip.txt"].suggestion) == ("inconsistent", expected)


@pytest.mark.parametrize(
    ("later", "suggestion"),
    [  # real 3210/QĐ-UBND: "98/2013/TT-BXD ngày 24/7/2013 của Bộ Tài chính", later "98/2013/TT-BTC"
        ("Thông tư số 98/2013/TT-BTC ngày 24/7/2013 của Bộ Tài chính", "98/2013/TT-BTC"),
        ("Thông tư số 98/2013/TT-BTC ngày 25/7/2013 của Bộ Tài chính", None),  # another date, another one
    ],
)
def test_an_issuer_slip_is_told_the_id_the_same_text_gives(later, suggestion):
    text = ("ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HỒ CHÍ MINH\nSố: 3210/QĐ-UBND\n"
            "TP. Hồ Chí Minh, ngày 28 tháng 6 năm 2014\n"
            "Căn cứ Thông tư số 98/2013/TT-BXD ngày 24/7/2013 của Bộ Tài chính;\nQUYẾT ĐỊNH:\n"
            f"Điều 1. Thực hiện theo {later}.\n")
    verdict = next(v for v in check_text(text, as_of=AS_OF).verdicts if v.citation.id == "98/2013/TT-BXD")
    assert (verdict.status, verdict.suggestion) == ("inconsistent", suggestion)


@pytest.mark.parametrize(
    ("sentence", "effective"),
    [
        ("Nghị quyết này có hiệu lực từ ngày 10 tháng 01 năm 2026 và thay thế Nghị quyết số 08/2024/NQ-HĐND",
         date(2026, 1, 10)),  # the words of real provincial resolutions (An Giang sheet)
        ("Quyết định này có hiệu lực kể từ ngày 15/01/2026 và thay thế Quyết định số 08/2024/NQ-HĐND",
         date(2026, 1, 15)),
        ("Thay thế Nghị quyết số 08/2024/NQ-HĐND", date(2025, 12, 30)),  # no date said: the acting one's
    ],
)
def test_a_replacement_takes_effect_when_its_sentence_says(sentence, effective):
    from kg.check_corpus import CorpusFact, corpus_knowledge

    fact = CorpusFact(old_id="08/2024/NQ-HĐND", old_year=2024, relation="replaces", new_id="26/2025/NQ-HĐND",
                      new_date=date(2025, 12, 30), sentence=sentence, file="other.txt")
    citation = Citation(start=0, end=10, text="08/2024/NQ-HĐND", kind="numbered", id="08/2024/NQ-HĐND",
                        year=2024)
    knowledge = Knowledge()
    corpus_knowledge(citation, [fact], knowledge, "citing.txt")
    assert [e.effective for e in knowledge.events] == [effective]


# A law, code or constitution listed by name in ontology/named_refs.json is replaced by the later version of
# its name from the day that one comes into force (rule:new_version).
NEW_VERSIONS = [
    # (citing date, citation, cited id, status at citing, status now, document to cite)
    ("10/3/2025", "Căn cứ Luật Đất đai năm 2013;", "45/2013/QH13", "replaced", "replaced", "31/2024/QH15"),
    ("10/3/2025", "Căn cứ Luật Ngân sách nhà nước số 83/2015/QH13;", "83/2015/QH13", "unknown", "replaced",
     "89/2025/QH15"),
    ("10/3/2025", "Căn cứ Hiến pháp năm 1992;", "Hiến pháp năm 1992", "replaced", "replaced",
     "Hiến pháp 2013"),
    ("10/3/2025", "Căn cứ Luật Đất đai năm 2024;", "31/2024/QH15", "unknown", "unknown", None),
    # two amending acts of one name amend different versions of the law: the later replaces nothing
    ("10/3/2025", "Căn cứ Luật sửa đổi, bổ sung một số điều của Luật Ban hành văn bản quy phạm pháp luật "
     "ngày 18 tháng 6 năm 2020;", "63/2020/QH14", "unknown", "unknown", None),
]


@pytest.mark.parametrize(("day", "body", "ident", "at_citing", "now", "instead"), NEW_VERSIONS,
                         ids=[row[2] for row in NEW_VERSIONS])
def test_a_later_law_of_the_same_name_replaces_the_old_one(day, body, ident, at_citing, now, instead):
    verdict = _one(check_text(_plan(day, body), as_of=AS_OF), ident)
    assert (verdict.status_at_citing, verdict.status, verdict.suggestion) == (at_citing, now, instead)
    if instead:
        assert any(e.message == "rule.new_version" and e.params["successor"] == instead
                   for e in verdict.evidence)


def test_a_renamed_successor_replaces_the_old_law_through_the_registry():
    # 93/2025/QH15 is "Luật Khoa học, công nghệ và đổi mới sáng tạo": another name, so no version of the old
    # name (ontology/named_refs.json) but a registry fact, in force from 2025-10-01
    for day, at_citing in (("10/3/2025", "ok"), ("10/11/2026", "replaced")):
        document = check_text(_plan(day, "Căn cứ Luật Khoa học và công nghệ;"), as_of=AS_OF)
        verdict = _one(document, "29/2013/QH13")
        assert (verdict.status_at_citing, verdict.status, verdict.suggestion) == (
            at_citing, "replaced", "93/2025/QH15")
        assert not any(e.message == "rule.new_version" for e in verdict.evidence)


def test_laws_an_amending_law_lists_are_not_told_to_cite_their_successor():
    body = ("Căn cứ Luật số 03/2022/QH15 sửa đổi, bổ sung một số điều của Luật Đầu tư công, Luật Nhà ở và "
            "Luật Đấu thầu;\nCăn cứ Luật Nhà ở năm 2014;")
    text = _plan("10/3/2025", body)
    document = check_text(text, as_of=AS_OF)
    basis = text.index("Căn cứ Luật Nhà ở")
    listed = [v for v in document.verdicts if v.citation.kind == "named" and v.citation.start < basis]
    # named as what the act amends: neither told to cite a successor nor "amended" by the act's own title
    assert [(v.status, v.suggestion) for v in listed] == [("unknown", None)] * 3
    # the same law cited on its own as a basis is told
    alone = [v for v in document.verdicts if v.citation.start > basis]
    assert [(v.citation.law_id, v.status, v.suggestion) for v in alone] == [
        ("65/2014/QH13", "replaced", "27/2023/QH15")]


@pytest.mark.parametrize(("clause", "slip"), [
    # real 1936/QĐ-UBND: "Luật Đầu tư số 61/2020/QH14 ngày 17/6/2020" twice and once "ngày 17/6/2021"
    ("Căn cứ Luật Đầu tư số 61/2020/QH14 ngày 17/6/2020;\nCăn cứ Luật Đầu tư số 61/2020/QH14 ngày 17/6/2021;",
     ("2021-06-17", "61/2020/QH14 ngày 17/6/2020")),
    # no other date in the text, the registry knows the decree's (31/2021/NĐ-CP of 2021-03-26): that one
    ("Căn cứ Nghị định số 31/2021/NĐ-CP ngày 26/3/2020 của Chính phủ;", ("2020-03-26", "2021-03-26")),
    # a decree neither the text nor the registry dates otherwise: nothing to tell
    ("Căn cứ Nghị định số 98/2021/NĐ-CP ngày 26/3/2020 của Chính phủ;", ("2020-03-26", None)),
])
def test_a_year_slip_is_told_the_date_the_same_text_gives_elsewhere(clause, slip):
    verdicts = check_text(_plan("10/3/2025", clause), as_of=AS_OF).verdicts
    assert [(v.citation.date, v.suggestion) for v in verdicts if v.status == "inconsistent"] == [slip]


@pytest.mark.parametrize(("body", "suggestions"), [
    # real 1936/QĐ-UBND: the text cites the amending decree beside it, naming what it amends: nothing to tell
    ("Căn cứ Nghị định số 31/2021/NĐ-CP ngày 26/3/2021 của Chính phủ;\nCăn cứ Nghị định số 239/2025/NĐ-CP "
     "ngày 03/9/2025 của Chính phủ sửa đổi, bổ sung một số điều của Nghị định số 31/2021/NĐ-CP ngày "
     "26/3/2021;", [None, None]),
    # cited alone: cite it as amended by 239/2025/NĐ-CP (the registry)
    ("Căn cứ Nghị định số 31/2021/NĐ-CP ngày 26/3/2021 của Chính phủ;", ["239/2025/NĐ-CP"]),
])
def test_an_amendment_the_text_already_cites_is_not_suggested(body, suggestions):
    verdicts = check_text(_plan("10/11/2025", body), as_of=AS_OF).verdicts
    amended = [v for v in verdicts if identity_key(v.to_dict()["id"] or "") == identity_key("31/2021/NĐ-CP")]
    assert [(v.status, v.status_at_citing) for v in amended] == [("amended", "amended")] * len(suggestions)
    assert [v.suggestion for v in amended] == [v.suggestion_at_citing for v in amended] == suggestions


def _decision(number: str, day: str, body: str) -> str:
    d, m, y = day.split("/")
    return (f"ỦY BAN NHÂN DÂN TỈNH BÌNH ĐỊNH\nSố: {number}/QĐ-UBND   Bình Định, ngày {d} tháng {m} năm {y}\n"
            f"QUYẾT ĐỊNH\nVề việc ban hành Quy chế\n\n{body}\n")


# Without a store the files given are the corpus (real 1609/QĐ-TTPVHCC, 39365/CHQ-GSQL state amendments of
# what they cite): (files as (name, text), file checked, cited id, status now, suggestion, note)
GIVEN_AS_CORPUS = [
    ([("new.txt", _decision("88", "10/3/2024", "Điều 3. Quyết định này thay thế Quyết định số 1564/QĐ-UBND "
                                               "ngày 29/7/2019 của UBND tỉnh.")),
      ("plan.txt", _plan("10/3/2025", "Căn cứ Quyết định số 1564/QĐ-UBND ngày 29/7/2019 của UBND tỉnh;"))],
     "plan.txt", "1564/QĐ-UBND", "replaced", "88/QĐ-UBND", None),
    # the replacing document's own clause does not flag its own citation
    ([("new.txt", _decision("88", "10/3/2024", "Điều 3. Quyết định này thay thế Quyết định số 1564/QĐ-UBND "
                                               "ngày 29/7/2019 của UBND tỉnh."))],
     "new.txt", "1564/QĐ-UBND", "unknown", None, None),
    # a Tờ trình proposes: the draft it presents ("Quyết định này thay thế …") replaces nothing
    ([("proposal.txt", "ỦY BAN NHÂN DÂN TỈNH BÌNH ĐỊNH\nSố: 16/TTr-UBND Bình Định, ngày 10 tháng 3 năm 2024\n"
                       "TỜ TRÌNH\nVề việc ban hành Quy chế\n\n" + "Ủy ban nhân dân tỉnh kính trình. " * 25
                       + "\nII. NỘI DUNG\nQuyết định này thay thế Quyết định số 1564/QĐ-UBND ngày 29/7/2019 "
                       "của UBND tỉnh.\n"),
      ("plan.txt", _plan("10/3/2025", "Căn cứ Quyết định số 1564/QĐ-UBND ngày 29/7/2019 của UBND tỉnh;"))],
     "plan.txt", "1564/QĐ-UBND", "unknown", None, None),
    # an unnumbered draft ("Số: /QĐ-UBND") replaces nothing yet: a note, no status
    ([("draft.txt", _decision("", "10/3/2024", "Điều 3. Quyết định này thay thế Quyết định số 1564/QĐ-UBND "
                                             "ngày 29/7/2019 của UBND tỉnh.")),
      ("plan.txt", _plan("10/3/2025", "Căn cứ Quyết định số 1564/QĐ-UBND ngày 29/7/2019 của UBND tỉnh;"))],
     "plan.txt", "1564/QĐ-UBND", "unknown", None, "draft_change"),
    ([("plan.txt", _plan("10/3/2025", "Căn cứ Luật Đấu thầu số 22/2023/QH15 được sửa đổi, bổ sung tại "
                                      "Luật số 57/2024/QH15;"))],
     "plan.txt", "22/2023/QH15", "amended", None, "cited_as_amended"),
]


@pytest.mark.parametrize(("files", "checked", "ident", "now", "instead", "note"), GIVEN_AS_CORPUS)
def test_without_a_store_the_files_given_are_the_corpus(tmp_path, files, checked, ident, now, instead, note):
    for name, text in files:
        (tmp_path / name).write_text(text, encoding="utf-8")
    result = check(tmp_path, as_of=AS_OF)
    document = next(d for d in result.documents if d.file.endswith(checked))
    verdict = _one(document, ident)
    assert (verdict.status, verdict.suggestion) == (now, instead)
    assert (note in [n.message for n in verdict.notes]) if note else True


def test_a_relation_the_checked_file_states_is_quoted_as_this_documents():
    sentence = "Căn cứ Luật Đấu thầu số 22/2023/QH15 được sửa đổi, bổ sung tại Luật số 57/2024/QH15;"
    evidence = _one(check_text(_plan("10/3/2025", sentence), as_of=AS_OF), "22/2023/QH15").evidence
    assert [e.detail("vi").split(":")[0] for e in evidence] == [
        "57/2024/QH15 sửa đổi, bổ sung 22/2023/QH15. Theo chính văn bản này"]
    assert evidence[0].detail("en").endswith(f"In this document: “{sentence}”")


@pytest.mark.parametrize(("clause", "ident", "written_right"), [
    # real 1609/QĐ-TTPVHCC and 1936/QĐ-UBND: the hyphen between type and issuer lost in typing
    ("Nghị định số 214/2025/NĐCP ngày 04/8/2025 của Chính phủ", "214/2025/NĐCP", "214/2025/NĐ-CP"),
    ("Thông tư số 03/2021/TTBKHĐT ngày 09/4/2021 của Bộ trưởng", "03/2021/TTBKHĐT", "03/2021/TT-BKHĐT"),
    ("Luật số 88/2019/QH14", "88/2019/QH14", None),  # the National Assembly's numbering has no type part
    ("Công văn số 12/KHĐT-VP ngày 02/02/2024", "12/KHĐT-VP", None),  # a letter's unit codes, no year
])
def test_a_normative_symbol_glued_together_is_malformed(clause, ident, written_right):
    verdict = _one(check_text(_plan("10/3/2026", f"Căn cứ {clause};"), as_of=AS_OF), ident)
    assert (verdict.status == "malformed") == bool(written_right)
    assert verdict.suggestion == written_right


@pytest.mark.parametrize(("clause", "ident", "bound"), [
    # the year is the law's, named in the plan's subject, not the plan's
    ("Kế hoạch số 15/KH-UBND ngày 10/3/2022 của UBND tỉnh triển khai thi hành Luật Thực hiện dân chủ ở cơ sở "
     "năm 2022", "15/KH-UBND", False),
    # a plan issued after the year its subject names reviews that year; it is not bound to it
    ("Kế hoạch số 16/KH-UBND ngày 10/01/2025 của UBND tỉnh về tổ chức Hội nghị tổng kết năm 2024",
     "16/KH-UBND", False),
    # issued within the year it names: bound to it
    ("Kế hoạch số 17/KH-UBND ngày 10/01/2024 của UBND tỉnh về tổ chức Hội nghị tổng kết năm 2024",
     "17/KH-UBND", True),
])
def test_a_year_the_subject_names_that_is_not_the_documents_period(clause, ident, bound):
    from kg import vocab
    from kg.graph import analyse, file_ntriples, resolve_corpus
    from kg.models import SourceDocument

    text = _plan("10/3/2025", f"Căn cứ {clause};")
    verdict = _one(check_text(text, as_of=AS_OF), ident)
    expected = "expired" if bound else "unknown"
    assert (verdict.status_at_citing, verdict.status) == (expected, expected), verdict.evidence
    # the graph's kg:periodEnd (read by the citing-outdated query) follows the same rule (kg.periods)
    analysis = analyse(SourceDocument(path="a.txt", text=text, format="txt"))
    node = f"/{ident.split('/')[0]}-kh-ubnd>"
    ends = [line for line in file_ntriples(analysis, resolve_corpus([analysis])).splitlines()
            if vocab.PERIOD_END in line and line.split()[0].endswith(node)]
    assert len(ends) == int(bound), ends


@pytest.mark.parametrize(("text", "status", "confidence"), [
    # no header: the title's year is what a report is about, not when it was written
    ("BÁO CÁO\nTổng kết công tác dân vận năm 2023\n\nThực hiện Quyết định số 12/QĐ-UBND ngày 05/01/2024 "
     "của UBND tỉnh;\n", "unknown", None),
    # a draft's own month: the cited date is after it (perhaps a stale template): medium confidence
    ("ỦY BAN NHÂN DÂN TỈNH BÌNH ĐỊNH\nSố:    /KH-UBND     Bình Định, ngày    tháng 11 năm 2025\nKẾ HOẠCH\n"
     "Triển khai công tác\n\nThực hiện Quyết định số 12/QĐ-UBND ngày 05/12/2025 của UBND tỉnh;\n",
     "future", "medium"),
    # a full date of its own: certain
    (_plan("10/3/2025", "Thực hiện Quyết định số 12/QĐ-UBND ngày 05/12/2025 của UBND tỉnh;"),
     "future", "high"),
])
def test_a_cited_date_after_the_citing_documents(text, status, confidence):
    verdict = _one(check_text(text, as_of=AS_OF), "12/QĐ-UBND")
    assert (verdict.status_at_citing, verdict.confidence_at_citing) == (status, confidence)


def test_a_change_of_unknown_date_applies_from_the_acting_documents_year(tmp_path):
    # real draft HD of MTTQ Quảng Ninh: "Hiến pháp … đã được sửa đổi, bổ sung một số điều theo Nghị quyết số
    # 203/2025/QH15" (no date): a citation of 2020 was not yet of an amended constitution
    (tmp_path / "a.txt").write_text(_plan("10/11/2025", "Căn cứ Hiến pháp năm 2013 đã được sửa đổi, bổ sung "
                                                        "một số điều theo Nghị quyết số 203/2025/QH15;"))
    (tmp_path / "b.txt").write_text(_plan("10/3/2020", "Căn cứ Hiến pháp năm 2013;"))
    document = next(d for d in check(tmp_path, as_of=AS_OF).documents if d.file.endswith("b.txt"))
    verdict = _one(document, "Hiến pháp năm 2013")
    assert (verdict.status_at_citing, verdict.status) == ("ok", "amended")


@pytest.mark.parametrize(("number", "status"), [("55/2025/TT-BCT", "unknown"), ("60/2025/TT-BCT", "amended")])
def test_the_acting_document_citing_what_it_changes_is_told_nothing(number, status):
    # registry: 07/2019/TT-BCT amended_by 55/2025/TT-BCT (real 55/2025/TT-BCT cites it four times)
    text = (f"BỘ CÔNG THƯƠNG\nSố: {number}   Hà Nội, ngày 28 tháng 11 năm 2025\nTHÔNG TƯ\nSửa đổi\n\n"
            "Căn cứ Thông tư số 07/2019/TT-BCT ngày 19/4/2019 của Bộ trưởng Bộ Công Thương;\n")
    assert _one(check_text(text, as_of=AS_OF), "07/2019/TT-BCT").status == status
