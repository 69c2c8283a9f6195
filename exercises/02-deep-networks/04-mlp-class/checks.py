"""Checks for `mlp-class` (runs in the grader; the learner's class runs only inside ctx.probe).

The probe builds MLP(widths, seed), writes the grader's parameter values into the arrays parameters()
returns, and calls forward / backward; expected values come from grader.reference_deepnets.
"""

import numpy as np

from grader import reference as ref
from grader import reference_deepnets as rd
from grader.checklib import CheckContext, check
from grader.compare import compare

# Layer widths [D, H1, ..., K]: one layer (no hidden), one hidden layer, two and three hidden layers.
WIDTHS_LOCAL = [[3, 5, 2], [4, 1], [2, 4, 6, 3], [1, 3, 2, 4, 1]]
WIDTHS_HIDDEN = [[5, 7, 3], [3, 2, 5, 2, 2], [6, 2]]
FIT_RUN = {"widths": [1, 16, 1], "steps": 2000, "learning_rate": 0.5}
FIT_TARGET = 0.01  # 1/(2N) Σ (ŷ − y)² on sin(3x); the reference reaches ≤ 0.004 for every seed we tried


def _names(widths: list[int]) -> list[str]:
    return [f"{p}{i}" for i in range(1, len(widths)) for p in ("A", "b")]


def _params(ctx: CheckContext, widths: list[int]) -> list[np.ndarray]:
    params = []
    for d, h in zip(widths[:-1], widths[1:], strict=True):
        params += [ctx.rng.normal(0, 1.5 / np.sqrt(d), (d, h)), ctx.rng.normal(0, 0.5, h)]
    return params


def _unwrap(ctx: CheckContext, out: object, what: str) -> dict:
    ctx.expect(isinstance(out, dict), f"{what}: unexpected result {type(out).__name__}", diagnosis="dtype")
    if "error" in out:
        ctx.fail(f"{what}: {out['error']}. parameters() must return [A1, b1, A2, b2, ...] with A_i of shape "
                 f"(widths[i-1], widths[i]) and b_i of shape (widths[i],): the network's own arrays.",
                 diagnosis="shape")
    return out


def _forward(ctx: CheckContext, widths: list[int], params: list[np.ndarray], X: np.ndarray) -> np.ndarray:
    out = _unwrap(ctx, ctx.probe("forward", widths, params, X, label="MLP.forward"), f"MLP({widths}).forward")
    return ctx.expect_array(f"MLP({widths}).forward(X)", out["Yhat"], (X.shape[0], widths[-1]))


def _backward(ctx: CheckContext, widths: list[int], params: list[np.ndarray], X: np.ndarray, G: np.ndarray,
              repeat: int = 1) -> tuple[list[np.ndarray], np.ndarray]:
    out = _unwrap(ctx, ctx.probe("backward", widths, params, X, G, repeat, label="MLP.backward"),
                  f"MLP({widths}).backward")
    grads = out["grads"]
    ctx.expect(isinstance(grads, list) and len(grads) == len(params),
               f"MLP({widths}).gradients() should return {len(params)} arrays [dA1, db1, ...], one per parameter, in "
               f"the order of parameters()", diagnosis="shape")
    grads = [ctx.expect_array(f"gradients()[{i}] ({name})", g, p.shape)
             for i, (name, g, p) in enumerate(zip(_names(widths), grads, params, strict=True))]
    return grads, ctx.expect_array(f"MLP({widths}).backward(G)", out["dX"], X.shape)


