"""Bad sizes, states and wrapper arguments raise documented errors naming the module.

Found by the property-based hardening tests (tests/integration/hardening): before,
a state of the wrong size reached TensorFlow ops (InvalidArgumentError eagerly),
a state of the wrong structure was broadcast silently or raised AttributeError,
wrappers indexed missing masks (IndexError), and so on.
"""

import numpy as np
import pytest
import tensorflow as tf

import sonnet as snt

ONE_TENSOR_CORES = {
    "VanillaRNN": lambda name: snt.VanillaRNN(3, name=name),
    "GRU": lambda name: snt.GRU(3, name=name),
    "HighwayCore": lambda name: snt.HighwayCore(3, 2, name=name),
}


_BAD_SHAPES = {"size": (2, 5), "batch": (3, 3), "rank1": (3,), "rank3": (2, 3, 1)}


@pytest.mark.parametrize(
    "core, state_shape",
    [
        pytest.param(core, shape, id=f"{what}-{core}")
        for what, shape in _BAD_SHAPES.items()
        for core in sorted(ONE_TENSOR_CORES)
        # A VanillaRNN takes any state width, as in Sonnet 1 (test_vanilla_rnn_state_width).
        if not (core == "VanillaRNN" and what == "size")
    ],
)
def test_one_tensor_state_of_the_wrong_shape(mode, core, state_shape):
    module = ONE_TENSOR_CORES[core]("m_core")
    with pytest.raises(snt.IncompatibleShapeError, match=r"m_core: prev_state must have shape"):
        module(tf.ones([2, 4]), tf.ones(state_shape))


def test_vanilla_rnn_state_width(mode):
    # As in Sonnet 1, hidden_to_hidden is a Linear: it takes the state width of the first
    # connection (not checked against hidden_size) and keeps it.
    module = snt.VanillaRNN(3, name="m_core")
    output, _ = module(tf.ones([2, 4]), tf.ones([2, 5]))
    assert output.shape.as_list() == [2, 3]
    assert module.hidden_to_hidden_linear.w.shape.as_list() == [5, 3]
    with pytest.raises(
        snt.IncompatibleShapeError, match=r"m_core/hidden_to_hidden: input size must stay 5"
    ):
        module(tf.ones([2, 4]), tf.ones([2, 3]))


@pytest.mark.parametrize("core", sorted(ONE_TENSOR_CORES))
def test_one_tensor_state_of_the_wrong_structure(mode, core):
    module = ONE_TENSOR_CORES[core]("m_core")
    for state in [(tf.ones([2, 3]), tf.ones([2, 3])), (tf.ones([2, 3]),), [tf.ones([2, 3])]]:
        with pytest.raises(ValueError, match=r"m_core: prev_state must have the structure"):
            module(tf.ones([2, 4]), state)


@pytest.mark.parametrize(
    "make",
    [
        lambda: snt.LSTM(3, name="m_core"),
        lambda: snt.BatchNormLSTM(3, name="m_core"),
    ],
    ids=["LSTM", "BatchNormLSTM"],
)
@pytest.mark.parametrize("entry, bad", [(0, (2, 5)), (1, (2, 4)), (1, (1, 3))])
def test_lstm_state_of_the_wrong_shape(mode, make, entry, bad):
    module = make()
    state = [tf.ones([2, 3]), tf.ones([2, 3])]
    state[entry] = tf.ones(bad)
    kwargs = {"is_training": True} if isinstance(module, snt.BatchNormLSTM) else {}
    with pytest.raises(snt.IncompatibleShapeError, match=rf"m_core: prev_state entry {entry}"):
        module(tf.ones([2, 4]), snt.LSTMState(*state), **kwargs)


def test_batch_norm_lstm_time_step_of_the_wrong_shape(mode):
    lstm = snt.BatchNormLSTM(3, max_unique_stats=2, name="m_core")
    state = (tf.ones([2, 3]), tf.ones([2, 3]), tf.ones([2, 2]))
    with pytest.raises(snt.IncompatibleShapeError, match=r"m_core: prev_state entry 2"):
        lstm(tf.ones([2, 4]), state, is_training=True)


@pytest.mark.parametrize(
    "make",
    [
        lambda n: snt.VanillaRNN(n, name="m_core"),
        lambda n: snt.GRU(n, name="m_core"),
        lambda n: snt.LSTM(n, name="m_core"),
        lambda n: snt.LSTM(3, projection_size=n, name="m_core"),
        lambda n: snt.BatchNormLSTM(n, name="m_core"),
        lambda n: snt.HighwayCore(n, 1, name="m_core"),
        lambda n: snt.HighwayCore(3, n, name="m_core"),
        lambda n: snt.Conv1DLSTM(
            input_shape=(4, 2), output_channels=n, kernel_shape=3, name="m_core"
        ),
    ],
    ids=["vanilla", "gru", "lstm", "projection", "bn_lstm", "highway", "layers", "conv_lstm"],
)
def test_sizes_must_be_positive_ints(mode, make):
    for bad in [0, -2]:
        with pytest.raises(ValueError, match=r"m_core(_\d+)?: \w+ must be a positive int; got"):
            make(bad)
    for bad in [2.5, "3", True]:  # (None: no projection, for projection_size)
        with pytest.raises(TypeError, match=r"m_core(_\d+)?: \w+ must be a positive int; got"):
            make(bad)
    make(np.int64(2))  # NumPy ints are sizes too


