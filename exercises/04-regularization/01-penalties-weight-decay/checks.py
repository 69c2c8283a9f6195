"""Checks for `penalties-weight-decay` (runs in the grader; learner code only through ctx.call / ctx.probe)."""

import math

import numpy as np

from grader import reference_regularize as ref
from grader.checklib import CheckContext, check
from grader.compare import compare

# (D, M, K): fc1.A (D, M), fc1.b (M,), fc2.A (M, K), fc2.b (K,), out.w (K,): a 1-D weight, so the rule is the name;
# bias.W (K, 2) and emb (M,) are weights too.
SIZES_LOCAL = [(3, 4, 2), (1, 5, 1)]
SIZES_HIDDEN = [(7, 3, 5), (2, 2, 3)]


def _params(ctx: CheckContext, d: int, m: int, k: int) -> dict[str, np.ndarray]:
    return {"fc1.A": ctx.rng.normal(0, 1, (d, m)), "fc1.b": ctx.rng.normal(0, 1, m),
            "fc2.A": ctx.rng.normal(0, 1, (m, k)), "fc2.b": ctx.rng.normal(0, 1, k),
            "out.w": ctx.rng.normal(0, 1, k),
            # weights whose names a looser rule ("b" in name, endswith("b"), "bias" in name) takes for biases
            "bias.W": ctx.rng.normal(0, 1, (k, 2)), "emb": ctx.rng.normal(0, 1, m)}


