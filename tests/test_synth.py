"""benchmarks/synth.py: the synthetic corpus is deterministic, realistic, and its citations are found."""

from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import synth  # noqa: E402

from kg.metadata import read_metadata  # noqa: E402

DOCS = 60


def _digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synth")
    written = list(synth.generate(DOCS, seed=7, out=out))
    assert len(written) == DOCS
    return out


def test_same_seed_same_bytes(synthetic: Path, tmp_path: Path) -> None:
    list(synth.generate(DOCS, seed=7, out=tmp_path))
    assert _digest(tmp_path) == _digest(synthetic)


def test_other_seed_other_corpus(synthetic: Path, tmp_path: Path) -> None:
    list(synth.generate(DOCS, seed=8, out=tmp_path))
    assert _digest(tmp_path) != _digest(synthetic)


def test_extractor_finds_planted_citations(synthetic: Path) -> None:
    result = synth.score(synthetic)
    assert result.planted > 5 * DOCS  # several citations per document
    assert result.recall >= 0.95, result.misses[:10]
    assert result.precision >= 0.95, result.extras[:10]


MESSINESS = {  # DOMAIN.md §6, as the generator writes it
    "line break inside a citation": r"(?:số|\d-)\n[\dA-Z]",
    "stray space before the separator": r"\d [-/][A-ZĐ]",
    '"số" omitted': r"(?:Kế hoạch|Quyết định|Chỉ thị|Kết luận|Nghị quyết|Báo cáo) \d",
    "date in words": r"ngày \d{1,2} tháng \d{1,2} năm \d{4}",
    "stray spaces in a date": r"ngày \d{1,2}/ \d{1,2} /\d{4}",
    "comma before ngày": r"[A-Z\d], ngày \d",
    "coordinated numbers, symbol once": r"số \d+, \d+[-/][A-ZĐ]",
    "coordinated citations": r"\d[^\s;]* và (?:[A-ZĐ][\w ]+|văn bản) số \d",
    "replacement clause": r"này có hiệu lực kể từ ngày ký và thay thế",
}


@pytest.fixture(scope="module")
def larger(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Some forms are rare by design (a replacement clause needs an earlier document of the same place and
    type, then a 30 % draw): a corpus of a few hundred documents, as the benchmarks use thousands."""
    out = tmp_path_factory.mktemp("synth_larger")
    list(synth.generate(MESSY_DOCS, seed=7, out=out))
    return out


MESSY_DOCS = 300


@pytest.mark.parametrize("name", sorted(MESSINESS))
def test_corpus_has_the_messiness_of_real_text(larger: Path, name: str) -> None:
    joined = "\n".join(p.read_text(encoding="utf-8") for p in sorted(larger.rglob("*.txt")))
    assert re.search(MESSINESS[name], joined), name


def test_corpus_mixes_levels_and_systems(synthetic: Path) -> None:
    records = [json.loads(line) for line in (synthetic / ".truth.jsonl").open(encoding="utf-8")]
    assert {r["level"] for r in records} == {"central", "province", "district", "commune"}
    assert any("-" in r["id"].split("/")[0] for r in records)  # Party numbering "14-NQ/TU"
    assert any(r["id"].count("/") == 2 for r in records)  # normative "12/2024/QĐ-UBND"


def test_header_is_read_back(synthetic: Path) -> None:
    """The header the generator writes is the one kg.metadata reads: the document's own number."""
    truth = synth.read_truth(synthetic)
    ids = {json.loads(line)["file"]: json.loads(line)["id"] for line in (synthetic / ".truth.jsonl").open()}
    read = [read_metadata((synthetic / f).read_text(encoding="utf-8")).id for f in sorted(truth)]
    agree = sum(r == ids[f] for r, f in zip(read, sorted(truth), strict=True))
    assert agree >= 0.9 * len(truth)
