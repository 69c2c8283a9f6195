"""Framing for messages between the grader and the learner's process.

A frame is MAGIC, a u64 body length, then the body: a u32 JSON header length, the JSON header,
a u32 count of arrays, and each array as u64 length + .npy bytes (allow_pickle=False on both
sides). Arrays in the JSON are replaced by {"__nd__": index}. Nothing is ever pickled, so a
hostile learner process can send only plain numbers, strings and numeric arrays.

This module is loaded both by the grader and, as a top-level module, by the learner's process:
it must import nothing but the standard library and NumPy.
"""

from __future__ import annotations

import io
import json
import struct

import numpy as np

MAGIC = b"GSW1"
PREFIX = struct.Struct("<4sQ")
ALLOWED_KINDS = "biufc"  # bool, ints, floats, complex: never object or structured arrays


class ProtocolError(Exception):
    """A frame that is not well formed (learner code wrote to the channel, or tampered with us)."""


def _strip_arrays(obj, blobs: list[bytes]):
    if isinstance(obj, np.ndarray):
        buffer = io.BytesIO()
        # np.ascontiguousarray would turn a 0-d array into shape (1,)
        np.lib.format.write_array(buffer, np.array(obj, order="C", copy=None), allow_pickle=False)
        blobs.append(buffer.getvalue())
        return {"__nd__": len(blobs) - 1}
    if isinstance(obj, dict):
        return {str(k): _strip_arrays(v, blobs) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_strip_arrays(v, blobs) for v in obj]
    if isinstance(obj, np.generic):
        return obj.item()
    return obj


def encode(obj) -> bytes:
    blobs: list[bytes] = []
    header = json.dumps(_strip_arrays(obj, blobs), allow_nan=True).encode()
    parts = [struct.pack("<I", len(header)), header, struct.pack("<I", len(blobs))]
    for blob in blobs:
        parts += [struct.pack("<Q", len(blob)), blob]
    body = b"".join(parts)
    return PREFIX.pack(MAGIC, len(body)) + body


def _restore(obj, arrays: list[np.ndarray]):
    if isinstance(obj, dict):
        if set(obj) == {"__nd__"}:
            index = obj["__nd__"]
            if not isinstance(index, int) or not 0 <= index < len(arrays):
                raise ProtocolError("array reference out of range")
            return arrays[index]
        return {k: _restore(v, arrays) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_restore(v, arrays) for v in obj]
    return obj


def decode_body(body: bytes):
    try:
        (header_len,) = struct.unpack_from("<I", body, 0)
        offset = 4
        header = json.loads(body[offset : offset + header_len])
        offset += header_len
        (count,) = struct.unpack_from("<I", body, offset)
        offset += 4
        arrays = []
        for _ in range(count):
            (size,) = struct.unpack_from("<Q", body, offset)
            offset += 8
            array = np.lib.format.read_array(io.BytesIO(body[offset : offset + size]), allow_pickle=False)
            if array.dtype.kind not in ALLOWED_KINDS or array.dtype.fields is not None:
                raise ProtocolError(f"array of dtype {array.dtype} is not allowed")
            arrays.append(array)
            offset += size
        if offset != len(body):
            raise ProtocolError("trailing bytes in frame")
    except ProtocolError:
        raise
    except Exception as exc:  # any parse failure of untrusted bytes is a protocol error
        raise ProtocolError(f"malformed frame: {type(exc).__name__}: {exc}") from None
    return _restore(header, arrays)


class FrameReader:
    """Accumulates bytes from a pipe and yields whole frames; rejects oversized or foreign data."""

    def __init__(self, max_frame: int = 512 * 1024 * 1024) -> None:
        self.buffer = bytearray()
        self.max_frame = max_frame

    def feed(self, data: bytes) -> None:
        self.buffer += data

    def next_frame(self):
        if len(self.buffer) < PREFIX.size:
            return None
        magic, length = PREFIX.unpack_from(self.buffer, 0)
        if magic != MAGIC:
            raise ProtocolError("the reply did not start with the grader's frame marker")
        if length > self.max_frame:
            raise ProtocolError(f"reply of {length} bytes is larger than allowed")
        end = PREFIX.size + length
        if len(self.buffer) < end:
            return None
        body = bytes(self.buffer[PREFIX.size : end])
        del self.buffer[:end]
        return decode_body(body)


def read_frame_blocking(fd: int):
    """Child side: read exactly one frame from fd (None at EOF)."""
    import os

    reader = FrameReader()
    while True:
        frame = reader.next_frame()
        if frame is not None:
            return frame
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            return None
        reader.feed(chunk)


def write_all(fd: int, data: bytes) -> None:
    import os

    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]
