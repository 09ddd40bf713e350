"""TensorBoard event files without TensorFlow: TFRecord framing, masked CRC-32C, and the few protobuf messages
(Event, Summary, Value, TensorProto) that carry scalars."""

from __future__ import annotations

import os
import struct
from dataclasses import dataclass
from typing import Dict, Iterator, List, Optional, Tuple

# ---- CRC-32C (Castagnoli, reflected polynomial 0x82F63B78): slicing-by-8 tables, 8 bytes per step ----------


def _tables() -> List[List[int]]:
    t0 = []
    for n in range(256):
        c = n
        for _ in range(8):
            c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
        t0.append(c)
    tables = [t0]
    for _ in range(7):  # table k: the CRC of byte n followed by k zero bytes
        prev = tables[-1]
        tables.append([(prev[n] >> 8) ^ t0[prev[n] & 0xFF] for n in range(256)])
    return tables


_T = _tables()


def crc32c(data: bytes) -> int:
    t0, t1, t2, t3, t4, t5, t6, t7 = _T
    crc = 0xFFFFFFFF
    n = len(data) - len(data) % 8
    for lo, hi in struct.iter_unpack("<II", memoryview(data)[:n]):
        lo ^= crc
        crc = (
            t7[lo & 0xFF]
            ^ t6[(lo >> 8) & 0xFF]
            ^ t5[(lo >> 16) & 0xFF]
            ^ t4[lo >> 24]
            ^ t3[hi & 0xFF]
            ^ t2[(hi >> 8) & 0xFF]
            ^ t1[(hi >> 16) & 0xFF]
            ^ t0[hi >> 24]
        )
    for b in data[n:]:
        crc = t0[(crc ^ b) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFF


def masked_crc32c(data: bytes) -> int:
    """TFRecord's mask: rotate right by 15 and add a constant, so CRCs of CRCs stay well distributed."""
    crc = crc32c(data)
    return (((crc >> 15) | (crc << 17)) + 0xA282EAD8) & 0xFFFFFFFF


class CorruptRecord(Exception):
    def __init__(self, path: str, offset: int, what: str) -> None:
        super().__init__(f"{path}: corrupt record at byte offset {offset}: {what}")
        self.path = path
        self.offset = offset


def read_records(path: str, offset: int = 0) -> Iterator[Tuple[int, bytes]]:
    """(offset just past the record, payload) for each complete record from `offset`.

    A record cut short at the end of the file (the writer is still writing it) ends the iteration quietly;
    a CRC that does not match raises CorruptRecord with the record's offset.
    """
    with open(path, "rb") as f:
        f.seek(offset)
        while True:
            header = f.read(12)
            if len(header) < 12:
                return
            (length,) = struct.unpack("<Q", header[:8])
            (length_crc,) = struct.unpack("<I", header[8:])
            if masked_crc32c(header[:8]) != length_crc:
                raise CorruptRecord(path, offset, "length CRC mismatch")
            body = f.read(length + 4)
            if len(body) < length + 4:
                return
            data = body[:length]
            (data_crc,) = struct.unpack("<I", body[length:])
            if masked_crc32c(data) != data_crc:
                raise CorruptRecord(path, offset, "data CRC mismatch")
            offset += 12 + length + 4
            yield offset, data


# ---- protobuf wire format ----------------------------------------------------------------------------------


def _varint(buf: bytes, i: int) -> Tuple[int, int]:
    shift = result = 0
    while True:
        if i >= len(buf):
            raise ValueError("truncated varint")
        b = buf[i]
        i += 1
        result |= (b & 0x7F) << shift
        if not b & 0x80:
            return result, i
        shift += 7


def fields(buf: bytes) -> Iterator[Tuple[int, int, object]]:
    """(field number, wire type, value): ints for varint/fixed, bytes for length-delimited."""
    i = 0
    n = len(buf)
    while i < n:
        key, i = _varint(buf, i)
        num, wire = key >> 3, key & 7
        if wire == 0:
            v, i = _varint(buf, i)
            yield num, wire, v
        elif wire == 1:
            yield num, wire, buf[i : i + 8]
            i += 8
        elif wire == 2:
            length, i = _varint(buf, i)
            yield num, wire, buf[i : i + length]
            i += length
        elif wire == 5:
            yield num, wire, buf[i : i + 4]
            i += 4
        else:
            raise ValueError(f"unsupported wire type {wire}")
        if i > n:
            raise ValueError("truncated field")


# tensorflow/core/framework/types.proto
DT_FLOAT, DT_DOUBLE, DT_INT32, DT_INT64, DT_HALF = 1, 2, 3, 9, 19
_CONTENT = {DT_FLOAT: "<f", DT_DOUBLE: "<d", DT_INT32: "<i", DT_INT64: "<q", DT_HALF: "<e"}


def _packed(raw: object, wire: int, fmt: str) -> List[float]:
    assert isinstance(raw, bytes)
    if wire == 2:
        size = struct.calcsize(fmt)
        return [struct.unpack_from(fmt, raw, k)[0] for k in range(0, len(raw) - size + 1, size)]
    return [struct.unpack(fmt, raw)[0]]


def _varints(raw: object, wire: int) -> List[float]:
    if wire == 0:
        assert isinstance(raw, int)
        return [float(raw - (1 << 64) if raw >= 1 << 63 else raw)]
    assert isinstance(raw, bytes)
    out, i = [], 0
    while i < len(raw):
        v, i = _varint(raw, i)
        out.append(float(v - (1 << 64) if v >= 1 << 63 else v))
    return out


def _tensor_scalar(buf: bytes) -> Optional[float]:
    """The value of a TensorProto holding exactly one number (tf.summary.scalar in TF2, SummaryWriter new_style)."""
    dtype = 0
    dims = 0
    values: List[float] = []
    content = b""
    for num, wire, v in fields(buf):
        if num == 1 and wire == 0:
            assert isinstance(v, int)
            dtype = v
        elif num == 2 and isinstance(v, bytes):
            dims = sum(1 for n, _, d in fields(v) if n == 2 and isinstance(d, bytes) and _dim_size(d) != 1)
        elif num == 4 and isinstance(v, bytes):
            content = v
        elif num == 5:
            values += _packed(v, wire, "<f")
        elif num == 6:
            values += _packed(v, wire, "<d")
        elif num in (7, 10):
            values += _varints(v, wire)
        elif num == 13:  # half_val: float16 bits as int32
            values += [struct.unpack("<e", struct.pack("<H", int(x) & 0xFFFF))[0] for x in _varints(v, wire)]
    if dims:
        return None
    if content and dtype in _CONTENT:
        fmt = _CONTENT[dtype]
        if len(content) == struct.calcsize(fmt):
            return float(struct.unpack(fmt, content)[0])
        return None
    return values[0] if len(values) == 1 else None


def _dim_size(dim: bytes) -> int:
    for num, _, v in fields(dim):
        if num == 1 and isinstance(v, int):
            return v
    return 1


def _plugin_name(metadata: bytes) -> str:
    for num, _, v in fields(metadata):
        if num == 1 and isinstance(v, bytes):  # plugin_data
            for n2, _, name in fields(v):
                if n2 == 1 and isinstance(name, bytes):
                    return name.decode(errors="replace")
    return ""


@dataclass
class Scalar:
    tag: str
    step: int
    wall_time: float
    value: float


def _value(buf: bytes) -> Optional[Tuple[str, float]]:
    tag = ""
    simple: Optional[float] = None
    tensor: Optional[bytes] = None
    plugin = ""
    for num, wire, v in fields(buf):
        if num == 7 and isinstance(v, bytes):
            tag = v.decode(errors="replace")
        elif num == 1 and isinstance(v, bytes) and not tag:
            tag = v.decode(errors="replace")  # node_name, the tag of very old writers
        elif num == 2 and wire == 5 and isinstance(v, bytes):
            simple = struct.unpack("<f", v)[0]
        elif num == 8 and isinstance(v, bytes):
            tensor = v
        elif num == 9 and isinstance(v, bytes):
            plugin = _plugin_name(v)
    if simple is not None:
        return tag, float(simple)
    if tensor is not None and plugin in ("", "scalars"):
        x = _tensor_scalar(tensor)
        if x is not None:
            return tag, x
    return None


def event_scalars(buf: bytes) -> List[Scalar]:
    """The scalars of one serialized Event (wall_time = 1, step = 2, summary = 5)."""
    wall = 0.0
    step = 0
    summary: Optional[bytes] = None
    for num, wire, v in fields(buf):
        if num == 1 and wire == 1 and isinstance(v, bytes):
            wall = struct.unpack("<d", v)[0]
        elif num == 2 and wire == 0 and isinstance(v, int):
            step = v
        elif num == 5 and isinstance(v, bytes):
            summary = v
    if summary is None:
        return []
    out = []
    for num, _, v in fields(summary):
        if num == 1 and isinstance(v, bytes):
            tv = _value(v)
            if tv is not None:
                out.append(Scalar(tv[0], step, wall, tv[1]))
    return out


def read_scalars(path: str, offset: int = 0) -> Iterator[Tuple[int, Scalar]]:
    """(offset past the record, scalar) for each scalar in an event file from `offset`."""
    for end, data in read_records(path, offset):
        try:
            scalars = event_scalars(data)
        except (ValueError, struct.error) as e:
            raise CorruptRecord(path, end - len(data) - 16, f"not an Event protobuf ({e})") from None
        for s in scalars:
            yield end, s


def event_files(logdir: str) -> List[str]:
    """Event files under logdir (recursively), sorted so that each run's files come in write order."""
    out = []
    for root, dirs, files in os.walk(logdir):
        dirs.sort()
        out += [os.path.join(root, f) for f in sorted(files) if "tfevents" in f]
    return out


def run_of(logdir: str, path: str, run: Optional[str]) -> str:
    """One run per subdirectory (its path relative to logdir); files directly in logdir take its name."""
    if run:
        return run
    rel = os.path.relpath(os.path.dirname(path), logdir)
    if rel == ".":
        return os.path.basename(os.path.normpath(os.path.abspath(logdir)))
    return rel.replace(os.sep, "/")


def scalars_by_run(
    logdir: str, run: Optional[str] = None, offsets: Optional[Dict[str, int]] = None
) -> Iterator[Tuple[str, str, int, Scalar]]:
    """(file, run, offset past the record, scalar) for every scalar after the given per-file offsets."""
    offsets = offsets or {}
    for path in event_files(logdir):
        name = run_of(logdir, path, run)
        for end, s in read_scalars(path, offsets.get(path, 0)):
            yield path, name, end, s
