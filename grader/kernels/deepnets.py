"""Deep networks (notes §3): the two-layer MLP with its backward loops, XOR threshold units and training
steps, and sums of sigmoids (universal approximation). Float64 throughout; the minibatch orientation
X (N,D) @ A (D,M) of L930-937; batch gradients are sums over the examples unless a loss says otherwise."""

import numpy as np
from numba import njit

from grader.kernels.activations import sigmoid_scalar
from grader.kernels.linear import matmul


@njit(cache=True)
def mlp2_forward(X: np.ndarray, A1: np.ndarray, b1: np.ndarray, A2: np.ndarray,
                 b2: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """H = σ(X A1 + b1), Ŷ = H A2 + b2 (linear output). Returns (H, Ŷ)."""
    n = X.shape[0]
    h = A1.shape[1]
    k = A2.shape[1]
    U = matmul(X, A1)
    H = np.empty((n, h))
    for i in range(n):
        for j in range(h):
            H[i, j] = sigmoid_scalar(U[i, j] + b1[j])
    Y = matmul(H, A2)
    for i in range(n):
        for j in range(k):
            Y[i, j] += b2[j]
    return H, Y


@njit(cache=True)
def mlp2_backward(X: np.ndarray, Y: np.ndarray, A2: np.ndarray, H: np.ndarray,
                  Yhat: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Gradients of L = ½ Σ_{n,k} (Ŷ - Y)² (summed over the batch): (dA1, db1, dA2, db2, dH)."""
    n, d = X.shape
    h = H.shape[1]
    k = Yhat.shape[1]
    dA2 = np.zeros((h, k))
    db2 = np.zeros(k)
    dH = np.zeros((n, h))
    dA1 = np.zeros((d, h))
    db1 = np.zeros(h)
    for i in range(n):
        for c in range(k):
            g = Yhat[i, c] - Y[i, c]
            db2[c] += g
            for j in range(h):
                dA2[j, c] += H[i, j] * g
                dH[i, j] += g * A2[j, c]
        for j in range(h):
            g1 = dH[i, j] * H[i, j] * (1.0 - H[i, j])
            db1[j] += g1
            for p in range(d):
                dA1[p, j] += X[i, p] * g1
    return dA1, db1, dA2, db2, dH


@njit(cache=True)
def threshold_unit(X: np.ndarray, w: np.ndarray, w0: float) -> np.ndarray:
    """[wᵀx + w0 > 0] per row of X (N,D), as 0/1 int64 (L964-967: class 1 ⇔ wᵀx > -w0)."""
    n, d = X.shape
    out = np.zeros(n, dtype=np.int64)
    for i in range(n):
        s = w0
        for j in range(d):
            s += w[j] * X[i, j]
        if s > 0.0:
            out[i] = 1
    return out


@njit(cache=True)
def xor_net_forward(X: np.ndarray, A1: np.ndarray, b1: np.ndarray, a2: np.ndarray,
                    b2: float) -> tuple[np.ndarray, np.ndarray]:
    """The sigmoid network of L1049-1053 in minibatch form: H = σ(X A1 + b1) (N,H), ŷ = σ(H a2 + b2) (N,)."""
    n = X.shape[0]
    hdim = A1.shape[1]
    U = matmul(X, A1)
    H = np.empty((n, hdim))
    yhat = np.empty(n)
    for i in range(n):
        s = b2
        for j in range(hdim):
            H[i, j] = sigmoid_scalar(U[i, j] + b1[j])
            s += H[i, j] * a2[j]
        yhat[i] = sigmoid_scalar(s)
    return H, yhat


@njit(cache=True)
def xor_net_grads(X: np.ndarray, y: np.ndarray, A1: np.ndarray, b1: np.ndarray, a2: np.ndarray,
                  b2: float) -> tuple[float, np.ndarray, np.ndarray, np.ndarray, float]:
    """Mean binary cross-entropy of xor_net_forward over the N rows, and its gradients
    (loss, dA1, db1, da2, db2). With a sigmoid output, d loss / d logit = (ŷ - y) / N."""
    n, d = X.shape
    hdim = A1.shape[1]
    H, yhat = xor_net_forward(X, A1, b1, a2, b2)
    dA1 = np.zeros((d, hdim))
    db1 = np.zeros(hdim)
    da2 = np.zeros(hdim)
    db2 = 0.0
    loss = 0.0
    for i in range(n):
        # log σ(s) and log(1 - σ(s)) from the logit would be more stable; ŷ is kept away from 0 and 1 here.
        p = min(max(yhat[i], 1e-300), 1.0 - 1e-16)
        loss -= (y[i] * np.log(p) + (1.0 - y[i]) * np.log(1.0 - p)) / n
        g = (yhat[i] - y[i]) / n
        db2 += g
        for j in range(hdim):
            da2[j] += H[i, j] * g
            g1 = g * a2[j] * H[i, j] * (1.0 - H[i, j])
            db1[j] += g1
            for p2 in range(d):
                dA1[p2, j] += X[i, p2] * g1
    return loss, dA1, db1, da2, db2


@njit(cache=True)
def xor_net_train(X: np.ndarray, y: np.ndarray, A1: np.ndarray, b1: np.ndarray, a2: np.ndarray, b2: float,
                  rate: float, steps: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, float, np.ndarray]:
    """`steps` full-batch gradient-descent steps on the mean BCE; returns the parameters and the losses
    before each step (steps,)."""
    A1, b1, a2 = A1.copy(), b1.copy(), a2.copy()
    losses = np.empty(steps)
    for t in range(steps):
        loss, dA1, db1, da2, db2 = xor_net_grads(X, y, A1, b1, a2, b2)
        losses[t] = loss
        A1 -= rate * dA1
        b1 -= rate * db1
        a2 -= rate * da2
        b2 -= rate * db2
    return A1, b1, a2, b2, losses


@njit(cache=True)
def sigmoid_sum(x: np.ndarray, alpha: np.ndarray, a: np.ndarray, b: np.ndarray, c: float) -> np.ndarray:
    """G(x) = c + Σ_j α_j σ(a_j x + b_j) at the points x (P,) (L1130, with an output bias c)."""
    out = np.empty(x.shape[0])
    for p in range(x.shape[0]):
        s = c
        for j in range(alpha.shape[0]):
            s += alpha[j] * sigmoid_scalar(a[j] * x[p] + b[j])
        out[p] = s
    return out


@njit(cache=True)
def sigmoid_sum_mse_grads(x: np.ndarray, y: np.ndarray, alpha: np.ndarray, a: np.ndarray, b: np.ndarray,
                          c: float) -> tuple[float, np.ndarray, np.ndarray, np.ndarray, float]:
    """L = (1/P) Σ_p (G(x_p) - y_p)² and its gradients (L, dα, da, db, dc)."""
    P = x.shape[0]
    m = alpha.shape[0]
    G = sigmoid_sum(x, alpha, a, b, c)
    dalpha = np.zeros(m)
    da = np.zeros(m)
    db = np.zeros(m)
    dc = 0.0
    loss = 0.0
    for p in range(P):
        r = G[p] - y[p]
        loss += r * r / P
        g = 2.0 * r / P
        dc += g
        for j in range(m):
            s = sigmoid_scalar(a[j] * x[p] + b[j])
            dalpha[j] += g * s
            t = g * alpha[j] * s * (1.0 - s)
            da[j] += t * x[p]
            db[j] += t
    return loss, dalpha, da, db, dc


@njit(cache=True)
def step_sum_params(knots: np.ndarray, values: np.ndarray,
                    steepness: float) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """The staircase of L1163 (Fig. 33) as a sum of sigmoids: c = f(x_0) and one unit per interval
    [x_{j-1}, x_j] that steps by f(x_j) - f(x_{j-1}) at its midpoint with slope `steepness`:
    α_j = Δf_j, a_j = steepness, b_j = -steepness·(x_{j-1} + x_j)/2."""
    n = knots.shape[0] - 1
    alpha = np.empty(n)
    a = np.empty(n)
    b = np.empty(n)
    for j in range(n):
        alpha[j] = values[j + 1] - values[j]
        a[j] = steepness
        b[j] = -steepness * 0.5 * (knots[j] + knots[j + 1])
    return alpha, a, b, values[0]


@njit(cache=True)
def bilinear_sigmoid_forward(A: np.ndarray, B: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """L908-909: U[h,i,j] = Σ_k A[h,i,k]·B[h,j,k], Y = σ(U). A (G,I,K), B (G,J,K) -> (U, Y) of shape (G,I,J)."""
    g, ni, nk = A.shape
    nj = B.shape[1]
    U = np.zeros((g, ni, nj))
    Y = np.empty((g, ni, nj))
    for h in range(g):
        for i in range(ni):
            for j in range(nj):
                s = 0.0
                for k in range(nk):
                    s += A[h, i, k] * B[h, j, k]
                U[h, i, j] = s
                Y[h, i, j] = sigmoid_scalar(s)
    return U, Y


@njit(cache=True)
def bilinear_sigmoid_backward(A: np.ndarray, B: np.ndarray, U: np.ndarray,
                              Y_grad: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """L915-917 with the left-hand indices restored (erratum 4): U_grad[h,i,j] = Y_grad[h,i,j]·σ'(U[h,i,j]),
    A_grad[h,i,k] = Σ_j U_grad[h,i,j]·B[h,j,k], B_grad[h,j,k] = Σ_i U_grad[h,i,j]·A[h,i,k].
    Returns (A_grad, B_grad, U_grad)."""
    g, ni, nk = A.shape
    nj = B.shape[1]
    U_grad = np.empty((g, ni, nj))
    A_grad = np.zeros((g, ni, nk))
    B_grad = np.zeros((g, nj, nk))
    for h in range(g):
        for i in range(ni):
            for j in range(nj):
                s = sigmoid_scalar(U[h, i, j])
                ug = Y_grad[h, i, j] * s * (1.0 - s)
                U_grad[h, i, j] = ug
                for k in range(nk):
                    A_grad[h, i, k] += ug * B[h, j, k]
                    B_grad[h, j, k] += ug * A[h, i, k]
    return A_grad, B_grad, U_grad
