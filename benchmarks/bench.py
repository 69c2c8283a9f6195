"""gradschool's performance figures: run `python benchmarks/bench.py` (add --json for machine output).

1. Grading one exercise from the command line with a warm Numba cache (median wall time of
   several `gradschool grade ID` runs, each a fresh process, as a learner runs it). Target: <= 0.5 s.
2. `gradschool check-solutions` over the chapter, cold (an empty Numba cache) and warm.
3. Gradient checks: forward evaluations used against a full central difference over every coordinate.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from grader.catalog import default_catalog
from grader.checklib import GradStats
from grader.engine import grade_exercise
from grader.workspace import Workspace


def _timed(argv: list[str], env: dict[str, str]) -> tuple[float, int]:
    started = time.perf_counter()
    done = subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - started, done.returncode


def _gradschool(*args: str) -> list[str]:
    return [sys.executable, "-c", "from tutor.cli import run; run()", *args]


def bench_grade_one(workspace: Path, ids: list[str], repeat: int, env: dict[str, str]) -> list[dict]:
    rows = []
    for exercise_id in ids:
        argv = _gradschool("grade", exercise_id, "--workspace", str(workspace), "--format", "json")
        _timed(argv, env)  # warm the Numba cache for this exercise's kernels and the learner's @njit code
        times, codes = zip(*(_timed(argv, env) for _ in range(repeat)), strict=True)
        rows.append({"id": exercise_id, "median_s": statistics.median(times), "min_s": min(times),
                     "max_s": max(times), "runs": repeat, "all_passed": all(c == 0 for c in codes)})
    return rows


def bench_check_solutions(repeat: int, env: dict[str, str]) -> dict:
    cold, warm = [], []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory(prefix="gradschool-bench-cache-") as cache:
            run_env = {**env, "NUMBA_CACHE_DIR": cache}
            seconds, code = _timed(_gradschool("check-solutions"), run_env)
            cold.append(seconds)
            if code != 0:
                raise SystemExit("check-solutions failed; fix that before benchmarking")
            warm.append(_timed(_gradschool("check-solutions"), run_env)[0])
    return {"cold_median_s": statistics.median(cold), "warm_median_s": statistics.median(warm), "runs": repeat}


def bench_gradient_evaluations(workspace: Path) -> list[dict]:
    ws = Workspace(workspace)
    rows = []
    for exercise in ws.catalog:
        stats = GradStats()
        grade_exercise(ws, exercise, record=False, grad_stats=stats)
        if stats.full_evaluations:
            rows.append({"id": exercise.id, "evaluations": stats.evaluations, "full": stats.full_evaluations,
                         "ratio": stats.evaluations / stats.full_evaluations})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=7, help="runs per grading figure (median reported)")
    parser.add_argument("--solutions-repeat", type=int, default=3, help="cold/warm runs of check-solutions")
    parser.add_argument("--ids", nargs="*", help="exercises for figure 1 (default: all)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    catalog = default_catalog()
    env = dict(os.environ)
    console = Console(stderr=True)
    with tempfile.TemporaryDirectory(prefix="gradschool-bench-") as tmp:
        workspace = Workspace.init(Path(tmp) / "ws", solutions=True).root
        ids = args.ids or [e.id for e in catalog]
        console.print("1/3 grading one exercise (warm cache)…")
        grade_rows = bench_grade_one(workspace, ids, args.repeat, env)
        console.print("2/3 check-solutions cold and warm…")
        solutions = bench_check_solutions(args.solutions_repeat, env)
        console.print("3/3 gradient-check evaluations…")
        evaluations = bench_gradient_evaluations(workspace)
    result = {"cpu_count": os.cpu_count(), "grade_one": grade_rows, "check_solutions": solutions,
              "gradient_evaluations": evaluations}
    if args.json:
        print(json.dumps(result, indent=2))
        return
    out = Console()
    table = Table(title=f"grading one exercise from the CLI, warm cache (median of {args.repeat})")
    for column in ("exercise", "median s", "min s", "max s", "<= 0.5 s", "solution passes"):
        table.add_column(column)
    for r in grade_rows:
        table.add_row(r["id"], f"{r['median_s']:.3f}", f"{r['min_s']:.3f}", f"{r['max_s']:.3f}",
                      "yes" if r["median_s"] <= 0.5 else "NO", "yes" if r["all_passed"] else "NO")
    out.print(table)
    out.print(f"check-solutions over {len(catalog)} exercises: cold {solutions['cold_median_s']:.2f} s, "
              f"warm {solutions['warm_median_s']:.2f} s (median of {solutions['runs']}); "
              f"cold/warm = {solutions['cold_median_s'] / solutions['warm_median_s']:.1f}x")
    table = Table(title="gradient checks: forward evaluations used vs. full central differences")
    for column in ("exercise", "used", "full", "used/full"):
        table.add_column(column)
    for r in evaluations:
        table.add_row(r["id"], str(r["evaluations"]), str(r["full"]), f"{r['ratio']:.3f}")
    if evaluations:
        used = sum(r["evaluations"] for r in evaluations)
        full = sum(r["full"] for r in evaluations)
        table.add_row("total", str(used), str(full), f"{used / full:.3f}")
    out.print(table)


if __name__ == "__main__":
    main()
