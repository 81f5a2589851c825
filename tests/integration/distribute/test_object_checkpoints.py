"""Object-based persistence: tf.train.Checkpoint of nested modules, SavedModel."""

import numpy as np
import tensorflow as tf

import sonnet as snt

RNG = np.random.default_rng(1)
SEQ = RNG.normal(size=(4, 3, 2)).astype(np.float32)  # [batch, time, features]


class Encoder(snt.AbstractModule):
    """An LSTM over the sequence, then an MLP head; submodules built in __init__."""

    def __init__(self, name="encoder"):
        super().__init__(name=name)
        with self._enter_variable_scope():
            self._lstm = snt.LSTM(5)
            self._head = snt.nets.MLP([6, 3])

    def _build(self, sequence):
        batch = tf.shape(sequence)[0]
        outputs, _ = snt.dynamic_unroll(
            self._lstm, sequence, self._lstm.initial_state(batch), time_major=False
        )
        scale = snt.Linear(1, name="scale")  # a submodule built inside _build
        return self._head(outputs[:, -1]) * scale(tf.ones([1, 1]))


def values(module):
    return {v.name.split(":")[0][len(module.scope_name) :]: v.numpy() for v in module.variables}


def test_nested_checkpoint_round_trip(tmp_path):
    model = Encoder()
    before = model(SEQ).numpy()
    path = tf.train.Checkpoint(model=model).write(str(tmp_path / "ckpt"))
    saved = values(model)
    assert sorted(saved) == [
        "/lstm/b_gates",
        "/lstm/w_gates",
        "/mlp/linear_0/b",
        "/mlp/linear_0/w",
        "/mlp/linear_1/b",
        "/mlp/linear_1/w",
        "/scale/b",
        "/scale/w",
    ]
    for v in model.variables:  # clobber, then restore in place
        v.assign(tf.zeros_like(v))
    tf.train.Checkpoint(model=model).read(path).assert_consumed()
    np.testing.assert_array_equal(model(SEQ).numpy(), before)

    fresh = Encoder(name="other_encoder")  # different scope, not connected yet
    status = tf.train.Checkpoint(model=fresh).read(path)
    np.testing.assert_array_equal(fresh(SEQ).numpy(), before)
    status.assert_consumed()
    restored = values(fresh)
    assert sorted(restored) == sorted(saved)
    for name, value in saved.items():
        np.testing.assert_array_equal(restored[name], value)


class Serve(tf.Module):
    def __init__(self):
        super().__init__()
        self.encoder = Encoder()

    @tf.function(input_signature=[tf.TensorSpec([None, 3, 2], tf.float32, name="x")])
    def __call__(self, x):
        return self.encoder(x)


def test_saved_model_reloads_in_fresh_process(tmp_path, run_script_fn):
    serve = Serve()
    inputs = {"batch4": SEQ, "batch7": RNG.normal(size=(7, 3, 2)).astype(np.float32)}
    want = {name: serve(x).numpy() for name, x in inputs.items()}
    tf.saved_model.save(serve, str(tmp_path / "sm"), signatures=serve.__call__)
    np.savez(tmp_path / "inputs.npz", **inputs)

    got = run_script_fn("load_saved_model.py", str(tmp_path / "sm"), str(tmp_path / "inputs.npz"))
    assert got["sonnet_imported"] is False  # serving needs TensorFlow only
    for name, value in want.items():
        assert np.array(got[name]).shape == value.shape
        np.testing.assert_allclose(got[name], value, rtol=1e-6, atol=1e-6)
        np.testing.assert_allclose(got["signature"][name], value, rtol=1e-6, atol=1e-6)
