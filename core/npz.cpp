// The zip layout follows PKWARE's APPNOTE.TXT (local file header 4.3.7,
// central directory header 4.3.12, end of central directory 4.3.16, zip64
// extended information 4.5.3), restricted to what numpy.savez writes.

#include <xgrad/core/npz.hpp>

#include <algorithm>
#include <cstdint>

#include <xgrad/core/archive.hpp>
#include <xgrad/core/atomic_file.hpp>
#include <xgrad/core/detail/byte_reader.hpp>
#include <xgrad/core/npy.hpp>

namespace xg {

namespace {

constexpr std::uint32_t local_signature = 0x04034b50, central_signature = 0x02014b50, end_signature = 0x06054b50;
constexpr std::uint16_t dos_date_1980 = 0x21;  // 1980-01-01, the earliest a zip can say
constexpr std::uint32_t zip64_marker = 0xffffffffu;

std::uint32_t u32_of(std::size_t n, const std::string& name) {
  if (n >= zip64_marker)
    throw io::FormatError("save_npz: entry '" + name + "' is 4 GiB or more, past a zip without zip64");
  return static_cast<std::uint32_t>(n);
}

struct Entry {
  std::string name;
  std::uint16_t method;
  std::uint32_t crc;
  std::uint64_t compressed, uncompressed, offset;
};

// The zip64 extended information field replaces, in this order, each of the
// sizes and the offset that holds the 0xffffffff marker.
void apply_zip64(std::string_view extra, Entry& e, io::ByteReader& context) {
  io::ByteReader fields(extra, "");
  while (fields.remaining() >= 4) {
    const auto id = fields.read_uint<std::uint16_t>("an extra field's id");
    const auto size = fields.read_uint<std::uint16_t>("an extra field's size");
    if (size > fields.remaining()) context.fail("entry '" + e.name + "': an extra field runs past its header");
    io::ByteReader field(fields.read_bytes(size, "an extra field"), "");
    if (id != 0x0001) continue;
    for (std::uint64_t* value : {&e.uncompressed, &e.compressed, &e.offset})
      if (*value == zip64_marker) {
        if (field.remaining() < 8) context.fail("entry '" + e.name + "': the zip64 field is too short");
        *value = field.read_uint<std::uint64_t>("a zip64 value");
      }
  }
}

}  // namespace

template <class S>
std::string npz_bytes(const std::map<std::string, Array<S>>& arrays) {
  std::string out, central;
  for (const auto& [name, array] : arrays) {
    const std::string file = name + ".npy";
    const std::string data = npy_bytes(array);
    const std::uint32_t crc = io::crc32(data), size = u32_of(data.size(), name);
    const std::uint32_t offset = u32_of(out.size(), name);
    io::put_uint<std::uint32_t>(out, local_signature);
    for (std::uint16_t v : {20, 0, 0, 0, static_cast<int>(dos_date_1980)}) io::put_uint<std::uint16_t>(out, v);
    for (std::uint32_t v : {crc, size, size}) io::put_uint<std::uint32_t>(out, v);
    io::put_uint<std::uint16_t>(out, static_cast<std::uint16_t>(u32_of(file.size(), name)));
    io::put_uint<std::uint16_t>(out, 0);
    out += file;
    out += data;

    io::put_uint<std::uint32_t>(central, central_signature);
    for (std::uint16_t v : {20, 20, 0, 0, 0, static_cast<int>(dos_date_1980)}) io::put_uint<std::uint16_t>(central, v);
    for (std::uint32_t v : {crc, size, size}) io::put_uint<std::uint32_t>(central, v);
    for (std::uint16_t v : {static_cast<std::uint16_t>(file.size()), std::uint16_t{0}, std::uint16_t{0},
                            std::uint16_t{0}, std::uint16_t{0}})
      io::put_uint<std::uint16_t>(central, v);
    io::put_uint<std::uint32_t>(central, 0);
    io::put_uint<std::uint32_t>(central, offset);
    central += file;
  }
  const std::uint32_t central_offset = u32_of(out.size(), "the central directory");
  out += central;
  io::put_uint<std::uint32_t>(out, end_signature);
  for (std::uint16_t v : {std::uint16_t{0}, std::uint16_t{0}, static_cast<std::uint16_t>(arrays.size()),
                          static_cast<std::uint16_t>(arrays.size())})
    io::put_uint<std::uint16_t>(out, v);
  io::put_uint<std::uint32_t>(out, u32_of(central.size(), "the central directory"));
  io::put_uint<std::uint32_t>(out, central_offset);
  io::put_uint<std::uint16_t>(out, 0);
  return out;
}

template <class S>
std::map<std::string, Array<S>> parse_npz(std::string_view bytes, const std::string& source) {
  io::ByteReader context(bytes, source);
  // The end of central directory record is the last 22 bytes, or precedes
  // a comment of at most 65535 bytes.
  std::size_t end = std::string_view::npos;
  for (std::size_t back = 22; back <= std::min<std::size_t>(bytes.size(), 22 + 65535) && end == std::string_view::npos;
       ++back)
    if (bytes.substr(bytes.size() - back, 4) == std::string_view("PK\x05\x06", 4)) end = bytes.size() - back;
  if (end == std::string_view::npos) context.fail("not a .npz file (no zip end of central directory record)");
  io::ByteReader tail(bytes.substr(end + 10), source);
  const auto count = tail.read_uint<std::uint16_t>("the entry count");
  const auto central_size = tail.read_uint<std::uint32_t>("the central directory size");
  const auto central_offset = tail.read_uint<std::uint32_t>("the central directory offset");
  if (static_cast<std::uint64_t>(central_offset) + central_size > end)
    context.fail("the central directory [" + std::to_string(central_offset) + ", +" + std::to_string(central_size) +
                 ") runs past its end record at " + std::to_string(end));

  io::ByteReader central(bytes.substr(central_offset, central_size), source + " (central directory)");
  std::map<std::string, Array<S>> out;
  for (std::uint32_t i = 0; i < count; ++i) {
    if (central.read_uint<std::uint32_t>("an entry's signature") != central_signature)
      central.fail("entry " + std::to_string(i) + " has no central directory signature");
    central.read_bytes(6, "the versions and flags");
    Entry e{};
    e.method = central.read_uint<std::uint16_t>("the compression method");
    central.read_bytes(4, "the time and date");
    e.crc = central.read_uint<std::uint32_t>("the CRC-32");
    e.compressed = central.read_uint<std::uint32_t>("the compressed size");
    e.uncompressed = central.read_uint<std::uint32_t>("the size");
    const auto name_length = central.read_uint<std::uint16_t>("the name length");
    const auto extra_length = central.read_uint<std::uint16_t>("the extra length");
    const auto comment_length = central.read_uint<std::uint16_t>("the comment length");
    central.read_bytes(8, "the disk and attributes");
    e.offset = central.read_uint<std::uint32_t>("the local header offset");
    e.name = std::string(central.read_bytes(name_length, "the name"));
    apply_zip64(central.read_bytes(extra_length, "the extra fields"), e, context);
    central.read_bytes(comment_length, "the comment");

    const std::string entry = source + ": entry '" + e.name.substr(0, 200) + "'";
    if (e.method != 0)
      throw io::FormatError(entry + " is compressed (method " + std::to_string(e.method) +
                            "; numpy.savez_compressed): only uncompressed .npz files (numpy.savez) are read");
    if (!e.name.ends_with(".npy")) throw io::FormatError(entry + " is not a .npy file");
    if (e.compressed != e.uncompressed) throw io::FormatError(entry + ": stored, yet its two sizes differ");
    if (e.offset > end) throw io::FormatError(entry + ": the local header offset is past the archive");
    io::ByteReader local(bytes.substr(static_cast<std::size_t>(e.offset)), entry);
    if (local.read_uint<std::uint32_t>("the local header signature") != local_signature)
      local.fail("no local header signature at offset " + std::to_string(e.offset));
    local.read_bytes(22, "the local header");
    const auto local_name = local.read_uint<std::uint16_t>("the local name length");
    const auto local_extra = local.read_uint<std::uint16_t>("the local extra length");
    local.read_bytes(static_cast<std::uint64_t>(local_name) + local_extra, "the local name and extra fields");
    const std::string_view data = local.read_bytes(e.uncompressed, "the data");
    if (io::crc32(data) != e.crc) local.fail("the CRC-32 does not match the data");
    const std::string key = e.name.substr(0, e.name.size() - 4);
    if (out.count(key)) throw io::FormatError(entry + " appears twice");
    out.emplace(key, parse_npy<S>(data, entry));
  }
  return out;
}

template <class S>
void save_npz(const std::string& path, const std::map<std::string, Array<S>>& arrays) {
  io::write_file_atomically(path, npz_bytes(arrays), "save_npz");
}

template <class S>
std::map<std::string, Array<S>> load_npz(const std::string& path) {
  return parse_npz<S>(io::read_file(path, "load_npz"), "load_npz '" + path + "'");
}

template std::string npz_bytes(const std::map<std::string, Array<float>>&);
template std::string npz_bytes(const std::map<std::string, Array<double>>&);
template std::map<std::string, Array<float>> parse_npz(std::string_view, const std::string&);
template std::map<std::string, Array<double>> parse_npz(std::string_view, const std::string&);
template void save_npz(const std::string&, const std::map<std::string, Array<float>>&);
template void save_npz(const std::string&, const std::map<std::string, Array<double>>&);
template std::map<std::string, Array<float>> load_npz(const std::string&);
template std::map<std::string, Array<double>> load_npz(const std::string&);

}  // namespace xg
