"""Checks for `conv-arithmetic` (runs in the grader; learner code only through ctx.call).

Golden values from curriculum §14 (verified there with NumPy), then random cases against
grader.reference_conv. A wrong answer's message names the likely slip, never the value.
"""

import numpy as np

from grader import reference_conv as rc
from grader.checklib import CheckContext, check


def _int(ctx: CheckContext, label: str, got) -> int:
    ctx.expect(isinstance(got, int) and not isinstance(got, bool),
               f"{label} should return an int, got {type(got).__name__}: use // for the floor division",
               diagnosis="dtype")
    return got


# The usual slips, each as the formula it computes: (n, k, s, p, d) -> size.
SIZE_SLIPS = [
    (lambda n, k, s, p, d: (n + 2 * p - k) // s + 1,
     "that ignores the dilation: the dilated kernel spans d·(k − 1) + 1 pixels"),
    (lambda n, k, s, p, d: (n + 2 * p - d * k) // s + 1,
     "that takes d·k for the dilated kernel: it spans d·(k − 1) + 1 pixels"),
    (lambda n, k, s, p, d: (n + p - (d * (k - 1) + 1)) // s + 1, "the padding is added on BOTH sides: 2P"),
    (lambda n, k, s, p, d: -(-(n + 2 * p - (d * (k - 1) + 1)) // s) + 1, "that rounds up: the notes take the floor ⌊·⌋"),
    (lambda n, k, s, p, d: (n + 2 * p - (d * (k - 1) + 1)) // s,
     "the + 1 is missing: the first window position counts too"),
]


def _size_slip(answers: dict[tuple, int], case: tuple) -> str:
    """The slip that reproduces every answer (so two slips that agree on one case are told apart), else the
    one slip, if only one, that gives this case's answer."""
    everywhere = [why for slip, why in SIZE_SLIPS if all(slip(*c) == got for c, got in answers.items())]
    if len(everywhere) == 1:
        return everywhere[0]
    here = [why for slip, why in SIZE_SLIPS if slip(*case) == answers[case]]
    return here[0] if len(here) == 1 else ""


@check("conv_output_size: the notes' formula with padding, stride and dilation", points=2)
def output_size(ctx: CheckContext) -> None:
    golden = [(5, 3, 2, 1, 1), (5, 3, 2, 0, 1), (224, 7, 2, 3, 1), (32, 3, 1, 2, 2), (32, 5, 1, 0, 1),
              (28, 2, 2, 0, 1)]
    rng_cases = [tuple(int(v) for v in (ctx.rng.integers(6, 40), ctx.rng.integers(1, 6), ctx.rng.integers(1, 4),
                                        ctx.rng.integers(0, 4), ctx.rng.integers(1, 4)))
                 for _ in range(40 if ctx.official else 20)]
    answers: dict[tuple, int] = {}
    for n, k, s, p, d in golden + rng_cases:
        if n + 2 * p < d * (k - 1) + 1:
            continue
        label = f"conv_output_size(n={n}, k={k}, stride={s}, padding={p}, dilation={d})"
        answers[(n, k, s, p, d)] = _int(ctx, label, ctx.call("conv_output_size", n, k, s, p, d))
    for (n, k, s, p, d), got in answers.items():
        if got != rc.conv_output_size(n, k, s, p, d):
            slip = _size_slip(answers, (n, k, s, p, d))
            label = f"conv_output_size(n={n}, k={k}, stride={s}, padding={p}, dilation={d})"
            ctx.fail(f"{label} = {got} is not right{': ' + slip if slip else ''}. Check it against L3277: "
                     f"⌊(W_in + 2P − K)/s⌋ + 1, with K the dilated kernel size d·(K − 1) + 1.", diagnosis="mismatch")
    ctx.expect(_int(ctx, "conv_output_size(9, 3)", ctx.call("conv_output_size", 9, 3)) == 7,
               "conv_output_size(9, 3) with the defaults (stride 1, padding 0, dilation 1) should be 7",
               diagnosis="mismatch")


def _field_stride_first(layers) -> int:
    r, jump = 1, 1
    for k, s, d in layers:
        jump *= s
        r += d * (k - 1) * jump
    return r


def _field_own_stride(layers) -> int:
    r, jump = 1, 1
    for k, s, d in layers:
        r += d * (k - 1) * jump
        jump = s
    return r


@check("receptive_field of stacked convolutions, strides, pooling and dilations", points=3)
def receptive(ctx: CheckContext) -> None:
    golden = [[(3, 1, 1)] * 2, [(3, 1, 1)] * 3, [(3, 1, 1), (3, 1, 2), (3, 1, 4)], [(5, 1, 1), (2, 2, 1)] * 2,
              [(3, 2, 1), (3, 2, 1)], [(7, 2, 1), (3, 2, 1), (3, 1, 1)], [(1, 1, 1)], []]
    random_stacks = [[tuple(int(v) for v in (ctx.rng.integers(1, 6), ctx.rng.integers(1, 4), ctx.rng.integers(1, 4)))
                      for _ in range(int(ctx.rng.integers(1, 5)))] for _ in range(20 if ctx.official else 10)]
    for layers in golden + random_stacks:
        label = f"receptive_field({layers})"
        got = _int(ctx, label, ctx.call("receptive_field", [list(layer) for layer in layers]))
        expected = rc.receptive_field(layers)
        if got == expected:
            continue
        no_jump = 1 + sum(d * (k - 1) for k, _, d in layers)
        slip = ""
        if got == no_jump and no_jump != expected:
            slip = (" It matches adding d·(k − 1) per layer and ignoring the strides: after a stride-s layer, one "
                    "step of the next layer moves s times as far in the input (keep a running product, the jump).")
        elif layers and got == rc.receptive_field([(k, s, 1) for k, s, _ in layers]):
            slip = " It ignores the dilation: a dilated kernel spans d·(k − 1) + 1 input positions of its layer."
        elif got == _field_stride_first(layers):
            slip = (" It matches multiplying in each layer's stride BEFORE adding its kernel: a layer's stride "
                    "spaces out the layers after it, not its own kernel.")
        elif got == _field_own_stride(layers):
            slip = (" It matches scaling each layer by the stride of the layer before it only: the jump is the "
                    "PRODUCT of all earlier strides.")
        ctx.fail(f"{label} = {got} is not right.{slip} Work it out by hand for the first two layers: "
                 f"which input pixels can reach one output?", diagnosis="mismatch")


@check("n_weights_fc and n_weights_conv (L3180, L3186)", points=2)
def weights(ctx: CheckContext) -> None:
    cases_fc = [(32, 32, 3, 16), (7, 5, 2, 3)] + [tuple(int(v) for v in ctx.rng.integers(1, 9, size=4))
                                                  for _ in range(5)]
    for w, h, ci, co in cases_fc:
        got = _int(ctx, "n_weights_fc", ctx.call("n_weights_fc", w, h, ci, co))
        ctx.expect(got == w * h * co * (w * h * ci + 1), f"n_weights_fc({w}, {h}, {ci}, {co}) = {got} is not right: "
                   f"every one of the W·H·C_out outputs has a weight for each of the W·H·C_in inputs, and a bias",
                   diagnosis="mismatch")
    cases_conv = [(3, 3, 16), (3, 64, 128), (5, 1, 6)] + [tuple(int(v) for v in ctx.rng.integers(1, 9, size=3))
                                                           for _ in range(5)]
    for k, ci, co in cases_conv:
        got = _int(ctx, "n_weights_conv", ctx.call("n_weights_conv", k, ci, co))
        ctx.expect(got == co * (k * k * ci + 1), f"n_weights_conv({k}, {ci}, {co}) = {got} is not right: each of "
                   f"the C_out filters has K·K·C_in weights and one bias, shared by every position",
                   diagnosis="mismatch")
    got = np.int64(ctx.call("n_weights_conv", 3, 3, 16))
    ctx.expect(got == 448, "n_weights_conv(3, 3, 16) should be 448 (curriculum §14)", diagnosis="mismatch")
