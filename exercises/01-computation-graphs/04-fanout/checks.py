"""Checks for `fanout` (runs in the grader; learner code only through ctx.call)."""

import numpy as np

from grader import reference as ref
from grader.checklib import CheckContext, check

KEYS = ("y", "u", "v", "L", "dL_du", "dL_dv", "dL_dy", "dL_dx")  # the order of ref.fanout's tuple
NODES = {"y": "y = sin x", "u": "u = y²", "v": "v = eʸ", "L": "L = u·v", "dL_du": "dL/du", "dL_dv": "dL/dv",
         "dL_dy": "dL/dy", "dL_dx": "dL/dx"}


def _xs(ctx: CheckContext) -> list[float]:
    return [float(x) for x in ctx.rng.uniform(-3.0, 3.0, size=10 if ctx.official else 6)]


def _explain(key: str) -> str:
    attribute = f"{key[3:]}.grad" if key.startswith("dL_") else f"{key}.value"
    return f": does your code set {attribute}?"


def _named(ctx: CheckContext, got) -> dict[str, float]:
    return ctx.expect_numbers("fanout(x)", got, KEYS, explain=_explain)


def _fanout(ctx: CheckContext, x: float) -> dict[str, float]:
    """fanout(x), run twice: gradients left over from the previous call are named as the mistake."""
    first = _named(ctx, ctx.call("fanout", x))
    second = _named(ctx, ctx.call("fanout", x))
    changed = [k for k in KEYS if first[k] != second[k]]
    if changed:
        ctx.fail(f"fanout({x:.4g}) gave different {', '.join(NODES[k] for k in changed)} on the second call "
                 f"({first[changed[0]]:.6g}, then {second[changed[0]]:.6g}): backward() adds onto gradients "
                 f"left over from the previous call. Zero every .grad first, as the first line of L704–710 does.",
                 diagnosis="double")
    return second


def _expect(ctx: CheckContext, key: str, xs: list[float], got: list[dict[str, float]], expected: np.ndarray,
            terms: dict[str, np.ndarray] | None = None) -> None:
    ctx.expect_close(f"{NODES[key]} at {len(xs)} random x", np.array([g[key] for g in got]), expected,
                     terms=terms)


@check("forward values y = sin x, u = y², v = eʸ, L = u·v", points=2)
def forward_values(ctx: CheckContext) -> None:
    xs = _xs(ctx)
    got = [_named(ctx, ctx.call("fanout", x)) for x in xs]
    expected = np.array([ref.fanout(x) for x in xs])
    for col, key in enumerate(KEYS[:4]):
        _expect(ctx, key, xs, got, expected[:, col])


@check("dL/du = v and dL/dv = u", points=1)
def first_grads(ctx: CheckContext) -> None:
    xs = _xs(ctx)
    got = [_fanout(ctx, x) for x in xs]
    expected = np.array([ref.fanout(x) for x in xs])
    for col, key in ((4, "dL_du"), (5, "dL_dv")):
        _expect(ctx, key, xs, got, expected[:, col])


@check("dL/dy sums the gradients of both paths, through u and through v (L683)", points=2)
def fanout_sum(ctx: CheckContext) -> None:
    xs = _xs(ctx)
    got = [_fanout(ctx, x) for x in xs]
    paths = np.array([ref.fanout_paths(x) for x in xs])
    terms = {"the path through u (dL/du·du/dy)": paths[:, 0], "the path through v (dL/dv·dv/dy)": paths[:, 1]}
    _expect(ctx, "dL_dy", xs, got, np.array([ref.fanout(x)[6] for x in xs]), terms)


@check("dL/dx matches the reference and central differences of your L", points=2)
def input_grad(ctx: CheckContext) -> None:
    xs = _xs(ctx)
    got = [_fanout(ctx, x) for x in xs]
    cos = np.cos(xs)
    paths = np.array([ref.fanout_paths(x) for x in xs])
    terms = {"the path through u times dy/dx": paths[:, 0] * cos, "the path through v times dy/dx": paths[:, 1] * cos}
    _expect(ctx, "dL_dx", xs, got, np.array([ref.fanout(x)[7] for x in xs]), terms)

    def loss(inputs: dict[str, np.ndarray]) -> float:
        return _named(ctx, ctx.call("fanout", float(inputs["x"][0])))["L"]

    for x, g in list(zip(xs, got, strict=True))[:3]:
        ctx.gradcheck(f"dL/dx at x = {x:.4g}", loss, {"x": np.array([x])}, {"x": np.array([g["dL_dx"]])})


@check("calling fanout twice gives identical results (no stale gradients)", points=1)
def no_hidden_state(ctx: CheckContext) -> None:
    a, b = _xs(ctx)[:2]
    first = _named(ctx, ctx.call("fanout", a))
    _named(ctx, ctx.call("fanout", b))
    again = _named(ctx, ctx.call("fanout", a))
    changed = [k for k in KEYS if first[k] != again[k]]
    ctx.expect(not changed,
               f"fanout({a:.4g}) gave {', '.join(NODES[k] for k in changed)} = "
               f"{', '.join(f'{again[k]:.6g}' for k in changed)} after a call with x = {b:.4g}, but "
               f"{', '.join(f'{first[k]:.6g}' for k in changed)} the first time: something from the previous "
               f"call is left over. backward() must zero every .grad before it accumulates (L704).",
               diagnosis="double")
