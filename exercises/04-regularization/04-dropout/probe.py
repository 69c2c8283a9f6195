"""Runs in the learner's process: Generators built from the grader's seeds, and the Dropout class driven
through a fixed script."""

import numpy as np


def forward_seeded(learner, x, p, seed, train):
    """dropout_forward with a fresh Generator; also the rng's next draw afterwards (was it consumed?)."""
    rng = np.random.default_rng(seed)
    y, mask = learner.dropout_forward(x, p, rng, train)
    return {"y": y, "mask": mask, "next": rng.random()}


def layer_script(learner, p, seed, x1, x2, g2, x3, g3):
    """forward(x1), forward(x2), backward(g2) [must use x2's mask], forward(x3, train=False), backward(g3)."""
    layer = learner.Dropout(p, np.random.default_rng(seed))
    y1 = layer.forward(x1)
    y2 = layer.forward(x2)
    d2 = layer.backward(g2)
    y3 = layer.forward(x3, train=False)
    d3 = layer.backward(g3)
    return {"y1": y1, "y2": y2, "d2": d2, "y3": y3, "d3": d3}
