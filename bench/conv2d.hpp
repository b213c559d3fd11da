#pragma once
// What bench/conv2d.cpp times, shared with its LibTorch half
// (conv2d_libtorch.cpp, built only where CMake finds Torch).

#include <cstddef>
#include <vector>

namespace bench::conv {

// One convolution layer's forward and backward on a batch: stride 1,
// padding 1, with bias; the input's gradient only when `input_grad`.
struct ConvShape {
  const char* name;
  std::size_t batch, channels, size, filters, kernel;
  bool input_grad;
};

// The same layer's data for every implementation: input, weight, bias and the
// gradient fed to the output, row-major.
struct ConvData {
  std::vector<float> x, w, b, dy;
};

// The digits CNN's training step: Conv2d(1, 16, 3) + ReLU + MaxPool2d(2) +
// Flatten + Linear(144, 10), cross-entropy, Adagrad lr 0.1, batches of 32
// 8x8 images.
struct DigitsBatches {
  std::vector<std::vector<float>> images;  // 32 x 64 each
  std::vector<std::vector<std::size_t>> labels;
};

#ifdef XGRAD_BENCH_LIBTORCH
void libtorch_threads(int threads);
// `steps` forward + backward passes of the layer.
void libtorch_conv(const ConvShape& shape, const ConvData& data, int steps);
// `steps` training steps over the batches in turn.
void libtorch_digits_cnn(const DigitsBatches& batches, int steps);
#endif

}  // namespace bench::conv
