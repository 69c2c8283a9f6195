"""Reference solution for `optimizers` (notes §6.2.5-6.2.10): stateful update rules over Parameters."""

import numpy as np

FORMS = ("classic", "ema")


class SGD:
    """w ← w − η g (L2643)."""

    def __init__(self, params, lr):
        self.params = list(params)
        self.lr = lr

    def step(self):
        for p in self.params:
            p.value -= self.lr * p.grad


class Momentum:
    """classic (L2736): m ← β₁ m − η g, w ← w + m.   ema (L2745): m ← β₁ m + (1 − β₁) g, w ← w − η m."""

    def __init__(self, params, lr, beta1=0.9, form="classic"):
        if form not in FORMS:
            raise ValueError(f"form must be one of {FORMS}")
        self.params = list(params)
        self.lr, self.beta1, self.form = lr, beta1, form
        self.m = [np.zeros_like(p.value) for p in self.params]

    def _update(self, p, m, g):
        if self.form == "classic":
            m *= self.beta1
            m -= self.lr * g
            p.value += m
        else:
            m *= self.beta1
            m += (1.0 - self.beta1) * g
            p.value -= self.lr * m

    def step(self):
        for p, m in zip(self.params, self.m, strict=True):
            self._update(p, m, p.grad)


class Nesterov(Momentum):
    """L2781 / L2785: the gradient is taken at the look-ahead point ŵ, then the momentum update runs from w."""

    def lookahead(self, p, m):
        if self.form == "classic":
            return p.value + self.beta1 * m
        return p.value - self.lr * self.beta1 * m

    def step(self, closure):
        saved = [p.value.copy() for p in self.params]
        for p, m in zip(self.params, self.m, strict=True):
            p.value[...] = self.lookahead(p, m)  # in place: the array object stays the same
        closure()  # fills every p.grad at ŵ
        for p, m, w in zip(self.params, self.m, saved, strict=True):
            p.value[...] = w
            self._update(p, m, p.grad)


class RMSProp:
    """Eqs. (24)-(25): v ← β₂ v + (1 − β₂) g², w ← w − η g / (√v + ε)."""

    def __init__(self, params, lr, beta2=0.9, eps=1e-8):
        self.params = list(params)
        self.lr, self.beta2, self.eps = lr, beta2, eps
        self.v = [np.zeros_like(p.value) for p in self.params]

    def step(self):
        for p, v in zip(self.params, self.v, strict=True):
            g = p.grad
            v *= self.beta2
            v += (1.0 - self.beta2) * g * g
            p.value -= self.lr * g / (np.sqrt(v) + self.eps)


class Adam:
    """L2819 with bias correction; t counts the steps taken (0 before the first)."""

    def __init__(self, params, lr, beta1=0.9, beta2=0.999, eps=1e-8):
        self.params = list(params)
        self.lr, self.beta1, self.beta2, self.eps = lr, beta1, beta2, eps
        self.m = [np.zeros_like(p.value) for p in self.params]
        self.v = [np.zeros_like(p.value) for p in self.params]
        self.t = 0

    def step(self):
        self.t += 1
        for p, m, v in zip(self.params, self.m, self.v, strict=True):
            g = p.grad
            m *= self.beta1
            m += (1.0 - self.beta1) * g
            v *= self.beta2
            v += (1.0 - self.beta2) * g * g
            m_hat = m / (1.0 - self.beta1**self.t)
            v_hat = v / (1.0 - self.beta2**self.t)
            p.value -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)
