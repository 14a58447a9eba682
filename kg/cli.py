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


def main() -> None:
    app()


if __name__ == "__main__":
    main()
