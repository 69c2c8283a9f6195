"""The course catalog: every exercise folder under exercises/, read from its exercise.toml.

An exercise folder holds exercise.toml (metadata), README.md (instructions), the starter file
(named like the workspace file), checks.py (trusted, runs in the grading process) and
optionally probe.py (runs in the learner's process) and support/ (files copied into the
workspace beside the learner's file). The reference solution sits at the same relative path
under solutions/.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path, PurePosixPath

from grader.paths import EXERCISES_DIR, SOLUTIONS_DIR

KINDS = ("code", "quiz")
TARGETS = ("numpy", "numba", "cuda")


class CatalogError(Exception):
    """An exercise folder is malformed: its message names the folder and the field."""


@dataclass(frozen=True)
class Hint:
    text: str
    on: tuple[str, ...] = ()  # diagnosis codes for which this hint is offered first


@dataclass(frozen=True)
class Exercise:
    id: str
    title: str
    chapter: int
    section: str
    kind: str
    targets: tuple[str, ...]
    points: float
    file: str  # the learner's file, relative to a workspace (POSIX form)
    hints: tuple[Hint, ...]
    time_limit: float
    memory_mb: int
    dir: Path
    order: int
    catalog_root: Path = EXERCISES_DIR
    solutions_root: Path = SOLUTIONS_DIR
    summary: str = ""
    probes: tuple[str, ...] = ()  # files run in the learner's process, relative to the folder
    depends_on: tuple[str, ...] = field(default=())

    @property
    def rel_dir(self) -> Path:
        return self.dir.relative_to(self.catalog_root)

    @property
    def file_name(self) -> str:
        return PurePosixPath(self.file).name

    @property
    def starter_path(self) -> Path:
        return self.dir / self.file_name

    @property
    def solution_path(self) -> Path:
        return self.solutions_root / self.rel_dir / self.file_name

    @property
    def instructions_path(self) -> Path:
        return self.dir / "README.md"

    @property
    def checks_path(self) -> Path:
        return self.dir / "checks.py"

    @property
    def probe_paths(self) -> list[Path]:
        """probe files (exercise.toml `probes`, else probe.py if present), shared ones first."""
        if self.probes:
            return [(self.dir / p).resolve() for p in self.probes]
        local = self.dir / "probe.py"
        return [local] if local.is_file() else []

    @property
    def support_dir(self) -> Path:
        return self.dir / "support"

    @property
    def import_root(self) -> str:
        """The workspace folder put on the learner process's sys.path: the file's first component."""
        return PurePosixPath(self.file).parts[0]

    @property
    def module(self) -> str:
        """The learner file's module name, relative to its import root (e.g. edf.affine)."""
        parts = PurePosixPath(self.file).with_suffix("").parts[1:]
        return ".".join(parts)

    def instructions(self) -> str:
        return self.instructions_path.read_text(encoding="utf-8")

    @property
    def part(self) -> str:
        """The course part (chapter folder) this exercise belongs to, e.g. 01-computation-graphs."""
        return self.dir.parent.name

    def part_number(self) -> int:
        prefix = self.part.split("-", 1)[0]
        return int(prefix) if prefix.isdigit() else 0

    def chapter_title(self) -> str:
        """The course part's title: `title` in the part folder's part.toml, else made from the folder name."""
        return part_title(self.dir.parent)


@cache
def part_title(part_dir: Path) -> str:
    meta = part_dir / "part.toml"
    try:
        title = tomllib.loads(meta.read_text(encoding="utf-8")).get("title")
    except (OSError, tomllib.TOMLDecodeError):
        title = None
    if isinstance(title, str) and title.strip():
        return title.strip()
    return part_dir.name.split("-", 1)[-1].replace("-", " ").capitalize()


def _require(data: dict, key: str, kind: type | tuple[type, ...], where: Path):
    if key not in data:
        raise CatalogError(f"{where}: missing required field '{key}'")
    value = data[key]
    if not isinstance(value, kind):
        raise CatalogError(f"{where}: field '{key}' has the wrong type ({type(value).__name__})")
    return value


