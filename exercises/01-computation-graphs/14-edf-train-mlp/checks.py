"""Checks for `edf-train-mlp` (runs in the grader; learner code only through ctx.probe).

The accuracies are computed HERE, with grader.reference, from the parameter arrays train()
returns: predictions made in the learner's process could be forged. The first check walks the
learner's whole network back from the loss (grader/graphwalk.py) so that a wrong gradient is
pinned to the node where it starts.
"""

import numpy as np

from grader import graphwalk as gw
from grader import reference as ref
from grader.checklib import CheckContext, check

# The notes' network, L856-860: h = Sigmoid(Affine(params_1, x)); p = Softmax(Affine(params_2, h)).
SPEC = [["Affine", "P1", "x"], ["Sigmoid", "#0"], ["Affine", "P2", "#1"], ["Softmax", "#2"],
        ["CrossEntropyLoss", "#3", "y"]]
GRAPH = ["edf.affine.Affine", "edf.sigmoid.Sigmoid", "edf.affine.Affine", "edf.softmax.Softmax",
         "edf.loss.CrossEntropyLoss"]
XOR_X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
XOR_Y = np.array([0, 1, 1, 0])  # L1003-1007
XOR_RUN = {"n_hidden": 4, "iterations": 1000, "learning_rate": 2.0}
MOONS_RUN = {"n_hidden": 10, "iterations": 1500, "learning_rate": 3.0}
MOONS_TARGET = 0.95
RESTARTS = 3  # seeds tried: a plateau or a poor start may need another (curriculum E2.10)


def _objects(ctx: CheckContext, n: int, d: int, h: int, c: int) -> dict:
    """Inputs and parameters that keep the hidden units away from the clamp at |x| = 10."""
    return {"x": {"kind": "input", "value": ctx.rng.standard_normal((n, d))},
            "y": {"kind": "input", "value": ctx.rng.integers(0, c, size=n)},
            "P1": {"kind": "params", "A": ctx.rng.normal(0, 0.7, (d, h)), "b": ctx.rng.normal(0, 0.3, h)},
            "P2": {"kind": "params", "A": ctx.rng.normal(0, 0.7, (h, c)), "b": ctx.rng.normal(0, 0.3, c)}}


@check("gradients of your whole network: the walk from the loss back to x", points=4)
def network_gradients(ctx: CheckContext) -> None:
    n, d, h, c = (7, 3, 5, 4) if not ctx.official else (11, 2, 6, 3)
    objects = _objects(ctx, n, d, h, c)
    # Your Forward, and your Backward twice: the second pass shows gradients that were not zeroed.
    dump = ctx.probe("graph_dump", objects, SPEC, "learner", 2)
    finding = gw.walk(dump)
    if finding is not None:
        ctx.fail(finding.message, diagnosis=finding.diagnosis, details=finding.details)
    # Every node agreed with the reference; confirm the whole chain end to end as well.
    names = [f"{p}.{t}" for p in ("P1", "P2") for t in ("A", "b")]
    values = {name: objects[name[:2]][name[3:]] for name in names}
    analytic = {name: ctx.expect_array(f"{name}.grad after Backward", dump["objects"][name]["grad"],
                                       values[name].shape) for name in names}

    def mean_loss(perturbed: dict[str, np.ndarray]) -> float:
        changed = {key: dict(obj) for key, obj in objects.items()}
        for name, value in perturbed.items():
            changed[name[:2]][name[3:]] = value
        return float(ctx.probe("graph_loss", changed, SPEC))

    ctx.gradcheck("d mean(L) / d parameters of your network", mean_loss, values, analytic)


def _train(ctx: CheckContext, X: np.ndarray, y: np.ndarray, run: dict, seed: int) -> tuple[dict, dict]:
    out = ctx.probe("train_inspect", X, y, run["n_hidden"], run["iterations"], run["learning_rate"], seed)
    result = out["result"]
    ctx.expect(isinstance(result, dict), f"train(...) should return a dict of arrays with keys A1, b1, A2, b2; it "
                                         f"returned {type(result).__name__}", diagnosis="dtype")
    d, h, c = X.shape[1], run["n_hidden"], int(y.max()) + 1
    shapes = {"A1": (d, h), "b1": (h,), "A2": (h, c), "b2": (c,)}
    params = {key: ctx.expect_array(f"train(...)[{key!r}]", result.get(key), shape) for key, shape in shapes.items()}
    for key, value in params.items():
        ctx.expect(bool(np.all(np.isfinite(value))), f"train(...)[{key!r}] contains NaN or inf: the training "
                                                     f"diverged.", diagnosis="nan")
    return params, out


def _predict(X: np.ndarray, params: dict) -> np.ndarray:
    """The notes' network, in the grader: Affine, the clamped edf Sigmoid, Affine, Softmax."""
    hidden = ref.edf_sigmoid_forward(ref.affine_forward(X, params["A1"], params["b1"]))
    return ref.softmax(ref.affine_forward(hidden, params["A2"], params["b2"]))


def _fit(ctx: CheckContext, X: np.ndarray, y: np.ndarray, run: dict, target: float, what: str) -> None:
    first = int(ctx.rng.integers(0, 10_000))
    tried = []
    for seed in range(first, first + RESTARTS):
        params, _ = _train(ctx, X, y, run, seed)
        P = _predict(X, params)
        accuracy = float(np.mean(np.argmax(P, axis=1) == y))
        if accuracy >= target:
            return
        tried.append((seed, accuracy, float(np.mean(ref.cross_entropy(np.clip(P, 1e-300, 1.0), y)))))
    runs = "; ".join(f"seed {s}: {a:.0%} correct, mean loss {loss:.3g}" for s, a, loss in tried)
    ctx.fail(f"On {what}, after {run['iterations']} iterations with learning_rate {run['learning_rate']} and "
             f"{run['n_hidden']} hidden units, your trained network stays below {target:.0%} training accuracy "
             f"({runs}). The reference edf reaches it with these settings. If the gradient walk passes, look at "
             f"train(): the learning rate must reach edf.core.learning_rate, every iteration must run Forward, "
             f"Backward and UpdateParameters, and the seed must go to AffineParams.", diagnosis="accuracy")


