"""Training code with six planted bugs, one per function (notes §6.4, L2986-3159). Every function runs
without an error, and every one is wrong. Do not fix this file: copy each function into
debug_training.py, find its bug, and fix it there. The helpers at the top are correct; import them.
"""

import numpy as np

# --- correct helpers ---------------------------------------------------------------------------------


def softmax(z):
    """Row-wise softmax of scores (N, C)."""
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def cross_entropy_with_logits(logits, y):
    """(mean over the batch of −log softmax(logits)[y], its gradient with respect to the LOGITS)."""
    n = len(y)
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    grad = np.exp(log_p)
    grad[np.arange(n), y] -= 1.0
    return float(-log_p[np.arange(n), y].mean()), grad / n


class Param:
    def __init__(self, value):
        self.value = np.array(value, dtype=np.float64)
        self.grad = np.zeros_like(self.value)


class DropoutMLP:
    """relu(X W1 + b1) → dropout (inverted, keep probability 1 − p_drop; train mode only) → · W2 + b2."""

    def __init__(self, params, p_drop=0.5, seed=0):
        self.W1, self.b1, self.W2, self.b2 = (np.asarray(params[k]) for k in ("W1", "b1", "W2", "b2"))
        self.p_drop = p_drop
        self.rng = np.random.default_rng(seed)

    def forward(self, X, train):
        h = np.maximum(X @ self.W1 + self.b1, 0.0)
        if train:
            h = h * (self.rng.random(h.shape) >= self.p_drop) / (1.0 - self.p_drop)
        return h @ self.W2 + self.b2


# --- the six functions, each with one bug -------------------------------------------------------------


def train_linear(X, y, lr, steps):
    """Full-batch gradient descent on the MSE (1/N) Σ (x_nᵀ w − y_n)², from w = 0.
    Returns (w, the loss before every step)."""
    w = Param(np.zeros(X.shape[1]))
    losses = []
    for _ in range(steps):
        r = X @ w.value - y
        losses.append(float(np.mean(r * r)))
        w.grad += 2.0 * X.T @ r / len(y)
        w.value -= lr * w.grad
    return w.value, np.array(losses)


def shuffle(X, y, seed):
    """X and y in a random order from np.random.default_rng(seed)."""
    rng = np.random.default_rng(seed)
    return X[rng.permutation(len(y))], y[rng.permutation(len(y))]


def standardize(X_train, X_test):
    """Both sets scaled to zero mean and unit variance per feature."""
    X_all = np.concatenate([X_train, X_test])
    mean, std = X_all.mean(axis=0), X_all.std(axis=0)
    return (X_train - mean) / std, (X_test - mean) / std


def loss_and_grad(scores, y):
    """(mean cross-entropy of the network's raw scores (N, C) against labels y, its gradient w.r.t. scores)."""
    probs = softmax(scores)
    return cross_entropy_with_logits(probs, y)


def evaluate(params, X, y):
    """Accuracy of the trained DropoutMLP(params) on (X, y)."""
    model = DropoutMLP(params, p_drop=0.5, seed=0)
    scores = model.forward(X, train=True)
    return float(np.mean(np.argmax(scores, axis=1) == y))


def bce(p, y):
    """Mean binary cross-entropy of predicted probabilities p against labels y ∈ {0, 1}."""
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))
