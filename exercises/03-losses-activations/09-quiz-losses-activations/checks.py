"""Checks for `quiz-losses-activations`: one check per question, read from the learner's TOML (ctx.answers).

Answers were verified against the notes and curriculum §14 (see solutions/…/quiz_losses_activations.toml).
A wrong answer's message never contains the right one.
"""

import math
from fractions import Fraction

import numpy as np

from grader.checklib import CheckContext, check


def _raw(ctx: CheckContext, key: str) -> object:
    """The learner's answer to `key`; an empty or missing one fails as 'not answered yet'."""
    raw = (ctx.answers or {}).get(key, "")
    if isinstance(raw, str) and not raw.strip():
        ctx.fail(f"not implemented yet: {key} is not answered yet (write your answer between the quotes of "
                 f"`{key} = \"\"`)", diagnosis="not_implemented")
    return raw


def _number(ctx: CheckContext, key: str) -> float:
    raw = _raw(ctx, key)
    if isinstance(raw, bool) or not isinstance(raw, int | float | str):
        ctx.fail(f"{key} should be a number, not {type(raw).__name__}", diagnosis="dtype")
    if isinstance(raw, int | float):
        return float(raw)
    text = raw.strip().replace(" ", "").replace("−", "-").replace("_", "")
    try:
        return float(Fraction(text))  # "0.125", "1/8", "-1.5", "6.06e-6"
    except (ValueError, ZeroDivisionError):
        ctx.fail(f"{key} = {raw!r} is not a number (write e.g. 0.5, -2, 3/4 or 6e-6)", diagnosis="dtype")
    raise AssertionError  # unreachable: ctx.fail raises


def _choice(ctx: CheckContext, key: str, options: str) -> str:
    raw = _raw(ctx, key)
    letter = str(raw).strip().strip("().").lower()
    if len(letter) != 1 or letter not in options:
        ctx.fail(f"{key} = {raw!r} is not one of the letters {', '.join(options)}", diagnosis="dtype")
    return letter


def _expect_number(ctx: CheckContext, key: str, expected: float, why_wrong: str, rel: float = 1e-3) -> None:
    got = _number(ctx, key)
    ctx.expect(math.isclose(got, expected, rel_tol=rel, abs_tol=1e-12),
               f"{key} = {got:g} is not right. {why_wrong}", diagnosis="mismatch")


@check("q1: the cross-entropy of row 4 of the softmax table (L1483–1487)")
def q1(ctx: CheckContext) -> None:
    s = np.array([3.0, 2.0, 3.0, -1.0])
    expected = float(np.log(np.sum(np.exp(s))) - s[3])
    got = _number(ctx, "q1")
    if not math.isclose(got, expected, rel_tol=1e-3):
        slip = " That is log base 2 or 10; the notes use the natural log." if (
            math.isclose(got, expected / math.log(2), rel_tol=1e-3)
            or math.isclose(got, expected / math.log(10), rel_tol=1e-3)) else ""
        ctx.fail(f"q1 = {got:g} is not right.{slip} Compute log Σₖ exp(sₖ) − s₄ (L1424) from the scores; the "
                 f"table prints rounded numbers.", diagnosis="mismatch")


@check("q2: the Xavier weight std for D_in = 256 (L1701)")
def q2(ctx: CheckContext) -> None:
    _expect_number(ctx, "q2", 1 / 16, "The notes give the VARIANCE 1/D_in; the standard deviation is its square root.")


@check("q3: the He weight std for D_in = 256 (L1711)")
def q3(ctx: CheckContext) -> None:
    _expect_number(ctx, "q3", math.sqrt(2 / 256), "He doubles the variance of Xavier's (L1711); take the square "
                                                   "root of the variance.")


@check("q4: the step h = ∛ε for float64 (L1664)")
def q4(ctx: CheckContext) -> None:
    got = _number(ctx, "q4")
    if math.isclose(got, 1e-16 ** (1 / 3), rel_tol=2e-3):
        ctx.fail(f"q4 = {got:g} is not right. That is the cube root of the notes' rounded ε = 1e-16; the question "
                 f"asks for float64's machine epsilon, np.finfo(np.float64).eps.", diagnosis="mismatch")
    _expect_number(ctx, "q4", float(np.finfo(np.float64).eps) ** (1 / 3),
                   "Take the cube root of ε = np.finfo(np.float64).eps (not its square root).", rel=2e-3)


@check("q5: the constant minimizing the L1 loss (L1272–1277)")
def q5(ctx: CheckContext) -> None:
    _expect_number(ctx, "q5", 3.0, "The mean minimizes the squared (L2) loss. For Σ|c − yᵢ|, look at the "
                                   "derivative: how many targets lie on each side of c where it is 0?")


@check("q6: the best shared Laplace scale b (L1285–1288)")
def q6(ctx: CheckContext) -> None:
    _expect_number(ctx, "q6", 3.0, "Differentiate Σ log(2b) + rᵢ/b with respect to b and set it to 0.")


@check("q7: zero-centred and saturating (§4.2)")
def q7(ctx: CheckContext) -> None:
    got = _choice(ctx, "q7", "abcd")
    ctx.expect(got == "b", f"q7 = \"{got}\" is not right. Reread L1516–1535 and L1557–1568: which output range is "
                           f"symmetric around 0, and which functions flatten out?", diagnosis="mismatch")


@check("q8: what log Σ exp(sₖ) approximates (L1426)")
def q8(ctx: CheckContext) -> None:
    got = _choice(ctx, "q8", "abcd")
    ctx.expect(got == "c", f"q8 = \"{got}\" is not right. Reread L1426 and Fig. 46: which exponentials still "
                           f"matter in the sum?", diagnosis="mismatch")
