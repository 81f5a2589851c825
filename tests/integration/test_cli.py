"""``python -m sonnet`` and ``python -m sonnet --json`` with real distributions."""

import json


def test_json_report(run_python):
    proc = run_python("", "-m", "sonnet", "--json")
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["snt_core"] == "0.1.0" and report["tensorflow"].startswith("2.")
    assert report["python"] and report["numpy"]
    plugins = {p["name"]: p for p in report["plugins"]}
    nets = plugins["nets"]
    assert (nets["entry_point"], nets["distribution"], nets["status"]) == (
        "snt_nets._plugin",
        "snt-nets",
        "ok",
    )
    assert "SAME" in nets["exports"]
    assert plugins["broken"]["status"] == "failed"
    assert "exploded" in plugins["broken"]["reason"]
    assert plugins["incompatible"]["status"] == "incompatible"
    assert any("Linear" in c for c in plugins["squatter"]["conflicts"])
    [conflict] = report["conflicts"]
    assert conflict["name"] == "Shared" and len(conflict["providers"]) == 2


def test_text_report_and_plugins_subcommand(run_python):
    proc = run_python("", "-m", "sonnet", "plugins", SNT_DISABLE_PLUGINS="dummy")
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "snt-core 0.1.0" in out and "TensorFlow 2." in out and "numpy" in out
    assert "nets = snt_nets._plugin  [snt-nets 0.1.0]  ok" in out
    assert "dummy = snt_dummy._plugin  [snt-dummy 0.1.0]  disabled" in out
    assert "Shared: snt-conflict-a 0.1.0 and snt-conflict-b 0.1.0" in out
    assert "dm-sonnet" not in proc.stderr


def test_warns_about_dm_sonnet(tmp_path, run_python):
    dist_info = tmp_path / "dm_sonnet-1.36.dist-info"
    dist_info.mkdir()
    (dist_info / "METADATA").write_text("Metadata-Version: 2.1\nName: dm-sonnet\nVersion: 1.36\n")
    proc = run_python("", "-m", "sonnet", PYTHONPATH=str(tmp_path))
    assert proc.returncode == 0
    assert "dm-sonnet 1.36" in proc.stderr and "pip uninstall dm-sonnet" in proc.stderr
