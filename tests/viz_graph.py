"""A small hand-made citation graph, written with kg.vocab into a pyoxigraph Store (tests of kg.viz)."""

from __future__ import annotations

import pyoxigraph as ox

from kg import vocab

EVIL_TITLE = '<script>alert("xss")</script> "><img src=x onerror=alert(1)> & về việc <b>thử</b>'


def iri(slug: str) -> str:
    return vocab.ID + slug


DOCS = {
    # key: (slug, id_local, type code, system, level, date, title, issuer key)
    "plan": (
        "doc/binh-dinh/kh/2024/53-kh-ubnd",
        "53/KH-UBND",
        "KH",
        "state",
        "province",
        "2024-03-01",
        "Kế hoạch triển khai Chỉ thị 33/CT-TTg trên địa bàn tỉnh",
        "ubnd",
    ),
    "ct33": (
        "doc/vn/ct/2021/33-ct-ttg",
        "33/CT-TTg",
        "CT",
        "state",
        "central",
        "2021-11-26",
        "tiếp tục tăng cường, đổi mới công tác dân vận",
        "ttg",
    ),
    "ct16": (
        "doc/vn/ct/2016/16-ct-ttg",
        "16/CT-TTg",
        "CT",
        "state",
        "central",
        "2016-05-16",
        "tăng cường và đổi mới công tác dân vận",
        "ttg",
    ),
    "nd60": (
        "doc/vn/nd/2013/60-nd-cp",
        "60/2013/NĐ-CP",
        "NĐ",
        "state",
        "central",
        "2013-06-19",
        "quy định chi tiết khoản 3 Điều 63 của Bộ luật Lao động",
        "cp",
    ),
    "nd149": (
        "doc/vn/nd/2018/149-nd-cp",
        "149/2018/NĐ-CP",
        "NĐ",
        "state",
        "central",
        "2018-11-07",
        "quy định chi tiết khoản 3 Điều 63 của Bộ luật Lao động",
        "cp",
    ),
    "nd04": (
        "doc/vn/nd/2015/04-nd-cp",
        "04/2015/NĐ-CP",
        "NĐ",
        "state",
        "central",
        "2015-01-09",
        "thực hiện dân chủ trong hoạt động của cơ quan hành chính nhà nước",
        "cp",
    ),
    "nq18": (
        "doc/vn/nq/2017/18-nq-tw",
        "18-NQ/TW",
        "NQ",
        "party",
        "central",
        "2017-10-25",
        "một số vấn đề về tiếp tục đổi mới, sắp xếp tổ chức bộ máy",
        "tw",
    ),
    "mttq": (
        "doc/binh-dinh/kh/2025/16-kh-mttq-btt",
        "16/KH-MTTQ-BTT",
        "KH",
        "front",
        "commune",
        "2025-02-10",
        "phối hợp giám sát",
        None,
    ),
    "evil": (
        "doc/binh-dinh/qd/2023/99-qd-ubnd",
        "99/QĐ-UBND",
        "QĐ",
        "state",
        "province",
        "2023-05-05",
        EVIL_TITLE,
        "ubnd",
    ),
    "law": (
        "doc/vn/luat/2022/10-qh15",
        "10/2022/QH15",
        "Luật",
        "state",
        "central",
        "2022-11-10",
        "Luật Thực hiện dân chủ ở cơ sở",
        "qh",
    ),
}

ISSUERS = {
    "ubnd": ("issuer/binh-dinh/ubnd", "UBND", "Ủy ban nhân dân tỉnh Bình Định"),
    "ttg": ("issuer/vn/ttg", "TTg", "Thủ tướng Chính phủ"),
    "cp": ("issuer/vn/cp", "CP", "Chính phủ"),
    "tw": ("issuer/vn/tw", "TW", "Ban Chấp hành Trung ương Đảng"),
    "qh": ("issuer/vn/qh", "QH15", "Quốc hội"),
}

RELATIONS = [  # (citing, relation, cited, mentions)
    ("plan", "implements", "ct33", 2),
    ("plan", "based_on", "law", 1),
    ("plan", "cites", "ct16", 1),
    ("plan", "cites", "nq18", 1),
    ("plan", "cites", "mttq", 1),
    ("plan", "cites", "evil", 1),
    ("plan", "based_on", "nd149", 1),
    ("plan", "cites", "nd04", 1),
    ("nd149", "replaces", "nd60", 0),
]

# documents, issuers, relation edges and "issued by" edges the picture must draw
N_DOCS = len(DOCS)
N_ISSUERS = len(ISSUERS)
N_EDGES = len(RELATIONS) + sum(1 for d in DOCS.values() if d[7])


def _n(value: str) -> ox.NamedNode:
    return ox.NamedNode(value)


