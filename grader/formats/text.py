"""The human report: a rich table per run, and for each failing exercise what went wrong."""

from __future__ import annotations

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from grader.results import ExerciseResult, GradeReport


def _mark(passed: bool) -> Text:
    return Text("✓", style="bold green") if passed else Text("✗", style="bold red")


def exercise_panel(result: ExerciseResult, *, show_hint: bool = True) -> Panel:
    parts: list = []
    if result.error:
        parts.append(Text(result.error, style="bold red"))
    table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
    table.add_column("")
    table.add_column("check")
    table.add_column("target", style="dim")
    table.add_column("points", justify="right")
    for check in result.checks:
        table.add_row(_mark(check.passed), Text(check.name), check.target, f"{check.points:g}/{check.max_points:g}")
    parts.append(table)
    devices = sorted({c.device for c in result.checks if c.device})
    if devices:  # where the CUDA checks ran: "CUDA simulator" or "GPU <name>"
        parts.append(Text(f"CUDA checks ran on: {', '.join(devices)}", style="cyan"))
    seen: set[str] = set()
    for check in result.checks:  # kernel timings, or why there are none (CUDA simulator); each line once
        for note in check.notes:
            if note not in seen:
                seen.add(note)
                parts.append(Text(f"  {note}", style="cyan"))
    failing = [c for c in result.checks if not c.passed]
    if failing and not result.error:
        # Checks failing with the same message (an import error, "not implemented yet") are said once.
        by_message: dict[str, list] = {}
        for check in failing:
            by_message.setdefault(check.message, []).append(check)
        for number, (message, checks) in enumerate(by_message.items()):
            parts.append(Text(f"\n✗ {checks[0].name}:", style="bold"))
            parts.append(Text(message))
            if checks[0].details and number == 0:  # the full excerpt for the first failure only
                parts.append(Text(checks[0].details, style="dim"))
            if len(checks) > 1:
                parts.append(Text("(the same for: " + "; ".join(c.name for c in checks[1:]) + ")", style="dim"))
    if show_hint and result.hints and not result.passed:
        parts.append(Text(f"\nHint: {result.hints[0]}", style="yellow"))
    title = Text(f"{result.id} — {result.title}  [{result.score:g}/{result.max_score:g}]")
    return Panel(Group(*parts), title=title, title_align="left",
                 border_style="green" if result.passed else "red")


def print_report(report: GradeReport, console: Console | None = None, *, verbose: bool = False) -> None:
    console = console or Console()
    for result in report.exercises:
        if verbose or not result.passed:
            console.print(exercise_panel(result))
    summary = Table(title="gradschool", show_lines=False)
    summary.add_column("")
    summary.add_column("exercise")
    summary.add_column("score", justify="right")
    summary.add_column("status")
    for result in report.exercises:
        summary.add_row(_mark(result.passed), result.id, f"{result.score:g}/{result.max_score:g}",
                        result.status if not result.passed else "passed")
    summary.add_row("", Text("total", style="bold"), Text(f"{report.score:g}/{report.max_score:g}", style="bold"), "")
    console.print(summary)
