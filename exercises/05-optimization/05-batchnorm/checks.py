"""Checks for `batchnorm` (runs in the grader; learner code only through ctx.probe).

One BatchNorm object per probe.run goes through a sequence of train / eval forwards (and backwards); the
probe sends back every output and the running statistics after every call.
"""

import numpy as np

from grader import reference_optim as ro
from grader.checklib import CheckContext, check
from grader.compare import compare

LOCAL = [(8, 3), (5, 1), (2, 4)]
HIDDEN = [(13, 5), (3, 2), (6, 7)]
EPS = 1e-5


def _x(ctx: CheckContext, b: int, c: int) -> np.ndarray:
    # Channels with their own offsets and scales: normalizing the wrong axis shows at once.
    return ctx.rng.normal(ctx.rng.uniform(-3, 3, c), ctx.rng.uniform(0.5, 3, c), size=(b, c))


def _affine(ctx: CheckContext, c: int) -> tuple[np.ndarray, np.ndarray]:
    return ctx.rng.normal(1.0, 0.5, c), ctx.rng.normal(0.0, 1.0, c)


def _run(ctx: CheckContext, c: int, momentum: float, gamma, beta, calls: list, eps: float = EPS) -> dict:
    out = ctx.probe("run", c, momentum, eps, gamma, beta, calls, label="BatchNorm")
    for k, rec in enumerate(out["calls"]):
        ctx.expect(rec["x_kept"], f"BatchNorm.forward changed its input x in place (call {k + 1}); the layer below "
                                  f"still needs it: compute x − μ into a new array", diagnosis="in_place")
    return out


def _explain(ctx: CheckContext, label: str, got, expected: np.ndarray, alternatives: dict[str, np.ndarray],
             rtol: float = 1e-9) -> None:
    result = compare(label, got, expected, rtol=rtol, floor=1e-12)
    if result.ok:
        return
    if isinstance(got, np.ndarray) and got.shape == expected.shape:
        for why, value in alternatives.items():
            if compare(label, got, value, rtol=1e-7, floor=1e-12).ok:
                ctx.fail(f"{label} {why}", diagnosis="mismatch", details=result.details)
    ctx.fail(result.explanation, diagnosis=result.diagnosis, details=result.details)


@check("train-mode forward: y = γ (x − μ_B)/√(σ²_B + ε) + β per channel, σ² biased (L2950)", points=2)
def train_forward(ctx: CheckContext) -> None:
    for b, c in ctx.cases(LOCAL, HIDDEN):
        x = _x(ctx, b, c)
        gamma, beta = _affine(ctx, c)
        y = _run(ctx, c, 0.1, gamma, beta, [[True, x, None]])["calls"][0]["y"]
        expected = ro.batchnorm_train(x, gamma, beta, EPS)[0]
        alts = {}
        if b > 1:
            unbiased = x.var(axis=0) * b / (b - 1)
            alts["normalizes with the unbiased variance (÷ (B − 1)); L2950 divides by B"] = \
                gamma * (x - x.mean(0)) / np.sqrt(unbiased + EPS) + beta
        alts["normalizes over the wrong axis: statistics are per channel (column), over the batch (axis 0)"] = \
            gamma * (x - x.mean(1, keepdims=True)) / np.sqrt(x.var(1, keepdims=True) + EPS) + beta
        _explain(ctx, f"BatchNorm.forward(x, train=True) for x of shape {(b, c)}",
                 ctx.expect_array("y", y, (b, c)), expected, alts)


@check("running statistics after every train step: (1 − momentum)·running + momentum·batch, from 0 and 1",
       points=2)
def running_stats(ctx: CheckContext) -> None:
    for (b, c), momentum in ctx.cases([(LOCAL[0], 0.1), (LOCAL[2], 0.3)],
                                      [(HIDDEN[0], float(ctx.rng.uniform(0.05, 0.5))), (HIDDEN[1], 0.2)]):
        gamma, beta = _affine(ctx, c)
        xs = [_x(ctx, b, c) for _ in range(3)]
        out = _run(ctx, c, momentum, gamma, beta, [[True, x, None] for x in xs])
        start = out["start"]
        for key, want in (("gamma", np.ones(c)), ("beta", np.zeros(c)), ("running_mean", np.zeros(c)),
                          ("running_var", np.ones(c))):
            ctx.expect_close(f"BatchNorm({c}).{key} right after __init__", start[key], want)
        rm, rv = np.zeros(c), np.ones(c)
        for s, (x, rec) in enumerate(zip(xs, out["calls"], strict=True)):
            _, mean, var, _ = ro.batchnorm_train(x, gamma, beta, EPS)
            alts_m = {"mixes the other way round: running ← momentum·running + (1 − momentum)·batch":
                      momentum * rm + (1 - momentum) * mean}
            alts_v = {"mixes the other way round: running ← momentum·running + (1 − momentum)·batch":
                      momentum * rv + (1 - momentum) * var}
            if b > 1:
                alts_v["uses the unbiased batch variance (÷ (B − 1)); this course keeps the biased σ² of L2950"] = \
                    ro.running_update(rv, var * b / (b - 1), momentum)
            rm, rv = ro.running_update(rm, mean, momentum), ro.running_update(rv, var, momentum)
            where = f"after train step {s + 1} (momentum = {momentum:.3g}, x of shape {(b, c)})"
            _explain(ctx, f"running_mean {where}", rec["running_mean"], rm, alts_m)
            _explain(ctx, f"running_var {where}", rec["running_var"], rv, alts_v)


