# SPDX-License-Identifier: GPL-3.0-or-later
"""gguf_writer.py: a small GGUF v3 writer for test models and vocabularies.

Pure Python (struct/array); numpy arrays are accepted where lists are, but numpy is not
required. Metadata of every GGUF value type, tensors as F32, F16, BF16 or Q8_0.

    w = GGUFWriter()
    w.add("general.architecture", "llama")                 # type inferred: str, bool, int, float
    w.add("llama.block_count", 2, GGUFValueType.UINT32)    # or explicit
    w.add_array("tokenizer.ggml.tokens", ["<unk>", "<s>"]) # element type inferred or given
    w.add_tensor("token_embd.weight", data, shape=(n_vocab, n_embd), dtype=GGMLType.F16)
    w.write("model.gguf")

Shapes are given outermost first (numpy order, as gguf-py does) and written reversed as
ggml's ne[], so shape (n_vocab, n_embd) is ne = [n_embd, n_vocab]; data is the row-major
flattening of that shape.
"""

from __future__ import annotations

import array
import math
import struct
import sys
from enum import IntEnum

GGUF_MAGIC = b"GGUF"
GGUF_VERSION = 3
GGUF_DEFAULT_ALIGNMENT = 32


class GGUFValueType(IntEnum):
    UINT8 = 0
    INT8 = 1
    UINT16 = 2
    INT16 = 3
    UINT32 = 4
    INT32 = 5
    FLOAT32 = 6
    BOOL = 7
    STRING = 8
    ARRAY = 9
    UINT64 = 10
    INT64 = 11
    FLOAT64 = 12


class GGMLType(IntEnum):
    F32 = 0
    F16 = 1
    Q8_0 = 8
    BF16 = 30


_SCALAR_FORMAT = {
    GGUFValueType.UINT8: "<B",
    GGUFValueType.INT8: "<b",
    GGUFValueType.UINT16: "<H",
    GGUFValueType.INT16: "<h",
    GGUFValueType.UINT32: "<I",
    GGUFValueType.INT32: "<i",
    GGUFValueType.FLOAT32: "<f",
    GGUFValueType.BOOL: "<?",
    GGUFValueType.UINT64: "<Q",
    GGUFValueType.INT64: "<q",
    GGUFValueType.FLOAT64: "<d",
}

# (block size in elements, bytes per block)
_TYPE_LAYOUT = {
    GGMLType.F32: (1, 4),
    GGMLType.F16: (1, 2),
    GGMLType.BF16: (1, 2),
    GGMLType.Q8_0: (32, 34),
}


def _infer_type(value) -> GGUFValueType:
    if isinstance(value, bool):
        return GGUFValueType.BOOL
    if isinstance(value, int):
        return GGUFValueType.INT32 if -(2**31) <= value < 2**31 else GGUFValueType.INT64
    if isinstance(value, float):
        return GGUFValueType.FLOAT32
    if isinstance(value, (str, bytes)):
        return GGUFValueType.STRING
    if isinstance(value, (list, tuple)):
        return GGUFValueType.ARRAY
    raise TypeError(f"cannot infer a GGUF type for {type(value).__name__}")


def _pack_string(value) -> bytes:
    data = value.encode("utf-8") if isinstance(value, str) else bytes(value)
    return struct.pack("<Q", len(data)) + data


def _flatten(data) -> list:
    """A flat list of floats from a list, nested lists, array.array or a numpy array."""
    if hasattr(data, "reshape") and hasattr(data, "tolist"):  # numpy
        return [float(x) for x in data.reshape(-1).tolist()]
    if isinstance(data, array.array):
        return list(data)
    out = []
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, (list, tuple)):
            stack.extend(reversed(item))
        else:
            out.append(float(item))
    return out


