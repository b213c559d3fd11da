#pragma once
// One file holding everything a training run needs to continue as if it had
// never stopped: the model's parameters, the optimizer's state, the
// schedule's, the default generator's, the epoch and step, and the caller's
// own numbers and strings; with a data loader, its place in the epoch too,
// so that a run resumes mid-epoch on the batch it would have trained next.
//
//   xg::save_checkpoint("run.ckpt", model, opt, &sched, loader, {.epoch = 3, .step = 1200});
//   const auto extra = xg::load_checkpoint("run.ckpt", model, opt, &sched, loader);
//
// The file is one io::Archive of kind "checkpoint" (magic, version, CRC-32
// as every archive), its entries in sections by prefix: "model." (the
// state_dict), "optimizer.", "scheduler." (when there is one), "loader."
// (when there is one), "generator.state" (the default generator's state as
// little-endian u64 words), "extra.epoch" and "extra.step" (integers),
// "extra.xgrad_version" (the writer's xg::version()), "extra.numbers.<key>",
// "extra.strings.<key>", and the integer "checkpoint_format" (3). Files of
// the XGRADCKP container of xgrad 0.1 (formats 1 and 2) are refused with a
// message naming that format.

#include <concepts>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <xgrad/core/archive.hpp>
#include <xgrad/core/atomic_file.hpp>
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

inline constexpr std::uint32_t checkpoint_format_version = 3;

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

// A data loader whose place in its epoch a checkpoint holds
// (datasets::DataLoader, CsrDataLoader, TargetDataLoader).
template <class Loader>
concept StatefulLoader = requires(Loader& loader, const io::Archive& state) {
  { std::as_const(loader).state_dict() } -> std::same_as<io::Archive>;
  loader.load_state_dict(state);
};

// What the checkpoint functions need of a loader, whatever its type.
struct LoaderState {
  std::function<io::Archive()> state_dict;
  std::function<void(const io::Archive&)> load_state_dict;
};

void save_checkpoint(const std::string& path, const nn::Module& model, const optim::OptimizerBase& optimizer,
                     const optim::SchedulerBase* scheduler, const LoaderState& loader,
                     const CheckpointExtra& extra = {});
// The loader is loaded (its load_state_dict checks the state first) after the
// other checks and put back if the optimizer then refuses its state. A
// checkpoint saved without a loader leaves the loader as it is; one with a
// loader section needs a loader.
CheckpointExtra load_checkpoint_bytes(std::string_view bytes, nn::Module& model, optim::OptimizerBase& optimizer,
                                      optim::SchedulerBase* scheduler, const LoaderState& loader,
                                      const std::string& source = "<memory>");

template <StatefulLoader Loader>
LoaderState loader_state(Loader& loader) {
  return {[&loader] { return std::as_const(loader).state_dict(); },
          [&loader](const io::Archive& state) { loader.load_state_dict(state); }};
}

template <StatefulLoader Loader>
void save_checkpoint(const std::string& path, const nn::Module& model, const optim::OptimizerBase& optimizer,
                     const optim::SchedulerBase* scheduler, const Loader& loader, const CheckpointExtra& extra = {}) {
  save_checkpoint(path, model, optimizer, scheduler, LoaderState{[&loader] { return loader.state_dict(); }, {}}, extra);
}

template <StatefulLoader Loader>
CheckpointExtra load_checkpoint(const std::string& path, nn::Module& model, optim::OptimizerBase& optimizer,
                                optim::SchedulerBase* scheduler, Loader& loader) {
  return load_checkpoint_bytes(io::read_file(path, "load_checkpoint"), model, optimizer, scheduler,
                               loader_state(loader), path);
}

template <StatefulLoader Loader>
CheckpointExtra load_checkpoint_bytes(std::string_view bytes, nn::Module& model, optim::OptimizerBase& optimizer,
                                      optim::SchedulerBase* scheduler, Loader& loader,
                                      const std::string& source = "<memory>") {
  return load_checkpoint_bytes(bytes, model, optimizer, scheduler, loader_state(loader), source);
}

// The sections of a checkpoint, each read and checked as a format (not yet
// against any model or optimizer).
struct CheckpointContents {
  io::Archive model, optimizer;
  std::optional<io::Archive> scheduler, loader;
  std::string generator_state;
  CheckpointExtra extra;
  std::string xgrad_version;  // of the writer
};

std::string checkpoint_to_bytes(const CheckpointContents& contents);
// Parses a checkpoint's bytes, trusting no field; throws io::FormatError
// naming `source` and the failed check. The entry point for fuzzing the reader.
CheckpointContents read_checkpoint_bytes(std::string_view bytes, const std::string& source = "<memory>");

}  // namespace xg
