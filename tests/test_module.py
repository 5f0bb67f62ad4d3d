import pickle

import numpy as np
import pytest

import spikey
from spikey.module import ConfigError, Key, Module


class Part(Module):
    NECESSARY_KEYS = [
        Key("n", "count", int, default=3),
        Key("rate", "a rate", float),
        Key("arr", "an array", np.ndarray, default=None),
    ]


class DictPart(Module):
    NECESSARY_KEYS = {"a": "first", "b": "second"}


def test_values_stored_with_underscore_and_defaults():
    p = Part(rate=1)
    assert p._n == 3 and p._rate == 1 and p._arr is None


def test_missing_key_names_part_and_key():
    with pytest.raises(KeyError, match=r"Part: missing .*'rate'"):
        Part()
    with pytest.raises(ConfigError, match="'a'"):
        DictPart(b=1)


def test_wrong_type_names_key_given_and_expected():
    with pytest.raises(TypeError, match=r"Part: key 'n' got 'x'; expected a value of type int"):
        Part(rate=1.0, n="x")
    with pytest.raises(ConfigError):
        Part(rate=True)  # bools are not numbers here


def test_list_converted_to_array_and_numpy_scalars_accepted():
    p = Part(rate=np.float32(0.5), n=np.int64(2), arr=[1, 2])
    assert isinstance(p._arr, np.ndarray) and p._n == 2


def test_extend_keys_keeps_container_and_does_not_mutate_base():
    before = list(Part.NECESSARY_KEYS)
    extended = Part.extend_keys({"extra": "new"})
    assert [k.name for k in extended] == ["n", "rate", "arr", "extra"]
    assert Part.NECESSARY_KEYS == before
    d = DictPart.extend_keys([Key("c", "third")])
    assert d == {"a": "first", "b": "second", "c": "third"}


def test_extend_keys_redeclare_replaces_default():
    keys = Part.extend_keys([Key("n", "count", int, default=7)])
    assert [k.name for k in keys].count("n") == 1
    assert keys[0].default == 7


def test_list_keys_prints_every_key(capsys):
    Part.list_keys()
    out = capsys.readouterr().out
    assert '"n": "[int, default=3] count"' in out and '"rate"' in out


def test_save_load_roundtrip(tmp_path):
    p = Part(rate=0.25, arr=np.arange(3))
    spikey.save(p, tmp_path / "p.spike")
    q = spikey.load(tmp_path / "p.spike")
    assert q._rate == 0.25 and np.array_equal(q._arr, np.arange(3))
    (tmp_path / "x").write_bytes(pickle.dumps([1]))
    with pytest.raises(TypeError, match="holds a list; expected a spikey Module"):
        spikey.load(tmp_path / "x")


def test_train_eval_copy():
    p = Part(rate=1.0)
    p.eval()
    assert not p.training
    q = p.copy()
    q._rate = 2.0
    assert p._rate == 1.0


def test_settings_is_a_read_only_live_view_of_declared_keys():
    class Part(Module):
        NECESSARY_KEYS = [Key("n", "how many", int, default=3), Key("rate", "", float, default=0.5)]

    part = Part(rate=0.25)
    assert part.settings.n == 3 and part.settings["rate"] == 0.25
    assert dict(part.settings) == {"n": 3, "rate": 0.25}
    part._n = 7  # original Spikey user code assigns the private attribute
    assert part.settings.n == 7
    with pytest.raises(AttributeError, match="read-only"):
        part.settings.n = 1
    with pytest.raises(KeyError, match="has no setting 'nope'"):
        part.settings["nope"]
    with pytest.raises(AttributeError, match="nope"):
        _ = part.settings.nope


def test_save_and_load_moved_out_of_the_configuration_contract(tmp_path):
    import spikey.module
    import spikey.saving

    assert spikey.save is spikey.saving.save and spikey.load is spikey.saving.load
    with pytest.warns(DeprecationWarning, match="spikey.module.save moved to spikey.saving"):
        assert spikey.module.save is spikey.saving.save
