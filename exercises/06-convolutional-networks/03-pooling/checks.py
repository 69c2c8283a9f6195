"""Checks for `conv-pooling` (runs in the grader; learner code only through ctx.probe).

Expected values come from grader.reference_conv. Values compared with central differences are kept
apart (no ties); the tie rule has checks of its own on small integer inputs full of ties.
"""

import numpy as np

from grader import reference_conv as rc
from grader.checklib import CheckContext, check
from grader.compare import compare

# x shape, size, stride: overlapping windows (stride < size), leftover rows/columns, non-square.
CASES_LOCAL = [((2, 3, 6, 6), (2, 2), (2, 2)), ((1, 2, 7, 5), (3, 2), (2, 1)), ((3, 1, 5, 8), (2, 3), (1, 2))]
CASES_HIDDEN = [((2, 2, 9, 7), (3, 3), (2, 3)), ((1, 1, 4, 4), (4, 4), (1, 1)), ((2, 3, 8, 6), (1, 2), (3, 2))]


def _call(ctx: CheckContext, name: str, *args):
    return ctx.probe("call_pairs", name, *args, label=name)


def _where(xs, size, stride) -> str:
    return f"x {xs}, size {size}, stride {stride}"


def _distinct(ctx: CheckContext, xs) -> np.ndarray:
    """Values at least 0.05 apart everywhere: no ties, and ±1e-6 steps never change a maximum."""
    n = int(np.prod(xs))
    return ctx.rng.permutation(np.linspace(-0.05 * n / 2, 0.05 * n / 2, n)).reshape(xs)


def _ties(ctx: CheckContext, xs) -> np.ndarray:
    return ctx.rng.integers(0, 3, size=xs).astype(np.float64)


def _argmax_other_rule(x: np.ndarray, size, stride, rule: str) -> np.ndarray:
    """The flat index a wrong tie rule picks: 'last' (>= in row-major order) or 'column' (column-major order)."""
    n, c, h, w = x.shape
    _, _, oh, ow = rc.pool_output_shape(x.shape, size, stride)
    out = np.zeros((n, c, oh, ow), dtype=np.int64)
    cells = [(p, q) for p in range(size[0]) for q in range(size[1])]
    if rule == "column":
        cells = [(p, q) for q in range(size[1]) for p in range(size[0])]
    for a in range(n):
        for b in range(c):
            for i in range(oh):
                for j in range(ow):
                    best, at = -np.inf, -1
                    for p, q in cells:
                        v = x[a, b, i * stride[0] + p, j * stride[1] + q]
                        if v > best or (rule == "last" and v == best):
                            best, at = v, (i * stride[0] + p) * w + j * stride[1] + q
                    out[a, b, i, j] = at
    return out


def _maxpool(ctx: CheckContext, x, size, stride, where):
    y, idx = ctx.expect_tuple(f"maxpool_forward for {where}", _call(ctx, "maxpool_forward", x, size, stride), 2)
    shape = rc.pool_output_shape(x.shape, size, stride)
    y = ctx.expect_array(f"y of maxpool_forward for {where}", y, shape)
    idx = ctx.expect_array(f"idx of maxpool_forward for {where}", idx, shape)
    ctx.expect(idx.dtype.kind in "iu", f"idx of maxpool_forward for {where} has dtype {idx.dtype}: return integer "
                                       f"positions (np.int64)", diagnosis="dtype")
    return y, idx


def _expect_idx(ctx: CheckContext, label: str, idx, x, size, stride) -> None:
    expected = rc.maxpool_indices(x, size, stride)
    if np.array_equal(idx, expected):
        return
    w = x.shape[3]
    if np.array_equal(idx, _argmax_other_rule(x, size, stride, "last")):
        ctx.fail(f"{label}: at ties your idx picks the LAST maximum of the window; the rule is the FIRST one in "
                 f"row-major order (compare with >, not >=)", diagnosis="ties")
    if np.array_equal(idx, _argmax_other_rule(x, size, stride, "column")):
        ctx.fail(f"{label}: at ties your idx picks the first maximum in COLUMN-major order; scan each window "
                 f"row by row (p outer, q inner)", diagnosis="ties")
    bad = tuple(int(v) for v in np.argwhere(idx != expected)[0])
    ctx.fail(f"{label}: idx{list(bad)} = {int(idx[bad])} (row {int(idx[bad]) // w}, column {int(idx[bad]) % w}), "
             f"expected {int(expected[bad])} (row {int(expected[bad]) // w}, column {int(expected[bad]) % w}). "
             f"idx is r·W + c in the whole (H, W) plane, not the position inside the window.", diagnosis="mismatch")


