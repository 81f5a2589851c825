"""Helpful AttributeErrors for names nobody provides."""

import importlib.metadata
import os
import subprocess
import sys

import pytest

import sonnet as snt
from sonnet.testing import isolated_registry


@pytest.mark.parametrize(
    "name, dist",
    [
        ("Linear", "snt-nets"),
        ("LSTM", "snt-rnn"),
        ("Conv2DTranspose", "snt-transpose"),
        ("RelationalMemory", "snt-rnn"),
        ("ACTCore", "snt-rnn"),
        ("LSTMBlockCell", "snt-rnn"),
        ("AffineGridWarper", "snt-nets"),
        ("MovingAverage", "snt-nets"),
        ("wrap_with_spectral_norm", "snt-nets"),
    ],
)
def test_reserved_name_without_its_plugin_says_what_to_install(name, dist):
    with isolated_registry():
        with pytest.raises(AttributeError) as info:
            getattr(snt, name)
        assert str(info.value) == (
            f"snt.{name} is provided by {dist}, which is not installed (pip install {dist})"
        )


def test_reserved_namespace_name_without_its_plugin():
    with isolated_registry():
        with pytest.raises(AttributeError, match=r"snt.nets.MLP is provided by snt-nets"):
            snt.nets.MLP  # noqa: B018
        with pytest.raises(AttributeError, match=r"pip install snt-transpose"):
            snt.nets.ConvNet2DTranspose  # noqa: B018
        with pytest.raises(AttributeError, match=r"snt.nets.VectorQuantizer is provided by snt-n"):
            snt.nets.VectorQuantizer  # noqa: B018
        with pytest.raises(AttributeError, match=r"snt.nets.TransformerXL is provided by snt-rnn"):
            snt.nets.TransformerXL  # noqa: B018


def test_unknown_name_suggests_close_matches():
    with isolated_registry():
        with pytest.raises(AttributeError, match=r"no attribute 'Lnear'\. Did you mean: 'Linear'"):
            snt.Lnear  # noqa: B018
        with pytest.raises(AttributeError, match="AbstractModule"):
            snt.AbstractModul  # noqa: B018
        assert not hasattr(snt, "definitely_not_a_name")


def test_from_import_of_missing_name_raises_import_error():
    with isolated_registry():
        with pytest.raises(ImportError, match="provided by snt-nets"):
            from sonnet import Linear  # noqa: F401


def _installed(dist):
    try:
        importlib.metadata.distribution(dist)
    except importlib.metadata.PackageNotFoundError:
        return False
    return True


@pytest.mark.skipif(_installed("snt-nets"), reason="only meaningful with snt-core alone")
def test_linear_with_only_snt_core_installed():
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    code = "import sonnet as snt\ntry:\n    snt.Linear\nexcept AttributeError as e:\n    print(e)\n"
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout
    assert (
        "snt.Linear is provided by snt-nets, which is not installed (pip install snt-nets)" in out
    )
