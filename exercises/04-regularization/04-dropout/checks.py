"""Checks for `dropout-inverted` (runs in the grader; learner code only through ctx.call / ctx.probe)."""

import numpy as np

from grader import reference_regularize as ref
from grader.checklib import CheckContext, check
from grader.compare import compare

# (shape, p): odd and non-square shapes, a single unit, p = 0 (nothing dropped) and a high p.
CASES_LOCAL = [((4, 7), 0.5), ((3, 5), 0.2), ((1, 1), 0.3), ((2, 3, 5), 0.75), ((6,), 0.0)]
CASES_HIDDEN = [((11, 13), 0.35), ((1, 9), 0.9), ((5, 2, 3), 0.1)]


def _seed(ctx: CheckContext) -> int:
    return int(ctx.rng.integers(2**31))


def _forward(ctx: CheckContext, x: np.ndarray, p: float, seed: int, train: bool) -> dict:
    out = ctx.probe("forward_seeded", x, p, seed, train, label="dropout_forward")
    y, mask = ctx.expect_tuple(f"dropout_forward(x of shape {x.shape}, p={p}, rng, train={train})",
                               [out["y"], out["mask"]], 2)
    out["y"] = ctx.expect_array(f"y from dropout_forward(x of shape {x.shape}, p={p})", y, x.shape)
    mask = ctx.expect_array(f"mask from dropout_forward(x of shape {x.shape}, p={p})", mask, x.shape)
    ctx.expect(mask.dtype == np.bool_ or bool(np.all((mask == 0) | (mask == 1))),
               f"the mask from dropout_forward must be bool (True = kept), got values {np.unique(mask)[:5]}",
               diagnosis="dtype")
    out["mask"] = mask.astype(bool)
    return out


def _known_forward(ctx: CheckContext, label: str, got: np.ndarray, x: np.ndarray, p: float, seed: int) -> None:
    mask = ref.dropout_mask(x.shape, p, seed)
    expected = ref.dropout_forward(x, mask, p)
    result = compare(label, got, expected, rtol=1e-12, floor=1e-300)
    if result.ok:
        return
    u = np.random.default_rng(seed).random(x.shape)
    known = [
        ("is x·mask without the 1/(1 − p): this course uses INVERTED dropout, scaling at train time so that "
         "test time is the identity", x * mask, "scale"),
        ("is scaled by (1 − p) instead of 1/(1 − p) (that is the notes' test-time weight scaling, erratum 11)",
         x * mask * (1 - p), "scale"),
        ("is scaled by 1/p: p is the DROP probability, the keep probability is 1 − p", x * mask / p if p else None,
         "keep_probability"),
        ("keeps units where rng.random(x.shape) < 1 − p: the right keep rate, but not the course's draw; keep where "
         "u >= p so that masks are reproducible", x * (u < 1 - p) / (1 - p), "stream"),
        ("keeps units where rng.random(x.shape) < p: that keeps each unit with probability p, but p is the "
         "DROP probability (keep where u >= p)", x * (u < p) / (1 - p), "keep_probability"),
    ]
    for why, value, diagnosis in known:
        if value is not None and compare(label, got, value, rtol=1e-12, floor=1e-300).ok:
            ctx.fail(f"{label} {why}", diagnosis=diagnosis, details=result.details)
    ctx.fail(result.explanation + ". The mask must be rng.random(x.shape) >= p from ONE call on the given rng",
             diagnosis=result.diagnosis or "mismatch", details=result.details)


