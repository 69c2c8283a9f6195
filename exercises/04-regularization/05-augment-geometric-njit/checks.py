"""Checks for `augment-geometric-njit` (runs in the grader; learner code only through ctx.call / ctx.probe)."""

import numpy as np

from grader import reference_regularize as ref
from grader.checklib import CheckContext, check
from grader.compare import compare
from grader.numbacheck import expect_compiled, expect_njit
from grader.sandbox import LearnerError

FUNCTIONS = ("hflip", "crop_with_padding", "affine_warp")
# (N, H, W, C): non-square, odd, single rows/columns/channels, a batch of 1.
SHAPES_LOCAL = [(2, 5, 7, 3), (1, 4, 4, 1), (3, 1, 6, 2), (1, 6, 1, 1)]
SHAPES_HIDDEN = [(4, 9, 11, 3), (2, 8, 3, 2), (1, 13, 13, 1)]
TOL = {"rtol": 1e-9, "floor": 1e-12}


def _call(ctx: CheckContext, name: str, *args) -> object:
    """ctx.call, with an out-of-bounds index (NUMBA_BOUNDSCHECK=1) explained."""
    try:
        return ctx.call(name, *args)
    except LearnerError as error:
        if error.type != "IndexError":
            raise
        ctx.fail(f"{name} indexed past the end of an array (IndexError: {error.message}) for images of shape "
                 f"{np.shape(args[0])}: layout (N, H, W, C), i < H, j < W; check the last index of every loop and "
                 f"every neighbour you read", diagnosis="exception", details=error.traceback)


def _images(ctx: CheckContext, shape) -> np.ndarray:
    return ctx.rng.uniform(0.0, 1.0, size=shape)


def _expect(ctx: CheckContext, label: str, got, expected, known: list[tuple[str, object, str]], **kw) -> None:
    result = compare(label, got, expected, **kw)
    if result.ok:
        return
    for why, value, diagnosis in known:
        if value is not None and compare(label, got, value, **kw).ok:
            ctx.fail(f"{label} {why}", diagnosis=diagnosis, details=result.details)
    ctx.fail(result.explanation, diagnosis=result.diagnosis, details=result.details)


@check("the three functions are compiled with @njit (read from your source)", points=1)
def compiled(ctx: CheckContext) -> None:
    for name in FUNCTIONS:
        expect_njit(ctx, name)
    x = _images(ctx, (1, 3, 4, 2))
    args = {"hflip": (x,), "crop_with_padding": (x, 1, 3, 4, np.array([[0, 1]])),
            "affine_warp": (x, np.array([[[1.0, 0, 0], [0, 1.0, 0]]]), 0.0)}
    expect_compiled(ctx, [(name, args[name]) for name in FUNCTIONS], real_numba=True)


@check("hflip: out[n, i, j, c] = x[n, i, W − 1 − j, c]; flipping twice is the identity", points=2)
def flip(ctx: CheckContext) -> None:
    for shape in ctx.cases(SHAPES_LOCAL, SHAPES_HIDDEN):
        x = _images(ctx, shape)
        label = f"hflip(images of shape {shape})"
        got = ctx.expect_array(label, _call(ctx, "hflip", x), shape)
        if not np.array_equal(got, ref.hflip(x)):
            if shape[1] > 1 and np.array_equal(got, x[:, ::-1]):
                ctx.fail(f"{label} mirrors the rows (up-down): a horizontal flip mirrors the columns j (axis 2)",
                         diagnosis="flip")
            if shape[3] > 1 and np.array_equal(got, x[:, :, :, ::-1]):
                ctx.fail(f"{label} mirrors the channels (axis 3), not the columns (axis 2)", diagnosis="flip")
            ctx.expect_close(label, got, ref.hflip(x))
        twice = ctx.expect_array(f"hflip(hflip(x)) for shape {shape}", _call(ctx, "hflip", got), shape)
        ctx.expect(np.array_equal(twice, x), f"hflip(hflip(x)) is not x for shape {shape}", diagnosis="flip")


