"""Small modules written for the tests (snt-core is tested without snt-nets)."""

import tensorflow as tf

import sonnet as snt

v1 = tf.compat.v1


class Affine(snt.AbstractModule):
    """x @ w + b with ones/zeros initializers unless given."""

    POSSIBLE_INITIALIZER_KEYS = {"w", "b"}

    def __init__(
        self, output_size, initializers=None, regularizers=None, custom_getter=None, name="affine"
    ):
        super().__init__(custom_getter=custom_getter, name=name)
        self._output_size = output_size
        keys = self.POSSIBLE_INITIALIZER_KEYS
        self._initializers = snt.check_initializers(initializers, keys, module_name=name)
        self._regularizers = snt.check_regularizers(regularizers, keys, module_name=name)

    def _build(self, x):
        w = v1.get_variable(
            "w",
            [x.shape[-1], self._output_size],
            initializer=self._initializers.get("w", tf.ones_initializer()),
            regularizer=self._regularizers.get("w"),
        )
        b = v1.get_variable(
            "b",
            [self._output_size],
            initializer=self._initializers.get("b", tf.zeros_initializer()),
            regularizer=self._regularizers.get("b"),
        )
        return tf.matmul(x, w) + b


class MyMLP(snt.AbstractModule):
    """The user guide's MyMLP: submodules built in _build."""

    def __init__(self, hidden_size, output_size, nonlinearity=tf.tanh, name="my_mlp"):
        super().__init__(name=name)
        self._hidden_size = hidden_size
        self._output_size = output_size
        self._nonlinearity = nonlinearity

    def _build(self, inputs):
        lin_x_to_h = Affine(self._hidden_size, name="x_to_h")
        lin_h_to_o = Affine(self._output_size, name="h_to_o")
        return lin_h_to_o(self._nonlinearity(lin_x_to_h(inputs)))


class ParentModule(snt.AbstractModule):
    def __init__(self, hidden_size, name="parent_module"):
        super().__init__(name=name)
        self._hidden_size = hidden_size

    def _build(self, inputs):
        return tf.nn.relu(Affine(self._hidden_size, name="linear")(inputs))


class OtherParentModule(snt.AbstractModule):
    def __init__(self, hidden_size, name="other_parent_module"):
        super().__init__(name=name)
        with self._enter_variable_scope():
            self._lin_mod = Affine(hidden_size, name="linear")

    def _build(self, inputs):
        return tf.nn.relu(self._lin_mod(inputs))


class WrongModule(snt.AbstractModule):
    def __init__(self, hidden_size, name="wrong_module"):
        super().__init__(name=name)
        self._lin_mod = Affine(hidden_size, name="linear")

    def _build(self, inputs):
        return tf.nn.relu(self._lin_mod(inputs))


def batch(rows=2, cols=3):
    """A deterministic [rows, cols] float32 input."""
    return tf.reshape(tf.range(rows * cols, dtype=tf.float32) / 10.0, [rows, cols])
