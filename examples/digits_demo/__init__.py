"""Digits demo: three Sonnet models trained on scikit-learn's bundled digits.

1. ``mlp``: ``snt.nets.MLP`` classifier in graph mode (placeholders, Session,
   L2 regularizers collected from ``REGULARIZATION_LOSSES``).
2. ``autoencoder``: ``snt.nets.ConvNet2D`` encoder and its ``transpose()`` as
   decoder, trained eagerly with a ``tf.function`` step, checkpointed.
3. ``rnn``: ``snt.DeepRNN`` of two ``snt.LSTM`` cores with skip connections
   reading an image row by row through ``snt.dynamic_unroll``.

Run ``python examples/run_digits_demo.py --help``.
"""
