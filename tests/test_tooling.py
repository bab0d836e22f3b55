"""The contributors' tools agree with each other: pre-commit runs what `make lint` pins."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def dev_pins() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements-dev.txt").read_text(encoding="utf-8").splitlines():
        match = re.match(r"^([A-Za-z0-9_.\-\[\]]+)==(\S+)", line)
        if match:
            pins[re.sub(r"\[.*\]", "", match.group(1)).lower()] = match.group(2)
    return pins


def precommit_revs() -> dict[str, str]:
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    return {repo["repo"].rsplit("/", 1)[-1]: repo["rev"] for repo in config["repos"]}


def test_precommit_hooks_run_the_versions_make_lint_pins():
    pins, revs = dev_pins(), precommit_revs()
    assert revs["ruff-pre-commit"] == f"v{pins['ruff']}"
    assert revs["django-upgrade"] == pins["django-upgrade"]


def test_precommit_revs_are_pinned_tags_not_branches():
    for repo, rev in precommit_revs().items():
        assert re.fullmatch(r"v?\d+(\.\d+)+", rev), f"{repo} is not pinned to a release: {rev}"


def test_django_upgrade_targets_the_django_the_project_pins():
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hook = next(
        hook for repo in config["repos"] for hook in repo["hooks"] if hook["id"] == "django-upgrade"
    )
    django = (ROOT / "requirements.txt").read_text(encoding="utf-8")
    major_minor = re.search(r"^Django==(\d+\.\d+)", django, flags=re.MULTILINE).group(1)
    assert hook["args"] == ["--target-version", major_minor]
