"""Shared fixtures: the course catalog and two read-only workspaces (reference solutions, untouched starters).

The session workspaces are shared by the tests of one pytest(-xdist) worker: grade them with record=False
and never edit their files. Tests that change a workspace make their own under tmp_path.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from grader.catalog import Catalog, Exercise, default_catalog, load_exercise
from grader.paths import EXERCISES_DIR
from grader.workspace import Workspace


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return default_catalog()


@pytest.fixture(scope="session")
def sigmoid() -> Exercise:
    """The example exercise (graphs/sigmoid.py: sigmoid(x), sigmoid_grad(x)), loaded on its own so that
    tests built on it do not depend on exercises other people are still writing."""
    for meta in sorted(EXERCISES_DIR.glob("*/*/exercise.toml")):
        if tomllib.loads(meta.read_text(encoding="utf-8")).get("id") == "sigmoid":
            return load_exercise(meta.parent, 0)
    raise LookupError("no exercise with id 'sigmoid' under exercises/")


@pytest.fixture(scope="session")
def solutions_ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    return Workspace.init(tmp_path_factory.mktemp("solutions") / "ws", solutions=True)


@pytest.fixture(scope="session")
def starter_ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    return Workspace.init(tmp_path_factory.mktemp("starters") / "ws")


@pytest.fixture
def gradschool_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Keeps the per-user default workspace out of the learner's real home: points it at an empty folder."""
    home = tmp_path / "default-home"
    monkeypatch.setenv("GRADSCHOOL_HOME", str(home))
    return home
