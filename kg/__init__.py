"""kg: a knowledge graph of Vietnamese legal citations.

The pipeline, one module per stage: ingest → extract → resolve → graph → store → query / viz / check.
Heavy libraries are imported lazily so that `import kg` and the CLI start fast.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

# Public API, resolved lazily: name -> "module:attribute".
_API = {
    "read_document": "kg.ingest:read_document",
    "extract": "kg.extract:extract",
    "extract_file": "kg.extract:extract_file",
    "build": "kg.store:build",
    "open_store": "kg.store:open_store",
    "query": "kg.query:query",
    "check": "kg.check:check",
    "visualise": "kg.viz:visualise",
}

__all__ = sorted(_API) + ["__version__"]


def __getattr__(name: str) -> Any:
    target = _API.get(name)
    if target is None:
        raise AttributeError(f"module 'kg' has no attribute {name!r}")
    module_name, attribute = target.split(":")
    import importlib

    return getattr(importlib.import_module(module_name), attribute)
