// Writing and reading checkpoints. A checkpoint is one io::Archive, whose
// reader checks every length and the CRC-32; on top of it each section is
// parsed before load_checkpoint compares it with the objects. Loading then
// checks everything against the model, optimizer and schedule before it
// changes any of them.

#include <xgrad/train/checkpoint.hpp>

#include <algorithm>
#include <sstream>
#include <stdexcept>
#include <utility>
#include <vector>

#include <xgrad/core/atomic_file.hpp>
#include <xgrad/core/detail/byte_reader.hpp>
#include <xgrad/core/error.hpp>
#include <xgrad/core/generator.hpp>
#include <xgrad/core/message.hpp>
#include <xgrad/core/version.hpp>

namespace xg {

namespace {

constexpr std::string_view kind = "checkpoint";
constexpr const char* section_prefixes[] = {"model.", "optimizer.", "scheduler.", "loader.", "generator.", "extra."};

io::Archive extra_archive(const CheckpointExtra& extra, const std::string& xgrad_version) {
  if (extra.epoch < 0 || extra.step < 0)
    throw_invalid_argument("save_checkpoint", "epoch and step must be non-negative, got epoch " +
                                                  std::to_string(extra.epoch) + " and step " +
                                                  std::to_string(extra.step));
  io::Archive a;
  a.put_integer("epoch", extra.epoch);
  a.put_integer("step", extra.step);
  a.put_string("xgrad_version", xgrad_version);
  for (const auto& [key, value] : extra.numbers) a.put_number("numbers." + key, value);
  for (const auto& [key, value] : extra.strings) a.put_string("strings." + key, value);
  return a;
}

CheckpointExtra read_extra(const io::Archive& a) {
  CheckpointExtra extra;
  extra.epoch = a.get_integer("epoch");
  extra.step = a.get_integer("step");
  if (extra.epoch < 0 || extra.step < 0)
    throw io::FormatError("epoch " + std::to_string(extra.epoch) + " and step " + std::to_string(extra.step) +
                          " must be non-negative");
  for (const auto& name : a.names()) {
    if (name.starts_with("numbers."))
      extra.numbers.emplace(name.substr(8), a.get_number(name));
    else if (name.starts_with("strings."))
      extra.strings.emplace(name.substr(8), a.get_string(name));
    else if (name != "epoch" && name != "step" && name != "xgrad_version")
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
  io::ByteReader in(packed, "generator state");
  std::string state;
  while (in.remaining()) {
    if (!state.empty()) state += ' ';
    state += std::to_string(in.read_uint<std::uint64_t>("word"));
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
  io::Archive a;
  a.put_integer("checkpoint_format", checkpoint_format_version);
  a.put_section("model.", contents.model);
  a.put_section("optimizer.", contents.optimizer);
  if (contents.scheduler) a.put_section("scheduler.", *contents.scheduler);
  if (contents.loader) a.put_section("loader.", *contents.loader);
  a.put_string("generator.state", pack_generator_state(contents.generator_state));
  a.put_section("extra.", extra_archive(contents.extra, contents.xgrad_version));
  return a.to_bytes(kind);
}

CheckpointContents read_checkpoint_bytes(std::string_view bytes, const std::string& source) {
  const std::string where = "checkpoint " + quoted_text(source);
  if (bytes.starts_with("XGRADCKP")) {
    const auto version = bytes.size() > 8 ? static_cast<unsigned char>(bytes[8]) : 0;
    throw io::FormatError(where + ": written in the XGRADCKP container of xgrad 0.1 (checkpoint format " +
                          std::to_string(version) + "), which this build no longer reads; resume the run with " +
                          "the xgrad that wrote it, or start it again");
  }
  io::Archive a = io::Archive::from_bytes(bytes, kind, source);
  const auto fail = [&](const std::string& what) { throw io::FormatError(where + ": " + what); };
  std::int64_t format = 0;
  try {
    format = a.get_integer("checkpoint_format");
  } catch (const io::FormatError& e) {
    fail(e.what());
  }
  if (format != checkpoint_format_version)
    fail("checkpoint format " + std::to_string(format) + ", this build reads format " +
         std::to_string(checkpoint_format_version));
  for (const auto& name : a.names())
    if (name != "checkpoint_format" && std::none_of(std::begin(section_prefixes), std::end(section_prefixes),
                                                    [&](const char* prefix) { return name.starts_with(prefix); }))
      fail("unexpected entry " + quoted_text(name) + " outside the sections");

  auto section = [&](const char* prefix) -> std::optional<io::Archive> {
    io::Archive s = a.section(prefix);
    if (s.names().empty()) return std::nullopt;
    return s;
  };
  auto required = [&](const char* prefix) {
    std::optional<io::Archive> s = section(prefix);
    if (!s) fail(std::string("the '") + prefix + "' section is missing");
    return std::move(*s);
  };
  CheckpointContents contents{
      required("model."), required("optimizer."), section("scheduler."), section("loader."), {}, {}, {}};
  const io::Archive generator = required("generator.");
  const io::Archive extra = required("extra.");
  try {
    contents.generator_state = read_generator(generator);
  } catch (const io::FormatError& e) {
    fail(std::string("generator section: ") + e.what());
  }
  try {
    contents.extra = read_extra(extra);
    contents.xgrad_version = extra.get_string("xgrad_version");
  } catch (const io::FormatError& e) {
    fail(std::string("extra section: ") + e.what());
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
