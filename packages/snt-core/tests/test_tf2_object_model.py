"""AbstractModule as a tf.Module: variables, tf.function, checkpoints, SavedModel."""

import subprocess
import sys
import textwrap

import numpy as np
import pytest
import tensorflow as tf
from core_test_modules import Affine, MyMLP, WrongModule, batch

import sonnet as snt

MLP_VARS = ["my_mlp/h_to_o/b:0", "my_mlp/h_to_o/w:0", "my_mlp/x_to_h/b:0", "my_mlp/x_to_h/w:0"]


def randomize(variables, seed):
    rng = np.random.default_rng(seed)
    for v in variables:
        v.assign(rng.normal(size=v.shape).astype(np.float32))


def test_is_tf_module_with_sorted_variables(eager):
    mlp = MyMLP(4, 2)
    assert isinstance(mlp, tf.Module)
    with pytest.raises(snt.NotConnectedError, match="not instantiated yet"):
        _ = mlp.trainable_variables  # Sonnet 1: variables exist from the first connection
    mlp(batch())
    mlp(batch())
    assert [v.name for v in mlp.trainable_variables] == MLP_VARS
    assert len({id(v) for v in mlp.variables}) == 4


def test_plain_tf_module_sees_snt_variables(eager):
    class Holder(tf.Module):
        def __init__(self):
            super().__init__()
            self.mod = WrongModule(3)

    holder = Holder()
    holder.mod(batch())
    assert sorted(v.name for v in holder.trainable_variables) == ["linear/b:0", "linear/w:0"]


def test_connect_inside_tf_function_creates_once(eager):
    mlp = MyMLP(4, 2)

    @tf.function
    def forward(x):
        return mlp(x)

    y_fn = forward(batch())
    forward(batch(rows=5))  # retrace with another shape
    assert [v.name for v in mlp.variables] == MLP_VARS
    np.testing.assert_allclose(y_fn.numpy(), mlp(batch()).numpy(), rtol=1e-6)


def test_training_step_in_tf_function_updates_variables(eager):
    mod = Affine(1, name="regression")
    opt = tf.keras.optimizers.SGD(0.1)
    x = batch(8, 3)
    target = tf.reduce_sum(x, axis=1, keepdims=True) * 0.5

    @tf.function
    def step():
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean((mod(x) - target) ** 2)
        grads = tape.gradient(loss, mod.trainable_variables)
        opt.apply_gradients(zip(grads, mod.trainable_variables, strict=True))
        return loss

    losses = [float(step()) for _ in range(20)]
    assert losses[-1] < losses[0] * 0.5


def test_checkpoint_round_trip(eager, tmp_path):
    mlp = MyMLP(4, 2)
    x = batch()
    mlp(x)
    randomize(mlp.variables, 0)
    expected = mlp(x).numpy()
    path = tf.train.Checkpoint(model=mlp).save(str(tmp_path / "ckpt"))
    randomize(mlp.variables, 1)
    tf.train.Checkpoint(model=mlp).restore(path).assert_consumed()
    np.testing.assert_allclose(mlp(x).numpy(), expected)


def test_checkpoint_restores_before_connection(eager, tmp_path):
    mlp = MyMLP(4, 2)
    x = batch()
    mlp(x)
    randomize(mlp.variables, 2)
    path = tf.train.Checkpoint(model=mlp).save(str(tmp_path / "ckpt"))
    fresh = MyMLP(4, 2)  # named my_mlp_1: object-based checkpoints do not care
    status = tf.train.Checkpoint(model=fresh).restore(path)
    np.testing.assert_allclose(fresh(x).numpy(), mlp(x).numpy())
    status.assert_existing_objects_matched()


def test_saved_model_reloads_in_fresh_process(eager, tmp_path):
    class Serving(tf.Module):
        def __init__(self):
            super().__init__()
            self.mlp = MyMLP(4, 2)

        @tf.function(input_signature=[tf.TensorSpec([None, 3], tf.float32)])
        def __call__(self, x):
            return self.mlp(x)

    model = Serving()
    x = np.arange(12, dtype=np.float32).reshape(4, 3) / 10
    model(x)
    randomize(model.mlp.variables, 3)
    expected = model(x).numpy()
    tf.saved_model.save(model, str(tmp_path / "sm"))
    np.save(tmp_path / "x.npy", x)
    script = textwrap.dedent(
        f"""
        import numpy as np, tensorflow as tf
        loaded = tf.saved_model.load({str(tmp_path / "sm")!r})
        x = np.load({str(tmp_path / "x.npy")!r})
        np.save({str(tmp_path / "out.npy")!r}, loaded(x).numpy())
        np.save({str(tmp_path / "out1.npy")!r}, loaded(x[:1]).numpy())
        """
    )
    subprocess.run([sys.executable, "-c", script], check=True, capture_output=True, timeout=300)
    np.testing.assert_allclose(np.load(tmp_path / "out.npy"), expected, rtol=1e-6)
    np.testing.assert_allclose(np.load(tmp_path / "out1.npy"), expected[:1], rtol=1e-6)


def test_eager_calls_keep_no_per_call_state(eager):
    mlp = MyMLP(4, 2)
    x = batch()
    for _ in range(5):
        mlp(x)
    assert mlp._snt_state.subgraphs == [] and mlp._snt_state.last_subgraph is None
    assert len(mlp._snt_state.children) == 2
