"""Conformance cases of snt-rnn's modules (for core's shared suite).

Imported only by the ``snt_conformance_cases`` hook, so the entry point stays
free of TensorFlow. One case per module export, named like the export
(``"LSTM"``). Cores are called as ``core(inputs, prev_state)`` with a
deterministic, non-zero state built from TF constants (so the recurrent
weights matter to the outputs), and every configuration is deterministic:
the recurrent dropout masks are fixed inputs, zoneout runs its test-time
expectation.
"""

from __future__ import annotations

import math
from typing import Any

import tensorflow as tf

import sonnet as snt
from snt_rnn.act_core import ACTCore
from snt_rnn.batch_norm_lstm import BatchNormLSTM
from snt_rnn.bidirectional_rnn import BidirectionalRNN
from snt_rnn.compressive_transformer import CompressiveTransformer
from snt_rnn.conv_lstm import Conv1DLSTM, Conv2DLSTM, ConvLSTM
from snt_rnn.deep_rnn import DeepRNN
from snt_rnn.gru import GRU
from snt_rnn.highway_core import HighwayCore
from snt_rnn.lstm import LSTM
from snt_rnn.lstm_block_cell import LSTMBlockCell, LSTMStateTuple
from snt_rnn.lstm_state import LSTMState
from snt_rnn.model_rnn import ModelRNN
from snt_rnn.recurrent_dropout import RecurrentDropoutWrapper
from snt_rnn.relational_memory import RelationalMemory
from snt_rnn.residual import ResidualCore, SkipConnectionCore
from snt_rnn.rnn_cell_wrapper import RNNCellWrapper
from snt_rnn.rnn_core import RNNCore
from snt_rnn.trainable_initial_state import TrainableInitialState
from snt_rnn.transformer_xl import TransformerXL
from snt_rnn.vanilla_rnn import VanillaRNN
from snt_rnn.zoneout import ZoneoutWrapper
from sonnet.plugins import ConformanceCase

BATCH = 2


def ramp(*shape: int, offset: float = 0.0) -> tf.Tensor:
    """A float32 tensor of ``shape`` holding distinct values from -1 to 1 (plus ``offset``)."""
    count = math.prod(shape)
    return tf.reshape(tf.linspace(-1.0, 1.0, count), shape) + offset


def lstm_state(hidden: int, cell: int | None = None) -> LSTMState:
    """A non-zero ``LSTMState`` for a batch of ``BATCH``."""
    return LSTMState(ramp(BATCH, hidden, offset=0.1), ramp(BATCH, cell or hidden, offset=-0.2))


class ExampleCore(RNNCore):
    """The smallest concrete core, to put the ``RNNCore`` base class through the suite.

    ``output = tanh(inputs @ w + hidden * decay)``; the state is
    ``(output, steps + 1)``, a nested state with a non-trainable part.
    """

    def __init__(self, hidden_size: int, name: str = "example_core") -> None:
        super().__init__(name=name)
        self._hidden_size = hidden_size

    def _build(self, inputs: tf.Tensor, prev_state: tuple[Any, Any]) -> tuple[Any, Any]:
        hidden, steps = prev_state
        w = tf.compat.v1.get_variable("w", [inputs.shape[-1], self._hidden_size], inputs.dtype)
        decay = tf.compat.v1.get_variable("decay", [self._hidden_size], inputs.dtype)
        output = tf.tanh(tf.matmul(inputs, w) + hidden * decay)
        return output, (output, steps + 1)

    @property
    def state_size(self) -> tuple[tf.TensorShape, tf.TensorShape]:
        return tf.TensorShape([self._hidden_size]), tf.TensorShape([1])

    @property
    def output_size(self) -> tf.TensorShape:
        return tf.TensorShape([self._hidden_size])


#: A small TransformerTower configuration (embedding size 4) for the Transformer cores.
_TOWER = {"value_size": 2, "num_heads": 2, "num_layers": 2, "mlp_hidden_sizes": [5]}


def _compressed_memory_state() -> tuple[Any, ...]:
    """A non-zero state of two layers for CompressiveTransformer(episodic 3, compressed 2)."""
    import sonnet as snt

    state = snt.nets.transformer.CompressedMemoryState
    return tuple(
        state(
            episodic_memory=ramp(BATCH, 3, 4, offset=0.1 * i),
            compressed_memory=ramp(BATCH, 2, 4, offset=-0.1 * i),
            index=tf.ones([BATCH, 1]),
        )
        for i in range(2)
    )


