"""Checks for `conv-upsampling` (runs in the grader; learner code only through ctx.probe).

Expected values come from grader.reference_conv. Factors differ between height and width; upstream
gradients are random; every backward pass is also compared with central differences of the
learner's own forward pass.
"""

import numpy as np

from grader import reference_conv as rc
from grader.checklib import CheckContext, check
from grader.compare import compare

# x shape, factor (fh, fw)
CASES_LOCAL = [((2, 3, 3, 4), (2, 3)), ((1, 2, 5, 2), (3, 2)), ((1, 1, 2, 3), (1, 2))]
CASES_HIDDEN = [((2, 1, 4, 4), (2, 2)), ((3, 2, 1, 5), (4, 1)), ((1, 3, 3, 3), (3, 3))]


def _call(ctx: CheckContext, name: str, *args):
    return ctx.probe("call_pairs", name, *args, label=name)


def _expect(ctx: CheckContext, label: str, got, expected, known: dict) -> None:
    result = compare(label, got, expected)
    if result.ok:
        return
    if isinstance(got, np.ndarray) and got.shape == expected.shape:
        for why, value in known.items():
            if compare(label, got, value).ok:
                ctx.fail(f"{label} {why}", diagnosis="mismatch", details=result.details)
    ctx.fail(result.explanation, diagnosis=result.diagnosis, details=result.details)


def _up_shape(xs, factor):
    return xs[0], xs[1], xs[2] * factor[0], xs[3] * factor[1]


def _pair_of_ops(ctx: CheckContext, forward: str, backward: str, known_forward=None) -> None:
    ref_forward, ref_backward = getattr(rc, forward), getattr(rc, backward)
    for xs, factor in ctx.cases(CASES_LOCAL, CASES_HIDDEN):
        x = ctx.rng.normal(size=xs)
        where = f"x {xs}, factor {factor}"
        expected = ref_forward(x, factor)
        got = ctx.expect_array(f"{forward} for {where}", _call(ctx, forward, x, factor), expected.shape)
        _expect(ctx, f"{forward} for {where}", got, expected, known_forward(x, factor) if known_forward else {})
        dy = ctx.rng.normal(size=expected.shape)
        dx = ctx.expect_array(f"{backward} for {where}", _call(ctx, backward, dy, factor), xs)
        _expect(ctx, f"{backward} for {where}", dx, ref_backward(dy, factor), {})
    xs, factor = CASES_LOCAL[0]
    x, dy = ctx.rng.normal(size=xs), ctx.rng.normal(size=_up_shape(xs, factor))
    dx = ctx.expect_array(f"{backward}", _call(ctx, backward, dy, factor), xs)
    ctx.gradcheck(f"d Σ dy·{forward}(x) (your forward)",
                  lambda v: float(np.sum(dy * _call(ctx, forward, v["x"], factor))), {"x": x}, {"x": dx})


def _align_corners_true(x: np.ndarray, factor) -> np.ndarray:
    def weights(n_in: int, f: int) -> np.ndarray:
        n_out = n_in * f
        m = np.zeros((n_out, n_in))
        for o in range(n_out):
            s = o * (n_in - 1) / (n_out - 1) if n_out > 1 else 0.0
            i0 = min(int(s), n_in - 1)
            i1 = min(i0 + 1, n_in - 1)
            m[o, i0] += 1 - (s - i0)
            m[o, i1] += s - i0
        return m

    return np.einsum("ih,nchw,jw->ncij", weights(x.shape[2], factor[0]), x, weights(x.shape[3], factor[1]))


def _bilinear_slip(x: np.ndarray, factor, source) -> np.ndarray:
    """Bilinear upsampling with another source coordinate s(o, f) (clamped into the input as the reference does)."""
    def weights(n_in: int, f: int) -> np.ndarray:
        m = np.zeros((n_in * f, n_in))
        for o in range(n_in * f):
            s = source(o, f)
            i0 = min(max(int(np.floor(s)), 0), n_in - 1)
            i1 = min(i0 + 1, n_in - 1)
            m[o, i0] += 1 - (s - i0)
            m[o, i1] += s - i0
        return m

    return np.einsum("ih,nchw,jw->ncij", weights(x.shape[2], factor[0]), x, weights(x.shape[3], factor[1]))


