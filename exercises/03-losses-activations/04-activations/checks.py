"""Checks for `activations-forward-backward` (runs in the grader; learner code only through ctx.call / ctx.probe)."""

import importlib.util
from pathlib import Path

import numpy as np

from grader import reference as ref
from grader import reference_blocks as rb
from grader.checklib import CheckContext, check

_spec = importlib.util.spec_from_file_location("ch4_blockchecks", Path(__file__).parent.parent / "_shared/blockchecks.py")
bc = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bc)

SHAPES_LOCAL = [(7,), (3, 5), (1,)]
SHAPES_HIDDEN = [(2,), (4, 3, 2), (13,)]
EXTREME = np.array([-1000.0, -745.0, -40.0, -0.5, 0.5, 40.0, 745.0, 1000.0])

# name -> (reference forward, reference backward, parameter name or None)
ACTIVATIONS = {
    "sigmoid": (ref.sigmoid, rb.sigmoid_backward, None),
    "tanh": (rb.tanh, rb.tanh_backward, None),
    "relu": (rb.relu, rb.relu_backward, None),
    "leaky_relu": (rb.leaky_relu, rb.leaky_relu_backward, "slope"),
    "elu": (rb.elu, rb.elu_backward, "alpha"),
}
PARAMS = {"slope": ([0.01, 0.2], [0.07, 0.5]), "alpha": ([1.0, 0.5], [1.7, 0.3])}
DEFAULTS = {"slope": 0.01, "alpha": 1.0}


def _x(ctx: CheckContext, shape: tuple[int, ...]) -> np.ndarray:
    return ctx.away_from(ctx.rng.normal(0.0, 3.0, size=shape))  # at least 0.05 from the kink at 0


def _settings(ctx: CheckContext, name: str) -> list[tuple[str, tuple, dict]]:
    """(description, extra args for the reference, kwargs for the learner): the default, then given values."""
    param = ACTIVATIONS[name][2]
    if param is None:
        return [("", (), {})]
    out = [(f" with the default {param} (which should be {DEFAULTS[param]:g})", (DEFAULTS[param],), {})]
    for value in ctx.cases(*PARAMS[param]):
        out.append((f" with {param}={value:g}", (value,), {param: value}))
    return out


def _forward(ctx: CheckContext, name: str) -> None:
    fwd = ACTIVATIONS[name][0]
    for where, extra, kwargs in _settings(ctx, name):
        for shape in ctx.cases(SHAPES_LOCAL, SHAPES_HIDDEN):
            x = _x(ctx, shape)
            ctx.expect_close(f"{name}(x){where}, x of shape {shape}", ctx.call(name, x, **kwargs), fwd(x, *extra))
        x = EXTREME if not ctx.official else np.concatenate([EXTREME, ctx.rng.uniform(-1e4, 1e4, 5)])
        got = _strict(ctx, name, x, kwargs)
        ctx.expect_close(f"{name}(x){where} at x = ±1000", got, fwd(x, *extra), floor=1e-30)


def _strict(ctx: CheckContext, name: str, x: np.ndarray, kwargs: dict, g: np.ndarray | None = None):
    args = (x,) if g is None else (x, g)
    if not kwargs:
        return bc.strict(ctx, name, *args)
    return bc.strict(ctx, name, *args, *kwargs.values())


@check("sigmoid and tanh match the reference, warning-free at ±1000", points=2)
def saturating_forward(ctx: CheckContext) -> None:
    _forward(ctx, "sigmoid")
    _forward(ctx, "tanh")


@check("relu and leaky_relu (default and given slopes) match the reference", points=2)
def rectifier_forward(ctx: CheckContext) -> None:
    _forward(ctx, "relu")
    _forward(ctx, "leaky_relu")


@check("elu (default and given α) matches x, or α(eˣ − 1) for x ≤ 0, warning-free at ±1000", points=2)
def elu_forward(ctx: CheckContext) -> None:
    _forward(ctx, "elu")


def _backward(ctx: CheckContext, name: str) -> None:
    fwd, bwd, _ = ACTIVATIONS[name]
    back = f"{name}_backward"
    for where, extra, kwargs in _settings(ctx, name):
        for shape in ctx.cases(SHAPES_LOCAL, SHAPES_HIDDEN):
            x = _x(ctx, shape)
            g = ctx.rng.standard_normal(shape)  # random upstream, not ones
            ctx.expect_close(f"{back}(x, g){where}, x of shape {shape}", ctx.call(back, x, g, **kwargs),
                             bwd(x, g, *extra), terms={"g (the derivative factor is missing)": g})
        x = EXTREME
        g = ctx.rng.standard_normal(x.shape)
        ctx.expect_close(f"{back}(x, g){where} at x = ±1000", _strict(ctx, back, x, kwargs, g), bwd(x, g, *extra))
        # (default floor: σ(1 − σ) cancels to 0 at |x| = 40 where σ(x)σ(−x) is 4e-18; both are fine)
        x = _x(ctx, (3, 4))
        g = ctx.rng.standard_normal(x.shape)
        grad = ctx.expect_array(f"{back}(x, g)", ctx.call(back, x, g, **kwargs), x.shape)

        def f(inputs: dict[str, np.ndarray], kwargs=kwargs, g=g) -> float:
            out = ctx.expect_array(f"{name}(x)", ctx.call(name, inputs["x"], **kwargs), g.shape)
            return float(np.sum(g * out))

        ctx.gradcheck(f"{back}{where} against central differences of your {name}", f, {"x": x}, {"x": grad})


@check("sigmoid_backward and tanh_backward: g ⊙ f'(x), and central differences", points=2)
def saturating_backward(ctx: CheckContext) -> None:
    _backward(ctx, "sigmoid")
    _backward(ctx, "tanh")


@check("relu_backward and leaky_relu_backward: g ⊙ f'(x), and central differences", points=2)
def rectifier_backward(ctx: CheckContext) -> None:
    _backward(ctx, "relu")
    _backward(ctx, "leaky_relu")


@check("elu_backward: g ⊙ f'(x), and central differences", points=2)
def elu_backward(ctx: CheckContext) -> None:
    _backward(ctx, "elu")
