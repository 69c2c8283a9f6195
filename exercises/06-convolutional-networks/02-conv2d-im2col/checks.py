"""Checks for `conv2d-im2col` (runs in the grader; learner code only through ctx.probe).

Expected values come from grader.reference_conv. (h, w) pairs differ in every case so that a swapped
pair shows; upstream gradients are random; batch sizes 1 and > 1.
"""

import numpy as np

from grader import reference_conv as rc
from grader.checklib import CheckContext, check
from grader.compare import compare

CASES_LOCAL = [
    ((2, 3, 7, 6), (4, 3, 3, 2), (1, 1), (1, 0), (1, 1)),
    ((1, 2, 9, 8), (3, 2, 3, 3), (2, 1), (1, 2), (1, 1)),
    ((3, 1, 10, 9), (2, 1, 3, 2), (1, 2), (2, 1), (2, 3)),
]
CASES_HIDDEN = [
    ((2, 2, 11, 7), (3, 2, 2, 3), (3, 2), (0, 1), (2, 1)),
    ((1, 3, 6, 6), (2, 3, 1, 1), (1, 1), (0, 0), (1, 1)),
]


def _call(ctx: CheckContext, name: str, *args):
    return ctx.probe("call_pairs", name, *args, label=name)


def _describe(xs, ws, stride, padding, dilation) -> str:
    return f"x {xs}, kernel {ws[2:]}, stride {stride}, padding {padding}, dilation {dilation}"


def _expect(ctx: CheckContext, label: str, got, expected, known: dict, batch: int | None = None) -> None:
    result = compare(label, got, expected, batch=batch)
    if result.ok:
        return
    if isinstance(got, np.ndarray) and got.shape == expected.shape:
        for why, value in known.items():
            if compare(label, got, value).ok:
                ctx.fail(f"{label} {why}", diagnosis="mismatch", details=result.details)
    ctx.fail(result.explanation, diagnosis=result.diagnosis, details=result.details)


def _cols_shape(xs, ws, stride, padding, dilation) -> tuple[int, int]:
    n, _, oh, ow = rc.conv2d_output_shape(xs, ws, stride, padding, dilation)
    return xs[1] * ws[2] * ws[3], n * oh * ow


def _db_slips(dy: np.ndarray) -> dict[str, np.ndarray]:
    """db values of the usual slips, by what went wrong."""
    return {
        "holds one entry of dy per channel (assigned, not added?): db[co] is the SUM of dy[n, co, i, j] over the "
        "batch and every output position": dy[-1, :, -1, -1],
        "is summed over the output positions of the first image only: add over the batch too": dy[0].sum(axis=(1, 2)),
        "is summed over the batch at one output position only: add over every position (i, j) too":
            dy[:, :, 0, 0].sum(axis=0),
    }


@check("im2col: one column per output position, one row per (channel, kernel row, kernel column)", points=2)
def im2col_values(ctx: CheckContext) -> None:
    for xs, ws, stride, padding, dilation in ctx.cases(CASES_LOCAL, CASES_HIDDEN):
        x = ctx.rng.normal(size=xs)
        where = _describe(xs, ws, stride, padding, dilation)
        expected = rc.im2col(x, ws[2], ws[3], stride, padding, dilation)
        got = _call(ctx, "im2col", x, ws[2], ws[3], stride, padding, dilation)
        if isinstance(got, np.ndarray) and got.shape == expected.shape[::-1]:
            ctx.fail(f"im2col for {where} has shape {got.shape}, the transpose of {expected.shape}: rows are "
                     f"(channel, p, q), columns are output positions (n, i, j)", diagnosis="transpose")
        got = ctx.expect_array(f"im2col for {where}", got, expected.shape)
        n, _, oh, ow = rc.conv2d_output_shape(xs, ws, stride, padding, dilation)
        position_major = expected.reshape(-1, n, oh * ow).transpose(0, 2, 1).reshape(expected.shape)
        _expect(ctx, f"im2col for {where}", got, expected, {
            "orders its columns (i, j, n): the column of output (n, i, j) is (n·H_out + i)·W_out + j":
                position_major})


