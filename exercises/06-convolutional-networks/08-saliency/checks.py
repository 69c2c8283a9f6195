"""Checks for `saliency-gradient` (runs in the grader; learner code only through ctx.call).

The reference gradient is built from grader.reference_conv; the learner's input_gradient is also
compared with central differences of the learner's own (given) scores function. Inputs keep the
ReLU away from its kink and the max-pooling free of ties, so those differences are meaningful.
"""

import numpy as np

from grader import reference_conv as rc
from grader.checklib import CheckContext, check
from grader.compare import compare

# x shape (N, C, H, W), classes K
CASES_LOCAL = [((2, 1, 6, 6), 3), ((1, 2, 4, 8), 2), ((3, 3, 6, 4), 4)]
CASES_HIDDEN = [((4, 2, 8, 6), 3), ((1, 1, 2, 2), 2)]


def _setup(ctx: CheckContext, xs, k):
    n, c, h, w = xs
    params = {"W1": ctx.rng.normal(0, 0.5, size=(4, c, 3, 3)), "b1": ctx.rng.normal(0, 0.1, size=4),
              "A": ctx.rng.normal(0, 0.5, size=(4 * (h // 2) * (w // 2), k)), "b": ctx.rng.normal(0, 0.1, size=k)}
    x = ctx.rng.normal(size=xs)
    for _ in range(20):  # resample until no pre-activation sits near the ReLU kink and no pooling window ties
        z = rc.conv2d_forward(x, params["W1"], params["b1"], 1, 1)
        h_ = np.maximum(z, 0.0)
        windows = h_.reshape(n, 4, h // 2, 2, w // 2, 2).transpose(0, 1, 2, 4, 3, 5).reshape(n, 4, h // 2, w // 2, 4)
        top = np.sort(windows, axis=-1)
        if np.min(np.abs(z)) > 1e-3 and np.all((top[..., -1] - top[..., -2] > 1e-3) | (top[..., -1] == 0)):
            break
        x = ctx.rng.normal(size=xs)
    # Consecutive images ask for different classes, whatever the seed: a seed of class c[0] for every image,
    # or of every class in c for every image, cannot pass by luck.
    return params, x, (int(ctx.rng.integers(0, k)) + np.arange(n) * int(ctx.rng.integers(1, k))) % k


def _reference_gradient(params, x, c, seed=None):
    z = rc.conv2d_forward(x, params["W1"], params["b1"], 1, 1)
    h = np.maximum(z, 0.0)
    pooled = rc.maxpool_forward(h, 2)
    g = np.zeros((len(x), params["A"].shape[1])) if seed is None else seed
    if seed is None:
        g[np.arange(len(x)), c] = 1.0
    dz = rc.maxpool_backward((g @ params["A"].T).reshape(pooled.shape), h, 2) * (z > 0)
    return rc.conv2d_backward(dz, x, params["W1"], 1, 1)[0]


def _softmax_seed(params, x, c):
    """The gradient of the softmax PROBABILITY of class c instead of its score: p_c (onehot − p)."""
    z = rc.conv2d_forward(x, params["W1"], params["b1"], 1, 1)
    s = rc.maxpool_forward(np.maximum(z, 0.0), 2).reshape(len(x), -1) @ params["A"] + params["b"]
    p = np.exp(s - s.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    onehot = np.eye(s.shape[1])[c]
    return p[np.arange(len(x)), c][:, None] * (onehot - p)


def _expect(ctx: CheckContext, label: str, got, expected, known: dict) -> None:
    result = compare(label, got, expected)
    if result.ok:
        return
    if isinstance(got, np.ndarray) and got.shape == expected.shape:
        for why, value in known.items():
            if compare(label, got, value).ok:
                ctx.fail(f"{label} {why}", diagnosis="mismatch", details=result.details)
    ctx.fail(result.explanation, diagnosis=result.diagnosis, details=result.details)


@check("input_gradient: ∂ score of class c / ∂ x, through your layers", points=4)
def gradient(ctx: CheckContext) -> None:
    for xs, k in ctx.cases(CASES_LOCAL, CASES_HIDDEN):
        params, x, c = _setup(ctx, xs, k)
        label = f"input_gradient for x {xs}, {k} classes"
        got = ctx.expect_array(label, ctx.call("input_gradient", params, x, c), xs)
        expected = _reference_gradient(params, x, c)
        all_classes = _reference_gradient(params, x, c, np.ones((xs[0], k)))
        _expect(ctx, label, got, expected, {
            "is the gradient of the softmax probability of class c; saliency uses the class SCORE itself "
            "(L3414), before any softmax": _reference_gradient(params, x, c, _softmax_seed(params, x, c)),
            "is the gradient of the sum of ALL class scores: seed only class c[n] of each image with 1":
                all_classes,
        })
    xs, k = CASES_LOCAL[0]
    params, x, c = _setup(ctx, xs, k)
    got = ctx.expect_array("input_gradient", ctx.call("input_gradient", params, x, c), xs)

    def score(inputs: dict) -> float:
        s = ctx.expect_array("scores", ctx.call("scores", params, inputs["x"]), (xs[0], k))
        return float(np.sum(s[np.arange(xs[0]), c]))

    ctx.gradcheck("d Σ_n scores[n, c[n]] / d x (your scores)", score, {"x": x}, {"x": got})


@check("saliency_map: the largest |gradient| over the channels, per pixel", points=3)
def saliency(ctx: CheckContext) -> None:
    for xs, k in ctx.cases(CASES_LOCAL, CASES_HIDDEN):
        params, x, c = _setup(ctx, xs, k)
        label = f"saliency_map for x {xs}, {k} classes"
        grad = _reference_gradient(params, x, c)
        expected = np.abs(grad).max(axis=1)
        got = ctx.expect_array(label, ctx.call("saliency_map", params, x, c), (xs[0], xs[2], xs[3]))
        known = {"is the sum of |gradient| over the channels; the map takes the MAXIMUM over channels":
                 np.abs(grad).sum(axis=1),
                 "is missing the absolute value: the map shows magnitudes, max over channels of |∂s/∂x|":
                 grad.max(axis=1)}
        if xs[1] > 1:
            _expect(ctx, label, got, expected, known)
        else:
            _expect(ctx, label, got, expected, {k_: v for k_, v in known.items() if "absolute" in k_})
