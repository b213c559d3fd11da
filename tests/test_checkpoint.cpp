// Checkpoints: a resumed run continues bit for bit, and a file that is
// damaged, newer or made for another model, optimizer or schedule is refused
// with every object left exactly as it was.
#include <doctest/doctest.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <xgrad/xgrad.hpp>

#include "damaged_bytes.hpp"
#include "exception_message.hpp"

namespace {

namespace nn = xg::nn;
namespace optim = xg::optim;

std::string temp_path(const std::string& stem) {
  return (std::filesystem::temp_directory_path() / ("xgrad_ckpt_" + stem + "_" + std::to_string(::getpid()))).string();
}

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

nn::Sequential small_mlp() { return nn::Sequential{nn::Linear(3, 4), nn::Tanh(), nn::Linear(4, 2)}; }

// One step on a batch drawn from the default generator, so that a resumed
// run only matches when the generator's state was restored too.
void train_step(nn::Module& model, optim::OptimizerBase& opt, optim::LRScheduler* sched) {
  auto x = xg::randn({8, 3});
  std::vector<std::size_t> labels(8);
  for (std::size_t i = 0; i < 8; ++i) labels[i] = x.value()(i, 0) + x.value()(i, 1) > 0 ? 1 : 0;
  auto loss = nn::functional::cross_entropy(model(x), labels);
  opt.zero_grad();
  loss.backward();
  opt.step();
  if (sched) sched->step();
}

// Every parameter's bytes, end to end: equal only when bit-identical.
std::string parameter_bytes(const nn::Module& model) {
  std::string out;
  for (const auto& p : model.parameters())
    out.append(reinterpret_cast<const char*>(p.value().data()), p.numel() * sizeof(float));
  return out;
}

// Everything a load could change, as bytes.
struct Snapshot {
  std::string model, optimizer, scheduler, generator;
  bool operator==(const Snapshot&) const = default;
};

Snapshot snapshot(const nn::Module& model, const optim::OptimizerBase& opt, const optim::SchedulerBase* sched) {
  xg::io::Archive s;
  if (sched) sched->save_state(s, "");
  return {model.state_dict().to_bytes("m"), opt.state_dict().to_bytes("o"), s.to_bytes("s"),
          xg::default_generator().state()};
}

using xg::testing::contains;
using xg::testing::message_of;

// A trained Linear(2, 2) with SGD momentum state and a StepLR, saved; and a
// second, differently trained set of objects to load it into.
struct SmallCase {
  nn::Linear model{2, 2};
  optim::SGD<float> opt{model.named_parameters(), {.lr = 0.1, .momentum = 0.9}};
  optim::StepLR sched{opt, {.step_size = 2, .gamma = 0.5}};

  explicit SmallCase(std::uint64_t seed) {
    xg::manual_seed(seed);
    model.reset_parameters();
    auto x = xg::randn({4, 2});
    auto loss = nn::functional::cross_entropy(model(x), std::vector<std::size_t>{0, 1, 1, 0});
    loss.backward();
    opt.step();
    sched.step();
  }
};

std::string small_checkpoint_bytes() {
  const std::string path = temp_path("small");
  SmallCase saved(5);
  xg::save_checkpoint(path, saved.model, saved.opt, &saved.sched, {.epoch = 1, .step = 1});
  std::string bytes = read_bytes(path);
  std::filesystem::remove(path);
  return bytes;
}

}  // namespace

