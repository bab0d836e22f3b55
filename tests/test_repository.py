"""The repository stands alone: no reference to files outside it, its data and indexes current."""

import csv
import re
import subprocess
from pathlib import Path

import pytest

from programme import DATA_DIR
from scripts import adr_index

ROOT = Path(__file__).resolve().parent.parent

# Spelled in pieces so that this file does not match itself.
OUTSIDE_REFERENCES = re.compile(
    "|".join(
        [
            r"\b" + "DESIGN" + r"\.md\b",
            r"\b" + "STYLE" + r"\.md\b",
            r"\.\./" + "shared",
            r"/work/" + "shared",
            r"\b" + "shared/" + r"(data|background|hooks)\b",
        ]
    )
)


def repository_files() -> list[Path]:
    """Every file git tracks or would track (untracked but not ignored), as paths."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=ROOT,
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    return [ROOT / name for name in listed.split("\0") if name and (ROOT / name).is_file()]


def test_no_file_refers_to_documents_outside_the_repository():
    offenders = []
    for path in repository_files():
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue  # binary: images, spreadsheets
        for number, line in enumerate(text.splitlines(), start=1):
            if OUTSIDE_REFERENCES.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == []


def test_the_check_recognises_each_kind_of_outside_reference():
    for text in (
        "see " + "DESIGN" + ".md",
        "house " + "STYLE" + ".md",
        "../" + "shared" + "/data/x.csv",
        "/work/" + "shared" + "/data",
        "in " + "shared/" + "background",
    ):
        assert OUTSIDE_REFERENCES.search(text), text
    assert not OUTSIDE_REFERENCES.search("the shared report functions")


@pytest.mark.parametrize(
    ("name", "rows", "first_column"),
    [("indonesia-kek-zones.csv", 25, "kek_id"), ("sp500-companies.csv", 503, "Symbol")],
)
def test_real_data_files_live_in_the_repository_with_their_licence(name, rows, first_column):
    path = DATA_DIR / name
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames[0] == first_column
        assert sum(1 for _ in reader) == rows
    notes = (DATA_DIR / "README.md").read_text(encoding="utf-8")
    assert f"`{name}`" in notes
    assert "licence" in notes


def test_every_data_file_is_described_in_the_data_readme():
    notes = (DATA_DIR / "README.md").read_text(encoding="utf-8")
    for path in DATA_DIR.iterdir():
        if path.name != "README.md":
            assert f"`{path.name}`" in notes, f"{path.name} has no source and licence note"


def test_adr_index_lists_every_record_and_is_current():
    committed = (ROOT / "docs" / "adr" / "README.md").read_text(encoding="utf-8")
    assert committed == adr_index.render(), "run `make adr-index` and commit docs/adr/README.md"
    numbers = [number for number, *_ in adr_index.records()]
    assert numbers[:20] == [f"{n:04d}" for n in range(1, 21)]
    assert len(numbers) == len(set(numbers)), "two records share a number"
