"""Checks for `standardize-train-only` (runs in the grader; learner code only through ctx.call / ctx.probe)."""

import importlib.util
from pathlib import Path

import numpy as np

from grader import reference_blocks as rb
from grader.checklib import CheckContext, check

_spec = importlib.util.spec_from_file_location("ch4_blockchecks", Path(__file__).parent.parent / "_shared/blockchecks.py")
bc = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bc)

SHAPES_LOCAL = [(9, 4), (5, 7), (1, 3)]
SHAPES_HIDDEN = [(20, 3), (2, 5), (13, 1)]


def _data(ctx: CheckContext, n: int, d: int, shift: float = 0.0) -> np.ndarray:
    loc = ctx.rng.uniform(-5.0, 5.0, size=d)
    scale = ctx.rng.uniform(0.5, 4.0, size=d)
    scale[ctx.rng.integers(d)] = ctx.rng.uniform(0.05, 0.2)  # a std below 1: clamping it (max(std, 1)) shows
    return loc + shift + scale * ctx.rng.standard_normal((n, d))


def _fit(ctx: CheckContext, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    got = ctx.expect_tuple("fit_standardizer(X_train)", ctx.call("fit_standardizer", X), 2)
    for name, value in zip(("mean", "std"), got, strict=True):
        shape = np.shape(value) if isinstance(value, np.ndarray | float | int) else None
        ctx.expect(shape == (X.shape[1],), f"{name} has shape {shape} for X_train of shape {X.shape}; expected "
                   f"({X.shape[1]},), one value per feature (column): reduce over axis 0, the examples",
                   diagnosis="shape")
    return got[0], got[1]


@check("fit_standardizer returns the per-feature mean and 1/N standard deviation", points=2)
def fit(ctx: CheckContext) -> None:
    for n, d in ctx.cases(SHAPES_LOCAL, SHAPES_HIDDEN):
        X = _data(ctx, n, d)
        mean, std = _fit(ctx, X)
        ref_mean, ref_std = rb.standardizer_fit(X)
        ctx.expect_close(f"mean for X_train of shape {(n, d)}", mean, ref_mean)
        if n == 1:
            got = np.asarray(std, dtype=np.float64)
            shown = ", ".join(f"{v:.3g}" for v in got.ravel())
            ctx.expect(got.shape == ref_std.shape and np.all(got == 1.0),
                       f"std for a single training example (X_train of shape {(n, d)}) is [{shown}]: "
                       f"with N = 1 every feature is constant, so its std is 1 by the course's rule",
                       diagnosis="constant")
        if n > 1 and isinstance(std, np.ndarray) and std.shape == ref_std.shape:
            ratio = std / ref_std
            ctx.expect(not np.allclose(ratio, np.sqrt(n / (n - 1)), rtol=1e-9),
                       f"std for X_train of shape {(n, d)} uses the 1/(N−1) variance (ddof=1); the notes' σ² "
                       f"(L1683) divides by N", diagnosis="ddof")
        ctx.expect_close(f"std for X_train of shape {(n, d)}", std, ref_std)


@check("constant features get std 1 and transform to 0", points=2)
def constant_features(ctx: CheckContext) -> None:
    X = _data(ctx, 6, 5)
    X[:, 1] = 3.25
    X[:, 4] = 0.0
    mean, std = _fit(ctx, X)
    ref_mean, ref_std = rb.standardizer_fit(X)
    ctx.expect_close("mean with constant features 1 and 4", mean, ref_mean)
    got = ctx.expect_array("std with constant features 1 and 4", std, ref_std.shape)
    ctx.expect(np.all(np.isfinite(got)) and got[1] == 1.0 and got[4] == 1.0,
               f"std of a constant feature should be exactly 1 (the course's rule), got {float(got[1])!r} and {float(got[4])!r}",
               diagnosis="constant")
    ctx.expect_close("std with constant features 1 and 4", got, ref_std)
    one = _data(ctx, 1, 4)
    mean, std = _fit(ctx, one)
    ctx.expect_close("std for a single training example (every feature constant)", std, np.ones(4))
    ref_mean, ref_std = rb.standardizer_fit(X)
    X_test = _data(ctx, 3, 5)
    got = bc.strict(ctx, "standardize_split", X, X_test, inputs="training data with constant features (std 0)")
    got = ctx.expect_tuple("standardize_split", got, 2)
    ctx.expect_close("Z_train of standardize_split with constant features (their columns become 0)", got[0],
                     rb.standardizer_transform(X, ref_mean, ref_std))
    ctx.expect_close("Z_test of standardize_split with constant training features", got[1],
                     rb.standardizer_transform(X_test, ref_mean, ref_std))


@check("transform applies the given mean and std to any X", points=2)
def transform(ctx: CheckContext) -> None:
    for n, d in ctx.cases(SHAPES_LOCAL, SHAPES_HIDDEN):
        X = _data(ctx, n, d)
        mean = ctx.rng.normal(0.0, 3.0, size=d)
        std = ctx.rng.uniform(0.3, 3.0, size=d)
        ctx.expect_close(f"transform(X, mean, std) for X of shape {(n, d)}", ctx.call("transform", X, mean, std),
                         rb.standardizer_transform(X, mean, std))


@check("standardize_split transforms train and test with the TRAINING statistics", points=2)
def split(ctx: CheckContext) -> None:
    for (n, d), m in zip(ctx.cases([(12, 3), (7, 5)], [(30, 2)]), ctx.cases([5, 9], [4]), strict=True):
        X_train = _data(ctx, n, d)
        X_test = _data(ctx, m, d, shift=2.0)  # another distribution: its own statistics differ
        got = ctx.expect_tuple("standardize_split", ctx.call("standardize_split", X_train, X_test), 2)
        mean, std = rb.standardizer_fit(X_train)
        expected_test = rb.standardizer_transform(X_test, mean, std)
        Z_test = ctx.expect_array("Z_test", got[1], X_test.shape)
        for where, stats_from in (("the test set", X_test), ("train and test together", np.vstack([X_train, X_test]))):
            leak = rb.standardizer_transform(X_test, *rb.standardizer_fit(stats_from))
            ctx.expect(not np.allclose(Z_test, leak, rtol=1e-9, atol=1e-12),
                       f"Z_test was standardized with statistics of {where}: use the training mean and std only",
                       diagnosis="leak")
        ctx.expect_close(f"Z_train for X_train of shape {(n, d)}", got[0], rb.standardizer_transform(X_train, mean, std))
        ctx.expect_close(f"Z_test for X_test of shape {(m, d)}", Z_test, expected_test)
