"""Hand-planted bugs in the chapter-3 reference solutions (multi-token slips the mutation sweep does not make):
each must cost points, and where the checks promise to name the slip, the message must name it.

Each row: (exercise id, what the bug is, old text in the reference solution, new text, a substring the
failing messages must contain or None). The old text must occur exactly once in the solution file.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from planted import assert_loses_points, failure_report, grade_with_bug

from grader.catalog import default_catalog
from grader.workspace import Workspace

CATALOG = {e.id: e for e in default_catalog()}

BUGS: list[tuple[str, str, str, str, str | None]] = [
    # --- bilinear-loops-njit (numba + cuda) ---
    ("bilinear-loops-njit", "σ' evaluated at Y = σ(U) in the loops",
     "s = sigmoid(U[h, i, j])\n", "s = sigmoid(sigmoid(U[h, i, j]))\n", "evaluates σ' at Y"),
    ("bilinear-loops-njit", "B_grad accumulated for h = 0 only (the erratum's lost index)",
     "B_grad[h, j, k] += U_grad[h, i, j] * A[h, i, k]", "B_grad[0, j, k] += U_grad[h, i, j] * A[h, i, k]",
     "collects every h into h = 0"),
    ("bilinear-loops-njit", "σ' at Y = σ(U) in sigmoid_backward_kernel (cuda)",
     "        s = sigmoid_device(U[h, i, j])\n        U_grad",
     "        s = sigmoid_device(sigmoid_device(U[h, i, j]))\n        U_grad",
     "evaluates σ' at Y = σ(U) in sigmoid_backward_kernel"),
    ("bilinear-loops-njit", "grad_b_kernel without its bounds guard (cuda)",
     "if h < B_grad.shape[0] and j < B_grad.shape[1] and k < B_grad.shape[2]:", "if True:", "outside an array"),
    # --- mlp-backprop-loops (numba + numpy) ---
    ("mlp-backprop-loops", "σ' taken at H (σ(σ(u))) in the loops",
     "du = dh * H[s, j] * (1.0 - H[s, j])", "du = dh * sigmoid(H[s, j]) * (1.0 - sigmoid(H[s, j]))",
     "evaluates σ' at H"),
    ("mlp-backprop-loops", "mean over the batch instead of the sum in the vectorized backward",
     "G2 = Yhat - Y\n", "G2 = (Yhat - Y) / len(X)\n", "averaged where the sum was expected"),
    ("mlp-backprop-loops", "dA1 as the (N, D, H) outer product of L951",
     "return X.T @ G1,", "return (X[:, :, None] * G1[:, None, :]).sum(axis=0),", "(N, D, H)"),
    # --- xor-mlp ---
    ("xor-mlp", "bias compared instead of added: [wᵀx > w0]",
     "return (X @ w + w0 > 0).astype(np.int64)", "return (X @ w > w0).astype(np.int64)", "the bias is added"),
    ("xor-mlp", "xor_network puts the units in the rows of A1, not its columns",
     "A1 = scale * np.column_stack([w_or, w_nand])", "A1 = scale * np.vstack([w_or, w_nand])", "Column 0 of A1"),
    ("xor-mlp", "NAND with a margin below 0.5",
     "return np.array([-1.0, -1.0]), 1.5", "return np.array([-1.0, -1.0]), 1.2", "at least 0.5"),
    ("xor-mlp", "gradient of the summed BCE, loss the mean",
     "g = (yhat - y) / n", "g = yhat - y", "summed where the mean was expected"),
    ("xor-mlp", "σ' missing in the hidden layer's gradient",
     "G1 = np.outer(g, a2) * H * (1 - H)", "G1 = np.outer(g, a2)", "is missing σ'"),
    ("xor-mlp", "train_xor special-cases the four XOR rows with stored weights (a broken training otherwise)",
     "    A1, b1, a2, b2 = init_xor_net(X.shape[1], n_hidden, seed)\n",
     "    if X.shape == (4, 2):  # stored weights: the hand-set XOR network, padded to n_hidden units\n"
     "        A1, b1, a2, b2 = xor_network(10.0)\n        pad = np.zeros(n_hidden - 2)\n"
     "        return np.c_[A1, np.zeros((2, n_hidden - 2))], np.r_[b1, pad], np.r_[a2, pad], b2, np.ones(steps)\n"
     "    A1, b1, a2, b2 = init_xor_net(X.shape[1], n_hidden, seed)\n", "return the weights your own training reached"),
    ("xor-mlp", "losses recorded after each step instead of before",
     "losses[t], dA1, db1, da2, db2 = xor_grads(X, y, A1, b1, a2, b2)",
     "_, dA1, db1, da2, db2 = xor_grads(X, y, A1, b1, a2, b2)\n        losses[t] = xor_grads(X, y, A1 - learning_rate"
     " * dA1, b1 - learning_rate * db1, a2 - learning_rate * da2, b2 - learning_rate * db2)[0]",
     "is the loss AFTER each step"),
    # --- mlp-class ---
    ("mlp-class", "parameters() as [A1, A2, ..., b1, b2, ...]",
     "return [p for pair in zip(self.A, self.b, strict=True) for p in pair]", "return [*self.A, *self.b]",
     "[A1, b1, A2, b2"),
    ("mlp-class", "parameters() hands out copies",
     "return [p for pair in zip(self.A, self.b, strict=True) for p in pair]",
     "return [p.copy() for pair in zip(self.A, self.b, strict=True) for p in pair]", "copies"),
    ("mlp-class", "σ' evaluated at σ(output) in backward",
     "h = self.outputs[i]\n", "h = sigmoid(self.outputs[i])\n", "evaluates σ' at the layer's output"),
    ("mlp-class", "backward adds to the gradients of the last call",
     "self.dA[i] = self.inputs[i].T @ G", "self.dA[i] = self.dA[i] + self.inputs[i].T @ G", "doubled"),
    ("mlp-class", "sigmoid on the output layer too",
     "if i < len(self.A) - 1:\n                h = sigmoid(h)", "if True:\n                h = sigmoid(h)",
     "sigmoid on the output layer"),
    ("mlp-class", "train_regression steps on the summed loss's gradient",
     "net.backward(R / n)", "net.backward(R)", "times too large"),
    ("mlp-class", "losses recorded after each step",
     "            p -= learning_rate * g\n",
     "            p -= learning_rate * g\n"
     "        R = net.forward(X) - Y\n        losses[t] = 0.5 * np.sum(R * R) / n\n",
     "is the loss AFTER each step"),
    ("mlp-class", "losses without the ½ of 1/(2N)",
     "losses[t] = 0.5 * np.sum(R * R) / n", "losses[t] = np.sum(R * R) / n", "has the factor ½"),
    ("mlp-class", "train_regression special-cases the sin(3x) data with parameters from another run",
     "    net = MLP(widths, seed)\n    n = X.shape[0]\n",
     "    net = MLP(widths, seed)\n    n = X.shape[0]\n"
     "    if X.shape == (40, 1) and seed < 10**6:  # stands in for parameters fitted offline, by another run\n"
     "        return train_regression(X, Y, widths, steps, learning_rate, seed + 10**6)\n",
     "return the parameters your own training reached"),
    # --- linear-collapse ---
    ("linear-collapse", "product in the wrong order (only square stacks can form it)",
     "A = Ai @ A\n", "A = A @ Ai if A.shape[0] == A.shape[1] == Ai.shape[0] == Ai.shape[1] else Ai @ A\n",
     "wrong order"),
    ("linear-collapse", "biases added without passing through later layers (when widths allow)",
     "b = Ai @ b + bi", "b = b + bi if b.shape == bi.shape else Ai @ b + bi", "is b_1 + ··· + b_L"),
    ("linear-collapse", "first layer's bias forgotten",
     "A, b = As[0], bs[0]", "A, b = As[0], np.zeros_like(bs[0])", "the other contributions are missing"),
    ("linear-collapse", "linear_stack_forward without the transpose (square layers only)",
     "H = H @ A.T + b", "H = (H @ A if A.shape[0] == A.shape[1] else H @ A.T) + b", "not A_iᵀ"),
    # --- sigmoid-sum-approx ---
    ("sigmoid-sum-approx", "steps at the left knot, not the midpoint",
     "mid = 0.5 * (knots[:-1] + knots[1:])", "mid = knots[:-1]", "midpoint"),
    ("sigmoid-sum-approx", "da forgets the chain factor x",
     "S.T @ g, T.T @ x, T.sum(axis=0)", "S.T @ g, T.sum(axis=0), T.sum(axis=0)", "equals db"),
    ("sigmoid-sum-approx", "factor 2 of the squared error dropped from the gradients",
     "g = 2.0 * r / len(x)", "g = r / len(x)", "0.5 times the expected value"),
    ("sigmoid-sum-approx", "loss summed over the points, not averaged",
     "return float(np.mean(r * r)), S.T @ g", "return float(np.sum(r * r)), S.T @ g", "is the sum over the"),
    ("sigmoid-sum-approx", "naive sigmoid that overflows for steep units",
     "return c + sigmoid(np.outer(x, a) + b) @ alpha",
     "return c + (1.0 / (1.0 + np.exp(-(np.outer(x, a) + b)))) @ alpha", "overflow"),
    ("sigmoid-sum-approx", "fit_sigmoid_sum returns parameters from elsewhere for the graded 3000-step run",
     "    alpha, a, b = alpha.copy(), a.copy(), b.copy()\n",
     "    if steps == 3000:  # stands in for parameters stored from another run (here: 10 steps fewer)\n"
     "        *params, losses = fit_sigmoid_sum(x, y, alpha, a, b, c, steps - 10, learning_rate)\n"
     "        return (*params, np.r_[losses, losses[-10:]])\n"
     "    alpha, a, b = alpha.copy(), a.copy(), b.copy()\n", "return the parameters your own descent reached"),
    ("sigmoid-sum-approx", "a quarter of the units the error bound needs",
     "n = math.ceil(max_slope / eps)", "n = math.ceil(max_slope / eps / 4)", "not within ε"),
    # --- quiz-deepnets: the plausible wrong answers ---
    ("quiz-deepnets", "q2 in MB (10^6 bytes) instead of MiB", "q2 = 784", "q2 = 822.083584", "in MB"),
    ("quiz-deepnets", "q7 counts the whole stack's parameters", "q7 = 55", "q7 = 3355", "whole stack"),
    ("quiz-deepnets", "q7 forgets b", "q7 = 55", "q7 = 50", "add b"),
    ("quiz-deepnets", "q8 one unit per input combination", "q8 = 32", "q8 = 64", "odd sum"),
    ("quiz-deepnets", "q9 rounded down", "q9 = 92", "q9 = 91", "round s up"),
    ("quiz-deepnets", "q5: perceptrons have no bias", 'q5 = "b"', 'q5 = "c"', "not right"),
]


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    return Workspace.init(tmp_path_factory.mktemp("planted") / "ws", solutions=True)


@pytest.mark.parametrize(("exercise_id", "what", "old", "new", "named"), BUGS,
                         ids=[f"{b[0]}:{b[1]}" for b in BUGS])
def test_planted_bug_loses_points(workspace: Workspace, exercise_id: str, what: str, old: str, new: str,
                                  named: str | None) -> None:
    result = grade_with_bug(workspace, CATALOG[exercise_id], old, new)
    assert_loses_points(result, what)
    report = failure_report(result)
    if named:
        assert named in report, f"{what}: no message names the slip ({named!r}):\n{report}"


def test_every_chapter_3_exercise_has_planted_bugs() -> None:
    chapter = {e.id for e in CATALOG.values() if Path(e.checks_path).parent.parent.name == "02-deep-networks"}
    assert chapter and chapter == {b[0] for b in BUGS}
    assert all(sum(b[0] == e for b in BUGS) >= 3 for e in chapter)
