"""Conflicts, reserved names, SNT_PLUGINS and SNT_DISABLE_PLUGINS with real distributions."""


def test_conflict_neither_wins_and_names_both(default_probe):
    kind, message, _ = default_probe["results"]["Shared"]
    assert kind == "PluginConflictError"
    assert "snt-conflict-a 0.1.0" in message and "snt-conflict-b 0.1.0" in message
    assert "neither is used" in message
    assert default_probe["results"]["OnlyA"][0] == default_probe["results"]["OnlyB"][0] == "ok"


def _first_party_or_reserved(result, module, dist):
    """Resolved from the first-party package, or (not exported yet) reserved for it."""
    if result[0] == "ok":
        return module in result[1]
    return result[0] == "AttributeError" and f"reserved for {dist}" in result[1]


def test_squatter_cannot_take_linear(default_probe):
    warnings = default_probe["warnings"]
    assert any("snt-squatter" in w and "reserved for snt-nets" in w for w in warnings)
    assert _first_party_or_reserved(default_probe["results"]["Linear"], "snt_nets", "snt-nets")
    assert default_probe["results"]["SquatterOk"][0] == "ok"


def test_reserved_names_of_installed_first_party_plugins(default_probe):
    results = default_probe["results"]
    assert _first_party_or_reserved(results["LSTM"], "snt_rnn", "snt-rnn")
    assert _first_party_or_reserved(
        results["nets.ConvNet2DTranspose"], "snt_transpose", "snt-transpose"
    )


def test_allow_list_empty_means_core_only(probe):
    result = probe(["SAME", "Linear", "AbstractModule"], SNT_PLUGINS="")
    assert set(result["status"].values()) == {"disabled"}
    assert result["results"]["AbstractModule"][0] == "ok"
    assert result["results"]["SAME"][0] == "AttributeError"
    assert "snt-nets, which is installed but disabled" in result["results"]["Linear"][1]
    assert result["warnings"] == []


def test_allow_list_by_entry_point_or_distribution_name(probe):
    result = probe(["SAME", "DummyModule", "Shared"], SNT_PLUGINS="nets,snt-dummy,conflict_a")
    assert result["status"]["nets"] == result["status"]["dummy"] == "ok"
    assert result["status"]["broken"] == result["status"]["rnn"] == "disabled"
    assert result["results"]["Shared"][0] == "ok"  # snt-conflict-b is not loaded


def test_block_list(probe):
    result = probe(["Shared", "SAME"], SNT_DISABLE_PLUGINS="snt-conflict-b,broken")
    assert result["status"]["conflict_b"] == result["status"]["broken"] == "disabled"
    assert result["results"]["Shared"][0] == "ok" and result["results"]["SAME"][0] == "ok"
    assert not any("snt-broken" in w for w in result["warnings"])
