"""The parsed exercise.toml files are cached on disk between runs (the tutor's first screen waits for the
catalog): a cached catalog equals a freshly parsed one, and an edited file is parsed again."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import grader.catalog as catalog
from grader.paths import EXERCISES_DIR


@pytest.fixture
def fresh_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("GRADSCHOOL_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(catalog, "_META_CACHE", None)
    monkeypatch.setattr(catalog, "_META_CACHE_DIRTY", False)
    monkeypatch.setattr(catalog, "_META_USED", set())
    return tmp_path / "cache" / "catalog-meta.json"


def _forget_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    """As if a new process started: only the file on disk remains."""
    monkeypatch.setattr(catalog, "_META_CACHE", None)
    monkeypatch.setattr(catalog, "_META_USED", set())


def test_cached_catalog_equals_parsed(fresh_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    parsed = catalog.load_catalog(strict=False)
    assert fresh_cache.is_file()
    _forget_memory(monkeypatch)
    monkeypatch.setattr(catalog.tomllib, "loads", lambda *_: pytest.fail("parsed although cached"))
    cached = catalog.load_catalog(strict=False)
    assert cached == parsed and len(cached) > 0


def test_edited_file_is_parsed_again(tmp_path: Path, fresh_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = next(iter(sorted(EXERCISES_DIR.glob("*/*/exercise.toml")))).parent
    root = tmp_path / "exercises"
    folder = root / source.parent.name / source.name
    shutil.copytree(source, folder)
    first = catalog.load_catalog(root, tmp_path / "solutions")
    meta = folder / "exercise.toml"
    text = meta.read_text(encoding="utf-8")
    assert f'title = "{first.exercises[0].title}"' in text
    meta.write_text(text.replace(f'title = "{first.exercises[0].title}"', 'title = "Renamed, a longer title"'),
                    encoding="utf-8")
    _forget_memory(monkeypatch)
    again = catalog.load_catalog(root, tmp_path / "solutions")
    assert again.exercises[0].title == "Renamed, a longer title"
    meta.write_text("kind = [", encoding="utf-8")  # broken TOML is still reported, never served from cache
    _forget_memory(monkeypatch)
    with pytest.raises(catalog.CatalogError, match="not valid TOML"):
        catalog.load_catalog(root, tmp_path / "solutions")


def test_unreadable_cache_is_ignored(fresh_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fresh_cache.parent.mkdir(parents=True)
    fresh_cache.write_text("{not json", encoding="utf-8")
    loaded = catalog.load_catalog(strict=False)
    assert len(loaded) > 0
    _forget_memory(monkeypatch)
    assert catalog.load_catalog(strict=False) == loaded  # rewritten, now valid
