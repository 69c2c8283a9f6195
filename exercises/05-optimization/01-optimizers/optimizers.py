"""Exercise `optimizers` (notes §6.2.5-6.2.10): SGD, momentum (both forms), Nesterov, RMSProp and Adam as
stateful update rules over Parameters, in the style of edf's UpdateParameters (L775).

A parameter is any object with two float64 arrays: `p.value` (you update it IN PLACE: `p.value -= ...`,
never `p.value = ...`) and `p.grad` (you only read it). `param.py` beside this file has one to play with:

    from param import Param
    w = Param([1.0, -2.0]); opt = Adam([w], lr=0.1)
    w.grad = 2 * w.value; opt.step()

Run `gradschool grade optimizers` (or press c in the tutor) to check your work.
"""

import numpy as np  # noqa: F401

FORMS = ("classic", "ema")


class SGD:
    """w ← w − η g (L2643), for every parameter."""

    def __init__(self, params, lr):
        raise NotImplementedError("SGD.__init__: keep the parameters (as a list) and the learning rate")

    def step(self):
        raise NotImplementedError("SGD.step: p.value -= lr * p.grad for every parameter")


class Momentum:
    """form "classic" (L2736): m ← β₁ m − η g, w ← w + m.
    form "ema"     (L2745): m ← β₁ m + (1 − β₁) g, w ← w − η m.
    State: self.m, a list with one array per parameter (zeros at the start)."""

    def __init__(self, params, lr, beta1=0.9, form="classic"):
        raise NotImplementedError("Momentum.__init__: parameters, hyperparameters and self.m (zeros)")

    def step(self):
        raise NotImplementedError("Momentum.step: update m, then w, in the chosen form")


class Nesterov:
    """L2781 (classic) / L2785 (ema): ŵ = w + β₁ m (classic) or w − η β₁ m (ema); the gradient is taken at ŵ;
    then m and w are updated as in Momentum, starting from w (not ŵ). State: self.m as in Momentum.

    step(closure): closure() takes no arguments; it computes the gradient of every parameter at that
    parameter's CURRENT value and stores it in p.grad (like edf's Forward(); Backward(loss)). So: move every
    p.value to ŵ (in place), call closure() once, move p.value back to w, update."""

    def __init__(self, params, lr, beta1=0.9, form="classic"):
        raise NotImplementedError("Nesterov.__init__: as Momentum")

    def step(self, closure):
        raise NotImplementedError("Nesterov.step: look ahead, closure(), come back, update")


class RMSProp:
    """Eqs. (24)-(25): v ← β₂ v + (1 − β₂) g ⊙ g, w ← w − η g / (√v + ε) (ε outside the root).
    State: self.v, one array per parameter (zeros at the start)."""

    def __init__(self, params, lr, beta2=0.9, eps=1e-8):
        raise NotImplementedError("RMSProp.__init__: parameters, hyperparameters and self.v (zeros)")

    def step(self):
        raise NotImplementedError("RMSProp.step: update v, then w")


class Adam:
    """L2819 with bias correction. State: self.m, self.v (one array per parameter, zeros at the start) and
    self.t, the number of steps taken: 0 before the first step, 1 after it. A step first increments t, then
    uses m̂ = m / (1 − β₁ᵗ), v̂ = v / (1 − β₂ᵗ), w ← w − η m̂ / (√v̂ + ε) (ε outside the root)."""

    def __init__(self, params, lr, beta1=0.9, beta2=0.999, eps=1e-8):
        raise NotImplementedError("Adam.__init__: parameters, hyperparameters, self.m, self.v, self.t = 0")

    def step(self):
        raise NotImplementedError("Adam.step: t += 1, update m and v, bias-correct, update w")