@check("crop_with_padding: zero padding, crops at the grader's offsets (corners and padding included)", points=3)
def crop(ctx: CheckContext) -> None:
    cases = ctx.cases([((2, 5, 7, 3), 2, 5, 7), ((1, 4, 4, 1), 1, 3, 5), ((3, 3, 6, 2), 3, 4, 4),
                       ((2, 6, 5, 1), 0, 4, 3)],
                      [((4, 9, 11, 3), 4, 9, 11), ((2, 7, 3, 2), 2, 10, 6), ((1, 1, 1, 1), 2, 3, 2)])
    for shape, pad, out_h, out_w in cases:
        x = _images(ctx, shape) + 0.1  # no zeros inside the image: padding is recognisable
        n, h, w, _ = shape
        max_top, max_left = h + 2 * pad - out_h, w + 2 * pad - out_w
        # Every extreme corner (border pixels, all-padding edges) in some batch slot, the other slots random.
        corners = [(0, 0), (max_top, max_left), (0, max_left), (max_top, 0)]
        for r in range(4 if n < 4 else 1):
            offsets = np.array([corners[(b + r) % 4] if b < 4 else (ctx.rng.integers(0, max_top + 1),
                                                                    ctx.rng.integers(0, max_left + 1))
                                for b in range(n)], dtype=np.int64)
            label = f"crop_with_padding(images {shape}, pad={pad}, out=({out_h}, {out_w}), offsets={offsets.tolist()})"
            got = ctx.expect_array(label, _call(ctx, "crop_with_padding", x, pad, out_h, out_w, offsets),
                                   (n, out_h, out_w, shape[3]))
            known = []
            swapped = offsets[:, ::-1]
            if np.all(swapped[:, 0] <= max_top) and np.all(swapped[:, 1] <= max_left):
                known.append(("reads offsets[n] as (left, top): it is (top, left), the row first",
                              ref.crop_with_padding(x, pad, out_h, out_w, swapped), "crop"))
            _expect(ctx, label, got, ref.crop_with_padding(x, pad, out_h, out_w, offsets), known, rtol=0, floor=1e-300)


def _matrices(ctx: CheckContext, n: int, h: int, w: int) -> np.ndarray:
    """Random rotations, scalings and shears about the image centre, plus shifts: some samples fall outside."""
    mats = np.empty((n, 2, 3))
    centre = np.array([(w - 1) / 2, (h - 1) / 2])
    for b in range(n):
        angle = ctx.rng.uniform(-0.6, 0.6)
        scale = ctx.rng.uniform(0.7, 1.3, size=2)
        shear = ctx.rng.uniform(-0.2, 0.2)
        lin = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]]) @ np.array(
            [[scale[0], shear], [0.0, scale[1]]])
        shift = ctx.rng.uniform(-1.5, 1.5, size=2)
        mats[b, :, :2] = lin
        mats[b, :, 2] = centre - lin @ centre + shift
    return mats


def _inverse(mats: np.ndarray) -> np.ndarray:
    out = np.empty_like(mats)
    for b, m in enumerate(mats):
        lin_inv = np.linalg.inv(m[:, :2])
        out[b, :, :2] = lin_inv
        out[b, :, 2] = -lin_inv @ m[:, 2]
    return out


def _corner_convention(mats: np.ndarray) -> np.ndarray:
    """The same warp with pixel centres at half-integers: source = M (j + ½, i + ½, 1) − ½."""
    out = mats.copy()
    out[:, :, 2] += mats[:, :, :2] @ np.array([0.5, 0.5]) - 0.5
    return out


