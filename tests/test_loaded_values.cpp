// Values that no training run can produce are refused when loaded, naming
// the section, the tensor and the index, and nothing changes: NaN or Inf
// parameters and optimizer state, negative second-moment buffers, negative
// base lrs, a generator state the engine cannot leave, and state for a
// parameter the optimizer does not have.
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include <xgrad/xgrad.hpp>

#include "exception_message.hpp"

namespace {

namespace nn = xg::nn;
namespace optim = xg::optim;
using xg::testing::contains;
using xg::testing::message_of;

constexpr float infinity = std::numeric_limits<float>::infinity();
constexpr float not_a_number = std::numeric_limits<float>::quiet_NaN();

// One step of `opt` on a fixed batch, so that every state buffer exists.
void one_step(nn::Module& model, optim::OptimizerBase& opt) {
  auto x = xg::tensor(xg::Array<float>{{0.5f, -1.0f}, {2.0f, 0.25f}, {-0.75f, 1.5f}});
  auto loss = nn::functional::cross_entropy(model(x), std::vector<std::size_t>{0, 1, 1});
  opt.zero_grad();
  loss.backward();
  opt.step();
}

// A copy of `a` with entry `name`'s array holding `value` at flat index `index`.
xg::io::Archive with_element(xg::io::Archive a, const std::string& name, std::size_t index, float value) {
  xg::Array<float> values = a.get_array<float>(name);
  values.data()[index] = value;
  a.put(name, values);
  return a;
}

// Trains a Linear(2, 2) one step with the optimizer `make` builds, damages
// its state with `damage`, and checks that a second, differently trained
// optimizer refuses it with a message holding every text of `expected` and
// keeps its own state.
template <class Make, class Damage>
void refused(Make make, Damage damage, const std::vector<std::string>& expected) {
  xg::manual_seed(1);
  nn::Linear saved_model(2, 2);
  auto saved_opt = make(saved_model);
  one_step(saved_model, saved_opt);
  const xg::io::Archive damaged = damage(saved_opt.state_dict());

  xg::manual_seed(2);
  nn::Linear model(2, 2);
  auto opt = make(model);
  one_step(model, opt);
  const std::string before = opt.state_dict().to_bytes("o");
  const std::string msg = message_of<std::invalid_argument>([&] { opt.load_state_dict(damaged); });
  for (const std::string& text : expected) CHECK_MESSAGE(contains(msg, text), msg);
  CHECK(opt.state_dict().to_bytes("o") == before);
}

std::string zero_generator_state(std::uint64_t first_word) {
  std::ostringstream out;
  out << 7 << ' ' << first_word;
  for (std::size_t i = 1; i < 312; ++i) out << " 0";
  out << " 312";
  return out.str();
}

}  // namespace

TEST_CASE("loaded values: a second-moment buffer below zero is refused for each optimizer that keeps one") {
  const auto negative_at = [](const char* entry, std::size_t index) {
    return [=](xg::io::Archive a) { return with_element(std::move(a), entry, index, -0.5f); };
  };
  refused([](nn::Linear& m) { return optim::Adam<float>(m.named_parameters(), {.amsgrad = true}); },
          negative_at("state.weight.exp_avg_sq", 1),
          {"Adam.load_state_dict: the saved 'exp_avg_sq' of parameter 'weight' holds -0.5 at flat index 1 of shape "
           "(2, 2), but it is never negative"});
  refused([](nn::Linear& m) { return optim::Adam<float>(m.named_parameters(), {.amsgrad = true}); },
          negative_at("state.bias.max_exp_avg_sq", 0),
          {"'max_exp_avg_sq' of parameter 'bias' holds -0.5 at flat index 0"});
  refused([](nn::Linear& m) { return optim::AdamW<float>(m.named_parameters(), {}); },
          negative_at("state.weight.exp_avg_sq", 3), {"AdamW", "'exp_avg_sq'", "-0.5 at flat index 3"});
  refused([](nn::Linear& m) { return optim::Adagrad<float>(m.named_parameters(), {}); },
          negative_at("state.weight.sum", 2), {"Adagrad", "'sum' of parameter 'weight' holds -0.5 at flat index 2"});
  refused([](nn::Linear& m) { return optim::RMSprop<float>(m.named_parameters(), {}); },
          negative_at("state.bias.square_avg", 1), {"RMSprop", "'square_avg' of parameter 'bias'"});
  refused([](nn::Linear& m) { return optim::Adadelta<float>(m.named_parameters(), {}); },
          negative_at("state.weight.square_avg", 0), {"Adadelta", "'square_avg'"});
  refused([](nn::Linear& m) { return optim::Adadelta<float>(m.named_parameters(), {}); },
          negative_at("state.weight.acc_delta", 0), {"Adadelta", "'acc_delta'"});
  refused([](nn::Linear& m) { return optim::Adamax<float>(m.named_parameters(), {}); },
          negative_at("state.weight.exp_inf", 0), {"Adamax", "'exp_inf'"});
  refused([](nn::Linear& m) { return optim::NAdam<float>(m.named_parameters(), {}); },
          negative_at("state.weight.exp_avg_sq", 0), {"NAdam", "'exp_avg_sq'"});
  refused([](nn::Linear& m) { return optim::RAdam<float>(m.named_parameters(), {}); },
          negative_at("state.weight.exp_avg_sq", 0), {"RAdam", "'exp_avg_sq'"});
  refused([](nn::Linear& m) { return optim::LAMB<float>(m.named_parameters(), {}); },
          negative_at("state.weight.exp_avg_sq", 0), {"LAMB", "'exp_avg_sq'"});
  refused([](nn::Linear& m) { return optim::Yogi<float>(m.named_parameters(), {}); },
          negative_at("state.weight.exp_avg_sq", 0), {"Yogi", "'exp_avg_sq'"});
  refused([](nn::Linear& m) { return optim::AdaBelief<float>(m.named_parameters(), {}); },
          negative_at("state.weight.exp_avg_var", 0), {"AdaBelief", "'exp_avg_var'"});
  refused([](nn::Linear& m) { return optim::Ftrl<float>(m.named_parameters(), {}); },
          negative_at("state.weight.accumulator", 0), {"Ftrl", "'accumulator'"});
  refused([](nn::Linear& m) { return optim::AdamWScheduleFree<float>(m.named_parameters(), {}); },
          negative_at("state.weight.exp_avg_sq", 0), {"AdamWScheduleFree", "'exp_avg_sq'"});
}

