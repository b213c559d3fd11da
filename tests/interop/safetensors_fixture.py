#!/usr/bin/env python3
"""An independent safetensors writer and reader for xgrad's tests, using only
the standard library (json, struct), from the format in huggingface/safetensors
README.md: a little-endian u64 header length, the JSON header, the data.

  safetensors_fixture.py write OUT   writes the fixture that tests/test_safetensors.cpp
                                     checks value by value (tests/data/fixture.safetensors)
  safetensors_fixture.py check FILE  checks a model xgrad saved (tests/interop/write_safetensors_model.cpp):
                                     names, dtype, shapes, offsets and every value
"""
import json
import struct
import sys

# The fixture: the parameters of Sequential(Linear(3, 4), Tanh(), Linear(4, 2))
# in four dtypes. Every value is exactly representable in its dtype and in
# float32, so the C++ test compares them exactly.
FIXTURE = [
    ("0.weight", "F32", [4, 3], "<12f", [(k - 5) / 8 for k in range(12)]),
    ("0.bias", "F64", [4], "<4d", [0.1 * (k + 1) for k in range(4)]),
    ("2.weight", "F16", [2, 4], "<8e", [1.5, -0.25, 65504.0, 2.0 ** -24, 0.0, -2.0, 0.333251953125, 1024.0]),
    # bfloat16 is the upper half of a float32: packed as float32, halved below.
    ("2.bias", "BF16", [2], "<2f", [3.0, -0.0078125]),
]

# What write_safetensors_model.cpp gives parameter t's flat element k.
MODEL = [("0.weight", [4, 3]), ("0.bias", [4]), ("2.weight", [2, 4]), ("2.bias", [2])]


def model_value(t, k):
    return (k + 10 * t - 7) / 16


def pack(fmt, values, dtype):
    raw = struct.pack(fmt, *values)
    if dtype == "BF16":
        raw = b"".join(raw[i + 2:i + 4] for i in range(0, len(raw), 4))
    return raw


def write(path):
    header, data = {"__metadata__": {"format": "pt"}}, b""
    for name, dtype, shape, fmt, values in FIXTURE:
        raw = pack(fmt, values, dtype)
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [len(data), len(data) + len(raw)]}
        data += raw
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + data)


def check(path):
    with open(path, "rb") as f:
        content = f.read()
    (length,) = struct.unpack_from("<Q", content, 0)
    header = json.loads(content[8:8 + length])
    data = content[8 + length:]
    names = [n for n in header if n != "__metadata__"]
    expected_names = [n for n, _ in MODEL]
    assert sorted(names) == sorted(expected_names), f"names {names}, expected {expected_names}"
    end = 0
    for t, (name, shape) in enumerate(MODEL):
        entry = header[name]
        assert entry["dtype"] == "F32", f"{name}: dtype {entry['dtype']}"
        assert entry["shape"] == shape, f"{name}: shape {entry['shape']}, expected {shape}"
        begin, stop = entry["data_offsets"]
        count = 1
        for d in shape:
            count *= d
        assert stop - begin == 4 * count, f"{name}: offsets {begin}, {stop} for {count} floats"
        values = struct.unpack_from(f"<{count}f", data, begin)
        for k, v in enumerate(values):
            assert v == model_value(t, k), f"{name}[{k}] = {v}, expected {model_value(t, k)}"
        end = max(end, stop)
    assert end == len(data), f"the data buffer has {len(data)} bytes, the tensors use {end}"
    print(f"{path}: {len(names)} tensors, every value as written")


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("write", "check"):
        sys.exit(__doc__)
    (write if sys.argv[1] == "write" else check)(sys.argv[2])