def load_exercise(folder: Path, order: int, catalog_root: Path = EXERCISES_DIR,
                  solutions_root: Path = SOLUTIONS_DIR) -> Exercise:
    meta_path = folder / "exercise.toml"
    try:
        data = tomllib.loads(meta_path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise CatalogError(f"{meta_path}: not valid TOML: {exc}") from exc
    kind = _require(data, "kind", str, meta_path)
    if kind not in KINDS:
        raise CatalogError(f"{meta_path}: kind must be one of {KINDS}, not {kind!r}")
    targets = tuple(data.get("targets", ["numpy"]))
    for target in targets:
        if target not in TARGETS:
            raise CatalogError(f"{meta_path}: unknown target {target!r}; use {TARGETS}")
    hints = []
    for raw in _require(data, "hints", list, meta_path):
        if isinstance(raw, str):
            hints.append(Hint(raw))
        else:
            hints.append(Hint(str(raw["text"]), tuple(raw.get("on", ()))))
    if len(hints) < 2:
        raise CatalogError(f"{meta_path}: every exercise needs at least two hints")
    file = _require(data, "file", str, meta_path)
    if len(PurePosixPath(file).parts) < 2 or ".." in PurePosixPath(file).parts:
        raise CatalogError(f"{meta_path}: file must look like 'folder/name.py', inside the workspace")
    exercise = Exercise(
        id=_require(data, "id", str, meta_path),
        title=_require(data, "title", str, meta_path),
        chapter=_require(data, "chapter", int, meta_path),
        section=str(_require(data, "section", (str, int, float), meta_path)),
        kind=kind,
        targets=targets,
        points=float(_require(data, "points", (int, float), meta_path)),
        file=file,
        hints=tuple(hints),
        time_limit=float(data.get("time_limit", 20)),
        memory_mb=int(data.get("memory_mb", 3072)),
        dir=folder,
        order=order,
        catalog_root=catalog_root,
        solutions_root=solutions_root,
        summary=str(data.get("summary", "")),
        probes=tuple(data.get("probes", ())),
        depends_on=tuple(data.get("depends_on", ())),
    )
    for needed in (exercise.starter_path, exercise.instructions_path, exercise.checks_path,
                   *exercise.probe_paths):
        if not needed.is_file():
            raise CatalogError(f"{folder}: missing {needed.name}")
    return exercise


@dataclass(frozen=True)
class Catalog:
    exercises: tuple[Exercise, ...]
    errors: tuple[str, ...] = ()  # folders skipped because they are malformed (non-strict loading)

    def __iter__(self):
        return iter(self.exercises)

    def __len__(self) -> int:
        return len(self.exercises)

    def get(self, exercise_id: str) -> Exercise:
        for exercise in self.exercises:
            if exercise.id == exercise_id:
                return exercise
        raise KeyError(exercise_id)

    def select(self, ids: list[str] | None) -> list[Exercise]:
        """The exercises named by ids (all when empty), in course order; unknown ids raise KeyError."""
        if not ids:
            return list(self.exercises)
        unknown = [i for i in ids if i not in {e.id for e in self.exercises}]
        if unknown:
            raise KeyError(", ".join(unknown))
        wanted = set(ids)
        return [e for e in self.exercises if e.id in wanted]


def load_catalog(root: Path = EXERCISES_DIR, solutions_root: Path | None = None, *,
                 strict: bool = True) -> Catalog:
    """Every exercise folder (one holding exercise.toml), ordered by folder name.

    Solutions sit at the matching paths under solutions_root (default: a `solutions` folder beside root).
    strict: a malformed folder raises CatalogError; otherwise it is skipped and named in `errors`,
    so one broken exercise does not take the whole course down for learners.
    """
    solutions_root = solutions_root or (SOLUTIONS_DIR if root == EXERCISES_DIR else root.parent / "solutions")
    folders = sorted(p.parent for p in root.glob("*/*/exercise.toml"))
    exercises: list[Exercise] = []
    errors: list[str] = []
    ids: dict[str, Path] = {}
    files: dict[str, Path] = {}
    for order, folder in enumerate(folders):
        try:
            exercise = load_exercise(folder, order, root, solutions_root)
            if exercise.id in ids:
                raise CatalogError(f"duplicate exercise id {exercise.id!r} in {ids[exercise.id]} and {folder}")
            if exercise.file in files:
                raise CatalogError(f"{folder} and {files[exercise.file]} share the learner file {exercise.file}")
        except (CatalogError, OSError) as exc:
            if strict:
                raise
            errors.append(str(exc))
            continue
        ids[exercise.id] = folder
        files[exercise.file] = folder
        exercises.append(exercise)
    return Catalog(tuple(exercises), tuple(errors))


@cache
def default_catalog() -> Catalog:
    return load_catalog(strict=False)
