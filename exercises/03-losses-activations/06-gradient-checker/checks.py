"""Checks for `numerical-gradient-checker` (runs in the grader; learner code only through ctx.probe / ctx.call).

The test functions live in _shared/numgrad_functions.py: the probe hands them to the learner's checker, and
the checks compute the expected values from the same code here.
"""

import importlib.util
from pathlib import Path

import numpy as np

from grader.checklib import CheckContext, check

_spec = importlib.util.spec_from_file_location("ch4_numgrad_functions",
                                               Path(__file__).parent.parent / "_shared/numgrad_functions.py")
fns = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fns)

SHAPES_LOCAL = [(5,), (3, 4)]
SHAPES_HIDDEN = [(7,), (2, 3, 2)]
DEFAULT_H = np.finfo(np.float64).eps ** (1.0 / 3.0)
ACCURACY = 5e-9  # max|numeric - exact| / max|exact|: ≤ 1e-9 for h in [4e-6, 1e-5]; ≥ 6e-9 one-sided or h = 1e-4


def _x(ctx: CheckContext, shape: tuple[int, ...]) -> np.ndarray:
    return ctx.rng.uniform(-1.5, 1.5, size=shape)


def _central(name: str, x: np.ndarray, h: float) -> np.ndarray:
    f = fns.NG_FUNCTIONS[name][0]
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        up, down = x.copy(), x.copy()
        up[index] += h
        down[index] -= h
        grad[index] = (f(up) - f(down)) / (2 * h)
    return grad


def _run(ctx: CheckContext, name: str, x: np.ndarray, h: float | None) -> dict:
    args = (name, x) if h is None else (name, x, h)
    got = ctx.probe("ng_numerical_gradient", *args, label="numerical_gradient")
    if got["wrong_shapes"]:
        ctx.fail(f"numerical_gradient called f with an array of shape {tuple(got['wrong_shapes'][0])}, but x has "
                 f"shape {x.shape}: pass f arrays of x's shape", diagnosis="shape")
    ctx.expect_array("numerical_gradient(f, x)", got["grad"], x.shape)
    return got


@check("with a given h, numerical_gradient is the central difference (f(x+h) − f(x−h)) / 2h", points=3)
def given_step(ctx: CheckContext) -> None:
    for h in ctx.cases([1e-3, 1e-4], [3e-4]):
        for name in fns.NG_FUNCTIONS:
            for shape in ctx.cases(SHAPES_LOCAL, SHAPES_HIDDEN):
                x = _x(ctx, shape)
                got = _run(ctx, name, x, h)
                expected = _central(name, x, h)
                ratio = float(np.vdot(got["grad"], expected) / np.vdot(expected, expected))
                for factor, why in ((2.0, "divide by 2h, not h"), (0.5, "divide by 2h, not 4h")):
                    if abs(ratio - factor) < 1e-6 and np.allclose(got["grad"], factor * expected, rtol=1e-6):
                        ctx.fail(f"numerical_gradient(f, x, h={h:g}) is {factor:g} times the central difference "
                                 f"(f(x + h·eᵢ) − f(x − h·eᵢ)) / 2h: the two points are 2h apart, so {why}",
                                 diagnosis="factor")
                ctx.expect_close(f"numerical_gradient(f, x, h={h:g}) for the {name} test function, x of shape {shape}",
                                 got["grad"], expected, rtol=1e-7, floor=1e-6)


@check("numerical_gradient evaluates f at x ± h·eᵢ only, once each, with h = ∛ε by default", points=3)
def evaluation_points(ctx: CheckContext) -> None:
    for h in (None, 2e-4):
        x = _x(ctx, (3, 4))
        steps = np.asarray(_run(ctx, "coupled", x, h)["steps"], dtype=np.float64)
        seen: dict[tuple[int, float], int] = {}
        sizes = []
        for row in steps:
            moved = np.flatnonzero(row)
            if len(moved) == 0:
                ctx.fail("numerical_gradient evaluated f at x itself: the central quotient (L1658) needs only "
                         "f(x + h·eᵢ) and f(x − h·eᵢ); f(x) belongs to the one-sided quotient (L1654)",
                         diagnosis="one_sided")
            if len(moved) > 1:
                ctx.fail(f"numerical_gradient moved {len(moved)} coordinates of x at once (indices "
                         f"{moved[:4].tolist()} in C order): perturb one coordinate at a time and put it back "
                         f"before the next", diagnosis="mismatch")
            i = int(moved[0])
            key = (i, float(np.sign(row[i])))
            seen[key] = seen.get(key, 0) + 1
            sizes.append(abs(row[i]))
        expected = {(i, s) for i in range(x.size) for s in (-1.0, 1.0)}
        missing = sorted(expected - set(seen))
        if missing:
            i, s = missing[0]
            ctx.fail(f"numerical_gradient never evaluated f at x {'+' if s > 0 else '−'} h·e_{i} (entry {i} of x in "
                     f"C order): the central quotient needs both sides of every coordinate",
                     diagnosis="one_sided" if any((i, -s) in seen for i, s in missing) else "evaluations")
        twice = [k for k, v in seen.items() if v > 1]
        ctx.expect(not twice, f"numerical_gradient evaluated f {seen[twice[0]] if twice else 0} times at the same "
                              f"point x ± h·e_{twice[0][0] if twice else 0}: twice per coordinate in all, please",
                   diagnosis="evaluations")
        sizes = np.array(sizes)
        if h is None:
            ctx.expect(np.all(np.abs(sizes / sizes[0] - 1) < 1e-6), "the default step changes from coordinate to "
                       "coordinate: use one h for all", diagnosis="step")
            ctx.expect(4e-6 <= sizes[0] <= 1e-5, f"the default step is h = {sizes[0]:.3g}; the notes recommend "
                       f"∛ε ≈ {DEFAULT_H:.3g} for float64 (L1664)", diagnosis="step")
        else:
            ctx.expect(np.all(np.abs(sizes / h - 1) < 1e-6), f"with h = {h:g} given, f was evaluated at steps of "
                       f"{sizes[0]:.6g} from x: use the given h as is", diagnosis="step")