@check("train() builds the notes' graph with your edf and returns its Parameters", points=2)
def builds_graph(ctx: CheckContext) -> None:
    params, out = _train(ctx, XOR_X, XOR_Y, {**XOR_RUN, "iterations": 3}, int(ctx.rng.integers(0, 10_000)))
    ctx.expect(out["nodes"] == GRAPH,
               f"After train(), CompNodes should hold the notes' graph (L856-860), {', '.join(GRAPH)}, built "
               f"with your edf classes; it holds {out['nodes'] or 'nothing'}.", diagnosis="structure")
    for key, value in params.items():
        ctx.expect(any(p.shape == value.shape and np.array_equal(p, value) for p in out["parameters"]),
                   f"train(...)[{key!r}] is not the value of any edf Parameter: return the trained "
                   f"params.A.value / params.b.value of your AffineParams.", diagnosis="structure")


def _reference_steps(X: np.ndarray, y: np.ndarray, params: dict, rate: float, steps: int) -> dict:
    """Full-batch gradient descent on the mean cross-entropy, all with grader.reference."""
    p = {key: value.astype(np.float64).copy() for key, value in params.items()}
    for _ in range(steps):
        hidden = ref.edf_sigmoid_forward(ref.affine_forward(X, p["A1"], p["b1"]))
        P = ref.softmax(ref.affine_forward(hidden, p["A2"], p["b2"]))
        g_scores = ref.softmax_backward(P, ref.cross_entropy_backward(P, y, np.ones(len(y)) / len(y)))
        g_hidden, g_A2, g_b2 = ref.affine_backward(g_scores, hidden, p["A2"])
        _, g_A1, g_b1 = ref.affine_backward(ref.edf_sigmoid_backward(hidden, g_hidden), X, p["A1"])
        for key, grad in (("A1", g_A1), ("b1", g_b1), ("A2", g_A2), ("b2", g_b2)):
            p[key] -= rate * grad
    return p


@check("train() takes `iterations` gradient-descent steps of size `learning_rate`", points=2)
def gradient_steps(ctx: CheckContext) -> None:
    seed = int(ctx.rng.integers(0, 10_000))
    rate, steps = (0.7, 5) if not ctx.official else (float(ctx.rng.uniform(0.3, 1.5)), 4)
    run = {**XOR_RUN, "learning_rate": rate}
    start, _ = _train(ctx, XOR_X, XOR_Y, {**run, "iterations": 0}, seed)
    again, _ = _train(ctx, XOR_X, XOR_Y, {**run, "iterations": 0}, seed)
    ctx.expect(all(np.array_equal(start[key], again[key]) for key in start),
               "train(..., iterations=0, seed=s) returned different parameters on two calls with the same seed: "
               "create rng = np.random.default_rng(seed) and pass it to both AffineParams.", diagnosis="seed")
    got, _ = _train(ctx, XOR_X, XOR_Y, {**run, "iterations": steps}, seed)
    expected = _reference_steps(XOR_X, XOR_Y, start, rate, steps)
    if not all(np.allclose(got[key], expected[key], rtol=1e-6, atol=1e-12) for key in got):
        if all(np.allclose(got[key], value, rtol=1e-6) for key, value in
               _reference_steps(XOR_X, XOR_Y, start, 0.5, steps).items()):
            ctx.fail(f"train(..., learning_rate={rate:g}) stepped with edf's default learning rate 0.5: set "
                     f"edf.core.learning_rate = learning_rate before the loop.", diagnosis="learning_rate")
        for taken in range(3 * steps + 1):
            if taken != steps and all(np.allclose(got[key], value, rtol=1e-6) for key, value in
                                      _reference_steps(XOR_X, XOR_Y, start, rate, taken).items()):
                ctx.fail(f"train(..., iterations={steps}) took {taken} gradient-descent steps, not {steps}: one "
                         f"Forward(), Backward(L), UpdateParameters() per iteration.", diagnosis="iterations")
    for key in ("A1", "b1", "A2", "b2"):
        ctx.expect_close(f"train(..., iterations={steps}, learning_rate={rate:g})[{key!r}], against {steps} steps of "
                         f"gradient descent from train(..., iterations=0) with the same seed", got[key],
                         expected[key])


@check("XOR: 100% training accuracy", points=2)
def xor(ctx: CheckContext) -> None:
    _fit(ctx, XOR_X, XOR_Y, XOR_RUN, 1.0, "XOR (4 points, notes L1003-1007)")


def _moons(rng: np.random.Generator, n: int = 60, noise: float = 0.15) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaved half circles (a curved boundary), standardized."""
    t = rng.uniform(0.0, np.pi, size=n)
    upper = np.arange(n) < n // 2
    X = np.where(upper[:, None], np.c_[np.cos(t), np.sin(t)], np.c_[1 - np.cos(t), 0.5 - np.sin(t)])
    X = X + rng.normal(0.0, noise, size=X.shape)
    return (X - X.mean(axis=0)) / X.std(axis=0), (~upper).astype(np.int64)


@check("two moons: at least 95% training accuracy", points=2)
def moons(ctx: CheckContext) -> None:
    X, y = _moons(ctx.rng)
    _fit(ctx, X, y, MOONS_RUN, MOONS_TARGET, "two interleaved moons (60 points)")
