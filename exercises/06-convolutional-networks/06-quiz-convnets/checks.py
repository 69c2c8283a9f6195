"""Checks for `quiz-convnets`: one check per question, read from the learner's TOML (ctx.answers).

Answers verified against the notes and curriculum §13–14 (see solutions/…/quiz_convnets.toml).
A wrong answer's message never contains the right one.
"""

import math

from grader.checklib import CheckContext, check


def _raw(ctx: CheckContext, key: str) -> object:
    raw = (ctx.answers or {}).get(key, "")
    if isinstance(raw, str) and not raw.strip():
        ctx.fail(f"not implemented yet: {key} is not answered yet (write your answer between the quotes of "
                 f"`{key} = \"\"`)", diagnosis="not_implemented")
    return raw


def _number(ctx: CheckContext, key: str) -> float:
    raw = _raw(ctx, key)
    if isinstance(raw, bool) or not isinstance(raw, int | float | str):
        ctx.fail(f"{key} should be a number, not {type(raw).__name__}", diagnosis="dtype")
    if isinstance(raw, str):
        try:
            return float(raw.strip().replace(",", "").replace("_", "").replace(" ", ""))
        except ValueError:
            ctx.fail(f"{key} = {raw!r} is not a number (write e.g. 12 or 73856)", diagnosis="dtype")
    return float(raw)


def _expect_number(ctx: CheckContext, key: str, expected: float, why_wrong: str,
                   slips: dict[float, str] | None = None) -> None:
    got = _number(ctx, key)
    if math.isclose(got, expected, rel_tol=1e-9, abs_tol=1e-9):
        return
    slip = (slips or {}).get(got, "")
    ctx.fail(f"{key} = {got:g} is not right.{' ' + slip if slip else ''} {why_wrong}", diagnosis="mismatch")


def _choice(ctx: CheckContext, key: str, expected: str, why_wrong: str) -> None:
    raw = _raw(ctx, key)
    letter = str(raw).strip().strip("().").lower()
    if len(letter) != 1 or letter not in "abcd":
        ctx.fail(f"{key} = {raw!r} is not one of the letters a, b, c, d", diagnosis="dtype")
    ctx.expect(letter == expected, f"{key} = \"{letter}\" is not right. {why_wrong}", diagnosis="mismatch")


@check("q1: the output width in Fig. 116's setting (the caption is wrong)")
def q1(ctx: CheckContext) -> None:
    _expect_number(ctx, "q1", 3, "Put W_in = 5, P = 1, K = 3, s = 2 into L3277 yourself.",
                   {2: "That is what Fig. 116's caption says, but the caption is wrong (it holds for P = 0); "
                       "the formula of L3277 is right."})


@check("q2: LeNet's feature map width after conv5-pool2-conv5-pool2 on 32×32")
def q2(ctx: CheckContext) -> None:
    _expect_number(ctx, "q2", 5, "Apply L3277 four times: a 5×5 conv without padding loses 4 pixels, a 2×2 "
                                 "pooling with stride 2 halves the width.")


@check("q3: trainable numbers of a 3×3 conv from 64 to 128 channels")
def q3(ctx: CheckContext) -> None:
    _expect_number(ctx, "q3", 128 * (9 * 64 + 1), "L3186: each output channel has K·K·C_in weights and a bias.",
                   {128 * 9 * 64: "The biases are missing."})


@check("q4: trainable numbers of VGG16's first FC layer")
def q4(ctx: CheckContext) -> None:
    _expect_number(ctx, "q4", 4096 * (7 * 7 * 512 + 1), "Every one of the 4096 outputs is connected to all "
                                                        "7·7·512 inputs, and has a bias.",
                   {4096 * 7 * 7 * 512: "The biases are missing."})


@check("q5: receptive field of 3×3 convs with dilations 1, 2, 4")
def q5(ctx: CheckContext) -> None:
    _expect_number(ctx, "q5", 15, "A 3×3 kernel with dilation d spans 2d + 1 pixels; each layer widens the "
                                  "field by 2d (stride 1).", {7: "That ignores the dilations."})


@check("q6: correlation or convolution (L3208)")
def q6(ctx: CheckContext) -> None:
    _choice(ctx, "q6", "b", "Reread L3208: what would have to happen to the kernel for a true convolution?")


@check("q7: a shifted input (L3216–3226)")
def q7(ctx: CheckContext) -> None:
    _choice(ctx, "q7", "b", "Reread the difference between invariance (L3218) and equivariance (L3222), and "
                            "the proof of L3226.")


@check("q8: the upsampling layer that needs the pooling's indices (§7.4)")
def q8(ctx: CheckContext) -> None:
    _choice(ctx, "q8", "d", "Which of §7.4.1–7.4.4 stores something during the downsampling (L3318–3320)?")
