"""SPARQL over the graph: ad-hoc queries, the named queries of ontology/queries/, result formats.

Parameters are always bound as RDF terms, never spliced into the query text: each becomes a VALUES
block of properly serialised terms at the start of the query's outermost group, for the embedded and
the remote store alike. The one exception is a named query's `limit` (a checked non-negative integer),
written into its LIMIT clauses and filters (`with_limit`). The default graph is the union of all named
graphs.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg import vocab
from kg.data import ontology_dir

FORMATS = ("table", "csv", "tsv", "json")
PARAM_TYPES = ("string", "integer", "decimal", "date", "boolean", "iri")

_XSD_STRING = vocab.XSD + "string"
_XSD_INTEGER_TYPES = {
    vocab.XSD + t
    for t in (
        "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
        "negativeInteger", "nonPositiveInteger", "unsignedInt", "unsignedLong", "unsignedShort",
        "unsignedByte",
    )
}


class QueryError(Exception):
    """A query that cannot run as written (syntax, unknown name, bad parameter). CLI exit code 2."""


class QuerySyntaxError(QueryError):
    """A SPARQL syntax error, with its position in the text the user wrote (1-based)."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None, source: str = ""):
        self.message = message
        self.line = line
        self.column = column
        self.source = source
        super().__init__(self.render())

    def render(self) -> str:
        where = f"line {self.line}, column {self.column}: " if self.line is not None else ""
        text = f"SPARQL syntax error at {where}{self.message}"
        lines = self.source.splitlines()
        if self.line is not None and self.column is not None and 0 < self.line <= len(lines):
            shown = lines[self.line - 1]
            text += f"\n  {shown}\n  {' ' * max(self.column - 1, 0)}^"
        return text


# ---------------------------------------------------------------- named queries


@dataclass(frozen=True, slots=True)
class Param:
    name: str
    type: str  # one of PARAM_TYPES
    default: str | None  # None: required, unless `optional`
    description: str = ""
    optional: bool = False  # no default, and the query works with the variable left unbound


@dataclass(frozen=True, slots=True)
class NamedQuery:
    name: str
    title: str
    description: str
    params: tuple[Param, ...]
    sparql: str
    path: Path | None = None

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)


# "# param NAME: TYPE [= DEFAULT | optional] — description" (an ASCII " - " works as the dash too)
_PARAM_LINE = re.compile(
    r"^param\s+(?P<name>[A-Za-z_]\w*)\s*:\s*(?P<type>\w+)"
    r"(?:\s*=\s*(?P<default>\"[^\"]*\"|\S+)|\s+(?P<optional>optional))?"
    r"\s*(?:(?:—|--| - )\s*(?P<desc>.*))?$"
)


def parse_header(text: str, name: str = "") -> tuple[str, str, tuple[Param, ...]]:
    """Read the leading comment block: `# title:`, `# description:` (may continue), `# param …` lines."""
    title, description, params = "", [], []
    current = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line.startswith("#"):
            if line:
                break
            continue
        body = line.lstrip("#").strip()
        if body.startswith("title:"):
            title, current = body[len("title:"):].strip(), "title"
        elif body.startswith("description:"):
            description.append(body[len("description:"):].strip())
            current = "description"
        elif body.startswith("param "):
            params.append(_parse_param(body, name))
            current = "param"
        elif body and current == "description":
            description.append(body)
        elif body and current == "param":  # a parameter's description continues
            last = params[-1]
            params[-1] = replace(last, description=f"{last.description} {body}".strip())
        elif not body:
            current = None
    if not title:
        raise QueryError(f"named query {name!r} has no '# title:' line in its header")
    return title, " ".join(description), tuple(params)


def _parse_param(body: str, query_name: str) -> Param:
    match = _PARAM_LINE.match(body)
    if not match:
        raise QueryError(f"named query {query_name!r}: cannot read header line {body!r}")
    ptype = match["type"]
    if ptype not in PARAM_TYPES:
        raise QueryError(f"named query {query_name!r}: parameter type {ptype!r} not in {PARAM_TYPES}")
    default = match["default"]
    if default is not None and default.startswith('"'):
        default = default[1:-1]
    return Param(match["name"], ptype, default, (match["desc"] or "").strip(), bool(match["optional"]))