def small_store(path: str | None = None) -> ox.Store:
    """The graph in memory, or on disk at `path` (a store `kg viz --store` can open once closed)."""
    store = ox.Store(path)
    corpus = _n(vocab.GRAPH + "file/abc")
    registry = _n(vocab.REGISTRY_GRAPH)
    ontology = _n(vocab.ONTOLOGY_GRAPH)
    a = _n(vocab.RDF + "type")

    def add(s: str, p: str, o: ox.NamedNode | ox.Literal, graph: ox.NamedNode = corpus) -> None:
        store.add(ox.Quad(_n(s), _n(p), o, graph))

    for slug, id_local, code, system, level, date, title, issuer in DOCS.values():
        doc = iri(slug)
        add(doc, a.value, _n(vocab.LEGAL_RESOURCE))
        add(doc, vocab.ID_LOCAL, ox.Literal(id_local))
        add(doc, vocab.TYPE_DOCUMENT, _n(iri(f"type/{code}")))
        add(doc, vocab.SYSTEM, ox.Literal(system))
        add(doc, vocab.LEVEL, ox.Literal(level))
        add(doc, vocab.DATE_DOCUMENT, ox.Literal(date, datatype=_n(vocab.XSD + "date")))
        add(doc, vocab.YEAR, ox.Literal(date[:4], datatype=_n(vocab.XSD + "integer")))
        add(doc, vocab.TITLE, ox.Literal(title))
        if issuer:
            add(doc, vocab.PASSED_BY, _n(iri(ISSUERS[issuer][0])))
        add(iri(f"type/{code}"), vocab.NOTATION, ox.Literal(code), ontology)
    for slug, notation, name in ISSUERS.values():
        add(iri(slug), a.value, _n(vocab.ISSUER))
        add(iri(slug), vocab.NOTATION, ox.Literal(notation))
        add(iri(slug), vocab.PREF_LABEL, ox.Literal(name, language="vi"))
    add(iri(DOCS["ct33"][0]), vocab.VARIANT, ox.Literal("33/CT-TTG"))
    add(iri(DOCS["plan"][0]), vocab.LOCAL_SOURCE, _n(iri("file/abc")))
    add(iri("file/abc"), vocab.PATH, ox.Literal("corpus/53-kh-ubnd.txt"))

    for number, (citing, relation, cited, mentions) in enumerate(RELATIONS):
        source, target = iri(DOCS[citing][0]), iri(DOCS[cited][0])
        add(source, vocab.RELATIONS[relation], _n(target))
        if relation != "cites":  # the graph also states the broader ELI relation; viz draws the specific one
            add(source, vocab.CITES, _n(target))
        for m in range(mentions):
            mention = iri(f"mention/{number}-{m}")
            add(mention, a.value, _n(vocab.CITATION))
            add(mention, vocab.CITING, _n(source))
            add(mention, vocab.CITED, _n(target))
            add(mention, vocab.RELATION, _n(vocab.RELATIONS[relation]))
    for narrow in ("implements", "continues", "supersedes", "expires"):
        add(vocab.RELATIONS[narrow], vocab.RDFS + "subPropertyOf", _n(vocab.CITES), ontology)
    for narrow in ("based_on", "replaces", "repeals", "amends"):
        add(vocab.RELATIONS[narrow], vocab.RDFS + "subPropertyOf", _n(vocab.CITES), ontology)
    add(vocab.DETAILS, vocab.RDFS + "subPropertyOf", _n(vocab.BASED_ON), ontology)
    add(vocab.REPLACES, vocab.RDFS + "subPropertyOf", _n(vocab.REPEALS), ontology)

    fact = iri("fact/ct16-superseded")
    add(fact, a.value, _n(vocab.VALIDITY_FACT), registry)
    add(fact, vocab.FACT_SUBJECT, _n(iri(DOCS["ct16"][0])), registry)
    add(fact, vocab.FACT_RELATION, ox.Literal("superseded_by"), registry)
    add(fact, vocab.FACT_OTHER, _n(iri(DOCS["ct33"][0])), registry)
    add(fact, vocab.FACT_EFFECTIVE, ox.Literal("2021-11-26", datatype=_n(vocab.XSD + "date")), registry)
    add(fact, vocab.CONFIDENCE, ox.Literal("medium"), registry)
    add(iri(DOCS["nd04"][0]), vocab.IN_FORCE, _n(vocab.ELI + "InForce-notInForce"), registry)
    return store


def many_store(n_plans: int, cited_per_plan: int) -> ox.Store:
    """A larger graph: plans that each cite a few shared directives; directive k is cited by more plans."""
    store = ox.Store()
    graph = _n(vocab.GRAPH + "file/many")
    a = _n(vocab.RDF + "type")

    def doc(slug: str, id_local: str, code: str) -> ox.NamedNode:
        node = _n(iri(slug))
        store.add(ox.Quad(node, a, _n(vocab.LEGAL_RESOURCE), graph))
        store.add(ox.Quad(node, _n(vocab.ID_LOCAL), ox.Literal(id_local), graph))
        store.add(ox.Quad(node, _n(vocab.TYPE_DOCUMENT), _n(iri(f"type/{code}")), graph))
        store.add(ox.Quad(node, _n(vocab.SYSTEM), ox.Literal("state"), graph))
        return node

    n_cited = max(cited_per_plan * 3, 1)
    directives = [doc(f"doc/vn/ct/2020/{k}-ct-ttg", f"{k}/CT-TTg", "CT") for k in range(1, n_cited + 1)]
    for p in range(1, n_plans + 1):
        plan = doc(f"doc/x/kh/2024/{p}-kh-ubnd", f"{p}/KH-UBND", "KH")
        for j in range(cited_per_plan):
            # low-numbered directives are cited by many plans, high-numbered by few
            target = directives[(p * (j + 1)) % (1 + (p % n_cited))]
            store.add(ox.Quad(plan, _n(vocab.CITES), target, graph))
    return store
