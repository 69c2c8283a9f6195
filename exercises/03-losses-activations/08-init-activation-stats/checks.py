"""Checks for `init-xavier-he` (runs in the grader; learner code only through ctx.call).

Statistical bounds are sized so that a correct initializer essentially never fails (about 7 standard errors
over 120 000 draws), while a wrong variance formula (He for Xavier, 2/√D_in, Glorot's 2/(D_in+D_out) for
these shapes) or a uniform distribution always does.
"""

import numpy as np

from grader import reference_blocks as rb
from grader.checklib import CheckContext, check

D_IN, D_OUT = 400, 300  # 120 000 draws; not square, so a transpose shows in the shape
STD_BOUND = 0.015
WITHIN_ONE_STD = 0.682689492137086  # P(|z| < 1) for a standard normal
EXPERIMENTS = [("tanh", "xavier"), ("tanh", "small"), ("tanh", "large"), ("relu", "xavier"), ("relu", "he")]


def _seed(ctx: CheckContext) -> int:
    return int(ctx.rng.integers(0, 2**31 - 1))


def _statistics(ctx: CheckContext, name: str, scheme: str) -> None:
    W = ctx.expect_array(f"{name}({D_IN}, {D_OUT}, seed)", ctx.call(name, D_IN, D_OUT, _seed(ctx)), (D_IN, D_OUT))
    W = W.astype(np.float64)
    sigma = rb.init_std(scheme, D_IN)
    n = W.size
    mean, std = float(W.mean()), float(W.std())
    ctx.expect(abs(mean) < 6 * sigma / np.sqrt(n), f"{name}: the mean of the weights is {mean:.3g}; it should be 0 "
               f"(within {6 * sigma / np.sqrt(n):.2g} over {n} draws)", diagnosis="distribution")
    ctx.expect(abs(std / sigma - 1) < STD_BOUND,
               f"{name}({D_IN}, {D_OUT}): the weights have std {std:.5g}, but std {sigma:.5g} was expected "
               f"(ratio {std / sigma:.4f})", diagnosis="std")
    inside = float(np.mean(np.abs(W) < sigma))
    bound = 6 * np.sqrt(WITHIN_ONE_STD * (1 - WITHIN_ONE_STD) / n)
    ctx.expect(abs(inside - WITHIN_ONE_STD) < bound,
               f"{name}: {inside:.1%} of the weights lie within one std of 0; a normal distribution puts 68.3 % "
               f"there (a uniform one 57.7 %)", diagnosis="distribution")


@check("xavier_init draws W (D_in, D_out) from N(0, 1/D_in)", points=2)
def xavier(ctx: CheckContext) -> None:
    _statistics(ctx, "xavier_init", "xavier")


@check("he_init draws W (D_in, D_out) from N(0, 2/D_in)", points=2)
def he(ctx: CheckContext) -> None:
    _statistics(ctx, "he_init", "he")


@check("the same seed gives the same weights, another seed other weights", points=1)
def reproducible(ctx: CheckContext) -> None:
    for name in ("xavier_init", "he_init"):
        seed = _seed(ctx)
        first = ctx.expect_array(f"{name}(7, 5, seed)", ctx.call(name, 7, 5, seed), (7, 5))
        again = ctx.expect_array(f"{name}(7, 5, seed)", ctx.call(name, 7, 5, seed), (7, 5))
        other = ctx.expect_array(f"{name}(7, 5, seed + 1)", ctx.call(name, 7, 5, seed + 1), (7, 5))
        ctx.expect(np.array_equal(first, again), f"{name} gave different weights for the same seed: draw from "
                   f"np.random.default_rng(seed)", diagnosis="seed")
        ctx.expect(not np.array_equal(first, other), f"{name} gave the same weights for different seeds: draw "
                   f"from np.random.default_rng(seed)", diagnosis="seed")


@check("activation_stds matches the reference from the same seed (tanh and ReLU, four initializations)", points=5)
def activation_statistics(ctx: CheckContext) -> None:
    n, d, depth, width = ctx.cases([(200, 64, 10, 100)], [(150, 90, 7, 60)])[0]  # D != width: the first layer differs
    X = ctx.rng.standard_normal((n, d))
    seed = _seed(ctx)
    curves = {}
    for activation, init in EXPERIMENTS:
        expected = rb.activation_stds(X, depth, width, activation, init, seed)
        got = ctx.expect_array(f"activation_stds(X, {depth}, {width}, '{activation}', '{init}', seed)",
                               ctx.call("activation_stds", X, depth, width, activation, init, seed), (depth,))
        curves[f"{activation} + {init}"] = [(layer + 1, max(float(v), 1e-30)) for layer, v in enumerate(got)]
        ratio = np.asarray(got, dtype=np.float64) / expected
        ctx.expect(not np.allclose(ratio, np.sqrt(n * width / (n * width - 1)), rtol=1e-9),
                   f"activation_stds for {activation} with {init} init uses the 1/(M−1) variance (ddof=1) over the "
                   f"M = {n * width} entries of each layer; np.std(h) (ddof=0, 1/M) is asked for", diagnosis="factor")
        # floor 1e-300: "small" init shrinks the std to ~1e-10, and it must still be compared relatively
        ctx.expect_close(f"activation_stds for {activation} with {init} init (layer 1 … {depth})", got, expected,
                         rtol=1e-6, floor=1e-300)
    ctx.plot("std of each layer's activations (your numbers)", curves, x_label="layer", y_label="std", log_y=True)
