// LibTorch's side of bench/conv2d.cpp, written as its C++ frontend's users
// write it: torch::conv2d on leaf tensors, and a torch::nn::Sequential
// trained with torch::optim::Adagrad.

#include <torch/torch.h>

#include <cstdint>

#include "conv2d.hpp"

namespace bench::conv {

namespace {

torch::Tensor from(const std::vector<float>& values, std::vector<std::int64_t> shape) {
  return torch::from_blob(const_cast<float*>(values.data()), shape, torch::kFloat32).clone();
}

}  // namespace

void libtorch_threads(int threads) { torch::set_num_threads(threads); }

void libtorch_conv(const ConvShape& s, const ConvData& d, int steps) {
  const auto n = std::int64_t(s.batch), c = std::int64_t(s.channels), h = std::int64_t(s.size);
  const auto o = std::int64_t(s.filters), k = std::int64_t(s.kernel);
  auto x = from(d.x, {n, c, h, h}).requires_grad_(s.input_grad);
  auto w = from(d.w, {o, c, k, k}).requires_grad_();
  auto b = from(d.b, {o}).requires_grad_();
  const auto dy = from(d.dy, {n, o, h, h});
  for (int step = 0; step < steps; ++step) {
    w.mutable_grad() = torch::Tensor();
    b.mutable_grad() = torch::Tensor();
    if (s.input_grad) x.mutable_grad() = torch::Tensor();
    torch::conv2d(x, w, b, /*stride=*/1, /*padding=*/1).backward(dy);
  }
}

void libtorch_digits_cnn(const DigitsBatches& batches, int steps) {
  torch::nn::Sequential model(torch::nn::Conv2d(torch::nn::Conv2dOptions(1, 16, 3)), torch::nn::ReLU(),
                              torch::nn::MaxPool2d(torch::nn::MaxPool2dOptions(2)), torch::nn::Flatten(),
                              torch::nn::Linear(144, 10));
  torch::optim::Adagrad optimizer(model->parameters(), torch::optim::AdagradOptions(0.1));
  std::vector<torch::Tensor> images, labels;
  for (std::size_t i = 0; i < batches.images.size(); ++i) {
    const auto rows = std::int64_t(batches.labels[i].size());
    images.push_back(from(batches.images[i], {rows, 1, 8, 8}));
    std::vector<std::int64_t> wide(batches.labels[i].begin(), batches.labels[i].end());
    labels.push_back(torch::tensor(wide, torch::kInt64));
  }
  for (int step = 0; step < steps; ++step) {
    const std::size_t i = std::size_t(step) % images.size();
    optimizer.zero_grad();
    auto loss = torch::nn::functional::cross_entropy(model->forward(images[i]), labels[i]);
    loss.backward();
    optimizer.step();
  }
}

}  // namespace bench::conv
