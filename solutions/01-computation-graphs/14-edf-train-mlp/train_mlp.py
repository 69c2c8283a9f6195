"""Reference solution for `edf-train-mlp` (notes §2.4, L844-866): train a one-hidden-layer MLP with edf."""

import edf
import numpy as np


def train(X, y, n_hidden, iterations, learning_rate, seed):
    rng = np.random.default_rng(seed)
    edf.clear_compgraph()
    edf.core.learning_rate = learning_rate
    x = edf.Input()
    labels = edf.Input()
    x.value = np.asarray(X, dtype=np.float64)
    labels.value = np.asarray(y).astype(int)
    n_labels = int(labels.value.max()) + 1

    params_1 = edf.AffineParams(x.value.shape[1], n_hidden, rng=rng)
    params_2 = edf.AffineParams(n_hidden, n_labels, rng=rng)

    h = edf.Sigmoid(edf.Affine(params_1, x))
    p = edf.Softmax(edf.Affine(params_2, h))
    L = edf.CrossEntropyLoss(p, labels)

    for _ in range(iterations):
        edf.Forward()
        edf.Backward(L)
        edf.UpdateParameters()
    return {"A1": params_1.A.value, "b1": params_1.b.value, "A2": params_2.A.value, "b2": params_2.b.value}
