"""MultiWorkerMirroredStrategy: two worker processes on 127.0.0.1 (plus a reference).

Each worker trains on its half of the global batch with gradients all-reduced
across the workers; both must end with the same variables, equal to a
single-process run on the concatenated batches.
"""

import json
import socket

import numpy as np
import pytest

TIMEOUT = 150


def free_ports(n):
    socks = [socket.socket() for _ in range(n)]
    try:
        for s in socks:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


@pytest.mark.slow
def test_two_workers_match_single_process(processes):
    cluster = {"worker": [f"127.0.0.1:{p}" for p in free_ports(2)]}
    workers = [
        processes.start(
            "mwms_worker.py",
            TF_CONFIG=json.dumps({"cluster": cluster, "task": {"type": "worker", "index": i}}),
        )
        for i in range(2)
    ]
    reference = processes.start("mwms_worker.py", "--reference")
    results = [processes.result_of(p, TIMEOUT) for p in workers]
    expected = processes.result_of(reference, TIMEOUT)

    assert [r["task"] for r in results] == [0, 1]
    assert all(r["num_replicas"] == 2 for r in results)
    for kind in ("mlp", "lstm"):
        first, second = results[0][kind], results[1][kind]
        assert sorted(first) == sorted(second) == sorted(expected[kind])
        for name, want in expected[kind].items():
            a, b = np.array(first[name]["value"]), np.array(second[name]["value"])
            assert first[name]["type"] == "MirroredVariable", (kind, name)
            np.testing.assert_array_equal(a, b, err_msg=f"{kind}/{name} differs between workers")
            np.testing.assert_allclose(a, np.array(want["value"]), rtol=1e-5, atol=1e-6)
