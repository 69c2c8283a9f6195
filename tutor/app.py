"""The terminal tutor: the course on the left, the exercise and what the last check found on the right.

Grading is blocking (it runs the learner's code in a child process), so it always runs in a thread
worker; its result comes back to the UI as a GradeFinished message. Saves are noticed by an async
watch worker (watchfiles, with an mtime-polling fallback) and coalesced: one check at a time, and one
more after it when the file changed meanwhile.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import shlex
import subprocess
import sys
import threading
import time
import traceback
from collections.abc import Callable
from functools import partial
from pathlib import Path

from textual import events, on, work
from textual.app import App, ComposeResult, SuspendNotSupported
from textual.await_complete import AwaitComplete
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Footer, Input, TabbedContent, Tree
from textual.worker import get_current_worker

from grader.catalog import Exercise
from grader.progress import ExerciseProgress
from grader.results import ExerciseResult
from grader.workspace import Workspace
from tutor.drafts import DraftStore, digest, read_text
from tutor.widgets.code_editor import CodeEditor
from tutor.widgets.course_tree import CourseTree, matches
from tutor.widgets.exercise_view import ExerciseView
from tutor.widgets.hints_panel import HintsPanel
from tutor.widgets.progress_summary import ProgressSummary
from tutor.widgets.quiz_form import QuizForm
from tutor.widgets.results_panel import ResultsPanel

GradeFn = Callable[[Workspace, Exercise], ExerciseResult]


def display_path(path: Path) -> str:
    """An absolute path, with the home folder written as ~ (short, and still pastes into a shell)."""
    try:
        return "~/" + path.relative_to(Path.home()).as_posix()
    except (ValueError, RuntimeError):
        return str(path)


def _default_grade_fn() -> GradeFn:
    # Imported here, not at module level: the engine pulls in numpy/numba, the tutor should start fast.
    # The attempt is recorded by the app once the check completes: a cancelled check is not an attempt.
    from grader.engine import grade_exercise

    return partial(grade_exercise, record=False)


class GradeFinished(Message):
    """A grade worker is done: result, or failure (a traceback) when the grader itself raised."""

    def __init__(self, exercise_id: str, result: ExerciseResult | None, failure: str | None) -> None:
        super().__init__()
        self.exercise_id = exercise_id
        self.result = result
        self.failure = failure


class ExerciseCommands(Provider):
    """Command palette (ctrl+p): jump to any exercise by title, id or section."""

    async def search(self, query: str) -> Hits:
        app = self.app
        assert isinstance(app, GradschoolApp)
        matcher = self.matcher(query)
        for exercise in app.exercises:
            text = f"Go to {exercise.section} {exercise.title} ({exercise.id})"
            score = matcher.match(text)
            if score > 0 or matches(exercise, query):
                yield Hit(max(score, 0.1), matcher.highlight(text), partial(app.open_exercise, exercise.id))

    async def discover(self) -> Hits:
        app = self.app
        assert isinstance(app, GradschoolApp)
        for exercise in app.exercises:
            yield DiscoveryHit(f"Go to {exercise.section} {exercise.title}", partial(app.open_exercise, exercise.id))


class ActionCommands(Provider):
    """Command palette (ctrl+p): every action of the tutor by name."""

    async def search(self, query: str) -> Hits:
        app = self.app
        assert isinstance(app, GradschoolApp)
        matcher = self.matcher(query)
        for name, action, help_text in app.PALETTE_ACTIONS:
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), partial(app.run_action, action), help=help_text)

    async def discover(self) -> Hits:
        app = self.app
        assert isinstance(app, GradschoolApp)
        for name, action, help_text in app.PALETTE_ACTIONS:
            yield DiscoveryHit(name, partial(app.run_action, action), help=help_text)


class GradschoolApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "gradschool"
    COMMANDS = App.COMMANDS | {ActionCommands, ExerciseCommands}

    # The footer shows the keys a learner needs every minute; the rest are in the help (?).
    _MOVE = Binding.Group("Next/Prev")
    BINDINGS = [
        Binding("c", "check", "Check"),
        Binding("ctrl+r", "check", "Check", show=False, priority=True),
        Binding("k", "cancel_check", "Cancel check"),
        Binding("o", "code", "Code"),
        Binding("i", "instructions", "Read", show=False),
        Binding("h", "hint", "Hint"),
        Binding("d", "details", "Details"),
        Binding("e", "edit", "$EDITOR", show=False),
        Binding("n", "next", "Next", group=_MOVE),
        Binding("p", "previous", "Previous", group=_MOVE),
        Binding("m", "course_map", "Map"),
        Binding("t", "stats", "Stats", show=False),
        Binding("s", "solution", "Solution", show=False),
        Binding("x", "reset", "Reset", show=False),
        Binding("w", "toggle_watch", "Watch", show=False),
        Binding("z", "zoom", "Zoom", show=False),
        Binding("slash", "search", "Search", show=False),
        Binding("escape", "leave_search", "Back", show=False),
        Binding("question_mark", "help", "Help"),
        Binding("f1", "help", "Help", show=False, priority=True),
        Binding("q", "quit", "Quit"),
    ]

    # What the help screen lists, in this order.
    KEY_HELP = [
        ("o", "your code: edit your file in the tutor (saved by itself; ctrl+s saves and checks; ctrl+z undo)"),
        ("i", "back to the instructions"),
        ("esc", "leave the editor (the keys below work again); in search: back to the list"),
        ("c / ctrl+r", "check your file now (ctrl+r works inside the editor too)"),
        ("k", "cancel a running check"),
        ("d", "details of every check: expected vs. got, where, and the figures"),
        ("w", "watch mode on/off (on: a save from another editor is checked)"),
        ("h", "reveal the next hint"),
        ("e", "open your file in $VISUAL / $EDITOR"),
        ("n / p", "next / previous exercise"),
        ("m", "course map: chapters, status, points; c there continues where you left off"),
        ("t", "your statistics: attempts, scores, hints"),
        ("s", "reference solution (after you passed)"),
        ("x", "reset the exercise to its starter (your file is backed up)"),
        ("z", "zoom: exercise only, then results only, then both"),
        ("/", "search exercises; Esc goes back to the list"),
        ("ctrl+p", "command palette: every action, and jump to any exercise"),
        ("? / F1", "this help"),
        ("q / ctrl+q", "quit (your text and progress are saved as you go)"),
    ]

    # The command palette's actions: (name, action, help).
    PALETTE_ACTIONS = [
        ("Check my code", "check", "run the checks now"),
        ("Cancel the running check", "cancel_check", "stop the check that is running"),
        ("Edit my code", "code", "the editor tab"),
        ("Show the instructions", "instructions", "the instructions tab"),
        ("Show a hint", "hint", "reveal the next hint"),
        ("Check details", "details", "expected vs. got and figures for every check"),
        ("Course map", "course_map", "chapters, status and points"),
        ("Continue where I left off", "continue", "the first exercise not passed yet"),
        ("Statistics", "stats", "attempts, scores and hints"),
        ("Next exercise", "next", ""),
        ("Previous exercise", "previous", ""),
        ("Reference solution", "solution", "after you passed"),
        ("Reset to the starter", "reset", "your file is backed up first"),
        ("Open in $EDITOR", "edit", "your own editor"),
        ("Toggle watch mode", "toggle_watch", "check on every save from another editor"),
        ("Zoom", "zoom", "exercise only / results only / both"),
        ("Search exercises", "search", ""),
        ("Help", "help", "keys and how the tutor works"),
        ("Quit", "quit", "your text and progress are saved"),
    ]

    def __init__(
        self,
        workspace: Workspace,
        *,
        grade_fn: GradeFn | None = None,
        watch: bool | str = True,
        debounce: float = 0.3,
        poll_interval: float = 1.0,
        autosave_delay: float = 1.0,
    ) -> None:
        """watch: True (watchfiles, polling if it fails), "poll" (mtime polling only, for network
        drives or WSL mounts), or False (check only on c)."""
        super().__init__()
        self.workspace = workspace
        self.exercises: list[Exercise] = list(workspace.catalog)
        self.watching = bool(watch)
        self.watch_backend: str | None = None  # "watchfiles" or "polling" once a watcher runs
        self._grade_fn = grade_fn
        self._force_poll = watch == "poll"
        self._debounce = debounce
        self._poll_interval = poll_interval
        self.exercise: Exercise | None = None
        self._results: dict[str, ExerciseResult] = {}  # this session's latest result per exercise
        self._progress: dict[str, ExerciseProgress] = {}
        self._grading: str | None = None  # id of the exercise a grade worker is running for
        self._pending: tuple[str, str] | None = None  # (exercise id, reason) to check once it is done
        self._watch_stop: asyncio.Event | None = None
        self._autosave_delay = autosave_delay
        self.drafts = DraftStore(workspace.meta_dir / "drafts")
        self._quiz_written: dict[Path, str] = {}  # digest of what the quiz form last wrote, per file
        self._check_started = 0.0
        self._check_timer: Timer | None = None
        self._check_reason = "manual"
        self._started = False  # the first exercise has been opened
        self._saved_current: str | None = None  # the current exercise as stored in the workspace
        self._grade_process = None  # tutor.grading.GradeProcess, started at the first check
        self._zoom = ""  # "", "instructions" or "report": see action_zoom
        self._editing = False

    # -- layout --------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield ProgressSummary(id="summary")
        with Horizontal(id="body"):
            with Vertical(id="sidebar"):
                yield Input(placeholder="/ search exercises", id="search")
                yield CourseTree(self.exercises, id="course")
            with Vertical(id="main"):
                yield ExerciseView(id="exercise", autosave_delay=self._autosave_delay)
                with VerticalScroll(id="report"):
                    yield ResultsPanel(id="results")
                    yield HintsPanel(id="hints")
        yield Footer()

    def on_mount(self) -> None:
        self.screen.set_class(self.size.width < self.NARROW, "-narrow")
        self._reload_progress()
        self.query_one(CourseTree).focus()
        start = self._starting_exercise()
        if start is None:
            self.query_one(ExerciseView).show_empty()
            self.query_one(ResultsPanel).display = False
            self.query_one(HintsPanel).display = False
            return
        self.open_exercise(start.id)

    def on_unmount(self) -> None:
        self._stop_watch()
        if self._grade_process is not None:
            self._grade_process.stop()

    NARROW = 100  # columns under which the course list hides

    def on_resize(self, event: events.Resize) -> None:
        self.screen.set_class(event.size.width < self.NARROW, "-narrow")

    def on_ready(self) -> None:
        """The first screen is drawn: for benchmarks/bench.py, note the time and leave when asked to."""
        marker = os.environ.get("GRADSCHOOL_READY_FILE")
        if marker:
            heavy = " ".join(m for m in ("numpy", "numba", "grader.engine") if m in sys.modules)
            Path(marker).write_text(f"{time.time():.6f}\n{heavy}\n")
            self.exit()

    @property
    def editor(self) -> CodeEditor:
        return self.query_one("#editor", CodeEditor)

    @property
    def quiz(self) -> QuizForm:
        return self.query_one("#quiz", QuizForm)

    def flush_editor(self) -> None:
        """Save what the editor holds (pending autosave) before anything reads or replaces the file."""
        if self.exercise is not None and self.exercise.kind != "quiz":
            self.editor.flush()

    # -- helpers -------------------------------------------------------------------------------

    def file_label(self, exercise: Exercise) -> str:
        return display_path(self.workspace.file_for(exercise))

    def _starting_exercise(self) -> Exercise | None:
        """Continue where the learner left off: the current exercise, else the first not passed."""
        if not self.exercises:
            return None
        current = self._saved_current = self.workspace.current_exercise_id
        for exercise in self.exercises:
            if exercise.id == current:
                return exercise
        for exercise in self.exercises:
            progress = self._progress.get(exercise.id)
            if progress is None or not progress.passed:
                return exercise
        return self.exercises[0]

    def _reload_progress(self) -> None:
        self._progress = self.workspace.progress.all()
        self.query_one(CourseTree).set_progress(self._progress)
        self._refresh_summary()

    def _refresh_summary(self) -> None:
        self.query_one(ProgressSummary).show(
            self.exercises, self._progress, watching=self.watching, checking=self._grading is not None
        )

    def hint_order(self, exercise: Exercise) -> tuple[list[str], bool]:
        """The hints in the order to reveal them, and whether a diagnosis decided that order."""
        result = self._results.get(exercise.id)
        if result is not None and result.hints:
            diagnosed = any(c.diagnosis for c in result.checks if not c.passed)
            return list(result.hints), diagnosed
        return [hint.text for hint in exercise.hints], False

    def _refresh_hints(self) -> AwaitComplete | None:
        if self.exercise is None:
            return None
        hints, diagnosed = self.hint_order(self.exercise)
        seen = self.workspace.progress.hints_seen(self.exercise.id)
        progress = self._progress.get(self.exercise.id)
        return self.query_one(HintsPanel).show(hints, seen, diagnosed=diagnosed,
                                               passed=progress is not None and progress.passed)

    def _render_exercise(self) -> None:
        exercise = self.exercise
        if exercise is None:
            return
        path = self.workspace.file_for(exercise)
        label = self.file_label(exercise)
        self.query_one(ExerciseView).show(exercise, label, exists=path.exists())
        panel = self.query_one(ResultsPanel)
        result = self._results.get(exercise.id)
        if result is None and self._progress.get(exercise.id) is not None:
            result = self.workspace.progress.last_result(exercise.id)  # redraw the last check after a restart
        if result is not None:
            panel.show_result(result, exercise, label, self.workspace.progress.history(exercise.id))
        else:
            panel.show_idle(self._progress.get(exercise.id), watching=self.watching,
                            history=self.workspace.progress.history(exercise.id))
        if self._grading == exercise.id:
            panel.show_checking(exercise.file, "manual")
        self._refresh_hints()

    def open_exercise(self, exercise_id: str) -> None:
        """Show an exercise, remember it as the current one, and watch its file."""
        exercise = next((e for e in self.exercises if e.id == exercise_id), None)
        if exercise is None:
            return
        changed = self.exercise is None or self.exercise.id != exercise.id
        if changed:
            self.flush_editor()
        self.exercise = exercise
        if changed and exercise.id != self._saved_current:  # no write (and fsync) to restore the same one
            self.workspace.set_current(exercise.id)
            self._saved_current = exercise.id
        self.query_one(CourseTree).set_current(exercise.id)
        self._render_exercise()
        first = changed and not self._started
        if first:
            # The first screen shows the instructions: fill the editor (tree-sitter and all) and start the
            # file watcher (watchfiles, anyio, a thread) right after it is drawn.
            self._started = True
            self.call_after_refresh(self._load_file)
        elif changed:
            self._load_file()
        if changed:
            self.query_one("#report", VerticalScroll).scroll_home(animate=False)
            if first:
                self.call_after_refresh(self._restart_watch)
            else:
                self._restart_watch()

    def _load_file(self) -> None:
        """Put the learner's file in the editor (recovering a draft) or, for a quiz, in the form."""
        exercise = self.exercise
        if exercise is None:
            return
        path = self.workspace.file_for(exercise)
        quiz = exercise.kind == "quiz"
        self.editor.set_class(quiz, "hidden")
        self.quiz.set_class(not quiz, "hidden")
        self.query_one("#tabs", TabbedContent).get_tab("tab-code").label = "Quiz" if quiz else "Your code"
        if quiz:
            self.run_worker(self._load_quiz(path), group="quiz", exclusive=True)
            return
        notice = self.editor.open(path, exercise.file, self.drafts, backup=self.workspace.backup)
        if notice is not None:
            conflict = self.editor.conflict
            self.notify(notice, title="Two versions kept" if conflict else "Nothing lost",
                        severity="warning" if conflict else "information", timeout=20)
            self.query_one("#tabs", TabbedContent).active = "tab-code"

    async def _load_quiz(self, path: Path) -> None:
        await self.quiz.load(path)
        result = self._results.get(self.exercise.id) if self.exercise is not None else None
        if result is None and self.exercise is not None and self._progress.get(self.exercise.id) is not None:
            result = self.workspace.progress.last_result(self.exercise.id)
        self.quiz.show_feedback(result.checks if result is not None else None)

    def _step(self, delta: int) -> None:
        if self.exercise is None:
            return
        index = self.exercises.index(self.exercise) + delta
        if not 0 <= index < len(self.exercises):
            self.notify("This is the last exercise." if delta > 0 else "This is the first exercise.")
            return
        self.open_exercise(self.exercises[index].id)

    # -- grading -------------------------------------------------------------------------------

    def request_check(self, reason: str = "manual") -> None:
        """Check the current exercise; while a check runs, queue one more (saves coalesce)."""
        exercise = self.exercise
        if exercise is None:
            return
        self.flush_editor()
        if self._grading is not None:
            self._pending = (exercise.id, reason)
            self.query_one(ResultsPanel).show_checking(exercise.file, reason)
            return
        self._grading = exercise.id
        self._check_reason = reason
        self._check_started = time.monotonic()
        self.query_one(ResultsPanel).show_checking(exercise.file, reason)
        self._refresh_summary()
        if self._check_timer is not None:
            self._check_timer.stop()
        self._check_timer = self.set_interval(0.5, self._tick_check, name="check-progress")
        self.refresh_bindings()
        self._grade(exercise)

    def _tick_check(self) -> None:
        """While a check runs: how long it has taken, and why a first check can be slow."""
        exercise = self.exercise
        if self._grading is None or exercise is None or exercise.id != self._grading:
            return
        elapsed = time.monotonic() - self._check_started
        note = ""
        if elapsed >= 1.0 and {"numba", "cuda"} & set(exercise.targets):
            note = ("Numba compiles your kernels on the first check (a few seconds; later checks reuse the "
                    "compiled code)" + (", and the CUDA simulator is slow" if "cuda" in exercise.targets else ""))
        elif elapsed >= 1.5:
            note = "the first check of a session also starts Python and NumPy in a fresh process"
        self.query_one(ResultsPanel).show_checking(exercise.file, self._check_reason, elapsed=elapsed, note=note)

    def _check_done(self) -> None:
        self._grading = None
        if self._check_timer is not None:
            self._check_timer.stop()
            self._check_timer = None

    @work(thread=True, exclusive=True, group="grade", exit_on_error=False, description="grade")
    def _grade(self, exercise: Exercise) -> None:
        """Runs in a worker thread; the grade call itself runs in a daemon thread it waits on.

        The grade call blocks for as long as the learner's code runs and cannot be interrupted
        from here, so when the worker is cancelled (k, or the learner quits) it stops waiting at once;
        the learner's process is killed by action_cancel_check, and nothing is recorded.
        """
        worker = get_current_worker()
        outcome: dict[str, object] = {}
        done = threading.Event()
        own_grader = self._grade_fn is None

        def grade_now() -> None:
            try:
                grade = self._grade_fn or self._own_grader()
                outcome["result"] = grade(self.workspace, exercise)
            except Exception:
                outcome["failure"] = traceback.format_exc()
            finally:
                done.set()

        threading.Thread(target=grade_now, name=f"grade-{exercise.id}", daemon=True).start()
        while not done.wait(0.05):
            if worker.is_cancelled:
                return
        if worker.is_cancelled:
            return
        result = outcome.get("result")
        failure = outcome.get("failure")
        if result is not None and not isinstance(result, ExerciseResult):
            result, failure = None, f"The grade function returned {type(result).__name__}, not an ExerciseResult."
        if own_grader and isinstance(result, ExerciseResult) and self.workspace.has_marker:
            self.workspace.progress.record(result)
        self.post_message(GradeFinished(exercise.id, result, failure))  # type: ignore[arg-type]

    def _own_grader(self) -> GradeFn:
        """The course's exercises are graded in a separate, reused grading process (the screen never waits
        for the GIL); a workspace on another catalog (tests, tools) is graded in a thread of this process."""
        from grader.catalog import default_catalog

        if self.workspace.catalog is not default_catalog():
            return _default_grade_fn()
        if self._grade_process is None:
            from tutor.grading import GradeProcess

            self._grade_process = GradeProcess(self.workspace.root)
        return self._grade_process

    def _stop_grade_process(self) -> None:
        process = self._grade_process
        if process is not None:
            threading.Thread(target=process.stop, name="stop-grading", daemon=True).start()

    def action_cancel_check(self) -> None:
        if self._grading is None:
            self.notify("No check is running.")
            return
        self.workers.cancel_group(self, "grade")
        self._stop_grade_process()  # ends the learner's process too: the check stops there
        if self._grade_fn is None and "grader.sandbox" in sys.modules:
            sys.modules["grader.sandbox"].kill_all()  # a check running in this process
        self._pending = None
        self._check_done()
        self._refresh_summary()
        if self.exercise is not None:
            self.query_one(ResultsPanel).show_cancelled()
        self.notify("Check cancelled; nothing was recorded. c checks again.")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "cancel_check":
            return self._grading is not None  # shown in the footer only while a check runs
        return True

    @on(GradeFinished)
    def _grade_finished(self, message: GradeFinished) -> None:
        self._check_done()
        exercise = next((e for e in self.exercises if e.id == message.exercise_id), None)
        if message.result is not None:
            self._results[message.exercise_id] = message.result
        # The attempt was recorded; re-read just this exercise (a query, not one per exercise).
        self._progress[message.exercise_id] = self.workspace.progress.get(message.exercise_id)
        self.query_one(CourseTree).set_progress(self._progress)
        self._refresh_summary()
        self.refresh_bindings()
        current = self.exercise is not None and self.exercise.id == message.exercise_id
        if current and message.failure is not None:
            self.query_one(ResultsPanel).show_internal_error(message.failure)
        elif current:
            self._render_exercise()
            self.query_one("#report", VerticalScroll).scroll_home(animate=False)
            if exercise is not None and exercise.kind == "quiz" and message.result is not None:
                self.quiz.show_feedback(message.result.checks)
        if message.result is not None and message.result.passed and exercise is not None:
            self._announce_pass(exercise)
        if self._pending is not None:
            exercise_id, reason = self._pending
            self._pending = None
            if self.exercise is not None and self.exercise.id == exercise_id:
                self.request_check(reason)

    def _announce_pass(self, exercise: Exercise) -> None:
        """Say it passed and where to go; never move on by itself (learners found that confusing)."""
        open_ = [e for e in self.exercises if not ((p := self._progress.get(e.id)) is not None and p.passed)]
        if not open_:
            hint = "Every exercise in the course passes now. Well done!"
        elif exercise is self.exercises[-1]:
            hint = f"That was the last one in the list; {len(open_)} still open (marked ✗ or ·)."
        else:
            hint = "Press n for the next exercise (s shows the reference solution)."
        self.notify(hint, title=f"✓ {exercise.title} passed", timeout=8)

    # -- watching ------------------------------------------------------------------------------

    def _stop_watch(self) -> None:
        if self._watch_stop is not None:
            self._watch_stop.set()  # lets the watchfiles thread return at its next step
            self._watch_stop = None
        self.workers.cancel_group(self, "watch")

    def _restart_watch(self) -> None:
        self._stop_watch()
        if self.watching and self.exercise is not None:
            self._watch_stop = asyncio.Event()
            self._watch(self.workspace.file_for(self.exercise), self._watch_stop)

    def _file_saved(self, path: Path) -> None:
        """The learner's file changed on disk. The tutor's own saves are recognised by their content and
        ignored (no reload loop); an edit made elsewhere reloads the editor (or the quiz form) when it
        holds no unsaved edits, and is checked; with unsaved edits, both versions are kept (a conflict)."""
        exercise = self.exercise
        if exercise is None or self.workspace.file_for(exercise) != path or not path.exists():
            return
        if exercise.kind == "quiz":
            text = read_text(path)
            if self._quiz_written.get(path) == digest(text):
                return
            self._quiz_written[path] = digest(text)
            self.run_worker(self._load_quiz(path), group="quiz", exclusive=True)
            self.request_check("saved")
            return
        outcome = self.editor.disk_changed()
        if outcome == "reloaded":
            self.request_check("saved")

    @work(exclusive=True, group="watch", exit_on_error=False, description="watch")
    async def _watch(self, path: Path, stop: asyncio.Event) -> None:
        folder = path.parent
        if not self._force_poll and folder.is_dir():
            try:
                from watchfiles import awatch

                def only_this_file(_change: object, changed: str) -> bool:
                    return Path(changed) == path

                self.watch_backend = "watchfiles"
                async for _changes in awatch(
                    folder, watch_filter=only_this_file, debounce=max(1, int(self._debounce * 1000)), step=50,
                    stop_event=stop, recursive=False, rust_timeout=1000, ignore_permission_denied=True,
                ):
                    if stop.is_set():
                        return
                    self._file_saved(path)
                return
            except Exception as exc:  # no inotify watches left, unsupported file system, ...
                if stop.is_set():
                    return
                self.notify(
                    f"Could not watch {display_path(folder)} ({exc}). Checking for saves every "
                    f"{self._poll_interval:g} s instead.", severity="warning", timeout=8,
                )
        self.watch_backend = "polling"
        await self._poll(path, stop)

    @staticmethod
    def _stamp(path: Path) -> tuple[int, int, str] | None:
        try:
            stat = path.stat()
            digest = hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest() if stat.st_size < 4 << 20 else ""
        except OSError:
            return None
        return stat.st_mtime_ns, stat.st_size, digest

    async def _poll(self, path: Path, stop: asyncio.Event) -> None:
        """The fallback for file systems without change events (network drives, some WSL mounts)."""
        last = self._stamp(path)
        while not stop.is_set():
            await asyncio.sleep(self._poll_interval)
            now = self._stamp(path)
            if now != last:
                last = now
                if now is not None:
                    self._file_saved(path)

    # -- actions -------------------------------------------------------------------------------

    def action_check(self) -> None:
        if self.exercise is None:
            self.notify("There is no exercise to check.", severity="warning")
            return
        if self.exercise.kind == "quiz" and not self.quiz.has_class("hidden") and self.quiz.questions:
            self._save_quiz()
        self.request_check("manual")

    def _save_quiz(self) -> None:
        path = self.quiz.path
        if path is not None and self.quiz.save(notify=False):
            self._quiz_written[path] = digest(read_text(path))

    @on(CodeEditor.Saved)
    def _editor_saved(self, message: CodeEditor.Saved) -> None:
        if message.check:
            self.request_check("manual")

    @on(QuizForm.Saved)
    def _quiz_saved(self, message: QuizForm.Saved) -> None:
        self._quiz_written[message.path] = digest(read_text(message.path))
        if message.check:
            self.request_check("manual")

    def action_code(self) -> None:
        if self.exercise is None:
            return
        self.query_one("#tabs", TabbedContent).active = "tab-code"
        if self._zoom == "report":
            self._zoom = ""
            self.layout_report()
        if self.exercise.kind == "quiz":
            fields = self.quiz.query("Input, RadioSet")
            target = fields.first() if fields else self.quiz
        else:
            target = self.editor.area
            self.set_editing(True)  # in the same layout pass as the tab switch, not one refresh later
        self.call_after_refresh(target.focus)

    def action_instructions(self) -> None:
        self.set_editing(False)
        self.query_one("#tabs", TabbedContent).active = "tab-instructions"
        self.query_one("#instructions-scroll").focus()

    def current_result(self) -> ExerciseResult | None:
        if self.exercise is None:
            return None
        result = self._results.get(self.exercise.id)
        if result is None and self._progress.get(self.exercise.id) is not None:
            result = self.workspace.progress.last_result(self.exercise.id)
        return result

    def action_details(self) -> None:
        result = self.current_result()
        if result is None:
            self.notify("No check has run for this exercise yet: press c first.")
            return
        from tutor.screens.details import DetailsScreen  # screens load when first opened: a faster start

        self.push_screen(DetailsScreen(result))

    def continue_id(self) -> str | None:
        """Where the learner left off: the current exercise if not passed, else the first one not passed."""
        current = self.exercise.id if self.exercise is not None else self.workspace.current_exercise_id
        progress = self._progress.get(current or "")
        if current and (progress is None or not progress.passed):
            return current
        after = [e for e in self.exercises if not ((p := self._progress.get(e.id)) is not None and p.passed)]
        return after[0].id if after else current

    def action_course_map(self) -> None:
        from tutor.screens.course_map import CourseMapScreen

        def chosen(exercise_id: str | None) -> None:
            if exercise_id:
                self.open_exercise(exercise_id)

        self.push_screen(CourseMapScreen(self.exercises, self._progress, self.continue_id()), chosen)

    def action_continue(self) -> None:
        target = self.continue_id()
        if target:
            self.open_exercise(target)

    def action_stats(self) -> None:
        from tutor.screens.stats import StatsScreen

        progress = self.workspace.progress
        self.push_screen(StatsScreen(self.exercises, progress.stats(), progress.recent(15)))

    def action_next(self) -> None:
        self._step(+1)

    def action_previous(self) -> None:
        self._step(-1)

    async def action_hint(self) -> None:
        exercise = self.exercise
        if exercise is None:
            return
        hints, _ = self.hint_order(exercise)
        seen = self.workspace.progress.hints_seen(exercise.id)
        if not hints:
            self.notify("This exercise has no hints.")
            return
        if seen >= len(hints):
            self.notify(f"All {len(hints)} hints are already shown below. The notes' section "
                        f"{exercise.section} is the next place to look.")
        else:
            self.workspace.progress.set_hints_seen(exercise.id, seen + 1)
        rendering = self._refresh_hints()
        if rendering is not None:
            await rendering
        # The hints are the last panel of the report and the newest hint is their last line: show it.
        self.call_after_refresh(self.query_one("#report", VerticalScroll).scroll_end, animate=False)

    def action_toggle_watch(self) -> None:
        self.watching = not self.watching
        self._restart_watch()
        self._refresh_summary()
        if self.exercise is not None and self.exercise.id not in self._results and self._grading is None:
            self.query_one(ResultsPanel).show_idle(self._progress.get(self.exercise.id), watching=self.watching)
        self.notify("Watch mode on: every save is checked." if self.watching
                    else "Watch mode off: press c to check.")

    def action_edit(self) -> None:
        exercise = self.exercise
        if exercise is None:
            return
        path = self.workspace.file_for(exercise)
        editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
        if not editor:
            self.notify(
                f"Set $EDITOR (for example `export EDITOR=nano`, or `EDITOR='code --wait'`) and restart, "
                f"or open {display_path(path)} in any editor: with watch mode on, each save is checked.",
                title="No editor set", severity="warning", timeout=12,
            )
            return
        self.flush_editor()
        try:
            with self.suspend():
                returncode = subprocess.call([*shlex.split(editor), str(path)])
        except SuspendNotSupported:
            self.notify(f"This terminal cannot hand over to {editor}; open {display_path(path)} yourself.",
                        severity="warning", timeout=10)
            return
        except (OSError, ValueError) as exc:
            self.notify(f"Could not start the editor {editor!r}: {exc}", severity="error", timeout=10)
            return
        if returncode:
            self.notify(f"{editor} exited with status {returncode}.", severity="warning")
        self._render_exercise()
        self._file_saved(path)  # reload what the editor wrote (and check it), as a watched save would

    def action_solution(self) -> None:
        exercise = self.exercise
        if exercise is None:
            return
        if not self.workspace.progress.get(exercise.id).passed:
            self.notify(
                "The reference solution unlocks once your code passes: it teaches far more after you "
                "have solved it yourself. Press h for a hint.",
                title="Solution locked", severity="warning", timeout=8,
            )
            return
        try:
            path = exercise.solution_path
            code = path.read_text(encoding="utf-8")
        except (OSError, ValueError):
            self.notify("No reference solution ships with this exercise.", severity="warning")
            return
        from tutor.screens.solution import SolutionScreen

        self.push_screen(SolutionScreen(exercise.title, display_path(path), code, path.suffix))

    def action_reset(self) -> None:
        exercise = self.exercise
        if exercise is None:
            return
        from tutor.screens.confirm_reset import ConfirmResetScreen

        self.flush_editor()
        screen = ConfirmResetScreen(exercise.title, self.file_label(exercise),
                                    display_path(self.workspace.backups_dir) + "/")
        self.push_screen(screen, partial(self._reset_confirmed, exercise))

    def _reset_confirmed(self, exercise: Exercise, confirmed: bool | None) -> None:
        if not confirmed:
            self.notify("Reset cancelled: your file is unchanged.")
            return
        try:
            backup = self.workspace.reset(exercise)
        except OSError as exc:
            self.notify(f"Could not reset: {exc}", severity="error", timeout=10)
            return
        self._results.pop(exercise.id, None)
        self.drafts.discard(exercise.file)
        if self.exercise is exercise:
            self._render_exercise()
            self._load_file()
        where = f"Your version was saved to {display_path(backup)}." if backup else "There was no file to back up."
        self.notify(f"The starter is back in {self.file_label(exercise)}. {where}", title="Reset", timeout=12)

    ZOOMS = ("", "instructions", "report")

    def action_zoom(self) -> None:
        """Small terminals: give the whole right side to the exercise, then to the results, then share it."""
        self._zoom = self.ZOOMS[(self.ZOOMS.index(self._zoom) + 1) % len(self.ZOOMS)]
        self.layout_report()

    def set_editing(self, editing: bool) -> None:
        """While the editor has the focus, the results give it more room."""
        if editing != self._editing:
            self._editing = editing
            self.layout_report()

    def layout_report(self) -> None:
        # Inline styles on the two panes, not classes on their parent: a class on #main would restyle every
        # widget below it (hundreds with a long exercise) on each toggle.
        report = self.query_one("#report", VerticalScroll)
        exercise = self.query_one("#exercise", ExerciseView)
        exercise.display = self._zoom != "report"
        report.display = self._zoom != "instructions"
        report.styles.height = "1fr" if self._zoom == "report" else "auto"
        report.styles.max_height = "100%" if self._zoom == "report" else "30%" if self._editing else "45%"

    def action_help(self) -> None:
        from tutor.screens.help import HelpScreen

        self.push_screen(HelpScreen(self.KEY_HELP))

    def action_search(self) -> None:
        self.screen.add_class("-sidebar")  # a narrow terminal shows the course list while searching
        self.query_one("#search", Input).focus()

    def action_leave_search(self) -> None:
        search = self.query_one("#search", Input)
        focused = self.focused
        if focused is not None and not search.has_focus and (focused is self.editor.area or
                                                              focused in self.quiz.query("*")):
            self.query_one(CourseTree).focus()  # leave the editor: single keys are commands again
            return
        self.screen.remove_class("-sidebar")
        if search.has_focus and search.value:
            search.value = ""
        elif search.has_focus:
            self.query_one(CourseTree).focus()

    async def action_quit(self) -> None:
        self.flush_editor()
        self._stop_watch()
        self.exit()

    # -- events --------------------------------------------------------------------------------

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        self.query_one(CourseTree).filter(event.value)

    @on(Input.Submitted, "#search")
    def _search_submitted(self) -> None:
        tree = self.query_one(CourseTree)
        visible = tree.visible_ids()
        if len(visible) == 1:
            self.open_exercise(visible[0])
        tree.focus()

    @on(Tree.NodeSelected, "#course")
    def _exercise_selected(self, event: Tree.NodeSelected[str]) -> None:
        if event.node.data:
            self.screen.remove_class("-sidebar")
            self.open_exercise(event.node.data)


def run(workspace: Workspace, **kwargs) -> None:
    """Convenience for the CLI: `tutor.app.run(ws)` is `GradschoolApp(ws).run()`."""
    GradschoolApp(workspace, **kwargs).run()


__all__ = ["GradeFinished", "GradschoolApp", "display_path", "run"]
