#include "cli.hpp"

#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <stdexcept>
#include <string_view>

namespace xg::examples {

namespace {

[[noreturn]] void usage(const char* program, const TrainFlags& d, int status) {
  std::fprintf(status ? stderr : stdout,
               "usage: %s [--optimizer NAME] [--lr X] [--epochs N] [--batch-size N] [--seed N]\n"
               "          [--schedule none|step|exponential|cosine|onecycle|warmup] [--out DIR] [--dense]\n"
               "          [--checkpoint FILE [--checkpoint-every STEPS] [--force-resume]] [--save-model FILE]\n"
               "          [--distributed]\n"
               "defaults: --optimizer %s --lr %g --epochs %d --batch-size %zu --seed %llu --schedule %s\n"
               "optimizers: SGD Momentum Nesterov Adagrad RMSprop Adadelta Adam AMSGrad AdamW Adamax NAdam RAdam\n"
               "            SGDScheduleFree AdamWScheduleFree Rprop ASGD Adafactor LBFGS Lion LAMB Yogi AdaBelief\n"
               "            Ftrl Shampoo Muon (Muon with AdamW for biases and the output layer)\n"
               "            Lookahead (k 5, alpha 0.5, around Adam)\n",
               program, d.optimizer.c_str(), d.lr, d.epochs, d.batch_size, static_cast<unsigned long long>(d.seed),
               d.schedule.c_str());
  std::exit(status);
}

}  // namespace

TrainFlags parse_flags(int argc, char** argv, TrainFlags defaults) {
  TrainFlags f = defaults;
  for (int i = 1; i < argc; ++i) {
    const std::string_view flag = argv[i];
    if (flag == "--help" || flag == "-h") usage(argv[0], defaults, 0);
    if (flag == "--dense" || flag == "--force-resume") {
      (flag == "--dense" ? f.dense : f.force_resume) = true;
      continue;
    }
    if (flag == "--distributed") {
      f.distributed = true;
      continue;
    }
    if (i + 1 >= argc) {
      std::fprintf(stderr, "%s: %s needs a value\n", argv[0], argv[i]);
      usage(argv[0], defaults, 2);
    }
    const std::string value = argv[++i];
    try {
      if (flag == "--optimizer")
        f.optimizer = value;
      else if (flag == "--lr")
        f.lr = std::stod(value);
      else if (flag == "--epochs")
        f.epochs = std::stoi(value);
      else if (flag == "--batch-size")
        f.batch_size = std::stoul(value);
      else if (flag == "--seed")
        f.seed = std::stoull(value);
      else if (flag == "--schedule")
        f.schedule = value;
      else if (flag == "--out")
        f.out = value;
      else if (flag == "--checkpoint")
        f.checkpoint = value;
      else if (flag == "--checkpoint-every")
        f.checkpoint_every = std::stoll(value);
      else if (flag == "--save-model")
        f.save_model = value;
      else {
        std::fprintf(stderr, "%s: unknown flag %s\n", argv[0], argv[i - 1]);
        usage(argv[0], defaults, 2);
      }
    } catch (const std::logic_error&) {
      std::fprintf(stderr, "%s: %s takes a number, got '%s'\n", argv[0], argv[i - 1], value.c_str());
      usage(argv[0], defaults, 2);
    }
  }
  if (f.epochs < 1 || f.batch_size < 1 || !(f.lr > 0)) {
    std::fprintf(stderr, "%s: --epochs and --batch-size must be >= 1 and --lr > 0\n", argv[0]);
    usage(argv[0], defaults, 2);
  }
  if (f.checkpoint_every < 0 || (f.checkpoint_every > 0 && f.checkpoint.empty())) {
    std::fprintf(stderr, "%s: --checkpoint-every needs --checkpoint FILE and a number of steps >= 0\n", argv[0]);
    usage(argv[0], defaults, 2);
  }
  return f;
}

std::optional<std::vector<std::string>> take_list_flag(int& argc, char** argv, std::string_view flag) {
  int at = 1;
  while (at < argc && argv[at] != flag) ++at;
  if (at == argc) return std::nullopt;
  std::vector<std::string> list;
  int taken = 1;
  if (at + 1 < argc && std::string_view(argv[at + 1]).rfind("--", 0) != 0) {
    std::stringstream names(argv[at + 1]);
    for (std::string name; std::getline(names, name, ',');) list.push_back(name);
    taken = 2;
  }
  for (int i = at; i + taken <= argc; ++i) argv[i] = argv[i + taken];
  argc -= taken;
  return list;
}

std::map<std::string, std::string> parse_flag_values(int argc, char** argv,
                                                     std::map<std::string, std::string> defaults) {
  std::string known;
  for (const auto& [flag, value] : defaults) known += (known.empty() ? "" : ", ") + flag;
  for (int i = 1; i < argc; i += 2) {
    const auto flag = defaults.find(argv[i]);
    if (flag == defaults.end() || i + 1 == argc)
      throw std::invalid_argument(std::string(flag == defaults.end() ? "unknown flag " : "no value after ") + argv[i] +
                                  " (flags: " + known + ", each followed by its value)");
    flag->second = argv[i + 1];
  }
  return defaults;
}

std::map<std::string, std::string> run_flags(const TrainFlags& flags) {
  // The shortest text that reads back as the same double: "0.1".
  char lr[32];
  const auto end = std::to_chars(lr, lr + sizeof lr, flags.lr).ptr;
  return {{"--optimizer", flags.optimizer},           {"--lr", std::string(lr, end)},
          {"--epochs", std::to_string(flags.epochs)}, {"--batch-size", std::to_string(flags.batch_size)},
          {"--seed", std::to_string(flags.seed)},     {"--schedule", flags.schedule},
          {"--dense", flags.dense ? "on" : "off"}};
}

}  // namespace xg::examples
