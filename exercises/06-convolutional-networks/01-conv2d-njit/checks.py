"""Checks for `conv2d-njit` (runs in the grader; learner code only through ctx.probe).

Expected values come from grader.reference_conv (Numba reference kernels). Every case uses different
(h, w) values for stride, padding and dilation, so a swapped pair shows; random upstream gradients and
batch sizes 1 and > 1 make a mean-over-the-batch or a missing accumulation show.
"""

import numpy as np

from grader import reference_conv as rc
from grader.checklib import CheckContext, check
from grader.compare import compare
from grader.numbacheck import expect_njit
from grader.sandbox import LearnerError

FUNCTIONS = ("conv2d_forward", "conv2d_backward")
# x shape, w shape, stride, padding, dilation: (h, w) pairs
CASES_LOCAL = [
    ((2, 3, 7, 6), (4, 3, 3, 2), (1, 1), (1, 0), (1, 1)),
    ((1, 2, 9, 8), (3, 2, 3, 3), (2, 1), (1, 2), (1, 1)),
    ((3, 1, 10, 9), (2, 1, 3, 2), (1, 2), (2, 1), (2, 3)),
    ((1, 1, 5, 5), (1, 1, 3, 3), (2, 2), (1, 1), (1, 1)),  # the notes' Fig. 116 setting: 3×3 out
]
CASES_HIDDEN = [
    ((2, 2, 11, 7), (3, 2, 2, 3), (3, 2), (0, 1), (2, 1)),
    ((1, 3, 6, 6), (2, 3, 1, 1), (1, 1), (0, 0), (1, 1)),
    ((2, 1, 8, 12), (1, 1, 4, 3), (2, 3), (3, 2), (1, 2)),
]


def _call(ctx: CheckContext, name: str, *args):
    return ctx.probe("call_pairs", name, *args, label=name)


def _data(ctx: CheckContext, xs, ws):
    return ctx.rng.normal(size=xs), ctx.rng.normal(size=ws), ctx.rng.normal(size=ws[0])


def _describe(xs, ws, stride, padding, dilation) -> str:
    return f"x {xs}, w {ws}, stride {stride}, padding {padding}, dilation {dilation}"


def _expect(ctx: CheckContext, label: str, got, expected: np.ndarray, known: dict[str, np.ndarray],
            batch: int | None = None) -> None:
    """expect_close, but a known mistake (the value the answer matches instead) is named."""
    result = compare(label, got, expected, batch=batch)
    if result.ok:
        return
    if isinstance(got, np.ndarray) and got.shape == expected.shape:
        for why, value in known.items():
            if compare(label, got, value).ok:
                ctx.fail(f"{label} {why}", diagnosis="mismatch", details=result.details)
    ctx.fail(result.explanation, diagnosis=result.diagnosis, details=result.details)


