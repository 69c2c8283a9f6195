"""grader.reference_conv against plain NumPy loops and float64 central differences."""

from __future__ import annotations

import inspect

import numpy as np
import pytest
from test_reference_kernels import assert_close_to_numeric, numeric_vjp

from grader import reference_conv as rc

pytestmark = pytest.mark.filterwarnings("error")

COVERED = {
    "conv_output_size", "conv2d_output_shape", "conv2d_forward", "conv2d_backward",
    "pool_output_shape", "maxpool_forward", "maxpool_indices", "maxpool_backward",
    "avgpool_forward", "avgpool_backward", "im2col", "col2im",
    "upsample_nearest", "upsample_nearest_backward", "upsample_bilinear", "upsample_bilinear_backward",
    "bed_of_nails", "bed_of_nails_backward", "max_unpool", "max_unpool_backward", "receptive_field",
}  # fmt: skip


def test_every_public_function_is_covered() -> None:
    public = {
        name
        for name, fn in inspect.getmembers(rc, inspect.isfunction)
        if fn.__module__ == rc.__name__ and not name.startswith("_")
    }
    assert public == COVERED


# --- plain NumPy versions: pad once, then the textbook loops ---------------------------------


def _pair(v: int | tuple[int, int]) -> tuple[int, int]:
    return (v, v) if isinstance(v, int) else v


def np_conv2d(x: np.ndarray, w: np.ndarray, b: np.ndarray, stride=1, padding=0, dilation=1) -> np.ndarray:
    (sh, sw), (ph, pw), (dh, dw) = _pair(stride), _pair(padding), _pair(dilation)
    n, _, h, wd = x.shape
    co, _, kh, kw = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    oh = (h + 2 * ph - dh * (kh - 1) - 1) // sh + 1
    ow = (wd + 2 * pw - dw * (kw - 1) - 1) // sw + 1
    y = np.zeros((n, co, oh, ow))
    for i in range(oh):
        for j in range(ow):
            patch = xp[:, :, i * sh : i * sh + dh * (kh - 1) + 1 : dh, j * sw : j * sw + dw * (kw - 1) + 1 : dw]
            y[:, :, i, j] = np.einsum("ncpq,ocpq->no", patch, w) + b
    return y


