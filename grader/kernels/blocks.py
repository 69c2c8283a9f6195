"""Chapter 4 building blocks (notes §4.1-4.2.2): regression losses, log-softmax and softmax cross-entropy,
elementwise activations, PReLU, maxout, standardization and the activation statistics of a deep stack.

Elementwise kernels take flat float64 arrays; row-wise kernels take (N, C). Batch losses are SUMS.
"""

import numpy as np
from numba import njit

from grader.kernels.activations import sigmoid_scalar
from grader.kernels.linear import matmul

# --- regression losses (§4.1.2) ---------------------------------------------------------------


@njit(cache=True)
def _sign(x: float) -> float:
    # The subgradient of |x| at 0 is taken as 0 (the course's convention).
    if x > 0.0:
        return 1.0
    if x < 0.0:
        return -1.0
    return 0.0


@njit(cache=True)
def l2_loss(yhat: np.ndarray, y: np.ndarray) -> float:
    total = 0.0
    for i in range(yhat.size):
        d = yhat[i] - y[i]
        total += d * d
    return total


@njit(cache=True)
def l2_grad(yhat: np.ndarray, y: np.ndarray) -> np.ndarray:
    out = np.empty_like(yhat)
    for i in range(yhat.size):
        out[i] = 2.0 * (yhat[i] - y[i])
    return out


@njit(cache=True)
def l1_loss(yhat: np.ndarray, y: np.ndarray) -> float:
    total = 0.0
    for i in range(yhat.size):
        total += abs(yhat[i] - y[i])
    return total


@njit(cache=True)
def l1_grad(yhat: np.ndarray, y: np.ndarray) -> np.ndarray:
    out = np.empty_like(yhat)
    for i in range(yhat.size):
        out[i] = _sign(yhat[i] - y[i])
    return out


@njit(cache=True)
def laplace_nll(mu: np.ndarray, log_b: np.ndarray, y: np.ndarray) -> float:
    # -log p(y) = log(2b) + |y - mu| / b with b = exp(log_b), summed.
    total = 0.0
    for i in range(mu.size):
        total += np.log(2.0) + log_b[i] + abs(y[i] - mu[i]) * np.exp(-log_b[i])
    return total


