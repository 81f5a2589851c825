"""Patterns from the Sonnet 1 user guide not covered elsewhere."""

import numpy as np
import tensorflow as tf
from core_test_modules import Affine

import sonnet as snt


class CosineWeights(snt.AbstractModule):
    """The guide's param_size() pattern: the module says how big its input must be."""

    def __init__(self, word_size, num_heads, name="cosine_weights"):
        super().__init__(name=name)
        self._word_size = word_size
        self._num_heads = num_heads

    def param_size(self):
        return self._num_heads * (1 + self._word_size)

    def _build(self, memory, cos_params):
        if cos_params.shape[-1] != self.param_size():
            raise snt.IncompatibleShapeError(
                f"{self.scope_name}: cos_params must be [batch, {self.param_size()}], "
                f"got {cos_params.shape}."
            )
        params = tf.reshape(cos_params, [-1, self._num_heads, 1 + self._word_size])
        keys, strengths = params[..., 1:], tf.nn.softplus(params[..., 0])
        memory_n = tf.math.l2_normalize(memory, axis=-1)
        keys_n = tf.math.l2_normalize(keys, axis=-1)
        similarity = tf.einsum("bhw,bmw->bhm", keys_n, memory_n)
        return tf.nn.softmax(similarity * strengths[..., None], axis=-1)


def test_param_size_drives_the_linear_before_it(mode):
    cos_weights = CosineWeights(word_size=4, num_heads=3)
    cosine_params = Affine(output_size=cos_weights.param_size(), name="cos_params")
    inputs = tf.reshape(tf.range(2 * 5, dtype=tf.float32) / 10.0, [2, 5])
    memory = tf.reshape(tf.range(2 * 6 * 4, dtype=tf.float32) / 50.0 - 1.0, [2, 6, 4])
    weights = cos_weights(memory, cosine_params(inputs))
    assert weights.shape.as_list() == [2, 3, 6]
    got, mem, params = mode.evaluate([weights, memory, cosine_params(inputs)])

    p = params.reshape(2, 3, 5)
    keys, strengths = p[..., 1:], np.log1p(np.exp(p[..., 0]))
    norm = lambda a: a / np.linalg.norm(a, axis=-1, keepdims=True)  # noqa: E731
    logits = np.einsum("bhw,bmw->bhm", norm(keys), norm(mem)) * strengths[..., None]
    expected = np.exp(logits) / np.exp(logits).sum(-1, keepdims=True)
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)
    assert [v.name for v in cosine_params.get_variables()] == ["cos_params/b:0", "cos_params/w:0"]