TEST_CASE("loaded values: signed state may be negative, any state must be finite") {
  // exp_avg and momentum_buffer are running means of the gradient: negative
  // elements are ordinary.
  xg::manual_seed(1);
  nn::Linear model(2, 2);
  optim::Adam<float> adam(model.named_parameters(), {});
  one_step(model, adam);
  const xg::io::Archive negative_mean = with_element(adam.state_dict(), "state.weight.exp_avg", 0, -0.5f);
  adam.load_state_dict(negative_mean);
  CHECK(adam.state(model.weight, "exp_avg").data()[0] == -0.5f);

  refused([](nn::Linear& m) { return optim::Adam<float>(m.named_parameters(), {}); },
          [](xg::io::Archive a) { return with_element(std::move(a), "state.weight.exp_avg", 2, not_a_number); },
          {"the saved 'exp_avg' of parameter 'weight' holds NaN at flat index 2 of shape (2, 2)"});
  refused([](nn::Linear& m) { return optim::RMSprop<float>(m.named_parameters(), {}); },
          [](xg::io::Archive a) { return with_element(std::move(a), "state.weight.square_avg", 1, -infinity); },
          {"'square_avg' of parameter 'weight' holds -Inf at flat index 1"});
  refused([](nn::Linear& m) { return optim::SGD<float>(m.named_parameters(), {.lr = 0.1, .momentum = 0.9}); },
          [](xg::io::Archive a) { return with_element(std::move(a), "state.bias.momentum_buffer", 0, infinity); },
          {"SGD", "'momentum_buffer' of parameter 'bias' holds Inf at flat index 0"});
  refused([](nn::Linear& m) { return optim::NAdam<float>(m.named_parameters(), {}); },
          [](xg::io::Archive a) {
            a.put_number("state.weight.mu_product", std::nan(""));
            return a;
          },
          {"NAdam.load_state_dict: the saved 'mu_product' of parameter 'weight' is nan, expected a finite number"});
}

TEST_CASE("loaded values: state for a parameter or an entry the optimizer does not have is refused") {
  const auto adding = [](const char* entry) {
    return [=](xg::io::Archive a) {
      a.put_number(entry, 1.0);
      return a;
    };
  };
  refused([](nn::Linear& m) { return optim::Adagrad<float>(m.named_parameters(), {}); }, adding("state.ghost.step"),
          {"Adagrad.load_state_dict: the state holds 'state.ghost.step' for a parameter this optimizer does not have"});
  refused([](nn::Linear& m) { return optim::Adagrad<float>(m.named_parameters(), {}); }, adding("state.weight.exp_avg"),
          {"the state holds 'state.weight.exp_avg', but Adagrad keeps no state of that name"});
  // Unnamed parameters are keyed by position: Linear has two.
  refused([](nn::Linear& m) { return optim::Adam<float>(m.parameters(), {}); }, adding("state.2.step"),
          {"'state.2.step' for a parameter this optimizer does not have"});
}

