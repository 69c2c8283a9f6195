"""gradschool's performance figures: run `python benchmarks/bench.py` (add --json for machine output).

1. Grading one exercise from the command line with a warm Numba cache (median wall time of
   several `gradschool grade ID` runs, each a fresh process, as a learner runs it). Target: <= 0.5 s.
2. `gradschool check-solutions` over the chapter, cold (an empty Numba cache) and warm.
3. Gradient checks: forward evaluations used against a full central difference over every coordinate.
"""

from __future__ import annotations

import argparse
import contextlib
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


# -- 4. the tutor -------------------------------------------------------------------------------


def _tutor_first_screen(workspace: Path, env: dict[str, str],
                        size: tuple[int, int] = (120, 40)) -> tuple[float, float, str]:
    """Seconds from starting `gradschool tutor` to its first screen drawn, in a pty of the given size; the
    CPU seconds the process used (start to exit, which follows at once: a figure that a busy machine does not
    inflate); and which heavy modules were imported by then. The app writes the time when Textual reports
    the first screen ready (GRADSCHOOL_READY_FILE) and exits."""
    import fcntl
    import pty
    import resource
    import struct
    import termios
    import threading

    with tempfile.TemporaryDirectory(prefix="gradschool-bench-ready-") as tmp:
        ready = Path(tmp) / "ready"
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
        run_env = {**env, "GRADSCHOOL_READY_FILE": str(ready), "TERM": env.get("TERM", "xterm-256color")}
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.time()
        proc = subprocess.Popen(_gradschool("--workspace", str(workspace), "tutor"), stdin=slave, stdout=slave,
                                stderr=slave, env=run_env, start_new_session=True)
        os.close(slave)

        def drain() -> None:  # the app blocks once the pty's buffer is full: read and drop its output
            with contextlib.suppress(OSError):
                while os.read(master, 65536):
                    pass

        reader = threading.Thread(target=drain, daemon=True)
        reader.start()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            raise SystemExit("the tutor did not draw its first screen within 30 s") from None
        finally:
            os.close(master)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        stamp, *heavy = ready.read_text().split("\n", 1)
        return float(stamp) - started, cpu, " ".join(heavy).strip()


def bench_tutor_startup(workspace: Path, repeat: int, env: dict[str, str]) -> dict:
    _tutor_first_screen(workspace, env)  # warm the file cache
    runs = [_tutor_first_screen(workspace, env) for _ in range(repeat)]
    times = [t for t, _, _ in runs]
    heavy = sorted({m for _, _, h in runs for m in h.split()})
    return {"median_s": statistics.median(times), "min_s": min(times), "max_s": max(times), "runs": repeat,
            "cpu_median_s": statistics.median(c for _, c, _ in runs), "load_average": os.getloadavg()[0],
            "heavy_modules_at_first_screen": heavy}


def bench_tutor_keys(workspace: Path, exercise_id: str, presses: int = 44) -> dict:
    """Keys sent to the tutor (headless) while it grades for real: the time from handing a key to the app
    until the screen has been redrawn with its effect (the end of the next compositor refresh). A new
    check starts whenever one ends, so the keys meet checks running in the grading process."""
    import asyncio

    from textual import events
    from textual.screen import Screen

    from tutor.app import GradschoolApp

    refreshed: list[float] = []
    original = Screen._compositor_refresh

    def timed_refresh(self) -> None:
        original(self)
        refreshed.append(time.perf_counter())

    Screen._compositor_refresh = timed_refresh  # type: ignore[method-assign]
    ws = Workspace(workspace)
    ws.set_current(exercise_id)
    app = GradschoolApp(ws, watch=False)
    # the course list, a hint, typing in the editor (each key: a draft write and a re-highlight), leaving
    # it, the instructions tab, zoom, next/previous exercise: each of them changes the screen
    keys = ["down", "up", "h", "o", "a", "b", "escape", "i", "z", "z", "z", "n", "p"]
    latencies: list[float] = []
    cpu: list[float] = []
    during_check: list[bool] = []
    per_key: dict[str, list[float]] = {}

    async def scenario() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause(0.5)
            for index in range(presses):
                if app._grading is None:
                    if app.exercise is None or app.exercise.id != exercise_id:
                        app.open_exercise(exercise_id)
                    app.action_check()
                    await pilot.pause(0.1)
                key = keys[index % len(keys)]
                seen = len(refreshed)
                during_check.append(app._grading is not None)
                started, cpu_started = time.perf_counter(), time.process_time()
                app._driver.send_message(events.Key(key, key if len(key) == 1 else None))
                while len(refreshed) == seen or refreshed[-1] < started:
                    if time.perf_counter() - started > 5:
                        break
                    await asyncio.sleep(0.0005)
                latencies.append((refreshed[-1] if refreshed else time.perf_counter()) - started)
                cpu.append(time.process_time() - cpu_started)
                per_key.setdefault(key, []).append(latencies[-1])
                await pilot.pause(0.05)
            if app._grading is not None:
                app.action_cancel_check()

    try:
        asyncio.run(scenario())
    finally:
        Screen._compositor_refresh = original  # type: ignore[method-assign]
    ordered = sorted(latencies)
    return {"exercise": exercise_id, "presses": len(latencies), "during_check": sum(during_check),
            "median_ms": 1000 * statistics.median(latencies),
            "p95_ms": 1000 * ordered[int(0.95 * (len(ordered) - 1))], "max_ms": 1000 * max(latencies),
            "cpu_median_ms": 1000 * statistics.median(cpu),
            "per_key_median_ms": {k: round(1000 * statistics.median(v), 1) for k, v in per_key.items()},
            "load_average": os.getloadavg()[0]}


