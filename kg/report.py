"""Rendering a `kg check` result: text (terminal), JSON (the contract in docs/check.md), SARIF 2.1.0 (code
scanning tools) and HTML (a self-contained page: the document's text with each citation highlighted by
status, its evidence on hover). Text and HTML speak Vietnamese by default, English with lang="en"; JSON keys
and status codes are English in both. Every piece of document text in HTML is escaped.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

from kg.check_model import (
    CheckResult,
    DocumentCheck,
    Verdict,
    citation_id,
    status_data,
    status_label,
    statuses,
)

FORMATS = ("text", "json", "sarif", "html")
SARIF_SCHEMA_URI = "https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/sarif-schema-2.1.0.json"
TOOL_URI = "https://w3id.org/kg-vn"


def render_report(result: CheckResult, fmt: str = "text", lang: str = "vi") -> str:
    if lang not in ("vi", "en"):
        raise ValueError(f"language must be vi or en, not {lang!r}")
    renderers = {"text": text_report, "json": json_report, "sarif": sarif_report, "html": html_report}
    if fmt not in renderers:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    return renderers[fmt](result, lang)


def ui(key: str, lang: str) -> str:
    return status_data()["ui"][key][lang]


def confidence_label(confidence: str | None, lang: str) -> str:
    return status_data()["confidence"][confidence][lang] if confidence else ""


def kind_label(kind: str, lang: str) -> str:
    return status_data()["evidence_kinds"][kind][lang]


def line_and_column(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters) of an offset."""
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _status_with_confidence(status: str, confidence: str | None, lang: str) -> str:
    label = status_label(status, lang)
    if confidence and confidence != "high" and status not in ("unknown",):
        return f"{label} ({confidence_label(confidence, lang)})"
    return label


def _citing_label(verdict: Verdict, lang: str) -> str:
    return _status_with_confidence(verdict.status_at_citing, verdict.confidence_at_citing, lang)


def _now_label(verdict: Verdict, lang: str) -> str:
    return _status_with_confidence(verdict.status, verdict.confidence, lang)


def _date_line(document: DocumentCheck, lang: str) -> str:
    if document.date:
        return f"{ui('date', lang)}: {document.date}"
    lo, hi = document.date_bounds
    return f"{ui('date', lang)}: {ui('date_unknown', lang)}; {ui('bounds', lang)} {lo or '?'} – {hi or '?'}"


# ---------------------------------------------------------------------------------------------- text


def text_report(result: CheckResult, lang: str = "vi") -> str:
    out = [f"{ui('title', lang)} — {ui('as_of', lang)}: {result.as_of.isoformat()}"]
    for document in result.documents:
        out.append("")
        out.append(f"== {document.file}")
        out.append(f"   {_date_line(document, lang)}")
        for warning in document.warnings:
            out.append(f"   ! {warning}")
        if not document.verdicts:
            out.append(f"   {ui('none', lang)}")
        out.extend(_folded_verdicts(document, lang, result.as_of.isoformat()))
    for error in result.errors:
        out.append(f"! {error}")
    counts = {s: n for s, n in result.counts().items() if n}
    summary = ", ".join(f"{n} {status_label(s, lang)}" for s, n in counts.items())
    out.append("")
    total = sum(counts.values())
    tail = f" — {summary}" if summary else ""
    out.append(f"{ui('summary', lang)}: {total} {ui('citations', lang)}{tail}")
    return "\n".join(out) + "\n"


def _folded_verdicts(document: DocumentCheck, lang: str, as_of: str) -> list[str]:
    """One entry per cited document and finding: a document cited fourteen times with the same status,
    evidence and suggestion is one entry listing its fourteen lines, at the place of its first mention
    (JSON, SARIF and HTML keep every mention)."""
    entries: dict[tuple[str, ...], tuple[Verdict, list[int]]] = {}
    for verdict in document.verdicts:
        line, _ = line_and_column(document.text, verdict.citation.start)
        block = _text_verdict(verdict, lang, as_of)
        key = (citation_id(verdict.citation) or _one_line(verdict.citation.text), *block)
        entries.setdefault(key, (verdict, []))[1].append(line)
    out: list[str] = []
    for (_, *block), (verdict, lines) in entries.items():
        c = verdict.citation
        where = ", ".join(str(n) for n in dict.fromkeys(lines))
        out.append(f"  [{_now_label(verdict, lang)}] {citation_id(c) or _one_line(c.text)}  "
                   f"({_line_word(lang)} {where}): «{_one_line(c.text)}»")
        out.extend(block)
    return out


