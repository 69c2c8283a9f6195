"""A learner's progress, kept in a real SQLite file inside the workspace.

Every graded attempt is appended (never overwritten), so history survives crashes and
concurrent writers (the TUI and a `gradschool grade` in another terminal).
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from grader.results import ExerciseResult

SCHEMA = """
CREATE TABLE IF NOT EXISTS attempts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    exercise_id TEXT NOT NULL,
    graded_at REAL NOT NULL,
    score REAL NOT NULL,
    max_score REAL NOT NULL,
    passed INTEGER NOT NULL,
    status TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    result_json TEXT
);
CREATE INDEX IF NOT EXISTS attempts_by_exercise ON attempts (exercise_id, graded_at);
CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS hints_seen (exercise_id TEXT PRIMARY KEY, count INTEGER NOT NULL);
"""


@dataclass(frozen=True)
class ExerciseStats:
    """What the stats screen shows per exercise."""

    exercise_id: str
    attempts: int
    best_score: float
    max_score: float
    first_at: float | None
    last_at: float | None
    passed_at: float | None  # the first passing attempt
    attempts_to_pass: int | None  # attempts up to and including the first pass
    hints_seen: int


@dataclass(frozen=True)
class Attempt:
    exercise_id: str
    graded_at: float
    score: float
    max_score: float
    passed: bool
    status: str
    summary: str


@dataclass(frozen=True)
class ExerciseProgress:
    exercise_id: str
    attempts: int
    best_score: float
    max_score: float
    passed: bool  # passed at least once
    last_status: str
    last_graded_at: float | None


class ProgressStore:
    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.executescript(SCHEMA)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=10)
        # No fsync per commit: an app crash or a kill loses nothing (only a power cut could lose the last
        # attempt), and the tutor's writes (the current exercise, hints) stay off the screen's critical path.
        db.execute("PRAGMA synchronous = NORMAL")
        try:
            with db:  # commits on success, rolls back on error
                yield db
        finally:
            db.close()

    def record(self, result: ExerciseResult, graded_at: float | None = None) -> None:
        failed = [c.name for c in result.checks if not c.passed]
        summary = result.error or ("; ".join(failed[:3]) if failed else "all checks passed")
        with self._connect() as db:
            db.execute(
                "INSERT INTO attempts (exercise_id, graded_at, score, max_score, passed, status, summary,"
                " result_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (result.id, time.time() if graded_at is None else graded_at, result.score, result.max_score,
                 int(result.passed), result.status,
                 summary[:500], json.dumps(result.to_dict())),
            )

    # One row per exercise: totals, and the status of its latest attempt (highest id).
    _SUMMARY = (
        "SELECT a.exercise_id, COUNT(*), MAX(a.score), MAX(a.max_score), MAX(a.passed), MAX(a.graded_at),"
        " (SELECT status FROM attempts l WHERE l.exercise_id = a.exercise_id ORDER BY l.id DESC LIMIT 1)"
        " FROM attempts a"
    )

    @staticmethod
    def _progress(row: tuple) -> ExerciseProgress:
        exercise_id, count, best, max_score, passed, last_at, last_status = row
        return ExerciseProgress(exercise_id, count or 0, best or 0.0, max_score or 0.0, bool(passed),
                                last_status or "not_started", last_at)

    def get(self, exercise_id: str) -> ExerciseProgress:
        with self._connect() as db:
            row = db.execute(self._SUMMARY + " WHERE a.exercise_id = ?", (exercise_id,)).fetchone()
        return self._progress((exercise_id, *row[1:]))

    def all(self) -> dict[str, ExerciseProgress]:
        with self._connect() as db:
            rows = db.execute(self._SUMMARY + " GROUP BY a.exercise_id").fetchall()
        return {row[0]: self._progress(row) for row in rows}

    def last_result(self, exercise_id: str) -> ExerciseResult | None:
        """The full result of the latest attempt, so the tutor can redraw it after a restart."""
        with self._connect() as db:
            row = db.execute(
                "SELECT result_json FROM attempts WHERE exercise_id = ? ORDER BY id DESC LIMIT 1", (exercise_id,)
            ).fetchone()
        if not row or not row[0]:
            return None
        try:
            return ExerciseResult.from_dict(json.loads(row[0]))
        except (ValueError, TypeError):
            return None

    def history(self, exercise_id: str, limit: int = 20) -> list[tuple[float, float, float, bool]]:
        """(graded_at, score, max_score, passed) of the latest attempts, oldest first."""
        with self._connect() as db:
            rows = db.execute(
                "SELECT graded_at, score, max_score, passed FROM attempts WHERE exercise_id = ?"
                " ORDER BY id DESC LIMIT ?",
                (exercise_id, limit),
            ).fetchall()
        return [(t, s, m, bool(p)) for t, s, m, p in reversed(rows)]

    def get_state(self, key: str, default: str | None = None) -> str | None:
        with self._connect() as db:
            row = db.execute("SELECT value FROM state WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def set_state(self, key: str, value: str) -> None:
        with self._connect() as db:
            db.execute("INSERT OR REPLACE INTO state (key, value) VALUES (?, ?)", (key, value))

    def hints_seen(self, exercise_id: str) -> int:
        with self._connect() as db:
            row = db.execute("SELECT count FROM hints_seen WHERE exercise_id = ?", (exercise_id,)).fetchone()
        return row[0] if row else 0

    def set_hints_seen(self, exercise_id: str, count: int) -> None:
        with self._connect() as db:
            db.execute("INSERT OR REPLACE INTO hints_seen (exercise_id, count) VALUES (?, ?)", (exercise_id, count))

    def stats(self) -> dict[str, ExerciseStats]:
        """Per exercise with any attempt or hint: attempts, best score, first/last/first-pass times, hints."""
        with self._connect() as db:
            rows = db.execute(
                "SELECT a.exercise_id, COUNT(*), MAX(a.score), MAX(a.max_score), MIN(a.graded_at), MAX(a.graded_at),"
                " (SELECT MIN(p.graded_at) FROM attempts p WHERE p.exercise_id = a.exercise_id AND p.passed),"
                " (SELECT COUNT(*) FROM attempts q WHERE q.exercise_id = a.exercise_id AND q.id <="
                "   (SELECT MIN(r.id) FROM attempts r WHERE r.exercise_id = a.exercise_id AND r.passed))"
                " FROM attempts a GROUP BY a.exercise_id"
            ).fetchall()
            hints = dict(db.execute("SELECT exercise_id, count FROM hints_seen").fetchall())
        out = {}
        for exercise_id, count, best, max_score, first, last, passed_at, to_pass in rows:
            out[exercise_id] = ExerciseStats(exercise_id, count, best or 0.0, max_score or 0.0, first, last,
                                             passed_at, to_pass if passed_at is not None else None,
                                             hints.get(exercise_id, 0))
        for exercise_id, count in hints.items():
            if exercise_id not in out:
                out[exercise_id] = ExerciseStats(exercise_id, 0, 0.0, 0.0, None, None, None, None, count)
        return out

    def recent(self, limit: int = 20) -> list[Attempt]:
        """The latest attempts over all exercises, newest first."""
        with self._connect() as db:
            rows = db.execute(
                "SELECT exercise_id, graded_at, score, max_score, passed, status, summary FROM attempts"
                " ORDER BY id DESC LIMIT ?", (limit,)
            ).fetchall()
        return [Attempt(e, t, s, m, bool(p), st, su) for e, t, s, m, p, st, su in rows]
