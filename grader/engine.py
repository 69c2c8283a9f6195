"""Grading one exercise, or many: runs the exercise's checks against the learner's file.

The checks run here, in the grading process; the learner's code runs in a child process
(grader/sandbox.py). Scores are computed here from plain data only.
"""

from __future__ import annotations

import importlib.util
import os
import secrets
import sys
import time
import tomllib
from functools import cache
from pathlib import Path

from grader.catalog import Exercise
from grader.checklib import CheckContext, CheckFailed, CheckSpec, GradStats, collect_checks, stable_seed
from grader.results import CheckResult, ExerciseResult, GradeReport
from grader.sandbox import LearnerError, LearnerProcess, SandboxBreach
from grader.workspace import Workspace

NOT_IMPLEMENTED = "not implemented yet"


@cache
def load_checks(path: Path) -> tuple[CheckSpec, ...]:
    name = "gradschool_checks_" + str(abs(hash(str(path))))
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    checks = tuple(collect_checks(vars(module)))
    if not checks:
        raise RuntimeError(f"{path} defines no @check functions")
    return checks


@cache
def official_seed() -> int:
    """Hidden cases: a secret seed from GRADSCHOOL_OFFICIAL_SEED, else a fresh random one per run.

    Drawn once per process, so every learner of a grade-batch run meets the same hidden cases."""
    value = os.environ.get("GRADSCHOOL_OFFICIAL_SEED")
    return int(value) if value else secrets.randbits(31)


def capped_time_limit(exercise: Exercise, max_time: float | None) -> float | None:
    return None if max_time is None else min(exercise.time_limit, max_time)


def _probe_source(exercise: Exercise) -> str | None:
    """The exercise's probe files, joined: they run in the learner's process as one module."""
    sources = [path.read_text(encoding="utf-8") for path in exercise.probe_paths]
    return "\n\n".join(sources) if sources else None


def _resolved(spec: CheckSpec, exercise: Exercise) -> CheckSpec:
    if spec.target is not None:
        return spec
    target = "quiz" if exercise.kind == "quiz" else exercise.targets[0]
    return CheckSpec(spec.name, spec.points, target, spec.fn)


def _order_hints(exercise: Exercise, diagnoses: set[str]) -> list[str]:
    first = [h.text for h in exercise.hints if diagnoses.intersection(h.on)]
    rest = [h.text for h in exercise.hints if h.text not in first]
    return first + rest


def _learner_error_result(spec: CheckSpec, error: LearnerError) -> CheckResult:
    if error.not_implemented:
        message = f"{NOT_IMPLEMENTED}: {error.message or 'a function still raises NotImplementedError'}"
        return CheckResult(spec.name, False, message, 0.0, spec.points, spec.target, "not_implemented")
    message = f"your code raised {error.type}: {error.message}"
    return CheckResult(spec.name, False, message, 0.0, spec.points, spec.target, "exception", error.traceback)


def grade_exercise(workspace: Workspace, exercise: Exercise, *, official: bool = False, record: bool = True,
                   seed: int | None = None, time_limit: float | None = None,
                   grad_stats: GradStats | None = None) -> ExerciseResult:
    """Grade one exercise of a workspace; never raises for anything learner code does."""
    started = time.perf_counter()
    result = _grade(workspace, exercise, official=official, seed=seed, time_limit=time_limit,
                    grad_stats=grad_stats)
    result.duration_s = round(time.perf_counter() - started, 3)
    if record and not official and workspace.has_marker:
        workspace.progress.record(result)
    return result