def _suggestion_label(verdict: Verdict, lang: str) -> str:
    """What the suggestion is for the status it comes with: a document to cite instead (replaced), the
    amending act to cite with it (amended), the citation written right (malformed, inconsistent)."""
    status = verdict.status if verdict.suggestion else verdict.status_at_citing
    key = f"suggestion_{status}"
    return ui(key, lang) if key in status_data()["ui"] else ui("suggestion", lang)


def _text_verdict(verdict: Verdict, lang: str, as_of: str) -> list[str]:
    """The lines under a finding's head line: status at both dates, suggestion, evidence, notes."""
    lines: list[str] = []
    lines.append(f"      {ui('at_citing', lang)}: {_citing_label(verdict, lang)} · "
                 f"{ui('now', lang)} {as_of}: {status_label(verdict.status, lang)}")
    if verdict.suggestion or verdict.suggestion_at_citing:
        suggestion = verdict.suggestion or verdict.suggestion_at_citing
        lines.append(f"      → {_suggestion_label(verdict, lang)}: {suggestion}")
    for evidence in verdict.evidence:
        lines.append(f"      · {ui('evidence', lang)} [{kind_label(evidence.kind, lang)}, "
                     f"{confidence_label(evidence.confidence, lang)}]: {evidence.detail(lang)} "
                     f"({evidence.source})")
    for note in verdict.notes:
        lines.append(f"      ℹ {ui('note', lang)}: {note.text(lang)}")
    return lines


def _line_word(lang: str) -> str:
    return "dòng" if lang == "vi" else "line"


# ---------------------------------------------------------------------------------------------- json


def json_report(result: CheckResult, lang: str = "vi") -> str:
    return json.dumps(result.to_dict(lang), ensure_ascii=False, indent=2) + "\n"


# ---------------------------------------------------------------------------------------------- sarif


def _artifact_uri(path: str) -> tuple[str, str | None]:
    candidate = Path(path)
    if candidate.is_absolute():
        return candidate.as_uri(), None
    return quote(candidate.as_posix()), "SRCROOT"


def _sarif_rules(lang: str) -> list[dict[str, Any]]:
    rules = []
    for entry in sorted(status_data()["statuses"], key=lambda s: s["severity"]):
        rules.append({
            "id": f"citation/{entry['code']}",
            "name": entry["code"].capitalize(),
            "shortDescription": {"text": entry[lang]},
            "fullDescription": {"text": entry["explain"][lang]},
            "defaultConfiguration": {"level": entry["sarif"]},
            "properties": {"severityRank": entry["severity"]},
        })
    return rules


def sarif_report(result: CheckResult, lang: str = "vi") -> str:
    return json.dumps(sarif(result, lang), ensure_ascii=False, indent=2) + "\n"