def np_pool(x: np.ndarray, size, stride, op) -> np.ndarray:
    (kh, kw), (sh, sw) = _pair(size), _pair(stride)
    n, c, h, w = x.shape
    y = np.zeros((n, c, (h - kh) // sh + 1, (w - kw) // sw + 1))
    for i in range(y.shape[2]):
        for j in range(y.shape[3]):
            y[:, :, i, j] = op(x[:, :, i * sh : i * sh + kh, j * sw : j * sw + kw], axis=(2, 3))
    return y


CONV_CASES = [
    # x shape, w shape, stride, padding, dilation
    ((1, 1, 5, 5), (1, 1, 3, 3), 1, 0, 1),
    ((2, 3, 7, 6), (4, 3, 3, 2), 1, 1, 1),
    ((2, 2, 9, 8), (3, 2, 3, 3), 2, 1, 1),
    ((1, 2, 8, 11), (2, 2, 2, 3), (2, 3), (0, 2), 1),
    ((3, 2, 9, 10), (2, 2, 3, 3), 1, 2, 2),
    ((2, 1, 11, 9), (2, 1, 3, 2), (2, 1), (1, 0), (2, 3)),
    ((1, 2, 4, 4), (3, 2, 5, 5), 3, 3, 1),  # padding wider than the kernel's reach: zero rows/columns
    ((2, 3, 5, 5), (2, 3, 1, 1), 2, 0, 1),  # 1×1 kernel, stride skipping columns
]


@pytest.mark.parametrize(("xs", "ws", "stride", "padding", "dilation"), CONV_CASES)
def test_conv2d_forward_matches_numpy(xs, ws, stride, padding, dilation) -> None:
    rng = np.random.default_rng(10)
    x, w, b = rng.normal(size=xs), rng.normal(size=ws), rng.normal(size=ws[0])
    y = rc.conv2d_forward(x, w, b, stride, padding, dilation)
    assert y.dtype == np.float64
    assert y.shape == rc.conv2d_output_shape(xs, ws, stride, padding, dilation)
    np.testing.assert_allclose(y, np_conv2d(x, w, b, stride, padding, dilation), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize(("xs", "ws", "stride", "padding", "dilation"), CONV_CASES)
def test_conv2d_backward_matches_central_differences(xs, ws, stride, padding, dilation) -> None:
    rng = np.random.default_rng(11)
    x, w, b = rng.normal(size=xs), rng.normal(size=ws), rng.normal(size=ws[0])
    dy = rng.normal(size=rc.conv2d_output_shape(xs, ws, stride, padding, dilation))
    dx, dw, db = rc.conv2d_backward(dy, x, w, stride, padding, dilation)
    assert dx.shape == xs and dw.shape == ws and db.shape == (ws[0],)
    assert_close_to_numeric(dx, numeric_vjp(lambda v: rc.conv2d_forward(v, w, b, stride, padding, dilation), x, dy))
    assert_close_to_numeric(dw, numeric_vjp(lambda v: rc.conv2d_forward(x, v, b, stride, padding, dilation), w, dy))
    assert_close_to_numeric(db, numeric_vjp(lambda v: rc.conv2d_forward(x, w, v, stride, padding, dilation), b, dy))
    np.testing.assert_allclose(db, dy.sum(axis=(0, 2, 3)), rtol=1e-12)  # summed over the batch, not averaged


def test_conv2d_is_cross_correlation_not_convolution() -> None:
    x = np.zeros((1, 1, 3, 3))
    x[0, 0, 1, 1] = 1.0  # an impulse: the output shows the kernel, flipped for a correlation
    w = np.arange(9.0).reshape(1, 1, 3, 3)
    y = rc.conv2d_forward(x, w, [0.0], padding=1)
    np.testing.assert_array_equal(y[0, 0], w[0, 0, ::-1, ::-1])
    np.testing.assert_array_equal(rc.conv2d_forward(np.arange(9.0).reshape(1, 1, 3, 3), w, [0.5]),
                                  [[[[np.sum(w * w) + 0.5]]]])


def test_conv_output_size_formula_and_errors() -> None:
    # The notes' Fig. 116 example: 5×5 input, 3×3 kernel, padding 1, stride 2 -> 3×3 (the caption's 2×2 is wrong).
    assert rc.conv_output_size(5, 3, 2, 1, 1) == 3
    assert rc.conv_output_size(32, 5) == 28
    assert rc.conv_output_size(7, 3, 1, 0, 2) == 3
    assert rc.conv_output_size(10, 3, 3, 1, 1) == 4
    assert rc.conv_output_size(1, 1) == 1
    for n, k, s, p, d in [(2, 3, 1, 0, 1), (5, 3, 1, 0, 3), (0, 1, 1, 0, 1)]:
        with pytest.raises(ValueError):
            rc.conv_output_size(n, k, s, p, d)
    for bad in [(5, 3, 0, 0, 1), (5, 3, 1, -1, 1), (5, 3, 1, 0, 0), (5, 2.5, 1, 0, 1), (5, True, 1, 0, 1)]:
        with pytest.raises(ValueError):
            rc.conv_output_size(*bad)
    for n in range(1, 12):
        for k in range(1, 5):
            for s in range(1, 4):
                for p in range(3):
                    for d in range(1, 3):
                        if n + 2 * p >= d * (k - 1) + 1:
                            # Count the window positions directly.
                            count = len(range(0, n + 2 * p - d * (k - 1), s))
                            assert rc.conv_output_size(n, k, s, p, d) == count


def test_conv2d_validates_shapes_and_params() -> None:
    x, w, b = np.zeros((1, 2, 5, 5)), np.zeros((3, 2, 3, 3)), np.zeros(3)
    with pytest.raises(ValueError):
        rc.conv2d_forward(x, np.zeros((3, 1, 3, 3)), b)
    with pytest.raises(ValueError):
        rc.conv2d_forward(x, w, np.zeros(2))
    with pytest.raises(ValueError):
        rc.conv2d_forward(x[0], w, b)
    with pytest.raises(ValueError):
        rc.conv2d_forward(x, w, b, stride=(1, 1, 1))
    with pytest.raises(ValueError):
        rc.conv2d_forward(x, w, b, dilation=3)
    with pytest.raises(ValueError):
        rc.conv2d_backward(np.zeros((1, 3, 4, 3)), x, w)
    assert rc.conv2d_forward(x, w, b, stride=(1, 2), padding=(1, 0)).shape == (1, 3, 5, 2)


def test_conv2d_large_random_agrees_with_numpy() -> None:
    # Bigger than the gradient cases: exercises the valid-range bounds on many offsets at once.
    rng = np.random.default_rng(12)
    for stride, padding, dilation in [(1, 2, 1), (2, 3, 2), ((3, 1), (1, 4), (1, 2))]:
        x, w, b = rng.normal(size=(2, 3, 17, 13)), rng.normal(size=(4, 3, 5, 3)), rng.normal(size=4)
        y = rc.conv2d_forward(x, w, b, stride, padding, dilation)
        np.testing.assert_allclose(y, np_conv2d(x, w, b, stride, padding, dilation), rtol=1e-12, atol=1e-12)
        dy = rng.normal(size=y.shape)
        dx, dw, _ = rc.conv2d_backward(dy, x, w, stride, padding, dilation)
        # Linear in x and w: <dy, conv(x)> = <dx, x> + <dw, w> + <db, b> gives both at once.
        np.testing.assert_allclose(np.sum(dy * (y - b[None, :, None, None])), np.sum(dx * x), rtol=1e-11)
        np.testing.assert_allclose(np.sum(dy * (y - b[None, :, None, None])), np.sum(dw * w), rtol=1e-11)


# --- pooling -----------------------------------------------------------------------------------

POOL_CASES = [((2, 3, 6, 6), 2, 2), ((1, 2, 7, 5), 3, 2), ((2, 1, 5, 8), (2, 3), (1, 2)), ((1, 1, 4, 4), 4, 1)]


@pytest.mark.parametrize(("xs", "size", "stride"), POOL_CASES)
def test_pooling_forward_matches_numpy(xs, size, stride) -> None:
    x = np.random.default_rng(20).normal(size=xs)
    expected_shape = rc.pool_output_shape(xs, size, stride)
    ymax, yavg = rc.maxpool_forward(x, size, stride), rc.avgpool_forward(x, size, stride)
    assert ymax.shape == expected_shape and yavg.shape == expected_shape
    np.testing.assert_array_equal(ymax, np_pool(x, size, stride, np.max))
    np.testing.assert_allclose(yavg, np_pool(x, size, stride, np.mean), rtol=1e-14)
    idx = rc.maxpool_indices(x, size, stride)
    assert idx.dtype == np.int64 and idx.shape == expected_shape
    flat = x.reshape(xs[0], xs[1], -1)
    np.testing.assert_array_equal(np.take_along_axis(flat, idx.reshape(xs[0], xs[1], -1), axis=2),
                                  ymax.reshape(xs[0], xs[1], -1))


@pytest.mark.parametrize(("xs", "size", "stride"), POOL_CASES)
def test_pooling_backward_matches_central_differences(xs, size, stride) -> None:
    rng = np.random.default_rng(21)
    x = rng.permutation(np.linspace(-3, 3, int(np.prod(xs)))).reshape(xs)  # distinct values, 0.04+ apart
    dy = rng.normal(size=rc.pool_output_shape(xs, size, stride))
    assert_close_to_numeric(rc.maxpool_backward(dy, x, size, stride),
                            numeric_vjp(lambda v: rc.maxpool_forward(v, size, stride), x, dy))
    assert_close_to_numeric(rc.avgpool_backward(dy, x, size, stride),
                            numeric_vjp(lambda v: rc.avgpool_forward(v, size, stride), x, dy))


def test_maxpool_ties_go_to_the_first_maximum_and_overlaps_accumulate() -> None:
    x = np.array([[[[1.0, 3.0, 3.0],
                    [3.0, 0.0, 3.0],
                    [2.0, 3.0, 1.0]]]])  # fmt: skip
    # 2×2 windows, stride 1: every window's max is 3, held by two or three of its cells.
    dy = np.array([[[[1.0, 10.0], [100.0, 1000.0]]]])
    dx = rc.maxpool_backward(dy, x, 2, 1)
    # Window (0,0): cells (0,0)=1 (0,1)=3 (1,0)=3 (1,1)=0 -> first 3 at (0,1).
    # Window (0,1): (0,1)=3 (0,2)=3 ... -> (0,1). Window (1,0): (1,0)=3 (1,1)=0 (2,0)=2 (2,1)=3 -> (1,0).
    # Window (1,1): (1,1)=0 (1,2)=3 (2,1)=3 (2,2)=1 -> (1,2) (row-major: row 1 before row 2).
    expected = np.zeros((1, 1, 3, 3))
    expected[0, 0, 0, 1] = 11.0
    expected[0, 0, 1, 0] = 100.0
    expected[0, 0, 1, 2] = 1000.0
    np.testing.assert_array_equal(dx, expected)
    np.testing.assert_array_equal(rc.maxpool_indices(x, 2, 1), [[[[1, 1], [3, 5]]]])
    # All equal: the top-left cell of each window takes the gradient.
    dx_flat = rc.maxpool_backward(np.ones((1, 1, 2, 2)), np.full((1, 1, 4, 4), 7.0), 2)
    np.testing.assert_array_equal(dx_flat[0, 0], [[1, 0, 1, 0], [0, 0, 0, 0], [1, 0, 1, 0], [0, 0, 0, 0]])


def test_pooling_default_stride_and_leftover_rows() -> None:
    x = np.random.default_rng(22).normal(size=(1, 2, 7, 7))
    assert rc.maxpool_forward(x, 2).shape == (1, 2, 3, 3)  # the last row and column are never read
    np.testing.assert_array_equal(rc.maxpool_forward(x, 2), rc.maxpool_forward(x, 2, 2))
    dx = rc.avgpool_backward(np.ones((1, 2, 3, 3)), x, 2)
    assert np.all(dx[:, :, 6, :] == 0) and np.all(dx[:, :, :, 6] == 0)
    np.testing.assert_array_equal(dx[:, :, :6, :6], 0.25)
    with pytest.raises(ValueError):
        rc.maxpool_forward(x, 8)
    with pytest.raises(ValueError):
        rc.maxpool_backward(np.ones((1, 2, 2, 2)), x, 2)
    with pytest.raises(ValueError):
        rc.avgpool_forward(x, 2, 0)
    assert rc.pool_output_shape((1, 2, 7, 7), (3, 2), (2, 5)) == (1, 2, 3, 2)


# --- im2col / col2im ---------------------------------------------------------------------------


@pytest.mark.parametrize(("xs", "ws", "stride", "padding", "dilation"), CONV_CASES)
def test_im2col_product_is_the_convolution_and_col2im_is_its_adjoint(xs, ws, stride, padding, dilation) -> None:
    rng = np.random.default_rng(30)
    x, w, b = rng.normal(size=xs), rng.normal(size=ws), rng.normal(size=ws[0])
    cols = rc.im2col(x, ws[2], ws[3], stride, padding, dilation)
    n, co, oh, ow = rc.conv2d_output_shape(xs, ws, stride, padding, dilation)
    assert cols.shape == (xs[1] * ws[2] * ws[3], n * oh * ow)
    y = (w.reshape(co, -1) @ cols).reshape(co, n, oh, ow).transpose(1, 0, 2, 3) + b[None, :, None, None]
    np.testing.assert_allclose(y, np_conv2d(x, w, b, stride, padding, dilation), rtol=1e-12, atol=1e-12)
    c = rng.normal(size=cols.shape)
    back = rc.col2im(c, xs, ws[2], ws[3], stride, padding, dilation)
    assert back.shape == xs
    np.testing.assert_allclose(np.sum(cols * c), np.sum(x * back), rtol=1e-12)  # <im2col x, c> = <x, col2im c>
    # col2im of the column gradient is conv2d's dx.
    dy = rng.normal(size=(n, co, oh, ow))
    dcols = w.reshape(co, -1).T @ dy.transpose(1, 0, 2, 3).reshape(co, -1)
    np.testing.assert_allclose(rc.col2im(dcols, xs, ws[2], ws[3], stride, padding, dilation),
                               rc.conv2d_backward(dy, x, w, stride, padding, dilation)[0], rtol=1e-10, atol=1e-12)


def test_im2col_layout_and_validation() -> None:
    x = np.arange(2 * 1 * 3 * 3, dtype=float).reshape(2, 1, 3, 3)
    cols = rc.im2col(x, 2, 2)
    # Row (p, q) = (0, 1), column (n, i, j) = (1, 0, 1): x[1, 0, 0, 2] = 11.
    assert cols.shape == (4, 8) and cols[1, 5] == 11.0
    np.testing.assert_array_equal(cols[:, 0], [0, 1, 3, 4])
    assert rc.im2col(x, 3, 3, padding=1)[0, 0] == 0.0  # the padded corner
    with pytest.raises(ValueError):
        rc.col2im(np.zeros((4, 7)), x.shape, 2, 2)
    with pytest.raises(ValueError):
        rc.im2col(x, 4, 4)


# --- upsampling ------------------------------------------------------------------------------------

UP_CASES = [((1, 1, 3, 4), (2, 2)), ((2, 3, 2, 5), (3, 2)), ((1, 2, 4, 1), (1, 3))]


def np_bilinear(x: np.ndarray, factor: tuple[int, int]) -> np.ndarray:
    def axis_weights(n_in: int, f: int) -> np.ndarray:
        m = np.zeros((n_in * f, n_in))  # output × input interpolation matrix
        for o in range(n_in * f):
            s = max((o + 0.5) / f - 0.5, 0.0)
            i0 = int(np.floor(s))
            i1 = min(i0 + 1, n_in - 1)
            m[o, i0] += 1 - (s - i0)
            m[o, i1] += s - i0
        return m

    rows, cols = axis_weights(x.shape[2], factor[0]), axis_weights(x.shape[3], factor[1])
    return np.einsum("ih,nchw,jw->ncij", rows, x, cols)


@pytest.mark.parametrize(("xs", "factor"), UP_CASES)
def test_upsampling_forward_matches_numpy(xs, factor) -> None:
    x = np.random.default_rng(40).normal(size=xs)
    fh, fw = factor
    np.testing.assert_array_equal(rc.upsample_nearest(x, factor), x.repeat(fh, axis=2).repeat(fw, axis=3))
    nails = np.zeros((xs[0], xs[1], xs[2] * fh, xs[3] * fw))
    nails[:, :, ::fh, ::fw] = x
    np.testing.assert_array_equal(rc.bed_of_nails(x, factor), nails)
    np.testing.assert_allclose(rc.upsample_bilinear(x, factor), np_bilinear(x, factor), rtol=1e-13, atol=1e-15)


@pytest.mark.parametrize(("xs", "factor"), UP_CASES)
def test_upsampling_backward_matches_central_differences(xs, factor) -> None:
    rng = np.random.default_rng(41)
    x = rng.normal(size=xs)
    dy = rng.normal(size=(xs[0], xs[1], xs[2] * factor[0], xs[3] * factor[1]))
    for forward, backward in [(rc.upsample_nearest, rc.upsample_nearest_backward),
                              (rc.upsample_bilinear, rc.upsample_bilinear_backward),
                              (rc.bed_of_nails, rc.bed_of_nails_backward)]:
        dx = backward(dy, factor)
        assert dx.shape == xs
        assert_close_to_numeric(dx, numeric_vjp(lambda v, f=forward: f(v, factor), x, dy))


def test_bilinear_align_corners_false_values() -> None:
    # Half-pixel centres: [0, 1] doubled is [0, 0.25, 0.75, 1] (PyTorch's align_corners=False).
    np.testing.assert_allclose(rc.upsample_bilinear([[[[0.0, 1.0]]]], (1, 2)), [[[[0.0, 0.25, 0.75, 1.0]]]])
    np.testing.assert_allclose(rc.upsample_bilinear([[[[0.0], [3.0]]]], (3, 1))[0, 0, :, 0],
                               [0.0, 0.0, 1.0, 2.0, 3.0, 3.0])
    const = np.full((1, 1, 3, 2), 4.5)
    np.testing.assert_allclose(rc.upsample_bilinear(const, (2, 3)), 4.5)
    # The weights of every output pixel sum to 1, so dx sums to dy's sum.
    dy = np.random.default_rng(42).normal(size=(1, 1, 6, 6))
    assert np.isclose(rc.upsample_bilinear_backward(dy, 2).sum(), dy.sum())
    with pytest.raises(ValueError):
        rc.upsample_bilinear_backward(np.zeros((1, 1, 5, 4)), 2)


def test_max_unpool_inverts_pooling_positions_and_its_backward_is_a_gather() -> None:
    rng = np.random.default_rng(43)
    x = rng.permutation(np.arange(2 * 3 * 6 * 7, dtype=float)).reshape(2, 3, 6, 7)
    y, idx = rc.maxpool_forward(x, 2), rc.maxpool_indices(x, 2)
    up = rc.max_unpool(y, idx, (6, 7))
    assert up.shape == x.shape
    kept = up != 0
    np.testing.assert_array_equal(up[kept], x[kept])  # the maxima are back where they were
    assert kept.sum() == y.size
    np.testing.assert_array_equal(rc.maxpool_forward(up, 2), y)
    dy = rng.normal(size=x.shape)
    dx = rc.max_unpool_backward(dy, idx)
    np.testing.assert_array_equal(dx, np.take_along_axis(dy.reshape(2, 3, -1), idx.reshape(2, 3, -1),
                                                         axis=2).reshape(y.shape))
    assert_close_to_numeric(dx, numeric_vjp(lambda v: rc.max_unpool(v, idx, (6, 7)), y, dy))
    # Shared indices (overlapping pooling) add up.
    shared = np.zeros((1, 1, 1, 2), dtype=np.int64)
    np.testing.assert_array_equal(rc.max_unpool([[[[1.0, 2.0]]]], shared, (2, 2)), [[[[3.0, 0], [0, 0]]]])
    with pytest.raises(ValueError):
        rc.max_unpool(y, idx.astype(float), (6, 7))
    with pytest.raises(ValueError):
        rc.max_unpool(y, idx + 42, (6, 7))


# --- receptive field ---------------------------------------------------------------------------


def _receptive_field_by_propagation(layers: list[tuple[int, int, int]], size: int = 200) -> int:
    """Count the input pixels that reach output 0 by running 1-D convolutions of ones on an impulse."""
    reach = np.zeros(size, dtype=bool)  # which input pixels influence each position, for output 0
    positions = [0]
    for k, s, d in reversed(layers):
        positions = sorted({p * s + t * d for p in positions for t in range(k)})
    reach[positions] = True
    return int(reach.nonzero()[0].max() - reach.nonzero()[0].min() + 1)


def test_receptive_field_golden_cases_and_propagation() -> None:
    assert rc.receptive_field([(3, 1, 1)] * 2) == 5  # curriculum §14
    assert rc.receptive_field([(3, 1, 1)] * 3) == 7
    assert rc.receptive_field([(3, 1, 1), (3, 1, 2), (3, 1, 4)]) == 15  # Fig. 119b
    assert rc.receptive_field([(2, 1, d) for d in (1, 2, 4, 8)]) == 16
    assert rc.receptive_field([(5, 1, 1), (2, 2, 1), (5, 1, 1), (2, 2, 1)]) == 16  # LeNet
    assert rc.receptive_field([]) == 1
    rng = np.random.default_rng(50)
    for _ in range(30):
        layers = [tuple(int(v) for v in rng.integers(1, 4, size=3)) for _ in range(rng.integers(1, 4))]
        assert rc.receptive_field(layers) == _receptive_field_by_propagation(layers)
    with pytest.raises(ValueError):
        rc.receptive_field([(3, 0, 1)])
    with pytest.raises(ValueError):
        rc.receptive_field([(3, 1)])


@pytest.mark.parametrize(("ws", "stride", "padding", "dilation"), [
    ((3, 2, 5, 5), 1, 2, 1),  # taps fused in threes plus two single taps; dx by the gather path
    ((2, 2, 4, 7), 1, (1, 3), (2, 1)),  # fusion with dilation; gather path with uneven padding
    ((2, 2, 2, 2), 1, 3, 1),  # padding wider than the kernel: dx falls back to the scatter path
    ((2, 2, 3, 6), (1, 2), (2, 1), (1, 2)),  # stride 2 along the width only: strided rows
])
def test_conv2d_fast_paths_agree_with_numpy_and_central_differences(ws, stride, padding, dilation) -> None:
    rng = np.random.default_rng(13)
    x, w, b = rng.normal(size=(2, 2, 9, 11)), rng.normal(size=ws), rng.normal(size=ws[0])
    y = rc.conv2d_forward(x, w, b, stride, padding, dilation)
    np.testing.assert_allclose(y, np_conv2d(x, w, b, stride, padding, dilation), rtol=1e-12, atol=1e-12)
    dy = rng.normal(size=y.shape)
    dx, dw, db = rc.conv2d_backward(dy, x, w, stride, padding, dilation)
    # Exactly, through im2col (tested above against numpy loops): dW = G colsᵀ, dx = col2im(Wᵀ G).
    co = ws[0]
    g = dy.transpose(1, 0, 2, 3).reshape(co, -1)
    cols = rc.im2col(x, ws[2], ws[3], stride, padding, dilation)
    np.testing.assert_allclose(dw, (g @ cols.T).reshape(ws), rtol=1e-11, atol=1e-12)
    np.testing.assert_allclose(dx, rc.col2im(w.reshape(co, -1).T @ g, x.shape, ws[2], ws[3], stride, padding,
                                             dilation), rtol=1e-11, atol=1e-12)
    # And loosely against central differences (sums of 28 taps: absolute noise near 1e-9).
    numeric = numeric_vjp(lambda v: rc.conv2d_forward(v, w, b, stride, padding, dilation), x, dy)
    np.testing.assert_allclose(dx, numeric, rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(db, dy.sum(axis=(0, 2, 3)), rtol=1e-12)


def test_the_speed_exercise_times_a_faithful_copy_of_the_reference_kernel() -> None:
    import ast
    from pathlib import Path

    path = (Path(__file__).resolve().parent.parent / "exercises" / "06-convolutional-networks" / "09-conv-speed-njit"
            / "support" / "conv_reference.py")
    source = path.read_text()
    # The copy times the kernel's own inner loops (_taps, _taps3) in a row-at-a-time loop nest over a padded
    # input (_pad, _fwd_row: the kernel's stride-1 path before its blocked, phase-split one).
    kernel_source = (Path(rc.__file__).parent / "kernels" / "conv.py").read_text()
    tree = ast.parse(source)
    helpers = {node.name: ast.get_source_segment(source, node) for node in tree.body
               if isinstance(node, ast.FunctionDef)}
    for name in ("_taps", "_taps3"):
        assert helpers[name] in kernel_source, name
    assert {"_pad", "_fwd_row", "conv2d_forward", "reference_conv"} <= set(helpers)
    # Compiled here without the disk cache (whose entries name the module that first compiled them).
    namespace: dict = {}
    exec(compile(source.replace("@njit(cache=True)", "@njit"), str(path), "exec"), namespace)
    rng = np.random.default_rng(60)
    cases = [((2, 3, 7, 6), (4, 3, 3, 2), 1), ((1, 2, 6, 9), (3, 2, 5, 4), 2), ((1, 1, 4, 4), (1, 1, 1, 1), 0)]
    for xs, ws, padding in cases:
        x, w, b = rng.normal(size=xs), rng.normal(size=ws), rng.normal(size=ws[0])
        expected = rc.conv2d_forward(x, w, b, 1, padding)
        np.testing.assert_allclose(namespace["reference_conv"](x, w, b, padding), expected, rtol=1e-13, atol=1e-13)
