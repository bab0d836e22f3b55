"""One version number: pyproject.toml's, reported by the API schema and the changelog."""

import re
import tomllib
from pathlib import Path

import yaml
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent


def pyproject_version() -> str:
    with (ROOT / "pyproject.toml").open("rb") as file:
        return tomllib.load(file)["project"]["version"]


def test_settings_read_the_version_from_pyproject():
    assert pyproject_version() == settings.REGISTRY_VERSION
    assert re.fullmatch(r"\d+\.\d+\.\d+", settings.REGISTRY_VERSION)


def test_openapi_schema_reports_the_project_version(client, db):
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    assert yaml.safe_load(response.content)["info"]["version"] == pyproject_version()


def test_changelog_has_a_section_for_the_current_version_and_an_unreleased_one():
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    headings = re.findall(r"^## \[([^\]]+)\]", changelog, flags=re.MULTILINE)
    assert headings[0] == "Unreleased"
    released = [h for h in headings if h != "Unreleased"]
    # The newest release heads the released sections and is the version pyproject states.
    assert released[0] == pyproject_version()


def test_no_other_file_writes_a_version_of_its_own():
    settings_source = (ROOT / "zones_project" / "settings.py").read_text(encoding="utf-8")
    assert not re.search(r"\"VERSION\":\s*\"", settings_source)
