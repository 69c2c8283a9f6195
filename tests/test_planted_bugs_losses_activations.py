"""Hand-planted bugs in the chapter-4 reference solutions (losses and activations) that the automatic mutation
sweep (grader/mutants.py: one operator, constant, axis or .T at a time) would not produce. Each must lose points,
and where the grader can name the mistake, it must name it (the diagnosis code the hints are keyed on).

Each row: (exercise id, what the bug is, text of the reference solution, what replaces it, diagnosis or None).
"""

from __future__ import annotations

import pytest
from planted import assert_loses_points, grade_with_bug

from grader.catalog import Exercise, default_catalog
from grader.workspace import Workspace

RL, BCE, SCE = "regression-losses", "bce-probs-logits", "softmax-log-softmax-ce"
ACT, PM, NG = "activations-forward-backward", "prelu-maxout", "numerical-gradient-checker"
STD, INIT, QUIZ = "standardize-train-only", "init-xavier-he", "quiz-losses-activations"

LAPLACE = "return float(np.sum(np.log(2.0) + log_b + np.abs(y - mu) * np.exp(-log_b)))"
LAPLACE_GRAD = "return np.sign(mu - y) * inv_b, 1.0 - np.abs(y - mu) * inv_b"
LOGITS_LOSS = "return float(np.sum(np.maximum(s, 0.0) - s * y + np.log1p(np.exp(-np.abs(s)))))"
CE_LOSS = "return float(-np.sum(log_softmax(S)[np.arange(S.shape[0]), y]))"
DALPHA = "dalpha = np.sum(np.where(negative, X * G, 0.0), axis=0)"
SPLIT = "return transform(X_train, mean, std), transform(X_test, mean, std)"
XAVIER = 'return np.random.default_rng(seed).standard_normal((d_in, d_out)) * _std("xavier", d_in)'
LAYER = ('        u = h @ W\n        h = np.tanh(u) if activation == "tanh" else np.maximum(u, 0.0)\n'
         '        stds[layer] = np.std(h)')