class ElmanCell:
    """A plain RNN cell (not a Sonnet module): ``h = tanh([x, h] @ w)``, for RNNCellWrapper.

    Its variable comes from ``tf.compat.v1.get_variable`` in the scope it is
    called in, as a ``tf.compat.v1.nn.rnn_cell`` cell's would.
    """

    def __init__(self, num_units: int) -> None:
        self.state_size = num_units
        self.output_size = num_units

    def __call__(self, inputs: tf.Tensor, state: tf.Tensor) -> tuple[tf.Tensor, tf.Tensor]:
        joint = tf.concat([inputs, state], axis=1)
        kernel = tf.compat.v1.get_variable("kernel", [joint.shape[-1], self.output_size])
        output = tf.tanh(tf.matmul(joint, kernel))
        return output, output


def _dropout_masks() -> list[tf.Tensor]:
    """Fixed masks for ``LSTMState(keep_prob=0.5, None)``: kept units scaled by 1 / 0.5."""
    return [tf.constant([[2.0, 0.0, 2.0], [0.0, 2.0, 2.0]])]


def _positive_moving_variance(getter: Any, name: str, *args: Any, **kwargs: Any) -> Any:
    """Reads ``moving_variance`` variables as ``|v| + 1``.

    The suite fills every variable with values in [-0.5, 0.5], moving
    variances included (BatchNormLSTM has no ``eps`` argument to offset them).
    """
    variable = getter(name, *args, **kwargs)
    if name.endswith("moving_variance"):
        return tf.abs(variable) + 1.0
    return variable


