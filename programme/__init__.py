"""What spans the domain apps: reports, the dashboard, the sync feed, seed and import commands."""

from pathlib import Path

# The real data files the importer's worked examples, the data generator and the tests read
# (sources and licences in data/README.md).
DATA_DIR = Path(__file__).resolve().parent / "data"
