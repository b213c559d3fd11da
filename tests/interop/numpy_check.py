#!/usr/bin/env python3
"""numpy against xgrad's .npy and .npz files, both ways; exits 77 (skipped)
when numpy is not installed.

  numpy_check.py write DIR   numpy.save / numpy.savez the arrays below into DIR
                             (for tests/interop/npy_interop.cpp read DIR)
  numpy_check.py check DIR   numpy.load what npy_interop write DIR wrote, value by value
"""
import os
import sys

try:
    import numpy
except ImportError:
    print("numpy is not installed: skipped")
    sys.exit(77)


def arrays():
    """The arrays both sides write: exact in float32 and float64."""
    matrix = (numpy.arange(15, dtype=numpy.float32).reshape(3, 5) - 3) / 8
    vector = numpy.arange(4, dtype=numpy.float64) * 0.1
    return matrix, vector


def write(directory):
    matrix, vector = arrays()
    numpy.save(os.path.join(directory, "numpy_matrix.npy"), matrix)
    numpy.save(os.path.join(directory, "numpy_fortran.npy"), numpy.asfortranarray(matrix))
    numpy.savez(os.path.join(directory, "numpy_arrays.npz"), matrix=matrix, vector=vector.astype(numpy.float32))


def check(directory):
    matrix, vector = arrays()
    got = numpy.load(os.path.join(directory, "xgrad_matrix.npy"))
    assert got.dtype == numpy.float32 and got.shape == (3, 5), (got.dtype, got.shape)
    assert (got == matrix).all(), got
    got = numpy.load(os.path.join(directory, "xgrad_vector.npy"))
    assert got.dtype == numpy.float64 and (got == vector).all(), got
    with numpy.load(os.path.join(directory, "xgrad_arrays.npz")) as archive:
        assert sorted(archive.files) == ["matrix", "vector"], archive.files
        assert (archive["matrix"] == matrix).all() and (archive["vector"] == vector.astype(numpy.float32)).all()
    print(f"numpy {numpy.__version__} loads xgrad's .npy and .npz files, every value as written")


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("write", "check"):
        sys.exit(__doc__)
    (write if sys.argv[1] == "write" else check)(sys.argv[2])