@check("train mode: the keep rate is 1 − p and the mean activation is preserved", points=2)
def statistics(ctx: CheckContext) -> None:
    for p in ctx.cases([0.3, 0.8], [0.5, 0.1]):
        n = 200_000
        x = np.ones((400, 500))
        out = _forward(ctx, x, p, _seed(ctx), True)
        kept = float(out["mask"].mean())
        sd = np.sqrt(p * (1 - p) / n)
        ctx.expect(abs(kept - (1 - p)) < 6 * sd + 1e-12,
                   f"dropout_forward(p={p}) keeps {kept:.4f} of the units; with p the DROP probability it keeps "
                   f"1 − p = {1 - p:.4f} (±{6 * sd:.4f})", diagnosis="keep_probability")
        ctx.expect(np.array_equal(out["y"] == 0, ~out["mask"]),
                   "y is not zero exactly where the returned mask is False: return the mask the forward pass used",
                   diagnosis="mask_reuse")
        mean = float(out["y"].mean())
        ctx.expect(abs(mean - 1.0) < 6 * sd / (1 - p) + 1e-9,
                   f"the mean of y = dropout_forward(ones, p={p}) is {mean:.4f}; inverted dropout preserves the mean "
                   f"activation (E[y] = x = 1) by scaling kept units by 1/(1 − p) = {1 / (1 - p):.4g}",
                   diagnosis="scale")


@check("train mode: y = x·mask/(1 − p) with mask = rng.random(x.shape) >= p, reproducible from the seed", points=2)
def forward_exact(ctx: CheckContext) -> None:
    for shape, p in ctx.cases(CASES_LOCAL, CASES_HIDDEN):
        x = ctx.rng.normal(0, 1, shape)
        seed = _seed(ctx)
        label = f"dropout_forward(x of shape {shape}, p={p}, rng, train=True)"
        out = _forward(ctx, x, p, seed, True)
        _known_forward(ctx, f"y from {label}", out["y"], x, p, seed)
        ctx.expect(np.array_equal(out["mask"], ref.dropout_mask(shape, p, seed)),
                   f"the mask from {label} is not the one y was computed with", diagnosis="mask_reuse")
        again = _forward(ctx, x, p, seed, True)
        ctx.expect(np.array_equal(again["y"], out["y"]), f"{label} is not reproducible: the same seed gave another "
                                                         f"y; use only the rng you are given", diagnosis="reproducible")


@check("test mode: exactly the identity, an all-True mask, and the rng untouched", points=2)
def test_mode(ctx: CheckContext) -> None:
    for shape, p in ctx.cases(CASES_LOCAL, CASES_HIDDEN):
        x = ctx.rng.normal(0, 1, shape)
        seed = _seed(ctx)
        label = f"dropout_forward(x of shape {shape}, p={p}, rng, train=False)"
        out = _forward(ctx, x, p, seed, False)
        if not np.array_equal(out["y"], x):
            scaled = compare(label, out["y"], x * (1 - p)).ok and p > 0
            ctx.fail(f"{label} is not exactly x" + (": it scales by (1 − p), the notes' test-time scaling; with "
                                                   "inverted dropout test mode is the identity" if scaled else
                                                   ": test mode must not drop or scale anything"),
                     diagnosis="test_mode")
        ctx.expect(bool(np.all(out["mask"])), f"the mask from {label} must be all True (nothing dropped)",
                   diagnosis="test_mode")
        ctx.expect(out["next"] == np.random.default_rng(seed).random(),
                   f"{label} drew from the rng: test mode must not use it (evaluation would shift the random stream "
                   f"of the next training step)", diagnosis="test_mode")


@check("dropout_backward: grad_y·mask/(1 − p) with the forward's mask; central differences", points=2)
def backward(ctx: CheckContext) -> None:
    for shape, p in ctx.cases(CASES_LOCAL, CASES_HIDDEN):
        g = ctx.rng.normal(0, 1, shape)
        # A mask the grader made (not from any rng): backward must use the mask it is given.
        mask = ctx.rng.random(shape) >= p
        label = f"dropout_backward(grad_y of shape {shape}, mask, p={p})"
        got = ctx.expect_array(label, ctx.call("dropout_backward", g, mask, p), shape)
        expected = ref.dropout_backward(g, mask, p)
        ctx.expect(not (compare(label, got, g * mask).ok and p > 0 and mask.any()),
                   f"{label} is grad_y·mask without 1/(1 − p): the forward's scale is part of ∂y/∂x", diagnosis="scale")
        ctx.expect_close(label, got, expected, rtol=1e-12)
    shape, p, seed = (3, 4), 0.4, _seed(ctx)
    x, g = ctx.rng.normal(0, 1, shape), ctx.rng.normal(0, 1, shape)
    mask = _forward(ctx, x, p, seed, True)["mask"]
    analytic = ctx.expect_array("dropout_backward", ctx.call("dropout_backward", g, mask, p), shape)

    def loss(inputs: dict[str, np.ndarray]) -> float:  # the same seed: the same mask in every evaluation
        return float(np.sum(g * _forward(ctx, inputs["x"], p, seed, True)["y"]))

    ctx.gradcheck("d Σ g·dropout_forward(x) / dx (your forward, fixed seed)", loss, {"x": x}, {"x": analytic})