@njit(cache=True)
def laplace_nll_grad(mu: np.ndarray, log_b: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    dmu = np.empty_like(mu)
    dlog_b = np.empty_like(mu)
    for i in range(mu.size):
        inv_b = np.exp(-log_b[i])
        dmu[i] = _sign(mu[i] - y[i]) * inv_b
        dlog_b[i] = 1.0 - abs(y[i] - mu[i]) * inv_b
    return dmu, dlog_b


# --- softmax family (§4.1.3) ------------------------------------------------------------------


@njit(cache=True)
def _row_logsumexp(S: np.ndarray, i: int) -> float:
    m = S[i, 0]
    for j in range(1, S.shape[1]):
        m = max(m, S[i, j])
    total = 0.0
    for j in range(S.shape[1]):
        total += np.exp(S[i, j] - m)
    return m + np.log(total)


@njit(cache=True)
def log_softmax_rows(S: np.ndarray) -> np.ndarray:
    out = np.empty_like(S)
    for i in range(S.shape[0]):
        lse = _row_logsumexp(S, i)
        for j in range(S.shape[1]):
            out[i, j] = S[i, j] - lse
    return out


@njit(cache=True)
def log_softmax_backward_rows(S: np.ndarray, G: np.ndarray) -> np.ndarray:
    # d/dS of Σ G·(S - lse(S)) = G - softmax(S) Σ_c G.
    out = np.empty_like(S)
    for i in range(S.shape[0]):
        lse = _row_logsumexp(S, i)
        total = 0.0
        for j in range(S.shape[1]):
            total += G[i, j]
        for j in range(S.shape[1]):
            out[i, j] = G[i, j] - np.exp(S[i, j] - lse) * total
    return out


@njit(cache=True)
def softmax_ce_rows(S: np.ndarray, y: np.ndarray) -> np.ndarray:
    out = np.empty(S.shape[0])
    for i in range(S.shape[0]):
        out[i] = _row_logsumexp(S, i) - S[i, y[i]]
    return out


@njit(cache=True)
def softmax_ce_grad_rows(S: np.ndarray, y: np.ndarray) -> np.ndarray:
    out = np.empty_like(S)
    for i in range(S.shape[0]):
        lse = _row_logsumexp(S, i)
        for j in range(S.shape[1]):
            out[i, j] = np.exp(S[i, j] - lse)
        out[i, y[i]] -= 1.0
    return out


# --- elementwise activations (§4.2) -------------------------------------------------------------


@njit(cache=True)
def sigmoid_backward(x: np.ndarray, g: np.ndarray) -> np.ndarray:
    out = np.empty_like(x)
    for i in range(x.size):
        out[i] = g[i] * sigmoid_scalar(x[i]) * sigmoid_scalar(-x[i])
    return out


@njit(cache=True)
def tanh(x: np.ndarray) -> np.ndarray:
    out = np.empty_like(x)
    for i in range(x.size):
        # The notes' 2/(1+e^{-2x}) - 1 (L1566) equals tanh; 2σ(2x) - 1 computed without overflow.
        out[i] = np.tanh(x[i])
    return out


@njit(cache=True)
def tanh_backward(x: np.ndarray, g: np.ndarray) -> np.ndarray:
    out = np.empty_like(x)
    for i in range(x.size):
        t = np.tanh(x[i])
        out[i] = g[i] * (1.0 - t * t)
    return out


@njit(cache=True)
def leaky_relu(x: np.ndarray, slope: float) -> np.ndarray:
    # slope = 0 is the ReLU. The value at 0 is 0 either way.
    out = np.empty_like(x)
    for i in range(x.size):
        out[i] = x[i] if x[i] > 0.0 else slope * x[i]
    return out


@njit(cache=True)
def leaky_relu_backward(x: np.ndarray, g: np.ndarray, slope: float) -> np.ndarray:
    # Derivative at exactly 0 taken as `slope` (the left one); checks keep inputs away from 0.
    out = np.empty_like(x)
    for i in range(x.size):
        out[i] = g[i] if x[i] > 0.0 else slope * g[i]
    return out


@njit(cache=True)
def elu(x: np.ndarray, alpha: float) -> np.ndarray:
    out = np.empty_like(x)
    for i in range(x.size):
        out[i] = x[i] if x[i] > 0.0 else alpha * np.expm1(x[i])
    return out


@njit(cache=True)
def elu_backward(x: np.ndarray, g: np.ndarray, alpha: float) -> np.ndarray:
    out = np.empty_like(x)
    for i in range(x.size):
        out[i] = g[i] if x[i] > 0.0 else g[i] * alpha * np.exp(x[i])
    return out


@njit(cache=True)
def prelu(X: np.ndarray, alpha: np.ndarray) -> np.ndarray:
    # X (N, C), one learned slope per column (channel), shared over the batch.
    out = np.empty_like(X)
    for i in range(X.shape[0]):
        for c in range(X.shape[1]):
            out[i, c] = X[i, c] if X[i, c] > 0.0 else alpha[c] * X[i, c]
    return out


@njit(cache=True)
def prelu_backward(X: np.ndarray, alpha: np.ndarray, G: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    dX = np.empty_like(X)
    dalpha = np.zeros_like(alpha)
    for i in range(X.shape[0]):
        for c in range(X.shape[1]):
            if X[i, c] > 0.0:
                dX[i, c] = G[i, c]
            else:
                dX[i, c] = alpha[c] * G[i, c]
                dalpha[c] += X[i, c] * G[i, c]
    return dX, dalpha


@njit(cache=True)
def _group_argmax(Z: np.ndarray, i: int, j: int, k: int) -> int:
    # Unit j reads the contiguous columns j*k .. j*k+k-1; a tie goes to the lowest column.
    best = j * k
    for c in range(j * k + 1, j * k + k):
        if Z[i, c] > Z[i, best]:
            best = c
    return best


@njit(cache=True)
def maxout(Z: np.ndarray, k: int) -> np.ndarray:
    n, m = Z.shape[0], Z.shape[1] // k
    out = np.empty((n, m))
    for i in range(n):
        for j in range(m):
            out[i, j] = Z[i, _group_argmax(Z, i, j, k)]
    return out


@njit(cache=True)
def maxout_backward(Z: np.ndarray, k: int, G: np.ndarray) -> np.ndarray:
    dZ = np.zeros_like(Z)
    for i in range(Z.shape[0]):
        for j in range(Z.shape[1] // k):
            dZ[i, _group_argmax(Z, i, j, k)] = G[i, j]
    return dZ


# --- preprocessing and initialization (§4.2.1-4.2.2) ------------------------------------------


@njit(cache=True)
def standardizer_fit(X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    n, d = X.shape
    mean = np.zeros(d)
    std = np.zeros(d)
    for j in range(d):
        s = 0.0
        for i in range(n):
            s += X[i, j]
        mean[j] = s / n
        v = 0.0
        for i in range(n):
            v += (X[i, j] - mean[j]) ** 2
        std[j] = np.sqrt(v / n)  # 1/N, as the notes' L1683
        if std[j] == 0.0:
            std[j] = 1.0  # a constant feature is only centred
    return mean, std


@njit(cache=True)
def standardizer_transform(X: np.ndarray, mean: np.ndarray, std: np.ndarray) -> np.ndarray:
    out = np.empty_like(X)
    for i in range(X.shape[0]):
        for j in range(X.shape[1]):
            out[i, j] = (X[i, j] - mean[j]) / std[j]
    return out


@njit(cache=True)
def _population_std(H: np.ndarray) -> float:
    mean = 0.0
    for v in H.ravel():
        mean += v
    mean /= H.size
    var = 0.0
    for v in H.ravel():
        var += (v - mean) ** 2
    return np.sqrt(var / H.size)


@njit(cache=True)
def deep_activation_stds(X: np.ndarray, W_first: np.ndarray, W_rest: np.ndarray, relu: bool) -> np.ndarray:
    # h_0 = X; h_l = g(h_{l-1} @ W_l), no biases; the std over all entries of each h_l.
    depth = W_rest.shape[0] + 1
    stds = np.empty(depth)
    H = X
    for layer in range(depth):
        W = W_first if layer == 0 else W_rest[layer - 1]
        U = matmul(H, W)  # loops: np.dot in Numba needs SciPy's BLAS
        H = np.maximum(U, 0.0) if relu else np.tanh(U)
        stds[layer] = _population_std(H)
    return stds
