"""A learner's workspace: their own copies of the starter files, plus their progress.

Layout:
    <root>/.gradschool/workspace.toml   marker and format version
    <root>/.gradschool/progress.sqlite  attempts, hints seen, current exercise
    <root>/.gradschool/backups/         every file a reset replaced, time-stamped
    <root>/<exercise.file>              the learner's files (e.g. graphs/sigmoid.py)

Shipped files are only ever copied, never edited in place; a learner's file is never
overwritten without a backup.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterable
from functools import cached_property
from pathlib import Path

from grader.catalog import Catalog, Exercise, default_catalog
from grader.paths import default_workspace_dir
from grader.progress import ProgressStore

MARKER_DIR = ".gradschool"
MARKER_FILE = "workspace.toml"
FORMAT_VERSION = 1


class WorkspaceError(Exception):
    """A workspace is missing or unusable; the message says what to do."""


def is_workspace(path: Path) -> bool:
    return (path / MARKER_DIR / MARKER_FILE).is_file()


class Workspace:
    def __init__(self, root: Path, catalog: Catalog | None = None, *, require_marker: bool = True) -> None:
        self.root = root.resolve()
        self.catalog = catalog if catalog is not None else default_catalog()
        if require_marker and not is_workspace(self.root):
            raise WorkspaceError(
                f"{self.root} is not a gradschool workspace. Create one with `gradschool init {root}`."
            )

    @property
    def has_marker(self) -> bool:
        """False for a bare folder of learner files: progress is then not recorded."""
        return is_workspace(self.root)

    @cached_property
    def progress(self) -> ProgressStore:
        return ProgressStore(self.meta_dir / "progress.sqlite")

    @property
    def meta_dir(self) -> Path:
        return self.root / MARKER_DIR

    @property
    def backups_dir(self) -> Path:
        return self.meta_dir / "backups"

    # -- creation and lookup -------------------------------------------------------------------

    @classmethod
    def init(cls, root: Path, *, solutions: bool = False, catalog: Catalog | None = None) -> Workspace:
        """Create a workspace (or fill in what is missing in an existing one).

        Existing learner files are kept as they are: init never overwrites a learner's work.
        """
        catalog = catalog if catalog is not None else default_catalog()
        root = root.expanduser()
        if root.exists() and not root.is_dir():
            raise WorkspaceError(f"{root} exists and is not a folder; choose another path.")
        meta = root / MARKER_DIR
        meta.mkdir(parents=True, exist_ok=True)
        marker = meta / MARKER_FILE
        if not marker.exists():
            kind = "solutions" if solutions else "starters"
            marker.write_text(f'format = {FORMAT_VERSION}\ncontents = "{kind}"\ncreated = {time.time():.0f}\n')
        workspace = cls(root, catalog)
        for exercise in catalog:
            workspace.install(exercise, solutions=solutions)
        return workspace

    @classmethod
    def locate(cls, explicit: Path | None = None, *, create_default: bool = False) -> Workspace:
        """--workspace DIR if given; else the current folder (or a parent) when it is a workspace;
        else the per-user default workspace."""
        if explicit is not None:
            explicit = explicit.expanduser()
            if not explicit.is_dir():
                raise WorkspaceError(
                    f"The workspace {explicit} does not exist. Create it with `gradschool init {explicit}`."
                )
            if not is_workspace(explicit):
                # A bare submission (e.g. Gradescope's /autograder/submission): graded, never written to.
                bare = cls(explicit, require_marker=False)
                if any(bare.file_for(e).is_file() for e in bare.catalog):
                    return bare
            return cls(explicit)
        here = Path.cwd().resolve()
        for folder in (here, *here.parents):
            if is_workspace(folder):
                return cls(folder)
        default = default_workspace_dir()
        if is_workspace(default):
            return cls(default)
        if create_default:
            return cls.init(default)
        raise WorkspaceError(
            "No workspace here. Create one with `gradschool init DIR` and run from inside it, "
            "or pass --workspace DIR."
        )

    # -- files ---------------------------------------------------------------------------------

    def file_for(self, exercise: Exercise) -> Path:
        return self.root / exercise.file

    def install(self, exercise: Exercise, *, solutions: bool = False) -> None:
        """Copy the exercise's starter (or solution) and support files where they are missing."""
        target = self.file_for(exercise)
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.exists():
            source = exercise.solution_path if solutions else exercise.starter_path
            shutil.copyfile(source, target)
        self._install_support(exercise, target.parent)

    def _install_support(self, exercise: Exercise, dest: Path) -> None:
        support = exercise.support_dir
        if not support.is_dir():
            return
        for source in support.rglob("*"):
            if source.is_file() and "__pycache__" not in source.parts:
                copy = self.root / exercise.import_root / source.relative_to(support)
                if not copy.exists():
                    copy.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(source, copy)

    def backup(self, path: Path) -> Path | None:
        """Keep a time-stamped copy of a learner file before anything replaces it."""
        if not path.exists():
            return None
        stamp = time.strftime("%Y%m%d-%H%M%S")
        # nanoseconds too: two resets within a second must not overwrite the first backup
        dest = self.backups_dir / f"{path.relative_to(self.root)}.{stamp}.{time.time_ns() % 10**9:09d}"
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, dest)
        return dest

    def reset(self, exercise: Exercise) -> Path | None:
        """Put the starter back; the learner's version goes to backups/ first (returned)."""
        target = self.file_for(exercise)
        saved = self.backup(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(exercise.starter_path, target)
        self._install_support(exercise, target.parent)
        return saved

    def missing_files(self, exercises: Iterable[Exercise]) -> list[Exercise]:
        return [e for e in exercises if not self.file_for(e).is_file()]

    # -- progress ------------------------------------------------------------------------------

    @property
    def current_exercise_id(self) -> str | None:
        return self.progress.get_state("current")

    def set_current(self, exercise_id: str) -> None:
        self.progress.set_state("current", exercise_id)
