"""grader.reference_deepnets against float64 central differences and plain NumPy formulas."""

from __future__ import annotations

import inspect

import numpy as np
import pytest
from test_reference_kernels import assert_close_to_numeric, numeric_vjp

from grader import reference_deepnets as rd

pytestmark = pytest.mark.filterwarnings("error")

COVERED = {
    "bilinear_sigmoid_forward", "bilinear_sigmoid_backward",
    "mlp2_forward", "mlp2_loss", "mlp2_backward", "mlp_forward", "mlp_backward",
    "threshold_unit", "xor_net_forward", "xor_net_grads", "xor_net_train",
    "collapse_linear", "linear_stack", "sigmoid_sum", "sigmoid_sum_mse_grads", "step_sum_params",
}  # fmt: skip


def test_every_public_function_is_covered() -> None:
    public = {name for name, fn in inspect.getmembers(rd, inspect.isfunction)
              if fn.__module__ == rd.__name__ and not name.startswith("_")}
    assert public == COVERED


def sig(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def _mlp2(rng: np.random.Generator, n: int, d: int, h: int, k: int) -> tuple[np.ndarray, ...]:
    return (rng.normal(size=(n, d)), rng.normal(size=(d, h)), rng.normal(size=h), rng.normal(size=(h, k)),
            rng.normal(size=k), rng.normal(size=(n, k)))


@pytest.mark.parametrize("shape", [(1, 1, 1, 1), (5, 3, 4, 2), (7, 2, 6, 3)])
def test_mlp2_forward_loss_backward(shape: tuple[int, int, int, int]) -> None:
    rng = np.random.default_rng(sum(shape))
    X, A1, b1, A2, b2, Y = _mlp2(rng, *shape)
    H, Yhat = rd.mlp2_forward(X, A1, b1, A2, b2)
    np.testing.assert_allclose(H, sig(X @ A1 + b1), rtol=1e-13)
    np.testing.assert_allclose(Yhat, H @ A2 + b2, rtol=1e-12, atol=1e-13)
    assert rd.mlp2_loss(Yhat, Y) == pytest.approx(0.5 * np.sum((Yhat - Y) ** 2), rel=1e-13)
    dA1, db1, dA2, db2, dH = rd.mlp2_backward(X, Y, A2, H, Yhat)

    def loss_of(name: str):
        def f(v: np.ndarray) -> float:
            args = {"A1": A1, "b1": b1, "A2": A2, "b2": b2, name: v}
            return rd.mlp2_loss(rd.mlp2_forward(X, **args)[1], Y)
        return f

    for name, value, grad in (("A1", A1, dA1), ("b1", b1, db1), ("A2", A2, dA2), ("b2", b2, db2)):
        assert_close_to_numeric(grad, numeric_vjp(loss_of(name), value, 1.0))
    np.testing.assert_allclose(dH, (Yhat - Y) @ A2.T, rtol=1e-12, atol=1e-14)
    with pytest.raises(ValueError):
        rd.mlp2_forward(X, A1.T, b1, A2, b2) if shape[1] != shape[2] else rd.mlp2_forward(X, A1, b2, A2, b1[:0])
    with pytest.raises(ValueError):
        rd.mlp2_backward(X, Y, A2, H[:, :0], Yhat)
    with pytest.raises(ValueError):
        rd.mlp2_loss(Yhat, Y[:, :0])


@pytest.mark.parametrize("widths", [[3, 2], [2, 5, 1], [4, 3, 6, 2]])
def test_mlp_forward_and_backward(widths: list[int]) -> None:
    rng = np.random.default_rng(len(widths))
    X = rng.normal(size=(5, widths[0]))
    params = []
    for din, dout in zip(widths[:-1], widths[1:], strict=True):
        params += [rng.normal(size=(din, dout)), rng.normal(size=dout)]
    outs = rd.mlp_forward(X, params)
    h = X
    for i in range(0, len(params), 2):
        h = h @ params[i] + params[i + 1]
        if i < len(params) - 2:
            h = sig(h)
        np.testing.assert_allclose(outs[i // 2], h, rtol=1e-12, atol=1e-13)
    G = rng.normal(size=outs[-1].shape)
    grads, dX = rd.mlp_backward(X, params, G)
    assert [g.shape for g in grads] == [p.shape for p in params]
    for i, (p, g) in enumerate(zip(params, grads, strict=True)):
        def f(v: np.ndarray, i: int = i) -> np.ndarray:
            return rd.mlp_forward(X, params[:i] + [v] + params[i + 1:])[-1]
        assert_close_to_numeric(g, numeric_vjp(f, p, G))
    assert_close_to_numeric(dX, numeric_vjp(lambda v: rd.mlp_forward(v, params)[-1], X, G))
    with pytest.raises(ValueError):
        rd.mlp_forward(X, params[:-1])
    with pytest.raises(ValueError):
        rd.mlp_backward(X, params, G[:, :0])


def test_threshold_unit_and_tie_rule() -> None:
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    np.testing.assert_array_equal(rd.threshold_unit(X, [1, 1], -0.5), [0, 1, 1, 1])  # OR, L993
    np.testing.assert_array_equal(rd.threshold_unit(X, [1, 1], -1.5), [0, 0, 0, 1])  # AND, L995
    np.testing.assert_array_equal(rd.threshold_unit(X, [1, 1], -1.0), [0, 0, 0, 1])  # a tie (= 0) is class 0
    rng = np.random.default_rng(5)
    Z, w = rng.normal(size=(9, 3)), rng.normal(size=3)
    np.testing.assert_array_equal(rd.threshold_unit(Z, w, 0.3), (Z @ w + 0.3 > 0).astype(int))
    assert rd.threshold_unit(Z, w, 0.3).dtype == np.int64
    with pytest.raises(ValueError):
        rd.threshold_unit(Z, w[:2], 0.0)


def test_xor_net_forward_grads_and_train() -> None:
    rng = np.random.default_rng(6)
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    y = np.array([0.0, 1.0, 1.0, 0.0])
    A1, b1, a2, b2 = rng.normal(size=(2, 3)), rng.normal(size=3), rng.normal(size=3), 0.3
    H, yhat = rd.xor_net_forward(X, A1, b1, a2, b2)
    np.testing.assert_allclose(H, sig(X @ A1 + b1), rtol=1e-13)
    np.testing.assert_allclose(yhat, sig(H @ a2 + b2), rtol=1e-13)
    loss, dA1, db1, da2, db2 = rd.xor_net_grads(X, y, A1, b1, a2, b2)
    assert loss == pytest.approx(np.mean(-y * np.log(yhat) - (1 - y) * np.log(1 - yhat)), rel=1e-12)

    def bce(A1v=A1, b1v=b1, a2v=a2, b2v=b2) -> float:
        return rd.xor_net_grads(X, y, A1v, b1v, a2v, float(b2v))[0]

    assert_close_to_numeric(dA1, numeric_vjp(lambda v: bce(A1v=v), A1, 1.0))
    assert_close_to_numeric(db1, numeric_vjp(lambda v: bce(b1v=v), b1, 1.0))
    assert_close_to_numeric(da2, numeric_vjp(lambda v: bce(a2v=v), a2, 1.0))
    assert_close_to_numeric(db2, numeric_vjp(lambda v: bce(b2v=v[0]), np.array([b2]), 1.0)[0])
    A1n, b1n, a2n, b2n, losses = rd.xor_net_train(X, y, A1, b1, a2, b2, 0.5, 2)
    A1m, b1m, a2m, b2m = A1 - 0.5 * dA1, b1 - 0.5 * db1, a2 - 0.5 * da2, b2 - 0.5 * db2
    step2 = rd.xor_net_grads(X, y, A1m, b1m, a2m, b2m)
    np.testing.assert_allclose(losses, [loss, step2[0]], rtol=1e-13)
    np.testing.assert_allclose(A1n, A1m - 0.5 * step2[1], rtol=1e-13)
    np.testing.assert_allclose(b1n, b1m - 0.5 * step2[2], rtol=1e-13)
    np.testing.assert_allclose(a2n, a2m - 0.5 * step2[3], rtol=1e-13)
    assert b2n == pytest.approx(b2m - 0.5 * step2[4], rel=1e-13)
    np.testing.assert_array_equal(A1, A1)  # inputs untouched: train copies
    with pytest.raises(ValueError):
        rd.xor_net_grads(X, y[:3], A1, b1, a2, b2)
    with pytest.raises(ValueError):
        rd.xor_net_forward(X, A1, b1, a2[:2], b2)
    with pytest.raises(ValueError):
        rd.xor_net_train(X, y, A1, b1, a2, b2, 0.1, -1)


def test_collapse_linear_and_stack() -> None:
    rng = np.random.default_rng(7)
    widths = [4, 6, 3, 5]
    As = [rng.normal(size=(o, i)) for i, o in zip(widths[:-1], widths[1:], strict=True)]
    bs = [rng.normal(size=o) for o in widths[1:]]
    A, b = rd.collapse_linear(As, bs)
    np.testing.assert_allclose(A, As[2] @ As[1] @ As[0], rtol=1e-12)
    np.testing.assert_allclose(b, As[2] @ (As[1] @ bs[0] + bs[1]) + bs[2], rtol=1e-12)
    X = rng.normal(size=(7, 4))
    h = X
    for Ai, bi in zip(As, bs, strict=True):
        h = h @ Ai.T + bi
    np.testing.assert_allclose(rd.linear_stack(As, bs, X), h, rtol=1e-12)
    np.testing.assert_allclose(rd.linear_stack(As, bs, X), X @ A.T + b, rtol=1e-10, atol=1e-12)
    A1, b1 = rd.collapse_linear(As[:1], bs[:1])
    np.testing.assert_array_equal(A1, As[0])
    np.testing.assert_array_equal(b1, bs[0])
    with pytest.raises(ValueError):
        rd.collapse_linear(As, bs[:2])
    with pytest.raises(ValueError):
        rd.collapse_linear([As[1], As[0]], [bs[1], bs[0]])


def test_sigmoid_sum_and_grads() -> None:
    rng = np.random.default_rng(8)
    x, y = rng.uniform(0, 1, 11), rng.normal(size=11)
    alpha, a, b, c = rng.normal(size=5), rng.normal(0, 3, 5), rng.normal(size=5), 0.7
    G = rd.sigmoid_sum(x, alpha, a, b, c)
    np.testing.assert_allclose(G, c + sig(np.outer(x, a) + b) @ alpha, rtol=1e-13)
    loss, dal, da, db, dc = rd.sigmoid_sum_mse_grads(x, y, alpha, a, b, c)
    assert loss == pytest.approx(np.mean((G - y) ** 2), rel=1e-13)

    def mse(alv=alpha, av=a, bv=b, cv=c) -> float:
        return rd.sigmoid_sum_mse_grads(x, y, alv, av, bv, float(cv))[0]

    assert_close_to_numeric(dal, numeric_vjp(lambda v: mse(alv=v), alpha, 1.0))
    assert_close_to_numeric(da, numeric_vjp(lambda v: mse(av=v), a, 1.0))
    assert_close_to_numeric(db, numeric_vjp(lambda v: mse(bv=v), b, 1.0))
    assert_close_to_numeric(dc, numeric_vjp(lambda v: mse(cv=v[0]), np.array([c]), 1.0)[0])
    with pytest.raises(ValueError):
        rd.sigmoid_sum(x, alpha, a[:3], b, c)
    with pytest.raises(ValueError):
        rd.sigmoid_sum_mse_grads(x, y[:3], alpha, a, b, c)


def test_step_sum_params_builds_the_staircase() -> None:
    knots = np.linspace(0.0, 1.0, 201)
    f = np.sin(2 * np.pi * knots)
    alpha, a, b, c = rd.step_sum_params(knots, f, 4000.0)
    np.testing.assert_allclose(alpha, np.diff(f), rtol=1e-15)
    np.testing.assert_array_equal(a, np.full(200, 4000.0))
    np.testing.assert_allclose(-b / a, (knots[:-1] + knots[1:]) / 2, rtol=1e-15)
    assert c == f[0]
    grid = np.linspace(0.0, 1.0, 3001)
    G = rd.sigmoid_sum(grid, alpha, a, b, c)
    # A staircase: off by at most max|f'|·h/2 = π/200 plus the sigmoid tails.
    assert np.max(np.abs(G - np.sin(2 * np.pi * grid))) < 0.02
    np.testing.assert_allclose(rd.sigmoid_sum(knots, alpha, a, b, c), f, atol=1e-5)  # tails σ(±10)·Δf
    with pytest.raises(ValueError):
        rd.step_sum_params(knots[::-1], f, 10.0)


@pytest.mark.parametrize("shape", [(1, 1, 1, 1), (2, 3, 4, 5), (3, 5, 2, 4)])
def test_bilinear_forward_and_backward(shape: tuple[int, int, int, int]) -> None:
    g, ni, nj, nk = shape
    rng = np.random.default_rng(sum(shape) + 11)
    A, B = rng.normal(size=(g, ni, nk)), rng.normal(size=(g, nj, nk))
    Yg = rng.normal(size=(g, ni, nj))
    U, Y = rd.bilinear_sigmoid_forward(A, B)
    np.testing.assert_allclose(U, np.einsum("hik,hjk->hij", A, B), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(Y, sig(U), rtol=1e-13)
    A_grad, B_grad, U_grad = rd.bilinear_sigmoid_backward(A, B, U, Yg)
    np.testing.assert_allclose(U_grad, Yg * sig(U) * (1 - sig(U)), rtol=1e-12)
    assert_close_to_numeric(A_grad, numeric_vjp(lambda v: rd.bilinear_sigmoid_forward(v, B)[1], A, Yg))
    assert_close_to_numeric(B_grad, numeric_vjp(lambda v: rd.bilinear_sigmoid_forward(A, v)[1], B, Yg))
    with pytest.raises(ValueError):
        rd.bilinear_sigmoid_forward(A, B[:, :, :0])
    with pytest.raises(ValueError):
        rd.bilinear_sigmoid_backward(A, B, U[:, :, :0], Yg)
