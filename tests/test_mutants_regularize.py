"""Planted bugs in chapter 5's (regularization) NumPy exercises that have no equivalent mutants: every one must
lose points. (penalties-weight-decay and early-stopping each have one equivalent mutant, `rsplit(".", 2)` and an
initial value overwritten in the first epoch; the @njit exercises are swept by hand, being slow to compile.)"""

from __future__ import annotations

import pytest

from grader.catalog import Catalog
from grader.mutants import surviving_mutants

WATERTIGHT = ["bagging-ensembles", "dropout-inverted"]


@pytest.mark.parametrize("exercise_id", WATERTIGHT)
def test_every_planted_bug_fails_the_checks(catalog: Catalog, exercise_id: str) -> None:
    graded, survivors = surviving_mutants([catalog.get(exercise_id)], jobs=2)
    assert graded >= 5, "too few mutation sites to mean anything"
    assert [(m.line, m.change) for m in survivors] == []
