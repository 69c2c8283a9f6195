"""Report formats: text (rich), json, junit, gradescope."""

from __future__ import annotations

from grader.formats.gradescope import to_gradescope
from grader.formats.json_report import to_json
from grader.formats.junit import to_junit

FORMATS = ("text", "json", "junit", "gradescope")

__all__ = ["FORMATS", "to_gradescope", "to_json", "to_junit"]
