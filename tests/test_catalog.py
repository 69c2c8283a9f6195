"""Course parts: their titles come from part.toml, with the folder name as the fallback."""

from __future__ import annotations

from pathlib import Path

from grader.catalog import Catalog, part_title
from grader.paths import EXERCISES_DIR


def test_every_course_part_has_a_title(catalog: Catalog) -> None:
    parts = {exercise.dir.parent for exercise in catalog}
    assert parts, "no course parts found"
    for part in parts:
        assert (part / "part.toml").is_file(), f"{part.name} has no part.toml with its title"
    assert catalog.get("sigmoid").chapter_title() == "Computation graphs and edf"


def test_a_part_without_part_toml_is_named_after_its_folder(tmp_path: Path) -> None:
    part = tmp_path / "09-graph-convolutions"
    part.mkdir()
    assert part_title(part) == "Graph convolutions"
    broken = tmp_path / "10-broken-part"
    broken.mkdir()
    (broken / "part.toml").write_text("title = [unclosed", encoding="utf-8")
    assert part_title(broken) == "Broken part"


def test_part_titles_are_read_from_the_shipped_course() -> None:
    assert part_title(EXERCISES_DIR / "03-losses-activations") == "Losses, activations and initialization"
