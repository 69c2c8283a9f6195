"""Checks for `bce-probs-logits` (runs in the grader; learner code only through ctx.call / ctx.probe)."""

import importlib.util
from pathlib import Path

import numpy as np

from grader import reference_blocks as rb
from grader.checklib import CheckContext, check

_spec = importlib.util.spec_from_file_location("ch4_blockchecks", Path(__file__).parent.parent / "_shared/blockchecks.py")
bc = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bc)

# Single entries last: with one number every mistake is "some factor", so the larger shapes name it first.
SHAPES_LOCAL = [(8,), (3, 5), (1,)]
SHAPES_HIDDEN = [(13,), (2, 3, 4), (2,)]


def _labels(ctx: CheckContext, shape: tuple[int, ...], soft: bool) -> np.ndarray:
    if soft:
        return ctx.rng.uniform(0.0, 1.0, size=shape)
    return ctx.rng.integers(0, 2, size=shape).astype(np.float64)


def _loss_grad(ctx: CheckContext, loss: str, grad: str, x: np.ndarray, y: np.ndarray, where: str, *,
               strict: bool) -> None:
    inputs = "logits as large as ±1000" if loss == "bce_logits_loss" else "p as close to 0 and 1 as 1e-12"
    run = (lambda name, *a: bc.strict(ctx, name, *a, inputs=inputs)) if strict else ctx.call
    ref_loss = rb.bce_logits_loss if loss == "bce_logits_loss" else rb.bce_loss
    ref_grad = rb.bce_logits_grad if grad == "bce_logits_grad" else rb.bce_grad
    bc.expect_loss(ctx, f"{loss} {where}", run(loss, x, y), ref_loss(x, y), n=x.size)
    ctx.expect_close(f"{grad} {where}", run(grad, x, y), ref_grad(x, y), batch=x.size)


def _numerical(ctx: CheckContext, loss: str, grad: str, x: np.ndarray, y: np.ndarray) -> None:
    g = ctx.expect_array(f"{grad}", ctx.call(grad, x, y), x.shape)

    def f(inputs: dict[str, np.ndarray]) -> float:
        return ctx.expect_number(loss, ctx.call(loss, inputs["x"], y))

    ctx.gradcheck(f"{grad} against central differences of your {loss}", f, {"x": x}, {"x": g})


@check("bce_loss and bce_grad match the reference and central differences", points=3)
def probs(ctx: CheckContext) -> None:
    for soft in (False, True):
        for shape in ctx.cases(SHAPES_LOCAL, SHAPES_HIDDEN):
            p = ctx.rng.uniform(0.02, 0.98, size=shape)
            y = _labels(ctx, shape, soft)
            _loss_grad(ctx, "bce_loss", "bce_grad", p, y, f"for shape {shape} ({'soft' if soft else '0/1'} labels)",
                       strict=False)
    _numerical(ctx, "bce_loss", "bce_grad", ctx.rng.uniform(0.1, 0.9, size=(4, 3)), _labels(ctx, (4, 3), False))


@check("bce_loss and bce_grad are exact at p = 1e-12 and 1 − 1e-12 (no clipping)", points=2)
def probs_extreme(ctx: CheckContext) -> None:
    p = np.array([1e-12, 1e-12, 1.0 - 1e-12, 1.0 - 1e-12, 1e-6, 0.5])
    y = np.array([1.0, 0.0, 1.0, 0.0, 1.0, 0.0])
    for i in range(len(p)):  # one entry at a time: a sum would hide the small terms
        _loss_grad(ctx, "bce_loss", "bce_grad", p[i:i + 1], y[i:i + 1], f"at p = {p[i]:.13g}, y = {y[i]:g}",
                   strict=True)


@check("bce_logits_loss and bce_logits_grad match the reference and central differences", points=3)
def logits(ctx: CheckContext) -> None:
    for soft in (False, True):
        for shape in ctx.cases(SHAPES_LOCAL, SHAPES_HIDDEN):
            s = ctx.rng.normal(0.0, 4.0, size=shape)
            y = _labels(ctx, shape, soft)
            _loss_grad(ctx, "bce_logits_loss", "bce_logits_grad", s, y,
                       f"for shape {shape} ({'soft' if soft else '0/1'} labels)", strict=False)
    _numerical(ctx, "bce_logits_loss", "bce_logits_grad", ctx.rng.normal(0.0, 3.0, size=(3, 4)),
               _labels(ctx, (3, 4), True))


@check("bce_logits_loss and bce_logits_grad are exact and warning-free at s = ±1000", points=2)
def logits_extreme(ctx: CheckContext) -> None:
    s = np.array([-1000.0, -745.0, -40.0, 0.0, 40.0, 745.0, 1000.0])
    if ctx.official:
        s = np.concatenate([s, ctx.rng.uniform(-1e4, 1e4, size=5)])
    for y_value in (0.0, 1.0):
        y = np.full(s.shape, y_value)
        for i in range(len(s)):
            _loss_grad(ctx, "bce_logits_loss", "bce_logits_grad", s[i:i + 1], y[i:i + 1],
                       f"at s = {s[i]:g}, y = {y_value:g}", strict=True)
    y = ctx.rng.uniform(0.0, 1.0, size=s.shape)
    _loss_grad(ctx, "bce_logits_loss", "bce_logits_grad", s, y, "at extreme s with soft labels", strict=True)