def sarif(result: CheckResult, lang: str = "vi") -> dict[str, Any]:
    """A SARIF 2.1.0 log: one result per citation, ruled by its worse status of the two clocks."""
    levels = {s["code"]: s["sarif"] for s in status_data()["statuses"]}
    order = statuses()
    results = []
    artifacts = []
    for index, document in enumerate(result.documents):
        uri, base = _artifact_uri(document.file)
        location: dict[str, Any] = {"uri": uri, "index": index}
        if base:
            location["uriBaseId"] = base
        artifacts.append({"location": {k: v for k, v in location.items() if k != "index"},
                          "length": len(document.text.encode("utf-8")), "roles": ["analysisTarget"]})
        for verdict in document.verdicts:
            results.append(_sarif_result(document, verdict, location, levels, order, lang,
                                         result.as_of.isoformat()))
    run: dict[str, Any] = {
        "tool": {"driver": {"name": "kg check", "informationUri": TOOL_URI, "version": _version(),
                            "rules": _sarif_rules(lang)}},
        "originalUriBaseIds": {"SRCROOT": {"uri": Path.cwd().as_uri() + "/"}},
        "artifacts": artifacts,
        "columnKind": "unicodeCodePoints",
        "results": results,
        "properties": {"asOf": result.as_of.isoformat(), "language": lang},
    }
    if result.errors:
        run["invocations"] = [{
            "executionSuccessful": True,
            "toolExecutionNotifications": [{"level": "error", "message": {"text": e}} for e in result.errors],
        }]
    return {"$schema": SARIF_SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def _sarif_result(
    document: DocumentCheck, verdict: Verdict, location: dict[str, Any], levels: dict[str, str],
    order: list[str], lang: str, as_of: str,
) -> dict[str, Any]:
    c = verdict.citation
    worst = verdict.worst
    start_line, start_column = line_and_column(document.text, c.start)
    end_line, end_column = line_and_column(document.text, c.end)
    message = (f"{citation_id(c) or _one_line(c.text)}: "
               f"{ui('at_citing', lang)}: {_citing_label(verdict, lang)}; "
               f"{ui('now', lang)} {as_of}: "
               f"{_now_label(verdict, lang)}")
    if verdict.suggestion or verdict.suggestion_at_citing:
        suggestion = verdict.suggestion or verdict.suggestion_at_citing
        message += f". {_suggestion_label(verdict, lang)}: {suggestion}"
    if verdict.evidence:
        message += ". " + " | ".join(e.detail(lang) for e in verdict.evidence)
    kind = "pass" if worst == "ok" else ("review" if worst == "unknown" else "fail")
    return {
        "ruleId": f"citation/{worst}",
        "ruleIndex": order.index(worst),
        "kind": kind,
        "level": levels[worst] if kind == "fail" else "none",
        "message": {"text": message},
        "locations": [{"physicalLocation": {
            "artifactLocation": location,
            "region": {"startLine": start_line, "startColumn": start_column, "endLine": end_line,
                       "endColumn": end_column, "charOffset": c.start, "charLength": c.end - c.start,
                       "snippet": {"text": c.text}},
        }}],
        "properties": {
            "status": verdict.status, "statusAtCiting": verdict.status_at_citing,
            "confidence": verdict.confidence, "suggestion": verdict.suggestion,
            "evidence": [e.to_dict(lang) for e in verdict.evidence],
            "notes": [n.text(lang) for n in verdict.notes],
        },
    }


def _version() -> str:
    from kg import __version__

    return __version__


# ---------------------------------------------------------------------------------------------- html


_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;margin:1.5rem;color:#222}
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:2rem;border-bottom:1px solid #ccc}
.meta{color:#555;font-size:.9rem}
.doc{white-space:pre-wrap;font-family:"Noto Serif",Georgia,serif;line-height:1.55;background:#fcfcfa;
border:1px solid #ddd;padding:1rem;max-width:60rem;max-height:70vh;overflow:auto}
mark{padding:0 .1em;border-radius:.2em;border-bottom:2px solid #888;cursor:help;color:inherit}
table{border-collapse:collapse;margin-top:1rem;font-size:.9rem;max-width:75rem}
td,th{border:1px solid #ccc;padding:.3rem .5rem;vertical-align:top;text-align:left}
.legend span{display:inline-block;margin:.15rem .4rem .15rem 0;padding:.1rem .4rem;border-radius:.2em}
.ev{margin:.1rem 0}.note{color:#555}
"""


def _status_css() -> str:
    return "".join(
        f"mark.st-{s['code']},.legend .st-{s['code']},td.st-{s['code']}{{background:{s['color']}}}\n"
        for s in status_data()["statuses"]
    )


def _e(text: Any) -> str:
    return html.escape("" if text is None else str(text), quote=True)


def _tooltip(verdict: Verdict, lang: str) -> str:
    lines = [f"{ui('at_citing', lang)}: {_citing_label(verdict, lang)}",
             f"{ui('now', lang)}: {_now_label(verdict, lang)}"]
    if verdict.suggestion or verdict.suggestion_at_citing:
        suggestion = verdict.suggestion or verdict.suggestion_at_citing
        lines.append(f"{_suggestion_label(verdict, lang)}: {suggestion}")
    for evidence in verdict.evidence:
        lines.append(f"{ui('evidence', lang)} [{kind_label(evidence.kind, lang)}, "
                     f"{confidence_label(evidence.confidence, lang)}]: {evidence.detail(lang)}")
    for note in verdict.notes:
        lines.append(f"{ui('note', lang)}: {note.text(lang)}")
    return "\n".join(lines)


def _highlighted(document: DocumentCheck, lang: str) -> str:
    parts: list[str] = []
    position = 0
    ordered = sorted(document.verdicts, key=lambda v: (v.citation.start, v.citation.end))
    for index, verdict in enumerate(ordered):
        c = verdict.citation
        if c.start < position or c.end > len(document.text):
            continue  # overlapping mentions: the first one is highlighted, all are listed in the table
        parts.append(_e(document.text[position:c.start]))
        parts.append(f'<mark class="st-{_e(verdict.worst)}" id="c{index}" '
                     f'title="{_e(_tooltip(verdict, lang))}">{_e(document.text[c.start:c.end])}</mark>')
        position = c.end
    parts.append(_e(document.text[position:]))
    return "".join(parts)


def _table(document: DocumentCheck, lang: str) -> str:
    head = (f"<tr><th>{_e(ui('citation', lang))}</th><th>{_e(ui('at_citing', lang))}</th>"
            f"<th>{_e(ui('now', lang))}</th><th>{_e(ui('suggestion', lang))}</th>"
            f"<th>{_e(ui('evidence', lang))}</th></tr>")
    rows = []
    for verdict in document.verdicts:
        c = verdict.citation
        line, _ = line_and_column(document.text, c.start)
        evidence = "".join(
            f'<div class="ev">[{_e(kind_label(e.kind, lang))}, {_e(confidence_label(e.confidence, lang))}] '
            f"{_e(e.detail(lang))} <small>({_e(e.source)})</small></div>" for e in verdict.evidence
        ) + "".join(
            f'<div class="note">{_e(ui("note", lang))}: {_e(n.text(lang))}</div>' for n in verdict.notes
        )
        rows.append(
            f"<tr><td>{_e(citation_id(c) or _one_line(c.text))}<br><small>{_e(_line_word(lang))} {line}: "
            f"{_e(_one_line(c.text))}</small></td>"
            f'<td class="st-{_e(verdict.status_at_citing)}">'
            f"{_e(_citing_label(verdict, lang))}</td>"
            f'<td class="st-{_e(verdict.status)}">'
            f"{_e(_now_label(verdict, lang))}</td>"
            f"<td>{_e(verdict.suggestion or verdict.suggestion_at_citing or '')}</td><td>{evidence}</td></tr>"
        )
    return f"<table>{head}{''.join(rows)}</table>"


def html_report(result: CheckResult, lang: str = "vi") -> str:
    legend = "".join(
        f'<span class="st-{_e(s["code"])}" title="{_e(s["explain"][lang])}">{_e(s[lang])}</span>'
        for s in sorted(status_data()["statuses"], key=lambda s: s["severity"])
    )
    body = [f"<h1>{_e(ui('title', lang))}</h1>",
            f'<p class="meta">{_e(ui("as_of", lang))}: {_e(result.as_of.isoformat())}</p>',
            f'<p class="legend"><strong>{_e(ui("legend", lang))}:</strong> {legend}</p>']
    for error in result.errors:
        body.append(f'<p class="note">! {_e(error)}</p>')
    for document in result.documents:
        body.append(f"<h2>{_e(ui('document', lang))}: {_e(document.file)}</h2>")
        body.append(f'<p class="meta">{_e(_date_line(document, lang))}</p>')
        for warning in document.warnings:
            body.append(f'<p class="note">! {_e(warning)}</p>')
        body.append(f'<div class="doc">{_highlighted(document, lang)}</div>')
        body.append(_table(document, lang) if document.verdicts else f"<p>{_e(ui('none', lang))}</p>")
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(ui('title', lang))}</title><style>{_CSS}{_status_css()}</style></head>"
        f"<body>{''.join(body)}</body></html>\n"
    )
