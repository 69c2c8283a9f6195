"""Checks for `optimizers` (runs in the grader; learner code only through ctx.probe).

Every check drives the learner's optimizer with gradients described by the grader (probe.run): parameter k
at step s has the gradient curvature[k] * value + offsets[s][k]. curvature 0 gives a fixed gradient
sequence; the ravine of L2653 is curvature (0.02, 2) plus the grader's noise. After EVERY step the values,
every state slot (m, v, t), and the identity of the value arrays are compared with grader.reference_optim.
"""

import numpy as np

from grader import reference_optim as ro
from grader.checklib import CheckContext, check
from grader.compare import compare

SHAPES_LOCAL = [(3, 2), (5,)]
SHAPES_HIDDEN = [(1,), (4, 3), (2,)]
STEPS = 7
SLOTS = {"SGD": (), "Momentum": ("m",), "Nesterov": ("m",), "RMSProp": ("v",), "Adam": ("t", "m", "v")}
NAMES = {"SGD": "sgd", "Momentum": "momentum", "Nesterov": "nesterov", "RMSProp": "rmsprop", "Adam": "adam"}
RAVINE = np.array([0.02, 2.0])  # ∇ of (0.1 w1)² + w2² is (0.02 w1, 2 w2) (L2653-2655)
RAVINE_START = np.array([-8.0, 1.6])
RAVINE_STEPS = 60
RAVINE_NOISE = 0.03  # the std of the notes' N(0, 0.03) (curriculum §13, erratum 12: the grader supplies it)
RTOL, FLOOR = 1e-8, 1e-12


def _problem(ctx: CheckContext, shapes: list[tuple[int, ...]], steps: int = STEPS, curved: bool = False,
             scale: float = 1.0) -> tuple[list, list, list]:
    w0 = [ctx.rng.normal(0, 1, s) for s in shapes]
    curvature = [ctx.rng.uniform(0.2, 1.5, s) if curved else np.zeros(s) for s in shapes]
    # Per-entry scales over three decades: ε and the square root then matter differently for each entry.
    scales = [scale * 10.0 ** ctx.rng.uniform(-2, 0.5, s) for s in shapes]
    offsets = [[sc * ctx.rng.standard_normal(s) for s, sc in zip(shapes, scales, strict=True)] for _ in range(steps)]
    return w0, curvature, offsets


def _label(cls: str, kwargs: dict) -> str:
    return f"{cls}({', '.join(f'{k}={v!r}' for k, v in kwargs.items())})"


def run(ctx: CheckContext, cls: str, kwargs: dict, w0: list, curvature: list, offsets: list) -> list[dict]:
    """The learner's optimizer driven for len(offsets) steps; checks identity and p.grad on the way."""
    label = _label(cls, kwargs)
    snaps = ctx.probe("run", cls, kwargs, w0, curvature, offsets, list(SLOTS[cls]), label=label)
    ctx.expect(isinstance(snaps, list) and len(snaps) == len(offsets), f"{label}: the probe got no steps back",
               diagnosis="dtype")
    for s, snap in enumerate(snaps):
        ctx.expect(snap["same"], f"after step {s + 1} of {label}, some p.value is a NEW array. Update it in place "
                                 f"(p.value -= ..., or p.value[...] = ...): edf's graph and every other holder of "
                                 f"the parameter keep the original array, and would never see the update.",
                   diagnosis="not_in_place")
        ctx.expect(snap["grad_kept"], f"step {s + 1} of {label} changed p.grad: an optimizer only reads the "
                                      f"gradient (use a new array for anything you compute from it)",
                   diagnosis="in_place")
        if cls == "Nesterov":
            ctx.expect(snap["calls"] == 1, f"step {s + 1} of {label} called closure() {snap['calls']} times; call "
                                           f"it exactly once per step, with every p.value at the look-ahead point",
                       diagnosis="nesterov")
    return snaps


def _expect_slot(ctx: CheckContext, label: str, got, expected: list[np.ndarray], name: str) -> None:
    if got is None:
        ctx.fail(f"{label}: the optimizer has no attribute `{name}`. Keep the state in self.{name}: a list with one "
                 f"array per parameter, in the order of the parameters", diagnosis="state")
    if not isinstance(got, list) or len(got) != len(expected):
        ctx.fail(f"{label}: self.{name} should be a list of {len(expected)} arrays (one per parameter)",
                 diagnosis="state")
    for k, (g, e) in enumerate(zip(got, expected, strict=True)):
        ctx.expect_close(f"{label}[{k}]", ctx.expect_array(f"{label}[{k}]", g, e.shape), e, rtol=RTOL, floor=FLOOR)


