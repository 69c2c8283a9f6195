"""Plain result records: what a grading run found, independent of how it is shown."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class CheckResult:
    name: str
    passed: bool
    message: str
    points: float
    max_points: float
    target: str = "numpy"
    diagnosis: str | None = None  # a code such as "sign", "batch_factor", "transpose"
    details: str = ""  # excerpt of expected vs. got, worst error and where
    # Data the tutor draws instead of printing (loss curves, optimizer paths, per-tensor gradient errors):
    # plain dicts {"kind": "line", "title", "x_label", "y_label", "log_y", "series": {name: [y, ...] or
    # [[x, y], ...]}}; see CheckContext.plot. Kept on pass and on fail.
    figures: list[dict] = field(default_factory=list)
    # CUDA checks: where the learner's kernels ran, "CUDA simulator" or "GPU <name>" ("" for other targets).
    device: str = ""
    # Lines a check adds on pass or fail (e.g. "kernel times not measured: CUDA simulator").
    notes: list[str] = field(default_factory=list)
    # Kernel timings on a real GPU: {"kernel", "learner_ms", "reference_ms", "ratio"} (learner / reference).
    timings: list[dict] = field(default_factory=list)


@dataclass
class ExerciseResult:
    id: str
    title: str
    score: float
    max_score: float
    passed: bool
    checks: list[CheckResult] = field(default_factory=list)
    error: str | None = None  # set when the learner process broke (crash, timeout, ...): score is 0
    status: str = "graded"  # graded | not_started | crashed | timeout | missing | not_implemented
    hints: list[str] = field(default_factory=list)  # hints fitting the diagnosed mistake first
    duration_s: float = 0.0
    output: str = ""  # what the learner's code printed (capped)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> ExerciseResult:
        fields = dict(data)
        fields["checks"] = [CheckResult(**c) for c in data.get("checks", [])]
        return cls(**fields)


@dataclass
class GradeReport:
    exercises: list[ExerciseResult]
    workspace: str = ""
    official: bool = False
    duration_s: float = 0.0

    @property
    def score(self) -> float:
        return round(sum(e.score for e in self.exercises), 4)

    @property
    def max_score(self) -> float:
        return round(sum(e.max_score for e in self.exercises), 4)

    @property
    def passed(self) -> bool:
        return all(e.passed for e in self.exercises)

    def to_dict(self) -> dict:
        return {
            "schema": "gradschool.report/1",
            "workspace": self.workspace,
            "official": self.official,
            "score": self.score,
            "max_score": self.max_score,
            "passed": self.passed,
            "duration_s": round(self.duration_s, 3),
            "exercises": [e.to_dict() for e in self.exercises],
        }