@check("upsample_nearest and its backward: blocks of copies, block sums", points=2)
def nearest(ctx: CheckContext) -> None:
    _pair_of_ops(ctx, "upsample_nearest", "upsample_nearest_backward", lambda x, f: {
        "tiles the whole image (np.tile); each PIXEL must become an fh×fw block (np.repeat along each axis)":
            np.tile(x, (1, 1, f[0], f[1]))})


@check("upsample_bilinear (align_corners=False) and its backward", points=2)
def bilinear(ctx: CheckContext) -> None:
    _pair_of_ops(ctx, "upsample_bilinear", "upsample_bilinear_backward", lambda x, f: {
        "uses align_corners=True (s = i·(H−1)/(H·fh−1)); this course uses half-pixel centres, "
        "s = (i + 0.5)/fh − 0.5 clamped at 0": _align_corners_true(x, f),
        "is nearest-neighbour upsampling, not bilinear": rc.upsample_nearest(x, f),
        "samples s = i/fh: the half-pixel offset is missing, s = (i + 0.5)/fh − 0.5 (pixel centres)":
            _bilinear_slip(x, f, lambda o, fo: o / fo),
        "is not clamped at the top-left border: s = (i + 0.5)/fh − 0.5 is negative for the first rows; "
        "use max(s, 0)": _bilinear_slip(x, f, lambda o, fo: (o + 0.5) / fo - 0.5)})


@check("bed_of_nails and its backward: the nail at the top-left of each block", points=2)
def nails(ctx: CheckContext) -> None:
    def known(x, f):
        centred = np.zeros(_up_shape(x.shape, f))
        centred[:, :, f[0] // 2::f[0], f[1] // 2::f[1]] = x
        return {"puts the values at the centre of each block; the nail is its top-left cell (i·fh, j·fw)": centred}

    _pair_of_ops(ctx, "bed_of_nails", "bed_of_nails_backward", known)


@check("max_unpool puts the values back at the pooling's indices; its backward gathers", points=2)
def unpool(ctx: CheckContext) -> None:
    # (pool input shape, pool size, pool stride): the last case overlaps, so some indices repeat.
    cases = ctx.cases([((2, 3, 6, 7), (2, 2), (2, 2)), ((1, 2, 5, 5), (3, 2), (2, 1))],
                      [((1, 1, 8, 9), (3, 3), (3, 3)), ((2, 2, 4, 6), (2, 2), (1, 1))])
    for xs, size, stride in cases:
        n = int(np.prod(xs))
        x = ctx.rng.permutation(np.linspace(-1, 1, n)).reshape(xs)
        pooled, idx = rc.maxpool_forward(x, size, stride), rc.maxpool_indices(x, size, stride)
        where = f"the indices of a {size} max-pooling with stride {stride} of a {xs} input"
        expected = rc.max_unpool(pooled, idx, xs[2:])
        got = ctx.expect_array(f"max_unpool for {where}", _call(ctx, "max_unpool", pooled, idx, list(xs[2:])), xs)
        overwritten = np.zeros(xs).reshape(xs[0], xs[1], -1)
        np.put_along_axis(overwritten, idx.reshape(xs[0], xs[1], -1), pooled.reshape(xs[0], xs[1], -1), axis=2)
        known = {} if np.array_equal(overwritten.reshape(xs), expected) else {
            "keeps only one value where two windows share an index: ADD them (np.add.at)": overwritten.reshape(xs)}
        _expect(ctx, f"max_unpool for {where}", got, expected, known)
        dy = ctx.rng.normal(size=xs)
        dx = ctx.expect_array(f"max_unpool_backward for {where}", _call(ctx, "max_unpool_backward", dy, idx),
                              pooled.shape)
        _expect(ctx, f"max_unpool_backward for {where}", dx, rc.max_unpool_backward(dy, idx), {})
        ctx.gradcheck(f"d Σ dy·max_unpool(x) for {where} (your max_unpool)",
                      lambda v, idx=idx, xs=xs, dy=dy: float(np.sum(dy * _call(ctx, "max_unpool", v["x"], idx,
                                                                                 list(xs[2:])))),
                      {"x": pooled}, {"x": dx})