def print_tutor(out: Console, startup: dict, keys: dict) -> None:
    ok = "yes" if startup["median_s"] <= 0.6 else "NO"
    heavy = ", ".join(startup["heavy_modules_at_first_screen"]) or "none"
    out.print(f"tutor: first screen drawn {startup['median_s']:.3f} s after the command (median of "
              f"{startup['runs']}; min {startup['min_s']:.3f}, max {startup['max_s']:.3f}; <= 0.6 s: {ok}); "
              f"CPU time {startup['cpu_median_s']:.3f} s (median; load average {startup['load_average']:.1f} on "
              f"{os.cpu_count()} CPUs); heavy modules imported by then: {heavy}")
    ok = "yes" if keys["median_ms"] <= 50 else "NO"
    out.print(f"tutor: keys answered in {keys['median_ms']:.1f} ms median, {keys['p95_ms']:.1f} ms p95, "
              f"{keys['max_ms']:.1f} ms max, over {keys['presses']} keys ({keys['during_check']} of them while "
              f"a check of {keys['exercise']} ran; <= 50 ms: {ok}); the tutor's own CPU time per key "
              f"{keys['cpu_median_ms']:.1f} ms median (load average {keys['load_average']:.1f}); per key: "
              + ", ".join(f"{k} {v:g}" for k, v in keys["per_key_median_ms"].items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=7, help="runs per grading figure (median reported)")
    parser.add_argument("--solutions-repeat", type=int, default=3, help="cold/warm runs of check-solutions")
    parser.add_argument("--ids", nargs="*", help="exercises for figure 1 (default: all)")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--tutor-only", action="store_true", help="only figure 4, the tutor's")
    parser.add_argument("--tutor-repeat", type=int, default=7, help="fresh tutor processes for the startup time")
    parser.add_argument("--tutor-exercise", default="affine-loops-njit",
                        help="the exercise graded while keys are timed (default: a Numba one)")
    args = parser.parse_args()
    if args.tutor_only:
        main_tutor(args)
        return
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
    out.print(_parts_table(catalog, grade_rows))
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


def _parts_table(catalog, grade_rows: list[dict]) -> Table:
    """Figure 1 per course part: how many exercises, their median and slowest grading, how many within 0.5 s."""
    by_id = {r["id"]: r["median_s"] for r in grade_rows}
    table = Table(title="grading one exercise, per course part (medians of the rows above)")
    for column in ("part", "exercises", "median s", "slowest s", "<= 0.5 s"):
        table.add_column(column)
    parts: dict[str, list[float]] = {}
    for exercise in catalog:
        if exercise.id in by_id:
            parts.setdefault(exercise.part, []).append(by_id[exercise.id])
    for part, times in parts.items():
        table.add_row(part, str(len(times)), f"{statistics.median(times):.3f}", f"{max(times):.3f}",
                      f"{sum(t <= 0.5 for t in times)}/{len(times)}")
    return table


def main_tutor(args: argparse.Namespace) -> None:
    env = dict(os.environ)
    console = Console(stderr=True)
    with tempfile.TemporaryDirectory(prefix="gradschool-bench-") as tmp:
        workspace = Workspace.init(Path(tmp) / "ws", solutions=True).root
        console.print("4/4 the tutor: first screen, then keys while checking…")
        startup = bench_tutor_startup(workspace, args.tutor_repeat, env)
        keys = bench_tutor_keys(workspace, args.tutor_exercise)
    if args.json:
        print(json.dumps({"tutor_startup": startup, "tutor_keys": keys}, indent=2))
        return
    print_tutor(Console(), startup, keys)


if __name__ == "__main__":
    main()
