"""`gradschool check-solutions`: every reference solution earns full marks (local and hidden cases),
and every untouched starter earns zero with a "not implemented yet" message, on every target."""

from __future__ import annotations

import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.table import Table
from rich.text import Text

from grader.catalog import Exercise
from grader.engine import grade_exercise
from grader.results import ExerciseResult
from grader.workspace import Workspace


@dataclass
class SelfCheck:
    exercise: Exercise
    solution: ExerciseResult
    solution_hidden: ExerciseResult
    starter: ExerciseResult

    @property
    def problems(self) -> list[str]:
        found = []
        for label, result in (("solution", self.solution), ("solution on hidden cases", self.solution_hidden)):
            if not result.passed or result.score != result.max_score:
                failing = [f"[{c.target}] {c.name}: {c.message}" for c in result.checks if not c.passed]
                found.append(f"{label} scores {result.score:g}/{result.max_score:g}: "
                             + (result.error or "; ".join(failing)))
        if self.starter.score != 0 or self.starter.passed:
            found.append(f"the starter scores {self.starter.score:g} (should be 0)")
        crashed = [c for c in self.starter.checks if not c.passed and c.diagnosis != "not_implemented"]
        if self.starter.error:
            found.append(f"the starter crashed instead of saying 'not implemented yet': {self.starter.error}")
        elif crashed:
            found.append("starter checks fail without 'not implemented yet': "
                         + "; ".join(f"[{c.target}] {c.name}: {c.message}" for c in crashed))
        targets = {c.target for c in self.solution.checks}
        missing = set(self.exercise.targets) - targets
        if missing and self.exercise.kind == "code":
            found.append(f"no checks for target(s) {sorted(missing)}")
        return found


def run_self_check(exercises: list[Exercise], *, jobs: int = 0) -> list[SelfCheck]:
    with tempfile.TemporaryDirectory(prefix="gradschool-selfcheck-") as tmp:
        solutions = Workspace.init(Path(tmp) / "solutions", solutions=True)
        starters = Workspace.init(Path(tmp) / "starters")

        def one(exercise: Exercise) -> SelfCheck:
            return SelfCheck(
                exercise,
                grade_exercise(solutions, exercise, record=False),
                grade_exercise(solutions, exercise, official=True, record=False),
                grade_exercise(starters, exercise, record=False),
            )

        with ThreadPoolExecutor(jobs or 2) as pool:
            return list(pool.map(one, exercises))


def check_solutions(exercises: list[Exercise], *, jobs: int = 0, console: Console | None = None) -> bool:
    console = console or Console()
    results = run_self_check(exercises, jobs=jobs)
    table = Table(title="check-solutions")
    for column in ("exercise", "targets", "solution", "hidden cases", "starter", "verdict"):
        table.add_column(column)
    for r in results:
        table.add_row(r.exercise.id, ",".join(r.exercise.targets), f"{r.solution.score:g}/{r.solution.max_score:g}",
                      f"{r.solution_hidden.score:g}/{r.solution_hidden.max_score:g}",
                      f"{r.starter.score:g} ({r.starter.status})",
                      "[green]ok[/]" if not r.problems else "[red]PROBLEM[/]")
    console.print(table)
    bad = [r for r in results if r.problems]
    for r in bad:
        for problem in r.problems:
            console.print(Text.assemble((r.exercise.id, "red"), ": ", problem))
    if not bad:
        console.print(f"All {len(results)} exercises: solutions pass, starters fail with 'not implemented yet'.")
    return not bad
