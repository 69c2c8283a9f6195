"""Checks for `quiz-regularization`: one check per question, read from the learner's TOML (ctx.answers).

Answers were verified against the notes and curriculum §14 (see solutions/…/quiz_regularization.toml).
A wrong answer's message never contains the right one.
"""

import math

from grader.checklib import CheckContext, check
from grader.quizlib import Quiz

QUIZ = Quiz(commas=True, powers=True)  # "2^10" for q7


@check("q1: the squared norm ‖w₂‖₂² of the notes' example (L1946)")
def q1(ctx: CheckContext) -> None:
    got = QUIZ.number(ctx, "q1")
    if math.isclose(got, math.sqrt(0.375), rel_tol=1e-4):
        ctx.fail("q1 is not right: that is the norm ‖w₂‖₂ itself; the question asks for its square (which the notes "
                 "print under the label ‖w₂‖₂, erratum 10).", diagnosis="mismatch")
    QUIZ.expect_number(ctx, "q1", 0.25**2 + 0.5**2 + 0.25**2, "Square each entry of w₂ and add them up (L1946).")


@check("q2: which weight vector the L1 penalty prefers (L1950–1955)")
def q2(ctx: CheckContext) -> None:
    QUIZ.expect_choice(ctx, "q2", "a", "Add up the absolute values of each vector's entries (L1950–1951).", options="abc")


@check("q3: the weight-decay factor for η = 0.1, α = 0.01 (L1855)")
def q3(ctx: CheckContext) -> None:
    QUIZ.expect_number(ctx, "q3", 1 - 0.1 * 0.01, "Rearrange w − η(∇L + αw) as in the last line of L1855: which "
                                                  "factor multiplies w?")


@check("q4: the eigen-rescaling factor for λᵢ = 1.5, α = 0.5 (L1889)")
def q4(ctx: CheckContext) -> None:
    got = QUIZ.number(ctx, "q4")
    if math.isclose(got, 0.5 / (1.5 + 0.5), rel_tol=1e-6):
        ctx.fail("q4 is not right: that is α/(λᵢ + α), the share the penalty REMOVES. The factor that multiplies the "
                 "component is the diagonal entry of (Λ + αI)⁻¹Λ (L1889).", diagnosis="mismatch")
    QUIZ.expect_number(ctx, "q4", 1.5 / (1.5 + 0.5), "In w̃ = Q(Λ + αI)⁻¹ΛQᵀw* (L1889), each eigen-component is "
                                                      "multiplied by one diagonal entry of (Λ + αI)⁻¹Λ.")


@check("q5: iterations per epoch for 50 000 examples, minibatches of 100 (L1990)")
def q5(ctx: CheckContext) -> None:
    QUIZ.expect_number(ctx, "q5", 50_000 / 100, "One iteration uses one minibatch; one epoch uses every example once.")


@check("q6: the ensemble error for K = 10, v = 1, c = 0.5 (L2057)")
def q6(ctx: CheckContext) -> None:
    QUIZ.expect_number(ctx, "q6", 1 / 10 + 9 * 0.5 / 10, "Plug K, v and c into the last line of L2057.")


@check("q7: the number of dropout subnetworks of 10 units (L2136)")
def q7(ctx: CheckContext) -> None:
    QUIZ.expect_number(ctx, "q7", 2**10, "Each unit is either kept or dropped, independently of the others.")


@check("q8: E_z[f(x, z)] / f(x) for the drop probability μ = 0.2 (L2146–2160)")
def q8(ctx: CheckContext) -> None:
    got = QUIZ.number(ctx, "q8")
    if math.isclose(got, 0.2, rel_tol=1e-6):
        ctx.fail("q8 is not right: that is the factor of L2160, which only holds at μ = 0.5 (erratum 11). Redo the "
                 "sum of L2150 with p(zᵢ = 0) = 0.2.", diagnosis="mismatch")
    QUIZ.expect_number(ctx, "q8", 0.8, "Each term zᵢwᵢxᵢ has expectation P(zᵢ = 1)·wᵢxᵢ; what is P(zᵢ = 1) (L2128)?")


@check("q9: the prior that makes MAP estimation the L2 penalty (L1969–1979)")
def q9(ctx: CheckContext) -> None:
    QUIZ.expect_choice(ctx, "q9", "b", "Reread the fourth line of the derivation at L1975 and the sentence after it.")
