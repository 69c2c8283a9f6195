"""Runs in the learner's process: a scripted model for train_with_early_stopping.

train_epoch adds (epoch + 1) to every entry of each array IN PLACE, so params after epoch e are
params0 + (e + 1)(e + 2)/2: the restored parameters tell which epoch they come from. validate returns the
scripted loss of the epoch just trained."""

import numpy as np


def scripted_training(learner, params0, losses, max_epochs, patience):
    params = {k: np.array(v, dtype=np.float64, copy=True) for k, v in params0.items()}
    log = {"train": 0, "validate": 0, "order": []}

    def train_epoch(p):
        log["train"] += 1
        log["order"].append("t")
        step = float(log["train"])
        for v in p.values():
            v += step  # in place, like an optimizer

    def validate(p):
        log["validate"] += 1
        log["order"].append("v")
        e = log["validate"] - 1
        return float(losses[e]) if e < len(losses) else float("inf")

    result = learner.train_with_early_stopping(params, train_epoch, validate, max_epochs, patience)
    return {"result": result, "train": log["train"], "validate": log["validate"],
            "order": "".join(log["order"]), "final": params}
