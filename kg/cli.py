"""The `kg` command: a thin layer over the Python API. Each command imports its stage lazily."""

from __future__ import annotations

import typer
from typer.core import TyperGroup

# Commands listed in pipeline order in `kg --help`, whatever order they are defined in below.
COMMAND_ORDER = ["extract", "build", "stats", "export", "query", "serve", "viz", "check"]


class PipelineOrder(TyperGroup):
    def list_commands(self, ctx: object) -> list[str]:
        names = super().list_commands(ctx)
        return sorted(names, key=lambda name: COMMAND_ORDER.index(name) if name in COMMAND_ORDER else 99)


app = typer.Typer(
    name="kg",
    cls=PipelineOrder,
    help="Vietnamese legal-citation knowledge graph: extract, build, query, visualise and check citations.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Plain click help: rich's markdown renderer costs ~0.3 s of start-up on every call.
    rich_markup_mode=None,
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

    from kg.extract import extract as extract_text
    from kg.ingest import iter_documents
    from kg.models import IngestError

    if fmt not in ("table", "jsonl", "json"):
        typer.echo(f"kg extract: unknown --format {fmt!r}: use table, jsonl or json", err=True)
        raise typer.Exit(2)
    records: list[dict] = []
    failed: list[IngestError] = []
    for document in iter_documents(paths):
        if isinstance(document, IngestError):
            typer.echo(f"kg extract: {document}", err=True)
            failed.append(document)
            continue
        for warning in document.warnings:  # e.g. "empty file": read, but the user should know
            typer.echo(f"kg extract: warning: {document.path}: {warning}", err=True)
        for citation in extract_text(document.text):
            record = {"file": document.path, **citation.to_dict()}
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
        names = ", ".join(error.path for error in failed)
        typer.echo(f"kg extract: {len(failed)} file(s) could not be read: {names}", err=True)
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
    from kg.store import StoreBusyError

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
    except (ValueError, FileNotFoundError, StoreBusyError) as error:  # busy: a build is writing the store
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
        # Input error (exit 2) wins over --fail-on: the check is incomplete.
        typer.echo(f"kg check: {len(result.errors)} file(s) could not be read; the others were checked",
                   err=True)
        raise typer.Exit(2)
    raise typer.Exit(1 if result.fails(fail_on) else 0)


@app.command()
def build(
    paths: list[str] = typer.Argument(..., help="Files or directories (every .txt/.docx/.pdf in them)."),  # noqa: B008
    store: str = typer.Option(".kg", "--store", help="Store directory (created if missing) or SPARQL URL."),
    jobs: int | None = typer.Option(None, "--jobs", "-j", min=1, help="Processes [default: all cores]."),
) -> None:
    """Build the knowledge graph: ingest, extract, resolve and store; unchanged files are skipped."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from kg.store import StoreBusyError
    from kg.store import build as build_store

    console = Console(stderr=True)
    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), console=console, transient=True
    ) as bar:
        tasks: dict[str, object] = {}

        def progress(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                label = "reading + extracting" if stage == "read" else "writing graphs"
                tasks[stage] = bar.add_task(label, total=total)
            bar.update(tasks[stage], completed=done, total=total)

        try:
            report = build_store(paths, store=store, jobs=jobs, progress=progress)
        except StoreBusyError as error:
            typer.echo(f"kg build: {error}", err=True)
            raise typer.Exit(3) from error
    for warning in report.warnings:
        typer.echo(f"warning: {warning}", err=True)
    for path, reason in sorted(report.failed.items()):
        typer.echo(f"failed: {path}: {reason}", err=True)
    typer.echo(
        f"{report.store}: {len(report.written)} file graph(s) written, {len(report.unchanged)} unchanged, "
        f"{len(report.failed)} failed"
        + (f", {len(report.removed)} removed" if report.removed else "")
        + f"; {report.documents} documents, {report.citations} citations"
    )
    if report.failed:
        raise typer.Exit(1)


@app.command()
def export(
    fmt: str = typer.Option(
        "ttl", "--format", "-f", help="ttl | nt | nq | trig | jsonld | graphml | gexf | csv"
    ),
    out: str | None = typer.Option(None, "-o", "--output", help="Output file [default: standard output]."),
    store: str = typer.Option(".kg", "--store", help="Store directory or SPARQL endpoint URL."),
) -> None:
    """Export the graph: RDF (union of all graphs; nq/trig keep the named graphs) or networkx formats."""
    import sys

    from kg.export import FORMATS
    from kg.export import export as export_graph
    from kg.store import StoreBusyError, open_store

    if fmt not in FORMATS:
        typer.echo(f"kg export: unknown --format {fmt!r}: use one of {', '.join(FORMATS)}", err=True)
        raise typer.Exit(2)
    try:
        graph_store = open_store(store)
    except (FileNotFoundError, StoreBusyError) as error:
        typer.echo(f"kg export: {error}", err=True)
        raise typer.Exit(2) from error
    try:
        data = export_graph(graph_store, fmt)
    finally:
        graph_store.close()
    if out:
        with open(out, "wb") as handle:
            handle.write(data)
        typer.echo(f"Wrote {out} ({len(data)} bytes)", err=True)
    else:
        sys.stdout.buffer.write(data)


@app.command()
def stats(
    store: str = typer.Option(".kg", "--store", help="Store directory or SPARQL endpoint URL."),
    top: int = typer.Option(10, "--top", min=1, help="How many most-cited documents to list."),
) -> None:
    """Counts by type, issuer, level and year; the most cited documents by in-degree and PageRank."""
    from rich.console import Console
    from rich.table import Table

    from kg.export import stats as graph_stats
    from kg.store import StoreBusyError, open_store

    try:
        graph_store = open_store(store)
    except (FileNotFoundError, StoreBusyError) as error:
        typer.echo(f"kg stats: {error}", err=True)
        raise typer.Exit(2) from error
    try:
        result = graph_stats(graph_store, top=top)
    finally:
        graph_store.close()
    console = Console()
    console.print(
        f"{result.documents} documents, {result.citations} citations, {result.files} source files, "
        f"{result.issuers} issuers"
    )
    for title, counter in (
        ("type", result.by_type), ("issuer", result.by_issuer), ("level", result.by_level),
        ("year", result.by_year), ("relation", result.by_relation),
    ):
        table = Table(title=f"by {title}")
        table.add_column(title)
        table.add_column("count", justify="right")
        for key, count in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:top]:
            table.add_row(key, str(count))
        console.print(table)
    table = Table(title="most cited")
    table.add_column("document (in-degree)")
    table.add_column("citing", justify="right")
    table.add_column("document (PageRank)")
    table.add_column("rank", justify="right")
    for index in range(max(len(result.top_in_degree), len(result.top_pagerank))):
        left = result.top_in_degree[index] if index < len(result.top_in_degree) else ("", "")
        right = result.top_pagerank[index] if index < len(result.top_pagerank) else ("", None)
        table.add_row(left[0], str(left[1]), right[0], f"{right[1]:.4f}" if right[1] is not None else "")
    console.print(table)


@app.command()
def query(
    sparql: str | None = typer.Argument(None, help="A SPARQL query; kg's prefixes are added when missing."),
    file: str | None = typer.Option(None, "-f", "--file", help="Read the query from FILE (.rq)."),
    name: str | None = typer.Option(None, "-n", "--name", help="Run a named query (see --list)."),
    param: list[str] = typer.Option(  # noqa: B008
        [], "-p", "--param", help="key=value, bound as an RDF term; key:integer=3 types it (repeatable)."
    ),
    list_queries: bool = typer.Option(False, "--list", help="List the named queries and their parameters."),
    fmt: str = typer.Option("table", "--format", help="table | csv | tsv | json (SPARQL results JSON)."),
    store: str = typer.Option(".kg", "--store", help="Store directory or SPARQL endpoint URL."),
) -> None:
    """Run SPARQL on the graph: an ad-hoc query, a .rq file or a named query with parameters.

    Exit code 0: done; 1: the store or server failed; 2: the query, a parameter or the store path is wrong."""
    from kg import query as kg_query

    if list_queries:
        typer.echo(kg_query.describe_named())
        return
    code = kg_query.run_command(sparql, file, name, param, fmt, store)
    if code:
        raise typer.Exit(code)


@app.command()
def serve(
    store: str = typer.Option(".kg", "--store", help="Store directory to serve."),
    port: int = typer.Option(7878, "--port", min=1, max=65535, help="TCP port."),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (loopback by default)."),
    allow_update: bool = typer.Option(
        False, "--allow-update", help="Accept SPARQL Update and Graph Store writes (takes the store's lock)."
    ),
) -> None:
    """Serve the store as a SPARQL 1.1 endpoint with a web query UI (the Oxigraph server), read-only
    unless --allow-update. Stop it with Ctrl-C."""
    from pathlib import Path

    from kg import serve as kg_serve

    try:
        command = kg_serve.server_command(Path(store), host, port, allow_update)
        if not allow_update:
            kg_serve.check_store_dir(Path(store))
    except kg_serve.ServeError as error:
        typer.echo(f"kg serve: {error}", err=True)
        raise typer.Exit(2) from error
    shown = f"[{host}]" if ":" in host else host
    mode = "read-write" if allow_update else "read-only"
    base = f"http://{shown}:{port}"
    typer.echo(f"SPARQL endpoint {base}/query ({mode}), web UI {base}/", err=True)
    if host not in kg_serve.LOOPBACK:
        typer.echo(f"kg serve: warning: listening on {host}: reachable from other machines", err=True)
    typer.echo(f"kg serve: {' '.join(command)}", err=True)
    raise typer.Exit(kg_serve.serve_forever(Path(store), host, port, allow_update))


def main() -> None:
    try:
        app()
    except Exception as error:
        # A remote store that fails (down, refused, 401) or a store a build is writing is the user's
        # situation, not a bug: one line, exit 1 (as `kg query`) or 2 (busy, as `kg stats`). Messages are
        # already free of credentials (kg/remote.py masks them).
        from kg.remote import RemoteStoreError
        from kg.store import StoreBusyError

        if not isinstance(error, RemoteStoreError | StoreBusyError):
            raise
        import sys

        command = next((arg for arg in sys.argv[1:] if not arg.startswith("-")), "")
        sys.stderr.write(f"kg {command}: {error}\n".replace("kg : ", "kg: "))
        sys.exit(2 if isinstance(error, StoreBusyError) else 1)


if __name__ == "__main__":
    main()
