"""JUnit XML: one <testsuite> per exercise, one <testcase> per check (for CI dashboards)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from grader.results import GradeReport


def to_junit(report: GradeReport) -> str:
    root = ET.Element("testsuites", name="gradschool", tests=str(sum(len(e.checks) for e in report.exercises)),
                      failures=str(sum(1 for e in report.exercises for c in e.checks if not c.passed)),
                      time=f"{report.duration_s:.3f}")
    for exercise in report.exercises:
        failures = sum(1 for c in exercise.checks if not c.passed)
        suite = ET.SubElement(root, "testsuite", name=exercise.id, tests=str(max(len(exercise.checks), 1)),
                              failures=str(failures if exercise.checks else 1), errors="0",
                              time=f"{exercise.duration_s:.3f}")
        ET.SubElement(ET.SubElement(suite, "properties"), "property", name="score",
                      value=f"{exercise.score:g}/{exercise.max_score:g}")
        if not exercise.checks:  # e.g. the learner file is missing
            case = ET.SubElement(suite, "testcase", classname=exercise.id, name="exercise")
            ET.SubElement(case, "failure", message=exercise.error or "not graded").text = exercise.error or ""
        for check in exercise.checks:
            case = ET.SubElement(suite, "testcase", classname=f"{exercise.id}.{check.target}", name=check.name,
                                 time="0")
            if not check.passed:
                failure = ET.SubElement(case, "failure", message=check.message[:500],
                                        type=check.diagnosis or "failed")
                failure.text = "\n\n".join(t for t in (check.message, check.details) if t)
        if exercise.output:
            ET.SubElement(suite, "system-out").text = exercise.output[-10_000:]
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True)
