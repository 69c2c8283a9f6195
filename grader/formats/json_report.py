"""The JSON report (schema documented in docs/report-format.md)."""

from __future__ import annotations

import json

from grader.results import GradeReport


def to_json(report: GradeReport) -> str:
    return json.dumps(report.to_dict(), indent=2, allow_nan=False, default=str)