def _all_weights(params: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The same arrays with every name made a weight: what a penalty that forgets the bias rule sees."""
    return {f"{name}#": v for name, v in params.items()}


def _expect(ctx: CheckContext, label: str, got, expected, known: dict[str, object], **kw) -> None:
    """expect_close, but a known mistake (the value it matches instead) is named in the message."""
    result = compare(label, got, expected, **kw)
    if result.ok:
        return
    for why, (value, diagnosis) in known.items():
        if compare(label, got, value).ok:
            ctx.fail(f"{label} {why}", diagnosis=diagnosis, details=result.details)
    ctx.fail(result.explanation, diagnosis=result.diagnosis, details=result.details)


def _number(ctx: CheckContext, label: str, got) -> float:
    return ctx.expect_number(label, got, explain=" (return a Python float, e.g. float(total))")


def _grad_dict(ctx: CheckContext, label: str, got, params: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    ctx.expect(isinstance(got, dict) and "__unsupported__" not in got,
               f"{label} should return a dict name -> array, got {type(got).__name__}", diagnosis="dtype")
    missing, extra = sorted(set(params) - set(got)), sorted(set(got) - set(params))
    ctx.expect(not missing and not extra, f"{label} must have exactly the names of params: missing {missing}, "
                                          f"unexpected {extra} (biases too, with zeros)", diagnosis="bias")
    return {k: ctx.expect_array(f"{label}['{k}']", got[k], params[k].shape) for k in params}


@check("l2_penalty: (λ/2) Σ‖W‖² over the weights only (L1849)", points=2)
def l2_value(ctx: CheckContext) -> None:
    notes = [{"w1": np.array([0.0, 0.75, 0.0])}, {"w2": np.array([0.25, 0.5, 0.25]), "b": np.array([3.0])}]
    cases = [_params(ctx, *s) for s in ctx.cases(SIZES_LOCAL, SIZES_HIDDEN)] + notes
    for params in cases:
        lam = float(ctx.rng.uniform(0.1, 2.0))
        label = f"l2_penalty(params with names {sorted(params)}, lam={lam:.4g})"
        got = _number(ctx, label, ctx.call("l2_penalty", params, lam))
        weights = [v for k, v in params.items() if not ref.is_bias(k)]
        _expect(ctx, label, got, ref.l2_penalty(params, lam), {
            "includes the biases: penalize weights only (L1817–1819), skip names with is_bias(name)":
                (ref.l2_penalty(_all_weights(params), lam), "bias"),
            "is λ‖W‖², twice the course's (λ/2)‖W‖² (L1849): keep the 1/2, so the gradient is λW":
                (2 * ref.l2_penalty(params, lam), "factor"),
            "uses the norm ‖W‖, not its square ‖W‖² = Σ W_ij²":
                (lam / 2 * sum(float(np.linalg.norm(w)) for w in weights), "mismatch"),
            "averages the squares: the penalty SUMS W_ij² over all entries":
                (lam / 2 * sum(float(np.mean(w**2)) for w in weights), "mismatch"),
            "skips a 1-D weight: the rule is the name (is_bias(name)), not the array's shape":
                (lam / 2 * sum(float(np.sum(v**2)) for v in params.values() if v.ndim > 1), "bias"),
        })


@check("l2_penalty_grad: λW for weights, zeros for biases; agrees with central differences", points=2)
def l2_grad(ctx: CheckContext) -> None:
    for size in ctx.cases(SIZES_LOCAL, SIZES_HIDDEN):
        params = _params(ctx, *size)
        lam = float(ctx.rng.uniform(0.1, 2.0))
        out = ctx.probe("grads_and_inputs", "l2_penalty_grad", params, lam, label="l2_penalty_grad")
        for k in params:
            ctx.expect(np.array_equal(out["params_after"][k], params[k]),
                       f"l2_penalty_grad changed params['{k}'] in place: compute new arrays", diagnosis="in_place")
        got = _grad_dict(ctx, "l2_penalty_grad(params, lam)", out["out"], params)
        expected = ref.l2_penalty_grad(params, lam)
        for k in params:
            if ref.is_bias(k):
                ctx.expect(np.all(got[k] == 0.0), f"l2_penalty_grad(params)['{k}'] is not all zeros: '{k}' is a "
                                                  f"bias and biases are not penalized (L1817)", diagnosis="bias")
            _expect(ctx, f"l2_penalty_grad(params, lam={lam:.4g})['{k}']", got[k], expected[k], {
                "is 2λW: with the course's (λ/2)‖W‖² the gradient is λW": (2 * expected[k], "factor"),
                f"is all zeros, but '{k}' is a weight: a bias is a name whose last dot-separated part is "
                f"exactly \"b\" (is_bias), whatever the array's shape":
                    (np.zeros_like(expected[k]), "bias")})
    params = _params(ctx, 3, 2, 2)
    lam = 0.7
    weights = [k for k in params if not ref.is_bias(k)]
    got = _grad_dict(ctx, "l2_penalty_grad", ctx.call("l2_penalty_grad", params, lam), params)

    def loss(inputs: dict[str, np.ndarray]) -> float:
        return _number(ctx, "l2_penalty", ctx.call("l2_penalty", {**params, **inputs}, lam))

    ctx.gradcheck("d l2_penalty / d W (your l2_penalty)", loss, {k: params[k] for k in weights},
                  {k: got[k] for k in weights})


@check("l1_penalty and l1_penalty_grad: λΣ|W| and λ·sign(W), weights only (L1926)", points=2)
def l1(ctx: CheckContext) -> None:
    for size in ctx.cases(SIZES_LOCAL, SIZES_HIDDEN):
        params = {k: ctx.away_from(v, margin=0.05) for k, v in _params(ctx, *size).items()}
        lam = float(ctx.rng.uniform(0.1, 2.0))
        label = f"l1_penalty(params, lam={lam:.4g})"
        got = _number(ctx, label, ctx.call("l1_penalty", params, lam))
        _expect(ctx, label, got, ref.l1_penalty(params, lam), {
            "includes the biases: penalize weights only (L1817)": (ref.l1_penalty(_all_weights(params), lam), "bias"),
            "has a factor 1/2: the L1 penalty is λ‖W‖₁ (L1926), without the 1/2 of L2":
                (ref.l1_penalty(params, lam) / 2, "factor"),
            "is the L2 penalty": (ref.l2_penalty(params, lam), "l1")})
        grad = _grad_dict(ctx, "l1_penalty_grad(params, lam)", ctx.call("l1_penalty_grad", params, lam), params)
        expected = ref.l1_penalty_grad(params, lam)
        for k in params:
            _expect(ctx, f"l1_penalty_grad(params, lam={lam:.4g})['{k}']", grad[k], expected[k], {
                "is not zero for a bias: biases are not penalized": (ref.l1_penalty_grad(_all_weights(params), lam)[
                    f"{k}#"], "bias"),
                "is λW, the L2 gradient: the L1 subgradient is λ·sign(W)": (lam * params[k], "l1"),
                f"is all zeros, but '{k}' is a weight: a bias is a name whose last dot-separated part is "
                f"exactly \"b\" (is_bias), whatever the array's shape":
                    (np.zeros_like(expected[k]), "bias")})
    # Exact zeros: sign(0) = 0 is the subgradient the course uses.
    w = np.array([[0.0, -1.5, 2.0], [0.3, 0.0, -0.2]])
    params = {"layer.A": w, "layer.b": np.array([0.0, 1.0, -1.0])}
    grad = _grad_dict(ctx, "l1_penalty_grad", ctx.call("l1_penalty_grad", params, 0.5), params)
    off = np.argwhere(grad["layer.A"] != 0.5 * np.sign(w))
    ctx.expect(off.size == 0 or np.any(w[tuple(off.T)] != 0.0),
               f"l1_penalty_grad is not 0 at an exact zero weight (layer.A{off[0].tolist() if off.size else ''} = 0): "
               f"the course's subgradient there is λ·sign(0) = 0 (np.sign gives it)", diagnosis="l1")
    ctx.expect_close("l1_penalty_grad(W with exact zeros, lam=0.5)['layer.A'] (sign(0) = 0)", grad["layer.A"],
                     0.5 * np.sign(w))
    ctx.expect(np.all(grad["layer.b"] == 0.0), "l1_penalty_grad(...)['layer.b'] must be zeros: a bias",
               diagnosis="bias")


def _step(ctx: CheckContext, params, grads, lr: float, lam: float) -> dict[str, np.ndarray]:
    out = ctx.probe("step_and_inputs", params, grads, lr, lam, label="sgd_weight_decay_step")
    for what, before in (("params_after", params), ("grads_after", grads)):
        for k in before:
            ctx.expect(np.array_equal(out[what][k], before[k]),
                       f"sgd_weight_decay_step changed {what[:-6]}['{k}'] in place: return a new dict of new arrays "
                       f"(the caller may still need the old values)", diagnosis="in_place")
    ctx.expect(not out["aliased"], f"sgd_weight_decay_step returned the caller's own array(s) for {out['aliased']}: "
                                   f"return new arrays", diagnosis="in_place")
    return _grad_dict(ctx, "sgd_weight_decay_step(params, grads, lr, lam)", out["new"], params)


@check("sgd_weight_decay_step: (1 − ηλ)W − ηg for weights, b − ηg for biases (L1855)", points=2)
def decay_step(ctx: CheckContext) -> None:
    for size in ctx.cases(SIZES_LOCAL, SIZES_HIDDEN):
        params = _params(ctx, *size)
        grads = {k: ctx.rng.normal(0, 1, v.shape) for k, v in params.items()}
        lr, lam = float(ctx.rng.uniform(0.05, 0.3)), float(ctx.rng.uniform(0.2, 1.5))
        new = _step(ctx, params, grads, lr, lam)
        expected = ref.weight_decay_step(params, grads, lr, lam)
        for k in params:
            w, g = params[k], grads[k]
            _expect(ctx, f"sgd_weight_decay_step(lr={lr:.3g}, lam={lam:.3g})['{k}']", new[k], expected[k], {
                "decays a bias: biases get the plain SGD step b − ηg": ((1 - lr * lam) * w - lr * g, "bias"),
                "decays by λW, not ηλW: in this course decay is coupled to the learning rate, (1 − ηλ)W − ηg (L1855)":
                    (w - lam * w - lr * g, "decoupled"),
                "grows W: the factor is (1 − ηλ), not (1 + ηλ)": ((1 + lr * lam) * w - lr * g, "sign"),
                "decays by 2ηλW: with (λ/2)‖W‖² the step is (1 − ηλ)W − ηg": ((1 - 2 * lr * lam) * w - lr * g,
                                                                                "factor"),
                "is missing the gradient step −ηg": ((1 - lr * lam) * w, "missing_term"),
                "decays after the gradient step, (1 − ηλ)(W − ηg): both terms use the OLD W, (1 − ηλ)W − ηg":
                    ((1 - lr * lam) * (w - lr * g), "mismatch"),
                "decays by ηλW/2: the gradient of (λ/2)‖W‖² is λW, so the step is (1 − ηλ)W − ηg":
                    ((1 - lr * lam / 2) * w - lr * g, "factor"),
            })


@check("weight decay = SGD on the L2-penalized loss: 6 steps on a least-squares loss, both ways", points=2)
def equivalence(ctx: CheckContext) -> None:
    n, d, m = (9, 4, 3) if ctx.official else (7, 3, 2)
    X, Y = ctx.rng.normal(0, 1, (n, d)), ctx.rng.normal(0, 1, (n, m))
    lr, lam = 0.05, 0.8
    decay = {"fc.A": ctx.rng.normal(0, 1, (d, m)), "fc.b": ctx.rng.normal(0, 1, m)}
    penalized = {k: v.copy() for k, v in decay.items()}
    reference = {k: v.copy() for k, v in decay.items()}

    def data_grads(p: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        r = X @ p["fc.A"] + p["fc.b"] - Y  # L = ½ Σ (XA + b − Y)², summed over the batch
        return {"fc.A": X.T @ r, "fc.b": r.sum(axis=0)}

    losses = {"weight decay": [], "SGD on L + (λ/2)‖A‖²": []}
    for t in range(6):
        decay = _step(ctx, decay, data_grads(decay), lr, lam)
        g = data_grads(penalized)
        pen = _grad_dict(ctx, "l2_penalty_grad", ctx.call("l2_penalty_grad", penalized, lam), penalized)
        penalized = {k: penalized[k] - lr * (g[k] + pen[k]) for k in penalized}
        reference = ref.weight_decay_step(reference, data_grads(reference), lr, lam)
        for k in decay:
            ctx.expect_close(f"after step {t + 1}, your weight-decay '{k}' vs SGD on the penalized loss with your "
                             f"l2_penalty_grad", decay[k], penalized[k], rtol=1e-9)
            ctx.expect_close(f"after step {t + 1}, '{k}'", decay[k], reference[k], rtol=1e-9)
        for name, p in (("weight decay", decay), ("SGD on L + (λ/2)‖A‖²", penalized)):
            r = X @ p["fc.A"] + p["fc.b"] - Y
            losses[name].append(0.5 * float(np.sum(r**2)) + lam / 2 * float(np.sum(p["fc.A"] ** 2)))
    ctx.expect(all(math.isfinite(v) for v in losses["weight decay"]), "the penalized loss is not finite")
    ctx.plot("penalized loss L + (λ/2)‖A‖² over 6 steps", losses)
