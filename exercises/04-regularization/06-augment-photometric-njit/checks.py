"""Checks for `augment-photometric-njit` (runs in the grader; learner code only through ctx.call / ctx.probe)."""

import math

import numpy as np

from grader import reference_regularize as ref
from grader.checklib import CheckContext, check
from grader.compare import compare
from grader.numbacheck import expect_compiled, expect_njit
from grader.sandbox import LearnerError

KERNELS = ("gaussian_kernel", "gaussian_blur", "add_noise", "brightness_contrast")
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
        ctx.fail(f"{name} indexed past the end of an array (IndexError: {error.message}) for an input of shape "
                 f"{np.shape(args[0])}: layout (N, H, W, C); clamp every index you read at the borders",
                 diagnosis="exception", details=error.traceback)


def _images(ctx: CheckContext, shape) -> np.ndarray:
    return ctx.rng.uniform(0.0, 1.0, size=shape)


def _expect(ctx: CheckContext, label: str, got, expected, known: list[tuple[str, object, str]], **kw) -> None:
    result = compare(label, got, expected, **kw)
    if result.ok:
        return
    for why, value, diagnosis in known:
        if value is not None and np.shape(value) == np.shape(got) and compare(label, got, value, **kw).ok:
            ctx.fail(f"{label} {why}", diagnosis=diagnosis, details=result.details)
    ctx.fail(result.explanation, diagnosis=result.diagnosis, details=result.details)


def _blur_np(x: np.ndarray, g: np.ndarray, mode: str, axes: tuple[int, ...] = (2, 1)) -> np.ndarray:
    """A NumPy separable blur with any np.pad border mode: names the border rule a learner used."""
    r = len(g) // 2
    out = x
    for axis in axes:
        widths = [(0, 0)] * 4
        widths[axis] = (r, r)
        size = x.shape[axis]
        if mode == "renormalize":  # skip the taps outside, divide by the weights of the taps inside
            padded, ones = np.pad(out, widths), np.pad(np.ones_like(out), widths)
            num = sum(g[t] * np.take(padded, np.arange(t, t + size), axis=axis) for t in range(len(g)))
            out = num / sum(g[t] * np.take(ones, np.arange(t, t + size), axis=axis) for t in range(len(g)))
            continue
        padded = np.pad(out, widths, mode=mode)
        out = sum(g[t] * np.take(padded, np.arange(t, t + size), axis=axis) for t in range(len(g)))
    return out


def _weights(sigma: float, r: int, normalize: bool = True) -> np.ndarray:
    """Gaussian weights at −r..r, optionally normalized: for naming a wrong radius or a missing normalization."""
    w = np.exp(-np.arange(-r, r + 1) ** 2 / (2 * sigma**2))
    return w / w.sum() if normalize else w


@check("the four kernels are compiled with @njit (read from your source)", points=1)
def compiled(ctx: CheckContext) -> None:
    for name in KERNELS:
        expect_njit(ctx, name)
    x = _images(ctx, (1, 3, 4, 2))
    args = {"gaussian_kernel": (0.8,), "gaussian_blur": (x, 0.8), "add_noise": (x, np.zeros_like(x), 0.1),
            "brightness_contrast": (x, np.zeros(1), np.ones(1))}
    expect_compiled(ctx, [(name, args[name]) for name in KERNELS], real_numba=True)