@check("maxpool_forward: the maximum of each window and where it is", points=2)
def max_forward(ctx: CheckContext) -> None:
    for xs, size, stride in ctx.cases(CASES_LOCAL, CASES_HIDDEN):
        x = _distinct(ctx, xs)
        where = _where(xs, size, stride)
        y, idx = _maxpool(ctx, x, size, stride, where)
        ctx.expect_close(f"y of maxpool_forward for {where}", y, rc.maxpool_forward(x, size, stride))
        _expect_idx(ctx, f"idx of maxpool_forward for {where}", idx, x, size, stride)


@check("ties: the FIRST maximum in row-major window order wins, and gets the whole gradient", points=2)
def ties(ctx: CheckContext) -> None:
    for xs, size, stride in ctx.cases(CASES_LOCAL, CASES_HIDDEN):
        x = _ties(ctx, xs)
        where = _where(xs, size, stride) + " (values 0, 1, 2: many ties)"
        y, idx = _maxpool(ctx, x, size, stride, where)
        ctx.expect_close(f"y of maxpool_forward for {where}", y, rc.maxpool_forward(x, size, stride))
        _expect_idx(ctx, f"idx of maxpool_forward for {where}", idx, x, size, stride)
        dy = ctx.rng.normal(size=y.shape)
        dx = ctx.expect_array(f"maxpool_backward for {where}",
                              _call(ctx, "maxpool_backward", dy, rc.maxpool_indices(x, size, stride), list(xs)), xs)
        ctx.expect_close(f"maxpool_backward for {where}", dx, rc.maxpool_backward(dy, x, size, stride))


@check("maxpool_backward: each window's gradient goes to its maximum; overlaps add up", points=2)
def max_backward(ctx: CheckContext) -> None:
    for xs, size, stride in ctx.cases(CASES_LOCAL, CASES_HIDDEN):
        x = _distinct(ctx, xs)
        where = _where(xs, size, stride)
        dy = ctx.rng.normal(size=rc.pool_output_shape(xs, size, stride))
        idx = rc.maxpool_indices(x, size, stride)
        dx = ctx.expect_array(f"maxpool_backward for {where}", _call(ctx, "maxpool_backward", dy, idx, list(xs)), xs)
        expected = rc.maxpool_backward(dy, x, size, stride)
        if not compare("", dx, expected).ok:
            overwritten = np.zeros(xs).reshape(xs[0], xs[1], -1)
            np.put_along_axis(overwritten, idx.reshape(xs[0], xs[1], -1), dy.reshape(xs[0], xs[1], -1), axis=2)
            if size != stride and compare("", dx, overwritten.reshape(xs)).ok:
                ctx.fail(f"maxpool_backward for {where}: where two overlapping windows share a maximum, only one "
                         f"gradient arrives: ADD them (np.add.at, or +=), do not assign", diagnosis="overwrite")
        ctx.expect_close(f"maxpool_backward for {where}", dx, expected)
    # Against central differences of your own forward pass.
    xs, size, stride = CASES_LOCAL[1]
    x = _distinct(ctx, xs)
    dy = ctx.rng.normal(size=rc.pool_output_shape(xs, size, stride))
    _, idx = _maxpool(ctx, x, size, stride, _where(xs, size, stride))
    dx = ctx.expect_array("maxpool_backward", _call(ctx, "maxpool_backward", dy, idx, list(xs)), xs)
    ctx.gradcheck("d Σ dy·maxpool(x)", lambda v: float(np.sum(dy * _call(ctx, "maxpool_forward", v["x"], size,
                                                                         stride)[0])), {"x": x}, {"x": dx})


@check("avgpool_forward and avgpool_backward: the window mean and its gradient", points=2)
def average(ctx: CheckContext) -> None:
    for xs, size, stride in ctx.cases(CASES_LOCAL, CASES_HIDDEN):
        x = ctx.rng.normal(size=xs)
        where = _where(xs, size, stride)
        expected = rc.avgpool_forward(x, size, stride)
        y = ctx.expect_array(f"avgpool_forward for {where}", _call(ctx, "avgpool_forward", x, size, stride),
                             expected.shape)
        ctx.expect_close(f"avgpool_forward for {where}", y, expected)
        dy = ctx.rng.normal(size=expected.shape)
        dx = ctx.expect_array(f"avgpool_backward for {where}",
                              _call(ctx, "avgpool_backward", dy, list(xs), size, stride), xs)
        ctx.expect_close(f"avgpool_backward for {where}", dx, rc.avgpool_backward(dy, x, size, stride))
    xs, size, stride = CASES_LOCAL[2]
    x = ctx.rng.normal(size=xs)
    dy = ctx.rng.normal(size=rc.pool_output_shape(xs, size, stride))
    dx = ctx.expect_array("avgpool_backward", _call(ctx, "avgpool_backward", dy, list(xs), size, stride), xs)
    ctx.gradcheck("d Σ dy·avgpool(x)", lambda v: float(np.sum(dy * _call(ctx, "avgpool_forward", v["x"], size,
                                                                         stride))), {"x": x}, {"x": dx})
