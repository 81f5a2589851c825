"""NumPy references for the Transformer tests (no TensorFlow)."""

import numpy as np


def softmax(x):
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def layer_norm(x, gamma=1.0, beta=0.0, eps=1e-5):
    mean = x.mean(axis=-1, keepdims=True)
    var = x.var(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * gamma + beta


def future_mask(n):
    """``-1e6`` above the diagonal, ``[1, 1, n, n]``."""
    mask = np.zeros([n, n])
    for i in range(n):
        for j in range(i + 1, n):
            mask[i, j] = -1e6
    return mask[None, None]


def position_encodings(length, size, clamp=0, max_timescale=10000.0):
    """``[length, size]``: sin and cos of the distance to the end at each frequency."""
    distance = np.arange(length - 1, -1, -1, dtype=np.float64)
    if clamp > 0:
        distance = np.minimum(distance, clamp)
    frequencies = max_timescale ** -(np.arange(0, size, 2) / size)
    angles = distance[:, None] * frequencies[None, :]
    return np.concatenate([np.sin(angles), np.cos(angles)], axis=-1)


def project(x, w, heads):
    """``[B, T, D] x [D, H * S] -> [B, H, T, S]``."""
    b, t, _ = x.shape
    return (x @ w).reshape(b, t, heads, -1).transpose(0, 2, 1, 3)


def attention(
    x,
    p,
    heads,
    key_size,
    memory=None,
    mask=None,
    absolute=None,
    relative=None,
):
    """Multi-head attention of ``x`` ``[B, N, D]`` over ``[memory, x]``.

    ``p`` maps variable names (relative to the module) to values. ``absolute``
    is a ``(key_encodings [T, D], query_encodings [N, D])`` pair added to the
    inputs; ``relative`` the key encodings ``[T, D]`` scored Transformer-XL
    style (distance ``d`` uses row ``T - 1 - d``). Returns
    ``(output, weights, content_logits)``.
    """
    keys_in = x if memory is None else np.concatenate([memory, x], axis=1)
    values_in, queries_in = keys_in, x
    n, t = x.shape[1], keys_in.shape[1]
    if absolute is not None:
        keys_in = keys_in + absolute[0][-t:]
        queries_in = queries_in + absolute[1]
    q = project(queries_in, p["query/linear/w"], heads) * key_size**-0.5
    k = project(keys_in, p["key/linear/w"], heads)
    v = project(values_in, p["value/linear/w"], heads)
    if relative is None:
        content = logits = q @ k.transpose(0, 1, 3, 2)
    else:
        content = (q + p["r_w_bias"]) @ k.transpose(0, 1, 3, 2)
        r = project(relative[None, -t:], p["relative_keys/linear/w"], heads)[0]  # [H, T, K]
        qr = q + p["r_r_bias"]
        position = np.zeros_like(content)
        m = t - n
        for i in range(n):
            for j in range(t):
                d = m + i - j
                if d >= 0:  # visible keys only; later ones are masked anyway
                    position[:, :, i, j] = np.einsum("bhk,hk->bh", qr[:, :, i], r[:, t - 1 - d])
        logits = content + position
    if mask is not None:
        logits = logits + mask[..., -t:]
    weights = softmax(logits)
    read = (weights @ v).transpose(0, 2, 1, 3).reshape(x.shape[0], n, -1)
    return read @ p["linear/w"] + p["linear/b"], weights, content
