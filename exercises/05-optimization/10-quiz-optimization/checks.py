"""Checks for `quiz-optimization`: one check per question, read from the learner's TOML (ctx.answers).

Answers were verified against the notes and curriculum §14 (RMSProp first-step factor, EMA weight mass,
Robbins–Monro). A wrong answer's message never contains the right one.
"""

import math

from grader.checklib import CheckContext, check
from grader.quizlib import Quiz

QUIZ = Quiz(example="0.5, 12 or 3/4", commas=True, abs_tol=1e-12, rounding_hint=True)


@check("q1: RMSProp's first step, in units of η, for β₂ = 0.99 (L2802-2806)")
def q1(ctx: CheckContext) -> None:
    QUIZ.expect_number(ctx, "q1", 1 / math.sqrt(1 - 0.99), "After one step v¹ = (1 − β₂) g²: divide |g| by √v¹.",
                       rel=1e-3)


@check("q2: the EMA's total weight after 10 steps, β₁ = 0.9 (L2837-2841)")
def q2(ctx: CheckContext) -> None:
    QUIZ.expect_number(ctx, "q2", 1 - 0.9**10, "Sum the geometric series (1 − β₁)(1 + β₁ + … + β₁^(t−1)).", rel=1e-3)


@check("q3: which schedule satisfies both Robbins–Monro conditions (L2718)")
def q3(ctx: CheckContext) -> None:
    QUIZ.expect_choice(ctx, "q3", "c", "For each schedule, decide whether Σ η_t diverges and whether Σ η_t² converges "
                                       "(p-series and geometric series).")


@check("q4: iterations per epoch for N = 50,000 and B = 128, the last partial batch kept (L2634)")
def q4(ctx: CheckContext) -> None:
    got = QUIZ.number(ctx, "q4")
    expected = math.ceil(50_000 / 128)
    if got == 50_000 // 128:
        ctx.fail(f"q4 = {got:g} drops the last, partial batch; here it is kept.", diagnosis="mismatch")
    ctx.expect(got == expected, f"q4 = {got:g} is not right. One iteration per minibatch: how many batches of at "
                                f"most 128 examples cover 50,000?", diagnosis="mismatch")


@check("q5: what makes Nesterov momentum different (L2777-2788)")
def q5(ctx: CheckContext) -> None:
    QUIZ.expect_choice(ctx, "q5", "a", "Compare the three lines of L2781 with the two of L2736: what is new?")


@check("q6: batch normalization at test time (L2952-2953)")
def q6(ctx: CheckContext) -> None:
    QUIZ.expect_choice(ctx, "q6", "d", "Reread L2952: what does the layer save during training, and why (think of a "
                                       "test batch of one example)?")
