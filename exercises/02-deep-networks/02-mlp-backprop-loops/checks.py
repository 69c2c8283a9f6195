"""Checks for `mlp-backprop-loops` (runs in the grader; learner code only through ctx.call / ctx.probe).

The two-layer MLP H = σ(X A1 + b1), Ŷ = H A2 + b2 with L = ½ Σ (Ŷ − Y)² summed over the batch. The backward
functions get the reference H and Ŷ, so a wrong forward pass does not spill into the backward checks.
"""

import numpy as np

from grader import reference as ref
from grader import reference_deepnets as rd
from grader.checklib import CheckContext, check
from grader.compare import compare
from grader.numbacheck import expect_compiled, expect_loops
from grader.sandbox import LearnerError

LOOPS = ("mlp_forward_loops", "mlp_backward_loops")
# (N, D, H, K): every size different and non-square, so a swapped index or a transposed result shows; N = 1 last.
SHAPES_LOCAL = [(5, 3, 4, 2), (8, 2, 7, 3), (1, 1, 1, 1)]
SHAPES_HIDDEN = [(13, 5, 6, 3), (2, 7, 3, 1), (6, 4, 9, 5)]
MEMORY_SHAPE = (32, 64, 64, 8)  # (N, D, H, K): the (N, D, H) outer product for dA1 is 1,048,576 bytes
GRADS = ("dA1", "db1", "dA2", "db2")


def _net(ctx: CheckContext, n: int, d: int, h: int, k: int) -> dict[str, np.ndarray]:
    # 1/√fan-in keeps the pre-activations within a few units: σ' is nowhere vanishingly small.
    return {"X": ctx.rng.standard_normal((n, d)), "A1": ctx.rng.normal(0, 1 / np.sqrt(d), (d, h)),
            "b1": ctx.rng.normal(0, 0.5, h), "A2": ctx.rng.normal(0, 1 / np.sqrt(h), (h, k)),
            "b2": ctx.rng.normal(0, 0.5, k), "Y": ctx.rng.standard_normal((n, k))}


def _call(ctx: CheckContext, name: str, *args: np.ndarray) -> object:
    """ctx.call, with an out-of-bounds index (NUMBA_BOUNDSCHECK=1) explained by the shapes involved."""
    try:
        return ctx.call(name, *args)
    except LearnerError as error:
        if error.type != "IndexError":
            raise
        ctx.fail(f"{name} indexed past the end of an array (IndexError: {error.message}) for X of shape "
                 f"{args[0].shape}: b runs over the N rows of X, H, Ŷ and Y; j over the D columns of X (rows of "
                 f"A1); i over the H hidden units (columns of A1, rows of A2) or the K outputs (columns of A2). "
                 f"Look for a swapped [j, i] or a result allocated with the wrong shape.", diagnosis="shape",
                 details=error.traceback)


def _forward(ctx: CheckContext, name: str, net: dict) -> tuple[np.ndarray, np.ndarray]:
    got = ctx.expect_tuple(f"{name}(X, A1, b1, A2, b2)",
                           _call(ctx, name, net["X"], net["A1"], net["b1"], net["A2"], net["b2"]), 2)
    n, h, k = net["X"].shape[0], net["A1"].shape[1], net["A2"].shape[1]
    return (ctx.expect_array(f"H from {name}", got[0], (n, h)), ctx.expect_array(f"Ŷ from {name}", got[1], (n, k)))


def _backward(ctx: CheckContext, name: str, net: dict, H: np.ndarray, Yhat: np.ndarray) -> dict[str, np.ndarray]:
    got = ctx.expect_tuple(f"{name}(X, Y, A2, H, Ŷ)", _call(ctx, name, net["X"], net["Y"], net["A2"], H, Yhat), 4)
    shapes = (net["A1"].shape, net["b1"].shape, net["A2"].shape, net["b2"].shape)
    return {g: ctx.expect_array(f"{g} from {name}", v, s) for g, v, s in zip(GRADS, got, shapes, strict=True)}


