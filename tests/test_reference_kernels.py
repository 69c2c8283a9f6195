"""grader.reference against float64 central differences and plain NumPy formulas."""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable

import numpy as np
import pytest

from grader import reference as ref

# Any warning (overflow, a Numba caching problem) fails the test that raised it.
pytestmark = pytest.mark.filterwarnings("error")

H = 1e-6
TOL = 1e-6
MATRIX_SHAPES = [(1, 3), (7, 5), (13, 2)]
ANY_SHAPES = [(), (1,), (7,), (1, 3), (7, 5), (2, 3, 5)]


def rel_err(analytic: np.ndarray | float, numeric: np.ndarray | float) -> float:
    a, n = np.asarray(analytic, dtype=np.float64), np.asarray(numeric, dtype=np.float64)
    assert a.shape == n.shape, (a.shape, n.shape)
    if a.size == 0:
        return 0.0
    return float(np.max(np.abs(a - n) / np.maximum(1e-8, np.abs(a) + np.abs(n))))


def numeric_vjp(f: Callable[[np.ndarray], np.ndarray], x: np.ndarray, g: np.ndarray | float) -> np.ndarray:
    """Central-difference gradient of sum(g * f(x)) with respect to x.

    The two outputs are subtracted before contracting with g, so outputs that x[k] does not
    touch cancel exactly instead of adding rounding noise from the whole sum.
    """
    x = np.array(x, dtype=np.float64)
    grad = np.zeros_like(x)
    for k in np.ndindex(x.shape):
        xp, xm = x.copy(), x.copy()
        xp[k] += H
        xm[k] -= H
        grad[k] = np.sum(g * (np.asarray(f(xp)) - np.asarray(f(xm)))) / (2 * H)
    return grad


def numeric_derivative(f: Callable[[float], float], x: float) -> float:
    return (f(x + H) - f(x - H)) / (2 * H)


def assert_close_to_numeric(analytic: np.ndarray | float, numeric: np.ndarray | float) -> None:
    err = rel_err(analytic, numeric)
    assert err < TOL, f"relative error {err:.3g} (analytic {analytic}, numeric {numeric})"


def np_sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


# --- coverage ------------------------------------------------------------------------------

COVERED = {
    "sigmoid", "sigmoid_grad", "edf_sigmoid_forward", "edf_sigmoid_backward",
    "bce", "bce_grad_yhat", "bce_with_logits", "logreg_grad", "logreg_loss",
    "matmul", "affine_forward", "affine_backward", "affine_backward_per_example",
    "affine_sigmoid_loops_forward", "affine_sigmoid_loops_backward",
    "softmax", "softmax_backward", "cross_entropy", "cross_entropy_backward",
    "linreg_fine", "linreg_coarse", "logreg_scalar", "fanout", "fanout_paths",
}  # fmt: skip


def test_every_public_function_is_covered() -> None:
    public = {
        name
        for name, fn in inspect.getmembers(ref, inspect.isfunction)
        if fn.__module__ == ref.__name__ and not name.startswith("_")
    }
    assert public == COVERED


# --- sigmoid -------------------------------------------------------------------------------


@pytest.mark.parametrize("shape", ANY_SHAPES)
def test_sigmoid_forward_and_grad(shape: tuple[int, ...]) -> None:
    rng = np.random.default_rng(1)
    x = rng.uniform(-6, 6, shape)
    g = rng.normal(size=shape)
    out = ref.sigmoid(x)
    assert out.shape == shape and out.dtype == np.float64
    np.testing.assert_allclose(out, np_sigmoid(x), rtol=1e-14, atol=0)
    np.testing.assert_allclose(ref.sigmoid_grad(x), np_sigmoid(x) * (1 - np_sigmoid(x)), rtol=1e-12)
    assert_close_to_numeric(g * ref.sigmoid_grad(x), numeric_vjp(ref.sigmoid, x, g))


def test_sigmoid_extremes_are_finite_without_warnings() -> None:
    x = np.array([-1000.0, -745.0, -700.0, -30.0, 0.0, 30.0, 700.0, 1000.0])
    with np.errstate(all="raise"):
        s, ds = ref.sigmoid(x), ref.sigmoid_grad(x)
    assert np.all(np.isfinite(s)) and np.all(np.isfinite(ds))
    assert s[0] == 0.0 and s[-1] == 1.0 and s[4] == 0.5
    assert math.isclose(s[2], math.exp(-700.0), rel_tol=1e-12)
    assert math.isclose(s[3], math.exp(-30.0) / (1 + math.exp(-30.0)), rel_tol=1e-14)
    # σ'(±30) ≈ e^{-30}: a 1-σ form would give 0 at +30.
    assert math.isclose(ds[5], ds[3], rel_tol=1e-12) and ds[5] > 0
    assert ds[0] == 0.0 and ds[-1] == 0.0


