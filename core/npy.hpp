#pragma once
// NumPy's .npy files for arrays, so numpy.load opens what xgrad writes and
// load_npy what numpy.save writes:
//
//   xg::save_npy("weights.npy", model.named_parameters()[0].second.value());
//   auto w = xg::load_npy<float>("weights.npy");       // float32 ('<f4'); load_npy<double>: '<f8'
//
// Format 1.0 (2.0 and 3.0 are read too) as numpy/numpy's
// doc/neps/nep-0001-npy-format.rst describes it: "\x93NUMPY", major and
// minor version, the header length, a Python dict literal {'descr',
// 'fortran_order', 'shape'} padded with spaces and a newline to a multiple
// of 64 bytes, then the little-endian data. Fortran-ordered files are read
// into C order. Anything else (another dtype, big-endian, a truncated file,
// an element count that overflows) throws io::FormatError naming the file
// and what was found.
//
// xtensor's xnpy reads through std::ifstream with no bound on the header and
// reports neither the file nor the field, so the reader is written here.

#include <string>
#include <string_view>

#include <xgrad/core/archive.hpp>
#include <xgrad/core/array.hpp>

namespace xg {

// S is float or double.
template <class S>
void save_npy(const std::string& path, const Array<S>& array);
template <class S>
Array<S> load_npy(const std::string& path);

// The same on bytes in memory; `source` names them in messages.
template <class S>
std::string npy_bytes(const Array<S>& array);
template <class S>
Array<S> parse_npy(std::string_view bytes, const std::string& source = "<memory>");

}  // namespace xg