def _mistakes(net: dict, H: np.ndarray, Yhat: np.ndarray) -> dict[str, dict[str, np.ndarray]]:
    """What each gradient equals under the usual slips, with the sentence that names the slip."""
    X, Y, A2 = net["X"], net["Y"], net["A2"]
    G2 = Yhat - Y
    dH = G2 @ A2.T
    no_prime = dH
    s = ref.sigmoid(H)
    at_h = dH * s * (1 - s)
    per_unit = G2.sum(axis=1, keepdims=True) * H * (1 - H)
    return {
        "dA1": {"is missing σ': the gradient reaching u = X A1 + b1 is dH ⊙ H ⊙ (1 − H)": X.T @ no_prime,
                "evaluates σ' at H, σ(H)(1 − σ(H)): H is already σ(u), so σ'(u) = H ⊙ (1 − H)": X.T @ at_h,
                "ignores A2: dH = (Ŷ − Y) A2ᵀ sends each output's error back through its weights": X.T @ per_unit},
        "db1": {"is missing σ': the gradient reaching u = X A1 + b1 is dH ⊙ H ⊙ (1 − H)": no_prime.sum(axis=0),
                "evaluates σ' at H, σ(H)(1 − σ(H)): H is already σ(u), so σ'(u) = H ⊙ (1 − H)": at_h.sum(axis=0),
                "ignores A2: dH = (Ŷ − Y) A2ᵀ sends each output's error back through its weights":
                    per_unit.sum(axis=0)},
        "dA2": {"uses σ'-weighted H: the output layer is linear, so dA2 = Hᵀ (Ŷ − Y)": (H * (1 - H)).T @ G2},
        "db2": {},
    }


def _expect(ctx: CheckContext, label: str, got: np.ndarray, expected: np.ndarray, known: dict[str, np.ndarray],
            batch: int | None = None) -> None:
    """expect_close, but a known slip (the value it matches instead) is named in the message."""
    result = compare(label, got, expected, batch=batch)
    if result.ok:
        return
    if isinstance(got, np.ndarray) and got.shape == expected.shape:
        for why, value in known.items():
            if compare(label, got, value).ok and not compare(label, value, expected).ok:
                ctx.fail(f"{label} {why}", diagnosis="mismatch", details=result.details)
    ctx.fail(result.explanation, diagnosis=result.diagnosis, details=result.details)


def _check_forward(ctx: CheckContext, name: str) -> None:
    for shape in ctx.cases(SHAPES_LOCAL, SHAPES_HIDDEN):
        net = _net(ctx, *shape)
        H, Yhat = _forward(ctx, name, net)
        H_ref, Y_ref = rd.mlp2_forward(net["X"], net["A1"], net["b1"], net["A2"], net["b2"])
        where = f"for (N, D, H, K) = {shape}"
        _expect(ctx, f"H from {name} {where}", H, H_ref, {
            "equals σ(X A1), without b1: H = σ(X A1 + b1)": ref.sigmoid(net["X"] @ net["A1"]),
            "equals X A1 + b1: apply σ to the hidden layer": net["X"] @ net["A1"] + net["b1"]})
        _expect(ctx, f"Ŷ from {name} {where}", Yhat, Y_ref, {
            "equals σ(H A2 + b2): the output layer of this network is linear, Ŷ = H A2 + b2":
                ref.sigmoid(H_ref @ net["A2"] + net["b2"]),
            "equals H A2, without b2": H_ref @ net["A2"]})


def _check_backward(ctx: CheckContext, name: str) -> None:
    for shape in ctx.cases(SHAPES_LOCAL, SHAPES_HIDDEN):
        net = _net(ctx, *shape)
        H, Yhat = rd.mlp2_forward(net["X"], net["A1"], net["b1"], net["A2"], net["b2"])
        got = _backward(ctx, name, net, H, Yhat)
        expected = rd.mlp2_backward(net["X"], net["Y"], net["A2"], H, Yhat)
        mistakes = _mistakes(net, H, Yhat)
        for g, want in zip(GRADS, expected, strict=False):
            _expect(ctx, f"{g} from {name} for (N, D, H, K) = {shape}", got[g], want, mistakes[g], batch=shape[0])


def _check_numerical(ctx: CheckContext, forward: str, backward: str) -> None:
    net = _net(ctx, *((6, 4, 5, 3) if ctx.official else (5, 3, 4, 2)))

    def loss(p: dict[str, np.ndarray]) -> float:
        _, Yhat = _forward(ctx, forward, {**net, **p})
        return rd.mlp2_loss(Yhat, net["Y"])

    H, Yhat = _forward(ctx, forward, net)
    got = _backward(ctx, backward, net, H, Yhat)
    ctx.gradcheck(f"d ½Σ(Ŷ − Y)² through {forward} and {backward}", loss,
                  {p: net[p] for p in ("A1", "b1", "A2", "b2")},
                  {p: got["d" + p] for p in ("A1", "b1", "A2", "b2")})


# --- numba: the loops --------------------------------------------------------------------------


@check("both loop functions are @njit-compiled loops (read from your source)", points=2, target="numba")
def compiled_loops(ctx: CheckContext) -> None:
    for name in LOOPS:
        expect_loops(ctx, name, "the index loops of L935-937 instead "
                                "(for b in range(N): for i in range(H): for j in range(D): ...)")
    net = _net(ctx, 3, 2, 4, 2)
    H, Yhat = rd.mlp2_forward(net["X"], net["A1"], net["b1"], net["A2"], net["b2"])
    expect_compiled(ctx, [("mlp_forward_loops", (net["X"], net["A1"], net["b1"], net["A2"], net["b2"])),
                          ("mlp_backward_loops", (net["X"], net["Y"], net["A2"], H, Yhat))])


