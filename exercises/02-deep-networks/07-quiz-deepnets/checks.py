"""Checks for `quiz-deepnets`: one check per question, read from the learner's TOML (ctx.answers).

Answers verified against the notes and curriculum §14 (see solutions/…/quiz_deepnets.toml).
A wrong answer's message never contains the right one.
"""

import math

from grader.checklib import CheckContext, check
from grader.quizlib import Quiz

QUIZ = Quiz(commas=True)


@check("q1: the shape of A.grad (L873)")
def q1(ctx: CheckContext) -> None:
    QUIZ.expect_choice(ctx, "q1", "a", "The loss is a scalar, and grad holds its partial derivative with respect to each "
                                       "component of the tensor (L873).")


@check("q2: MiB of L951's (N, D, H) outer product for N = 256, D = 784, H = 512")
def q2(ctx: CheckContext) -> None:
    got = QUIZ.number(ctx, "q2")
    expected = 256 * 784 * 512 * 8 / 2**20
    if not math.isclose(got, expected, rel_tol=1e-6):
        slip = ""
        if math.isclose(got, expected * 2**20 / 1e6, rel_tol=1e-3):
            slip = " That is in MB (10^6 bytes); the question asks for MiB (2^20 bytes)."
        elif math.isclose(got, expected / 8, rel_tol=1e-6):
            slip = " Each float64 number takes 8 bytes."
        ctx.fail(f"q2 = {got:g} is not right.{slip} Multiply the three dimensions, then the bytes per number, "
                 f"then divide by 2^20.", diagnosis="mismatch")


@check("q3: the point on both segments in the XOR convexity argument (L1018-1022)")
def q3(ctx: CheckContext) -> None:
    QUIZ.expect_choice(ctx, "q3", "b", "Draw the four points and the two segments joining points of the same class: where "
                                       "do they cross?")


@check("q4: trainable numbers of a 2-4-1 network")
def q4(ctx: CheckContext) -> None:
    QUIZ.expect_number(ctx, "q4", 2 * 4 + 4 + 4 * 1 + 1, "Count each layer's weight matrix (inputs × units) and its "
                                                         "biases (one per unit), for both layers.")


@check("q5: why MLP neurons are not perceptrons (L1080-1082)")
def q5(ctx: CheckContext) -> None:
    QUIZ.expect_choice(ctx, "q5", "b", "Reread L1080: what activation does a perceptron use, and how is it trained?")


@check("q6: why minibatches are smaller than the data set (L1102)")
def q6(ctx: CheckContext) -> None:
    QUIZ.expect_choice(ctx, "q6", "b", "Reread the sentence right after the training algorithm (L1102).")


@check("q7: the size of the collapsed affine map of a linear 10-50-50-5 network (L1120)")
def q7(ctx: CheckContext) -> None:
    got = QUIZ.number(ctx, "q7")
    ctx.expect(not math.isclose(got, 10 * 50 + 50 + 50 * 50 + 50 + 50 * 5 + 5),
               "q7: that is the number of parameters of the whole stack. The question asks for the single map "
               "y = A x + b it collapses to: what shapes do A and b have?", diagnosis="mismatch")
    QUIZ.expect_number(ctx, "q7", 10 * 5 + 5, "A maps the 10 inputs straight to the 5 outputs (L1120); add b.")


@check("q8: hidden units of the L1154 construction for parity of 6 inputs")
def q8(ctx: CheckContext) -> None:
    got = QUIZ.number(ctx, "q8")
    ctx.expect(not math.isclose(got, 2**6), "q8: that is one unit for every input combination; the construction "
                                           "needs units only for the combinations whose output is 1. How many of "
                                           "them have an odd sum?", diagnosis="mismatch")
    QUIZ.expect_number(ctx, "q8", 2**5, "Count the 0/1 vectors of length 6 with an odd number of ones.")


@check("q9: the steepness that makes a sigmoid a step to within 0.01 (Fig. 33)")
def q9(ctx: CheckContext) -> None:
    QUIZ.expect_number(ctx, "q9", math.ceil(math.log(99) / 0.05), "Solve σ(t) = 0.99 for t (σ(t) = 1/(1 + e^−t)), then "
                                                                  "t = s · (0.55 − 0.5), and round s up to an integer.")