TEST_CASE("checkpoint: train k steps, save, train m more equals load into fresh objects and train m, bit for bit") {
  const std::string path = temp_path("resume");
  const xg::CheckpointExtra saved_extra{.epoch = 2,
                                        .step = 4,
                                        .numbers = {{"loss_sum", 1.25}, {"tiny", 1e-300}},
                                        .strings = {{"note", std::string("a\0b", 3)}}};

  xg::manual_seed(1);
  nn::Sequential first = small_mlp();
  optim::Adam<float> first_opt(first.named_parameters(), {.lr = 0.05, .weight_decay = 1e-3, .amsgrad = true});
  optim::StepLR first_sched(first_opt, {.step_size = 3, .gamma = 0.5});
  for (int s = 0; s < 4; ++s) train_step(first, first_opt, &first_sched);
  xg::save_checkpoint(path, first, first_opt, &first_sched, saved_extra);
  for (int s = 0; s < 6; ++s) train_step(first, first_opt, &first_sched);

  xg::manual_seed(99);
  nn::Sequential resumed = small_mlp();
  optim::Adam<float> resumed_opt(resumed.named_parameters(), {.lr = 0.05, .weight_decay = 1e-3, .amsgrad = true});
  optim::StepLR resumed_sched(resumed_opt, {.step_size = 3, .gamma = 0.5});
  xg::randn({5});
  REQUIRE(parameter_bytes(resumed) != parameter_bytes(first));
  const xg::CheckpointExtra extra = xg::load_checkpoint(path, resumed, resumed_opt, &resumed_sched);
  CHECK(extra == saved_extra);
  CHECK(resumed_sched.last_epoch() == 4);
  for (int s = 0; s < 6; ++s) train_step(resumed, resumed_opt, &resumed_sched);

  CHECK(parameter_bytes(resumed) == parameter_bytes(first));
  CHECK(resumed_opt.state_dict().to_bytes("o") == first_opt.state_dict().to_bytes("o"));
  CHECK(resumed_sched.get_last_lr() == first_sched.get_last_lr());
  std::filesystem::remove(path);
}

TEST_CASE("checkpoint: the file is the documented layout and leaves no temporary file behind") {
  const std::string bytes = small_checkpoint_bytes();
  CHECK(bytes.substr(0, 8) == "XGRADARC");
  CHECK(bytes.substr(8, 4) == std::string("\x02\0\0\0", 4));
  CHECK(bytes.substr(12, 4 + 10) == std::string("\x0a\0\0\0checkpoint", 14));
  const auto archive = xg::io::Archive::from_bytes(bytes, "checkpoint");
  CHECK(archive.get_integer("checkpoint_format") == 3);
  CHECK(archive.get_integer("extra.epoch") == 1);
  CHECK(archive.get_integer("scheduler.last_epoch") == 1);
  CHECK(archive.get_string("scheduler.type") == "StepLR");
  CHECK(archive.section("model.").names() == std::vector<std::string>{"weight", "bias"});
  CHECK(archive.contains("generator.state"));
  CHECK(archive.get_string("extra.xgrad_version") == xg::version());
  std::uint32_t stored = 0;
  for (int i = 0; i < 4; ++i)
    stored |= std::uint32_t(static_cast<unsigned char>(bytes[bytes.size() - 4 + i])) << (8 * i);
  CHECK(stored == xg::io::crc32(std::string_view(bytes).substr(0, bytes.size() - 4)));
  // No temporary (temp_path("small") + ".tmp." and a random suffix) is left behind.
  for (const auto& entry : std::filesystem::directory_iterator(std::filesystem::temp_directory_path()))
    CHECK_FALSE(entry.path().string().starts_with(temp_path("small") + ".tmp"));
  const auto contents = xg::read_checkpoint_bytes(bytes);
  CHECK(contents.scheduler.has_value());
  CHECK(contents.extra.step == 1);
}

TEST_CASE("checkpoint: truncated at every byte, it is refused and nothing changes") {
  const std::string bytes = small_checkpoint_bytes();
  SmallCase target(6);
  const Snapshot before = snapshot(target.model, target.opt, &target.sched);
  xg::testing::for_each_truncation(bytes, [&](std::size_t n, std::string_view cut) {
    CAPTURE(n);
    CHECK_THROWS_AS(xg::load_checkpoint_bytes(cut, target.model, target.opt, &target.sched), xg::io::FormatError);
  });
  // And through a file, at a few offsets.
  const std::string path = temp_path("truncated");
  for (std::size_t n : {std::size_t{0}, std::size_t{7}, bytes.size() / 2, bytes.size() - 1}) {
    CAPTURE(n);
    write_bytes(path, bytes.substr(0, n));
    CHECK_THROWS_AS(xg::load_checkpoint(path, target.model, target.opt, &target.sched), xg::io::FormatError);
  }
  std::filesystem::remove(path);
  CHECK(snapshot(target.model, target.opt, &target.sched) == before);
  CHECK(xg::load_checkpoint_bytes(bytes, target.model, target.opt, &target.sched).step == 1);
}

