#pragma once
// NumPy's .npz files: a zip archive of .npy files, one per named array, as
// numpy.savez writes them and numpy.load reads them:
//
//   xg::save_npz("run.npz", std::map<std::string, xg::Array<float>>{{"w", w}, {"b", b}});
//   auto arrays = xg::load_npz<float>("run.npz");      // arrays.at("w")
//
// Written: uncompressed ("stored") entries "<name>.npy". Read: stored
// entries, with or without the zip64 fields numpy.savez adds; compressed
// ones (numpy.savez_compressed) are refused by name, as is any entry whose
// CRC-32, sizes or offsets do not hold, with io::FormatError naming the file
// and the entry. Each entry is read as load_npy reads a file.

#include <map>
#include <string>
#include <string_view>

#include <xgrad/core/array.hpp>

namespace xg {

// S is float or double.
template <class S>
void save_npz(const std::string& path, const std::map<std::string, Array<S>>& arrays);
template <class S>
std::map<std::string, Array<S>> load_npz(const std::string& path);

// The same on bytes in memory; `source` names them in messages.
template <class S>
std::string npz_bytes(const std::map<std::string, Array<S>>& arrays);
template <class S>
std::map<std::string, Array<S>> parse_npz(std::string_view bytes, const std::string& source = "<memory>");

}  // namespace xg