TEST_CASE("loaded values: a NaN or Inf parameter is refused by Module::load_state_dict, naming it and the index") {
  nn::Linear model(2, 2);
  const xg::io::Archive before = model.state_dict();
  const std::string msg = message_of<std::invalid_argument>(
      [&] { model.load_state_dict(with_element(model.state_dict(), "weight", 3, -infinity)); });
  CHECK(contains(msg, "Module::load_state_dict: parameter 'weight' holds -Inf at flat index 3 of shape (2, 2)"));
  CHECK(model.state_dict().to_bytes("m") == before.to_bytes("m"));
}

TEST_CASE("loaded values: the generator refuses the all-zero state the engine never leaves") {
  xg::Generator g(3);
  const std::string before = g.state();
  CHECK_THROWS_WITH_AS(g.set_state(zero_generator_state(0)), doctest::Contains("state words are all zero"),
                       std::invalid_argument);
  // The low 31 bits of the first word never reach the recurrence.
  CHECK_THROWS_AS(g.set_state(zero_generator_state(0x7FFFFFFFu)), std::invalid_argument);
  CHECK(g.state() == before);
  // One of the 33 bits the recurrence uses is enough: the standard's own
  // fix-up of an all-zero seeding sets exactly the top bit.
  g.set_state(zero_generator_state(std::uint64_t(1) << 63));
  std::uint64_t any = 0;
  for (int i = 0; i < 1000; ++i) any |= g.next_u64();
  CHECK(any != 0);
}

TEST_CASE("loaded values: a checkpoint holding impossible values is refused naming the section, nothing changes") {
  xg::manual_seed(4);
  nn::Linear saved_model(2, 2);
  optim::Adam<float> saved_opt(saved_model.named_parameters(), {.lr = 0.1});
  optim::StepLR saved_sched(saved_opt, {.step_size = 2});
  one_step(saved_model, saved_opt);
  saved_sched.step();
  const std::string path = (std::filesystem::temp_directory_path() / "xgrad_loaded_values.ckpt").string();
  xg::save_checkpoint(path, saved_model, saved_opt, &saved_sched, {.epoch = 1, .step = 1});
  const xg::CheckpointContents good = xg::read_checkpoint_bytes(xg::io::read_file(path, "test"));
  std::filesystem::remove(path);

  xg::manual_seed(5);
  nn::Linear model(2, 2);
  optim::Adam<float> opt(model.named_parameters(), {.lr = 0.1});
  optim::StepLR sched(opt, {.step_size = 2});
  one_step(model, opt);
  const auto snapshot = [&] {
    xg::io::Archive s;
    sched.save_state(s, "");
    return model.state_dict().to_bytes("m") + opt.state_dict().to_bytes("o") + s.to_bytes("s") +
           xg::default_generator().state();
  };
  const std::string before = snapshot();
  const auto refused_checkpoint = [&](xg::CheckpointContents contents, const std::string& expected) {
    const std::string bytes = xg::checkpoint_to_bytes(contents);
    std::string msg;
    try {
      xg::load_checkpoint_bytes(bytes, model, opt, &sched, "run.ckpt");
    } catch (const std::exception& e) {
      msg = e.what();
    }
    CHECK_MESSAGE(contains(msg, expected), msg);
    CHECK(snapshot() == before);
  };

  xg::CheckpointContents nan_weight = good;
  nan_weight.model = with_element(good.model, "bias", 1, not_a_number);
  refused_checkpoint(nan_weight,
                     "load_checkpoint 'run.ckpt': model section: Module::check_state_dict: parameter "
                     "'bias' holds NaN at flat index 1 of shape (2,)");

  xg::CheckpointContents negative_moment = good;
  negative_moment.optimizer = with_element(good.optimizer, "state.weight.exp_avg_sq", 2, -1e-3f);
  refused_checkpoint(negative_moment,
                     "optimizer section: Adam.load_state_dict: the saved 'exp_avg_sq' of "
                     "parameter 'weight' holds -0.001 at flat index 2");

  xg::CheckpointContents negative_base_lr = good;
  negative_base_lr.scheduler->put("base_lrs", xg::Array<double>{-0.1});
  refused_checkpoint(negative_base_lr,
                     "scheduler section: StepLR::load_state: 'base_lrs' holds -0.1 for param "
                     "group 0, expected a finite lr >= 0");

  xg::CheckpointContents zero_generator = good;
  zero_generator.generator_state = zero_generator_state(0);
  refused_checkpoint(zero_generator, "generator section: Generator::set_state: the engine's state words are all zero");

  // The undamaged contents load, so each refusal above is the value's.
  xg::load_checkpoint_bytes(xg::checkpoint_to_bytes(good), model, opt, &sched);
  CHECK(model.state_dict().to_bytes("m") == saved_model.state_dict().to_bytes("m"));
}