def _warp_variant(x: np.ndarray, mats: np.ndarray, fill: float, *, swap_weights: str = "",
                  clamp: bool = False, whole_pixel: bool = False, base=np.floor) -> np.ndarray:
    """A NumPy bilinear warp with one known mistake switched on (weights swapped, border clamped instead of
    `fill`, the whole pixel set to `fill` when any neighbour is outside, int()/round() instead of floor)."""
    n, h, w, _ = x.shape
    ii, jj = np.meshgrid(np.arange(h), np.arange(w), indexing="ij")
    out = np.empty_like(x)
    for b in range(n):
        m = mats[b]
        xs, ys = m[0, 0] * jj + m[0, 1] * ii + m[0, 2], m[1, 0] * jj + m[1, 1] * ii + m[1, 2]
        x0, y0 = base(xs).astype(np.int64), base(ys).astype(np.int64)
        fx, fy = (xs - x0)[..., None], (ys - y0)[..., None]
        if "x" in swap_weights:
            fx = 1 - fx
        if "y" in swap_weights:
            fy = 1 - fy

        def read(r: np.ndarray, c: np.ndarray, img: np.ndarray = x[b]) -> np.ndarray:
            inside = ((r >= 0) & (r < h) & (c >= 0) & (c < w))[..., None]
            v = img[np.clip(r, 0, h - 1), np.clip(c, 0, w - 1)]
            return v if clamp else np.where(inside, v, fill)

        top = (1 - fx) * read(y0, x0) + fx * read(y0, x0 + 1)
        low = (1 - fx) * read(y0 + 1, x0) + fx * read(y0 + 1, x0 + 1)
        out[b] = (1 - fy) * top + fy * low
        if whole_pixel:
            outside = ((x0 < 0) | (y0 < 0) | (x0 + 1 >= w) | (y0 + 1 >= h))[..., None]
            out[b] = np.where(outside, fill, out[b])
    return out


def _transposed(mats: np.ndarray) -> np.ndarray:
    out = mats.copy()
    out[:, :, :2] = mats[:, :, :2].transpose(0, 2, 1)
    return out


def _warp_mistakes(x: np.ndarray, mats: np.ndarray, fill: float) -> list[tuple[str, object, str]]:
    swapped = "swaps the bilinear weights{}: the neighbour at x0 gets (1 − fx) with fx = xs − x0, the one at x0 + 1 " \
              "gets fx (and likewise fy for the rows y0, y0 + 1)"
    return [
        *[(swapped.format(f" along {axes}" if len(axes) == 1 else ""),
           _warp_variant(x, mats, fill, swap_weights=axes), "bilinear") for axes in ("xy", "x", "y")],
        ("clamps to the border: neighbours outside the image read `fill`, they are not replaced by the edge pixel",
         _warp_variant(x, mats, fill, clamp=True), "fill"),
        ("sets the whole pixel to `fill` when any neighbour is outside: only the outside neighbours read `fill`, "
         "blended with the inside ones by the bilinear weights", _warp_variant(x, mats, fill, whole_pixel=True),
         "fill"),
        ("rounds the source point to the nearest pixel for x0: take floor(xs) so that 0 <= fx < 1",
         _warp_variant(x, mats, fill, base=np.round), "floor"),
        ("truncates with int(): int(−0.3) = 0, but the left neighbour of −0.3 is floor(−0.3) = −1 (math.floor)",
         _warp_variant(x, mats, fill, base=np.trunc), "floor"),
        ("reads the 2×2 part of the matrix transposed: xs = M[0, 0]·j + M[0, 1]·i + M[0, 2] and "
         "ys = M[1, 0]·j + M[1, 1]·i + M[1, 2] (row 0 gives x, row 1 gives y)",
         ref.affine_warp(x, _transposed(mats), fill), "warp"),
    ]


