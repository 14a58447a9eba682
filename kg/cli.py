"""The `kg` command: a thin layer over the Python API. Each command imports its stage lazily."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="kg",
    help="Vietnamese legal-citation knowledge graph: extract, build, query, visualise and check citations.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.command()
def viz(
    out: str | None = typer.Option(
        None, "-o", "--out", help="Output file [default: graph.html, or graph.png/.svg]."
    ),
    store: str = typer.Option(".kg", "--store", help="Store directory or SPARQL endpoint URL."),
    focus: str | None = typer.Option(None, "--focus", help="Show the neighbourhood of this document."),
    depth: int = typer.Option(2, "--depth", min=0, help="Relations to follow from --focus."),
    issuer: str | None = typer.Option(None, "--issuer", help="Only documents of this issuer (TTg)."),
    doc_type: str | None = typer.Option(
        None, "--type", help="Only these types: CT, NQ, 'Chỉ thị' (comma-separated)."
    ),
    since: str | None = typer.Option(None, "--since", help="Only documents dated from this year or date."),
    until: str | None = typer.Option(None, "--until", help="Only documents dated up to this year or date."),
    level: str | None = typer.Option(None, "--level", help="central | province | district | commune."),
    max_nodes: int = typer.Option(1500, "--max-nodes", min=1, help="Keep the most relevant (PageRank)."),
    fmt: str | None = typer.Option(None, "--format", help="html | png | svg [default: from -o, else html]."),
) -> None:
    """Draw the graph: an interactive self-contained HTML page, or a PNG/SVG picture."""
    from pathlib import Path

    from kg.viz import visualise

    if "://" not in store and not Path(store).exists():
        typer.echo(f"kg viz: no store at {store}: run `kg build <files> --store {store}` first", err=True)
        raise typer.Exit(2)
    target = out or f"graph.{(fmt or 'html').lower()}"
    filters = dict(focus=focus, depth=depth, issuer=issuer, doc_type=doc_type, since=since, until=until)
    try:
        result = visualise(store, target, level=level, max_nodes=max_nodes, format=fmt, **filters)
    except (ValueError, LookupError) as error:
        typer.echo(f"kg viz: {error}", err=True)
        raise typer.Exit(2) from error
    kinds = f"{result.documents} documents, {result.issuers} issuers"
    typer.echo(f"Wrote {result.path}: {result.nodes} nodes ({kinds}), {result.edges} edges")
    if result.note:
        typer.echo(result.note, err=True)


@app.command()
def extract(
    paths: list[str] = typer.Argument(..., help="Files or directories (every supported file in them)."),  # noqa: B008
    fmt: str = typer.Option("table", "--format", "-f", help="table | jsonl | json"),
) -> None:
    """Print the citations found in documents: one row (or JSON object) per mention."""
    import json
    import sys

    from kg.extract import iter_extracted

    if fmt not in ("table", "jsonl", "json"):
        typer.echo(f"kg extract: unknown --format {fmt!r}: use table, jsonl or json", err=True)
        raise typer.Exit(2)
    records, failed = [], False
    for path, result in iter_extracted(paths):
        if isinstance(result, Exception):
            typer.echo(f"kg extract: {result}", err=True)
            failed = True
            continue
        for citation in result:
            record = {"file": path, **citation.to_dict()}
            if fmt == "jsonl":
                sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
            else:
                records.append(record)
    if fmt == "json":
        sys.stdout.write(json.dumps(records, ensure_ascii=False, indent=2) + "\n")
    elif fmt == "table":
        from kg.extract import render_table

        render_table(records)
    if failed:
        raise typer.Exit(1)


@app.command()
def check(
    paths: list[str] = typer.Argument(..., help="Files or directories to check."),  # noqa: B008
    store: str | None = typer.Option(
        None, "--store", help="Built store (.kg) or SPARQL endpoint URL: adds what the corpus knows."
    ),
    as_of: str | None = typer.Option(None, "--as-of", help="Second clock, YYYY-MM-DD [default: today]."),
    fmt: str = typer.Option("text", "--format", "-f", help="text | json | sarif | html"),
    fail_on: str = typer.Option(
        "replaced", "--fail-on", help="Exit 1 when a citation reaches this status (docs/check.md) | never."
    ),
    lang: str = typer.Option("vi", "--lang", help="vi | en (text and HTML; JSON keys stay English)."),
    out: str | None = typer.Option(None, "-o", "--out", help="Write the report to FILE instead of stdout."),
) -> None:
    """Check citations: ok, amended, superseded, replaced, repealed, expired, future, malformed,
    inconsistent or unknown, at the citing document's date and --as-of, with evidence and suggestions.

    Exit code 0: nothing reaches --fail-on; 1: something does; 2: usage or input error."""
    from pathlib import Path

    from kg.check import check as run_check
    from kg.check import statuses
    from kg.report import FORMATS, render_report

    def usage(message: str) -> typer.Exit:
        typer.echo(f"kg check: {message}", err=True)
        return typer.Exit(2)

    if fmt not in FORMATS:
        raise usage(f"--format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    if lang not in ("vi", "en"):
        raise usage(f"--lang must be vi or en, not {lang!r}")
    if fail_on != "never" and fail_on not in statuses():
        raise usage(f"--fail-on must be one of {', '.join(statuses())} or never, not {fail_on!r}")
    if store and "://" not in store and not Path(store).exists():
        raise usage(f"no store at {store}: run `kg build <files> --store {store}` first, or omit --store")
    missing = [p for p in paths if not Path(p).exists()]
    if missing:
        raise usage(f"no such file or directory: {', '.join(missing)}")
    try:
        result = run_check(paths, store=store, as_of=as_of)
    except ValueError as error:
        raise usage(str(error)) from error
    report = render_report(result, fmt, lang)
    if out:
        Path(out).write_text(report, encoding="utf-8")
        typer.echo(f"Wrote {out}", err=True)
    else:
        typer.echo(report, nl=False)
    for error in result.errors:
        typer.echo(f"kg check: {error}", err=True)
    if result.errors:
        raise typer.Exit(2)
    raise typer.Exit(1 if result.fails(fail_on) else 0)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
