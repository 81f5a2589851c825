"""Loads a SavedModel in a fresh interpreter and serves batches of several sizes.

Usage: ``load_saved_model.py DIR INPUTS.npz``; prints ``RESULT{json}`` with the
outputs per input and whether Sonnet had to be imported to serve them.
"""

import json
import sys

import numpy as np
import tensorflow as tf

loaded = tf.saved_model.load(sys.argv[1])
inputs = np.load(sys.argv[2])
out = {name: loaded(tf.constant(inputs[name])).numpy().tolist() for name in inputs.files}
serving = loaded.signatures["serving_default"]
out["signature"] = {
    name: next(iter(serving(x=tf.constant(inputs[name])).values())).numpy().tolist()
    for name in inputs.files
}
out["sonnet_imported"] = "sonnet" in sys.modules
print("RESULT" + json.dumps(out))
