"""Grading out of the tutor's process: a long-lived grading process (tutor.grade_worker), started at the
first check and reused, so that Numba and the reference kernels are imported and compiled once per session
and never compete with the screen for the GIL. Cancelling a check ends that process (and the learner's);
the next check starts a fresh one.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import threading
from pathlib import Path

from grader.catalog import Exercise
from grader.results import ExerciseResult
from grader.workspace import Workspace


class GradeProcess:
    def __init__(self, root: Path) -> None:
        self.root = root
        self._proc: subprocess.Popen[str] | None = None
        self._lock = threading.Lock()

    def _start(self) -> subprocess.Popen[str]:
        if self._proc is None or self._proc.poll() is not None:
            self._proc = subprocess.Popen(
                [sys.executable, "-m", "tutor.grade_worker", str(self.root)],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                encoding="utf-8", start_new_session=True,
            )
        return self._proc

    def __call__(self, workspace: Workspace, exercise: Exercise) -> ExerciseResult:
        """Grade in the grading process (blocks this thread, not the GIL); raises when it fails or is
        cancelled."""
        with self._lock:
            proc = self._start()
        assert proc.stdin is not None and proc.stdout is not None
        proc.stdin.write(json.dumps({"id": exercise.id}) + "\n")
        proc.stdin.flush()
        line = proc.stdout.readline()
        if not line:
            raise RuntimeError("the grading process ended before answering (the check was cancelled?)")
        answer = json.loads(line)
        if "failure" in answer:
            raise RuntimeError("the grading process failed:\n" + answer["failure"])
        return ExerciseResult.from_dict(answer["result"])

    def stop(self) -> None:
        """End the grading process and, through its SIGTERM handler, the learner's process."""
        with self._lock:
            proc, self._proc = self._proc, None
        if proc is None or proc.poll() is not None:
            return
        proc.terminate()
        try:
            proc.wait(timeout=2)
        except subprocess.TimeoutExpired:
            proc.kill()
        for stream in (proc.stdin, proc.stdout):
            with contextlib.suppress(OSError):
                stream.close()  # type: ignore[union-attr]