TEST_CASE("checkpoint: any single flipped byte is refused and nothing changes") {
  const std::string bytes = small_checkpoint_bytes();
  SmallCase target(6);
  const Snapshot before = snapshot(target.model, target.opt, &target.sched);
  xg::testing::for_each_flipped_byte(bytes, [&](std::size_t i, std::string_view corrupted) {
    CAPTURE(i);
    CHECK_THROWS_AS(xg::load_checkpoint_bytes(corrupted, target.model, target.opt, &target.sched), xg::io::FormatError);
  });
  CHECK(snapshot(target.model, target.opt, &target.sched) == before);
}

TEST_CASE("checkpoint: a newer archive or checkpoint format is refused naming both versions") {
  const std::string bytes = small_checkpoint_bytes();
  SmallCase target(6);
  const Snapshot before = snapshot(target.model, target.opt, &target.sched);
  std::string newer_archive = bytes;
  newer_archive[8] = 3;
  CHECK(contains(message_of<xg::io::FormatError>(
                     [&] { xg::load_checkpoint_bytes(newer_archive, target.model, target.opt, &target.sched); }),
                 "format version 3 is newer than supported (this build reads versions 1 to 2)"));
  auto archive = xg::io::Archive::from_bytes(bytes, "checkpoint");
  archive.put_integer("checkpoint_format", 4);
  const std::string newer_checkpoint = archive.to_bytes("checkpoint");
  CHECK(contains(message_of<xg::io::FormatError>(
                     [&] { xg::load_checkpoint_bytes(newer_checkpoint, target.model, target.opt, &target.sched); }),
                 "checkpoint '<memory>': checkpoint format 4, this build reads format 3"));
  CHECK(snapshot(target.model, target.opt, &target.sched) == before);
}

TEST_CASE("checkpoint: a missing section or an entry outside the sections is refused naming it") {
  SmallCase target(6);
  auto archive = xg::io::Archive::from_bytes(small_checkpoint_bytes(), "checkpoint");
  archive.put_number("stray", 1.0);
  CHECK(contains(message_of<xg::io::FormatError>([&] { xg::read_checkpoint_bytes(archive.to_bytes("checkpoint")); }),
                 "unexpected entry 'stray' outside the sections"));
  const auto full = xg::io::Archive::from_bytes(small_checkpoint_bytes(), "checkpoint");
  xg::io::Archive without_model;
  without_model.put_integer("checkpoint_format", 3);
  for (const char* prefix : {"optimizer.", "scheduler.", "generator.", "extra."})
    without_model.put_section(prefix, full.section(prefix));
  CHECK(contains(
      message_of<xg::io::FormatError>([&] { xg::read_checkpoint_bytes(without_model.to_bytes("checkpoint")); }),
      "the 'model.' section is missing"));
}

