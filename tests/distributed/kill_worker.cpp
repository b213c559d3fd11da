// The killed-rank test's job: the digits MLP trained data-parallel, rank 0
// writing a checkpoint every 20 steps, until rank `--kill-rank` sends itself
// SIGKILL at step `--kill-at`; kill_rank.sh checks the job stops and the
// checkpoint loads (`kill_worker --verify FILE`, one process).
//
//   mpirun -np 2 kill_worker --checkpoint FILE --kill-rank 1 --kill-at 150
//   kill_worker --verify FILE

#include <csignal>
#include <cstdio>
#include <string>

#include <xgrad/distributed/distributed.hpp>
#include <xgrad/xgrad.hpp>

namespace xd = xg::distributed;

xg::nn::Sequential digits_model() {
  return xg::nn::Sequential{xg::nn::Linear(64, 64), xg::nn::Tanh(), xg::nn::Linear(64, 10)};
}

int main(int argc, char** argv) {
  xd::Environment env(argc, argv);
  try {
    std::string checkpoint, verify;
    int kill_rank = 1, kill_at = 150;
    for (int i = 1; i + 1 < argc; i += 2) {
      const std::string flag = argv[i], value = argv[i + 1];
      if (flag == "--checkpoint")
        checkpoint = value;
      else if (flag == "--verify")
        verify = value;
      else if (flag == "--kill-rank")
        kill_rank = std::stoi(value);
      else if (flag == "--kill-at")
        kill_at = std::stoi(value);
      else
        throw std::invalid_argument("kill_worker: unknown flag " + flag);
    }
    xg::manual_seed(0);
    auto model = digits_model();
    xg::optim::Adagrad opt(model.named_parameters(), {.lr = 0.1});
    if (!verify.empty()) {
      const auto extra = xg::load_checkpoint(verify, model, opt);
      std::printf("kill_worker: %s loads, step %lld\n", verify.c_str(), static_cast<long long>(extra.step));
      return 0;
    }
    auto data = xg::datasets::load_digits();
    data.features /= 16.0f;
    xd::broadcast_parameters(model);
    xg::datasets::DataLoader loader(data, {.batch_size = 16,
                                           .num_replicas = static_cast<std::size_t>(env.world_size()),
                                           .rank = static_cast<std::size_t>(env.rank())});
    for (std::int64_t step = 0;;) {
      for (const auto& batch : loader) {
        opt.zero_grad();
        xg::nn::functional::cross_entropy(model(batch.x), batch.y).backward();
        xd::all_reduce_gradients(model, batch.y.size());
        opt.step();
        ++step;
        if (env.rank() == 0 && step % 20 == 0) xg::save_checkpoint(checkpoint, model, opt, nullptr, {.step = step});
        if (env.rank() == kill_rank && step == kill_at) std::raise(SIGKILL);
      }
    }
  } catch (const std::exception& e) {
    env.abort(e.what());
  }
}