def _known_slips(cls: str, kwargs: dict, t: int, w_prev: np.ndarray, g: np.ndarray, m: np.ndarray,
                 v: np.ndarray) -> dict[str, np.ndarray]:
    """What the usual Adam / RMSProp mistakes would have produced in this step (m and v already checked)."""
    lr, eps = kwargs["lr"], kwargs.get("eps", 1e-8)
    if cls == "RMSProp":
        return {"has ε inside the square root: eq. (25) divides by √v + ε": w_prev - lr * g / np.sqrt(v + eps)}
    b1, b2 = kwargs.get("beta1", 0.9), kwargs.get("beta2", 0.999)
    slips = {"has no bias correction: divide m by 1 − β₁ᵗ and v by 1 − β₂ᵗ (L2819)":
             w_prev - lr * m / (np.sqrt(v) + eps),
             "has ε inside the square root: L2819 divides by √v̂ + ε":
             w_prev - lr * (m / (1 - b1**t)) / np.sqrt(v / (1 - b2**t) + eps)}
    for other in (t - 1, t + 1):
        if other >= 1:
            slips[f"bias-corrects with t = {other} in step {t}: the first step uses 1 − β₁¹"] = \
                w_prev - lr * (m / (1 - b1**other)) / (np.sqrt(v / (1 - b2**other)) + eps)
    return slips


def compare_run(ctx: CheckContext, cls: str, kwargs: dict, snaps: list[dict], reference: list[dict],
                points: bool = False, problem: tuple[list, list, list] | None = None) -> None:
    """Every step: t, m, v (as the optimizer keeps them), the gradient points (Nesterov), then the values.
    problem = (w0, curvature, offsets) lets a wrong Adam / RMSProp value be matched to a known slip."""
    label = _label(cls, kwargs)
    for s, (snap, ref) in enumerate(zip(snaps, reference, strict=True)):
        where = f"after step {s + 1} of {label}"
        if "t" in SLOTS[cls]:
            t = snap.get("t")
            ctx.expect(isinstance(t, float) and t == ref["t"],
                       f"{where}, self.t is {t!r}; it counts the steps taken: 0 before the first step, {ref['t']} "
                       f"now. Increment it at the start of step(), before the bias correction uses it.",
                       diagnosis="off_by_one")
        for name in ("m", "v"):
            if name in SLOTS[cls]:
                _expect_slot(ctx, f"{where}, self.{name}", snap.get(name), ref[name], name)
        if points:
            for k, (g, e) in enumerate(zip(snap["points"][0], ref["points"], strict=True)):
                ctx.expect_close(f"in step {s + 1} of {label}, the point where closure() saw parameter {k} (the "
                                 f"look-ahead ŵ)", g, e, rtol=RTOL, floor=FLOOR)
        for k, (g, e) in enumerate(zip(snap["values"], ref["values"], strict=True)):
            result = compare(f"{where}, parameter {k}'s value", g, e, rtol=RTOL, floor=FLOOR)
            if not result.ok and problem is not None and cls in ("Adam", "RMSProp") and isinstance(g, np.ndarray):
                w0, curvature, offsets = problem
                w_prev = np.asarray(w0[k]) if s == 0 else reference[s - 1]["values"][k]
                grad = np.asarray(curvature[k]) * w_prev + np.asarray(offsets[s][k])
                m = ref["m"][k] if "m" in ref else None
                for why, value in _known_slips(cls, kwargs, s + 1, w_prev, grad, m, ref["v"][k]).items():
                    if g.shape == value.shape and compare("", g, value, rtol=RTOL, floor=FLOOR).ok:
                        ctx.fail(f"{where}, parameter {k}'s value {why}", diagnosis="mismatch",
                                 details=result.details)
            if not result.ok:
                ctx.fail(result.explanation, diagnosis=result.diagnosis, details=result.details)


