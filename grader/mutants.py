"""Mutation sweep for exercise authors: plant small bugs in each reference solution and grade them.

A check that passes the reference and fails the empty starter is not yet a check. This plants the bugs
reviewers plant (a sign, an operator, a constant, an axis, a dropped transpose), one at a time, and
lists the mutants that still earn full marks. A survivor is either a hole in the checks or an
equivalent mutant (e.g. `x * 1.0` -> `x / 1.0`); a person decides which.
"""

from __future__ import annotations

import ast
import shutil
import tempfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from grader.catalog import Exercise
from grader.engine import grade_exercise
from grader.workspace import Workspace

SWAPPED_OPS: dict[type, type] = {ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Div, ast.Div: ast.Mult}
NUDGED_CONSTANTS = (0, 1, 2, 0.5)


@dataclass(frozen=True)
class Mutant:
    exercise: Exercise
    line: int
    change: str
    source: str


class _Mutator(ast.NodeTransformer):
    """Applies the `target`-th mutation site it meets (sites counted in visiting order)."""

    def __init__(self, target: int) -> None:
        self.target, self.seen = target, -1
        self.change: tuple[int, str] | None = None

    def _site(self, node: ast.AST, change: str) -> bool:
        self.seen += 1
        if self.seen == self.target:
            self.change = (getattr(node, "lineno", 0), change)
            return True
        return False

    def visit_BinOp(self, node: ast.BinOp) -> ast.AST:
        self.generic_visit(node)
        swapped = SWAPPED_OPS.get(type(node.op))
        if swapped and self._site(node, f"{type(node.op).__name__} -> {swapped.__name__}"):
            node.op = swapped()
        return node

    def visit_UnaryOp(self, node: ast.UnaryOp) -> ast.AST:
        self.generic_visit(node)
        if isinstance(node.op, ast.USub) and self._site(node, "unary minus dropped"):
            return node.operand
        return node

    def visit_Attribute(self, node: ast.Attribute) -> ast.AST:
        self.generic_visit(node)
        if node.attr == "T" and self._site(node, ".T dropped"):
            return node.value
        return node

    def visit_keyword(self, node: ast.keyword) -> ast.AST:
        self.generic_visit(node)
        value = node.value
        if node.arg == "axis" and isinstance(value, ast.Constant) and value.value in (0, 1, -1) and self._site(
                value, f"axis={value.value} -> axis={1 if value.value != 1 else 0}"):
            node.value = ast.Constant(1 if value.value != 1 else 0)
        return node

    def visit_Constant(self, node: ast.Constant) -> ast.AST:
        if (type(node.value) in (int, float) and node.value in NUDGED_CONSTANTS
                and self._site(node, f"constant {node.value!r} -> {node.value + 1!r}")):
            return ast.copy_location(ast.Constant(node.value + 1), node)
        return node


def mutants_of(exercise: Exercise) -> Iterator[Mutant]:
    source = exercise.solution_path.read_text(encoding="utf-8")
    target = 0
    while True:
        mutator = _Mutator(target)
        tree = mutator.visit(ast.parse(source))
        if mutator.change is None:
            return
        line, change = mutator.change
        yield Mutant(exercise, line, change, ast.unparse(ast.fix_missing_locations(tree)))
        target += 1


def surviving_mutants(exercises: list[Exercise], *, jobs: int = 2) -> tuple[int, list[Mutant]]:
    """(how many mutants were graded, the ones that still earned full marks)."""
    mutants = [m for e in exercises if e.kind == "code" for m in mutants_of(e)]
    root = Path(tempfile.mkdtemp(prefix="gradschool-mutants-"))

    def survives(numbered: tuple[int, Mutant]) -> bool:
        number, mutant = numbered
        workspace = Workspace.init(root / str(number), solutions=True)
        try:
            workspace.file_for(mutant.exercise).write_text(mutant.source, encoding="utf-8")
            return grade_exercise(workspace, mutant.exercise, record=False).passed
        finally:
            shutil.rmtree(workspace.root, ignore_errors=True)

    try:
        with ThreadPoolExecutor(jobs) as pool:
            verdicts = list(pool.map(survives, enumerate(mutants)))
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return len(mutants), [m for m, alive in zip(mutants, verdicts, strict=True) if alive]
