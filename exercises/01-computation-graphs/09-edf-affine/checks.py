"""Checks for `edf-affine` (runs in the grader; learner code only through ctx.probe).

The Affine node is run on stand-in parents (x, and params whose .A and .b record what addgrad
receives), so it is graded on its own. AffineParams needs the learner's Parameter (edf-core).
"""

import numpy as np

from grader import graphwalk as gw
from grader import reference as ref
from grader.checklib import CheckContext, check

# (N, D, M) = (batch, nIn, nOut): a batch of 1, non-square, prime sizes. D = M comes first: a missing
# transpose then gives wrong numbers, which get named, instead of a shape error.
SIZES_LOCAL = [(7, 4, 4), (1, 3, 2), (5, 3, 4)]
SIZES_HIDDEN = [(3, 5, 5), (13, 2, 11), (1, 7, 3)]


def _inputs(ctx: CheckContext, n: int, d: int, m: int) -> dict[str, np.ndarray]:
    return {"x": ctx.rng.standard_normal((n, d)), "A": ctx.rng.standard_normal((d, m)),
            "b": ctx.rng.standard_normal(m)}


@check("AffineParams(nIn, nOut) holds Parameters A (nIn, nOut) ~ N(0, 1/nIn) and b = 0", points=2)
def params(ctx: CheckContext) -> None:
    n_in, n_out = (50, 40) if not ctx.official else (60, 30)
    seed = int(ctx.rng.integers(1, 2**31 - 2))
    out = ctx.probe("affine_params", n_in, n_out, seed)
    ctx.expect(all(out["parameters"]), "AffineParams must hold its weights and bias as edf Parameters "
                                       "(self.A = Parameter(...), self.b = Parameter(...)).", diagnosis="dtype")
    ctx.expect(all(out["registered"]), "A and b are not in Parameters: create them with Parameter(...), whose "
                                       "__init__ registers them (edf-core).", diagnosis="not_registered")
    A = ctx.expect_array("AffineParams(nIn, nOut).A.value", out["A"], (n_in, n_out))
    b = ctx.expect_array("AffineParams(nIn, nOut).b.value", out["b"], (n_out,))
    ctx.expect(np.all(b == 0), "b should start at zero.", diagnosis="mismatch")
    std, wanted = float(np.std(A)), 1 / np.sqrt(n_in)
    # nIn·nOut ≥ 1800 draws: the sample std is within ~2% of the true one, the mean within ~0.03·wanted,
    # so ±15% tells 1/√nIn from He's √(2/nIn) (+41%) or a doubled std, and never fails a correct draw.
    ctx.expect(0.85 * wanted < std < 1.15 * wanted and abs(float(np.mean(A))) < 0.15 * wanted,
               f"A should be drawn from N(0, 1/nIn), a standard deviation of 1/√nIn = {wanted:.3f} for nIn = {n_in} "
               f"(the notes' L1701); yours has mean {np.mean(A):.3f} and standard deviation {std:.3g}.",
               diagnosis="factor")
    ctx.expect(np.array_equal(out["again"], A) and np.array_equal(out["generator"], A),
               "AffineParams(nIn, nOut, rng=seed) must give the same A for the same seed, whether rng is the int "
               "seed or np.random.default_rng(seed): draw from np.random.default_rng(rng).", diagnosis="mismatch")
    ctx.expect(not np.array_equal(out["other"], A), "Another seed should give another A: use rng for the draw.",
               diagnosis="mismatch")


@check("Affine.forward computes X A + b, and the node registers itself", points=2)
def forward(ctx: CheckContext) -> None:
    for n, d, m in ctx.cases(SIZES_LOCAL, SIZES_HIDDEN):
        inputs = _inputs(ctx, n, d, m)
        out = gw.run_node(ctx, "Affine", inputs, None)
        gw.expect_judged(ctx, f"Affine's value for X {(n, d)}, A {(d, m)}", out["value"],
                         ref.affine_forward(inputs["x"], inputs["A"], inputs["b"]),
                         mistakes=gw.forward_mistakes("Affine", inputs))
        ctx.expect(out["registered"], "Affine.__init__ must append the node to CompNodes, or Forward() and "
                                      "Backward() never visit it.", diagnosis="not_registered")


@check("Affine.backward sends G Aᵀ to x and per-example gradients to b (N, M) and A (N, D, M)", points=3)
def backward(ctx: CheckContext) -> None:
    for n, d, m in ctx.cases(SIZES_LOCAL, SIZES_HIDDEN):
        inputs = _inputs(ctx, n, d, m)
        upstream = ctx.rng.standard_normal((n, m))
        out = gw.run_node(ctx, "Affine", inputs, upstream)
        expected = gw.node_backward("Affine", inputs, upstream)
        for role in ("x", "b", "A"):
            gw.expect_judged(ctx, f"the gradient Affine sends to {gw.ROLE_WORDS[role]} (N, D, M = {n}, {d}, {m})",
                             gw.received(ctx, "Affine", out, role), expected[role], batch=n,
                             mistakes=gw.backward_mistakes("Affine", role, inputs, upstream))


@check("Affine.backward agrees with central differences of your forward", points=3)
def backward_numerical(ctx: CheckContext) -> None:
    n, d, m = (4, 3, 2) if not ctx.official else (6, 5, 3)
    gw.node_gradcheck(ctx, "Affine", _inputs(ctx, n, d, m), ctx.rng.standard_normal((n, m)))