def _trajectory(cls: str, kwargs: dict, w0: list, curvature: list, offsets: list) -> list[dict]:
    hyper = {"lr": kwargs["lr"], "beta1": kwargs.get("beta1", 0.9), "beta2": kwargs.get("beta2", 0.999 if cls ==
             "Adam" else 0.9), "eps": kwargs.get("eps", 1e-8), "form": kwargs.get("form", "classic")}
    return ro.trajectory(NAMES[cls], w0, curvature, offsets, hyper)


def exact(ctx: CheckContext, cls: str, settings: list[dict], curved: bool = False, scale: float = 1.0) -> None:
    local = [(SHAPES_LOCAL, settings[0]), (SHAPES_LOCAL[::-1], settings[1])]
    for shapes, kwargs in ctx.cases(local, [(SHAPES_HIDDEN, kw) for kw in settings]):
        w0, curvature, offsets = _problem(ctx, shapes, curved=curved, scale=scale)
        snaps = run(ctx, cls, kwargs, w0, curvature, offsets)
        compare_run(ctx, cls, kwargs, snaps, _trajectory(cls, kwargs, w0, curvature, offsets),
                    points=cls == "Nesterov", problem=(w0, curvature, offsets))


# --- exact trajectories --------------------------------------------------------------------------


@check("SGD: exact trajectory over a fixed gradient sequence, updated in place", points=1)
def sgd(ctx: CheckContext) -> None:
    exact(ctx, "SGD", [{"lr": 0.3}, {"lr": 0.05}])


@check("Momentum, classic form (L2736): m and w after every step", points=2)
def momentum_classic(ctx: CheckContext) -> None:
    exact(ctx, "Momentum", [{"lr": 0.1, "beta1": 0.9, "form": "classic"},
                            {"lr": 0.3, "beta1": 0.6, "form": "classic"}])


@check("Momentum, EMA form (L2745): m and w after every step", points=2)
def momentum_ema(ctx: CheckContext) -> None:
    exact(ctx, "Momentum", [{"lr": 0.2, "beta1": 0.8, "form": "ema"}, {"lr": 0.5, "beta1": 0.95, "form": "ema"}])


@check("Nesterov (L2781, L2785): the gradient is taken at the look-ahead point; m and w after every step",
       points=3)
def nesterov(ctx: CheckContext) -> None:
    # Curved problems: the gradient depends on where it is taken, so taking it at w instead of ŵ shows.
    exact(ctx, "Nesterov", [{"lr": 0.1, "beta1": 0.9, "form": "classic"},
                            {"lr": 0.3, "beta1": 0.7, "form": "ema"}], curved=True)


@check("RMSProp (eqs. 24-25): v and w after every step, ε outside the root", points=2)
def rmsprop(ctx: CheckContext) -> None:
    # ε = 1e-2 against gradients of 1e-3..3: √v + ε and √(v + ε) differ clearly.
    exact(ctx, "RMSProp", [{"lr": 0.01, "beta2": 0.9, "eps": 1e-2}, {"lr": 0.1, "beta2": 0.99, "eps": 1e-8}])


@check("Adam with bias correction (L2819): t, m, v and w after every step", points=3)
def adam(ctx: CheckContext) -> None:
    exact(ctx, "Adam", [{"lr": 0.01, "beta1": 0.9, "beta2": 0.999, "eps": 1e-2},
                        {"lr": 0.1, "beta1": 0.8, "beta2": 0.95, "eps": 1e-8}])


# --- properties (the learner's own runs against each other) -----------------------------------------


def _values(snaps: list[dict]) -> list[list[np.ndarray]]:
    return [snap["values"] for snap in snaps]


def _same_path(ctx: CheckContext, what: str, a: list[dict], b: list[dict]) -> None:
    for s, (x, y) in enumerate(zip(_values(a), _values(b), strict=True)):
        for k, (u, w) in enumerate(zip(x, y, strict=True)):
            result = compare(what, u, w, rtol=1e-9, floor=1e-12)
            ctx.expect(result.ok, f"{what}: after step {s + 1}, parameter {k} differs ({result.explanation})",
                       diagnosis="mismatch", details=result.details)