def cases() -> list[ConformanceCase]:
    """One case per module exported by snt-rnn."""
    return [
        ConformanceCase(
            "RNNCore",
            create=lambda: ExampleCore(3),
            inputs=lambda: (ramp(BATCH, 4), (ramp(BATCH, 3), tf.zeros([BATCH, 1]))),
        ),
        ConformanceCase(
            "LSTM",
            create=lambda: LSTM(3, use_peepholes=True, use_layer_norm=True, projection_size=2),
            inputs=lambda: (ramp(BATCH, 4), lstm_state(2, 3)),
        ),
        ConformanceCase(
            "GRU", create=lambda: GRU(3), inputs=lambda: (ramp(BATCH, 4), ramp(BATCH, 3))
        ),
        ConformanceCase(
            "VanillaRNN",
            create=lambda: VanillaRNN(3),
            inputs=lambda: (ramp(BATCH, 4), ramp(BATCH, 3)),
        ),
        ConformanceCase(
            "HighwayCore",
            create=lambda: HighwayCore(3, num_layers=2),
            inputs=lambda: (ramp(BATCH, 4), ramp(BATCH, 3)),
        ),
        ConformanceCase(
            "ConvLSTM",
            create=lambda: ConvLSTM(
                conv_ndims=2, input_shape=(4, 4, 2), output_channels=3, kernel_shape=3
            ),
            inputs=lambda: (
                ramp(BATCH, 4, 4, 2),
                (ramp(BATCH, 4, 4, 3, offset=0.1), ramp(BATCH, 4, 4, 3, offset=-0.2)),
            ),
        ),
        ConformanceCase(
            "Conv1DLSTM",
            create=lambda: Conv1DLSTM(input_shape=(5, 2), output_channels=3, kernel_shape=3),
            inputs=lambda: (
                ramp(BATCH, 5, 2),
                (ramp(BATCH, 5, 3, offset=0.1), ramp(BATCH, 5, 3, offset=-0.2)),
            ),
        ),
        ConformanceCase(
            "Conv2DLSTM",
            create=lambda: Conv2DLSTM(
                input_shape=(3, 3, 2), output_channels=2, kernel_shape=3, use_layer_norm=True
            ),
            inputs=lambda: (
                ramp(BATCH, 3, 3, 2),
                (ramp(BATCH, 3, 3, 2, offset=0.1), ramp(BATCH, 3, 3, 2, offset=-0.2)),
            ),
        ),
        ConformanceCase(
            "BatchNormLSTM",
            # Moving statistics (test mode), all three normalizations, two sets of stats.
            create=lambda: BatchNormLSTM(
                3,
                use_peepholes=True,
                use_batch_norm_x=True,
                use_batch_norm_c=True,
                max_unique_stats=2,
                custom_getter=_positive_moving_variance,
            ),
            inputs=lambda: (
                ramp(BATCH, 4),
                (*lstm_state(3), tf.ones([BATCH, 1])),  # time step 1: the second set
            ),
            kwargs={"is_training": False, "test_local_stats": False},
        ),
        ConformanceCase(
            "LSTMBlockCell",
            # Peepholes and a clip that binds for some units of the ramp state.
            create=lambda: LSTMBlockCell(3, use_peephole=True, cell_clip=0.5),
            inputs=lambda: (
                ramp(BATCH, 4),
                LSTMStateTuple(ramp(BATCH, 3, offset=-0.2), ramp(BATCH, 3, offset=0.1)),
            ),
        ),
        # Wrappers, around concrete cores.
        ConformanceCase(
            "ACTCore",
            create=lambda: ACTCore(LSTM(3), 2, 0.9, lambda state: state.hidden, max_steps=4),
            inputs=lambda: (ramp(BATCH, 4), lstm_state(3)),
        ),
        ConformanceCase(
            "DeepRNN",
            create=lambda: DeepRNN([LSTM(3), GRU(2)]),  # skip connections, outputs concatenated
            inputs=lambda: (ramp(BATCH, 4), (lstm_state(3), ramp(BATCH, 2))),
        ),
        ConformanceCase(
            "ModelRNN",
            create=lambda: ModelRNN(snt.Linear(3)),
            inputs=lambda: (ramp(BATCH, 1), ramp(BATCH, 3)),
        ),
        ConformanceCase(
            "BidirectionalRNN",
            create=lambda: BidirectionalRNN(LSTM(3), GRU(3)),
            inputs=lambda: (ramp(4, BATCH, 2), (lstm_state(3), ramp(BATCH, 3))),
        ),
        ConformanceCase(
            "RecurrentDropoutWrapper",
            # The masks are drawn by initial_state and carried in the state: fixed here.
            create=lambda: RecurrentDropoutWrapper(LSTM(3), LSTMState(0.5, None)),
            inputs=lambda: (ramp(BATCH, 4), (lstm_state(3), _dropout_masks())),
        ),
        ConformanceCase(
            "ZoneoutWrapper",
            # is_training=False: the deterministic expectation of zoneout.
            create=lambda: ZoneoutWrapper(LSTM(3), LSTMState(0.9, 0.5), is_training=False),
            inputs=lambda: (ramp(BATCH, 4), lstm_state(3)),
        ),
        # Transformer cores (Sonnet 1's snt.nets names), evaluation connections.
        ConformanceCase(
            "nets.TransformerXL",
            create=lambda: TransformerXL(_TOWER, memory_size=3, chunk_size=2),
            inputs=lambda: (ramp(BATCH, 2, 3), [ramp(BATCH, 3, 4, offset=o) for o in (0.1, 0.2)]),
            kwargs={"is_training": False},
        ),
        ConformanceCase(
            "nets.CompressiveTransformer",
            create=lambda: CompressiveTransformer(
                _TOWER, chunk_size=2, episodic_memory_size=3, compressed_memory_size=2
            ),
            inputs=lambda: (ramp(BATCH, 2, 3), _compressed_memory_state()),
            kwargs={"is_training": False},
        ),
        ConformanceCase(
            "RelationalMemory",
            # Two heads with a key size of their own, two blocks, per-slot gates, and a
            # matrix input (one input row per entry of axis 1).
            create=lambda: RelationalMemory(
                mem_slots=3, head_size=2, num_heads=2, num_blocks=2, key_size=3
            ),
            inputs=lambda: (ramp(BATCH, 2, 3), ramp(BATCH, 3, 4, offset=0.1)),
            kwargs={"treat_input_as_matrix": True},
        ),
        ConformanceCase(
            "ResidualCore",
            create=lambda: ResidualCore(GRU(4)),
            inputs=lambda: (ramp(BATCH, 4), ramp(BATCH, 4, offset=0.1)),
        ),
        ConformanceCase(
            "SkipConnectionCore",
            create=lambda: SkipConnectionCore(LSTM(3)),
            inputs=lambda: (ramp(BATCH, 4), lstm_state(3)),
        ),
        ConformanceCase(
            "RNNCellWrapper",
            create=lambda: RNNCellWrapper(ElmanCell, 3),
            inputs=lambda: (ramp(BATCH, 4), ramp(BATCH, 3, offset=0.1)),
        ),
        ConformanceCase(
            "TrainableInitialState",
            # The rows of a tensor made trainable must be equal (one row is learned).
            create=lambda: TrainableInitialState(
                LSTMState(tf.tile(ramp(1, 3, offset=0.1), [BATCH, 1]), ramp(BATCH, 3)),
                mask=LSTMState(True, False),
            ),
            inputs=lambda: (),
        ),
    ]
