"""Grading a whole class: one workspace per subfolder, in parallel, with a CSV and a class summary."""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from grader.catalog import Exercise
from grader.engine import capped_time_limit, grade_exercise, official_seed
from grader.formats.json_report import to_json
from grader.results import ExerciseResult, GradeReport
from grader.workspace import MARKER_DIR, Workspace


@dataclass
class BatchSummary:
    learners: int
    all_passed: bool
    csv_path: Path
    summary_path: Path


def _safe_name(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("._") or "learner"


def find_root(folder: Path, exercises: list[Exercise]) -> Path | None:
    """Where a submission's workspace starts: the folder itself, or one level down (a zip's top folder)."""
    def looks_like(candidate: Path) -> bool:
        return (candidate / MARKER_DIR).is_dir() or any((candidate / e.file).is_file() for e in exercises)

    if looks_like(folder):
        return folder
    children = [c for c in folder.iterdir() if c.is_dir() and not c.name.startswith(".")]
    matches = [c for c in children if looks_like(c)]
    return matches[0] if len(matches) == 1 else None


def grade_submission(folder: Path, exercises: list[Exercise], *, official: bool,
                     max_time: float | None = None) -> GradeReport:
    root = find_root(folder, exercises)
    if root is None:
        results = [
            ExerciseResult(e.id, e.title, 0.0, e.points, False, status="missing",
                           error=f"no exercise files found in {folder.name} (expected e.g. {e.file})")
            for e in exercises
        ]
        return GradeReport(results, str(folder), official)
    # A submission is read, never written: no progress file is created in it.
    workspace = Workspace(root, require_marker=False)
    results = [grade_exercise(workspace, e, official=official, record=False,
                              time_limit=capped_time_limit(e, max_time)) for e in exercises]
    return GradeReport(results, str(root), official, sum(r.duration_s for r in results))


def grade_batch(submissions: Path, out: Path, exercises: list[Exercise], *, jobs: int = 0,
                max_time: float | None = None,
                official: bool = False, console: Console | None = None) -> BatchSummary:
    console = console or Console(stderr=True)
    folders = sorted(p for p in submissions.iterdir() if p.is_dir() and not p.name.startswith("."))
    out.mkdir(parents=True, exist_ok=True)
    (out / "reports").mkdir(exist_ok=True)
    workers = jobs or _cpu_count()
    reports: dict[str, GradeReport] = {}
    with Progress(TextColumn("grading"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console, transient=False) as progress, ThreadPoolExecutor(workers) as pool:
        task = progress.add_task("learners", total=len(folders))
        futures = {pool.submit(grade_submission, f, exercises, official=official, max_time=max_time): f
                   for f in folders}
        for future in as_completed(futures):
            folder = futures[future]
            try:
                report = future.result()
            except Exception as exc:  # an internal error for one learner must not stop the class
                report = GradeReport([ExerciseResult(e.id, e.title, 0.0, e.points, False, status="error",
                                                     error=f"internal grader error: {exc}") for e in exercises],
                                     str(folder), official)
            reports[folder.name] = report
            progress.advance(task)
    # Written only once every learner process has ended: none can overwrite another's report.
    for learner, report in reports.items():
        (out / "reports" / f"{_safe_name(learner)}.json").write_text(to_json(report) + "\n")
    csv_path = _write_csv(out / "grades.csv", reports, exercises)
    summary = class_summary(reports, exercises)
    if official:  # for the instructor only (not in learners' reports): rerun with GRADSCHOOL_OFFICIAL_SEED
        summary["official_seed"] = official_seed()
    summary_path = out / "summary.json"
    summary_path.write_text(json.dumps(summary, indent=2) + "\n")
    _print_summary(summary, console)
    return BatchSummary(len(reports), all(r.passed for r in reports.values()), csv_path, summary_path)


def _cpu_count() -> int:
    import os

    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def _write_csv(path: Path, reports: dict[str, GradeReport], exercises: list[Exercise]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["learner", *[e.id for e in exercises], "total", "max_total"])
        for learner in sorted(reports):
            report = reports[learner]
            by_id = {r.id: r for r in report.exercises}
            writer.writerow([learner, *[f"{by_id[e.id].score:g}" for e in exercises], f"{report.score:g}",
                             f"{report.max_score:g}"])
    return path


def class_summary(reports: dict[str, GradeReport], exercises: list[Exercise]) -> dict:
    per_exercise = []
    for exercise in exercises:
        results = [r for report in reports.values() for r in report.exercises if r.id == exercise.id]
        mistakes: Counter[str] = Counter()
        for result in results:
            if result.error:
                if result.status != "missing":  # a missing file is counted in not_started
                    mistakes[f"{result.status}: {result.error.splitlines()[0][:90]}"] += 1
                continue
            for check in result.checks:
                # An untouched function is not a mistake: it is counted in not_started.
                if not check.passed and check.diagnosis and check.diagnosis != "not_implemented":
                    mistakes[f"{check.diagnosis} in '{check.name}'"] += 1
        passed = sum(r.passed for r in results)
        not_started = sum(r.status in {"not_implemented", "missing"} for r in results)
        per_exercise.append({
            "id": exercise.id,
            "learners": len(results),
            "passed": passed,
            "pass_rate": round(passed / len(results), 4) if results else 0.0,
            "not_started": not_started,
            "mean_score": round(sum(r.score for r in results) / len(results), 4) if results else 0.0,
            "max_score": exercise.points,
            "common_mistakes": [{"mistake": m, "count": c} for m, c in mistakes.most_common(5)],
        })
    return {"learners": len(reports), "exercises": per_exercise}


def _print_summary(summary: dict, console: Console) -> None:
    table = Table(title=f"class summary ({summary['learners']} learners)")
    table.add_column("exercise")
    table.add_column("pass rate", justify="right")
    table.add_column("mean", justify="right")
    table.add_column("not started", justify="right")
    table.add_column("most common mistake", max_width=60)
    for row in summary["exercises"]:
        top = row["common_mistakes"][0] if row["common_mistakes"] else None
        table.add_row(row["id"], f"{row['pass_rate']:.0%}", f"{row['mean_score']:.3g}/{row['max_score']:g}",
                      str(row["not_started"]),
                      Text(f"{top['mistake']} (×{top['count']})") if top else "")
    console.print(table)