@check("MLP(widths, seed).parameters(): [A1, b1, A2, b2, ...] with the right shapes, fixed by the seed", points=1)
def parameters(ctx: CheckContext) -> None:
    for widths in ctx.cases(WIDTHS_LOCAL, WIDTHS_HIDDEN):
        seed = int(ctx.rng.integers(0, 10_000))
        got = ctx.probe("initial", widths, seed, label="MLP.parameters")
        names = _names(widths)
        ctx.expect(isinstance(got, list) and len(got) == len(names),
                   f"MLP({widths}, seed).parameters() should return the list [{', '.join(names)}] "
                   f"({len(names)} arrays); it returned {len(got) if isinstance(got, list) else type(got).__name__}",
                   diagnosis="shape")
        shapes = [(d, h) for d, h in zip(widths[:-1], widths[1:], strict=True)]
        for i, (name, value) in enumerate(zip(names, got, strict=True)):
            shape = shapes[i // 2] if i % 2 == 0 else (shapes[i // 2][1],)
            ctx.expect_array(f"MLP({widths}).parameters()[{i}] ({name})", value, shape)
        again = ctx.probe("initial", widths, seed, label="MLP.parameters")
        ctx.expect(all(np.array_equal(a, b) for a, b in zip(got, again, strict=True)),
                   f"MLP({widths}, seed={seed}) built twice has different parameters: draw them from "
                   f"np.random.default_rng(seed)", diagnosis="seed")
        ctx.expect(all(np.all(np.isfinite(a)) for a in got) and any(np.any(a != 0) for a in got[::2]),
                   f"MLP({widths}, seed) starts with all-zero (or non-finite) weight matrices: the hidden units would "
                   f"stay identical; draw A_i at random", diagnosis="zeros")


@check("forward: sigmoid after every layer but the last, for any depth", points=2)
def forward(ctx: CheckContext) -> None:
    for widths in ctx.cases(WIDTHS_LOCAL, WIDTHS_HIDDEN):
        for n in (5, 1):
            params = _params(ctx, widths)
            X = ctx.rng.standard_normal((n, widths[0]))
            want = rd.mlp_forward(X, params)[-1]
            got = _forward(ctx, widths, params, X)
            label = f"MLP({widths}).forward(X) for X of shape {X.shape}"
            ctx.expect(not (np.allclose(got, ref.sigmoid(want), rtol=1e-6) and not np.allclose(got, want)),
                       f"{label} has a sigmoid on the output layer: the last layer is linear, Ŷ = H A_L + b_L",
                       diagnosis="mismatch")
            ctx.expect_close(label, got, want)


def _backward_with(X: np.ndarray, params: list[np.ndarray], G: np.ndarray, prime) -> list[np.ndarray]:
    """The gradients [dA1, db1, ...] when the hidden layers' σ' is prime(h), h = that layer's output σ(u)."""
    outputs, h = [], X
    layers = list(zip(params[::2], params[1::2], strict=True))
    for i, (A, b) in enumerate(layers):
        h = h @ A + b
        if i < len(layers) - 1:
            h = ref.sigmoid(h)
        outputs.append(h)
    grads: list[np.ndarray] = []
    for i in range(len(layers) - 1, -1, -1):
        if i < len(layers) - 1:
            G = G * prime(outputs[i])
        grads = [(X if i == 0 else outputs[i - 1]).T @ G, G.sum(axis=0), *grads]
        G = G @ layers[i][0].T
    return grads


SLIPS = {  # the sentence that names the slip: σ' as a function of the hidden layer's output h = σ(u)
    "is missing σ' of a hidden layer: backward through h = σ(u) multiplies by σ'(u) = h ⊙ (1 − h)":
        lambda h: np.ones_like(h),
    "evaluates σ' at the layer's output h, σ(h)(1 − σ(h)): h is already σ(u), so σ'(u) = h ⊙ (1 − h)":
        lambda h: ref.sigmoid(h) * (1 - ref.sigmoid(h)),
}


@check("backward: every parameter's gradient and dX against the reference (sums over the batch)", points=3)
def backward(ctx: CheckContext) -> None:
    for widths in ctx.cases(WIDTHS_LOCAL, WIDTHS_HIDDEN):
        for n in (6, 1):
            params = _params(ctx, widths)
            X = ctx.rng.standard_normal((n, widths[0]))
            G = ctx.rng.standard_normal((n, widths[-1]))  # random upstream gradient, never ones
            grads, dX = _backward(ctx, widths, params, X, G)
            want, want_dX = rd.mlp_backward(X, params, G)
            for name, g, w in zip(_names(widths), grads, want, strict=True):
                label = f"gradient of {name} for MLP({widths}), X of shape {X.shape}"
                if len(widths) > 2 and not compare(label, g, w, batch=n).ok:
                    for why, prime in SLIPS.items():
                        slip = _backward_with(X, params, G, prime)[_names(widths).index(name)]
                        ctx.expect(not compare(label, g, slip).ok, f"{label} {why}", diagnosis="mismatch")
                ctx.expect_close(label, g, w, batch=n)
            ctx.expect_close(f"backward(G) = dL/dX for MLP({widths}), X of shape {X.shape}", dX, want_dX)


@check("gradients agree with central differences of Σ G ⊙ forward(X), per parameter", points=2)
def numerical(ctx: CheckContext) -> None:
    widths = [3, 4, 5, 2] if ctx.official else [2, 4, 3, 2]
    params = _params(ctx, widths)
    X = ctx.rng.standard_normal((5, widths[0]))
    G = ctx.rng.standard_normal((5, widths[-1]))
    names = _names(widths)

    def loss(values: dict[str, np.ndarray]) -> float:
        return float(np.sum(G * _forward(ctx, widths, [values[k] for k in names], values["X"])))

    grads, dX = _backward(ctx, widths, params, X, G)
    analytic = dict(zip(names, grads, strict=True)) | {"X": dX}
    ctx.gradcheck(f"d Σ G⊙Ŷ for MLP({widths})", loss, dict(zip(names, params, strict=True)) | {"X": X}, analytic)


@check("backward replaces the gradients: a second forward/backward gives the same gradients()", points=1)
def replaces(ctx: CheckContext) -> None:
    widths = [3, 4, 2]
    params = _params(ctx, widths)
    X, G = ctx.rng.standard_normal((4, 3)), ctx.rng.standard_normal((4, 2))
    once, _ = _backward(ctx, widths, params, X, G, 1)
    twice, _ = _backward(ctx, widths, params, X, G, 2)
    for name, a, b in zip(_names(widths), once, twice, strict=True):
        ctx.expect(bool(np.allclose(a, b, rtol=1e-12, atol=1e-14)),
                   f"after two forward/backward rounds on the same batch, the gradient of {name} differs from one "
                   f"round{' (it doubled)' if np.allclose(b, 2 * a) else ''}: backward must set the gradients of "
                   f"this batch, not add to those of the last one", diagnosis="double")


def _reference_steps(X: np.ndarray, Y: np.ndarray, params: list[np.ndarray], rate: float,
                     steps: int) -> tuple[list[np.ndarray], list[float]]:
    p = [v.astype(np.float64).copy() for v in params]
    losses = []
    for _ in range(steps):
        R = rd.mlp_forward(X, p)[-1] - Y
        losses.append(0.5 * float(np.sum(R * R)) / len(X))
        grads, _ = rd.mlp_backward(X, p, R / len(X))
        p = [v - rate * g for v, g in zip(p, grads, strict=True)]
    return p, losses


def _train(ctx: CheckContext, X: np.ndarray, Y: np.ndarray, widths: list[int], steps: int, rate: float,
           seed: int) -> tuple[list[np.ndarray], np.ndarray]:
    label = f"train_regression(X, Y, {widths}, {steps}, {rate:g}, seed={seed})"
    got = ctx.expect_tuple(label, ctx.call("train_regression", X, Y, widths, steps, rate, seed), 2)
    params, losses = got
    names = _names(widths)
    ctx.expect(isinstance(params, list) and len(params) == len(names),
               f"{label}[0] should be the list of parameters [{', '.join(names)}]", diagnosis="shape")
    shapes = [s for d, h in zip(widths[:-1], widths[1:], strict=True) for s in ((d, h), (h,))]
    params = [ctx.expect_array(f"{label}[0][{i}] ({n})", p, s)
              for i, (n, p, s) in enumerate(zip(names, params, shapes, strict=True))]
    losses = ctx.expect_array(f"losses from {label}", losses, (steps,))
    ctx.expect(all(np.all(np.isfinite(v)) for v in [*params, losses]), f"{label} returned NaN or inf: the training "
                                                                       f"diverged", diagnosis="nan")
    return params, losses


@check("train_regression: MLP(widths, seed), then `steps` gradient-descent steps on 1/(2N) Σ‖ŷ − y‖²", points=2)
def steps(ctx: CheckContext) -> None:
    widths = [2, 4, 3, 2] if ctx.official else [3, 5, 2]
    X, Y = ctx.rng.standard_normal((7, widths[0])), ctx.rng.standard_normal((7, widths[-1]))
    seed = int(ctx.rng.integers(0, 10_000))
    start, _ = _train(ctx, X, Y, widths, 0, 0.5, seed)
    initial = ctx.probe("initial", widths, seed, label="MLP.parameters")
    for name, a, b in zip(_names(widths), start, initial, strict=True):
        ctx.expect_close(f"{name} from train_regression(..., steps=0, seed={seed}) against MLP(widths, seed)", a,
                         np.asarray(b))
    rate, k = (float(ctx.rng.uniform(0.2, 0.8)), 4) if ctx.official else (0.5, 5)
    got, losses = _train(ctx, X, Y, widths, k, rate, seed)
    want, want_losses = _reference_steps(X, Y, start, rate, k)
    if not all(compare("", a, b).ok for a, b in zip(got, want, strict=True)):
        summed, _ = _reference_steps(X, Y, start, rate * len(X), k)
        ctx.expect(not all(compare("", a, b).ok for a, b in zip(got, summed, strict=True)),
                   f"train_regression(..., steps={k}) takes steps {len(X)} times too large (N = {len(X)}): the "
                   f"gradient of L = 1/(2N) Σ‖ŷ − y‖² with respect to Ŷ is (Ŷ − Y)/N, not Ŷ − Y",
                   diagnosis="batch_factor")
    label = f"losses from train_regression(..., steps={k}) (the loss before each step)"
    after = np.array(_reference_steps(X, Y, start, rate, k + 1)[1][1:])
    ctx.expect(not (compare(label, losses, after).ok and not compare(label, after, np.array(want_losses)).ok),
               f"losses from train_regression(..., steps={k}) is the loss AFTER each step: record "
               f"losses[t] before step t changes the parameters (losses[0] is the loss at the start)", diagnosis="accuracy")
    ctx.expect(not compare(label, losses, 2 * np.array(want_losses)).ok,
               f"{label} are twice the loss: L = 1/(2N) Σ‖ŷ − y‖² has the factor ½ (its gradient is then (Ŷ − Y)/N)",
               diagnosis="factor")
    ctx.expect_close(label, losses, np.array(want_losses), batch=len(X))
    for name, a, b in zip(_names(widths), got, want, strict=True):
        ctx.expect_close(f"{name} after train_regression(..., steps={k}, learning_rate={rate:g}), against {k} steps "
                         f"of gradient descent from steps=0", a, b)


@check("train_regression fits sin(3x): loss below 0.01, computed by the grader from your parameters", points=2)
def fits(ctx: CheckContext) -> None:
    X = np.sort(ctx.rng.uniform(-1.0, 1.0, (40, 1)), axis=0)
    Y = np.sin(3.0 * X)
    seed = int(ctx.rng.integers(0, 10_000))
    params, losses = _train(ctx, X, Y, FIT_RUN["widths"], FIT_RUN["steps"], FIT_RUN["learning_rate"], seed)
    # The parameters must be those the descent reaches from MLP(widths, seed), rerun here (the runs agree to ~1e-14):
    # parameters stored for this data set cannot stand in for training.
    initial = ctx.probe("initial", FIT_RUN["widths"], seed, label="MLP.parameters")
    want, _ = _reference_steps(X, Y, [np.asarray(v, dtype=np.float64) for v in initial], FIT_RUN["learning_rate"],
                               FIT_RUN["steps"])
    for name, a, b in zip(_names(FIT_RUN["widths"]), params, want, strict=True):
        ctx.expect(bool(np.allclose(a, b, rtol=1e-6, atol=1e-8)),
                   f"{name} returned by train_regression(X, Y, {FIT_RUN['widths']}, {FIT_RUN['steps']}, "
                   f"{FIT_RUN['learning_rate']}, seed={seed}) is not what {FIT_RUN['steps']} steps of gradient descent "
                   f"from MLP({FIT_RUN['widths']}, {seed}) reach (run by the grader with the exact gradients). If the "
                   f"backward and step checks fail, fix those first; otherwise return the parameters your own "
                   f"training reached", diagnosis="accuracy")
    R = rd.mlp_forward(X, params)[-1] - Y
    loss = 0.5 * float(np.sum(R * R)) / len(X)
    ctx.plot(f"training loss, MLP({FIT_RUN['widths']}) on sin(3x) (seed {seed})", {"1/(2N) Σ(ŷ − y)²": losses},
             log_y=True)
    ctx.expect(loss < FIT_TARGET, f"after {FIT_RUN['steps']} steps with learning_rate {FIT_RUN['learning_rate']}, "
                                  f"MLP({FIT_RUN['widths']}) reaches a loss of {loss:.4g} on 40 points of sin(3x) "
                                  f"(computed from the parameters you returned); the target is {FIT_TARGET}. If the "
                                  f"gradient checks pass, look at the update in train_regression.",
               diagnosis="accuracy")