def _grade(workspace: Workspace, exercise: Exercise, *, official: bool, seed: int | None,
           time_limit: float | None, grad_stats: GradStats | None) -> ExerciseResult:
    path = workspace.file_for(exercise)
    base = ExerciseResult(exercise.id, exercise.title, 0.0, exercise.points, False)
    if not path.is_file():
        base.status = "missing"
        base.error = (f"{exercise.file} is missing from the workspace {workspace.root}. "
                      f"Restore the starter with `gradschool reset {exercise.id}` (x in the tutor).")
        base.hints = [h.text for h in exercise.hints]
        return base
    if not path.resolve().is_relative_to(workspace.root):
        base.status = "missing"
        base.error = (f"{exercise.file} is a link to a file outside the workspace; grading reads only the "
                      f"learner's own files. Replace the link with the file itself.")
        return base
    seed_base = seed if seed is not None else (official_seed() if official else 0)
    stats = grad_stats if grad_stats is not None else GradStats()
    source = path.read_text(encoding="utf-8", errors="replace")
    proc = None
    checks: list[CheckResult] = []
    if exercise.kind == "code":  # start the learner's process first: it boots while we load the checks
        proc = LearnerProcess(workspace.root, time_limit=time_limit or exercise.time_limit,
                              memory_mb=exercise.memory_mb)
    try:
        try:
            specs = tuple(_resolved(spec, exercise) for spec in load_checks(exercise.checks_path))
        except Exception as exc:  # a course bug: this exercise cannot be graded, the others still are
            base.status = "error"
            base.error = (f"The checks of {exercise.id} could not be loaded ({type(exc).__name__}: {exc}). "
                          f"This is a problem with the course, not with your code: tell your instructor.")
            return base
        if proc is not None and "grader.kernels" in sys.modules:
            sys.modules["grader.kernels"].warm_up()
        breach: SandboxBreach | None = None
        # Why no check can run (the learner's file does not import, the quiz file does not parse).
        blocked: tuple[str, str, str] | None = None
        if exercise.kind == "quiz":
            answers, answers_error = _read_answers(path)
            if answers_error is not None:
                blocked = (answers_error, "syntax", "")
        else:
            answers = None
        if proc is not None:
            try:
                proc.setup(workspace.root / exercise.import_root, exercise.module, _probe_source(exercise))
            except SandboxBreach as exc:
                breach = exc
            except LearnerError as exc:
                blocked = (f"your file could not be imported: {exc.type}: {exc.message}", "import", exc.traceback)
        for spec in specs:
            if breach is not None:
                checks.append(CheckResult(spec.name, False, "not run: the learner process had ended",
                                          0.0, spec.points, spec.target))
                continue
            if blocked is not None:
                message, diagnosis, details = blocked
                checks.append(CheckResult(spec.name, False, message, 0.0, spec.points, spec.target, diagnosis,
                                          details))
                continue
            ctx = CheckContext(exercise.id, spec.name, spec.target, official,
                               stable_seed(exercise.id, spec.name, seed_base), proc, answers, source, stats)
            if proc is not None:
                proc.current_step = f"running the check '{spec.name}'"
            try:
                spec.fn(ctx)
            except CheckFailed as failed:
                checks.append(CheckResult(spec.name, False, failed.message, 0.0, spec.points, spec.target,
                                          failed.diagnosis, failed.details, ctx.figures, notes=ctx.notes,
                                          timings=ctx.timings))
            except LearnerError as error:
                checks.append(_learner_error_result(spec, error))
            except SandboxBreach as exc:
                breach = exc
                checks.append(CheckResult(spec.name, False, exc.message, 0.0, spec.points, spec.target,
                                          exc.kind))
            except Exception as exc:  # the check's own code tripped over what the learner returned
                checks.append(CheckResult(
                    spec.name, False, f"the check could not use what your code returned ({type(exc).__name__}: "
                                      f"{exc}); compare your return values with the instructions",
                    0.0, spec.points, spec.target, "grader_error"))
            else:
                checks.append(CheckResult(spec.name, True, "passed", spec.points, spec.points, spec.target,
                                          figures=ctx.figures, notes=ctx.notes, timings=ctx.timings))
    finally:
        if proc is not None:
            for result in checks:
                if result.target == "cuda":  # say where the kernels ran: "CUDA simulator" or "GPU <name>"
                    result.device = proc.cuda_device
            base.output = proc.printed[-20_000:]
            proc.close()
    return _summarize(exercise, base, checks, breach)


def _summarize(exercise: Exercise, base: ExerciseResult, checks: list[CheckResult],
               breach: SandboxBreach | None) -> ExerciseResult:
    base.checks = checks
    total = sum(c.max_points for c in checks) or 1.0
    if breach is not None:
        for c in checks:  # a broken learner process scores 0 on the whole exercise
            c.passed, c.points = False, 0.0
        base.error = breach.message
        base.status = "timeout" if breach.kind == "timeout" else "crashed"
        base.score = 0.0
    else:
        earned = sum(c.points for c in checks if c.passed)
        base.score = round(exercise.points * earned / total, 4)
        if checks and all(c.diagnosis == "not_implemented" for c in checks if not c.passed) and not any(
            c.passed for c in checks
        ):
            base.status = "not_implemented"
    base.passed = breach is None and all(c.passed for c in checks)
    diagnoses = {c.diagnosis for c in checks if not c.passed and c.diagnosis}
    base.hints = _order_hints(exercise, diagnoses)
    return base


def _read_answers(path: Path) -> tuple[dict | None, str | None]:
    """A quiz's answers file is TOML, parsed (never executed)."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8")), None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        return None, (f"{path.name} is not valid TOML ({exc}). Each answer looks like `q1 = 42` or "
                      f"`q2 = \"b\"`.")


def grade_workspace(workspace: Workspace, exercises: list[Exercise], *, official: bool = False,
                    record: bool = True, max_time: float | None = None) -> GradeReport:
    """Grade exercises in order; max_time caps every exercise's own time limit."""
    started = time.perf_counter()
    results = []
    for exercise in exercises:
        result = grade_exercise(workspace, exercise, official=official, record=record,
                                time_limit=capped_time_limit(exercise, max_time))
        results.append(result)
    return GradeReport(results, str(workspace.root), official, time.perf_counter() - started)