@check("gaussian_kernel: 2r + 1 normalized weights with r = ceil(3σ)", points=1)
def kernel(ctx: CheckContext) -> None:
    # 3σ just above an integer (0.34 → 1.02) catches floor/int; an integer 3σ (1.0 → 3) catches an extra tap.
    for sigma in ctx.cases([0.7, 1.0, 0.34, 1.9], [0.45, 2.5, 1.3]):
        label = f"gaussian_kernel({sigma})"
        expected = ref.gaussian_kernel(sigma)
        r = (len(expected) - 1) // 2
        got = _call(ctx, "gaussian_kernel", sigma)
        ctx.expect(isinstance(got, np.ndarray) and got.ndim == 1, f"{label} should return a 1-D NumPy array",
                   diagnosis="shape")
        if got.shape != expected.shape:
            ctx.fail(f"{label} has {got.size} weights; with r = ceil(3σ) = {r} it has 2r + 1 = {2 * r + 1}",
                     diagnosis="radius")
        raw = np.exp(-np.arange(-r, r + 1) ** 2 / (2 * sigma**2))
        _expect(ctx, label, got, expected, [("is not normalized: divide the weights by their sum", raw, "normalize"),
                                            ("divides by σ√(2π) instead of the weights' sum (the truncated kernel "
                                             "must sum to exactly 1)", raw / (sigma * math.sqrt(2 * math.pi)),
                                             "normalize")], rtol=1e-12)


