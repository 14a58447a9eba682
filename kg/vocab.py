"""IRIs of the graph: one place for every namespace, class and property kg writes or reads.

Plain strings, so that this module costs nothing to import; wrap them in rdflib.URIRef or
pyoxigraph.NamedNode where a library needs a term. The model is explained in docs/ontology.md
and declared in ontology/kg.ttl.
"""

from __future__ import annotations

ELI = "http://data.europa.eu/eli/ontology#"
KG = "https://w3id.org/kg-vn/ontology#"  # kg's own classes and properties
ID = "https://w3id.org/kg-vn/id/"  # resources: documents, issuers, places, mentions, files
GRAPH = "https://w3id.org/kg-vn/graph/"  # named graphs: one per source file, plus the registry
SKOS = "http://www.w3.org/2004/02/skos/core#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
ORG = "http://www.w3.org/ns/org#"
PROV = "http://www.w3.org/ns/prov#"

PREFIXES = {
    "eli": ELI,
    "kg": KG,
    "id": ID,
    "skos": SKOS,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "org": ORG,
    "prov": PROV,
}

# SPARQL prologue for named queries and ad-hoc queries.
SPARQL_PREFIXES = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())

# Classes
LEGAL_RESOURCE = ELI + "LegalResource"  # every document, cited or citing
DOCUMENT_TYPE = KG + "DocumentType"  # skos:Concept in the kg:documentTypes scheme
ISSUER = KG + "Issuer"  # subclass of org:Organization
PLACE = KG + "Place"  # a province, district or commune
CITATION = KG + "Citation"  # one mention, with its provenance
SOURCE_FILE = KG + "SourceFile"  # an ingested file; its statements live in its own named graph
VALIDITY_FACT = KG + "ValidityFact"  # a curated registry fact, with source and confidence

# Document properties (ELI where ELI has a term)
ID_LOCAL = ELI + "id_local"  # "33/CT-TTg"
NUMBER = ELI + "number"  # "33"
TYPE_DOCUMENT = ELI + "type_document"  # -> kg:DocumentType
DATE_DOCUMENT = ELI + "date_document"  # xsd:date
PASSED_BY = ELI + "passed_by"  # -> kg:Issuer
TITLE = ELI + "title"  # the subject (trích yếu)
IN_FORCE = ELI + "in_force"
DATE_NO_LONGER_IN_FORCE = ELI + "date_no_longer_in_force"
FIRST_DATE_ENTRY_IN_FORCE = ELI + "first_date_entry_in_force"
YEAR = KG + "year"  # xsd:integer: the year in the symbol, else of the date
SYMBOL = KG + "symbol"  # "CT-TTg"
VARIANT = KG + "variant"  # other forms the same document was cited in ("11-QĐ/TW")
SYSTEM = KG + "system"  # "state" | "party" | "front"
LEVEL = KG + "level"  # "central" | "province" | "district" | "commune"
JURISDICTION = KG + "jurisdiction"  # -> kg:Place
PERIOD_END = KG + "periodEnd"  # xsd:gYear: last year of "giai đoạn 2011-2020" / "năm 2020"
SIGNER = KG + "signer"
SIGNER_ROLE = KG + "signerRole"
RECIPIENT = KG + "recipient"
LOCAL_SOURCE = KG + "sourceFile"  # document -> kg:SourceFile it was read from (citing documents)

# Relations between documents: ELI terms, or kg terms declared as their subproperties.
CITES = ELI + "cites"
BASED_ON = ELI + "based_on"
AMENDS = ELI + "amends"
REPEALS = ELI + "repeals"
CORRECTS = ELI + "corrects"
IMPLEMENTS = KG + "implements"  # ⊑ eli:cites
DETAILS = KG + "details"  # ⊑ eli:based_on
REPLACES = KG + "replaces"  # ⊑ eli:repeals
CONTINUES = KG + "continues"  # ⊑ eli:cites ("về tiếp tục thực hiện"): NOT a replacement
SUPERSEDES = KG + "supersedes"  # ⊑ eli:cites: newer document on the same subject (registry)
EXPIRES = KG + "expires"  # ⊑ eli:cites: document that makes another lapse ("hết hiệu lực")

