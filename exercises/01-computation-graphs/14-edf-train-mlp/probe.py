"""edf-train-mlp probe (runs in the learner's process; `learner` is the learner's train_mlp module)."""

import importlib

import numpy as np


def train_inspect(learner, X, y, n_hidden, iterations, rate, seed):
    """The learner's train(...), plus the graph it left in edf.core: node classes and Parameter values."""
    result = learner.train(np.array(X, copy=True), np.array(y, copy=True), n_hidden, iterations, rate, seed)
    core = importlib.import_module("edf.core")
    nodes = [f"{type(c).__module__}.{type(c).__name__}" for c in core.CompNodes]
    return {"result": result, "nodes": nodes, "parameters": [np.array(p.value) for p in core.Parameters]}
