"""snt.with_doc copies a docstring (Sonnet 1's rnn_core.with_doc)."""

import pytest

import sonnet as snt


def test_copies_the_docstring():
    class Core(snt.RNNCore):
        @snt.with_doc(snt.RNNCore.initial_state)
        def initial_state(self, batch_size, dtype=None):
            return None

    assert Core.initial_state.__doc__ == snt.RNNCore.initial_state.__doc__
    assert Core.initial_state.__doc__


def test_rejects_non_callables():
    with pytest.raises(TypeError, match="snt.with_doc expects the function .* got str"):
        snt.with_doc("docs")
