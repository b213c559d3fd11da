#pragma once
// safetensors files (huggingface/safetensors, README "Format") for whole
// models, keyed by named_state(), which are PyTorch's state_dict keys for
// the same architecture ("0.weight", "0.bias", "1.running_mean"...):
//
//   model.save_safetensors("mlp.safetensors");    // safetensors.torch.load_file opens it
//   model.load_safetensors("mlp.safetensors");    // what safetensors.torch.save_file wrote
//
// Layout: a little-endian u64 N, N bytes of a JSON header {"<name>":
// {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {...}},
// then the data buffer, each tensor little-endian in C order at its offsets.
// Written: the model's scalar type ("F32" or "F64"), in named_state()
// order, the header padded with spaces to a multiple of 8 bytes. Read: F32,
// F64, F16 and BF16, all into the model's scalar type.
//
// The reader refuses, with an io::FormatError naming the file and the tensor:
// a header length past the file or over 100 MB, a header that is not a JSON
// object, duplicate names, a shape or offset that is not a non-negative
// integer (so no non-finite or fractional number), another dtype, offsets
// out of the data buffer, overlapping another tensor's, or not the size the
// shape and dtype give, and non-finite values.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <xgrad/core/array.hpp>
#include <xgrad/core/tensor.hpp>

namespace xg::nn {

template <class S>
class BasicModule;

struct SafetensorsLoadOptions {
  // As load_state_dict(strict) in PyTorch: with false, names missing from
  // the file or unexpected in it are skipped; shapes are always checked.
  bool strict = true;
};

// The bytes of a safetensors file holding `tensors` as F32 or F64 (S).
template <class S>
std::string safetensors_bytes(const NamedTensors<S>& tensors);

// Every tensor of a safetensors file, converted to S, in the order of their
// data offsets; `source` names the bytes in messages.
template <class S = float>
std::vector<std::pair<std::string, Array<S>>> read_safetensors_bytes(std::string_view bytes,
                                                                     const std::string& source = "<memory>");

// What Module::load_safetensors does, on bytes in memory: every tensor is
// read and checked against the model (names, shapes) before any parameter
// changes; on any failure the model is left as it was.
template <class S>
void load_safetensors_bytes(BasicModule<S>& model, std::string_view bytes, const std::string& source,
                            SafetensorsLoadOptions options = {});

}  // namespace xg::nn