TEST_CASE("checkpoint: other parameter names or shapes are refused naming them, nothing changes") {
  const std::string path = temp_path("names");
  xg::manual_seed(2);
  nn::Sequential saved{nn::Linear(2, 3), nn::Linear(3, 2)};
  optim::Adagrad<float> saved_opt(saved.named_parameters(), {.lr = 0.1});
  xg::save_checkpoint(path, saved, saved_opt);

  SUBCASE("names") {
    nn::Sequential other{nn::Linear(2, 3), nn::Tanh(), nn::Linear(3, 2)};
    optim::Adagrad<float> other_opt(other.named_parameters(), {.lr = 0.1});
    const Snapshot before = snapshot(other, other_opt, nullptr);
    const std::string msg = message_of<std::invalid_argument>([&] { xg::load_checkpoint(path, other, other_opt); });
    CHECK(contains(msg, "model section"));
    CHECK(contains(msg, "'2.weight'"));
    CHECK(contains(msg, "'1.weight'"));
    CHECK(snapshot(other, other_opt, nullptr) == before);
  }
  SUBCASE("shapes") {
    nn::Sequential other{nn::Linear(2, 4), nn::Linear(4, 2)};
    optim::Adagrad<float> other_opt(other.named_parameters(), {.lr = 0.1});
    const Snapshot before = snapshot(other, other_opt, nullptr);
    const std::string msg = message_of<xg::ShapeError>([&] { xg::load_checkpoint(path, other, other_opt); });
    CHECK(contains(msg, "'0.weight'"));
    CHECK(contains(msg, "(4, 2)"));
    CHECK(contains(msg, "(3, 2)"));
    CHECK(snapshot(other, other_opt, nullptr) == before);
  }
  std::filesystem::remove(path);
}

TEST_CASE("checkpoint: another optimizer type is refused naming both, nothing changes") {
  const std::string path = temp_path("optimizer");
  {
    SmallCase saved(5);
    xg::save_checkpoint(path, saved.model, saved.opt, &saved.sched);
  }
  xg::manual_seed(7);
  nn::Linear model(2, 2);
  optim::Adam<float> opt(model.named_parameters(), {.lr = 0.1});
  optim::StepLR sched(opt, {.step_size = 2, .gamma = 0.5});
  const Snapshot before = snapshot(model, opt, &sched);
  const std::string msg = message_of<std::invalid_argument>([&] { xg::load_checkpoint(path, model, opt, &sched); });
  CHECK(contains(msg, "optimizer section"));
  CHECK(contains(msg, "SGD"));
  CHECK(contains(msg, "Adam"));
  CHECK(snapshot(model, opt, &sched) == before);
  std::filesystem::remove(path);
}

TEST_CASE("checkpoint: a missing, extra or different schedule is refused, nothing changes") {
  const std::string path = temp_path("schedule");
  {
    SmallCase saved(5);
    xg::save_checkpoint(path, saved.model, saved.opt, &saved.sched);
  }
  SmallCase target(6);
  const Snapshot before = snapshot(target.model, target.opt, &target.sched);
  const std::string none =
      message_of<std::invalid_argument>([&] { xg::load_checkpoint(path, target.model, target.opt); });
  CHECK(contains(none, "expected none"));
  CHECK(contains(none, "found the state of a 'StepLR'"));
  CHECK(snapshot(target.model, target.opt, &target.sched) == before);
  optim::ExponentialLR other(target.opt, {.gamma = 0.9});
  const Snapshot with_other = snapshot(target.model, target.opt, &other);
  const std::string wrong =
      message_of<xg::io::FormatError>([&] { xg::load_checkpoint(path, target.model, target.opt, &other); });
  CHECK(contains(wrong, "scheduler section"));
  CHECK(contains(wrong, "StepLR"));
  CHECK(snapshot(target.model, target.opt, &other) == with_other);

  const std::string no_sched_path = temp_path("no_schedule");
  xg::save_checkpoint(no_sched_path, target.model, target.opt);
  SmallCase third(8);
  const Snapshot third_before = snapshot(third.model, third.opt, &third.sched);
  const std::string extra = message_of<std::invalid_argument>(
      [&] { xg::load_checkpoint(no_sched_path, third.model, third.opt, &third.sched); });
  CHECK(contains(extra, "expected the state of a StepLR"));
  CHECK(contains(extra, "found none"));
  CHECK(snapshot(third.model, third.opt, &third.sched) == third_before);
  std::filesystem::remove(path);
  std::filesystem::remove(no_sched_path);
}