RELATIONS = {
    "cites": CITES,
    "based_on": BASED_ON,
    "amends": AMENDS,
    "repeals": REPEALS,
    "corrects": CORRECTS,
    "implements": IMPLEMENTS,
    "details": DETAILS,
    "replaces": REPLACES,
    "continues": CONTINUES,
    "supersedes": SUPERSEDES,
    "expires": EXPIRES,
}

# Issuers and places
PARENT = ORG + "subOrganizationOf"  # issuer -> parent body
LABEL = RDFS + "label"
PREF_LABEL = SKOS + "prefLabel"
ALT_LABEL = SKOS + "altLabel"
NOTATION = SKOS + "notation"  # a type's or issuer's symbol ("CT", "TTg")
IN_SCHEME = SKOS + "inScheme"
PLACE_OF = KG + "partOf"  # place -> containing place

# Mentions (provenance)
CITING = KG + "citingDocument"  # citation -> document whose text holds it
CITED = KG + "citedDocument"  # citation -> document it refers to
RELATION = KG + "relation"  # citation -> the relation property it asserts
SOURCE = KG + "sourceFile"  # citation -> kg:SourceFile
START = KG + "start"  # xsd:integer offset into the decoded text
END = KG + "end"
TEXT = KG + "text"  # the citation as written
SENTENCE = KG + "sentence"
SECTION = KG + "section"  # "II.3 …"
CITED_DATE = KG + "citedDate"
CITED_ISSUER = KG + "citedIssuer"
KIND = KG + "kind"  # "numbered" | "named"
PINPOINT = KG + "pinpoint"  # "khoản 3 Điều 63"

# Source files
PATH = KG + "path"
SHA256 = KG + "sha256"
FORMAT = KG + "format"  # "txt" | "docx" | "pdf"
CONTENT_HASH = KG + "contentHash"  # a named graph's own statement of its content's hash (build skips equal)

# The citing document's own header (kg/metadata.py)
PLACE_NAME = KG + "place"  # the place line: "Bình Phước, ngày …"
DATE_PARTIAL = KG + "datePartial"  # "2025", "2022-02" when day or month is blank
DOCUMENT_TYPES = KG + "documentTypes"  # the skos:ConceptScheme of kg:DocumentType

# Validity facts (registry)
FACT_SUBJECT = KG + "subject"
FACT_RELATION = KG + "factRelation"  # "replaced_by", "amended_by", …
FACT_OTHER = KG + "other"
FACT_EFFECTIVE = KG + "effective"
CONFIDENCE = KG + "confidence"  # "high" | "medium" | "low"
FACT_SOURCE = KG + "source"

REGISTRY_GRAPH = GRAPH + "registry"
ONTOLOGY_GRAPH = GRAPH + "ontology"
# graph:summary: one node per document with corpus-wide counts, recomputed at every build (kg.summary), so
# aggregating queries read one triple per document instead of collapsing every file graph's description.
SUMMARY_GRAPH = GRAPH + "summary"
MENTION_COUNT = KG + "mentionCount"
CITING_FILE_COUNT = KG + "citingFileCount"
DOCUMENT_COUNT = KG + "documentCount"  # per year (and system): cited documents of that year
COUNTED_YEAR = KG + "countedYear"  # a per-year node: the year (not kg:year: it is no document)
COUNTED_SYSTEM = KG + "countedSystem"  # a per-year-and-system node: the numbering system
ENDED_ON = KG + "endedOn"  # earliest issue date of a corpus document replacing/repealing/ending this one
LINK_FROM = KG + "linkFrom"  # an issuer link: the issuer of the citing documents
LINK_TO = KG + "linkTo"  # an issuer link: the issuer of the cited documents
LINK_COUNT = KG + "linkCount"  # an issuer link: distinct document pairs linked by a corpus relation
RANK = KG + "rank"  # summary graph: position of a cited document / issuer link in its query's order
RANK_BAND = KG + "rankBand"  # summary graph: first rank of kg:rank's power-of-ten band (1, 2, 11, 101, …)
