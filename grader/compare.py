"""Comparing a learner's array with the expected one, and naming the shape of a mistake.

Relative error with a floor, as in the CS231n notes: |a - b| / max(floor, |a| + |b|).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# Diagnosis codes; hints in exercise.toml may name them in `on = [...]`.
DIAGNOSES = {
    "shape": "has the wrong shape",
    "dtype": "has the wrong type",
    "nan": "contains NaN or infinity",
    "zeros": "is all zeros: nothing was propagated (a missing addgrad/+= or return?)",
    "sign": "has the wrong sign: every entry is the negative of the expected value",
    "factor": "is off by a constant factor",
    "batch_factor": "is off by a factor of the batch size: averaged where it should be summed, or the reverse",
    "double": ("is exactly twice the expected value: something counted twice (a gradient added twice or not "
               "zeroed before accumulating, a missing ½, a divisor that is half what it should be)"),
    "transpose": "is transposed",
    "not_summed": "was not summed over the batch (it still has a leading batch axis)",
    "summed_batch": "was summed over the batch, but per-example values were expected",
    "missing_term": "is missing a term",
    "mismatch": "does not match",
}


@dataclass(frozen=True)
class Comparison:
    ok: bool
    max_rel_error: float
    worst_index: tuple[int, ...] | None
    diagnosis: str | None  # a key of DIAGNOSES, None when ok
    explanation: str  # one sentence for the learner
    details: str  # excerpt of expected vs. got


def rel_error(got: np.ndarray, expected: np.ndarray, floor: float = 1e-8) -> np.ndarray:
    return np.abs(got - expected) / np.maximum(floor, np.abs(got) + np.abs(expected))


def _excerpt(label: str, expected: np.ndarray, got: np.ndarray, index: tuple[int, ...] | None) -> str:
    with np.printoptions(precision=5, suppress=False, threshold=12, edgeitems=3, linewidth=100):
        lines = [f"expected {label} (shape {expected.shape}):", _indent(repr_array(expected)),
                 f"got (shape {got.shape}):", _indent(repr_array(got))]
        if index is not None and expected.shape == got.shape and expected.size:
            lines.append(f"worst at index {list(index)}: expected {expected[index]:.8g}, got {got[index]:.8g}")
    return "\n".join(lines)


def repr_array(a: np.ndarray) -> str:
    return np.array2string(np.asarray(a), precision=5, threshold=12, edgeitems=3, max_line_width=100)


def _indent(text: str) -> str:
    return "\n".join("  " + line for line in text.splitlines())


def _is_multiple(got: np.ndarray, expected: np.ndarray, tol: float) -> float | None:
    """The constant c with got ≈ c * expected, if there is one (c != 1)."""
    denom = float(np.vdot(expected, expected))
    if denom == 0.0:
        return None
    c = float(np.vdot(got, expected)) / denom
    if abs(c) < 1e-12 or abs(c - 1) < 1e-9:
        return None
    if np.max(rel_error(got, c * expected)) < tol:
        return c
    return None


def diagnose(got: np.ndarray, expected: np.ndarray, *, tol: float, batch: int | None = None,
             terms: dict[str, np.ndarray] | None = None) -> tuple[str, str]:
    """Name the shape of the difference between got and expected: (code, explanation)."""
    if got.shape != expected.shape:
        if expected.ndim == 2 and got.shape == expected.T.shape:
            return "transpose", f"has shape {got.shape}, the transpose of the expected {expected.shape}"
        if got.ndim == expected.ndim + 1 and got.shape[1:] == expected.shape:
            return "not_summed", (f"has shape {got.shape}: it still has a leading batch axis of {got.shape[0]}; "
                                  f"sum over axis 0 to get {expected.shape}")
        if expected.ndim == got.ndim + 1 and expected.shape[1:] == got.shape:
            return "summed_batch", (f"has shape {got.shape} but per-example values of shape {expected.shape} "
                                    f"were expected: do not sum over the batch here")
        return "shape", f"has shape {got.shape}, expected {expected.shape}"
    if not np.all(np.isfinite(got)):
        bad = tuple(int(i) for i in np.argwhere(~np.isfinite(got))[0])
        return "nan", f"contains {got[bad]} at index {list(bad)}"
    if np.all(got == 0) and np.any(expected != 0):
        return "zeros", DIAGNOSES["zeros"]
    if np.max(rel_error(got, -expected)) < tol:
        return "sign", DIAGNOSES["sign"]
    if expected.ndim == 2 and expected.shape[0] == expected.shape[1] and np.max(rel_error(got, expected.T)) < tol:
        return "transpose", "equals the transpose of the expected matrix"
    for name, term in (terms or {}).items():
        if term.shape == got.shape and np.max(rel_error(got, term)) < tol:
            return "missing_term", f"equals only {name}: the other contributions are missing"
    # Any single wrong number is "some multiple" of the right one: only name a factor for arrays.
    c = _is_multiple(got, expected, tol) if expected.size > 1 else None
    if c is not None:
        if batch and batch > 1 and (abs(c - batch) < 1e-6 * batch or abs(c - 1 / batch) < 1e-6 / batch):
            how = "summed where the mean was expected" if c > 1 else "averaged where the sum was expected"
            return "batch_factor", f"is {c:.6g} times the expected value, the batch size {batch}: {how}"
        if abs(c - 2) < 1e-6:
            return "double", DIAGNOSES["double"]
        return "factor", f"is {c:.6g} times the expected value (a constant factor)"
    return "mismatch", DIAGNOSES["mismatch"]


def compare(label: str, got, expected, *, rtol: float = 1e-6, floor: float = 1e-8, batch: int | None = None,
            terms: dict[str, np.ndarray] | None = None) -> Comparison:
    """Compare learner output `got` with `expected`; max relative error must stay below rtol."""
    # Learner values near the float64 limit overflow in the differences and products below: the verdict
    # (a mismatch) is right, the warnings would only be noise in the grader's output.
    with np.errstate(over="ignore", invalid="ignore"):
        return _compare(label, got, expected, rtol=rtol, floor=floor, batch=batch, terms=terms)


def _compare(label: str, got, expected, *, rtol: float, floor: float, batch: int | None,
             terms: dict[str, np.ndarray] | None) -> Comparison:
    expected = np.asarray(expected, dtype=np.float64)
    if isinstance(got, int | float) and not isinstance(got, bool):
        got = np.asarray(got, dtype=np.float64)
    if not isinstance(got, np.ndarray):
        kind = type(got).__name__ if not isinstance(got, dict) else got.get("__unsupported__", "dict")
        return Comparison(False, float("inf"), None, "dtype",
                          f"{label} should be a NumPy array of shape {expected.shape}, but your code returned "
                          f"a {kind}", "")
    if got.dtype.kind not in "biuf":
        return Comparison(False, float("inf"), None, "dtype", f"{label} has dtype {got.dtype}; expected real "
                                                               f"numbers", "")
    got64 = got.astype(np.float64)
    if got64.shape == expected.shape and np.all(np.isfinite(got64)):
        errors = rel_error(got64, expected, floor)
        worst_flat = int(np.argmax(errors)) if errors.size else 0
        max_err = float(errors.flat[worst_flat]) if errors.size else 0.0
        worst = tuple(int(i) for i in np.unravel_index(worst_flat, errors.shape)) if errors.size else None
        if max_err <= rtol:
            return Comparison(True, max_err, worst, None, f"{label} matches (max relative error {max_err:.1e})", "")
    else:
        max_err, worst = float("inf"), None
    code, why = diagnose(got64, expected, tol=max(rtol, 1e-6), batch=batch, terms=terms)
    where = f" (max relative error {max_err:.2e} at index {list(worst)})" if worst is not None else ""
    return Comparison(False, max_err, worst, code, f"{label} {why}{where}",
                      _excerpt(label, expected, got64, worst))