@check("eval mode normalizes with the running statistics and updates nothing", points=2)
def eval_forward(ctx: CheckContext) -> None:
    for b, c in ctx.cases(LOCAL, HIDDEN):
        gamma, beta = _affine(ctx, c)
        xs = [_x(ctx, b, c) for _ in range(3)]
        out = _run(ctx, c, 0.25, gamma, beta, [[True, xs[0], None], [True, xs[1], None], [False, xs[2], None],
                                               [False, xs[2], None]])
        train2, eval1, eval2 = out["calls"][1], out["calls"][2], out["calls"][3]
        rm, rv = train2["running_mean"], train2["running_var"]
        expected = ro.batchnorm_eval(xs[2], gamma, beta, rm, rv, EPS)
        _explain(ctx, f"BatchNorm.forward(x, train=False) for x of shape {(b, c)}", eval1["y"], expected,
                 {"uses the statistics of this batch: eval mode uses running_mean and running_var":
                  ro.batchnorm_train(xs[2], gamma, beta, EPS)[0]})
        for key in ("running_mean", "running_var"):
            ctx.expect(np.array_equal(eval1[key], train2[key]) and np.array_equal(eval2[key], train2[key]),
                       f"forward(x, train=False) changed {key}: eval mode only reads the running statistics",
                       diagnosis="mismatch")
        ctx.expect_close("a second eval forward of the same batch (it must give the same output)", eval2["y"],
                         expected, rtol=1e-9)


@check("train-mode backward: dx, dγ, dβ against the reference (sums over the batch)", points=3)
def train_backward(ctx: CheckContext) -> None:
    for b, c in ctx.cases([s for s in LOCAL if s[0] > 1] + [(7, 2)], HIDDEN):
        x = _x(ctx, b, c)
        gamma, beta = _affine(ctx, c)
        g = ctx.rng.normal(size=(b, c))
        rec = _run(ctx, c, 0.1, gamma, beta, [[True, x, g]])["calls"][0]
        dx, dgamma, dbeta = ro.batchnorm_backward(g, x, gamma, EPS)
        where = f"after forward(x, train=True) for x of shape {(b, c)}"
        _explain(ctx, f"self.dbeta {where}", ctx.expect_array("dbeta", rec["dbeta"], (c,)), dbeta, {})
        _explain(ctx, f"self.dgamma {where}", ctx.expect_array("dgamma", rec["dgamma"], (c,)), dgamma, {})
        _explain(ctx, f"dx {where}", ctx.expect_array("dx", rec["dx"], (b, c)), dx,
                 {"treats μ and σ² as constants (that is the eval-mode gradient): in train mode they depend on x, "
                  "which adds the terms −Σdx̂ and −x̂·Σ(dx̂ ⊙ x̂)": g * gamma / np.sqrt(x.var(0) + EPS)}, rtol=1e-7)


@check("train-mode backward agrees with central differences of Σ G ⊙ forward(x, train=True)", points=1)
def train_numerical(ctx: CheckContext) -> None:
    b, c = (6, 3) if not ctx.official else (5, 4)
    x = _x(ctx, b, c)
    gamma, beta = _affine(ctx, c)
    G = ctx.rng.normal(size=(b, c))
    rec = _run(ctx, c, 0.1, gamma, beta, [[True, x, G]])["calls"][0]

    def loss(inputs: dict[str, np.ndarray]) -> float:
        y = _run(ctx, c, 0.1, inputs["gamma"], inputs["beta"], [[True, inputs["x"], None]])["calls"][0]["y"]
        return float(np.sum(G * y))

    ctx.gradcheck("d Σ G⊙BN(x)", loss, {"x": x, "gamma": gamma, "beta": beta},
                  {"x": rec["dx"], "gamma": rec["dgamma"], "beta": rec["dbeta"]})


@check("eval-mode backward: μ and σ² are the running statistics, constants", points=1)
def eval_backward(ctx: CheckContext) -> None:
    for b, c in ctx.cases(LOCAL[:2], HIDDEN[:2]):
        gamma, beta = _affine(ctx, c)
        x0, x = _x(ctx, b, c), _x(ctx, b, c)
        g = ctx.rng.normal(size=(b, c))
        out = _run(ctx, c, 0.5, gamma, beta, [[True, x0, None], [False, x, g]])
        rec = out["calls"][1]
        dx, dgamma, dbeta = ro.batchnorm_eval_backward(g, x, gamma, rec["running_mean"], rec["running_var"], EPS)
        where = f"after forward(x, train=False) for x of shape {(b, c)}"
        _explain(ctx, f"dx {where}", rec["dx"], dx, {})
        _explain(ctx, f"self.dgamma {where}", rec["dgamma"], dgamma, {})
        _explain(ctx, f"self.dbeta {where}", rec["dbeta"], dbeta, {})
