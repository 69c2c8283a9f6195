"""grader.gradcheck: passes correct gradients, catches the bugs learners plant, says where, and stays cheap."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pytest

from grader import reference as ref
from grader.checklib import CheckContext, CheckFailed
from grader.gradcheck import gradcheck, numerical_gradient

Inputs = dict[str, np.ndarray]


@dataclass
class Problem:
    """A scalar function of named arrays, its exact gradients, and a gradient that misses a term."""

    f: Callable[[Inputs], float]
    inputs: Inputs
    grads: Inputs
    batch: int
    missing_term: tuple[str, np.ndarray]


def affine(rng: np.random.Generator, n: int = 6, d: int = 4, m: int = 4, lam: float = 0.3) -> Problem:
    """L = Σ G ⊙ (X A + b) + λ/2 ‖A‖², the affine part through grader.reference."""
    X, A, b = rng.standard_normal((n, d)), rng.standard_normal((d, m)), rng.standard_normal(m)
    G = rng.standard_normal((n, m))

    def f(p: Inputs) -> float:
        return float(np.sum(G * ref.affine_forward(p["X"], p["A"], p["b"])) + 0.5 * lam * np.sum(p["A"] ** 2))

    dX, dA, db = ref.affine_backward(G, X, A)
    # forgetting the weight decay's λA leaves only Xᵀ G
    return Problem(f, {"X": X, "A": A, "b": b}, {"X": dX, "A": dA + lam * A, "b": db}, n, ("A", dA))


def softmax_ce(rng: np.random.Generator, n: int = 5, c: int = 3) -> Problem:
    """L = Σ_i CE(softmax(S)_i, y_i), through grader.reference."""
    S, y = rng.standard_normal((n, c)), rng.integers(0, c, size=n)

    def f(p: Inputs) -> float:
        return float(np.sum(ref.cross_entropy(ref.softmax(p["S"]), y)))

    P = ref.softmax(S)
    dP = ref.cross_entropy_backward(P, y, np.ones(n))
    dS = ref.softmax_backward(P, dP)
    # softmax's backward without the −Σ_c G·P term: P ⊙ G
    return Problem(f, {"S": S}, {"S": dS}, n, ("S", P * dP))


def logistic_regression(rng: np.random.Generator, n: int = 8, d: int = 3) -> Problem:
    """L = Σ_i BCE(σ(w·x_i), y_i), through grader.reference."""
    w, X = rng.standard_normal(d), rng.standard_normal((n, d))
    y = rng.integers(0, 2, size=n).astype(np.float64)

    def f(p: Inputs) -> float:
        return ref.logreg_loss(p["w"], p["X"], y)

    s = ref.sigmoid(X @ w)
    dw = ref.logreg_grad(w, X, y)
    dX = np.outer(s - y, w)
    # ∂L/∂w = Σ (σ - y) x: dropping the "−y" term leaves Σ σ x
    return Problem(f, {"w": w, "X": X}, {"w": dw, "X": dX}, n, ("w", X.T @ s))


def sigmoid_upstream(rng: np.random.Generator, n: int = 4, d: int = 3) -> Problem:
    """L = Σ U ⊙ σ(x): a random upstream gradient, as the sigmoid exercise's check does."""
    x, U = rng.normal(0, 2, size=(n, d)), rng.standard_normal((n, d))

    def f(p: Inputs) -> float:
        return float(np.sum(U * ref.sigmoid(p["x"])))

    s = ref.sigmoid(x)
    # σ' = σ(1 − σ): forgetting the "− σ²" term leaves U ⊙ σ
    return Problem(f, {"x": x}, {"x": U * ref.sigmoid_grad(x)}, n, ("x", U * s))


PROBLEMS = {"affine": affine, "softmax_ce": softmax_ce, "logistic_regression": logistic_regression,
            "sigmoid": sigmoid_upstream}


def _square(rng: np.random.Generator) -> Problem:
    return affine(rng, n=5, d=4, m=4)


def _first_2d(problem: Problem) -> str:
    return next(k for k, v in problem.grads.items() if v.ndim == 2)


