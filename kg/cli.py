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


def main() -> None:
    app()


if __name__ == "__main__":
    main()
