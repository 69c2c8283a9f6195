"""Checks for `quiz-graphs`: one check per question, read from the learner's TOML (ctx.answers).

Answers were verified against the notes and curriculum §14 (see solutions/…/quiz_graphs.toml).
A wrong answer's message never contains the right one.
"""

import math

from grader.checklib import CheckContext, check
from grader.quizlib import Quiz

GIB = 2**30


QUIZ = Quiz()


@check("q1: edf's loss.grad for a minibatch of 8 (L791)")
def q1(ctx: CheckContext) -> None:
    QUIZ.expect_number(ctx, "q1", 1 / 8, "Read what np.ones(shape) / len(loss.value) is for a loss vector of 8 entries.")


@check("q2: the number of parameters of edf.AffineParams(2, 3)")
def q2(ctx: CheckContext) -> None:
    QUIZ.expect_number(ctx, "q2", 2 * 3 + 3, "Count the entries of A (nInputs x nOutputs) and of b, which has one entry "
                                              "per column of X @ A.")


@check("q3: GiB of L951's (N, D, M) outer product at N = 128, D = M = 1024")
def q3(ctx: CheckContext) -> None:
    got = QUIZ.number(ctx, "q3")
    expected = 128 * 1024 * 1024 * 8 / GIB
    if not math.isclose(got, expected, rel_tol=1e-6):
        # GB (10^9 bytes) or forgetting the 8 bytes per number are the usual slips: say which, not the value.
        slip = ""
        if math.isclose(got, expected * GIB / 1e9, rel_tol=1e-3):
            slip = " That is in GB (10^9 bytes); the question asks for GiB (2^30 bytes)."
        elif math.isclose(got, expected / 8, rel_tol=1e-6):
            slip = " Each float64 number takes 8 bytes."
        ctx.fail(f"q3 = {got:g} is not right.{slip} Multiply the three dimensions, then the bytes per number, "
                 f"then divide by 2^30.", diagnosis="mismatch")


@check("q4: the best accuracy of logistic regression on raw XOR")
def q4(ctx: CheckContext) -> None:
    got = QUIZ.number(ctx, "q4")
    ctx.expect(got <= 1.0, f"q4 = {got:g}: give the accuracy as a fraction between 0 and 1, not a percentage",
               diagnosis="dtype")
    QUIZ.expect_number(ctx, "q4", 3 / 4, "A line cannot separate all four points (L1018–1022), but how many of them "
                                         "can it classify correctly at best? Try a few lines on paper.")


@check("q5: the NAND threshold −w₀ for w = (−1, −1)")
def q5(ctx: CheckContext) -> None:
    # -x1 - x2 is 0 or -1 on NAND's class-1 points and -2 on its class-0 point: halfway is -1.5.
    QUIZ.expect_number(ctx, "q5", -1.5, "Compute wᵀx for the four inputs, see which are class 1 for NAND, and take "
                                        "the point halfway between the two groups, as 0.5 is for OR (L993).")


@check("q6: what backpropagation does at a fan-out (L683)")
def q6(ctx: CheckContext) -> None:
    QUIZ.expect_choice(ctx, "q6", "b", "Reread L676–683 and eq. (20): what happens to the terms of the multivariate "
                                       "chain rule?")
