// Writing and reading checkpoints. The reader never trusts a field: each
// length is checked against the bytes that remain before it is used, each
// section's CRC-32 and the whole file's are verified, and every section is
// parsed before load_checkpoint compares it with the objects. Loading then
// checks everything against the model, optimizer and schedule before it
// changes any of them.

#include <xgrad/train/checkpoint.hpp>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <sstream>
#include <stdexcept>
#include <utility>
#include <vector>

#include <xgrad/core/atomic_file.hpp>
#include <xgrad/core/byte_reader.hpp>
#include <xgrad/core/error.hpp>
#include <xgrad/core/generator.hpp>
#include <xgrad/core/message.hpp>
#include <xgrad/core/version.hpp>

namespace xg {

namespace {

constexpr std::string_view magic = "XGRADCKP";
constexpr const char* section_names[] = {"model", "optimizer", "scheduler", "loader", "generator", "extra"};

std::string hex(std::uint32_t v) {
  std::ostringstream out;
  out << "0x" << std::hex << v;
  return out.str();
}

std::string section_field(std::string_view section, const char* field) {
  return "section '" + std::string(section) + "' " + field;
}

bool is_count(double v) { return v >= 0.0 && v <= 9007199254740992.0 && v == std::floor(v); }

io::Archive extra_archive(const CheckpointExtra& extra, const std::string& xgrad_version) {
  if (extra.epoch < 0 || extra.step < 0)
    throw_invalid_argument("save_checkpoint", "epoch and step must be non-negative, got epoch " +
                                                  std::to_string(extra.epoch) + " and step " +
                                                  std::to_string(extra.step));
  io::Archive a;
  a.put_number("epoch", static_cast<double>(extra.epoch));
  a.put_number("step", static_cast<double>(extra.step));
  a.put_string("xgrad_version", xgrad_version);
  for (const auto& [key, value] : extra.numbers) a.put_number("numbers." + key, value);
  for (const auto& [key, value] : extra.strings) a.put_string("strings." + key, value);
  return a;
}

CheckpointExtra read_extra(const io::Archive& a, std::uint32_t format) {
  CheckpointExtra extra;
  const auto count = [&](const char* name) {
    const double v = a.get_number(name);
    if (!is_count(v)) throw io::FormatError("'" + std::string(name) + "' is not a count: " + std::to_string(v));
    return static_cast<std::int64_t>(v);
  };
  extra.epoch = count("epoch");
  extra.step = count("step");
  for (const auto& name : a.names()) {
    if (name.starts_with("numbers."))
      extra.numbers.emplace(name.substr(8), a.get_number(name));
    else if (name.starts_with("strings."))
      extra.strings.emplace(name.substr(8), a.get_string(name));
    else if (name != "epoch" && name != "step" && !(format >= 2 && name == "xgrad_version"))
      throw io::FormatError("unexpected entry " + quoted_text(name));
  }
  return extra;
}

// The generator's state (its seed, then the engine's words, as decimal text)
// stored as little-endian u64 words: a third of the text's size, which is
// most of a small model's checkpoint.
std::string pack_generator_state(const std::string& text) {
  std::istringstream in(text);
  std::string packed;
  std::uint64_t word;
  while (in >> word) io::put_uint(packed, word);
  return packed;
}

std::string read_generator(const io::Archive& a) {
  const std::string packed = a.get_string("state");
  if (packed.empty() || packed.size() % 8 != 0)
    throw io::FormatError("the state holds " + std::to_string(packed.size()) +
                          " bytes, expected a positive multiple of 8");
  std::string state;
  for (std::size_t i = 0; i < packed.size(); i += 8) {
    std::uint64_t word = 0;
    for (std::size_t b = 0; b < 8; ++b) word |= std::uint64_t(static_cast<unsigned char>(packed[i + b])) << (8 * b);
    if (i) state += ' ';
    state += std::to_string(word);
  }
  Generator probe;
  try {
    probe.set_state(state);
  } catch (const std::invalid_argument& e) {
    throw io::FormatError(e.what());
  }
  // A state that parses but does not print back the same (extra words, a
  // word out of range) is damaged, not merely unusual.
  if (probe.state() != state) throw io::FormatError("the generator state does not read back as written");
  return state;
}

// Runs a check on one section, adding the file and the section to the
// message and keeping the exception's type.
template <class Check>
void in_section(const std::string& where, const char* section, Check&& check) {
  const std::string context = where + ": " + section + " section: ";
  try {
    check();
  } catch (const ShapeError& e) {
    throw ShapeError(context + e.what());
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(context + e.what());
  } catch (const io::FormatError& e) {
    throw io::FormatError(context + e.what());
  }
}

}  // namespace

std::string checkpoint_to_bytes(const CheckpointContents& contents) {
  std::vector<std::pair<const char*, std::string>> sections;
  sections.emplace_back("model", contents.model.to_bytes("model"));
  sections.emplace_back("optimizer", contents.optimizer.to_bytes("optimizer"));
  if (contents.scheduler) sections.emplace_back("scheduler", contents.scheduler->to_bytes("scheduler"));
  if (contents.loader) sections.emplace_back("loader", contents.loader->to_bytes("loader"));
  io::Archive generator;
  generator.put_string("state", pack_generator_state(contents.generator_state));
  sections.emplace_back("generator", generator.to_bytes("generator"));
  sections.emplace_back("extra", extra_archive(contents.extra, contents.xgrad_version).to_bytes("extra"));

  std::string out(magic);
  io::put_uint<std::uint32_t>(out, checkpoint_format_version);
  io::put_uint<std::uint32_t>(out, static_cast<std::uint32_t>(sections.size()));
  for (const auto& [name, payload] : sections) {
    const std::string_view n = name;
    io::put_uint<std::uint32_t>(out, static_cast<std::uint32_t>(n.size()));
    out.append(n);
    io::put_uint<std::uint64_t>(out, payload.size());
    io::put_uint<std::uint32_t>(out, io::crc32(payload));
    out.append(payload);
  }
  io::put_uint<std::uint32_t>(out, io::crc32(out));
  return out;
}

CheckpointContents read_checkpoint_bytes(std::string_view bytes, const std::string& source) {
  io::ByteReader in(bytes, "checkpoint '" + source + "'");
  const std::string_view found_magic = bytes.substr(0, std::min(bytes.size(), magic.size()));
  if (found_magic != magic)
    in.fail("magic header: expected 'XGRADCKP', found " + quoted_text(found_magic) + " (not an xgrad checkpoint" +
            (bytes.size() < magic.size() ? ", or truncated)" : ")"));
  in.read_bytes(magic.size(), "magic");
  const auto version = in.read_uint<std::uint32_t>("format version");
  if (version == 0 || version > checkpoint_format_version)
    in.fail("format version: found version " + std::to_string(version) + ", this build reads up to " +
            std::to_string(checkpoint_format_version));
  const auto count = in.read_uint<std::uint32_t>("section count");
  if (count > std::size(section_names))
    in.fail("section count: expected at most " + std::to_string(std::size(section_names)) + ", found " +
            std::to_string(count));

  std::map<std::string, io::Archive> sections;
  for (std::uint32_t s = 0; s < count; ++s) {
    const auto name_length = in.read_uint<std::uint32_t>("section name length");
    const std::string_view name = in.read_bytes(name_length, "section name");
    if (std::find(std::begin(section_names), std::end(section_names), name) == std::end(section_names) ||
        (version == 1 && name == "loader"))
      in.fail("section " + std::to_string(s) + ": unknown section name " + quoted_text(name));
    if (sections.count(std::string(name))) in.fail("section '" + std::string(name) + "' appears twice");
    const auto length = in.read_uint<std::uint64_t>(section_field(name, "length"));
    const auto stored_crc = in.read_uint<std::uint32_t>(section_field(name, "checksum"));
    const std::string_view payload = in.read_bytes(length, section_field(name, "payload"));
    const auto actual_crc = io::crc32(payload);
    if (stored_crc != actual_crc)
      in.fail("section '" + std::string(name) + "' checksum: stored CRC-32 " + hex(stored_crc) + ", computed " +
              hex(actual_crc));
    try {
      sections.emplace(name, io::Archive::from_bytes(payload, name, source));
    } catch (const io::FormatError& e) {
      in.fail("section '" + std::string(name) + "': " + e.what());
    }
  }
  const std::size_t checked_length = in.position();
  const auto stored_crc = in.read_uint<std::uint32_t>("file checksum");
  if (in.remaining() != 0)
    in.fail("file length: expected the file to end at offset " + std::to_string(in.position()) + ", found " +
            std::to_string(in.remaining()) + " more bytes");
  const auto actual_crc = io::crc32(bytes.substr(0, checked_length));
  if (stored_crc != actual_crc)
    in.fail("file checksum: stored CRC-32 " + hex(stored_crc) + ", computed " + hex(actual_crc));

  for (const char* required : {"model", "optimizer", "generator", "extra"})
    if (!sections.count(required)) in.fail(std::string("sections: the '") + required + "' section is missing");
  auto take = [&](const char* name) { return std::move(sections.at(name)); };
  CheckpointContents contents{take("model"), take("optimizer"), std::nullopt, std::nullopt, {}, {}, {}};
  if (sections.count("scheduler")) contents.scheduler = take("scheduler");
  if (sections.count("loader")) contents.loader = take("loader");
  try {
    contents.generator_state = read_generator(sections.at("generator"));
  } catch (const io::FormatError& e) {
    in.fail(std::string("generator section: ") + e.what());
  }
  try {
    const io::Archive& extra = sections.at("extra");
    contents.extra = read_extra(extra, version);
    if (version >= 2) contents.xgrad_version = extra.get_string("xgrad_version");
  } catch (const io::FormatError& e) {
    in.fail(std::string("extra section: ") + e.what());
  }
  return contents;
}

void save_checkpoint(const std::string& path, const nn::Module& model, const optim::OptimizerBase& optimizer,
                     const optim::SchedulerBase* scheduler, const CheckpointExtra& extra) {
  save_checkpoint(path, model, optimizer, scheduler, LoaderState{}, extra);
}

void save_checkpoint(const std::string& path, const nn::Module& model, const optim::OptimizerBase& optimizer,
                     const optim::SchedulerBase* scheduler, const LoaderState& loader, const CheckpointExtra& extra) {
  CheckpointContents contents{model.state_dict(), optimizer.state_dict(),      std::nullopt,
                              std::nullopt,       default_generator().state(), extra,
                              version()};
  if (loader.state_dict) contents.loader = loader.state_dict();
  if (scheduler) {
    contents.scheduler.emplace();
    scheduler->save_state(*contents.scheduler, "");
  }
  io::write_file_atomically(path, checkpoint_to_bytes(contents), "save_checkpoint");
}

CheckpointExtra load_checkpoint(const std::string& path, nn::Module& model, optim::OptimizerBase& optimizer,
                                optim::SchedulerBase* scheduler) {
  return load_checkpoint_bytes(io::read_file(path, "load_checkpoint"), model, optimizer, scheduler, path);
}

CheckpointExtra load_checkpoint_bytes(std::string_view bytes, nn::Module& model, optim::OptimizerBase& optimizer,
                                      optim::SchedulerBase* scheduler, const std::string& source) {
  return load_checkpoint_bytes(bytes, model, optimizer, scheduler, LoaderState{}, source);
}

CheckpointExtra load_checkpoint_bytes(std::string_view bytes, nn::Module& model, optim::OptimizerBase& optimizer,
                                      optim::SchedulerBase* scheduler, const LoaderState& loader,
                                      const std::string& source) {
  const std::string where = "load_checkpoint '" + source + "'";
  CheckpointContents contents = read_checkpoint_bytes(bytes, source);

  if (contents.scheduler.has_value() != (scheduler != nullptr)) {
    const std::string found = contents.scheduler
                                  ? "the state of a " + quoted_text(contents.scheduler->get_string("type"))
                                  : std::string("none");
    const std::string expected = scheduler ? "the state of a " + scheduler->name() : std::string("none");
    throw std::invalid_argument(where + ": scheduler section: expected " + expected + " (the schedule given), found " +
                                found + " in the checkpoint");
  }
  if (scheduler) in_section(where, "scheduler", [&] { scheduler->check_state(*contents.scheduler, ""); });
  in_section(where, "model", [&] { model.check_state_dict(contents.model); });
  if (contents.loader && !loader.load_state_dict)
    throw std::invalid_argument(where +
                                ": loader section: the checkpoint holds a data loader's position, "
                                "and no loader was given to load it into");
  // The loader and then the optimizer check all their state before changing
  // any of it; the loader is put back if the optimizer refuses. After them,
  // every load below has been checked and cannot fail.
  std::optional<io::Archive> loader_before;
  if (contents.loader) {
    loader_before = loader.state_dict();
    in_section(where, "loader", [&] { loader.load_state_dict(*contents.loader); });
  }
  try {
    in_section(where, "optimizer", [&] { optimizer.load_state_dict(contents.optimizer); });
  } catch (...) {
    if (loader_before) loader.load_state_dict(*loader_before);
    throw;
  }
  model.load_state_dict(contents.model);
  if (scheduler) scheduler->load_state(*contents.scheduler, "");
  default_generator().set_state(contents.generator_state);
  return contents.extra;
}

}  // namespace xg
