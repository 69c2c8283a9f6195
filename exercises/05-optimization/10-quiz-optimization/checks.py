"""Checks for `quiz-optimization`: one check per question, read from the learner's TOML (ctx.answers).

Answers were verified against the notes and curriculum §14 (RMSProp first-step factor, EMA weight mass,
Robbins–Monro). A wrong answer's message never contains the right one.
"""

import math
from fractions import Fraction

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
    if isinstance(raw, int | float):
        return float(raw)
    text = raw.strip().replace(" ", "").replace("−", "-").replace("_", "").replace(",", "")
    try:
        return float(Fraction(text))
    except (ValueError, ZeroDivisionError):
        ctx.fail(f"{key} = {raw!r} is not a number (write e.g. 0.5, 12 or 3/4)", diagnosis="dtype")
    raise AssertionError  # unreachable


def _choice(ctx: CheckContext, key: str, options: str) -> str:
    raw = _raw(ctx, key)
    letter = str(raw).strip().strip("().").lower()
    if len(letter) != 1 or letter not in options:
        ctx.fail(f"{key} = {raw!r} is not one of the letters {', '.join(options)}", diagnosis="dtype")
    return letter


def _expect_number(ctx: CheckContext, key: str, expected: float, why_wrong: str, rel: float = 1e-6) -> None:
    got = _number(ctx, key)
    ctx.expect(math.isclose(got, expected, rel_tol=rel, abs_tol=1e-12), f"{key} = {got:g} is not right. {why_wrong}",
               diagnosis="mismatch")


@check("q1: RMSProp's first step, in units of η, for β₂ = 0.99 (L2802-2806)")
def q1(ctx: CheckContext) -> None:
    _expect_number(ctx, "q1", 1 / math.sqrt(1 - 0.99), "After one step v¹ = (1 − β₂) g²: divide |g| by √v¹.",
                   rel=1e-3)


@check("q2: the EMA's total weight after 10 steps, β₁ = 0.9 (L2837-2841)")
def q2(ctx: CheckContext) -> None:
    _expect_number(ctx, "q2", 1 - 0.9**10, "Sum the geometric series (1 − β₁)(1 + β₁ + … + β₁^(t−1)).", rel=1e-3)


@check("q3: which schedule satisfies both Robbins–Monro conditions (L2718)")
def q3(ctx: CheckContext) -> None:
    got = _choice(ctx, "q3", "abcd")
    ctx.expect(got == "c", f"q3 = \"{got}\" is not right. For each schedule, decide whether Σ η_t diverges and "
                           f"whether Σ η_t² converges (p-series and geometric series).", diagnosis="mismatch")


@check("q4: iterations per epoch for N = 50,000 and B = 128, the last partial batch kept (L2634)")
def q4(ctx: CheckContext) -> None:
    got = _number(ctx, "q4")
    expected = math.ceil(50_000 / 128)
    if got == 50_000 // 128:
        ctx.fail(f"q4 = {got:g} drops the last, partial batch; here it is kept.", diagnosis="mismatch")
    ctx.expect(got == expected, f"q4 = {got:g} is not right. One iteration per minibatch: how many batches of at "
                                f"most 128 examples cover 50,000?", diagnosis="mismatch")


@check("q5: what makes Nesterov momentum different (L2777-2788)")
def q5(ctx: CheckContext) -> None:
    got = _choice(ctx, "q5", "abcd")
    ctx.expect(got == "a", f"q5 = \"{got}\" is not right. Compare the three lines of L2781 with the two of L2736: "
                           f"what is new?", diagnosis="mismatch")


@check("q6: batch normalization at test time (L2952-2953)")
def q6(ctx: CheckContext) -> None:
    got = _choice(ctx, "q6", "abcd")
    ctx.expect(got == "d", f"q6 = \"{got}\" is not right. Reread L2952: what does the layer save during "
                           f"training, and why (think of a test batch of one example)?", diagnosis="mismatch")
