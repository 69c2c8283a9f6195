"""Checks for `quiz-convnets`: one check per question, read from the learner's TOML (ctx.answers).

Answers verified against the notes and curriculum §13–14 (see solutions/…/quiz_convnets.toml).
A wrong answer's message never contains the right one.
"""

from grader.checklib import CheckContext, check
from grader.quizlib import Quiz

QUIZ = Quiz(example="12 or 73856", commas=True, fractions=False, rel=1e-9)


@check("q1: the output width in Fig. 116's setting (the caption is wrong)")
def q1(ctx: CheckContext) -> None:
    QUIZ.expect_number(ctx, "q1", 3, "Put W_in = 5, P = 1, K = 3, s = 2 into L3277 yourself.",
                       slips={2: "That is what Fig. 116's caption says, but the caption is wrong (it holds for P = 0); "
                             "the formula of L3277 is right."})


@check("q2: LeNet's feature map width after conv5-pool2-conv5-pool2 on 32×32")
def q2(ctx: CheckContext) -> None:
    QUIZ.expect_number(ctx, "q2", 5, "Apply L3277 four times: a 5×5 conv without padding loses 4 pixels, a 2×2 "
                                     "pooling with stride 2 halves the width.")


@check("q3: trainable numbers of a 3×3 conv from 64 to 128 channels")
def q3(ctx: CheckContext) -> None:
    QUIZ.expect_number(ctx, "q3", 128 * (9 * 64 + 1), "L3186: each output channel has K·K·C_in weights and a bias.",
                       slips={128 * 9 * 64: "The biases are missing."})


@check("q4: trainable numbers of VGG16's first FC layer")
def q4(ctx: CheckContext) -> None:
    QUIZ.expect_number(ctx, "q4", 4096 * (7 * 7 * 512 + 1), "Every one of the 4096 outputs is connected to all "
                                                            "7·7·512 inputs, and has a bias.",
                       slips={4096 * 7 * 7 * 512: "The biases are missing."})


@check("q5: receptive field of 3×3 convs with dilations 1, 2, 4")
def q5(ctx: CheckContext) -> None:
    QUIZ.expect_number(ctx, "q5", 15, "A 3×3 kernel with dilation d spans 2d + 1 pixels; each layer widens the "
                                      "field by 2d (stride 1).", slips={7: "That ignores the dilations."})


@check("q6: correlation or convolution (L3208)")
def q6(ctx: CheckContext) -> None:
    QUIZ.expect_choice(ctx, "q6", "b", "Reread L3208: what would have to happen to the kernel for a true convolution?")


@check("q7: a shifted input (L3216–3226)")
def q7(ctx: CheckContext) -> None:
    QUIZ.expect_choice(ctx, "q7", "b", "Reread the difference between invariance (L3218) and equivariance (L3222), and "
                                       "the proof of L3226.")


@check("q8: the upsampling layer that needs the pooling's indices (§7.4)")
def q8(ctx: CheckContext) -> None:
    QUIZ.expect_choice(ctx, "q8", "d", "Which of §7.4.1–7.4.4 stores something during the downsampling (L3318–3320)?")