@check("mlp_forward_loops: H = σ(X A1 + b1), Ŷ = H A2 + b2", points=2, target="numba")
def forward_loops(ctx: CheckContext) -> None:
    _check_forward(ctx, "mlp_forward_loops")


@check("mlp_backward_loops: dA1, db1, dA2, db2 (sums over the batch)", points=3, target="numba")
def backward_loops(ctx: CheckContext) -> None:
    _check_backward(ctx, "mlp_backward_loops")


def _agree(ctx: CheckContext, what: str, loops: np.ndarray, vec: np.ndarray, want: np.ndarray, n: int) -> None:
    """Loops first against the reference (this target's subject), then the vectorized value, then each other."""
    ctx.expect_close(f"{what} from your loops", loops, want, batch=n)
    result = compare(f"{what} from your vectorized function", vec, want, batch=n)
    ctx.expect(result.ok, f"{what}: your loops match the reference but your vectorized function does not "
                          f"({result.explanation}); its numpy checks say more", diagnosis=result.diagnosis,
               details=result.details)
    ctx.expect_close(f"{what} from your loops against your vectorized function", loops, vec)


@check("the loops agree with your vectorized functions (and with central differences)", points=2, target="numba")
def loops_vs_vectorized(ctx: CheckContext) -> None:
    net = _net(ctx, *((7, 3, 5, 2) if ctx.official else (4, 3, 5, 2)))
    n = net["X"].shape[0]
    H_l, Y_l = _forward(ctx, "mlp_forward_loops", net)
    H_v, Y_v = _forward(ctx, "mlp_forward", net)
    H_ref, Y_ref = rd.mlp2_forward(net["X"], net["A1"], net["b1"], net["A2"], net["b2"])
    _agree(ctx, "H (forward)", H_l, H_v, H_ref, n)
    _agree(ctx, "Ŷ (forward)", Y_l, Y_v, Y_ref, n)
    got_l = _backward(ctx, "mlp_backward_loops", net, H_ref, Y_ref)
    got_v = _backward(ctx, "mlp_backward", net, H_ref, Y_ref)
    for g, want in zip(GRADS, rd.mlp2_backward(net["X"], net["Y"], net["A2"], H_ref, Y_ref), strict=False):
        _agree(ctx, g, got_l[g], got_v[g], want, n)
    _check_numerical(ctx, "mlp_forward_loops", "mlp_backward_loops")


# --- numpy: vectorized -------------------------------------------------------------------------


@check("mlp_forward: H and Ŷ with matrix products", points=1, target="numpy")
def forward_numpy(ctx: CheckContext) -> None:
    _check_forward(ctx, "mlp_forward")


@check("mlp_backward: dA1 = Xᵀ G1, db1, dA2 = Hᵀ G2, db2 (sums over the batch)", points=3, target="numpy")
def backward_numpy(ctx: CheckContext) -> None:
    _check_backward(ctx, "mlp_backward")


@check("mlp_backward agrees with central differences of ½Σ(Ŷ − Y)² through mlp_forward", points=1, target="numpy")
def numerical_numpy(ctx: CheckContext) -> None:
    _check_numerical(ctx, "mlp_forward", "mlp_backward")


@check("mlp_backward never builds an (N, D, H) outer product (L951)", points=1, target="numpy")
def memory(ctx: CheckContext) -> None:
    n, d, h, k = MEMORY_SHAPE
    net = _net(ctx, n, d, h, k)
    H, Yhat = rd.mlp2_forward(net["X"], net["A1"], net["b1"], net["A2"], net["b2"])
    args = (net["X"], net["Y"], net["A2"], H, Yhat)
    _backward(ctx, "mlp_backward", net, H, Yhat)  # runs it once: an untouched starter is "not implemented"
    peak = ctx.probe("peak_bytes", "mlp_backward", *args)
    outer = n * d * h * 8
    # The GEMM form allocates a few (N, H) and (D, H) arrays, ~200 kB here; a quarter of the outer product is generous.
    ctx.expect(isinstance(peak, int) and peak < outer // 4,
               f"mlp_backward allocated {peak:,} bytes at (N, D, H, K) = {MEMORY_SHAPE}, about as much as the "
               f"(N, D, H) array X[:, :, None] * G1[:, None, :] of L951 ({outer:,} bytes). Compute dA1 = Xᵀ G1 as one "
               f"matrix product: it sums over the batch without storing every example's outer product.",
               diagnosis="not_summed")
