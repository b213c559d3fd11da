#pragma once
// One file holding everything a training run needs to continue as if it had
// never stopped: the model's parameters, the optimizer's state, the
// schedule's, the default generator's, the epoch and step, and the caller's
// own numbers and strings.
//
//   xg::save_checkpoint("run.ckpt", model, opt, &sched, {.epoch = 3, .step = 1200});
//   const auto extra = xg::load_checkpoint("run.ckpt", model, opt, &sched);
//
// Layout (little-endian): magic "XGRADCKP", u32 format version, u32 section
// count, then per section: u32 name length, name, u64 payload length, u32
// CRC-32 of the payload, payload (an io::Archive whose kind is the section's
// name); finally the CRC-32 of every byte before it. Sections: "model",
// "optimizer", "scheduler" (when there is one), "generator" (the default
// generator's state as little-endian u64 words), "extra".

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <xgrad/core/archive.hpp>
#include <xgrad/nn/module.hpp>
#include <xgrad/optim/optimizer_base.hpp>
#include <xgrad/optim/schedulers/scheduler_base.hpp>

namespace xg {

// Where the run was, and whatever else the caller wants back on resume.
struct CheckpointExtra {
  std::int64_t epoch = 0;
  std::int64_t step = 0;
  std::map<std::string, double> numbers;
  std::map<std::string, std::string> strings;

  bool operator==(const CheckpointExtra&) const = default;
};

inline constexpr std::uint32_t checkpoint_format_version = 1;

// Writes the checkpoint atomically (io::write_file_atomically): a crash at
// any moment leaves the previous checkpoint or this one, never a broken file.
void save_checkpoint(const std::string& path, const nn::Module& model, const optim::OptimizerBase& optimizer,
                     const optim::SchedulerBase* scheduler = nullptr, const CheckpointExtra& extra = {});

// Reads the file and checks all of it (structure, checksums, version,
// parameter names and shapes, optimizer type and state, schedule type and
// state, generator state) before changing anything; only then loads model,
// optimizer, schedule and default generator. On any failure it throws
// (io::FormatError for a damaged or newer file, std::invalid_argument or
// xg::ShapeError for state that does not fit the objects, each naming the
// check with what was expected and what was found) and leaves every object as
// it was. `scheduler` must be given exactly when the checkpoint holds one.
CheckpointExtra load_checkpoint(const std::string& path, nn::Module& model, optim::OptimizerBase& optimizer,
                                optim::SchedulerBase* scheduler = nullptr);
// The same from bytes already in memory; `source` names them in messages.
CheckpointExtra load_checkpoint_bytes(std::string_view bytes, nn::Module& model, optim::OptimizerBase& optimizer,
                                      optim::SchedulerBase* scheduler = nullptr,
                                      const std::string& source = "<memory>");

// The sections of a checkpoint, each read and checked as a format (not yet
// against any model or optimizer).
struct CheckpointContents {
  io::Archive model, optimizer;
  std::optional<io::Archive> scheduler;
  std::string generator_state;
  CheckpointExtra extra;
};

std::string checkpoint_to_bytes(const CheckpointContents& contents);
// Parses a checkpoint's bytes, trusting no field; throws io::FormatError
// naming `source` and the failed check. The entry point for fuzzing the reader.
CheckpointContents read_checkpoint_bytes(std::string_view bytes, const std::string& source = "<memory>");

}  // namespace xg
