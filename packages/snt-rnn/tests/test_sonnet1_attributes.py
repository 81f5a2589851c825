"""The attributes Sonnet 1 gave a core's variables (``lstm._w_xh``, ``gru._wz``...).

Code written for Sonnet 1 reads them after connecting the core; they hold what
``get_variable`` returned on the last connection.
"""

import numpy as np
import pytest
import tensorflow as tf

import sonnet as snt


def _constant_initializers(keys):
    """Key ``k`` (in sorted order) initializes to ``k + 1``: every variable is recognizable."""
    return {key: tf.compat.v1.constant_initializer(i + 1.0) for i, key in enumerate(sorted(keys))}


def _check_attributes(mode, module, attributes, initializers):
    """``module.<attr>`` is the variable of ``key``, holding that key's constant."""
    by_name = {v.name.split("/")[-1].split(":")[0]: v for v in module.get_variables()}
    values = mode.evaluate({attr: getattr(module, attr) for attr in attributes})
    order = sorted(initializers)
    for attr, (variable_name, key) in attributes.items():
        assert getattr(module, attr) is by_name[variable_name], attr
        expected = np.full(values[attr].shape, order.index(key) + 1.0)
        np.testing.assert_array_equal(values[attr], expected)


@pytest.mark.parametrize("use_peepholes", [False, True])
def test_lstm_attributes(mode, use_peepholes):
    keys = snt.LSTM.get_possible_initializer_keys(use_peepholes=use_peepholes, use_projection=True)
    inits = _constant_initializers(keys)
    lstm = snt.LSTM(3, initializers=inits, use_peepholes=use_peepholes, projection_size=2)
    with pytest.raises(AttributeError):
        _ = lstm._w_xh  # made by the first connection
    lstm(tf.ones([2, 4]), lstm.initial_state(2))
    attributes = {
        "_w_xh": ("w_gates", "w_gates"),
        "_b": ("b_gates", "b_gates"),
        "_w_h_projection": ("w_h_projection", "w_h_projection"),
    }
    if use_peepholes:
        attributes.update({f"_{k}": (k, k) for k in ("w_f_diag", "w_i_diag", "w_o_diag")})
    _check_attributes(mode, lstm, attributes, inits)
    assert lstm._w_xh.shape.as_list() == [4 + 2, 4 * 3]


def test_gru_attributes(mode):
    inits = _constant_initializers(snt.GRU.POSSIBLE_INITIALIZER_KEYS)
    gru = snt.GRU(3, initializers=inits)
    gru(tf.ones([2, 4]), gru.initial_state(2))
    attributes = {f"_{k}": (k, k) for k in snt.GRU.POSSIBLE_INITIALIZER_KEYS}
    _check_attributes(mode, gru, attributes, inits)
    assert gru._wz.shape.as_list() == [4, 3] and gru._uh.shape.as_list() == [3, 3]


@pytest.mark.parametrize("norm_hx", [False, True])
def test_batch_norm_lstm_attributes(mode, norm_hx):
    options = {
        "use_peepholes": True,
        "use_batch_norm_h": norm_hx,
        "use_batch_norm_x": norm_hx,
        "use_batch_norm_c": True,
    }
    inits = _constant_initializers(snt.BatchNormLSTM.get_possible_initializer_keys(**options))
    lstm = snt.BatchNormLSTM(3, initializers=inits, **options)
    lstm(tf.ones([2, 4]), lstm.initial_state(2), is_training=True)
    attributes = {
        "_b": ("b_gates", "b_gates"),
        "_gamma_c": ("gamma_c", "gamma_c"),
        "_beta_c": ("beta_c", "beta_c"),
        **{f"_{k}": (k, k) for k in ("w_f_diag", "w_i_diag", "w_o_diag")},
    }
    if norm_hx:  # two matrices, both from the "w_gates" initializer
        attributes.update(
            {
                "_w_h": ("w_gates_H", "w_gates"),
                "_w_x": ("w_gates_X", "w_gates"),
                "_gamma_h": ("gamma_h", "gamma_h"),
                "_gamma_x": ("gamma_x", "gamma_x"),
            }
        )
    else:
        attributes["_w_xh"] = ("w_gates", "w_gates")
    _check_attributes(mode, lstm, attributes, inits)


def test_attributes_are_partitioned_variables_with_partitioners(graph):
    partitioner = tf.compat.v1.fixed_size_partitioner(2)
    lstm = snt.LSTM(4, partitioners={"w_gates": partitioner, "b_gates": partitioner})
    gru = snt.GRU(4, partitioners={"wz": partitioner})
    lstm(tf.ones([2, 3]), lstm.initial_state(2))
    gru(tf.ones([2, 3]), gru.initial_state(2))

    def kind(variable):
        return type(variable).__name__

    assert kind(lstm._w_xh) == kind(lstm._b) == kind(gru._wz) == "PartitionedVariable"
    assert len(list(lstm._w_xh)) == 2 and kind(gru._uz) != "PartitionedVariable"
