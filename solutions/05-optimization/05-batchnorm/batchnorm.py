"""Reference solution for `batchnorm` (notes §6.3.5, L2943-2959): batch normalization, train and eval mode."""

import numpy as np


class BatchNorm:
    def __init__(self, C, momentum=0.1, eps=1e-5):
        self.gamma = np.ones(C)
        self.beta = np.zeros(C)
        self.running_mean = np.zeros(C)
        self.running_var = np.ones(C)
        self.momentum, self.eps = momentum, eps

    def forward(self, x, train):
        if train:
            mean = x.mean(axis=0)
            var = x.var(axis=0)  # biased, L2950
            self.running_mean *= 1.0 - self.momentum
            self.running_mean += self.momentum * mean
            self.running_var *= 1.0 - self.momentum
            self.running_var += self.momentum * var
        else:
            mean, var = self.running_mean, self.running_var
        self.train = train
        self.inv = 1.0 / np.sqrt(var + self.eps)
        self.xhat = (x - mean) * self.inv
        return self.gamma * self.xhat + self.beta

    def backward(self, grad_y):
        self.dgamma = np.sum(grad_y * self.xhat, axis=0)
        self.dbeta = np.sum(grad_y, axis=0)
        dxhat = grad_y * self.gamma
        if not self.train:
            return dxhat * self.inv
        B = grad_y.shape[0]
        return self.inv / B * (B * dxhat - dxhat.sum(axis=0) - self.xhat * np.sum(dxhat * self.xhat, axis=0))