def queries_dir() -> Path:
    return ontology_dir() / "queries"


def load_named_queries(directory: Path | None = None) -> dict[str, NamedQuery]:
    """Every `*.rq` file of ontology/queries/, by file stem."""
    found = {}
    for path in sorted((directory or queries_dir()).glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        title, description, params = parse_header(text, path.stem)
        found[path.stem] = NamedQuery(path.stem, title, description, params, text, path)
    return found


def named_query(name: str, directory: Path | None = None) -> NamedQuery:
    queries = load_named_queries(directory)
    if name not in queries:
        known = ", ".join(sorted(queries)) or "none"
        raise QueryError(f"no named query {name!r} (known: {known}); see `kg query --list`")
    return queries[name]


# ---------------------------------------------------------------- parameters as RDF terms


def parse_param_args(pairs: Iterable[str]) -> dict[str, str]:
    """`key=value` command-line arguments -> dict (the value may itself contain '=')."""
    params = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise QueryError(f"--param expects key=value, got {pair!r}")
        params[key.strip()] = value
    return params


def typed_term(value: Any, ptype: str, name: str = "value") -> ox.NamedNode | ox.Literal:
    """A command-line string (or Python value) as the RDF term of a declared parameter type."""
    if isinstance(value, ox.NamedNode | ox.Literal):
        return value
    text = ("true" if value else "false") if isinstance(value, bool) else unicodedata.normalize(
        "NFC", str(value)).strip()
    try:
        if ptype == "string":
            return ox.Literal(text)
        if ptype == "integer":
            return ox.Literal(int(text))
        if ptype == "decimal":
            return ox.Literal(str(Decimal(text)), datatype=ox.NamedNode(vocab.XSD + "decimal"))
        if ptype == "date":
            day = dt.date.fromisoformat(text[:10] if isinstance(value, dt.datetime) else text)
            return ox.Literal(day.isoformat(), datatype=ox.NamedNode(vocab.XSD + "date"))
        if ptype == "boolean":
            return ox.Literal(_as_bool(text))
        if ptype == "iri":
            return ox.NamedNode(_expand_iri(text))
    except (ValueError, InvalidOperation) as exc:
        raise QueryError(f"parameter {name}: {value!r} is not a valid {ptype} ({exc})") from exc
    raise QueryError(f"parameter {name}: unknown type {ptype!r}")


def _as_bool(text: str) -> bool:
    lowered = text.lower()
    if lowered in ("true", "1", "yes"):
        return True
    if lowered in ("false", "0", "no"):
        return False
    raise ValueError("expected true or false")


def _expand_iri(text: str) -> str:
    """`id:doc/vn/CT/2021/33-CT-TTg` -> full IRI, for the prefixes of kg.vocab."""
    prefix, sep, local = text.partition(":")
    if sep and prefix in vocab.PREFIXES and not local.startswith("//"):
        return vocab.PREFIXES[prefix] + local
    if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$", text) or any(c in text for c in '<>"{}|^`\\ '):
        raise ValueError("not an absolute IRI")
    return text


def python_term(value: Any) -> ox.NamedNode | ox.Literal:
    """The RDF term for a Python value passed to `query(store, sparql, x=...)`."""
    if isinstance(value, ox.NamedNode | ox.Literal):
        return value
    if isinstance(value, bool):
        return ox.Literal(value)
    if isinstance(value, int):
        return ox.Literal(value)
    if isinstance(value, float | Decimal):
        return typed_term(value, "decimal")
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return typed_term(value, "date")
    return ox.Literal(unicodedata.normalize("NFC", str(value)))


def bind_named(named: NamedQuery, given: Mapping[str, Any]) -> dict[str, ox.NamedNode | ox.Literal]:
    """Check the given parameters against the header, fill defaults, convert to typed terms."""
    unknown = sorted(set(given) - {p.name for p in named.params})
    if unknown:
        declared = ", ".join(p.name for p in named.params) or "none"
        raise QueryError(f"named query {named.name!r} has no parameter {unknown[0]!r} (declared: {declared})")
    bound = {}
    for param in named.params:
        if param.name in given:
            bound[param.name] = typed_term(given[param.name], param.type, param.name)
        elif param.default is not None:
            bound[param.name] = typed_term(param.default, param.type, param.name)
        elif not param.optional:
            raise QueryError(
                f"named query {named.name!r} needs --param {param.name}=<{param.type}> ({param.description})"
            )
    return bound


# ---------------------------------------------------------------- prefixes and positions


def missing_prefixes(sparql: str) -> str:
    """The PREFIX lines of kg.vocab that the query does not declare itself."""
    declared = {m.lower() for m in re.findall(r"(?im)^\s*PREFIX\s+([A-Za-z][\w.-]*|):", sparql)}
    return "".join(
        f"PREFIX {p}: <{iri}>\n" for p, iri in vocab.PREFIXES.items() if p.lower() not in declared
    )


_POSITION = re.compile(r"error at (\d+):(\d+):\s*(.*)", re.S)


def syntax_error(message: str, source: str, line_offset: int = 0) -> QuerySyntaxError:
    """Oxigraph's 'error at L:C: expected one of …' as a readable error positioned in `source`."""
    match = _POSITION.search(message)
    if not match:
        return QuerySyntaxError(message.strip().splitlines()[0] if message.strip() else "invalid query",
                                source=source)
    line, column = int(match[1]) - line_offset, int(match[2])
    return QuerySyntaxError(_readable_expectation(match[3]), line if line > 0 else None, column, source)


def _readable_expectation(detail: str) -> str:
    """Drop the character classes from 'expected one of …' lists; keep keywords and punctuation."""
    detail = " ".join(detail.split())
    if not detail.startswith("expected one of"):
        return detail
    items = re.findall(r"\[[^\]]*\]|\"[^\"]*\"|[^,\s][^,]*", detail[len("expected one of"):])
    kept = [i.strip() for i in items if not i.strip().startswith("[") and "'" not in i]
    if not kept:
        return "unexpected character"
    return "expected one of " + ", ".join(kept[:12]) + (", …" if len(kept) > 12 else "")


# ---------------------------------------------------------------- binding parameters with VALUES


def values_block(bindings: Mapping[str, Any]) -> str:
    """`VALUES (?a ?b) { ("x" 3) }` from pyoxigraph terms; their str() is escaped SPARQL syntax."""
    names = list(bindings)
    for name in names:
        if not re.fullmatch(r"[A-Za-z_]\w*", name):
            raise ValueError(f"not a SPARQL variable name: {name!r}")
    for term in bindings.values():
        if not isinstance(term, ox.NamedNode | ox.Literal):
            raise TypeError(f"parameters must be RDF terms, got {type(term).__name__}")
    variables = " ".join(f"?{n}" for n in names)
    row = " ".join(str(bindings[n]) for n in names)
    return f"VALUES ({variables}) {{ ({row}) }}"


_BOUND_HERE = re.compile(r"\{(?=[ \t]*#[ \t]*parameters bound here\b)")


def with_values(sparql: str, bindings: Mapping[str, Any]) -> str:
    """The query with a VALUES block at the start of its outermost WHERE group, or of the group whose
    `{` is followed by the comment `# parameters bound here` (a limited sub-select that needs them: a
    sub-select does not see the outer group's bindings)."""
    marked = _BOUND_HERE.search(sparql)
    in_code = marked and marked.start() not in _non_code(sparql)
    brace = marked.start() if in_code else first_group_brace(sparql)
    if brace is None:
        raise ValueError("cannot bind parameters: the query has no { … } group")
    return sparql[: brace + 1] + " " + values_block(bindings) + " " + sparql[brace + 1:]


def first_group_brace(sparql: str) -> int | None:
    """Index of the first `{` that is code (not inside an IRI, a string or a comment).

    For a SELECT/ASK/CONSTRUCT WHERE query that is the WHERE group; a CONSTRUCT template is skipped.
    """
    positions = _code_braces(sparql)
    if not positions:
        return None
    if re.match(r"\s*CONSTRUCT\s*\{", _strip_prologue(sparql), re.I):
        depth = 0
        for index, char in positions:
            depth += 1 if char == "{" else -1
            if depth == 0:  # end of the template: the next brace opens WHERE
                later = [i for i, c in positions if i > index and c == "{"]
                return later[0] if later else None
    return next((i for i, c in positions if c == "{"), None)


def _strip_prologue(sparql: str) -> str:
    text = re.sub(r"#[^\n]*", "", sparql)
    return re.sub(r"(?is)^\s*((PREFIX\s+[\w.-]*:\s*<[^>]*>|BASE\s*<[^>]*>)\s*)*", "", text)


def _code_braces(sparql: str) -> list[tuple[int, str]]:
    """Braces outside strings ('…', "…", long forms), IRIs and comments."""
    hidden = _non_code(sparql)
    return [(i, char) for i, char in enumerate(sparql) if char in "{}" and i not in hidden]


# ---------------------------------------------------------------- the limit parameter

_LIMIT_PARAM = re.compile(r"(?m)^\s*#\s*param\s+limit\s*:\s*integer\b")
_LIMIT_CODE = re.compile(r"\bLIMIT\s+\d+|[?$]limit\b", re.I)


def with_limit(sparql: str, terms: dict[str, Any]) -> str:
    """A query whose header declares `# param limit: integer = N`, with the limit written into its text.

    SPARQL takes no variable in LIMIT, and Oxigraph plans a FILTER on a constant (pushed into a VALUES
    block, then index lookups) but not one on a VALUES-bound variable (it scanned every kg:rankBand):
    each `LIMIT N` clause gets the value (none for 0: every row) and each `?limit` becomes the integer,
    which is then removed from `terms`. The .rq file stays a valid query with its default. Other queries
    are returned unchanged."""
    if "limit" not in terms or not _LIMIT_PARAM.search(sparql):
        return sparql
    term = terms.pop("limit")
    try:
        limit = int(term.value)
    except (AttributeError, ValueError):
        raise QueryError(f"parameter limit: {term} is not an integer") from None
    if limit < 0:
        raise QueryError("parameter limit: must be 0 (every row) or more")
    hidden = _non_code(sparql)
    pieces, last = [], 0
    for match in _LIMIT_CODE.finditer(sparql):
        if match.start() in hidden:
            continue
        if match.group().upper().startswith("LIMIT"):
            replacement = f"LIMIT {limit}" if limit else ""
        else:
            replacement = str(limit)
        pieces += [sparql[last: match.start()], replacement]
        last = match.end()
    return "".join(pieces) + sparql[last:]


def _non_code(sparql: str) -> set[int]:
    """Positions inside comments, strings and IRIs (where a brace or a `LIMIT` is text, not code)."""
    inside: set[int] = set()
    i, n = 0, len(sparql)
    while i < n:
        char, start = sparql[i], i
        if char == "#":
            end = sparql.find("\n", i)
            i = n if end < 0 else end
        elif char == "<" and re.match(r"<[^<>\"{}|^`\\\s]*>", sparql[i:]):
            i = sparql.find(">", i) + 1
        elif char in "\"'":
            quote = sparql[i: i + 3] if sparql[i: i + 3] in ('"""', "'''") else char
            i += len(quote)
            while i < n and not sparql.startswith(quote, i):
                i += 2 if sparql[i] == "\\" else 1
            i += len(quote)
        else:
            i += 1
            continue
        inside.update(range(start, i))
    return inside


# ---------------------------------------------------------------- running


@dataclass(slots=True)
class Result:
    """A materialised query result: SELECT rows, an ASK boolean or CONSTRUCT triples (as terms)."""

    variables: list[str] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)  # variable -> pyoxigraph term (absent: unbound)
    boolean: bool | None = None
    triples: list[ox.Triple] | None = None

    @property
    def kind(self) -> str:
        if self.boolean is not None:
            return "ask"
        return "graph" if self.triples is not None else "select"

    def values(self) -> list[dict[str, Any]]:
        """Rows with plain Python values (str, int, Decimal, date, bool); IRIs as str."""
        return [{k: term_value(t) for k, t in row.items()} for row in self.rows]

    def column(self, name: str) -> list[Any]:
        """One variable's values, in row order (None where unbound): handy for charts."""
        return [term_value(row[name]) if name in row else None for row in self.rows]

    def _repr_html_(self) -> str:
        """An HTML table in Jupyter (IRIs shortened with kg's prefixes, everything escaped)."""
        from html import escape

        if self.kind == "ask":
            return f"<p>{'true' if self.boolean else 'false'}</p>"
        if self.kind == "graph":
            return f"<pre>{escape(to_ntriples(self))}</pre>"
        head = "".join(f"<th>{escape(v)}</th>" for v in self.variables)
        body = []
        for row in self.rows:
            cells = []
            for name in self.variables:
                cells.append(f"<td>{escape(_cell(row.get(name)))}</td>")
            body.append("<tr>" + "".join(cells) + "</tr>")
        count = f"<p>{len(self.rows)} row{'s' if len(self.rows) != 1 else ''}</p>"
        return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>{count}"


def execute(store: Any, sparql: str, params: Mapping[str, Any] | None = None) -> Result:
    """Run `sparql` on a store (an open store, a pyoxigraph Store, a directory or a URL) with
    parameters bound as terms.

    kg's prefixes are added when missing; a syntax error is reported at its position in `sparql`.
    """
    if isinstance(store, str | Path):  # a store directory or URL: open it for this query only
        from kg.store import open_store

        opened = open_store(str(store))
        try:
            return execute(opened, sparql, params)
        finally:
            opened.close()
    terms = {name: python_term(value) for name, value in (params or {}).items()}
    prologue = missing_prefixes(sparql)
    full = prologue + with_limit(sparql, terms)
    try:
        raw = _run_raw(store, full, terms)
    except SyntaxError as exc:
        raise _locate_syntax_error(str(exc), full, sparql, prologue.count("\n")) from None
    return _materialise(raw)


def _locate_syntax_error(message: str, full: str, sparql: str, line_offset: int) -> QuerySyntaxError:
    """Position the error in the text the user wrote: parse it again, unbound, on an empty store
    (bound parameters and a remote server's message would shift or lack the position)."""
    try:
        ox.Store().query(full)
    except SyntaxError as local:
        return syntax_error(str(local), sparql, line_offset)
    except Exception:  # noqa: BLE001 - it parsed: the server rejected something else
        pass
    return QuerySyntaxError(" ".join(message.split())[:500] or "the server rejected the query", source=sparql)


def _run_raw(store: Any, sparql: str, terms: dict[str, Any]) -> Any:
    # One binding mechanism for every store: a VALUES block of serialised terms. pyoxigraph's
    # `substitutions` would also bind terms, but it requires the variable in the projection and is
    # applied after evaluation, so an anchored lookup turns into a full scan (docs/queries.md).
    text = with_values(sparql, terms) if terms else sparql
    if hasattr(store, "query_terms"):  # kg.remote.RemoteStore
        return store.query_terms(text)
    return _oxigraph_store(store).query(text, use_default_graph_as_union=True)


def _oxigraph_store(store: Any) -> ox.Store:
    if isinstance(store, ox.Store):
        return store
    for attribute in ("oxigraph", "store", "_store", "ox"):
        inner = getattr(store, attribute, None)
        if isinstance(inner, ox.Store):
            return inner
    raise TypeError(f"cannot run SPARQL on {type(store).__name__}: not an Oxigraph or remote store")


def _materialise(raw: Any) -> Result:
    if isinstance(raw, ox.QueryBoolean | bool):
        return Result(boolean=bool(raw))
    if isinstance(raw, ox.QuerySolutions):
        variables = [v.value for v in raw.variables]
        # terms by position (a solution iterates in the order of `variables`): about twice as fast as
        # solution[name] on large results
        rows = [
            {name: term for name, term in zip(variables, solution, strict=True) if term is not None}
            for solution in raw
        ]
        return Result(variables=variables, rows=rows)
    return Result(triples=list(raw))


def query(store: Any, sparql: str, **params: Any) -> list[dict[str, Any]]:
    """SELECT rows as dicts of Python values; parameters are Python values bound to `?name`."""
    return execute(store, sparql, params).values()


def run_named(store: Any, name: str, directory: Path | None = None, **params: Any) -> Result:
    """Run a named query of ontology/queries/ with its parameters checked and typed by its header."""
    named = named_query(name, directory)
    return execute(store, named.sparql, bind_named(named, params))


# ---------------------------------------------------------------- values and output formats


def term_value(term: Any) -> Any:
    """A pyoxigraph term as a plain Python value."""
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if not isinstance(term, ox.Literal):
        return str(term)
    datatype = term.datatype.value
    try:
        if datatype in _XSD_INTEGER_TYPES:
            return int(term.value)
        if datatype == vocab.XSD + "decimal":
            return Decimal(term.value)
        if datatype in (vocab.XSD + "double", vocab.XSD + "float"):
            return float(term.value)
        if datatype == vocab.XSD + "boolean":
            return term.value in ("true", "1")
        if datatype == vocab.XSD + "date":
            return dt.date.fromisoformat(term.value)
    except ValueError:
        pass
    return term.value


def short_iri(iri: str) -> str:
    """`https://w3id.org/kg-vn/id/doc/vn/…` -> `id:doc/vn/…` for readable tables."""
    for prefix, namespace in sorted(vocab.PREFIXES.items(), key=lambda item: -len(item[1])):
        if iri.startswith(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


def _plain(term: Any) -> str:
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value if isinstance(term, ox.NamedNode | ox.Literal) else str(term)


def _cell(term: Any) -> str:
    """A term for people: IRIs shortened with kg's prefixes, literals as their text, unbound empty."""
    if term is None:
        return ""
    return short_iri(term.value) if isinstance(term, ox.NamedNode) else _plain(term)


def to_json(result: Result) -> str:
    """SPARQL 1.1 Query Results JSON."""
    if result.kind == "ask":
        return json.dumps({"head": {}, "boolean": result.boolean})
    if result.kind == "graph":
        raise QueryError("CONSTRUCT/DESCRIBE results are graphs: use --format table (N-Triples)")
    bindings = [{name: _json_term(term) for name, term in row.items()} for row in result.rows]
    document = {"head": {"vars": result.variables}, "results": {"bindings": bindings}}
    return json.dumps(document, ensure_ascii=False, indent=1)


def _json_term(term: Any) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        encoded = {"type": "literal", "value": term.value}
        if term.language:
            encoded["xml:lang"] = term.language
        elif term.datatype.value != _XSD_STRING:
            encoded["datatype"] = term.datatype.value
        return encoded
    return {"type": "triple", "value": str(term)}


def to_delimited(result: Result, delimiter: str) -> str:
    """SPARQL 1.1 CSV (plain values) or TSV (terms in SPARQL syntax, `?var` header)."""
    if result.kind != "select":
        raise QueryError("CSV and TSV are for SELECT results")
    out = io.StringIO()
    if delimiter == ",":
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(result.variables)
        for row in result.rows:
            writer.writerow([_plain(row[v]) if v in row else "" for v in result.variables])
    else:
        out.write("\t".join(f"?{v}" for v in result.variables) + "\n")
        for row in result.rows:
            out.write("\t".join(str(row[v]) if v in row else "" for v in result.variables) + "\n")
    return out.getvalue()


def to_ntriples(result: Result) -> str:
    return "".join(f"{triple} .\n" for triple in result.triples or [])


def render(result: Result, fmt: str) -> str:
    """The result as text in one of FORMATS (table: a plain-text fallback without rich)."""
    if fmt == "json":
        return to_json(result)
    if fmt in ("csv", "tsv"):
        return to_delimited(result, "," if fmt == "csv" else "\t")
    if fmt != "table":
        raise QueryError(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")
    if result.kind == "ask":
        return "true" if result.boolean else "false"
    if result.kind == "graph":
        return to_ntriples(result)
    return to_delimited(result, "\t")


def rich_table(result: Result, title: str | None = None) -> Any:
    """A rich Table of SELECT rows, IRIs shortened with kg's prefixes."""
    from rich.table import Table

    table = Table(title=title, show_lines=False)
    for name in result.variables:
        table.add_column(name, overflow="fold")
    for row in result.rows:
        table.add_row(*(_cell(row.get(name)) for name in result.variables))
    table.caption = f"{len(result.rows)} row{'s' if len(result.rows) != 1 else ''}"
    return table


# ---------------------------------------------------------------- the `kg query` command


def describe_named(directory: Path | None = None) -> str:
    """The named queries as plain text for `kg query --list`: name, title, description, parameters."""
    import textwrap

    blocks = []
    for named in load_named_queries(directory).values():
        lines = [f"{named.name} — {named.title}"]
        lines += textwrap.wrap(named.description, 100, initial_indent="    ", subsequent_indent="    ")
        for p in named.params:
            if p.default is not None:
                default = f"default {p.default}"
            else:
                default = "optional" if p.optional else "required"
            lines.append(f"    --param {p.name}=<{p.type}>  ({default}) {p.description}")
        blocks.append("\n".join(lines))
    usage = "Run one with: kg query --name NAME [--param key=value …]"
    return "\n\n".join(blocks) + "\n\n" + usage


def read_query_text(sparql: str | None, file: str | None, name: str | None) -> tuple[str, NamedQuery | None]:
    """The query to run from exactly one of: the argument, --file, --name."""
    given = [x for x in (sparql, file, name) if x]
    if len(given) != 1:
        raise QueryError("give exactly one of: a query, -f/--file FILE, --name NAME (see kg query --list)")
    if name:
        named = named_query(name)
        return named.sparql, named
    if file:
        try:
            text = Path(file).read_text(encoding="utf-8")
        except OSError as exc:
            raise QueryError(f"cannot read {file}: {exc.strerror or exc}") from exc
        if re.match(r"\s*#\s*title:", text):  # a file with a header types its parameters
            title, description, params = parse_header(text, Path(file).stem)
            return text, NamedQuery(Path(file).stem, title, description, params, text, Path(file))
        return text, None
    return sparql or "", None


def adhoc_terms(given: Mapping[str, str]) -> dict[str, ox.NamedNode | ox.Literal]:
    """Parameters of a query without a header: `key=value` is a string, `key:type=value` is typed."""
    terms = {}
    for key, value in given.items():
        name, _, ptype = key.partition(":")
        terms[name] = typed_term(value, ptype or "string", name)
    return terms


def run_command(sparql: str | None, file: str | None, name: str | None, params: list[str], fmt: str,
                store: str) -> int:
    """`kg query`: run, print to stdout, return the exit code (2: the query or its input is wrong)."""
    import sys

    from rich.console import Console

    from kg.store import StoreBusyError, open_store

    def error(message: object) -> None:  # plain text: error lines must not be re-wrapped
        sys.stderr.write(f"kg query: {message}\n")

    try:
        if fmt not in FORMATS:
            raise QueryError(f"--format must be one of {', '.join(FORMATS)}, not {fmt!r}")
        text, named = read_query_text(sparql, file, name)
        given = parse_param_args(params)
        terms = bind_named(named, given) if named else adhoc_terms(given)
        graph_store = open_store(store)
    except QueryError as exc:
        error(exc)
        return 2
    except FileNotFoundError as exc:
        error(exc)
        return 2
    except StoreBusyError as exc:
        error(exc)
        return 1
    try:
        result = execute(graph_store, text, terms)
    except QueryError as exc:
        error(exc)
        return 2
    except Exception as exc:  # noqa: BLE001 - a server or store failure: one line, exit 1
        error(exc)
        return 1
    finally:
        graph_store.close()
    if fmt == "table" and result.kind == "select":
        Console(soft_wrap=False).print(rich_table(result, named.title if named else None))
    else:
        try:
            sys.stdout.write(render(result, fmt).rstrip("\n") + "\n")
        except QueryError as exc:
            error(exc)
            return 2
    return 0