def test_edf_sigmoid_forward_clamps_at_ten() -> None:
    x = np.array([-50.0, -10.0, -3.0, 0.0, 3.0, 10.0, 50.0])
    expected = 1 / (1 + np.exp(-np.clip(x, -10, 10)))
    np.testing.assert_array_equal(ref.edf_sigmoid_forward(x), expected)
    assert ref.edf_sigmoid_forward(50.0) == ref.edf_sigmoid_forward(10.0)


@pytest.mark.parametrize("shape", ANY_SHAPES)
def test_edf_sigmoid_backward(shape: tuple[int, ...]) -> None:
    rng = np.random.default_rng(2)
    # Inside the clamp, where the derivative is σ' (erratum 2). Past |x| ≈ 8, σ' < 3e-4 and the
    # rounding of σ ≈ 1 in a 1e-6 difference alone nears the 1e-6 tolerance.
    x = rng.uniform(-8, 8, shape)
    g = rng.normal(size=shape)
    value = ref.edf_sigmoid_forward(x)
    np.testing.assert_allclose(value, np_sigmoid(x), rtol=1e-14)
    backward = ref.edf_sigmoid_backward(value, g)
    np.testing.assert_allclose(backward, g * value * (1 - value), rtol=1e-14)
    assert_close_to_numeric(backward, numeric_vjp(ref.edf_sigmoid_forward, x, g))
    near_clamp = np.array([-9.99, -9.5, 9.5, 9.99])
    np.testing.assert_allclose(ref.edf_sigmoid_forward(near_clamp), np_sigmoid(near_clamp), rtol=1e-15)


# --- binary cross-entropy ------------------------------------------------------------------


@pytest.mark.parametrize("shape", ANY_SHAPES)
def test_bce_and_grad(shape: tuple[int, ...]) -> None:
    rng = np.random.default_rng(3)
    yhat = rng.uniform(0.05, 0.95, shape)
    y = rng.uniform(0, 1, shape)
    g = rng.normal(size=shape)
    np.testing.assert_allclose(ref.bce(yhat, y), -y * np.log(yhat) - (1 - y) * np.log(1 - yhat), rtol=1e-13)
    grad = ref.bce_grad_yhat(yhat, y)
    np.testing.assert_allclose(grad, (yhat - y) / (yhat * (1 - yhat)), rtol=1e-14)
    assert_close_to_numeric(g * grad, numeric_vjp(lambda p: ref.bce(p, y), yhat, g))


def test_bce_is_zero_at_confident_correct_labels() -> None:
    y = np.array([0.0, 1.0, 0.0, 1.0])
    with np.errstate(all="raise"):
        np.testing.assert_array_equal(ref.bce(y, y), np.zeros(4))
    # Minimum over ŷ sits at ŷ = y (notes L426).
    assert np.all(ref.bce_grad_yhat([0.3, 0.7], [0.3, 0.7]) == 0.0)


@pytest.mark.parametrize("shape", ANY_SHAPES)
def test_bce_with_logits(shape: tuple[int, ...]) -> None:
    rng = np.random.default_rng(4)
    s = rng.uniform(-8, 8, shape)
    y = rng.uniform(0, 1, shape)
    g = rng.normal(size=shape)
    np.testing.assert_allclose(ref.bce_with_logits(s, y), ref.bce(np_sigmoid(s), y), rtol=1e-10, atol=1e-14)
    numeric = numeric_vjp(lambda t: ref.bce_with_logits(t, y), s, g)
    assert_close_to_numeric(g * (ref.sigmoid(s) - y), numeric)


def test_bce_with_logits_extremes() -> None:
    s = np.array([1000.0, 1000.0, -1000.0, -1000.0, 40.0])
    y = np.array([1.0, 0.0, 1.0, 0.0, 0.0])
    with np.errstate(all="raise"):
        out = ref.bce_with_logits(s, y)
    np.testing.assert_allclose(
        out, [0.0, 1000.0, 1000.0, 0.0, 40.0 + math.log1p(math.exp(-40.0))], rtol=1e-15
    )


# --- logistic regression -------------------------------------------------------------------