def f32_to_bf16_bits(value: float) -> int:
    bits = struct.unpack("<I", struct.pack("<f", value))[0]
    if math.isnan(value):
        return (bits >> 16) | 0x40  # keep it a NaN
    # round to nearest, ties to even
    return ((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16) & 0xFFFF


def quantize_q8_0(values: list) -> bytes:
    """ggml's Q8_0: blocks of 32 as an F16 scale amax/127 and 32 int8 = round(x / scale)."""
    if len(values) % 32:
        raise ValueError("Q8_0 needs a multiple of 32 elements")
    out = bytearray()
    for i in range(0, len(values), 32):
        block = values[i:i + 32]
        amax = max(abs(v) for v in block)
        d = amax / 127.0
        inv = 1.0 / d if d else 0.0
        out += struct.pack("<e", d)
        # ggml rounds half away from zero (roundf)
        out += struct.pack("<32b", *[int(math.copysign(math.floor(abs(v * inv) + 0.5), v))
                                      for v in block])
    return bytes(out)


def encode_tensor(values: list, dtype: GGMLType) -> bytes:
    if dtype == GGMLType.F32:
        a = array.array("f", values)
        if sys.byteorder != "little":
            a.byteswap()
        return a.tobytes()
    if dtype == GGMLType.F16:
        return struct.pack(f"<{len(values)}e", *values)
    if dtype == GGMLType.BF16:
        return struct.pack(f"<{len(values)}H", *[f32_to_bf16_bits(v) for v in values])
    if dtype == GGMLType.Q8_0:
        return quantize_q8_0(values)
    raise ValueError(f"unsupported tensor type {dtype!r}")


class GGUFWriter:
    def __init__(self, alignment: int = GGUF_DEFAULT_ALIGNMENT):
        self.alignment = alignment
        self.kv: list[tuple[str, bytes]] = []
        self.keys: set[str] = set()
        self.tensors: list[tuple[str, tuple, GGMLType, bytes]] = []
        if alignment != GGUF_DEFAULT_ALIGNMENT:
            self.add("general.alignment", alignment, GGUFValueType.UINT32)

    # ---- metadata ----

    def _add_raw(self, key: str, payload: bytes) -> None:
        if key in self.keys:
            raise KeyError(f"duplicate key {key}")
        self.keys.add(key)
        self.kv.append((key, payload))

    @staticmethod
    def _pack_value(value, vtype: GGUFValueType) -> bytes:
        if vtype == GGUFValueType.STRING:
            return _pack_string(value)
        if vtype == GGUFValueType.ARRAY:
            raise TypeError("use add_array for arrays")
        return struct.pack(_SCALAR_FORMAT[vtype], value)

    def add(self, key: str, value, vtype: GGUFValueType | None = None) -> None:
        vtype = _infer_type(value) if vtype is None else GGUFValueType(vtype)
        if vtype == GGUFValueType.ARRAY:
            self.add_array(key, value)
            return
        self._add_raw(key, struct.pack("<I", vtype) + self._pack_value(value, vtype))

    def _pack_array(self, values, elem_type: GGUFValueType | None) -> bytes:
        values = list(values)
        if elem_type is None:
            elem_type = _infer_type(values[0]) if values else GGUFValueType.INT32
            # a list of floats or ints inferred from its first element may mix; widen
            if elem_type == GGUFValueType.INT32 and any(isinstance(v, float) for v in values):
                elem_type = GGUFValueType.FLOAT32
        elem_type = GGUFValueType(elem_type)
        out = bytearray(struct.pack("<IQ", elem_type, len(values)))
        if elem_type == GGUFValueType.STRING:
            for v in values:
                out += _pack_string(v)
        elif elem_type == GGUFValueType.ARRAY:
            for v in values:  # nested: (elem_type or None, values)
                sub_type, sub_values = v if isinstance(v, tuple) else (None, v)
                out += self._pack_array(sub_values, sub_type)
        else:
            fmt = _SCALAR_FORMAT[elem_type]
            out += struct.pack("<" + fmt[1] * len(values), *values)
        return bytes(out)

    def add_array(self, key: str, values, elem_type: GGUFValueType | None = None) -> None:
        self._add_raw(key, struct.pack("<I", GGUFValueType.ARRAY) + self._pack_array(values, elem_type))

    # ---- tensors ----

    def add_tensor(self, name: str, data, shape, dtype: GGMLType = GGMLType.F32) -> None:
        shape = tuple(int(d) for d in shape)
        values = _flatten(data)
        n = 1
        for d in shape:
            n *= d
        if n != len(values):
            raise ValueError(f"{name}: shape {shape} needs {n} values, got {len(values)}")
        block, _ = _TYPE_LAYOUT[GGMLType(dtype)]
        if shape[-1] % block:
            raise ValueError(f"{name}: rows of {shape[-1]} are not a multiple of {block}")
        self.tensors.append((name, shape, GGMLType(dtype), encode_tensor(values, GGMLType(dtype))))

    # ---- output ----

    def _pad(self, n: int) -> int:
        return (n + self.alignment - 1) // self.alignment * self.alignment

    def to_bytes(self) -> bytes:
        out = bytearray()
        out += GGUF_MAGIC
        out += struct.pack("<IQQ", GGUF_VERSION, len(self.tensors), len(self.kv))
        for key, payload in self.kv:
            out += _pack_string(key) + payload
        offset = 0
        offsets = []
        for name, shape, dtype, data in self.tensors:
            offsets.append(offset)
            out += _pack_string(name)
            out += struct.pack("<I", len(shape))
            for d in reversed(shape):
                out += struct.pack("<Q", d)
            out += struct.pack("<IQ", dtype, offset)
            offset = self._pad(offset + len(data))
        out += b"\0" * (self._pad(len(out)) - len(out))
        data_start = len(out)
        for (name, shape, dtype, data), off in zip(self.tensors, offsets):
            out += b"\0" * (data_start + off - len(out))
            out += data
        out += b"\0" * (self._pad(len(out) - data_start) - (len(out) - data_start))
        return bytes(out)

    def write(self, path: str) -> None:
        with open(path, "wb") as f:
            f.write(self.to_bytes())
