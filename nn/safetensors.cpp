// The safetensors reader and writer, and Module's two methods that use them.
// Format: huggingface/safetensors README.md, "Format"; the header is parsed
// by nlohmann-json (kept out of the public headers).

#include <xgrad/nn/safetensors.hpp>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include <xgrad/core/archive.hpp>
#include <xgrad/core/atomic_file.hpp>
#include <xgrad/core/detail/byte_reader.hpp>
#include <xgrad/core/error.hpp>
#include <xgrad/core/message.hpp>
#include <xgrad/nn/module.hpp>

namespace xg::nn {

namespace {

static_assert(std::endian::native == std::endian::little, "safetensors data is copied as little-endian");

// The Rust reader's bound: parsing a larger header is a denial of service.
constexpr std::uint64_t max_header_bytes = 100'000'000;

// IEEE 754 binary16 to float32, subnormals and infinities included.
float half_to_float(std::uint16_t h) {
  const std::uint32_t sign = static_cast<std::uint32_t>(h & 0x8000u) << 16;
  const std::uint32_t exponent = (h >> 10) & 0x1fu;
  std::uint32_t mantissa = h & 0x3ffu;
  if (exponent == 0x1f) return std::bit_cast<float>(sign | 0x7f800000u | (mantissa << 13));
  if (exponent != 0) return std::bit_cast<float>(sign | ((exponent + 112) << 23) | (mantissa << 13));
  // Subnormal: mantissa * 2^-24.
  const float magnitude = static_cast<float>(mantissa) * 0x1.0p-24f;
  return sign ? -magnitude : magnitude;
}

float bfloat16_to_float(std::uint16_t b) { return std::bit_cast<float>(static_cast<std::uint32_t>(b) << 16); }

// Every dtype decodes exactly into double; the caller narrows to its scalar.
struct DtypeInfo {
  std::size_t size;
  double (*decode)(const unsigned char*);
};

const std::map<std::string, DtypeInfo>& readable_dtypes() {
  static const std::map<std::string, DtypeInfo> dtypes = {
      {"F32",
       {4,
        [](const unsigned char* p) {
          float v;
          std::memcpy(&v, p, 4);
          return double{v};
        }}},
      {"F64",
       {8,
        [](const unsigned char* p) {
          double v;
          std::memcpy(&v, p, 8);
          return v;
        }}},
      {"F16",
       {2, [](const unsigned char* p) { return double{half_to_float(static_cast<std::uint16_t>(p[0] | p[1] << 8))}; }}},
      {"BF16",
       {2,
        [](const unsigned char* p) {
          return double{bfloat16_to_float(static_cast<std::uint16_t>(p[0] | p[1] << 8))};
        }}},
  };
  return dtypes;
}

struct TensorEntry {
  std::string name;
  const DtypeInfo* dtype;
  std::string dtype_name;
  Shape shape;
  std::uint64_t begin, end;
};

// The header's tensors, each checked on its own; the offsets against each
// other and the buffer are checked by the caller.
std::vector<TensorEntry> parse_header(std::string_view text, const std::string& source) {
  const auto fail = [&](const std::string& what) -> void { throw io::FormatError(source + ": " + what); };
  if (text.empty() || text.front() != '{') fail("the header does not start with '{' (not a safetensors file?)");
  // Duplicate names would be silently merged by the parser; nesting deeper
  // than the format's is refused before it is built.
  std::set<std::string> names;
  std::string duplicate;
  bool too_deep = false;
  nlohmann::json header;
  try {
    header = nlohmann::json::parse(text.begin(), text.end(),
                                   [&](int depth, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
                                     if (depth > 3) too_deep = true;
                                     if (event == nlohmann::json::parse_event_t::key && depth == 1 &&
                                         !names.insert(parsed.get<std::string>()).second)
                                       duplicate = parsed.get<std::string>();
                                     return !too_deep;
                                   });
  } catch (const nlohmann::json::exception& e) {
    fail(std::string("the header is not valid JSON: ") + e.what());
  }
  if (too_deep) fail("the header nests deeper than a safetensors header does");
  if (!duplicate.empty()) fail("the header names tensor " + quoted_text(duplicate) + " twice");
  if (!header.is_object()) fail("the header is not a JSON object");

  std::vector<TensorEntry> out;
  for (const auto& [name, value] : header.items()) {
    if (name == "__metadata__") {
      if (!value.is_object()) fail("__metadata__ is not an object of strings");
      for (const auto& [key, text_value] : value.items())
        if (!text_value.is_string()) fail("__metadata__ entry " + quoted_text(key) + " is not a string");
      continue;
    }
    const std::string tensor = "tensor " + quoted_text(name);
    if (!value.is_object() || value.size() != 3 || !value.contains("dtype") || !value.contains("shape") ||
        !value.contains("data_offsets"))
      fail(tensor + ": expected an object of exactly dtype, shape and data_offsets");
    const auto& dtype = value["dtype"];
    if (!dtype.is_string()) fail(tensor + ": dtype is not a string");
    const auto found = readable_dtypes().find(dtype.get<std::string>());
    if (found == readable_dtypes().end())
      fail(tensor + ": dtype " + quoted_text(dtype.get<std::string>()) + " is not one of F32, F64, F16, BF16");
    const auto& shape = value["shape"];
    if (!shape.is_array() || shape.size() > 32) fail(tensor + ": shape is not a list of at most 32 dimensions");
    TensorEntry entry{name, &found->second, found->first, {}, 0, 0};
    for (const auto& d : shape) {
      if (!d.is_number_unsigned()) fail(tensor + ": shape entry " + d.dump() + " is not a non-negative integer");
      entry.shape.push_back(d.get<std::size_t>());
    }
    const auto& offsets = value["data_offsets"];
    if (!offsets.is_array() || offsets.size() != 2 || !offsets[0].is_number_unsigned() ||
        !offsets[1].is_number_unsigned())
      fail(tensor + ": data_offsets " + offsets.dump().substr(0, 100) +
           " is not [begin, end] of non-negative integers");
    entry.begin = offsets[0].get<std::uint64_t>();
    entry.end = offsets[1].get<std::uint64_t>();
    out.push_back(std::move(entry));
  }
  return out;
}

}  // namespace

template <class S>
std::string safetensors_bytes(const NamedTensors<S>& tensors) {
  const char* dtype = std::is_same_v<S, float> ? "F32" : "F64";
  nlohmann::ordered_json header;
  header["__metadata__"] = {{"format", "pt"}};
  std::uint64_t offset = 0;
  for (const auto& [name, t] : tensors) {
    const std::uint64_t bytes = t.numel() * sizeof(S);
    header[name] = {{"dtype", dtype}, {"shape", t.shape()}, {"data_offsets", {offset, offset + bytes}}};
    offset += bytes;
  }
  std::string text = header.dump();
  text.append((8 - text.size() % 8) % 8, ' ');
  std::string out;
  out.reserve(8 + text.size() + offset);
  io::put_uint<std::uint64_t>(out, text.size());
  out += text;
  for (const auto& [name, t] : tensors) {
    const auto& value = t.value();
    out.append(reinterpret_cast<const char*>(value.data()), value.size() * sizeof(S));
  }
  return out;
}

template <class S>
std::vector<std::pair<std::string, Array<S>>> read_safetensors_bytes(std::string_view bytes,
                                                                     const std::string& source) {
  io::ByteReader reader(bytes, source);
  const auto header_length = reader.read_uint<std::uint64_t>("the header length");
  if (header_length > max_header_bytes)
    reader.fail("the header length " + std::to_string(header_length) + " is over the 100 MB safetensors allows");
  if (header_length > reader.remaining())
    reader.fail("the header length " + std::to_string(header_length) + " runs past the end of the file (" +
                std::to_string(reader.remaining()) + " bytes after the length)");
  auto entries = parse_header(reader.read_bytes(header_length, "the header"), source);
  const std::string_view data = reader.read_bytes(reader.remaining(), "the data");

  std::sort(entries.begin(), entries.end(),
            [](const auto& a, const auto& b) { return a.begin != b.begin ? a.begin < b.begin : a.end < b.end; });
  std::uint64_t previous_end = 0;
  const TensorEntry* previous = nullptr;
  for (const auto& e : entries) {
    const std::string tensor = source + ": tensor " + quoted_text(e.name);
    std::uint64_t numel = 1;
    for (const auto d : e.shape)
      if (d != 0 && numel > std::numeric_limits<std::uint64_t>::max() / e.dtype->size / d)
        throw io::FormatError(tensor + ": shape " + shape_to_string(e.shape) + " overflows the element count");
      else
        numel *= d;
    if (e.end < e.begin || e.end > data.size())
      throw io::FormatError(tensor + ": data_offsets [" + std::to_string(e.begin) + ", " + std::to_string(e.end) +
                            "] are out of the data buffer of " + std::to_string(data.size()) + " bytes");
    if (e.end - e.begin != numel * e.dtype->size)
      throw io::FormatError(tensor + ": data_offsets [" + std::to_string(e.begin) + ", " + std::to_string(e.end) +
                            "] hold " + std::to_string(e.end - e.begin) + " bytes, but " + e.dtype_name + " of shape " +
                            shape_to_string(e.shape) + " needs " + std::to_string(numel * e.dtype->size));
    if (previous && e.begin < previous_end && e.end > e.begin)
      throw io::FormatError(tensor + ": data_offsets [" + std::to_string(e.begin) + ", " + std::to_string(e.end) +
                            "] overlap those of tensor " + quoted_text(previous->name));
    if (e.end > e.begin) {
      previous_end = e.end;
      previous = &e;
    }
  }

  std::vector<std::pair<std::string, Array<S>>> out;
  out.reserve(entries.size());
  for (const auto& e : entries) {
    Array<S> value = Array<S>::from_shape(e.shape);
    const auto* p = reinterpret_cast<const unsigned char*>(data.data() + e.begin);
    for (std::size_t i = 0; i < value.size(); ++i) {
      value.data()[i] = static_cast<S>(e.dtype->decode(p + i * e.dtype->size));
      if (!std::isfinite(value.data()[i]))
        throw io::FormatError(source + ": tensor " + quoted_text(e.name) + " holds a non-finite value at flat index " +
                              std::to_string(i) + (std::is_same_v<S, float> ? " (as float32)" : ""));
    }
    out.emplace_back(e.name, std::move(value));
  }
  return out;
}

template <class S>
void load_safetensors_bytes(BasicModule<S>& model, std::string_view bytes, const std::string& source,
                            SafetensorsLoadOptions options) {
  auto file = read_safetensors_bytes<S>(bytes, source);
  std::map<std::string, Array<S>*> by_name;
  for (auto& [name, value] : file) by_name[name] = &value;
  const NamedTensors<S> params = model.named_state();
  std::vector<std::string> missing, unexpected;
  std::set<std::string> expected;
  for (const auto& [name, p] : params) {
    expected.insert(name);
    if (!by_name.count(name)) missing.push_back(name);
  }
  for (const auto& [name, value] : file)
    if (!expected.count(name)) unexpected.push_back(name);
  if (options.strict && (!missing.empty() || !unexpected.empty())) {
    const auto list = [](const std::vector<std::string>& names) {
      std::string out;
      for (std::size_t i = 0; i < names.size() && i < 20; ++i) out += (i ? ", " : "") + quoted_text(names[i]);
      return names.size() > 20 ? out + " and " + std::to_string(names.size() - 20) + " more" : out;
    };
    std::string msg = "Module::load_safetensors " + source + ": the tensor names do not match the model's.";
    if (!missing.empty()) msg += " Missing from the file: " + list(missing) + ".";
    if (!unexpected.empty()) msg += " Unexpected in the file (not in the model): " + list(unexpected) + ".";
    throw std::invalid_argument(msg + " (load with {.strict = false} to skip them)");
  }
  std::vector<std::pair<BasicTensor<S>, const Array<S>*>> loads;
  for (const auto& [name, p] : params) {
    const auto found = by_name.find(name);
    if (found == by_name.end()) continue;
    if (!shapes_equal(found->second->shape(), p.shape()))
      throw ShapeError("Module::load_safetensors " + source + ": tensor " + quoted_text(name) + " has shape " +
                       shape_to_string(found->second->shape()) + " in the file but " + shape_to_string(p.shape()) +
                       " in the model");
    loads.emplace_back(p, found->second);
  }
  // Copied into the existing buffers, so that optimizers holding the
  // parameters keep seeing them.
  for (auto& [p, value] : loads) std::copy(value->begin(), value->end(), p.value().begin());
}

template <class S>
void BasicModule<S>::save_safetensors(const std::string& path) const {
  io::write_file_atomically(path, safetensors_bytes(named_state()), "Module::save_safetensors");
}

template <class S>
void BasicModule<S>::load_safetensors(const std::string& path, SafetensorsLoadOptions options) {
  load_safetensors_bytes(*this, io::read_file(path, "Module::load_safetensors"), "'" + path + "'", options);
}

template std::string safetensors_bytes(const NamedTensors<float>&);
template std::string safetensors_bytes(const NamedTensors<double>&);
template std::vector<std::pair<std::string, Array<float>>> read_safetensors_bytes(std::string_view, const std::string&);
template std::vector<std::pair<std::string, Array<double>>> read_safetensors_bytes(std::string_view,
                                                                                   const std::string&);
template void load_safetensors_bytes(BasicModule<float>&, std::string_view, const std::string&, SafetensorsLoadOptions);
template void load_safetensors_bytes(BasicModule<double>&, std::string_view, const std::string&,
                                     SafetensorsLoadOptions);
template void BasicModule<float>::save_safetensors(const std::string&) const;
template void BasicModule<double>::save_safetensors(const std::string&) const;
template void BasicModule<float>::load_safetensors(const std::string&, SafetensorsLoadOptions);
template void BasicModule<double>::load_safetensors(const std::string&, SafetensorsLoadOptions);

}  // namespace xg::nn