@pytest.mark.parametrize("shape", MATRIX_SHAPES)
def test_logreg_loss_and_grad(shape: tuple[int, int]) -> None:
    rng = np.random.default_rng(5)
    n, d = shape
    X = rng.normal(size=shape)
    w = rng.normal(size=d)
    y = rng.integers(0, 2, n).astype(np.float64)
    yhat = np_sigmoid(X @ w)
    loss = ref.logreg_loss(w, X, y)
    assert isinstance(loss, float)
    assert math.isclose(loss, float(np.sum(-y * np.log(yhat) - (1 - y) * np.log(1 - yhat))), rel_tol=1e-12)
    grad = ref.logreg_grad(w, X, y)
    assert grad.shape == (d,)
    np.testing.assert_allclose(grad, X.T @ (yhat - y), rtol=1e-12, atol=1e-14)  # a SUM, not a mean
    assert_close_to_numeric(grad, numeric_vjp(lambda v: ref.logreg_loss(v, X, y), w, 1.0))


# --- matmul and affine ---------------------------------------------------------------------


@pytest.mark.parametrize(("shape", "m"), [((1, 3), 4), ((7, 5), 2), ((13, 2), 11)])
def test_matmul(shape: tuple[int, int], m: int) -> None:
    rng = np.random.default_rng(6)
    A = rng.normal(size=shape)
    B = rng.normal(size=(shape[1], m))
    G = rng.normal(size=(shape[0], m))
    np.testing.assert_allclose(ref.matmul(A, B), A @ B, rtol=1e-13, atol=1e-14)
    assert_close_to_numeric(G @ B.T, numeric_vjp(lambda a: ref.matmul(a, B), A, G))
    assert_close_to_numeric(A.T @ G, numeric_vjp(lambda b: ref.matmul(A, b), B, G))


