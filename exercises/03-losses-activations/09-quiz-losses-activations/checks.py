"""Checks for `quiz-losses-activations`: one check per question, read from the learner's TOML (ctx.answers).

Answers were verified against the notes and curriculum §14 (see solutions/…/quiz_losses_activations.toml).
A wrong answer's message never contains the right one.
"""

import math

import numpy as np

from grader.checklib import CheckContext, check
from grader.quizlib import Quiz

QUIZ = Quiz(example="0.5, -2, 3/4 or 6e-6", rel=1e-3, abs_tol=1e-12)


@check("q1: the cross-entropy of row 4 of the softmax table (L1483–1487)")
def q1(ctx: CheckContext) -> None:
    s = np.array([3.0, 2.0, 3.0, -1.0])
    expected = float(np.log(np.sum(np.exp(s))) - s[3])
    got = QUIZ.number(ctx, "q1")
    if not math.isclose(got, expected, rel_tol=1e-3):
        slip = " That is log base 2 or 10; the notes use the natural log." if (
            math.isclose(got, expected / math.log(2), rel_tol=1e-3)
            or math.isclose(got, expected / math.log(10), rel_tol=1e-3)) else ""
        ctx.fail(f"q1 = {got:g} is not right.{slip} Compute log Σₖ exp(sₖ) − s₄ (L1424) from the scores; the "
                 f"table prints rounded numbers.", diagnosis="mismatch")


@check("q2: the Xavier weight std for D_in = 256 (L1701)")
def q2(ctx: CheckContext) -> None:
    QUIZ.expect_number(ctx, "q2", 1 / 16, "The notes give the VARIANCE 1/D_in; the standard deviation is its square root.")


@check("q3: the He weight std for D_in = 256 (L1711)")
def q3(ctx: CheckContext) -> None:
    QUIZ.expect_number(ctx, "q3", math.sqrt(2 / 256), "He doubles the variance of Xavier's (L1711); take the square "
                                                       "root of the variance.")


@check("q4: the step h = ∛ε for float64 (L1664)")
def q4(ctx: CheckContext) -> None:
    got = QUIZ.number(ctx, "q4")
    if math.isclose(got, 1e-16 ** (1 / 3), rel_tol=2e-3):
        ctx.fail(f"q4 = {got:g} is not right. That is the cube root of the notes' rounded ε = 1e-16; the question "
                 f"asks for float64's machine epsilon, np.finfo(np.float64).eps.", diagnosis="mismatch")
    QUIZ.expect_number(ctx, "q4", float(np.finfo(np.float64).eps) ** (1 / 3),
                       "Take the cube root of ε = np.finfo(np.float64).eps (not its square root).", rel=2e-3)


@check("q5: the constant minimizing the L1 loss (L1272–1277)")
def q5(ctx: CheckContext) -> None:
    QUIZ.expect_number(ctx, "q5", 3.0, "The mean minimizes the squared (L2) loss. For Σ|c − yᵢ|, look at the "
                                       "derivative: how many targets lie on each side of c where it is 0?")


@check("q6: the best shared Laplace scale b (L1285–1288)")
def q6(ctx: CheckContext) -> None:
    QUIZ.expect_number(ctx, "q6", 3.0, "Differentiate Σ log(2b) + rᵢ/b with respect to b and set it to 0.")


@check("q7: zero-centred and saturating (§4.2)")
def q7(ctx: CheckContext) -> None:
    QUIZ.expect_choice(ctx, "q7", "b", "Reread L1516–1535 and L1557–1568: which output range is symmetric around 0, "
                                       "and which functions flatten out?")


@check("q8: what log Σ exp(sₖ) approximates (L1426)")
def q8(ctx: CheckContext) -> None:
    QUIZ.expect_choice(ctx, "q8", "c", "Reread L1426 and Fig. 46: which exponentials still matter in the sum?")
