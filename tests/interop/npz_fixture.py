#!/usr/bin/env python3
"""Writes the .npz fixtures that tests/test_npz.cpp reads, with the standard
library alone: each .npy entry is laid out from NumPy's format description
(doc/neps/nep-0001-npy-format.rst) with struct, and the zip is written by
zipfile the way numpy.savez writes it (stored entries opened with
force_zip64=True).

  npz_fixture.py OUT_DIR   writes OUT_DIR/fixture.npz and OUT_DIR/fixture_compressed.npz
"""
import os
import struct
import sys
import zipfile

ARRAYS = {
    # name: (descr, shape, struct format, values)
    "weight": ("<f4", (2, 3), "<6f", [0.5, 1.0, 2.0, 3.0, 4.0, -5.25]),
    "bias": ("<f4", (3,), "<3f", [0.125, -1.0, 1e-3]),
}


def npy(descr, shape, fmt, values):
    dims = "(" + ", ".join(str(d) for d in shape) + ("," if len(shape) == 1 else "") + ")"
    header = "{'descr': '%s', 'fortran_order': False, 'shape': %s, }" % (descr, dims)
    header += " " * (-(10 + len(header) + 1) % 64) + "\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode("latin1") + struct.pack(fmt, *values)


def write(path, compression):
    with zipfile.ZipFile(path, mode="w", compression=compression, allowZip64=True) as archive:
        for name, spec in ARRAYS.items():
            with archive.open(name + ".npy", "w", force_zip64=True) as entry:
                entry.write(npy(*spec))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    write(os.path.join(sys.argv[1], "fixture.npz"), zipfile.ZIP_STORED)
    write(os.path.join(sys.argv[1], "fixture_compressed.npz"), zipfile.ZIP_DEFLATED)