@check("Properties: β₁ = 0 is SGD (L2743); classic with η(1 − β₁) equals EMA with η (6.2.5)", points=2)
def momentum_properties(ctx: CheckContext) -> None:
    w0, curvature, offsets = _problem(ctx, SHAPES_LOCAL, curved=True)
    lr, beta = 0.2, 0.75
    sgd_run = run(ctx, "SGD", {"lr": lr}, w0, curvature, offsets)
    for form in ("classic", "ema"):
        zero = run(ctx, "Momentum", {"lr": lr, "beta1": 0.0, "form": form}, w0, curvature, offsets)
        _same_path(ctx, f"Momentum(lr={lr}, beta1=0.0, form={form!r}) against SGD(lr={lr})", zero, sgd_run)
    for cls in ("Momentum", "Nesterov"):
        classic = run(ctx, cls, {"lr": lr * (1 - beta), "beta1": beta, "form": "classic"}, w0, curvature, offsets)
        ema = run(ctx, cls, {"lr": lr, "beta1": beta, "form": "ema"}, w0, curvature, offsets)
        _same_path(ctx, f"{cls} classic with lr = {lr}·(1 − {beta}) against {cls} ema with lr = {lr}", classic, ema)


@check("Properties: the bias-corrected average of a constant gradient is that constant; Adam's first step is "
       "≈ η·sign(g)", points=2)
def adam_properties(ctx: CheckContext) -> None:
    shapes = [(4,), (2, 3)]
    g = [ctx.rng.normal(0, 1, s) * 10.0 ** ctx.rng.uniform(-3, 1, s) for s in shapes]
    lr, beta1, beta2 = 0.05, 0.9, 0.999
    kwargs = {"lr": lr, "beta1": beta1, "beta2": beta2, "eps": 1e-12}
    snaps = run(ctx, "Adam", kwargs, [np.zeros(s) for s in shapes], [np.zeros(s) for s in shapes], [g] * 6)
    for s, snap in enumerate(snaps):
        t = s + 1
        for name, beta, target in (("m", beta1, g), ("v", beta2, [x * x for x in g])):
            ctx.expect(isinstance(snap.get(name), list), f"Adam has no list self.{name}", diagnosis="state")
            for k, (got, want) in enumerate(zip(snap[name], target, strict=True)):
                ctx.expect_close(f"after step {t} of a constant gradient, self.{name}[{k}] / (1 − β^{t}) (it should "
                                 f"be the constant {'g' if name == 'm' else 'g²'} itself, L2841)",
                                 np.asarray(got) / (1 - beta**t), want, rtol=1e-9)
    first = snaps[0]["values"]
    for k, (w, gk) in enumerate(zip(first, g, strict=True)):
        ctx.expect_close(f"Adam's first step from w = 0 for parameter {k} (should be −η·g/(|g| + ε) ≈ −η·sign(g))",
                         w, -lr * np.sign(gk), rtol=1e-6)


# --- the ravine ----------------------------------------------------------------------------------

RAVINE_RUNS = {
    "SGD": {"lr": 0.9},
    "Momentum": {"lr": 4.0, "beta1": 0.9, "form": "ema"},
    "Nesterov": {"lr": 4.0, "beta1": 0.9, "form": "ema"},
    "RMSProp": {"lr": 0.3, "beta2": 0.9, "eps": 1e-8},
    "Adam": {"lr": 0.5, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8},
}


@check("The ravine L(w) = (0.1 w₁)² + w₂² (L2653) with the grader's noise: every optimizer's path", points=3)
def ravine(ctx: CheckContext) -> None:
    noise = [[ctx.rng.normal(0.0, RAVINE_NOISE, 2)] for _ in range(RAVINE_STEPS)]
    runs = {cls: run(ctx, cls, kwargs, [RAVINE_START], [RAVINE], noise) for cls, kwargs in RAVINE_RUNS.items()}
    # The plot first, so that a wrong path is drawn too.
    ctx.plot("Paths on the ravine (0.1 w₁)² + w₂², from (−8, 1.6)",
             {NAMES[cls]: [RAVINE_START.tolist()] + [np.asarray(snap["values"][0]).tolist() for snap in snaps]
              for cls, snaps in runs.items()}, x_label="w₁", y_label="w₂")
    for cls, kwargs in RAVINE_RUNS.items():
        compare_run(ctx, cls, kwargs, runs[cls], _trajectory(cls, kwargs, [RAVINE_START], [RAVINE], noise),
                    points=cls == "Nesterov", problem=([RAVINE_START], [RAVINE], noise))
