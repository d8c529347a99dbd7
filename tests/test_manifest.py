"""output.manifest: the build's JSON files, byte for byte what the standard library writes."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from newsletter.output.manifest import dumps, file_entry, manifest


def reference(data) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


def tree(scalars):
    return st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                        | st.dictionaries(st.text(max_size=8), inner, max_size=4), max_leaves=30)


exact = st.none() | st.booleans() | st.integers(min_value=-(2**63), max_value=2**63 - 1) | st.text()
floats = st.floats(allow_nan=False, allow_infinity=False)


@settings(max_examples=400, deadline=None)
@given(tree(exact))
def test_same_bytes_as_the_standard_library(data):
    assert dumps(data) == reference(data)


@settings(max_examples=200, deadline=None)
@given(tree(exact | floats))
def test_floats_read_back_equal(data):
    # Floats are written in orjson's shortest form (1e-7 where Python writes 1e-07): the same
    # number, and the same bytes on every machine.
    assert json.loads(dumps(data)) == data
    assert dumps(data) == dumps(json.loads(dumps(data)))


def test_control_characters_quotes_and_other_scripts():
    data = {"z": "\x00\x1f\x7f\u2028 \"quoted\" \\ é 中文 العربية", "a": [[], {}], "b": 1.5}
    assert dumps(data) == reference(data)


def test_what_orjson_refuses_goes_through_the_standard_library():
    for data in ({1: "integer key", 2: "another"}, {"big": 2**70}):
        assert dumps(data) == reference(data)


def test_manifest_lists_assets_with_their_hashes():
    out = json.loads(manifest([{"issue": "2026-11"}], {"assets/a.png": b"png"}, {"generator": "newsletter 1"}))
    assert out["generator"] == "newsletter 1"
    assert out["assets"] == [file_entry("assets/a.png", b"png")]
    assert out["assets"][0]["sha256"] == "8f8cbb7dcf46e0bc7d53265749a6c17d116093a6ba95e442764060c76fd4a86c"
