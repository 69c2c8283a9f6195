"""The tutor's grading process: grades one exercise per request, so that the tutor's own process never
runs checks, reference kernels or Numba compiles (they hold the GIL and would freeze the screen).

Started by tutor.grading.GradeProcess as `python -m tutor.grade_worker WORKSPACE`; reads one JSON line
per request, {"id": exercise_id}, and answers one JSON line, {"result": ExerciseResult.to_dict()} or
{"failure": traceback}. SIGTERM ends the learner's process first, then this one.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import traceback
from pathlib import Path


def main() -> None:
    # Keep the protocol on a private copy of stdout: anything else that prints goes to stderr.
    channel = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    sys.stdout = sys.stderr

    def stop(_signum: int, _frame: object) -> None:
        if "grader.sandbox" in sys.modules:
            sys.modules["grader.sandbox"].kill_all()
        os._exit(0)

    signal.signal(signal.SIGTERM, stop)
    from grader.engine import grade_exercise
    from grader.workspace import Workspace

    workspace = Workspace(Path(sys.argv[1]), require_marker=False)
    for line in sys.stdin:
        try:
            request = json.loads(line)
            exercise = workspace.catalog.get(request["id"])
            answer = {"result": grade_exercise(workspace, exercise, record=False).to_dict()}
        except Exception:
            answer = {"failure": traceback.format_exc()}
        channel.write(json.dumps(answer) + "\n")
        channel.flush()


if __name__ == "__main__":
    main()