# name -> (which tensor gets the bug, how its gradient is changed)
BUGS: dict[str, Callable[[Problem], tuple[str, np.ndarray]]] = {
    "sign": lambda p: (k := next(iter(p.grads)), -p.grads[k]),
    "factor_2": lambda p: (k := next(iter(p.grads)), 2 * p.grads[k]),
    "factor_1_over_N": lambda p: (k := next(iter(p.grads)), p.grads[k] / p.batch),
    "missing_term": lambda p: p.missing_term,
}


def _counting(f: Callable[[Inputs], float]) -> tuple[Callable[[Inputs], float], list[int]]:
    calls = [0]

    def counted(p: Inputs) -> float:
        calls[0] += 1
        return f(p)

    return counted, calls


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("name", list(PROBLEMS))
def test_correct_gradients_pass_with_two_evaluations_per_tensor(name: str, seed: int) -> None:
    problem = PROBLEMS[name](np.random.default_rng(seed))
    f, calls = _counting(problem.f)
    result = gradcheck(f, problem.inputs, problem.grads, rng=np.random.default_rng(100 + seed))
    assert result.ok, result.describe()
    assert result.max_rel_error < 1e-6
    assert result.evaluations == calls[0] == 2 * len(problem.grads)
    assert result.full_evaluations == 2 * sum(problem.inputs[k].size for k in problem.grads)


def test_passing_check_costs_a_small_fraction_of_a_full_central_difference() -> None:
    problem = affine(np.random.default_rng(7), n=32, d=16, m=10)
    f, calls = _counting(problem.f)
    result = gradcheck(f, problem.inputs, problem.grads, rng=np.random.default_rng(1))
    assert result.ok
    assert result.full_evaluations == 2 * (32 * 16 + 16 * 10 + 10)
    assert calls[0] == result.evaluations
    assert result.evaluations / result.full_evaluations < 0.01


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("bug", list(BUGS))
@pytest.mark.parametrize("name", list(PROBLEMS))
def test_planted_bugs_are_caught_and_the_tensor_is_named(name: str, bug: str, seed: int) -> None:
    problem = PROBLEMS[name](np.random.default_rng(seed))
    tensor, wrong = BUGS[bug](problem)
    grads = {**problem.grads, tensor: wrong}
    result = gradcheck(problem.f, problem.inputs, grads, rng=np.random.default_rng(50 + seed))
    assert not result.ok
    assert result.tensor == tensor
    assert result.index is not None and len(result.index) == problem.inputs[tensor].ndim
    assert result.max_rel_error > 1e-3
    assert f"{tensor}[" in result.describe()


@pytest.mark.parametrize("seed", range(3))
def test_transposed_square_gradient_is_caught(seed: int) -> None:
    problem = _square(np.random.default_rng(seed))
    grads = {**problem.grads, "A": problem.grads["A"].T}
    result = gradcheck(problem.f, problem.inputs, grads, rng=np.random.default_rng(seed))
    assert not result.ok and result.tensor == "A"


@pytest.mark.parametrize("name", ["affine", "softmax_ce"])
def test_transposed_non_square_gradient_is_caught(name: str) -> None:
    """A gradient of the wrong (transposed) shape must fail the check naming the tensor, not crash the grader."""
    rng = np.random.default_rng(3)
    problem = affine(rng, n=6, d=4, m=3) if name == "affine" else softmax_ce(rng)
    tensor = _first_2d(problem)
    assert problem.grads[tensor].shape[0] != problem.grads[tensor].shape[1]
    grads = {**problem.grads, tensor: problem.grads[tensor].T}
    result = gradcheck(problem.f, problem.inputs, grads, rng=np.random.default_rng(0))
    assert not result.ok
    assert result.tensor == tensor


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("name", list(PROBLEMS))
def test_one_wrong_coordinate_is_found_by_index(name: str, seed: int) -> None:
    rng = np.random.default_rng(seed)
    problem = PROBLEMS[name](rng)
    tensor = list(problem.grads)[-1]
    wrong = problem.grads[tensor].copy()
    index = tuple(int(rng.integers(0, s)) for s in wrong.shape)
    wrong[index] += 0.5 + abs(wrong[index])
    result = gradcheck(problem.f, problem.inputs, {**problem.grads, tensor: wrong},
                       rng=np.random.default_rng(seed))
    assert not result.ok
    assert (result.tensor, result.index) == (tensor, index)
    assert result.analytic == pytest.approx(wrong[index])
    assert result.numeric == pytest.approx(problem.grads[tensor][index], rel=1e-5, abs=1e-8)
    assert f"{tensor}[{', '.join(map(str, index))}]" in result.describe()


