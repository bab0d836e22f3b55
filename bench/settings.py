"""The project's settings with bench/bare.py's views in front of its URLs (bench/run.py)."""

from zones_project.settings import *  # noqa: F403

ROOT_URLCONF = "bench.bare"
