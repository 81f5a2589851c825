"""Broken, fragile and incompatible plugins; strict mode."""


def test_broken_plugin_warns_and_everything_else_works(default_probe):
    broken = [w for w in default_probe["warnings"] if "snt-broken" in w]
    assert (
        broken and "snt-broken 0.1.0" in broken[0] and "snt-broken exploded on import" in broken[0]
    )
    assert "RuntimeError" in broken[0]
    assert default_probe["results"]["SAME"][0] == "ok"


def test_unknown_name_mentions_the_failed_plugin_and_chains(default_probe):
    kind, message, cause = default_probe["results"]["Dumy"]
    assert kind == "AttributeError" and "Did you mean: 'dummy'" in message
    assert "snt-broken" in message and cause == "RuntimeError"


def test_lazy_target_failure_is_a_plugin_error_chained(default_probe):
    kind, message, cause = default_probe["results"]["Fragile"]
    assert kind == "PluginError" and "snt-fragile 0.1.0" in message
    assert "libfragile" in message and cause == "ImportError"


def test_incompatible_plugin_is_skipped_with_both_versions(default_probe):
    [warning] = [w for w in default_probe["warnings"] if "snt-incompatible" in w]
    assert "requires snt-core>=9 but snt-core 0.1.0 is installed" in warning
    assert default_probe["results"]["Incompatible"][0] == "AttributeError"


def test_strict_mode_raises_on_first_lookup(probe):
    result = probe(["SAME"], SNT_STRICT_PLUGINS="1")
    kind, message, cause = result["results"]["SAME"]
    assert kind == "PluginError" and "SNT_STRICT_PLUGINS" in message
    assert "snt-broken" in message and "snt-incompatible" in message and cause == "RuntimeError"


def test_strict_mode_passes_when_only_good_plugins_load(probe):
    result = probe(["SAME", "DummyModule"], SNT_STRICT_PLUGINS="1", SNT_PLUGINS="nets,snt-dummy")
    assert result["results"]["SAME"][0] == result["results"]["DummyModule"][0] == "ok"
    assert result["warnings"] == []
