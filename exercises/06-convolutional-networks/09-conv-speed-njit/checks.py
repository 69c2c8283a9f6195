"""Checks for `conv-speed-njit` (runs in the grader; learner code only through ctx.call / ctx.probe).

Correctness against grader.reference_conv first; then speed, measured by probe.py in the learner's
process: the learner's conv2d_fast against a copy of the reference kernel, same inputs, same process,
wall time, median of several interleaved samples after a warm-up.

The target factor is generous on purpose. With the grader's NUMBA_BOUNDSCHECK=1, straightforward loop
nests in any order (7-deep with bounds tests, or row-wise) measured 3.9-4.4x the reference on the
medium input; one that allocates a temporary per output pixel (a padded patch or w[co] * slice, then
np.sum) measured 9.5-10.4x, and Python-level code is hundreds of times slower.
"""

import hashlib
from pathlib import Path

from grader import reference_conv as rc
from grader.checklib import CheckContext, check
from grader.numbacheck import expect_njit
from grader.sandbox import LearnerError

FACTOR = 7.0
MEDIUM = ((4, 8, 24, 24), (16, 8, 3, 3))
PADDING = 1
REPEATS = 9
BUDGET_S = 2.0  # one learner call slower than this is not worth timing again
SHIPPED = Path(__file__).resolve().parent / "support" / "conv_reference.py"

CASES_LOCAL = [((2, 3, 7, 6), (4, 3, 3, 2), 1), ((1, 2, 5, 8), (3, 2, 3, 3), 0), ((3, 1, 6, 5), (2, 1, 5, 3), 2)]
CASES_HIDDEN = [((2, 2, 9, 9), (1, 2, 1, 1), 0), ((1, 4, 4, 7), (2, 4, 3, 5), 2)]


@check("conv2d_fast is compiled with @njit (read from your source)", points=1, target="numba")
def compiled(ctx: CheckContext) -> None:
    expect_njit(ctx, "conv2d_fast")
    x, w, b = ctx.rng.normal(size=(1, 2, 4, 4)), ctx.rng.normal(size=(2, 2, 3, 3)), ctx.rng.normal(size=2)
    try:
        ctx.call("conv2d_fast", x, w, b, 1)
    except LearnerError as error:
        if error.not_implemented:
            raise
        info = ctx.probe("numba_info", "conv2d_fast")
        if not (isinstance(info, dict) and info.get("compiled", 0) > 0):
            raise  # Numba could not compile it: its typing error is the message
    info = ctx.probe("numba_info", "conv2d_fast")
    ctx.expect(isinstance(info, dict) and info.get("compiled", 0) > 0 and info.get("type") == "CPUDispatcher"
               and info.get("nopython") is True, "conv2d_fast is not a function compiled by Numba's @njit",
               diagnosis="njit")


@check("conv2d_fast computes the stride-1 cross-correlation with zero padding", points=3, target="numba")
def correct(ctx: CheckContext) -> None:
    for xs, ws, padding in ctx.cases(CASES_LOCAL, CASES_HIDDEN):
        x, w, b = ctx.rng.normal(size=xs), ctx.rng.normal(size=ws), ctx.rng.normal(size=ws[0])
        expected = rc.conv2d_forward(x, w, b, 1, padding)
        label = f"conv2d_fast for x {xs}, w {ws}, padding {padding}"
        got = ctx.expect_array(label, ctx.call("conv2d_fast", x, w, b, padding), expected.shape)
        ctx.expect_close(label, got, expected)


@check(f"speed: conv2d_fast within {FACTOR:g}x of the reference kernel on a medium input", points=3,
       target="numba")
def speed(ctx: CheckContext) -> None:
    xs, ws = MEDIUM
    sha = hashlib.sha256(SHIPPED.read_bytes()).hexdigest()
    result = ctx.probe("time_against_reference", list(xs), list(ws), PADDING, REPEATS, BUDGET_S, sha,
                       label="conv2d_fast")
    ctx.expect(not (isinstance(result, dict) and result.get("tampered")),
               "convnets/conv_reference.py, the reference kernel your code is timed against, has been changed: "
               "restore it (delete it and run `gradschool init` on your workspace again, which copies it back).",
               diagnosis="tampered")
    ctx.expect(not (isinstance(result, dict) and result.get("changed")),
               f"conv2d_fast gives the right values on its first call on the medium input x {xs}, w {ws}, but not "
               f"on a later call with the same inputs: every call must compute the whole convolution afresh",
               diagnosis="mismatch")
    ctx.expect(isinstance(result, dict) and result.get("ok") is True,
               f"conv2d_fast gives wrong values on the medium input x {xs}, w {ws}, padding {PADDING}: fix "
               f"correctness first", diagnosis="mismatch")
    learner, reference = float(result["learner"]), max(float(result["reference"]), 1e-6)
    ratio = learner / reference
    where = (f"on x {xs}, w {ws}, padding {PADDING} (median of {REPEATS} runs after a warm-up: yours "
             f"{learner * 1e3:.2f} ms, the reference {reference * 1e3:.2f} ms per call)")
    if result.get("timed_out"):
        ctx.fail(f"your conv2d takes about {ratio:.0f}x the reference's time {where}; the target is <= {FACTOR:g}x. "
                 f"One call took over {BUDGET_S:g} s: is the function really compiled, with loops over "
                 f"NumPy arrays and no Python lists or objects?", diagnosis="slow")
    ctx.expect(ratio <= FACTOR, f"your conv2d takes {ratio:.1f}x the reference's time {where}; the target is "
                                f"<= {FACTOR:g}x.", diagnosis="slow")
