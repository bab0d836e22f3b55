import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]


def load_settings(**env):
    environment = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import zones_project.settings"],
        cwd=PROJECT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_without_secret_key_refuses_to_start():
    result = load_settings(DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_with_secret_key_starts():
    result = load_settings(DEBUG="0", SECRET_KEY="x" * 60)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("debug", ["1", ""])
def test_development_starts_without_secret_key(debug):
    assert load_settings(DEBUG=debug).returncode == 0
