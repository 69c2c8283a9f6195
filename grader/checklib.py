"""What an exercise's checks.py uses: the @check decorator and the CheckContext it receives.

checks.py runs in the grading process (trusted). Learner code is reached only through
ctx.call / ctx.probe, which run it in the learner's process and return plain data.

    from grader.checklib import check
    from grader import reference as ref

    @check("sigmoid matches the reference", points=2)
    def forward(ctx):
        x = ctx.rng.standard_normal((7, 5))
        ctx.expect_close("sigmoid(x)", ctx.call("sigmoid", x), ref.sigmoid(x))
"""

from __future__ import annotations

import ast
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from grader import gradcheck as _gradcheck
from grader.compare import compare
from grader.sandbox import LearnerProcess, cuda_mode


@dataclass(frozen=True)
class CheckSpec:
    name: str
    points: float
    target: str | None  # None: the exercise's first target ("quiz" for quizzes)
    fn: Callable[[CheckContext], None]


def check(name: str, *, points: float = 1, target: str | None = None):
    """Register a check; checks run in the order they are defined in checks.py."""

    def register(fn: Callable[[CheckContext], None]):
        fn.__gradschool_check__ = CheckSpec(name, float(points), target, fn)  # type: ignore[attr-defined]
        return fn

    return register


class CheckFailed(Exception):
    def __init__(self, message: str, *, diagnosis: str | None = None, details: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.diagnosis = diagnosis
        self.details = details


@dataclass
class GradStats:
    """Forward evaluations the gradient checks used, against a full central difference."""

    evaluations: int = 0
    full_evaluations: int = 0


@dataclass
class CheckContext:
    exercise_id: str
    check_name: str
    target: str
    official: bool
    seed: int
    proc: LearnerProcess | None = None
    answers: dict[str, Any] | None = None  # quizzes: the learner's parsed TOML answers
    source: str = ""  # the learner file's text, for static checks (never executed here)
    grad_stats: GradStats = field(default_factory=GradStats)
    figures: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # extra lines for the check's result (CheckResult.notes)
    timings: list[dict] = field(default_factory=list)  # kernel timings on a GPU (CheckResult.timings)

    def __post_init__(self) -> None:
        self.rng = np.random.default_rng(self.seed)
        global _ACTIVE
        _ACTIVE = self  # the engine runs each context's check right after creating it


    # -- running learner code ------------------------------------------------------------------

    def call(self, fn: str, *args, **kwargs):
        """fn(*args, **kwargs) from the learner's module, run in the learner's process."""
        return self._run(fn, fn, args, kwargs)

    def probe(self, name: str, *args, label: str | None = None, **kwargs):
        """A function of the exercise's probe.py, run in the learner's process with the learner's module.
        label names the learner code it exercises, for messages (default: the probe's name)."""
        return self._run(f"probe:{name}", label or name, args, kwargs)

    def _run(self, fn: str, label: str, args, kwargs):
        if self.proc is None:
            raise RuntimeError("this check has no learner process (quiz exercises read ctx.answers)")
        result, mutated = self.proc.call(fn, *args, **kwargs)
        if mutated:
            # A probe's arguments are not the learner function's own: do not number them.
            which = "an input array" if fn.startswith("probe:") else "its input argument " + ", ".join(
                f"#{i + 1}" for i in mutated)
            raise CheckFailed(
                f"`{label}` changed {which} in place. Callers (and the graph) still need "
                f"those values: work on a copy (x.copy()) or build a new array instead.",
                diagnosis="in_place",
            )
        return result

    # -- cases ---------------------------------------------------------------------------------

    def cases(self, local: list, hidden: list) -> list:
        """The cases a learner runs locally, or, in official grading, other (hidden) ones too."""
        return list(hidden) + list(local) if self.official else list(local)

    def away_from(self, x: np.ndarray, kinks: tuple[float, ...] = (0.0,), margin: float = 0.05) -> np.ndarray:
        """x with every entry at least `margin` from each kink (ReLU's 0, a clamp's ±10): central differences
        across a kink measure neither one-sided derivative, so a correct gradient would look wrong there."""
        x = np.array(x, dtype=np.float64)
        for kink in kinks:
            near = np.abs(x - kink) < margin
            side = np.where(x[near] >= kink, 1.0, -1.0)
            x[near] = kink + side * self.rng.uniform(margin, 2 * margin, size=side.shape)
        return x

    def without_ties(self, x: np.ndarray, axis: int = -1, gap: float = 0.05) -> np.ndarray:
        """x where the values along `axis` differ pairwise by at least `gap` (no ties in a max or a sort),
        keeping each value's rank."""
        x = np.array(x, dtype=np.float64)
        moved = np.moveaxis(x, axis, -1)
        order = np.argsort(moved, axis=-1, kind="stable")
        ranked = np.take_along_axis(moved, order, axis=-1)
        steps = np.maximum(np.diff(ranked, axis=-1), gap)
        ranked = np.concatenate([ranked[..., :1], ranked[..., :1] + np.cumsum(steps, axis=-1)], axis=-1)
        np.put_along_axis(moved, order, ranked, axis=-1)
        return np.moveaxis(moved, -1, axis)

    # -- expectations --------------------------------------------------------------------------

    def expect_close(self, label: str, got, expected, *, rtol: float = 1e-6, floor: float = 1e-8,
                     batch: int | None = None, terms: dict[str, np.ndarray] | None = None) -> float:
        result = compare(label, got, expected, rtol=rtol, floor=floor, batch=batch, terms=terms)
        if not result.ok:
            raise CheckFailed(result.explanation, diagnosis=result.diagnosis, details=result.details)
        return result.max_rel_error

    def expect(self, condition: bool, message: str, *, diagnosis: str | None = None, details: str = "") -> None:
        if not condition:
            raise CheckFailed(message, diagnosis=diagnosis, details=details)

    def expect_array(self, label: str, got, shape: tuple[int, ...]) -> np.ndarray:
        if not isinstance(got, np.ndarray):
            kind = got.get("__unsupported__", "dict") if isinstance(got, dict) else type(got).__name__
            raise CheckFailed(f"{label} should be a NumPy array of shape {shape}, but your code returned "
                              f"a {kind}", diagnosis="dtype")
        if got.shape != tuple(shape):
            raise CheckFailed(f"{label} has shape {got.shape}, expected {tuple(shape)}", diagnosis="shape")
        return got

    def expect_tuple(self, label: str, got, length: int) -> list:
        if not isinstance(got, list) or len(got) != length:
            kind = f"a sequence of {len(got)}" if isinstance(got, list) else f"a {type(got).__name__}"
            raise CheckFailed(f"{label} should return a tuple of {length} values, but returned {kind}",
                              diagnosis="dtype")
        return got

    def expect_number(self, label: str, got, *, explain: str = "") -> float:
        """A learner's scalar as a float (a 1-element array counts); anything else fails the check."""
        if isinstance(got, np.ndarray) and got.size == 1 and got.dtype.kind in "biuf":
            got = float(got.reshape(()))
        if not isinstance(got, int | float) or isinstance(got, bool):
            kind = got.get("__unsupported__", "dict") if isinstance(got, dict) else type(got).__name__
            raise CheckFailed(f"{label} should be a number, but is a {kind}{explain}", diagnosis="dtype")
        return float(got)

    def expect_numbers(self, label: str, got, keys: tuple[str, ...], *,
                       explain: Callable[[str], str] | None = None) -> dict[str, float]:
        """A learner's dict of named scalars, as floats; a missing key or a non-number fails with its name."""
        if not isinstance(got, dict) or "__unsupported__" in got:
            kind = got.get("__unsupported__", "dict") if isinstance(got, dict) else type(got).__name__
            raise CheckFailed(f"{label} should return a dict with the keys {list(keys)}, but returned a {kind}",
                              diagnosis="dtype")
        missing = [k for k in keys if k not in got]
        if missing:
            raise CheckFailed(f"{label} returned a dict without the key(s) {missing}; expected the keys "
                              f"{list(keys)}", diagnosis="dtype")
        return {k: self.expect_number(f"{label}['{k}']", got[k], explain=explain(k) if explain else "")
                for k in keys}

    def fail(self, message: str, *, diagnosis: str | None = None, details: str = "") -> None:
        raise CheckFailed(message, diagnosis=diagnosis, details=details)

    def gradcheck(self, label: str, f, inputs: dict[str, np.ndarray], analytic: dict[str, np.ndarray],
                  **kwargs) -> _gradcheck.GradCheckResult:
        """Central-difference check of `analytic` against f; failure names the tensor and index."""
        result = _gradcheck.gradcheck(f, inputs, analytic, rng=self.rng, **kwargs)
        self.grad_stats.evaluations += result.evaluations
        self.grad_stats.full_evaluations += result.full_evaluations
        self._gradcheck_figure(label, result)
        if not result.ok:
            raise CheckFailed(f"{label}: {result.describe()}", diagnosis="mismatch")
        return result

    # -- figures for the tutor ---------------------------------------------------------------------

    def plot(self, title: str, series: dict[str, Any], *, x_label: str = "step", y_label: str = "loss",
             log_y: bool = False, max_points: int = 400) -> None:
        """Attach a line plot to this check's result (drawn by the tutor, stored in JSON reports).

        series maps a name to y values (x = 0, 1, ...) or to (x, y) pairs (a path in the plane). Values
        are converted to plain floats and thinned to at most max_points per series."""
        clean: dict[str, list] = {}
        for name, values in series.items():
            arr = np.asarray(values, dtype=np.float64)
            if arr.ndim not in (1, 2) or (arr.ndim == 2 and arr.shape[1] != 2):
                raise ValueError(f"plot series {name!r} must be 1-D or (n, 2), got shape {arr.shape}")
            if len(arr) > max_points:
                arr = arr[np.linspace(0, len(arr) - 1, max_points).round().astype(int)]
            clean[str(name)] = [[float(v) for v in row] for row in arr] if arr.ndim == 2 else [float(v) for v in arr]
        self.figures.append({"kind": "line", "title": title, "x_label": x_label, "y_label": y_label,
                             "log_y": bool(log_y), "series": clean})

    # -- notes and CUDA kernel timings -------------------------------------------------------------

    def note(self, text: str) -> None:
        """Add a line to this check's result, shown on pass and on fail (text and JSON reports)."""
        self.notes.append(str(text))

    @property
    def cuda_mode(self) -> str:
        """'gpu' or 'sim': where the learner's CUDA kernels run in this grading run."""
        return self.proc.cuda if self.proc is not None else cuda_mode()

    def kernel_times(self, measured: object) -> list[dict]:
        """Record kernel timings a probe measured in the learner's process: a list of {"kernel": name,
        "learner_ms": float, "reference_ms": float} (medians after a warm-up). Informational, never scored:
        the numbers come from the learner's process. In the CUDA simulator nothing is timed, and a note says so."""
        if self.cuda_mode == "sim":
            if any(n.startswith("kernel times not measured") for n in self.notes):
                return []
            self.note("kernel times not measured: the kernels ran in the CUDA simulator (no GPU), whose "
                      "times say nothing about a GPU")
            return []
        rows = []
        for item in measured if isinstance(measured, list) else []:
            if not isinstance(item, dict):
                continue
            learner, reference = item.get("learner_ms"), item.get("reference_ms")
            if not all(isinstance(v, int | float) and np.isfinite(v) and v > 0 for v in (learner, reference)):
                continue
            row = {"kernel": str(item.get("kernel", "?"))[:80], "learner_ms": float(learner),
                   "reference_ms": float(reference), "ratio": float(learner) / float(reference)}
            rows.append(row)
            self.note(f"{row['kernel']}: {row['learner_ms']:.4f} ms, reference {row['reference_ms']:.4f} ms "
                      f"({row['ratio']:.2f}x the reference's time)")
        if not rows:
            self.note("kernel times could not be measured on the GPU")
        self.timings.extend(rows)
        return rows

    # -- the gradient check's figure -----------------------------------------------------------------

    MAX_BARS = 24

    def _gradcheck_figure(self, label: str, result: _gradcheck.GradCheckResult) -> None:
        """One "bars" figure per check: each tensor's relative error against the tolerance. Several
        gradchecks in one check add their bars to it (labelled by call), up to MAX_BARS."""
        figure = next((f for f in self.figures if f.get("kind") == "bars" and f.get("source") == "gradcheck"), None)
        if figure is None:
            figure = {"kind": "bars", "source": "gradcheck", "title": f"gradient check: {label}",
                      "x_label": "relative error (log scale)", "log_x": True, "threshold": result.rtol,
                      "labels": [], "values": [], "calls": 0}
            self.figures.append(figure)
        figure["calls"] += 1
        if figure["calls"] == 2:  # from now on, say which call each bar belongs to
            figure["title"] = f"gradient checks of {self.check_name}"
            figure["labels"] = [f"1: {name}" for name in figure["labels"]]
        for name, err in result.errors:
            if len(figure["labels"]) >= self.MAX_BARS:
                break
            figure["labels"].append(name if figure["calls"] == 1 else f"{figure['calls']}: {name}")
            figure["values"].append(float(err) if np.isfinite(err) else None)
        figure["threshold"] = max(float(figure["threshold"] or 0.0), float(result.rtol))

    # -- static checks on the learner's source (parsed, never run) -----------------------------

    def decorators_of(self, function: str) -> list[str]:
        """Dotted decorator names on a top-level function of the learner file (e.g. ['njit'], ['cuda.jit']).

        A decorator whose name the file does not take from Numba (its own `def njit`, `njit = ...`, or
        `from mytools import njit`) is returned as 'local:<name>', so checks for 'njit' do not count it:
        a home-made decorator that runs plain Python must not pass as compiled code."""
        try:
            tree = ast.parse(self.source)
        except SyntaxError:
            return []
        not_numba = _names_not_from_numba(tree)
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and node.name == function:
                names = []
                for deco in node.decorator_list:
                    name = ast.unparse(deco.func if isinstance(deco, ast.Call) else deco)
                    names.append(f"local:{name}" if name.split(".")[0] in not_numba else name)
                return names
        return []


def _names_not_from_numba(tree: ast.Module) -> set[str]:
    """Top-level names the learner's file binds to something other than Numba (defs, classes, assignments,
    imports from other modules); the last binding wins, as at run time."""
    bound: dict[str, bool] = {}  # name -> comes from numba
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            bound[node.name] = False
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                for name in ast.walk(target):
                    if isinstance(name, ast.Name):
                        bound[name.id] = False
        elif isinstance(node, ast.Import):
            for alias in node.names:
                root = alias.name.split(".")[0]
                bound[alias.asname or root] = root == "numba"
        elif isinstance(node, ast.ImportFrom):
            from_numba = (node.module or "").split(".")[0] == "numba" and node.level == 0
            for alias in node.names:
                bound[alias.asname or alias.name] = from_numba
    return {name for name, numba in bound.items() if not numba}


_ACTIVE: CheckContext | None = None


def active_context() -> CheckContext | None:
    """The context of the check running now (the latest created), for helpers such as graphwalk.walk
    that attach figures without being handed the context."""
    return _ACTIVE


def stable_seed(*parts: object) -> int:
    digest = hashlib.blake2b("/".join(map(str, parts)).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "little") & 0x7FFF_FFFF


def collect_checks(namespace: dict) -> list[CheckSpec]:
    specs = [v.__gradschool_check__ for v in namespace.values() if hasattr(v, "__gradschool_check__")]
    return specs  # dicts keep definition order
