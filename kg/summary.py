"""The corpus summary graph: corpus-wide facts about each document, written once per build.

File graphs each describe the documents they cite, so the union repeats a shared document's description
once per citing file. Queries that aggregate over the corpus read this graph instead: one node per
document, each value stated once.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from kg import vocab

if TYPE_CHECKING:
    from kg.graph import Resolution


def summary_ntriples(resolution: Resolution) -> str:
    """N-Triples of graph:summary for a resolved corpus (deterministic: sorted by document IRI)."""
    from kg.graph import _iri, _literal

    mentions: dict[str, int] = defaultdict(int)
    files: dict[str, set[str]] = defaultdict(set)
    for path, refs in resolution.mentions.items():
        own = resolution.citing[path].iri
        for ref in refs:
            if ref is None or not ref.iri or ref.iri == own:
                continue
            mentions[ref.iri] += 1
            files[ref.iri].add(path)
    lines = []
    for iri in sorted(mentions):
        lines.append(f"{_iri(iri)} {_iri(vocab.MENTION_COUNT)} {_literal(mentions[iri])} .")
        lines.append(f"{_iri(iri)} {_iri(vocab.CITING_FILE_COUNT)} {_literal(len(files[iri]))} .")
    return "\n".join(lines) + ("\n" if lines else "")
