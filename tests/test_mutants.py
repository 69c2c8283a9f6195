"""Planted bugs: every small change to these reference solutions must lose points.

These exercises have no equivalent mutants today, so any survivor is a hole in their checks. (Others,
e.g. fanout, have mutants that cannot change behaviour: `gradschool check-solutions --mutants` lists them.)
"""

from __future__ import annotations

import pytest

from grader.catalog import Catalog
from grader.mutants import mutants_of, surviving_mutants

WATERTIGHT = ["sigmoid", "edf-sigmoid", "edf-softmax", "edf-cross-entropy"]


@pytest.mark.parametrize("exercise_id", WATERTIGHT)
def test_every_planted_bug_fails_the_checks(catalog: Catalog, exercise_id: str) -> None:
    exercise = catalog.get(exercise_id)
    graded, survivors = surviving_mutants([exercise], jobs=2)
    assert graded >= 3, "too few mutation sites to mean anything"
    assert [(m.line, m.change) for m in survivors] == []


def test_mutants_are_single_small_changes(catalog: Catalog) -> None:
    exercise = catalog.get("sigmoid")
    original = exercise.solution_path.read_text()
    changes = {m.change for m in mutants_of(exercise)}
    assert any("->" in c for c in changes)
    assert all(m.source != original for m in mutants_of(exercise))
    assert len({m.source for m in mutants_of(exercise)}) == len(list(mutants_of(exercise)))