@check("affine_warp: identity, integer shifts with fill, a 90° rotation = np.rot90", points=1)
def warp_exact(ctx: CheckContext) -> None:
    for shape in ctx.cases([(2, 5, 7, 3), (1, 1, 4, 2)], [(3, 8, 5, 1)]):
        x = _images(ctx, shape)
        n = shape[0]
        eye = np.tile(np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]), (n, 1, 1))
        got = ctx.expect_array(f"affine_warp(images {shape}, identity, fill=0.5)",
                               _call(ctx, "affine_warp", x, eye, 0.5), shape)
        _expect(ctx, f"affine_warp(images {shape}, identity matrices, fill=0.5) (must return the images)", got, x,
                _warp_mistakes(x, eye, 0.5), rtol=1e-12, floor=1e-15)
        shift = eye.copy()
        shift[:, 0, 2], shift[:, 1, 2] = 2.0, -1.0  # output (i, j) reads input (i − 1, j + 2)
        label = f"affine_warp(images {shape}, shift (x + 2, y − 1), fill=0.25)"
        got = ctx.expect_array(label, _call(ctx, "affine_warp", x, shift, 0.25), shape)
        _expect(ctx, label, got, ref.affine_warp(x, shift, 0.25), [
            ("writes 0 outside the image: samples outside read `fill`", ref.affine_warp(x, shift, 0.0), "fill"),
            ("maps forward: the matrix gives the SOURCE point of each output pixel (inverse mapping), so x + 2 "
             "reads the pixel two columns to the right", ref.affine_warp(x, _inverse(shift), 0.25), "warp"),
            *_warp_mistakes(x, shift, 0.25)], rtol=1e-12, floor=1e-15)
    sq = _images(ctx, (1, 5, 5, 2))
    rot = np.array([[[0.0, -1.0, 4.0], [1.0, 0.0, 0.0]]])  # a quarter turn about the centre pixel (2, 2)
    got = ctx.expect_array("affine_warp(5×5 image, quarter turn about the centre)",
                           _call(ctx, "affine_warp", sq, rot, 0.0), sq.shape)
    _expect(ctx, "affine_warp(5×5 image, M = [[0, −1, 4], [1, 0, 0]]) vs np.rot90 (pixel centres at integers: "
                 "the centre pixel (2, 2) maps to itself)", got, np.rot90(sq, k=1, axes=(1, 2)), [
        ("uses pixel centres at half-integers (x + ½): in this course pixel (i, j) is centred at (j, i)",
         ref.affine_warp(sq, _corner_convention(rot), 0.0), "convention"),
        *_warp_mistakes(sq, rot, 0.0)], rtol=1e-12, floor=1e-15)


@check("affine_warp: bilinear sampling under random affine maps, borders blend into the fill", points=3)
def warp_random(ctx: CheckContext) -> None:
    for shape in ctx.cases(SHAPES_LOCAL, SHAPES_HIDDEN):
        x = _images(ctx, shape)
        mats = _matrices(ctx, shape[0], shape[1], shape[2])
        fill = float(ctx.rng.uniform(0.2, 0.8))
        label = f"affine_warp(images {shape}, random affine, fill={fill:.3f})"
        got = ctx.expect_array(label, _call(ctx, "affine_warp", x, mats, fill), shape)
        _expect(ctx, label, got, ref.affine_warp(x, mats, fill), [
            ("writes 0 where samples fall outside: neighbours outside the image read `fill`",
             ref.affine_warp(x, mats, 0.0), "fill"),
            ("uses pixel centres at half-integers (x + ½): in this course pixel (i, j) is centred at (j, i)",
             ref.affine_warp(x, _corner_convention(mats), fill), "convention"),
            ("maps output to input with the INVERSE of the matrix: the matrix itself gives the source point",
             ref.affine_warp(x, _inverse(mats), fill), "warp"),
            ("swaps x and y: x is the column j (axis 2), y the row i (axis 1)",
             ref.affine_warp(x.transpose(0, 2, 1, 3), mats, fill).transpose(0, 2, 1, 3)
             if shape[1] == shape[2] else None, "convention"),
            *_warp_mistakes(x, mats, fill)], **TOL)