@check("gaussian_blur: separable, edge-replicating borders, against the reference", points=3)
def blur(ctx: CheckContext) -> None:
    for shape in ctx.cases(SHAPES_LOCAL, SHAPES_HIDDEN):
        x = _images(ctx, shape)
        sigma = float(ctx.rng.choice([0.6, 0.9, 1.4]))
        g = ref.gaussian_kernel(sigma)
        label = f"gaussian_blur(images {shape}, sigma={sigma})"
        got = ctx.expect_array(label, _call(ctx, "gaussian_blur", x, sigma), shape)
        _expect(ctx, label, got, ref.gaussian_blur(x, sigma), [
            ("pads with zeros: the border rule is edge replication (clamp the index), so borders do not darken",
             _blur_np(x, g, "constant"), "border"),
            ("reflects at the border: the rule is edge replication (clamp the index to 0 or W − 1)",
             _blur_np(x, g, "reflect") if min(shape[1:3]) > len(g) // 2 else None, "border"),
            ("mirrors the edge pixel (symmetric): the rule is edge replication", _blur_np(x, g, "symmetric")
             if min(shape[1:3]) >= len(g) // 2 else None, "border"),
            ("skips the taps outside the image and renormalizes: the rule is edge replication (clamp the index, "
             "so the border pixel is counted once per outside tap)", _blur_np(x, g, "renormalize"), "border"),
            ("blurs along the columns (axis 2) only: the second pass runs along the rows (axis 1)",
             _blur_np(x, g, "edge", (2,)), "separable"),
            ("blurs along the rows (axis 1) only: the first pass runs along the columns (axis 2)",
             _blur_np(x, g, "edge", (1,)), "separable"),
            ("uses unnormalized weights: divide the kernel by its sum so a constant image stays constant",
             _blur_np(x, _weights(sigma, math.ceil(3 * sigma), normalize=False), "edge"), "normalize"),
            ("uses a kernel of radius floor(3σ) or int(3σ): the radius is r = ceil(3σ)",
             _blur_np(x, _weights(sigma, math.floor(3 * sigma)), "edge")
             if math.floor(3 * sigma) != math.ceil(3 * sigma) else None, "radius"),
        ], **TOL)
    const = np.full((2, 5, 3, 2), 0.375)
    got = ctx.expect_array("gaussian_blur(constant images)", _call(ctx, "gaussian_blur", const, 1.2), const.shape)
    ctx.expect_close("gaussian_blur of a constant image (edge replication keeps it constant, borders too)", got, const,
                     rtol=1e-12)


@check("add_gaussian_noise: one rng.standard_normal draw, clipped to [0, 1]; mean 0 and std σ", points=3)
def noise(ctx: CheckContext) -> None:
    # Statistics on a mid-grey batch, where σ = 0.05 never reaches the clip.
    grey = np.full((4, 50, 50, 3), 0.5)
    sigma = 0.05
    seed = int(ctx.rng.integers(2**31))
    got = ctx.expect_array("add_gaussian_noise(grey images, 0.05, rng)",
                           ctx.probe("noise_from_seed", grey, sigma, seed, label="add_gaussian_noise"), grey.shape)
    diff = got - grey
    n = diff.size
    ctx.expect(abs(float(diff.mean())) < 6 * sigma / math.sqrt(n),
               f"the noise added by add_gaussian_noise has mean {diff.mean():.2e}; additive Gaussian noise has mean 0",
               diagnosis="noise")
    ctx.expect(abs(float(diff.std()) / sigma - 1) < 0.05,
               f"the noise added by add_gaussian_noise(…, sigma={sigma}) has standard deviation {diff.std():.4f}: "
               f"sigma is the standard deviation (σ·z with z standard normal)", diagnosis="noise")
    again = ctx.probe("noise_from_seed", grey, sigma, seed, label="add_gaussian_noise")
    ctx.expect(np.array_equal(np.asarray(again), got), "add_gaussian_noise is not reproducible: the same seed gave "
                                                       "other noise; draw only from the rng you are given",
               diagnosis="stream")
    for shape in ctx.cases(SHAPES_LOCAL, SHAPES_HIDDEN):
        x = _images(ctx, shape)
        sigma = float(ctx.rng.uniform(0.1, 0.4))  # large: many entries clip at 0 and 1
        seed = int(ctx.rng.integers(2**31))
        label = f"add_gaussian_noise(images {shape}, sigma={sigma:.3f}, rng)"
        got = ctx.expect_array(label, ctx.probe("noise_from_seed", x, sigma, seed, label="add_gaussian_noise"), shape)
        z = np.random.default_rng(seed).standard_normal(shape)
        _expect(ctx, label, got, ref.add_gaussian_noise(x, sigma, seed), [
            ("is not clipped: results stay in [0, 1]", x + sigma * z, "clip"),
        ], rtol=1e-12, floor=1e-15)
        z = ctx.rng.standard_normal(shape)
        got = ctx.expect_array(f"add_noise(images {shape}, z, {sigma:.3f})", _call(ctx, "add_noise", x, z, sigma), shape)
        ctx.expect_close(f"add_noise(images {shape}, z, sigma={sigma:.3f})", got, np.clip(x + sigma * z, 0, 1),
                         rtol=1e-12, floor=1e-15)


@check("brightness_contrast: per-image mean over H, W, C; contrast about it, plus brightness, clipped", points=2)
def colour(ctx: CheckContext) -> None:
    for shape in ctx.cases(SHAPES_LOCAL, SHAPES_HIDDEN):
        x = _images(ctx, shape)
        n = shape[0]
        b, c = ctx.rng.uniform(-0.3, 0.3, n), ctx.rng.uniform(0.4, 1.8, n)
        label = f"brightness_contrast(images {shape}, brightness, contrast)"
        got = ctx.expect_array(label, _call(ctx, "brightness_contrast", x, b, c), shape)
        bb, cc = b[:, None, None, None], c[:, None, None, None]
        m = x.mean(axis=(1, 2, 3), keepdims=True)
        mc = x.mean(axis=(1, 2), keepdims=True)
        _expect(ctx, label, got, ref.brightness_contrast(x, b, c), [
            ("uses a mean per channel: m is the mean of the whole image over H, W and C",
             np.clip(cc * (x - mc) + mc + bb, 0, 1) if shape[3] > 1 else None, "colour"),
            ("is not clipped to [0, 1]", cc * (x - m) + m + bb, "clip"),
            ("scales about 0, not about the image's mean m", np.clip(cc * x + bb, 0, 1), "colour"),
            ("scales about 0.5, not about the image's mean m", np.clip(cc * (x - 0.5) + 0.5 + bb, 0, 1), "colour"),
            ("adds the brightness before the contrast: out = c (x − m) + m + b, the brightness is not scaled",
             np.clip(cc * (x - m + bb) + m, 0, 1), "colour"),
            ("scales the brightness shift with the mean: out = c (x − m) + m + b", np.clip(cc * (x - m) + m * (1 + bb),
                                                                                           0, 1), "colour"),
            ("uses the mean of the whole batch: m is per image", np.clip(cc * (x - x.mean()) + x.mean() + bb, 0, 1)
             if n > 1 else None, "colour"),
        ], rtol=1e-12, floor=1e-15)
