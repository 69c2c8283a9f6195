"""The grader's framing: plain data round-trips; what a hostile child could send is refused."""

from __future__ import annotations

import numpy as np
import pytest

from grader.worker.protocol import FrameReader, ProtocolError, encode


def _roundtrip(obj):
    reader = FrameReader()
    reader.feed(encode(obj))
    return reader.next_frame()


def test_arrays_numbers_and_nesting_round_trip_as_writable_arrays() -> None:
    x = np.arange(6.0).reshape(2, 3)
    got = _roundtrip({"a": x, "b": [1, 2.5, None, "s"], "c": np.array(3.0)})
    assert np.array_equal(got["a"], x) and got["a"].shape == (2, 3)
    assert got["c"].shape == ()  # 0-d stays 0-d
    assert got["b"] == [1, 2.5, None, "s"]
    # Learner code gets ordinary arrays: read-only ones would give @njit code another signature
    # (and a recompile on every run) and make in-place writes fail with a confusing error.
    assert got["a"].flags.writeable and got["c"].flags.writeable


def test_frames_split_across_reads_are_reassembled() -> None:
    data = encode({"x": np.ones(1000)})
    reader = FrameReader()
    for start in range(0, len(data), 97):
        assert reader.next_frame() is None
        reader.feed(data[start:start + 97])
    assert np.array_equal(reader.next_frame()["x"], np.ones(1000))


@pytest.mark.parametrize("garbage", [b"hello world, I passed!", b"GSW1" + b"\xff" * 8])
def test_foreign_bytes_are_a_protocol_error(garbage: bytes) -> None:
    reader = FrameReader()
    reader.feed(garbage)
    with pytest.raises(ProtocolError):
        reader.next_frame()


def test_object_arrays_are_refused() -> None:
    import io
    import struct

    buffer = io.BytesIO()
    np.lib.format.write_array(buffer, np.array([{"evil": 1}], dtype=object), allow_pickle=True)
    header = b'{"__nd__": 0}'
    body = struct.pack("<I", len(header)) + header + struct.pack("<I", 1)
    body += struct.pack("<Q", len(buffer.getvalue())) + buffer.getvalue()
    reader = FrameReader()
    reader.feed(b"GSW1" + struct.pack("<Q", len(body)) + body)
    with pytest.raises(ProtocolError):
        reader.next_frame()
