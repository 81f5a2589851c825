"""From a TF1 checkpoint to TF2 training with the same Sonnet 1 model code.

1. ``sonnet1_train.py`` is a Sonnet 1 program (``tensorflow.compat.v1`` with
   v2 behaviour disabled, placeholders, a Session): it trains
   :class:`~checkpoint_migration.model.DigitsConvNet` on the digits and saves it
   with ``tf.compat.v1.train.Saver``, as Sonnet 1 users did.
2. ``finetune.py``, in a second process, rebuilds the same model eagerly,
   restores that checkpoint with ``snt.restore_from_checkpoint``, checks the
   outputs are identical to the writer's, and fine-tunes it with a
   ``tf.function`` step.

Run ``python examples/run_checkpoint_migration.py --help``.
"""