@check("col2im is the transpose of im2col: it adds every entry back to its pixel", points=2)
def col2im_values(ctx: CheckContext) -> None:
    for xs, ws, stride, padding, dilation in ctx.cases(CASES_LOCAL, CASES_HIDDEN):
        where = _describe(xs, ws, stride, padding, dilation)
        cols = ctx.rng.normal(size=_cols_shape(xs, ws, stride, padding, dilation))
        expected = rc.col2im(cols, xs, ws[2], ws[3], stride, padding, dilation)
        got = ctx.expect_array(f"col2im for {where}",
                               _call(ctx, "col2im", cols, list(xs), ws[2], ws[3], stride, padding, dilation), xs)
        _expect(ctx, f"col2im for {where}", got, expected, {})
    # The defining property, on your own im2col: <im2col(x), c> = <x, col2im(c)> for every x and c.
    xs, ws, stride, padding, dilation = CASES_LOCAL[0]
    x, cols = ctx.rng.normal(size=xs), ctx.rng.normal(size=_cols_shape(xs, ws, stride, padding, dilation))
    left = float(np.sum(_call(ctx, "im2col", x, ws[2], ws[3], stride, padding, dilation) * cols))
    right = float(np.sum(x * _call(ctx, "col2im", cols, list(xs), ws[2], ws[3], stride, padding, dilation)))
    ctx.expect(abs(left - right) <= 1e-9 * (abs(left) + abs(right) + 1), f"<im2col(x), c> = {left:.6g} but "
               f"<x, col2im(c)> = {right:.6g}: col2im must be the exact transpose of your im2col", diagnosis="mismatch")


@check("conv2d_im2col_forward: one matrix product with im2col, plus the bias", points=2)
def forward(ctx: CheckContext) -> None:
    for xs, ws, stride, padding, dilation in ctx.cases(CASES_LOCAL, CASES_HIDDEN):
        x, w, b = ctx.rng.normal(size=xs), ctx.rng.normal(size=ws), ctx.rng.normal(size=ws[0])
        where = _describe(xs, ws, stride, padding, dilation)
        expected = rc.conv2d_forward(x, w, b, stride, padding, dilation)
        got, calls = ctx.probe("count_calls", "im2col", "conv2d_im2col_forward", x, w, b, stride, padding, dilation,
                               label="conv2d_im2col_forward")
        got = ctx.expect_array(f"conv2d_im2col_forward for {where}", got, expected.shape)
        _expect(ctx, f"conv2d_im2col_forward for {where}", got, expected, {
            "is missing the bias b[co]": expected - b[None, :, None, None]})
        ctx.expect(calls >= 1, "conv2d_im2col_forward did not call your im2col: build the columns with it and "
                               "multiply by w.reshape(C_out, -1)", diagnosis="structure")


@check("conv2d_im2col_backward: dx through col2im, dw and db (sums over the batch)", points=3)
def backward(ctx: CheckContext) -> None:
    for xs, ws, stride, padding, dilation in ctx.cases(CASES_LOCAL, CASES_HIDDEN):
        x, w = ctx.rng.normal(size=xs), ctx.rng.normal(size=ws)
        where = _describe(xs, ws, stride, padding, dilation)
        dy = ctx.rng.normal(size=rc.conv2d_output_shape(xs, ws, stride, padding, dilation))
        out, calls = ctx.probe("count_calls", "col2im", "conv2d_im2col_backward", dy, x, w, stride, padding,
                               dilation, label="conv2d_im2col_backward")
        dx, dw, db = ctx.expect_tuple(f"conv2d_im2col_backward for {where}", out, 3)
        dx_ref, dw_ref, db_ref = rc.conv2d_backward(dy, x, w, stride, padding, dilation)
        batch = xs[0] if xs[0] > 1 else None
        _expect(ctx, f"db for {where}", ctx.expect_array(f"db for {where}", db, db_ref.shape), db_ref, _db_slips(dy),
                batch=batch)
        _expect(ctx, f"dw for {where}", ctx.expect_array(f"dw for {where}", dw, dw_ref.shape), dw_ref, {},
                batch=batch)
        _expect(ctx, f"dx for {where}", ctx.expect_array(f"dx for {where}", dx, dx_ref.shape), dx_ref, {})
        ctx.expect(calls >= 1, "conv2d_im2col_backward did not call your col2im: dx = col2im(W_matᵀ @ dY_mat)",
                   diagnosis="structure")