@check("with the default h, numerical_gradient matches the exact gradient closely", points=2)
def default_step_accuracy(ctx: CheckContext) -> None:
    for name, (_, grad) in fns.NG_FUNCTIONS.items():
        for shape in ctx.cases(SHAPES_LOCAL, SHAPES_HIDDEN):
            x = _x(ctx, shape)
            got = np.asarray(_run(ctx, name, x, None)["grad"], dtype=np.float64)
            exact = grad(x)
            error = float(np.max(np.abs(got - exact)) / np.max(np.abs(exact)))
            if np.allclose(got, 2.0 * exact, rtol=1e-6, atol=1e-6 * np.max(np.abs(exact))):
                ctx.fail(f"numerical_gradient(f, x) for the {name} test function is twice the exact gradient: "
                         f"f(x + h·eᵢ) and f(x − h·eᵢ) are 2h apart, so divide their difference by 2h",
                         diagnosis="factor")
            ctx.expect(error <= ACCURACY,
                       f"numerical_gradient(f, x) for the {name} test function, x of shape {shape}, is off by "
                       f"{error:.2e} of the largest gradient entry (at most {ACCURACY:g} expected): a one-sided "
                       f"quotient, a default h far from ∛ε, or float32 arithmetic is this inaccurate",
                       diagnosis="step")


@check("relative_error is max |a − b| / max(1e-8, |a| + |b|)", points=2)
def relative_error(ctx: CheckContext) -> None:
    a = ctx.rng.normal(0.0, 1.0, size=(4, 3))
    b = a * (1 + ctx.rng.normal(0.0, 1e-3, size=a.shape))
    b[0, 0] = a[0, 0] = 0.0
    cases = [(a, b), (np.array([1e-10]), np.array([0.0])), (np.array([3e-9, 1.0]), np.array([1e-9, 1.0])),
             (np.array([2.0, -1.0]), np.array([2.0, 1.0])), (np.zeros(3), np.zeros(3))]
    for x, y in cases:
        expected = float(np.max(np.abs(x - y) / np.maximum(1e-8, np.abs(x) + np.abs(y))))
        got = ctx.expect_number("relative_error(a, b)", ctx.call("relative_error", x, y))
        ctx.expect(abs(got - expected) <= 1e-9 * max(expected, 1e-12),
                   f"relative_error(a, b) = {got:.6g} for a = {np.array2string(x.ravel()[:4], precision=3)}, "
                   f"b = {np.array2string(y.ravel()[:4], precision=3)}; expected {expected:.6g}",
                   diagnosis="relative_error")


@check("check_gradient accepts a correct gradient and finds a planted wrong one", points=2)
def planted(ctx: CheckContext) -> None:
    x = _x(ctx, (3, 4))
    exact = fns.ng_exp_grad(x)  # never near 0: every entry's relative error is meaningful
    got = ctx.expect_number("check_gradient(f, grad_f, x)",
                            ctx.probe("ng_check_gradient", "exp", x, np.zeros_like(x), label="check_gradient"))
    ctx.expect(got < 1e-7, f"check_gradient returned {got:.3g} for a CORRECT gradient (expected < 1e-7)",
               diagnosis="planted")
    one = np.zeros_like(x)
    one[1, 2] = 1e-3 * exact[1, 2]
    plants = {"one entry off by 0.1 %": one, "one entry with its sign flipped": np.where(one != 0, -2 * exact, 0.0),
              "every entry twice as large": exact}
    for what, delta in plants.items():
        expected = float(np.max(np.abs(delta) / np.maximum(1e-8, np.abs(exact + delta) + np.abs(exact))))
        got = ctx.expect_number("check_gradient(f, grad_f, x)",
                                ctx.probe("ng_check_gradient", "exp", x, delta, label="check_gradient"))
        ctx.expect(abs(got - expected) <= 1e-3 * expected + 1e-7,
                   f"check_gradient returned {got:.3g} for a gradient with {what}; its relative error is "
                   f"{expected:.3g}", diagnosis="planted")
    # A given h must reach numerical_gradient: with h = 0.02 the central difference of exp(1.5x) is off by
    # about h²·1.5²/6 ≈ 1.5e-4 relative, which check_gradient must report (with ∛ε it would see ~1e-10).
    h = 0.02
    central = _central("exp", x, h)
    expected = float(np.max(np.abs(exact - central) / np.maximum(1e-8, np.abs(exact) + np.abs(central))))
    got = ctx.expect_number("check_gradient(f, grad_f, x, h)",
                            ctx.probe("ng_check_gradient", "exp", x, np.zeros_like(x), h, label="check_gradient"))
    ctx.expect(abs(got - expected) <= 1e-2 * expected,
               f"check_gradient(f, grad_f, x, h={h:g}) returned {got:.3g} for a correct gradient; the central "
               f"difference with h = {h:g} differs from it by {expected:.3g}: pass the given h on to "
               f"numerical_gradient", diagnosis="step")
