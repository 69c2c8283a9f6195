"""Numerical gradient checks by central differences.

Fast first: one random direction per tensor, compared with the analytic directional derivative
(as torch.autograd.gradcheck's fast mode), 2 evaluations per tensor. Only when a tensor fails do
we fall back to coordinates, which names the tensor and the index of the worst error.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from grader.compare import rel_error

ScalarFn = Callable[[dict[str, np.ndarray]], float]

DEFAULTS = {
    np.dtype(np.float64): {"h": 1e-6, "rtol": 1e-6},
    # cube root of float32's epsilon (the notes' h = ∛ε, L1664), and CS231n's ~1e-2 tolerance
    np.dtype(np.float32): {"h": 5e-3, "rtol": 2e-2},
}


@dataclass(frozen=True)
class GradCheckResult:
    ok: bool
    max_rel_error: float
    evaluations: int  # forward evaluations this check used
    full_evaluations: int  # what a central difference over every coordinate would use
    tensor: str | None = None
    index: tuple[int, ...] | None = None
    analytic: float | None = None
    numeric: float | None = None
    problem: str | None = None  # set when the gradient could not be compared at all (e.g. its shape)
    # (tensor, relative error of its random directional derivative), in the order checked: the tutor's figure
    errors: tuple[tuple[str, float], ...] = ()
    rtol: float = 0.0  # the tolerance the errors were held to

    def describe(self) -> str:
        if self.ok:
            return f"gradients match central differences (max relative error {self.max_rel_error:.1e})"
        if self.problem:
            return self.problem
        where = f"{self.tensor}[{', '.join(map(str, self.index or ()))}]"
        return (f"the gradient of {where} is {self.analytic:.8g}, but central differences give "
                f"{self.numeric:.8g} (relative error {self.max_rel_error:.2e})")


class _Counter:
    def __init__(self, f: ScalarFn, dtype: np.dtype) -> None:
        self.f, self.dtype, self.calls = f, dtype, 0

    def __call__(self, inputs: dict[str, np.ndarray]) -> float:
        self.calls += 1
        return float(self.f({k: v.astype(self.dtype) for k, v in inputs.items()}))


def _shifted(inputs: dict[str, np.ndarray], name: str, delta: np.ndarray) -> dict[str, np.ndarray]:
    out = dict(inputs)
    out[name] = inputs[name] + delta
    return out


def numerical_gradient(f: ScalarFn, inputs: dict[str, np.ndarray], name: str, h: float = 1e-6) -> np.ndarray:
    """Full central-difference gradient of f with respect to inputs[name] (for tests and tools)."""
    base = {k: np.asarray(v, dtype=np.float64) for k, v in inputs.items()}
    grad = np.zeros_like(base[name])
    for index in np.ndindex(grad.shape):
        step = np.zeros_like(grad)
        step[index] = h
        grad[index] = (f(_shifted(base, name, step)) - f(_shifted(base, name, -step))) / (2 * h)
    return grad


def gradcheck(f: ScalarFn, inputs: dict[str, np.ndarray], analytic: dict[str, np.ndarray], *,
              rng: np.random.Generator, dtype=np.float64, h: float | None = None, rtol: float | None = None,
              floor: float = 1e-8, max_coordinates: int = 64) -> GradCheckResult:
    """Check analytic[name] == d f / d inputs[name] for every name in analytic."""
    dtype = np.dtype(dtype)
    h = h if h is not None else DEFAULTS[dtype]["h"]
    rtol = rtol if rtol is not None else DEFAULTS[dtype]["rtol"]
    base = {k: np.asarray(v, dtype=np.float64) for k, v in inputs.items()}
    fn = _Counter(f, dtype)
    full = 2 * sum(base[name].size for name in analytic)
    worst = 0.0
    failing: list[str] = []
    errors: list[tuple[str, float]] = []
    for name, grad in analytic.items():
        if np.shape(grad) != base[name].shape:
            return GradCheckResult(False, float("inf"), fn.calls, full, name, None, None, None,
                                   f"the gradient of {name} has shape {np.shape(grad)}, but {name} has shape "
                                   f"{base[name].shape}", (*errors, (name, float("inf"))), rtol)
        direction = rng.standard_normal(base[name].shape)
        direction /= max(np.linalg.norm(direction), 1e-12)
        numeric = (fn(_shifted(base, name, h * direction)) - fn(_shifted(base, name, -h * direction))) / (2 * h)
        exact = float(np.vdot(np.asarray(grad, dtype=np.float64), direction))
        err = float(rel_error(np.array(exact), np.array(numeric), floor))
        worst = max(worst, err)
        errors.append((name, err))
        if err > rtol:
            failing.append(name)
    if not failing:
        return GradCheckResult(True, worst, fn.calls, full, errors=tuple(errors), rtol=rtol)
    # Coordinates of the failing tensors, largest analytic entries first plus a random sample.
    best: tuple[float, str, tuple[int, ...], float, float] | None = None
    for name in failing:
        grad = np.asarray(analytic[name], dtype=np.float64)
        indices = _coordinates(grad, rng, max_coordinates)
        for index in indices:
            step = np.zeros_like(base[name])
            step[index] = h
            numeric = (fn(_shifted(base, name, step)) - fn(_shifted(base, name, -step))) / (2 * h)
            err = float(rel_error(np.array(grad[index]), np.array(numeric), floor))
            if best is None or err > best[0]:
                best = (err, name, index, float(grad[index]), numeric)
    assert best is not None
    err, name, index, exact, numeric = best
    return GradCheckResult(False, max(err, worst), fn.calls, full, name, index, exact, numeric,
                           errors=tuple(errors), rtol=rtol)


def _coordinates(grad: np.ndarray, rng: np.random.Generator, limit: int) -> list[tuple[int, ...]]:
    if grad.size <= limit:
        return list(np.ndindex(grad.shape))
    flat = list(np.argsort(-np.abs(grad).ravel())[: limit // 2])
    flat += list(rng.choice(grad.size, size=limit - len(flat), replace=False))
    seen = dict.fromkeys(int(i) for i in flat)
    return [tuple(int(j) for j in np.unravel_index(i, grad.shape)) for i in seen]