@pytest.mark.parametrize(("shape", "m"), [((1, 3), 4), ((7, 5), 2), ((13, 2), 11)])
def test_affine_forward_and_backward(shape: tuple[int, int], m: int) -> None:
    rng = np.random.default_rng(7)
    X = rng.normal(size=shape)
    A = rng.normal(size=(shape[1], m))
    b = rng.normal(size=m)
    G = rng.normal(size=(shape[0], m))
    np.testing.assert_allclose(ref.affine_forward(X, A, b), X @ A + b, rtol=1e-13, atol=1e-14)
    dX, dA, db = ref.affine_backward(G, X, A)
    assert_close_to_numeric(dX, numeric_vjp(lambda x: ref.affine_forward(x, A, b), X, G))
    assert_close_to_numeric(dA, numeric_vjp(lambda a: ref.affine_forward(X, a, b), A, G))
    assert_close_to_numeric(db, numeric_vjp(lambda c: ref.affine_forward(X, A, c), b, G))

    dA_each, db_each = ref.affine_backward_per_example(G, X)
    assert dA_each.shape == (shape[0], shape[1], m) and db_each.shape == (shape[0], m)
    np.testing.assert_array_equal(dA_each, X[:, :, None] * G[:, None, :])
    np.testing.assert_array_equal(db_each, G)
    # edf's Parameter.addgrad sums axis 0 (L770), which must give the GEMM gradients.
    np.testing.assert_allclose(dA_each.sum(axis=0), dA, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(db_each.sum(axis=0), db, rtol=1e-12, atol=1e-14)
    for i in range(shape[0]):
        row = X[i : i + 1]
        numeric = numeric_vjp(lambda a, row=row: ref.affine_forward(row, a, b), A, G[i : i + 1])
        assert_close_to_numeric(dA_each[i], numeric)


@pytest.mark.parametrize("shape", [(1, 3), (7, 5), (13, 2), (3, 1)])
def test_affine_sigmoid_loops(shape: tuple[int, int]) -> None:
    rng = np.random.default_rng(8)
    A = rng.normal(size=shape)
    x = rng.normal(size=shape[1])
    b = rng.normal(size=shape[0])
    y_grad = rng.normal(size=shape[0])
    u, y = ref.affine_sigmoid_loops_forward(A, x, b)
    np.testing.assert_allclose(u, A @ x, rtol=1e-13, atol=1e-14)  # b is NOT part of u (erratum 3)
    np.testing.assert_allclose(y, np_sigmoid(A @ x + b), rtol=1e-13)

    A_grad, x_grad, b_grad, u_grad = ref.affine_sigmoid_loops_backward(A, x, b, u, y_grad)
    assert (A_grad.shape, x_grad.shape, b_grad.shape, u_grad.shape) == (A.shape, x.shape, b.shape, b.shape)
    np.testing.assert_array_equal(b_grad, u_grad)

    def y_of(A_: np.ndarray, x_: np.ndarray, b_: np.ndarray) -> np.ndarray:
        return ref.affine_sigmoid_loops_forward(A_, x_, b_)[1]

    assert_close_to_numeric(A_grad, numeric_vjp(lambda a: y_of(a, x, b), A, y_grad))
    assert_close_to_numeric(x_grad, numeric_vjp(lambda v: y_of(A, v, b), x, y_grad))
    assert_close_to_numeric(b_grad, numeric_vjp(lambda c: y_of(A, x, c), b, y_grad))
    assert_close_to_numeric(u_grad, numeric_vjp(lambda v: ref.sigmoid(v + b), u, y_grad))


# --- softmax and cross-entropy -------------------------------------------------------------


@pytest.mark.parametrize("shape", [*MATRIX_SHAPES, (1, 1), (2, 3, 5)])
def test_softmax_forward_and_backward(shape: tuple[int, ...]) -> None:
    rng = np.random.default_rng(9)
    S = rng.normal(size=shape)
    G = rng.normal(size=shape)
    P = ref.softmax(S)
    expected = np.exp(S - S.max(axis=-1, keepdims=True))
    np.testing.assert_allclose(P, expected / expected.sum(axis=-1, keepdims=True), rtol=1e-13)
    backward = ref.softmax_backward(P, G)
    np.testing.assert_allclose(
        backward, P * (G - np.sum(G * P, axis=-1, keepdims=True)), rtol=1e-12, atol=1e-14
    )
    assert_close_to_numeric(backward, numeric_vjp(ref.softmax, S, G))


def test_softmax_extreme_rows_sum_to_one() -> None:
    S = np.array([[1000.0, -1000.0, 0.0], [1000.0, 1000.0, 999.0], [-1000.0, -1000.0, -1000.0]])
    with np.errstate(all="raise"):
        P = ref.softmax(S)
    assert np.all(np.isfinite(P))
    np.testing.assert_allclose(P.sum(axis=1), 1.0, rtol=1e-15)
    np.testing.assert_allclose(P[0], [1.0, 0.0, 0.0])
    np.testing.assert_allclose(P[2], [1 / 3] * 3, rtol=1e-15)


@pytest.mark.parametrize("shape", MATRIX_SHAPES)
def test_cross_entropy_and_backward(shape: tuple[int, int]) -> None:
    rng = np.random.default_rng(10)
    n, c = shape
    P = ref.softmax(rng.normal(size=shape))
    y = rng.integers(0, c, n)
    g = rng.normal(size=n)
    np.testing.assert_allclose(ref.cross_entropy(P, y), -np.log(P[np.arange(n), y]), rtol=1e-14)
    dP = ref.cross_entropy_backward(P, y, g)
    mask = np.zeros(shape, dtype=bool)
    mask[np.arange(n), y] = True
    assert np.all(dP[~mask] == 0.0)
    assert_close_to_numeric(dP, numeric_vjp(lambda p: ref.cross_entropy(p, y), P, g))


def test_cross_entropy_rejects_bad_labels() -> None:
    P = np.full((2, 3), 1 / 3)
    with pytest.raises(ValueError, match="labels"):
        ref.cross_entropy(P, [0, 3])
    with pytest.raises(ValueError, match="labels"):
        ref.cross_entropy_backward(P, [0], [1.0, 1.0])


# --- scalar graphs -------------------------------------------------------------------------

POINTS = [(0.3, -1.2, 0.7, 2.0), (-2.0, 0.5, -1.5, -0.4), (1.1, 2.3, 3.0, 0.0)]


@pytest.mark.parametrize(("w0", "w1", "x", "y"), POINTS)
def test_linreg_graphs(w0: float, w1: float, x: float, y: float) -> None:
    u, yhat, z, L, dL_dz, dL_dyhat, dL_du, dL_dw0, dL_dw1 = ref.linreg_fine(w0, w1, x, y)
    assert (u, yhat, z) == (w1 * x, w0 + w1 * x, w0 + w1 * x - y)
    assert math.isclose(L, z**2, rel_tol=1e-15)
    assert_close_to_numeric(dL_dz, numeric_derivative(lambda t: t**2, z))
    assert_close_to_numeric(dL_dyhat, numeric_derivative(lambda t: (t - y) ** 2, yhat))
    assert_close_to_numeric(dL_du, numeric_derivative(lambda t: (w0 + t - y) ** 2, u))
    assert_close_to_numeric(dL_dw0, numeric_derivative(lambda t: ref.linreg_fine(t, w1, x, y)[3], w0))
    assert_close_to_numeric(dL_dw1, numeric_derivative(lambda t: ref.linreg_fine(w0, t, x, y)[3], w1))

    # Granularity does not change the gradients (E2.5).
    c_yhat, c_L, c_dL_dyhat, c_dL_dw0, c_dL_dw1 = ref.linreg_coarse(w0, w1, x, y)
    assert math.isclose(c_yhat, yhat, rel_tol=1e-15) and math.isclose(c_L, L, rel_tol=1e-14)
    assert_close_to_numeric((c_dL_dyhat, c_dL_dw0, c_dL_dw1), (dL_dyhat, dL_dw0, dL_dw1))
    assert_close_to_numeric(c_dL_dw0, numeric_derivative(lambda t: ref.linreg_coarse(t, w1, x, y)[1], w0))
    assert_close_to_numeric(c_dL_dw1, numeric_derivative(lambda t: ref.linreg_coarse(w0, t, x, y)[1], w1))


@pytest.mark.parametrize(
    ("w0", "w1", "x", "y"), [(0.3, -1.2, 0.7, 1.0), (-2.0, 0.5, -1.5, 0.0), (1.1, 2.3, 1.0, 0.3)]
)
def test_logreg_scalar(w0: float, w1: float, x: float, y: float) -> None:
    u, yhat, L, dL_dyhat, dL_du, dL_dw0, dL_dw1 = ref.logreg_scalar(w0, w1, x, y)
    assert u == w0 + w1 * x
    assert math.isclose(yhat, 1 / (1 + math.exp(-u)), rel_tol=1e-15)
    assert math.isclose(L, -y * math.log(yhat) - (1 - y) * math.log(1 - yhat), rel_tol=1e-12)
    bce = lambda t: float(ref.bce(t, y))  # noqa: E731
    assert_close_to_numeric(dL_dyhat, numeric_derivative(bce, yhat))
    assert_close_to_numeric(dL_du, dL_dyhat * yhat * (1 - yhat))  # L728 step 2
    assert_close_to_numeric(dL_du, numeric_derivative(lambda t: bce(1 / (1 + math.exp(-t))), u))
    assert_close_to_numeric(dL_dw0, numeric_derivative(lambda t: ref.logreg_scalar(t, w1, x, y)[2], w0))
    assert_close_to_numeric(dL_dw1, numeric_derivative(lambda t: ref.logreg_scalar(w0, t, x, y)[2], w1))
    assert_close_to_numeric(dL_dw1, (yhat - y) * x)  # eq. 9


def test_logreg_scalar_saturated_stays_finite() -> None:
    with np.errstate(all="raise"):
        _, yhat, L, _, dL_du, dL_dw0, dL_dw1 = ref.logreg_scalar(0.0, 1.0, 800.0, 0.0)
    assert (yhat, L, dL_du, dL_dw0, dL_dw1) == (1.0, 800.0, 1.0, 1.0, 800.0)


@pytest.mark.parametrize("x", [-2.5, -0.3, 0.4, 1.3, 2.9])
def test_fanout(x: float) -> None:
    y, u, v, L, dL_du, dL_dv, dL_dy, dL_dx = ref.fanout(x)
    assert (y, u, v) == (math.sin(x), math.sin(x) ** 2, math.exp(math.sin(x)))
    assert math.isclose(L, u * v, rel_tol=1e-15)
    assert_close_to_numeric(dL_du, numeric_derivative(lambda t: t * v, u))
    assert_close_to_numeric(dL_dv, numeric_derivative(lambda t: u * t, v))
    assert_close_to_numeric(dL_dy, numeric_derivative(lambda t: t**2 * math.exp(t), y))
    assert_close_to_numeric(dL_dx, numeric_derivative(lambda t: ref.fanout(t)[3], x))

    via_u, via_v = ref.fanout_paths(x)
    assert math.isclose(via_u + via_v, dL_dy, rel_tol=1e-15)
    # Each path alone: vary y in one branch and hold the other branch at its forward value.
    assert_close_to_numeric(via_u, numeric_derivative(lambda t: t**2 * v, y))
    assert_close_to_numeric(via_v, numeric_derivative(lambda t: u * math.exp(t), y))