BUGS = [
    # regression-losses: sums, not means; the factor 2; the subgradient 0; the constant log 2; the 1 of d/ds s
    (RL, "L2 loss averaged", "return float(np.sum((yhat - y) ** 2))", "return float(np.mean((yhat - y) ** 2))",
     "batch_factor"),
    (RL, "L2 gradient without the 2", "return 2.0 * (yhat - y)", "return yhat - y", "factor"),
    (RL, "L1 gradient -1 at ties", "return np.sign(yhat - y)", "return np.where(yhat > y, 1.0, -1.0)", None),
    (RL, "Laplace loss without log 2", LAPLACE, LAPLACE.replace("np.log(2.0) + ", ""), "missing_term"),
    (RL, "d_log_b without the 1 from log b", LAPLACE_GRAD, LAPLACE_GRAD.replace("1.0 - ", "-"), "missing_term"),
    # bce-probs-logits: clipping, the naive sigmoid, hard-label-only code, a mean gradient
    (BCE, "p clipped to [1e-7, 1 - 1e-7]", "return float(-np.sum(y * np.log(p)",
     "p = np.clip(p, 1e-7, 1 - 1e-7)\n    return float(-np.sum(y * np.log(p)", None),
    (BCE, "loss from logits through σ(s)", LOGITS_LOSS,
     "q = 1 / (1 + np.exp(-s))\n    return float(-np.sum(y * np.log(q) + (1 - y) * np.log(1 - q)))", "overflow"),
    (BCE, "loss from logits for 0/1 labels only", LOGITS_LOSS,
     "sp = np.maximum(s, 0.0) + np.log1p(np.exp(-np.abs(s)))\n    return float(np.sum(np.where(y == 1, sp - s, sp)))",
     None),
    (BCE, "logit gradient averaged", "return sigma - y", "return (sigma - y) / s.size", "batch_factor"),
    # softmax-log-softmax-ce: stabilization per row, log of an underflowed softmax, ones-upstream, fancy indexing
    (SCE, "softmax shifted by the global max", "E = np.exp(S - np.max(S, axis=1, keepdims=True))",
     "E = np.exp(S - np.max(S))", "overflow"),
    (SCE, "log_softmax as log(softmax)", "return shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))",
     "return np.log(softmax(S))", "overflow"),
    (SCE, "log_softmax_backward for an all-ones upstream", "return G - softmax(S) * np.sum(G, axis=1, keepdims=True)",
     "return G - softmax(S)", None),
    (SCE, "CE loss as log(softmax) at the label", CE_LOSS,
     "return float(-np.sum(np.log(softmax(S))[np.arange(S.shape[0]), y]))", "overflow"),
    (SCE, "CE gradient with grad[:, y]", "grad[np.arange(S.shape[0]), y] -= 1.0", "grad[:, y] -= 1.0", None),
    (SCE, "CE loss averaged", CE_LOSS, CE_LOSS.replace("-np.sum(", "-np.mean("), "batch_factor"),
    # activations-forward-backward: defaults, ignored parameters, the notes' overflowing tanh, the wrong variable
    (ACT, "leaky ReLU default slope 0.1", "def leaky_relu(x: np.ndarray, slope: float = 0.01)",
     "def leaky_relu(x: np.ndarray, slope: float = 0.1)", None),
    (ACT, "ELU backward without α", "return np.where(x > 0, g, g * alpha * np.exp(np.minimum(x, 0.0)))",
     "return np.where(x > 0, g, g * np.exp(np.minimum(x, 0.0)))", None),
    (ACT, "tanh by the notes' formula", "return np.tanh(x)", "return 2.0 / (1.0 + np.exp(-2.0 * x)) - 1.0",
     "overflow"),
    (ACT, "tanh backward as 1 - x²", "return g * (1.0 - np.tanh(x) ** 2)", "return g * (1.0 - x ** 2)", None),
    (ACT, "ReLU backward masked by g", "return np.where(x > 0, g, 0.0)", "return np.where(g > 0, g, 0.0)", None),
    # prelu-maxout: alpha per row where the shape allows it, dα per example or averaged, strides, ties
    (PM, "α broadcast along rows when X is square", "return np.where(X > 0, X, alpha * X)",
     "return np.where(X > 0, X, (alpha[:, None] if X.shape[0] == X.shape[1] else alpha) * X)", None),
    (PM, "dα not summed over the batch", DALPHA, "dalpha = np.where(negative, X * G, 0.0)", "not_summed"),
    (PM, "dα averaged over the batch", DALPHA, DALPHA.replace("np.sum(", "np.mean("), "batch_factor"),
    (PM, "maxout groups strided", "return Z.reshape(n, -1, k).max(axis=-1)", "return Z.reshape(n, k, -1).max(axis=1)",
     None),
    (PM, "maxout ties to the last column", "winner = np.argmax(groups, axis=-1)[..., None]",
     "winner = (k - 1 - np.argmax(groups[..., ::-1], axis=-1))[..., None]", "tie"),
    # numerical-gradient-checker: restore, one-sided, 2h, h passed on, the denominator
    (NG, "coordinate not restored", "        base[index] = old\n        grad[index]", "        grad[index]", None),
    (NG, "one-sided quotient", "        base[index] = old - h\n        down = f(base)",
     "        base[index] = old\n        down = f(base)", "one_sided"),
    (NG, "divided by h", "grad[index] = (up - down) / (2.0 * h)", "grad[index] = (up - down) / h", "factor"),
    (NG, "check_gradient drops h", "    return relative_error(grad_f(x), numerical_gradient(f, x, h))",
     "    return relative_error(grad_f(x), numerical_gradient(f, x))", "step"),
    (NG, "relative error over max(|a|, |b|)", "np.maximum(1e-8, np.abs(a) + np.abs(b))",
     "np.maximum(1e-8, np.maximum(np.abs(a), np.abs(b)))", "relative_error"),
    # standardize-train-only: ddof, leaks, clamping, the constant rule
    (STD, "1/(N-1) std", "std = np.std(X_train, axis=0)", "std = np.std(X_train, axis=0, ddof=1)", "ddof"),
    (STD, "test set standardized with its own statistics", SPLIT,
     "return transform(X_train, mean, std), transform(X_test, *fit_standardizer(X_test))", "leak"),
    (STD, "statistics of train and test together", SPLIT,
     "both = fit_standardizer(np.vstack([X_train, X_test]))\n    return transform(X_train, mean, std), "
     "transform(X_test, *both)", "leak"),
    (STD, "std clamped to at least 1", "return mean, np.where(std == 0, 1.0, std)", "return mean, np.maximum(std, 1.0)",
     None),
    (STD, "constant features get std 0", "return mean, np.where(std == 0, 1.0, std)", "return mean, std", "constant"),
    # init-xavier-he: Glorot's variance, uniform, the global RNG, the drawing order, ddof, the layer index
    (INIT, "Glorot's 2/(D_in + D_out)", XAVIER, XAVIER.replace('_std("xavier", d_in)', "np.sqrt(2.0 / (d_in + d_out))"),
     "std"),
    (INIT, "uniform Xavier", XAVIER, XAVIER.replace("standard_normal((d_in, d_out)) * _std(\"xavier\", d_in)",
                                                    "uniform(-1, 1, (d_in, d_out)) * np.sqrt(3.0 / d_in)"),
     "distribution"),
    (INIT, "He from the global RNG", 'return np.random.default_rng(seed).standard_normal((d_in, d_out)) * _std("he"',
     'return np.random.standard_normal((d_in, d_out)) * _std("he"', "seed"),
    (INIT, "a fresh RNG for every layer", "W = rng.standard_normal((d_in, width))",
     "W = np.random.default_rng(seed).standard_normal((d_in, width))", None),
    (INIT, "activation std with ddof=1", "stds[layer] = np.std(h)", "stds[layer] = np.std(h, ddof=1)", "factor"),
    (INIT, "std recorded before the layer", LAYER,
     '        stds[layer] = np.std(h)\n        u = h @ W\n        h = np.tanh(u) if activation == "tanh" else '
     'np.maximum(u, 0.0)', None),
    # quiz-losses-activations: the variance for the std, the notes' rounded ε, the mean for the median
    (QUIZ, "q2 answered with the variance", 'q2 = "1/16"', 'q2 = "1/256"', "mismatch"),
    (QUIZ, "q4 with ε = 1e-16", "q4 = 6.0555e-6", "q4 = 4.64e-6", "mismatch"),
    (QUIZ, "q5 answered with the mean", "q5 = 3\n", "q5 = 7.2\n", "mismatch"),
]

