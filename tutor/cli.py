"""The `gradschool` command line. With no command it opens the tutor."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from rich.console import Console
from rich.text import Text

from grader.catalog import CatalogError, default_catalog
from grader.formats import FORMATS

EXIT_OK, EXIT_FAILED, EXIT_ERROR = 0, 1, 2
err = Console(stderr=True)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gradschool",
        description="A terminal tutor and autograder for deep learning from scratch. "
                    "Run with no command to open the tutor.",
    )
    parser.add_argument("--workspace", type=Path, metavar="DIR",
                        help="workspace folder (default: the current folder if it is one, else your default)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def add(name: str, help: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help, description=help)
        p.add_argument("--workspace", type=Path, metavar="DIR", default=argparse.SUPPRESS,
                       help="workspace folder (default: the current folder if it is one, else your default)")
        return p

    watch = parser.add_mutually_exclusive_group()
    watch.add_argument("--no-watch", dest="watch", action="store_const", const=False, default=True,
                       help="tutor: do not re-check when the file is saved (press c to check)")
    watch.add_argument("--poll", dest="watch", action="store_const", const="poll",
                       help="tutor: watch by polling (network drives, WSL mounts)")
    add("tutor", "open the tutor (the default)")
    p = add("serve", "run the tutor in a web browser (textual-serve)")
    p.add_argument("--host", default="localhost", help="address to listen on (default: localhost)")
    p.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    p.add_argument("--public-url", metavar="URL", help="the URL browsers reach the server at (behind a proxy)")
    p = add("init", "create a workspace with your own copies of the starter files")
    p.add_argument("dir", nargs="?", type=Path, help="folder to create (default: your default workspace)")
    p.add_argument("--solutions", action="store_true", help="fill it with the reference solutions (instructors)")

    p = add("list", "list the exercises")
    p.add_argument("--json", action="store_true", help="machine-readable output")

    p = add("grade", "grade exercises in a workspace")
    p.add_argument("ids", nargs="*", metavar="ID", help="exercise ids (default: all)")
    p.add_argument("--format", choices=FORMATS, default="text")
    p.add_argument("--out", type=Path, metavar="FILE", help="write the report here instead of stdout")
    p.add_argument("--official", action="store_true", help="grade on hidden cases (other seeds and shapes)")
    p.add_argument("--verbose", "-v", action="store_true", help="text format: show passing exercises too")
    p.add_argument("--time-limit", type=float, metavar="SECONDS",
                   help="cap every exercise's time limit (default: each exercise's own)")

    p = add("grade-batch", "grade a folder of learner workspaces (one subfolder each)")
    # One positional list, so ids may follow options: SUBMISSIONS [ID ...]
    p.add_argument("paths", nargs="+", metavar="SUBMISSIONS [ID ...]",
                   help="the submissions folder, then exercise ids (default: all)")
    p.add_argument("--out", type=Path, required=True, metavar="DIR", help="folder for the CSV and the reports")
    p.add_argument("--jobs", "-j", type=int, default=0, help="parallel graders (default: CPU count)")
    p.add_argument("--official", action="store_true", help="grade on hidden cases")
    p.add_argument("--time-limit", type=float, metavar="SECONDS",
                   help="cap every exercise's time limit, bounding a class's worst case (default: each exercise's own)")

    p = add("check-solutions", "check that every solution passes and every starter fails")
    p.add_argument("ids", nargs="*", metavar="ID", help="exercise ids (default: all)")
    p.add_argument("--mutants", action="store_true",
                   help="also plant small bugs in each solution and list those the checks miss (slow)")
    p.add_argument("--jobs", "-j", type=int, default=0, help="parallel graders (default: CPU count)")

    p = add("reset", "put an exercise's starter file back (your version is backed up first)")
    p.add_argument("id", metavar="ID")

    p = add("hint", "show an exercise's hints")
    p.add_argument("id", metavar="ID")
    return parser


def _workspace(args: argparse.Namespace, *, create_default: bool = False):
    from grader.workspace import Workspace

    return Workspace.locate(getattr(args, "workspace", None), create_default=create_default)


def cmd_init(args: argparse.Namespace) -> int:
    from grader.paths import default_workspace_dir
    from grader.workspace import Workspace

    target = args.dir or getattr(args, "workspace", None) or default_workspace_dir()
    ws = Workspace.init(target, solutions=args.solutions)
    kind = "reference solutions" if args.solutions else "starter files"
    print(f"Workspace ready at {ws.root} with {len(ws.catalog)} exercises ({kind}).")
    print(f"Next: cd {ws.root} && gradschool        (or: gradschool grade)")
    return EXIT_OK


def cmd_list(args: argparse.Namespace) -> int:
    catalog = default_catalog()
    rows = [
        {"id": e.id, "title": e.title, "chapter": e.chapter, "section": e.section, "kind": e.kind,
         "targets": list(e.targets), "points": e.points, "file": e.file}
        for e in catalog
    ]
    if args.json:
        print(json.dumps(rows, indent=2))
        return EXIT_OK
    from rich.table import Table

    table = Table(title=f"gradschool: {len(rows)} exercises")
    for column in ("id", "title", "§", "kind", "targets", "points", "file"):
        table.add_column(column)
    for r in rows:
        table.add_row(r["id"], r["title"], r["section"], r["kind"], ",".join(r["targets"]), f"{r['points']:g}",
                      r["file"])
    Console().print(table)
    return EXIT_OK


def _write(text: str, out: Path | None) -> None:
    if out is None:
        sys.stdout.write(text + "\n")
    else:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text + "\n", encoding="utf-8")


def cmd_grade(args: argparse.Namespace) -> int:
    from grader.engine import grade_workspace
    from grader.formats import to_gradescope, to_json, to_junit
    from grader.formats.text import print_report

    ws = _workspace(args)
    exercises = _select(ws.catalog, args.ids)
    if args.format == "text" and args.out is None:
        console = Console()
        with console.status("grading…"):
            report = grade_workspace(ws, exercises, official=args.official, max_time=args.time_limit)
        print_report(report, console, verbose=args.verbose or len(exercises) == 1)
    else:
        report = grade_workspace(ws, exercises, official=args.official, max_time=args.time_limit)
        if args.format == "text":
            args.out.parent.mkdir(parents=True, exist_ok=True)
            with args.out.open("w", encoding="utf-8") as handle:
                print_report(report, Console(file=handle, width=110), verbose=True)
        else:
            render = {"json": to_json, "junit": to_junit, "gradescope": to_gradescope}[args.format]
            _write(render(report), args.out)
    return EXIT_OK if report.passed else EXIT_FAILED


def _select(catalog, ids: list[str]):
    try:
        return catalog.select(ids)
    except KeyError as exc:
        raise UsageError(f"unknown exercise id(s): {exc.args[0]}. See `gradschool list`.") from None


def cmd_grade_batch(args: argparse.Namespace) -> int:
    from grader.batch import grade_batch

    submissions, ids = Path(args.paths[0]), args.paths[1:]
    exercises = _select(default_catalog(), ids)
    if not submissions.is_dir():
        raise UsageError(f"{submissions} is not a folder of submissions (one subfolder per learner).")
    summary = grade_batch(submissions, args.out, exercises, jobs=args.jobs, official=args.official,
                          max_time=args.time_limit)
    return EXIT_OK if summary.all_passed else EXIT_FAILED


def cmd_check_solutions(args: argparse.Namespace) -> int:
    from grader.selfcheck import check_solutions

    exercises = _select(default_catalog(), args.ids)
    healthy = check_solutions(exercises, jobs=args.jobs)
    if args.mutants:
        _report_mutants(exercises, args.jobs)
    if default_catalog().errors:
        err.print(f"[bold red]{len(default_catalog().errors)} exercise folder(s) are malformed[/] (see above).")
    return EXIT_OK if healthy and not default_catalog().errors else EXIT_FAILED


def _report_mutants(exercises, jobs: int) -> None:
    from rich.table import Table

    from grader.mutants import surviving_mutants

    console = Console()
    with console.status("grading mutants of the reference solutions…"):
        graded, survivors = surviving_mutants(exercises, jobs=jobs or 2)
    table = Table(title=f"mutants that still pass: {len(survivors)} of {graded}")
    for column in ("exercise", "line", "change"):
        table.add_column(column)
    for mutant in survivors:
        table.add_row(mutant.exercise.id, str(mutant.line), mutant.change)
    console.print(table)
    console.print("Each survivor is a hole in the checks or an equivalent mutant (e.g. x * 1.0 -> x / 1.0): "
                  "review them. They do not change the exit status.")


def cmd_reset(args: argparse.Namespace) -> int:
    ws = _workspace(args)
    exercise = _select(ws.catalog, [args.id])[0]
    saved = ws.reset(exercise)
    print(f"Restored the starter of {exercise.id} at {ws.file_for(exercise)}.")
    if saved:
        print(f"Your previous version is saved at {saved}.")
    return EXIT_OK


def cmd_hint(args: argparse.Namespace) -> int:
    exercise = _select(default_catalog(), [args.id])[0]
    for number, hint in enumerate(exercise.hints, 1):
        print(f"{number}. {hint.text}")
    return EXIT_OK


def cmd_tutor(args: argparse.Namespace) -> int:
    ws = _workspace(args, create_default=True)
    from tutor.app import GradschoolApp

    GradschoolApp(ws, watch=args.watch).run()
    return EXIT_OK


def serve_command(workspace: Path, watch: bool | str = True) -> str:
    """The shell command textual-serve starts for each browser session: the tutor on this workspace."""
    import shlex

    flags = {False: ["--no-watch"], "poll": ["--poll"]}.get(watch, [])
    argv = [sys.executable, "-m", "tutor.cli", "--workspace", str(workspace), *flags, "tutor"]
    return shlex.join(argv)


def cmd_serve(args: argparse.Namespace) -> int:
    ws = _workspace(args, create_default=True)
    try:
        from textual_serve.server import Server
    except ImportError:
        raise UsageError("`gradschool serve` needs textual-serve: pip install textual-serve") from None
    command = serve_command(ws.root, args.watch)
    print(f"Serving the tutor on {ws.root} at http://{args.host}:{args.port} (ctrl+c stops)")
    Server(command, host=args.host, port=args.port, title="gradschool", public_url=args.public_url).serve()
    return EXIT_OK


class UsageError(Exception):
    pass


COMMANDS = {
    None: cmd_tutor, "tutor": cmd_tutor, "serve": cmd_serve, "init": cmd_init, "list": cmd_list, "grade": cmd_grade,
    "grade-batch": cmd_grade_batch, "check-solutions": cmd_check_solutions, "reset": cmd_reset, "hint": cmd_hint,
}


def main(argv: list[str] | None = None) -> int:
    from grader.workspace import WorkspaceError

    parser = _parser()
    args, extra = parser.parse_known_args(argv)
    # argparse leaves ids that follow an option unparsed (`grade-batch SUBS --out DIR ID`): take them.
    list_attr = {"grade-batch": "paths", "grade": "ids", "check-solutions": "ids"}.get(args.command)
    if extra and (list_attr is None or any(e.startswith("-") for e in extra)):
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    if extra:
        setattr(args, list_attr, [*getattr(args, list_attr), *extra])
    try:
        for problem in default_catalog().errors:
            err.print(Text.assemble(("warning: ", "bold yellow"), "skipped a malformed exercise: ", problem))
        return COMMANDS[args.command](args)
    except (UsageError, WorkspaceError, CatalogError) as exc:
        err.print(f"[bold red]error:[/] {exc}")
        return EXIT_ERROR
    except KeyboardInterrupt:
        err.print("interrupted")
        return EXIT_ERROR
    except Exception as exc:  # an internal error must still exit 2 with a readable message
        err.print(f"[bold red]internal error:[/] {type(exc).__name__}: {exc}")
        err.print("Please report this with the command you ran.")
        return EXIT_ERROR


def run() -> None:
    """Console-script entry: exit without the interpreter's slow teardown (Numba/LLVM finalisers
    add ~0.1 s to every command); all output is flushed and every child process is closed by then."""
    code = main()
    sandbox = sys.modules.get("grader.sandbox")
    if sandbox is not None:  # not imported: no learner process ever ran (and importing it costs numpy)
        sandbox.kill_all()  # os._exit skips atexit: end any learner process a quit left running
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    run()
