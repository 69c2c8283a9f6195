"""Exercise `conv-arithmetic` (notes §7.2, §7.3.3, §7.4.5): output sizes, receptive fields and weight counts.

Run `gradschool grade conv-arithmetic` (or press c in the tutor) to check your work.
"""


def conv_output_size(n, k, stride=1, padding=0, dilation=1):
    """Output length along one axis: input n, kernel k, stride, zero padding on BOTH sides, dilation.
    Returns an int."""
    raise NotImplementedError("conv_output_size: the formula of L3277, with the dilated kernel")


def receptive_field(layers):
    """layers: a list of (kernel, stride, dilation) triples, first layer first. Returns the receptive field
    (in input pixels, along one axis) of one output of the last layer, as an int."""
    raise NotImplementedError("receptive_field: track the receptive field and the jump layer by layer")


def n_weights_fc(width, height, c_in, c_out):
    """Trainable numbers of a fully connected layer from a W×H×C_in map to a W×H×C_out map (L3180)."""
    raise NotImplementedError("n_weights_fc: L3180")


def n_weights_conv(k, c_in, c_out):
    """Trainable numbers of a K×K convolution layer from C_in to C_out channels, biases included (L3186)."""
    raise NotImplementedError("n_weights_conv: L3186")