# What the message of a failing check must say, for bugs whose message was written for them.
SAYS = {
    "Laplace loss without log 2": "log 2 of every entry",
    "leaky ReLU default slope 0.1": "should be 0.01",
    "maxout ties to the last column": "FIRST (lowest) column",
    "divided by h": "divide by 2h",
    "check_gradient drops h": "pass the given h on",
    "constant features get std 0": "std is 1",
    "activation std with ddof=1": "ddof=1",
    "q4 with ε = 1e-16": "rounded ε = 1e-16",
}

EXERCISES = {e.id: e for e in default_catalog()}


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    return Workspace.init(tmp_path_factory.mktemp("planted-ch4") / "ws", solutions=True)


@pytest.mark.parametrize(("exercise_id", "what", "old", "new", "diagnosis"), BUGS,
                         ids=[f"{b[0]}: {b[1]}" for b in BUGS])
def test_planted_bug_loses_points(workspace: Workspace, exercise_id: str, what: str, old: str, new: str,
                                  diagnosis: str | None) -> None:
    exercise: Exercise = EXERCISES[exercise_id]
    result = grade_with_bug(workspace, exercise, old, new)
    assert_loses_points(result, what, diagnosis=diagnosis, message=SAYS.get(what))


def test_every_message_expectation_names_a_planted_bug() -> None:
    assert set(SAYS) <= {b[1] for b in BUGS}