def test_wrong_coordinate_in_a_large_tensor_is_found_among_sampled_coordinates() -> None:
    """Over max_coordinates entries only some are visited: the largest ones first, so a big error is found."""
    problem = affine(np.random.default_rng(11), n=20, d=12, m=10)
    wrong = problem.grads["A"].copy()
    wrong[7, 3] += 25.0
    result = gradcheck(problem.f, problem.inputs, {**problem.grads, "A": wrong}, rng=np.random.default_rng(2))
    assert (result.ok, result.tensor, result.index) == (False, "A", (7, 3))
    assert result.evaluations < result.full_evaluations


def _float32_affine(rng: np.random.Generator) -> tuple[Callable[[Inputs], float], Inputs, Inputs]:
    X, A, b = rng.standard_normal((6, 4)), rng.standard_normal((4, 3)), rng.standard_normal(3)
    U = rng.standard_normal((6, 3)).astype(np.float32)

    def f(p: Inputs) -> float:
        assert p["X"].dtype == np.float32  # the learner's float32 code sees float32 inputs
        S = p["X"] @ p["A"] + p["b"]
        return np.sum(U * np.tanh(S), dtype=np.float32)

    T = np.tanh(X @ A + b)
    dS = U * (1 - T**2)
    return f, {"X": X, "A": A, "b": b}, {"X": dS @ A.T, "A": X.T @ dS, "b": dS.sum(axis=0)}


@pytest.mark.parametrize("seed", range(4))
def test_float32_passes_correct_code_and_catches_a_sign_bug(seed: int) -> None:
    f, inputs, grads = _float32_affine(np.random.default_rng(seed))
    good = gradcheck(f, inputs, grads, rng=np.random.default_rng(seed), dtype=np.float32)
    assert good.ok, good.describe()
    bad = gradcheck(f, inputs, {**grads, "A": -grads["A"]}, rng=np.random.default_rng(seed), dtype=np.float32)
    assert not bad.ok and bad.tensor == "A"
    # float64 tolerances would reject correct float32 code: the looser defaults are what make it pass
    strict = gradcheck(f, inputs, grads, rng=np.random.default_rng(seed), dtype=np.float32, h=1e-6, rtol=1e-6)
    assert not strict.ok


@pytest.mark.parametrize("name", list(PROBLEMS))
def test_numerical_gradient_matches_analytic(name: str) -> None:
    problem = PROBLEMS[name](np.random.default_rng(5))
    for tensor, analytic in problem.grads.items():
        numeric = numerical_gradient(problem.f, problem.inputs, tensor)
        assert numeric.shape == analytic.shape
        err = np.abs(numeric - analytic) / np.maximum(1e-8, np.abs(numeric) + np.abs(analytic))
        assert err.max() < 1e-6, (tensor, err.max())


def test_check_context_gradcheck_counts_evaluations_and_names_the_wrong_entry() -> None:
    ctx = CheckContext("ex", "check", "numpy", official=False, seed=3)
    problem = affine(np.random.default_rng(9))
    ctx.gradcheck("d L / d params", problem.f, problem.inputs, problem.grads)
    assert ctx.grad_stats.evaluations == 2 * len(problem.grads)
    assert ctx.grad_stats.full_evaluations == 2 * sum(v.size for v in problem.inputs.values())
    wrong = problem.grads["b"].copy()
    wrong[2] *= -1
    with pytest.raises(CheckFailed) as failed:
        ctx.gradcheck("d L / d params", problem.f, problem.inputs, {**problem.grads, "b": wrong})
    assert failed.value.message.startswith("d L / d params: ")
    assert "b[2]" in failed.value.message
    assert ctx.grad_stats.evaluations > 2 * 2 * len(problem.grads)  # the fallback's evaluations are counted
