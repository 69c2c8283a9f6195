"""Checks for `affine-loops-njit` (runs in the grader; learner code only through ctx.call / ctx.probe)."""

import numpy as np

from grader import reference as ref
from grader.checklib import CheckContext, check
from grader.compare import compare
from grader.numbacheck import expect_compiled, expect_loops
from grader.sandbox import LearnerError

FUNCTIONS = ("affine_sigmoid_forward", "affine_sigmoid_backward")
# (M, D): primes and non-square shapes, so swapped i/j indices hit the bounds check; M = 1 and D = 1 last,
# after shapes where a loop that stops one short shows as "only the last row is wrong".
SHAPES_LOCAL = [(3, 5), (7, 2), (1, 1)]
SHAPES_HIDDEN = [(11, 13), (4, 4), (5, 1), (1, 6)]


def _layer(ctx: CheckContext, m: int, d: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    # A scaled by 1/√D keeps u + b within a few units: σ' is not vanishingly small anywhere.
    A = ctx.rng.normal(0.0, 1.0 / np.sqrt(d), size=(m, d))
    return A, ctx.rng.normal(0.0, 1.0, size=d), ctx.rng.normal(0.0, 0.5, size=m)


def _call(ctx: CheckContext, name: str, *args: np.ndarray) -> object:
    """ctx.call, with an out-of-bounds index (NUMBA_BOUNDSCHECK=1) explained by the shapes involved."""
    try:
        return ctx.call(name, *args)
    except LearnerError as error:
        if error.type != "IndexError":
            raise
        m, d = args[0].shape
        ctx.fail(f"{name} indexed past the end of an array (IndexError: {error.message}) for A of shape "
                 f"{(m, d)}: i runs over the M = {m} rows (u, b, y, b_grad, the first axis of A and A_grad) and "
                 f"j over the D = {d} columns (x, x_grad, the second axis of A and A_grad). Look for a swapped "
                 f"[i, j] or a result allocated with the wrong shape.", diagnosis="shape", details=error.traceback)


def _forward(ctx: CheckContext, A: np.ndarray, x: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    u, y = ctx.expect_tuple("affine_sigmoid_forward(A, x, b)", _call(ctx, "affine_sigmoid_forward", A, x, b), 2)
    m = A.shape[0]
    return (ctx.expect_array("u from affine_sigmoid_forward", u, (m,)),
            ctx.expect_array("y from affine_sigmoid_forward", y, (m,)))


def _backward(ctx: CheckContext, A: np.ndarray, x: np.ndarray, b: np.ndarray, u: np.ndarray,
              y_grad: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return tuple(ctx.expect_tuple("affine_sigmoid_backward(A, x, b, u, y_grad)",
                                  _call(ctx, "affine_sigmoid_backward", A, x, b, u, y_grad), 3))


def _expect(ctx: CheckContext, label: str, got, expected: np.ndarray, known: dict[str, np.ndarray]) -> None:
    """expect_close, but a known mistake (the value it matches instead) is named in the message."""
    result = compare(label, got, expected)
    if result.ok:
        return
    if isinstance(got, np.ndarray) and got.shape == expected.shape:
        for why, value in known.items():
            if compare(label, got, value).ok:
                ctx.fail(f"{label} {why}", diagnosis="mismatch", details=result.details)
        # Everything right but the last entry along one axis: a loop that stops one short.
        for axis, size in enumerate(expected.shape):
            head = tuple(slice(0, size - 1) if a == axis else slice(None) for a in range(expected.ndim))
            if size > 1 and compare(label, got[head], expected[head]).ok:
                what = "entry" if expected.ndim == 1 else ("row" if axis == 0 else "column")
                ctx.fail(f"{label}: only its last {what} (index {size - 1}) is wrong. Does a loop stop one short, "
                         f"like range({'M' if axis == 0 and 'x_grad' not in label else 'D'} - 1)?",
                         diagnosis="mismatch", details=result.details)
    ctx.fail(result.explanation, diagnosis=result.diagnosis, details=result.details)


@check("both functions are @njit-compiled loops (read from your source)", points=2, target="numba")
def compiled_loops(ctx: CheckContext) -> None:
    # Parsed, never run: a decorator that is not in the source cannot be faked at run time.
    for name in FUNCTIONS:
        expect_loops(ctx, name, "the index loops of L884–900 instead (for i in range(M): for j in range(D): …)")
    # Run both once (an untouched starter stops here as "not implemented"), then ask Numba what it compiled.
    # A wrong result or an IndexError is for the other checks to report; a failed compilation is not.
    A, x, b = _layer(ctx, 3, 2)
    expect_compiled(ctx, [("affine_sigmoid_forward", (A, x, b)),
                          ("affine_sigmoid_backward", (A, x, b, np.zeros(3), ctx.rng.standard_normal(3)))])


@check("affine_sigmoid_forward: u = Ax and y = σ(u + b) (L884–886)", points=2, target="numba")
def forward_values(ctx: CheckContext) -> None:
    for m, d in ctx.cases(SHAPES_LOCAL, SHAPES_HIDDEN):
        A, x, b = _layer(ctx, m, d)
        u, y = _forward(ctx, A, x, b)
        u_ref, y_ref = ref.affine_sigmoid_loops_forward(A, x, b)
        _expect(ctx, f"u for A of shape {(m, d)}", u, u_ref, {
            "equals A x + b: in this exercise u = A x WITHOUT b (L884–886, erratum 3); b is added inside σ": u_ref + b,
            "misses the last term A[i, D−1]·x[D−1] of each sum: the j loop must run over all D columns":
                u_ref - A[:, -1] * x[-1],
        })
        _expect(ctx, f"y for A of shape {(m, d)}", y, y_ref, {
            "equals σ(u + 2b): b was added twice (once in u, once inside σ)": ref.sigmoid(u_ref + 2 * b),
            "equals σ(u), without b: y = σ(u + b) (L886)": ref.sigmoid(u_ref),
        })


@check("affine_sigmoid_backward: b_grad, A_grad, x_grad (L892–900)", points=3, target="numba")
def backward_values(ctx: CheckContext) -> None:
    for m, d in ctx.cases(SHAPES_LOCAL, SHAPES_HIDDEN):
        A, x, b = _layer(ctx, m, d)
        y_grad = ctx.rng.standard_normal(m)  # random upstream gradient, never ones
        u_ref, _ = ref.affine_sigmoid_loops_forward(A, x, b)
        A_grad, x_grad, b_grad = _backward(ctx, A, x, b, u_ref, y_grad)
        A_ref, x_ref, b_ref, u_grad = ref.affine_sigmoid_loops_backward(A, x, b, u_ref, y_grad)
        s = ref.sigmoid(u_ref)  # σ' at u instead of u + b
        at_u = y_grad * s * (1 - s)
        where = f"for A of shape {(m, d)}"
        no_prime = "is missing the factor σ'(u_i + b_i): u_grad[i] = y_grad[i]·σ'(u[i] + b[i]) (L892)"
        at_u_only = "evaluates σ' at u_i, not at u_i + b_i: here u = A x excludes b (L892, erratum 3)"
        _expect(ctx, f"b_grad {where}", b_grad, b_ref, {no_prime: y_grad, at_u_only: at_u})
        _expect(ctx, f"A_grad {where}", A_grad, A_ref, {
            no_prime: np.outer(y_grad, x), at_u_only: np.outer(at_u, x),
            "is u_grad[i] alone: the factor x[j] is missing (L899)": np.outer(u_grad, np.ones(d)),
        })
        _expect(ctx, f"x_grad {where}", x_grad, x_ref, {
            no_prime: A.T @ y_grad, at_u_only: A.T @ at_u,
        })


@check("gradients agree with central differences of Σ y_grad·y (your forward)", points=2, target="numba")
def numerical(ctx: CheckContext) -> None:
    m, d = (6, 5) if ctx.official else (4, 3)
    A, x, b = _layer(ctx, m, d)
    y_grad = ctx.rng.standard_normal(m)

    def loss(inputs: dict[str, np.ndarray]) -> float:
        _, y = _forward(ctx, inputs["A"], inputs["x"], inputs["b"])
        return float(np.sum(y_grad * y))

    u, _ = _forward(ctx, A, x, b)
    A_grad, x_grad, b_grad = _backward(ctx, A, x, b, u, y_grad)
    analytic = {"A": ctx.expect_array("A_grad", A_grad, (m, d)), "x": ctx.expect_array("x_grad", x_grad, (d,)),
                "b": ctx.expect_array("b_grad", b_grad, (m,))}
    ctx.gradcheck("d Σ y_grad·y", loss, {"A": A, "x": x, "b": b}, analytic)