def test_vanilla_rnn_activation_must_be_callable(mode):
    with pytest.raises(TypeError, match=r"m_core: activation must be callable; got int"):
        snt.VanillaRNN(3, activation=1, name="m_core")


def conv_lstm(**kwargs):
    base = dict(input_shape=(4, 4, 2), output_channels=3, kernel_shape=3, name="m_conv")
    return snt.Conv2DLSTM(**{**base, **kwargs})


@pytest.mark.parametrize("which", [0, 1])
@pytest.mark.parametrize("bad", [(2, 4, 4, 2), (2, 4, 5, 3), (3, 4, 4, 3)])
def test_conv_lstm_state_of_the_wrong_shape(mode, which, bad):
    # A hidden state with other channels used to be accepted silently.
    state = [tf.ones([2, 4, 4, 3]), tf.ones([2, 4, 4, 3])]
    state[which] = tf.ones(bad)
    with pytest.raises(snt.IncompatibleShapeError, match=rf"m_conv: prev_state entry {which}"):
        conv_lstm()(tf.ones([2, 4, 4, 2]), tuple(state))


@pytest.mark.parametrize("kwargs", [{"padding": "VALID"}, {"stride": 2}, {"padding": "FULL"}])
def test_conv_lstm_convolutions_must_keep_the_spatial_shape(mode, kwargs):
    core = conv_lstm(**kwargs)
    with pytest.raises(snt.IncompatibleShapeError, match=r"m_conv: the gate convolutions must"):
        core(tf.ones([2, 4, 4, 2]), (tf.ones([2, 4, 4, 3]), tf.ones([2, 4, 4, 3])))


def test_conv_lstm_shape_keeping_paddings_still_work(mode):
    for padding in ["SAME", "CAUSAL", "REVERSE_CAUSAL"]:
        core = conv_lstm(padding=padding, name=f"conv_{padding.lower()}")
        output, _ = core(tf.ones([2, 4, 4, 2]), core.initial_state(2))
        assert output.shape == (2, 4, 4, 3)


def test_model_rnn_state_of_the_wrong_size(mode):
    # A Linear model accepted any state width: the state silently changed size.
    core = snt.ModelRNN(snt.Linear(3), name="m_model")
    with pytest.raises(snt.IncompatibleShapeError, match=r"m_model: prev_state must have shape"):
        core(tf.zeros([2, 1]), tf.ones([2, 5]))
    with pytest.raises(ValueError, match=r"m_model: prev_state must have the structure"):
        core(tf.zeros([2, 1]), (tf.ones([2, 3]), tf.ones([2, 3])))


def test_deep_rnn_names_itself_for_a_bad_core_state(mode):
    deep = snt.DeepRNN([snt.GRU(3), snt.LSTM(2)], name="m_deep")
    with pytest.raises(ValueError, match=r"m_deep: prev_state\[1\] \(lstm\) must have the"):
        deep(tf.ones([2, 4]), (tf.ones([2, 3]), tf.ones([2, 2])))
    # Shapes are each core's to check (a VanillaRNN takes any width, as in Sonnet 1).
    with pytest.raises(snt.IncompatibleShapeError, match=r"gru: prev_state must have shape"):
        deep(tf.ones([2, 4]), (tf.ones([2, 5]), snt.LSTMState(tf.ones([2, 2]), tf.ones([2, 2]))))


def test_bidirectional_rnn_checks(mode):
    with pytest.raises(TypeError, match=r"m_cores: backward_core must be an RNN core"):
        snt.BidirectionalRNN(snt.GRU(2), 3, name="m_cores")
    bidir = snt.BidirectionalRNN(snt.LSTM(3), snt.GRU(3), name="m_bidir")
    state = bidir.initial_state(2)
    with pytest.raises(snt.IncompatibleShapeError, match=r"m_bidir: input_sequence must be"):
        bidir(tf.ones([4]), state)
    with pytest.raises(ValueError, match=r"m_bidir: forward_state must have the structure"):
        bidir(tf.ones([4, 2, 1]), (tf.ones([2, 3]), tf.ones([2, 3])))
    with pytest.raises(snt.IncompatibleShapeError, match=r"m_bidir: backward_state must have"):
        bidir(tf.ones([4, 2, 1]), (state[0], tf.ones([2, 4])))


