// Encoding and validating archives. A reader never trusts a field: every
// length is checked against the bytes that remain before anything is
// allocated or copied, so a hostile or damaged file costs an exception, not a
// crash or a huge allocation. The CRC-32 then catches what the structure
// cannot, such as a flipped bit inside a payload.

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <sstream>
#include <type_traits>
#include <xgrad/core/archive.hpp>
#include <xgrad/core/atomic_file.hpp>
#include <xgrad/core/detail/byte_reader.hpp>
#include <xgrad/core/message.hpp>

namespace xg::io {

namespace {

constexpr std::string_view magic = "XGRADARC";

enum class Tag : std::uint8_t { array_f32 = 1, array_f64 = 2, number = 3, string = 4, integer = 5 };

const char* tag_name(Tag t) {
  switch (t) {
    case Tag::array_f32: return "float32 array";
    case Tag::array_f64: return "float64 array";
    case Tag::number: return "number";
    case Tag::string: return "string";
    case Tag::integer: return "integer";
  }
  return "unknown";
}

// Slicing-by-8 tables: table[0] is the classic byte-at-a-time table, and
// table[k][n] the CRC of byte n followed by k zero bytes, so that eight bytes
// are folded per step (checkpoints of large models are checksummed whole).
std::array<std::array<std::uint32_t, 256>, 8> make_crc_tables() {
  std::array<std::array<std::uint32_t, 256>, 8> table{};
  for (std::uint32_t n = 0; n < 256; ++n) {
    std::uint32_t c = n;
    for (int k = 0; k < 8; ++k) c = (c & 1u) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    table[0][n] = c;
  }
  for (std::uint32_t n = 0; n < 256; ++n)
    for (std::size_t k = 1; k < 8; ++k) table[k][n] = (table[k - 1][n] >> 8) ^ table[0][table[k - 1][n] & 0xFFu];
  return table;
}

template <class T>
void put_scalars(std::string& out, const T* data, std::size_t n) {
  if constexpr (std::endian::native == std::endian::little) {
    out.append(reinterpret_cast<const char*>(data), n * sizeof(T));
  } else {
    using U = std::conditional_t<sizeof(T) == 4, std::uint32_t, std::uint64_t>;
    for (std::size_t i = 0; i < n; ++i) put_uint(out, std::bit_cast<U>(data[i]));
  }
}

template <class T>
std::vector<T> read_scalars(ByteReader& in, std::size_t n, const std::string& field) {
  std::string_view raw = in.read_bytes(static_cast<std::uint64_t>(n) * sizeof(T), field);
  std::vector<T> out(n);
  if constexpr (std::endian::native == std::endian::little) {
    if (n) std::memcpy(out.data(), raw.data(), n * sizeof(T));
  } else {
    using U = std::conditional_t<sizeof(T) == 4, std::uint32_t, std::uint64_t>;
    for (std::size_t i = 0; i < n; ++i) {
      U v = 0;
      for (std::size_t b = 0; b < sizeof(U); ++b)
        v |= static_cast<U>(static_cast<unsigned char>(raw[i * sizeof(U) + b])) << (8 * b);
      out[i] = std::bit_cast<T>(v);
    }
  }
  return out;
}

}  // namespace

std::uint32_t crc32(std::string_view bytes, std::uint32_t crc) {
  static const auto table = make_crc_tables();
  crc = ~crc;
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  std::size_t n = bytes.size();
  for (; n >= 8; n -= 8, p += 8) {
    const std::uint32_t low =
        crc ^ (std::uint32_t(p[0]) | std::uint32_t(p[1]) << 8 | std::uint32_t(p[2]) << 16 | std::uint32_t(p[3]) << 24);
    crc = table[7][low & 0xFFu] ^ table[6][(low >> 8) & 0xFFu] ^ table[5][(low >> 16) & 0xFFu] ^ table[4][low >> 24] ^
          table[3][p[4]] ^ table[2][p[5]] ^ table[1][p[6]] ^ table[0][p[7]];
  }
  for (; n > 0; --n, ++p) crc = table[0][(crc ^ *p) & 0xFFu] ^ (crc >> 8);
  return ~crc;
}

void Archive::insert(const std::string& name, Value v) {
  if (name.size() > std::numeric_limits<std::uint32_t>::max())
    throw std::invalid_argument("Archive::put: entry name is too long (" + std::to_string(name.size()) + " bytes)");
  auto it = index_.find(name);
  if (it != index_.end()) {
    entries_[it->second].second = std::move(v);
  } else {
    index_.emplace(name, entries_.size());
    entries_.emplace_back(name, std::move(v));
  }
}

void Archive::put(const std::string& name, const Array<float>& a) {
  insert(name, ArrayF{to_shape(a.shape()), std::vector<float>(a.begin(), a.end())});
}

void Archive::put(const std::string& name, const Array<double>& a) {
  insert(name, ArrayD{to_shape(a.shape()), std::vector<double>(a.begin(), a.end())});
}

void Archive::put_number(const std::string& name, double value) { insert(name, value); }

void Archive::put_integer(const std::string& name, std::int64_t value) { insert(name, value); }

void Archive::put_string(const std::string& name, const std::string& value) { insert(name, value); }

Archive Archive::section(std::string_view prefix) const {
  Archive out;
  out.source_ = source_;
  for (const auto& [name, value] : entries_)
    if (name.starts_with(prefix)) out.insert(name.substr(prefix.size()), value);
  return out;
}

void Archive::put_section(const std::string& prefix, const Archive& section) {
  for (const auto& [name, value] : section.entries_) insert(prefix + name, value);
}

bool Archive::contains(const std::string& name) const { return index_.count(name) != 0; }

std::vector<std::string> Archive::names() const {
  std::vector<std::string> out;
  out.reserve(entries_.size());
  for (const auto& e : entries_) out.push_back(e.first);
  return out;
}

const Archive::Value& Archive::find(const std::string& name, const char* wanted) const {
  auto it = index_.find(name);
  if (it == index_.end())
    throw FormatError("archive " + quoted_text(source_) + ": no entry named " + quoted_text(name) + " (expected " +
                      wanted + ")");
  return entries_[it->second].second;
}

namespace {
const char* value_type_name(std::size_t variant_index) {
  static const char* names[] = {"a float32 array", "a float64 array", "a number", "a string", "an integer"};
  return names[variant_index];
}
}  // namespace

template <class Scalar>
Array<Scalar> Archive::get_array(const std::string& name) const {
  const Value& v = find(name, "an array");
  auto convert = [](const auto& stored) {
    auto out = Array<Scalar>::from_shape(stored.shape);
    std::copy(stored.data.begin(), stored.data.end(), out.begin());
    return out;
  };
  if (const auto* f = std::get_if<ArrayF>(&v)) return convert(*f);
  if (const auto* d = std::get_if<ArrayD>(&v)) return convert(*d);
  throw FormatError("archive " + quoted_text(source_) + ": entry " + quoted_text(name) + " holds " +
                    value_type_name(v.index()) + ", not an array");
}

template Array<float> Archive::get_array<float>(const std::string&) const;
template Array<double> Archive::get_array<double>(const std::string&) const;

double Archive::get_number(const std::string& name) const {
  const Value& v = find(name, "a number");
  if (const auto* d = std::get_if<double>(&v)) return *d;
  if (const auto* i = std::get_if<std::int64_t>(&v)) return static_cast<double>(*i);
  throw FormatError("archive " + quoted_text(source_) + ": entry " + quoted_text(name) + " holds " +
                    value_type_name(v.index()) + ", not a number");
}

std::int64_t Archive::get_integer(const std::string& name) const {
  const Value& v = find(name, "an integer");
  if (const auto* i = std::get_if<std::int64_t>(&v)) return *i;
  if (const auto* d = std::get_if<double>(&v)) {
    if (std::abs(*d) <= 9007199254740992.0 && *d == std::floor(*d)) return static_cast<std::int64_t>(*d);
    throw FormatError("archive " + quoted_text(source_) + ": entry " + quoted_text(name) + " holds " + number_text(*d) +
                      ", not a whole number");
  }
  throw FormatError("archive " + quoted_text(source_) + ": entry " + quoted_text(name) + " holds " +
                    value_type_name(v.index()) + ", not an integer");
}

std::string Archive::get_string(const std::string& name) const {
  const Value& v = find(name, "a string");
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  throw FormatError("archive " + quoted_text(source_) + ": entry " + quoted_text(name) + " holds " +
                    value_type_name(v.index()) + ", not a string");
}

std::string Archive::to_bytes(std::string_view kind) const {
  std::string out;
  out.append(magic);
  put_uint<std::uint32_t>(out, format_version);
  put_uint<std::uint32_t>(out, static_cast<std::uint32_t>(kind.size()));
  out.append(kind);
  put_uint<std::uint64_t>(out, entries_.size());
  for (const auto& [name, value] : entries_) {
    put_uint<std::uint32_t>(out, static_cast<std::uint32_t>(name.size()));
    out.append(name);
    auto put_header = [&](Tag tag, const Shape& shape, std::uint64_t payload) {
      out.push_back(static_cast<char>(tag));
      put_uint<std::uint32_t>(out, static_cast<std::uint32_t>(shape.size()));
      for (auto d : shape) put_uint<std::uint64_t>(out, d);
      put_uint<std::uint64_t>(out, payload);
    };
    if (const auto* f = std::get_if<ArrayF>(&value)) {
      put_header(Tag::array_f32, f->shape, f->data.size() * sizeof(float));
      put_scalars(out, f->data.data(), f->data.size());
    } else if (const auto* d = std::get_if<ArrayD>(&value)) {
      put_header(Tag::array_f64, d->shape, d->data.size() * sizeof(double));
      put_scalars(out, d->data.data(), d->data.size());
    } else if (const auto* num = std::get_if<double>(&value)) {
      put_header(Tag::number, {}, sizeof(double));
      put_scalars(out, num, 1);
    } else if (const auto* integer = std::get_if<std::int64_t>(&value)) {
      put_header(Tag::integer, {}, sizeof(std::int64_t));
      put_uint(out, static_cast<std::uint64_t>(*integer));
    } else {
      const auto& s = std::get<std::string>(value);
      put_header(Tag::string, {}, s.size());
      out.append(s);
    }
  }
  put_uint<std::uint32_t>(out, crc32(out));
  return out;
}

Archive Archive::from_bytes(std::string_view bytes, std::string_view kind, const std::string& source) {
  ByteReader in(bytes, "archive " + quoted_text(source));
  const std::string_view found_magic = bytes.substr(0, std::min(bytes.size(), magic.size()));
  if (found_magic != magic)
    in.fail("not an xgrad archive: expected the magic bytes " + quoted_text(magic) + " at the start, found " +
            quoted_text(found_magic) + (bytes.size() < magic.size() ? " (the file is too short)" : ""));
  in.read_bytes(magic.size(), "magic");
  const auto version = in.read_uint<std::uint32_t>("format version");
  if (version == 0 || version > format_version)
    in.fail("format version " + std::to_string(version) + " is " + (version ? "newer than" : "not") +
            " supported (this build reads versions 1 to " + std::to_string(format_version) + ")");
  const auto kind_length = in.read_uint<std::uint32_t>("kind length");
  const std::string_view found_kind = in.read_bytes(kind_length, "kind");
  if (found_kind != kind)
    in.fail("holds an archive of kind " + quoted_text(found_kind) + ", but kind " + quoted_text(kind) +
            " was expected");

  Archive archive;
  archive.source_ = source;
  const auto count = in.read_uint<std::uint64_t>("entry count");
  for (std::uint64_t e = 0; e < count; ++e) {
    const std::string which = "entry " + std::to_string(e);
    const auto name_length = in.read_uint<std::uint32_t>(which + " name length");
    const std::string name(in.read_bytes(name_length, which + " name"));
    const std::string field = which + " (" + quoted_text(name) + ")";
    if (archive.contains(name)) in.fail(field + ": the name appears twice");
    const auto raw_tag = in.read_uint<std::uint8_t>(field + " type tag");
    const Tag tag = static_cast<Tag>(raw_tag);
    const auto last_tag = version >= 2 ? Tag::integer : Tag::string;
    if (raw_tag < static_cast<std::uint8_t>(Tag::array_f32) || raw_tag > static_cast<std::uint8_t>(last_tag))
      in.fail(field + ": unknown type tag " + std::to_string(raw_tag) + " at offset " +
              std::to_string(in.position() - 1));
    const auto rank = in.read_uint<std::uint32_t>(field + " rank");
    in.need(static_cast<std::uint64_t>(rank) * 8, field + " dimensions");
    Shape shape(rank);
    std::uint64_t numel = 1;
    bool overflow = false;
    for (auto& d : shape) {
      const auto dim = in.read_uint<std::uint64_t>(field + " dimension");
      overflow = overflow || (dim != 0 && numel > std::numeric_limits<std::uint64_t>::max() / 8 / dim);
      numel = overflow ? 0 : numel * dim;
      d = static_cast<std::size_t>(dim);
    }
    const auto payload = in.read_uint<std::uint64_t>(field + " payload length");
    in.need(payload, field + " payload");
    const bool is_array = tag == Tag::array_f32 || tag == Tag::array_f64;
    if (!is_array && rank != 0)
      in.fail(field + ": a " + tag_name(tag) + " must have rank 0, found rank " + std::to_string(rank));
    const std::uint64_t element = tag == Tag::array_f32 ? 4 : 8;
    if (overflow || (is_array && payload != numel * element) ||
        ((tag == Tag::number || tag == Tag::integer) && payload != 8))
      in.fail(field + ": a " + tag_name(tag) + " of shape " + shape_to_string(shape) + " cannot have a payload of " +
              std::to_string(payload) + " bytes");
    switch (tag) {
      case Tag::array_f32:
        archive.insert(name, ArrayF{shape, read_scalars<float>(in, static_cast<std::size_t>(numel), field)});
        break;
      case Tag::array_f64:
        archive.insert(name, ArrayD{shape, read_scalars<double>(in, static_cast<std::size_t>(numel), field)});
        break;
      case Tag::number: archive.insert(name, read_scalars<double>(in, 1, field)[0]); break;
      case Tag::string: archive.insert(name, std::string(in.read_bytes(payload, field))); break;
      case Tag::integer:
        archive.insert(name, static_cast<std::int64_t>(in.read_uint<std::uint64_t>(field + " payload")));
        break;
    }
  }
  const std::size_t checked_length = in.position();
  const auto stored_crc = in.read_uint<std::uint32_t>("CRC-32 checksum");
  if (in.remaining() != 0)
    in.fail("corrupted: " + std::to_string(in.remaining()) + " unexpected bytes after the checksum at offset " +
            std::to_string(checked_length));
  const auto actual_crc = crc32(bytes.substr(0, checked_length));
  if (stored_crc != actual_crc) {
    std::ostringstream msg;
    msg << std::hex << "corrupted: CRC-32 checksum mismatch (stored 0x" << stored_crc << ", computed 0x" << actual_crc
        << ")";
    in.fail(msg.str());
  }
  return archive;
}

void Archive::save(const std::string& path, std::string_view kind) const {
  write_file_atomically(path, to_bytes(kind), "Archive::save");
}

Archive Archive::load(const std::string& path, std::string_view kind) {
  return from_bytes(read_file(path, "Archive::load"), kind, path);
}

}  // namespace xg::io
