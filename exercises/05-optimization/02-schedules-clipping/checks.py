"""Checks for `schedules-clipping` (runs in the grader; learner code only through ctx.call)."""

import numpy as np

from grader import reference_optim as ro
from grader.checklib import CheckContext, check
from grader.compare import compare

T = 40  # iterations t = 1..T


def _schedule(ctx: CheckContext, name: str, args: tuple, ref_fn) -> np.ndarray:
    got = np.array([ctx.expect_number(f"{name}{args + (t,)}", ctx.call(name, *args, t)) for t in range(1, T + 1)])
    expected = np.array([ref_fn(*args, t) for t in range(1, T + 1)])
    result = compare(f"{name}{args + ('t',)} for t = 1..{T}", got, expected, rtol=1e-12)
    if not result.ok:
        shifted = np.array([ref_fn(*args, t) for t in range(0 if name != "lr_inverse" else 2, T + 1)])
        for off in (shifted[:T], shifted[-T:]):
            if np.allclose(got, off, rtol=1e-12):
                ctx.fail(f"{name}: your values are the right ones for t shifted by one. The first iteration is "
                         f"t = 1: {name}{args + (1,)} should be {expected[0]:.6g}, yours is {got[0]:.6g}",
                         diagnosis="off_by_one", details=result.details)
        ctx.fail(result.explanation, diagnosis=result.diagnosis, details=result.details)
    return got


@check("learning-rate schedules of L2856-2858, t = 1..40", points=3)
def schedules(ctx: CheckContext) -> None:
    eta = float(ctx.rng.uniform(0.05, 1.0))
    alpha, every = (0.9, 7) if not ctx.official else (float(ctx.rng.uniform(0.5, 0.95)), int(ctx.rng.integers(3, 9)))
    curves = {"η/t": _schedule(ctx, "lr_inverse", (eta,), ro.lr_inverse),
              f"η·{alpha:.2g}^t": _schedule(ctx, "lr_exponential", (eta, alpha), ro.lr_exponential),
              f"step: ×0.5 every {every}": _schedule(ctx, "lr_step", (eta, 0.5, every), ro.lr_step)}
    _schedule(ctx, "lr_step", (eta, alpha, every), ro.lr_step)
    _schedule(ctx, "lr_step", (eta, alpha, 1), ro.lr_step)
    ctx.plot(f"Learning-rate schedules, η = {eta:.3g}", curves, x_label="iteration t − 1", y_label="η_t")


def _grads(ctx: CheckContext, shapes: list[tuple[int, ...]], scale: float = 3.0) -> list[np.ndarray]:
    return [ctx.rng.normal(0.0, scale, s) for s in shapes]


def _list(ctx: CheckContext, label: str, got, like: list[np.ndarray]) -> list[np.ndarray]:
    ctx.expect(isinstance(got, list) and len(got) == len(like),
               f"{label} should return a list of {len(like)} arrays, one per gradient", diagnosis="dtype")
    return [ctx.expect_array(f"{label}[{k}]", g, e.shape) for k, (g, e) in enumerate(zip(got, like, strict=True))]


SHAPES_LOCAL = [[(3, 4), (5,)], [(1,)]]
SHAPES_HIDDEN = [[(2, 3, 2), (7,), (1, 1)], [(6,)]]


@check("clip_by_value clamps every entry into [lo, hi] (L2564)", points=1)
def by_value(ctx: CheckContext) -> None:
    for shapes in ctx.cases(SHAPES_LOCAL, SHAPES_HIDDEN):
        grads = _grads(ctx, shapes)
        lo, hi = -float(ctx.rng.uniform(0.5, 2)), float(ctx.rng.uniform(0.5, 2))  # asymmetric: lo ≠ −hi
        got = _list(ctx, f"clip_by_value(grads, {lo:.3g}, {hi:.3g})", ctx.call("clip_by_value", grads, lo, hi), grads)
        for k, (g, x) in enumerate(zip(got, grads, strict=True)):
            ctx.expect_close(f"clip_by_value(...)[{k}]", g, ro.clip_by_value(x, lo, hi), rtol=1e-15)


@check("clip_by_norm is eq. (32): unchanged below τ, rescaled to norm τ above it", points=2)
def by_norm(ctx: CheckContext) -> None:
    for shape in ctx.cases([(3, 4), (7,), (1,)], [(2, 5, 3), (1, 1)]):
        g = ctx.rng.normal(0.0, 2.0, shape)
        norm = float(np.sqrt(np.sum(g * g)))
        for tau in (norm * 0.37, norm * 1.6):  # well away from the boundary ‖g‖ = τ
            got = ctx.expect_array(f"clip_by_norm(g, {tau:.4g}) for ‖g‖ = {norm:.4g}", ctx.call("clip_by_norm", g, tau),
                                   shape)
            ctx.expect_close(f"clip_by_norm(g, τ = {tau:.4g}) for g of shape {shape} and ‖g‖₂ = {norm:.4g}", got,
                             ro.clip_by_norm(g, tau), rtol=1e-12)


@check("clip_by_global_norm: one norm over all tensors, one common scale, and that norm returned", points=3)
def by_global_norm(ctx: CheckContext) -> None:
    for shapes in ctx.cases(SHAPES_LOCAL, SHAPES_HIDDEN):
        grads = _grads(ctx, shapes)
        total = ro.global_norm(grads)
        for tau in (total * 0.41, total * 1.3):
            label = f"clip_by_global_norm(grads, τ = {tau:.4g}) for {len(grads)} gradient(s), total norm {total:.4g}"
            out = ctx.expect_tuple(label, ctx.call("clip_by_global_norm", grads, tau), 2)
            got = _list(ctx, label, out[0], grads)
            norm = ctx.expect_number(f"the norm returned by {label}", out[1])
            expected, _ = ro.clip_by_global_norm(grads, tau)
            per_tensor = [ro.clip_by_norm(g, tau) for g in grads]
            for k, (g, e) in enumerate(zip(got, expected, strict=True)):
                if len(grads) > 1 and tau < total and compare("", g, per_tensor[k], rtol=1e-9).ok:
                    ctx.fail(f"{label}: gradient {k} was clipped by its own norm; eq. (32) over all parameters "
                             f"together uses ONE norm √(Σ_k ‖g_k‖²) and scales every gradient by the same τ / N",
                             diagnosis="not_summed")
                ctx.expect_close(f"{label}: gradient {k}", g, e, rtol=1e-12)
            ctx.expect_close(f"the norm returned by {label} (before clipping)", norm, total, rtol=1e-12)