def _flipped(w: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(w[:, :, ::-1, ::-1])


def _db_slips(dy: np.ndarray) -> dict[str, np.ndarray]:
    """db values of the usual slips, by what went wrong."""
    return {
        "holds one entry of dy per channel (assigned, not added?): db[co] is the SUM of dy[n, co, i, j] over the "
        "batch and every output position": dy[-1, :, -1, -1],
        "is summed over the output positions of the first image only: add over the batch too": dy[0].sum(axis=(1, 2)),
        "is summed over the batch at one output position only: add over every position (i, j) too":
            dy[:, :, 0, 0].sum(axis=0),
    }


@check("conv2d_forward and conv2d_backward are compiled with @njit (read from your source)", points=1,
       target="numba")
def compiled(ctx: CheckContext) -> None:
    for name in FUNCTIONS:
        expect_njit(ctx, name)
    xs, ws = (1, 2, 5, 4), (3, 2, 2, 2)
    x, w, b = _data(ctx, xs, ws)
    args = ((1, 1), (0, 0), (1, 1))
    failures = {}
    for name, call in (("conv2d_forward", (x, w, b, *args)),
                       ("conv2d_backward", (ctx.rng.normal(size=(1, 3, 4, 3)), x, w, *args))):
        try:
            _call(ctx, name, *call)
        except LearnerError as error:
            if error.not_implemented:
                raise
            failures[name] = error
    for name in FUNCTIONS:
        info = ctx.probe("numba_info", name)
        compiled_ok = isinstance(info, dict) and info.get("compiled", 0) > 0
        if not compiled_ok and name in failures:
            raise failures[name]  # Numba could not compile it: its typing error is the message
        ctx.expect(compiled_ok and info.get("type") == "CPUDispatcher" and info.get("nopython") is True,
                   f"{name} is not a function compiled by Numba's @njit", diagnosis="njit")


@check("conv2d_forward: cross-correlation with bias, stride, zero padding and dilation", points=3, target="numba")
def forward(ctx: CheckContext) -> None:
    for xs, ws, stride, padding, dilation in ctx.cases(CASES_LOCAL, CASES_HIDDEN):
        x, w, b = _data(ctx, xs, ws)
        where = _describe(xs, ws, stride, padding, dilation)
        expected = rc.conv2d_forward(x, w, b, stride, padding, dilation)
        got = ctx.expect_array(f"conv2d_forward for {where}", _call(ctx, "conv2d_forward", x, w, b, stride,
                                                                    padding, dilation), expected.shape)
        shift = b[None, :, None, None]
        known = {
            "is a true convolution (the kernel flipped): the notes compute a cross-correlation, "
            "x[..., i·s + p·d, ...] times w[..., p, q] with no flip (L3208)":
                rc.conv2d_forward(x, _flipped(w), b, stride, padding, dilation),
            "is missing the bias b[co], added once to every output of channel co": expected - shift,
        }
        if padding != (0, 0):
            # The window read without the padding offset: as if the input were padded only at the end.
            known["is shifted: the input row is i·s_h − p_h + p·d_h; did you leave out the − padding?"] = \
                rc.conv2d_forward(np.pad(x, ((0, 0), (0, 0), (0, 2 * padding[0]), (0, 2 * padding[1]))), w, b,
                                  stride, 0, dilation)
        _expect(ctx, f"conv2d_forward for {where}", got, expected, known)


def _backward(ctx: CheckContext, dy, x, w, stride, padding, dilation, where):
    out = ctx.expect_tuple(f"conv2d_backward for {where}",
                           _call(ctx, "conv2d_backward", dy, x, w, stride, padding, dilation), 3)
    return (ctx.expect_array(f"dx for {where}", out[0], x.shape), ctx.expect_array(f"dw for {where}", out[1], w.shape),
            ctx.expect_array(f"db for {where}", out[2], (w.shape[0],)))


@check("conv2d_backward: dx, dw and db (sums over the batch)", points=3, target="numba")
def backward(ctx: CheckContext) -> None:
    for xs, ws, stride, padding, dilation in ctx.cases(CASES_LOCAL, CASES_HIDDEN):
        x, w, _ = _data(ctx, xs, ws)
        where = _describe(xs, ws, stride, padding, dilation)
        dy = ctx.rng.normal(size=rc.conv2d_output_shape(xs, ws, stride, padding, dilation))  # random, not ones
        dx, dw, db = _backward(ctx, dy, x, w, stride, padding, dilation, where)
        dx_ref, dw_ref, db_ref = rc.conv2d_backward(dy, x, w, stride, padding, dilation)
        n = xs[0]
        flipped = "uses the flipped kernel: the forward pass is a cross-correlation, and its backward too"
        _expect(ctx, f"db for {where}", db, db_ref, _db_slips(dy), batch=n if n > 1 else None)
        _expect(ctx, f"dw for {where}", dw, dw_ref, {
            flipped: _flipped(dw_ref),
        }, batch=n if n > 1 else None)
        _expect(ctx, f"dx for {where}", dx, dx_ref, {
            flipped: rc.conv2d_backward(dy, x, _flipped(w), stride, padding, dilation)[0],
        })


@check("the gradients agree with central differences of Σ dy·y (your conv2d_forward)", points=2, target="numba")
def numerical(ctx: CheckContext) -> None:
    xs, ws, stride, padding, dilation = ((2, 2, 6, 5), (2, 2, 3, 2), (2, 1), (1, 2), (1, 2))
    if ctx.official:
        xs, ws, stride, padding, dilation = ((1, 2, 7, 6), (3, 2, 2, 3), (1, 2), (2, 1), (2, 1))
    x, w, b = _data(ctx, xs, ws)
    where = _describe(xs, ws, stride, padding, dilation)
    dy = ctx.rng.normal(size=rc.conv2d_output_shape(xs, ws, stride, padding, dilation))

    def loss(inputs: dict[str, np.ndarray]) -> float:
        y = _call(ctx, "conv2d_forward", inputs["x"], inputs["w"], inputs["b"], stride, padding, dilation)
        return float(np.sum(dy * ctx.expect_array(f"conv2d_forward for {where}", y, dy.shape)))

    dx, dw, db = _backward(ctx, dy, x, w, stride, padding, dilation, where)
    ctx.gradcheck(f"d Σ dy·y for {where}", loss, {"x": x, "w": w, "b": b}, {"x": dx, "w": dw, "b": db})