@check("Dropout layer: a fresh mask per forward, backward uses the LAST forward's mask; test mode", points=2)
def layer(ctx: CheckContext) -> None:
    for shape, p in ctx.cases([((4, 6), 0.5), ((3, 1), 0.25)], [((7, 5), 0.6), ((2, 9), 0.15)]):
        seed = _seed(ctx)
        x1, x2, x3 = (ctx.rng.normal(0, 1, shape) for _ in range(3))
        g2, g3 = ctx.rng.normal(0, 1, shape), ctx.rng.normal(0, 1, shape)
        out = ctx.probe("layer_script", p, seed, x1, x2, g2, x3, g3, label="Dropout")
        rng = np.random.default_rng(seed)
        m1, m2 = rng.random(shape) >= p, rng.random(shape) >= p  # one draw per train-mode forward
        where = f"Dropout(p={p}) on shape {shape}"
        y1 = ctx.expect_array(f"{where}: first forward", out["y1"], shape)
        y2 = ctx.expect_array(f"{where}: second forward", out["y2"], shape)
        ctx.expect_close(f"{where}: first forward", y1, ref.dropout_forward(x1, m1, p), rtol=1e-12)
        ctx.expect(not (np.array_equal(y2 != 0, y1 != 0) and not np.array_equal(m1, m2)),
                   f"{where}: the second forward reused the first mask: draw a fresh mask on every train-mode forward",
                   diagnosis="stream")
        ctx.expect_close(f"{where}: second forward (the rng's second draw)", y2, ref.dropout_forward(x2, m2, p),
                         rtol=1e-12)
        d2 = ctx.expect_array(f"{where}: backward after the second forward", out["d2"], shape)
        ctx.expect(not compare("d2", d2, ref.dropout_backward(g2, m1, p)).ok or np.array_equal(m1, m2),
                   f"{where}: backward used the FIRST forward's mask: it must use the mask of the last forward",
                   diagnosis="mask_reuse")
        m3 = rng.random(shape) >= p  # what a backward that draws its own mask would use
        ctx.expect(np.array_equal(m3, m2) or not compare("d2", d2, ref.dropout_backward(g2, m3, p)).ok,
                   f"{where}: backward drew a new mask: reuse the mask of the last forward", diagnosis="mask_reuse")
        ctx.expect_close(f"{where}: backward after the second forward", d2, ref.dropout_backward(g2, m2, p),
                         rtol=1e-12)
        y3 = ctx.expect_array(f"{where}: forward(x, train=False)", out["y3"], shape)
        dropped = bool(np.any((y3 == 0) & (x3 != 0)))
        ctx.expect(np.array_equal(y3, x3), f"{where}: forward(x, train=False) is not exactly x" + (
            ": it dropped units, so the layer did not pass train=False on to dropout_forward" if dropped else ""),
                   diagnosis="test_mode")
        d3 = ctx.expect_array(f"{where}: backward after a test-mode forward", out["d3"], shape)
        ctx.expect(np.array_equal(d3, g3), f"{where}: backward after forward(x, train=False) must pass grad_y through "
                                           f"unchanged (the test-mode layer is the identity)", diagnosis="test_mode")
