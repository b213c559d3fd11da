// Checkpoints with a data loader (format 2): the loader's place in its epoch
// travels with the model and optimizer, so a run resumes mid-epoch on the
// batch it would have trained next; and files of format 1 still load.
#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include <xgrad/xgrad.hpp>

#include "exception_message.hpp"

namespace {

namespace nn = xg::nn;
namespace optim = xg::optim;
using xg::testing::contains;
using xg::testing::message_of;

// Twelve samples of two features, labels 0..2: four batches of three.
xg::datasets::DataLoader small_loader() {
  xg::Array<float> features = xt::zeros<float>({12, 2});
  std::vector<std::size_t> labels(12);
  for (std::size_t i = 0; i < 12; ++i) {
    features(i, 0) = static_cast<float>(i);
    features(i, 1) = static_cast<float>(i % 5);
    labels[i] = i % 3;
  }
  return xg::datasets::DataLoader(features, labels, {.batch_size = 3});
}

// Saves the checkpoint to a temporary file and returns its bytes.
template <class Loader>
std::string checkpoint_bytes(const nn::Module& model, const optim::OptimizerBase& opt, const Loader& loader,
                             const xg::CheckpointExtra& extra = {}) {
  const auto path = std::filesystem::temp_directory_path() / ("xgrad_ckpt_loader_" + std::to_string(::getpid()));
  xg::save_checkpoint(path.string(), model, opt, nullptr, loader, extra);
  std::string bytes = xg::io::read_file(path.string(), "test");
  std::filesystem::remove(path);
  return bytes;
}

// The labels of the batches still to come in the loader's epoch.
std::vector<std::vector<std::size_t>> rest_of_epoch(xg::datasets::DataLoader& loader) {
  std::vector<std::vector<std::size_t>> batches;
  for (const auto& batch : loader) batches.push_back(batch.y);
  return batches;
}

}  // namespace

TEST_CASE("checkpoint with a loader: resuming mid-epoch serves the batches not yet served") {
  xg::manual_seed(3);
  nn::Linear model(2, 3);
  optim::SGD<float> opt(model.named_parameters(), {.lr = 0.1});
  auto loader = small_loader();
  auto batch = loader.begin();
  ++batch;  // two of four batches served
  const std::string bytes = checkpoint_bytes(model, opt, loader, {.epoch = 1, .step = 2});
  std::vector<std::vector<std::size_t>> uninterrupted;
  for (++batch; batch != loader.end(); ++batch) uninterrupted.push_back(batch->y);
  uninterrupted.push_back({});  // the epoch's end, then the next epoch
  for (const auto& next : loader) uninterrupted.push_back(next.y);

  xg::manual_seed(99);  // another order, unless the checkpoint puts it back
  nn::Linear resumed(2, 3);
  optim::SGD<float> resumed_opt(resumed.named_parameters(), {.lr = 0.1});
  auto resumed_loader = small_loader();
  const auto extra = xg::load_checkpoint_bytes(bytes, resumed, resumed_opt, nullptr, resumed_loader);
  CHECK(extra.step == 2);
  auto replay = rest_of_epoch(resumed_loader);
  CHECK(replay.size() == 2);
  replay.push_back({});
  for (const auto& next : resumed_loader) replay.push_back(next.y);
  CHECK(replay == uninterrupted);
  CHECK(xg::read_checkpoint_bytes(bytes).xgrad_version == xg::version());
}

TEST_CASE("checkpoint with a loader: loading it without one is refused, and a refused load leaves the loader") {
  xg::manual_seed(4);
  nn::Linear model(2, 3);
  optim::SGD<float> opt(model.named_parameters(), {.lr = 0.1, .momentum = 0.9});
  auto loader = small_loader();
  loader.begin();
  const std::string bytes = checkpoint_bytes(model, opt, loader);

  nn::Linear other(2, 3);
  optim::SGD<float> other_opt(other.named_parameters(), {.lr = 0.1, .momentum = 0.9});
  const auto weights = other.weight.value();
  const std::string msg = message_of<std::invalid_argument>(
      [&] { xg::load_checkpoint_bytes(bytes, other, other_opt, nullptr, "run.ckpt"); });
  CHECK(contains(msg, "load_checkpoint 'run.ckpt': loader section"));
  CHECK(contains(msg, "no loader was given"));
  CHECK(other.weight.value() == weights);

  // Adam refuses SGD's state after the loader was loaded: the loader is put back.
  optim::Adam<float> adam(other.named_parameters(), {.lr = 0.1});
  xg::manual_seed(7);
  auto fresh = small_loader();
  const std::string fresh_state = fresh.state_dict().to_bytes("loader");
  CHECK_THROWS_AS(xg::load_checkpoint_bytes(bytes, other, adam, nullptr, fresh), std::invalid_argument);
  CHECK(fresh.state_dict().to_bytes("loader") == fresh_state);
  CHECK(other.weight.value() == weights);
}

// tests/data/checkpoint_format_1.ckpt was written by save_checkpoint of
// xgrad 0.1 in the XGRADCKP container (format 1), which checkpoints left for
// one io::Archive in format 3: such a file is refused, naming its format,
// and nothing is loaded.
TEST_CASE("checkpoint: a file of the XGRADCKP container is refused naming the old format") {
  const std::string path = std::string(XGRAD_TESTS_DIR) + "/data/checkpoint_format_1.ckpt";
  nn::Linear model(2, 1);
  optim::SGD<float> opt(model.named_parameters(), {.lr = 0.1, .momentum = 0.9});
  const auto weight = model.weight.value();
  const std::string msg = message_of<xg::io::FormatError>([&] { xg::load_checkpoint(path, model, opt); });
  CHECK(contains(msg, "checkpoint '" + path + "': written in the XGRADCKP container of xgrad 0.1 " +
                          "(checkpoint format 1), which this build no longer reads"));
  CHECK(model.weight.value() == weight);
}