@pytest.mark.parametrize(
    "keep_probs, error, message",
    [
        (snt.LSTMState(0.0, None), ValueError, r"keep probabilities must be in \(0, 1\]"),
        (snt.LSTMState(None, 1.5), ValueError, r"keep probabilities must be in \(0, 1\]"),
        (snt.LSTMState("0.5", None), TypeError, r"keep_probs must hold numbers"),
        (snt.LSTMState(True, None), TypeError, r"keep_probs must hold numbers"),
        ((0.5,), ValueError, r"keep_probs must have the structure"),
    ],
)
@pytest.mark.parametrize("wrapper", ["dropout", "zoneout"])
def test_wrapper_keep_probs(mode, keep_probs, error, message, wrapper):
    lstm = snt.LSTM(3, name="m_lstm")
    with pytest.raises(error, match=rf"m_lstm_(recdropout|zoneout): {message}"):
        if wrapper == "dropout":
            snt.RecurrentDropoutWrapper(lstm, keep_probs)
        else:
            snt.ZoneoutWrapper(lstm, keep_probs, is_training=False)


@pytest.mark.parametrize("wrapper", ["dropout", "zoneout"])
def test_wrappers_need_a_core(mode, wrapper):
    with pytest.raises(TypeError, match=r"m_linear_\w+: core must be an RNN core"):
        if wrapper == "dropout":
            snt.RecurrentDropoutWrapper(snt.Linear(3, name="m_linear"), 0.5)
        else:
            snt.ZoneoutWrapper(snt.Linear(3, name="m_linear"), 0.5, is_training=True)


def test_recurrent_dropout_state_checks(mode):
    core = snt.RecurrentDropoutWrapper(snt.LSTM(3, name="m_lstm"), snt.LSTMState(0.5, None))
    lstm_state = snt.LSTMState(tf.ones([2, 3]), tf.ones([2, 3]))
    structure = r"m_lstm_recdropout: prev_state must have the structure of state_size"
    with pytest.raises(ValueError, match=structure):  # no masks
        core(tf.ones([2, 4]), lstm_state)
    with pytest.raises(ValueError, match=structure):  # IndexError before
        core(tf.ones([2, 4]), (lstm_state, []))
    with pytest.raises(snt.IncompatibleShapeError, match=r"m_lstm_recdropout: prev_state entry 2"):
        core(tf.ones([2, 4]), (lstm_state, [tf.ones([2, 5])]))


def test_wrappers_accept_plain_tuples_for_lstm_states(mode):
    # A plain tuple stands for LSTMState (in keep_probs and in the state); the
    # next state keeps the core's LSTMState type.
    dropout = snt.RecurrentDropoutWrapper(snt.LSTM(3), (0.5, None))
    _, (state, masks) = dropout(tf.ones([2, 4]), dropout.initial_state(2))
    assert isinstance(state, snt.LSTMState) and len(masks) == 1
    zoneout = snt.ZoneoutWrapper(snt.LSTM(3), (0.9, 0.5), is_training=False)
    _, state = zoneout(tf.ones([2, 4]), (tf.ones([2, 3]), tf.ones([2, 3])))
    assert isinstance(state, snt.LSTMState)
    assert mode.evaluate(state).hidden.shape == (2, 3)


def test_zoneout_state_checks(mode):
    core = snt.ZoneoutWrapper(snt.GRU(3, name="m_gru"), 0.5, is_training=False)
    with pytest.raises(ValueError, match=r"m_gru_zoneout: prev_state must have the structure"):
        core(tf.ones([2, 4]), (tf.ones([2, 3]), tf.ones([2, 3])))
    with pytest.raises(snt.IncompatibleShapeError, match=r"m_gru_zoneout: prev_state must have"):
        core(tf.ones([2, 4]), tf.ones([3, 3]))


@pytest.mark.parametrize(
    "leaf, error, message",
    [
        (lambda: None, TypeError, r"initial_state must hold tensors; entry 1"),
        (lambda: 1.5, ValueError, r"must be \[batch, ...\] with a static shape"),
        (lambda: tf.constant(1.5), ValueError, r"must be \[batch, ...\] with a static shape"),
        (lambda: tf.fill([2, 3], "a"), TypeError, r"must be numeric \(or boolean\); entry 1"),
    ],
)
def test_trainable_initial_state_leaves(mode, leaf, error, message):
    with pytest.raises(error, match=rf"m_init: (the tensors made trainable )?{message}"):
        snt.TrainableInitialState((tf.ones([2, 3]), leaf()), name="m_init")
    # A fixed (masked-out) entry may be anything.
    snt.TrainableInitialState((tf.ones([2, 3]), leaf()), mask=(True, False), name="m_fixed")
