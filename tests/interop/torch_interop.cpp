// xgrad's side of tests/interop/torch_check.py: the same Sequential(Linear(64,
// 64), Tanh(), Linear(64, 10)) loads the weights PyTorch saved and must give
// PyTorch's logits, then saves weights of its own drawing and their logits
// for PyTorch to check.
//   torch_interop DIR
#include <cstdio>
#include <string>

#include <xgrad/xgrad.hpp>

int main(int argc, char** argv) try {
  if (argc != 2) {
    std::fprintf(stderr, "usage: torch_interop DIR\n");
    return 2;
  }
  const std::string dir = argv[1];
  const auto batch = xg::tensor(xg::load_npy<float>(dir + "/batch.npy"));
  const auto torch_logits = xg::load_npy<float>(dir + "/torch_logits.npy");

  xg::nn::Sequential model{xg::nn::Linear(64, 64), xg::nn::Tanh(), xg::nn::Linear(64, 10)};
  model.load_safetensors(dir + "/torch_model.safetensors", {.strict = true});
  const float difference = xt::amax(xt::abs(model(batch).value() - torch_logits))();
  std::printf("xgrad on torch's weights: largest logit difference %.3g\n", difference);
  if (!(difference <= 1e-5f)) return 1;

  xg::manual_seed(1);
  xg::nn::Sequential own{xg::nn::Linear(64, 64), xg::nn::Tanh(), xg::nn::Linear(64, 10)};
  own.save_safetensors(dir + "/xgrad_model.safetensors");
  xg::save_npy(dir + "/xgrad_logits.npy", own(batch).value());
  return 0;
} catch (const std::exception& e) {
  std::fprintf(stderr, "torch_interop: %s\n", e.what());
  return 1;
}
