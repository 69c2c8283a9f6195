"""Gradescope's results.json (gradescope/autograder_samples docs/specs.md): one test per check."""

from __future__ import annotations

import json

from grader.results import GradeReport


def to_gradescope(report: GradeReport) -> str:
    tests = []
    number = 0
    for exercise in report.exercises:
        total = sum(c.max_points for c in exercise.checks) or 1.0
        scale = exercise.max_score / total  # check weights → the exercise's points
        if not exercise.checks:
            number += 1
            tests.append({"name": f"{exercise.id}: {exercise.title}", "number": str(number), "score": 0.0,
                          "max_score": exercise.max_score, "status": "failed",
                          "output": exercise.error or "not graded", "tags": [exercise.id], "visibility": "visible"})
        for check in exercise.checks:
            number += 1
            output = check.message if not exercise.error else f"{exercise.error}\n\n{check.message}"
            if check.details:
                output += "\n\n" + check.details
            tests.append({
                "name": f"{exercise.id} [{check.target}]: {check.name}",
                "number": str(number),
                "score": round(check.points * scale, 4),
                "max_score": round(check.max_points * scale, 4),
                "status": "passed" if check.passed else "failed",
                "output": output,
                "output_format": "text",
                "tags": [exercise.id, check.target],
                "visibility": "visible",
            })
    payload = {
        "score": report.score,
        "execution_time": round(report.duration_s, 3),
        "output": f"gradschool: {report.score:g} / {report.max_score:g} points",
        "output_format": "text",
        "stdout_visibility": "hidden",
        "visibility": "visible",
        "tests": tests,
    }
    return json.dumps(payload, indent=2, allow_nan=False)
