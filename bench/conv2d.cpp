// Conv2d forward + backward (issue #15), 3x3 filters, stride 1, padding 1,
// with bias, on two layers of a small CNN: a batch of 32 1x28x28 images to 16
// filters (no input gradient, as a first layer) and 32 16x14x14 maps to 32
// filters (with the input gradient, as an inner layer). xgrad's conv2d
// against a hand-written im2col + sgemm loop (columns kept from the forward
// for the backward, contiguous runs copied with memcpy, every gradient written
// without a zeroing pass: the floor) and, where CMake finds it, LibTorch's
// torch::conv2d. Then the digits CNN's training
// step (bench/conv2d.hpp) in xgrad and in LibTorch.
// The implementations of a row run one after the other in every repetition;
// each ratio is the median of the per-repetition ratios.
//
//   OPENBLAS_NUM_THREADS=1 bench_conv2d [--threads N] [--repetitions N] [--markdown FILE]

#include <cblas.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <tuple>
#include <vector>

#include <xtensor/xadapt.hpp>

#include <xgrad/xgrad.hpp>

#include "conv2d.hpp"
#include "timing.hpp"

namespace {

using namespace bench::conv;

// The floor: what a careful hand-written layer does with one sgemm per image.
class HandwrittenConv {
 public:
  HandwrittenConv(const ConvShape& s, const ConvData& d)
      : s_(s),
        d_(d),
        patch_(s.channels * s.kernel * s.kernel),
        pixels_(s.size * s.size),
        columns_(s.batch * patch_ * pixels_),
        y_(s.batch * s.filters * pixels_),
        dw_(d.w.size()),
        db_(d.b.size()),
        dx_(d.x.size()),
        dcol_(patch_ * pixels_) {}

  void step() {
    const std::size_t image = s_.channels * pixels_, out = s_.filters * pixels_;
    const int o = int(s_.filters), k = int(patch_), l = int(pixels_);
    for (std::size_t n = 0; n < s_.batch; ++n) {
      float* col = columns_.data() + n * patch_ * pixels_;
      im2col(d_.x.data() + n * image, col);
      float* y = y_.data() + n * out;
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, o, l, k, 1.0f, d_.w.data(), k, col, l, 0.0f, y, l);
      for (std::size_t f = 0; f < s_.filters; ++f)
        for (std::size_t p = 0; p < pixels_; ++p) y[f * pixels_ + p] += d_.b[f];
    }
    std::fill(db_.begin(), db_.end(), 0.0f);
    for (std::size_t n = 0; n < s_.batch; ++n) {
      const float* dy = d_.dy.data() + n * out;
      for (std::size_t f = 0; f < s_.filters; ++f) {
        float total = 0;
        for (std::size_t p = 0; p < pixels_; ++p) total += dy[f * pixels_ + p];
        db_[f] += total;
      }
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, o, k, l, 1.0f, dy, l, columns_.data() + n * patch_ * pixels_,
                  l, n == 0 ? 0.0f : 1.0f, dw_.data(), k);
    }
    if (!s_.input_grad) return;
    for (std::size_t n = 0; n < s_.batch; ++n) {
      cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, k, l, o, 1.0f, d_.w.data(), k, d_.dy.data() + n * out, l,
                  0.0f, dcol_.data(), l);
      col2im(dcol_.data(), dx_.data() + n * image);
    }
  }

 private:
  // Output column range whose input column ow + shift lies inside the image.
  std::pair<long, long> inside(long shift) const {
    const long size = long(s_.size);
    return {std::max(0L, -shift), std::min(size, size - shift)};
  }

  template <class Row>
  void for_each_row(Row row) const {
    const long size = long(s_.size), pad = long(s_.kernel / 2);
    for (std::size_t c = 0; c < s_.channels; ++c)
      for (std::size_t ki = 0; ki < s_.kernel; ++ki)
        for (std::size_t kj = 0; kj < s_.kernel; ++kj) {
          const std::size_t r = (c * s_.kernel + ki) * s_.kernel + kj;
          const long shift = long(kj) - pad;
          for (long oh = 0; oh < size; ++oh) row(c, r, oh, oh + long(ki) - pad, shift);
        }
  }

  void im2col(const float* image, float* col) const {
    const long size = long(s_.size);
    for_each_row([&](std::size_t c, std::size_t r, long oh, long ih, long shift) {
      float* out = col + r * pixels_ + std::size_t(oh * size);
      if (ih < 0 || ih >= size) {
        std::memset(out, 0, sizeof(float) * std::size_t(size));
        return;
      }
      const auto [begin, end] = inside(shift);
      std::fill(out, out + begin, 0.0f);
      std::memcpy(out + begin, image + (long(c) * size + ih) * size + begin + shift,
                  sizeof(float) * std::size_t(end - begin));
      std::fill(out + end, out + size, 0.0f);
    });
  }

  // With stride 1 and padding k / 2 the kernel's centre tap reads every
  // pixel once, at its own position: its row of the column matrix is copied
  // onto the image, and the other taps add to it (no zeroing pass).
  void col2im(const float* col, float* image) const {
    const long size = long(s_.size);
    const std::size_t centre = (s_.kernel / 2) * s_.kernel + s_.kernel / 2, taps = s_.kernel * s_.kernel;
    for (std::size_t c = 0; c < s_.channels; ++c)
      std::memcpy(image + c * pixels_, col + (c * taps + centre) * pixels_, sizeof(float) * pixels_);
    for_each_row([&](std::size_t c, std::size_t r, long oh, long ih, long shift) {
      if (ih < 0 || ih >= size || r == c * taps + centre) return;
      const float* in = col + r * pixels_ + std::size_t(oh * size);
      float* dst = image + (long(c) * size + ih) * size + shift;
      const auto [begin, end] = inside(shift);
      for (long ow = begin; ow < end; ++ow) dst[ow] += in[ow];
    });
  }

  ConvShape s_;
  const ConvData& d_;
  std::size_t patch_, pixels_;
  std::vector<float> columns_, y_, dw_, db_, dx_, dcol_;
};

ConvData layer_data(const ConvShape& s) {
  xg::Generator gen(1);
  const auto draw = [&](std::size_t n) {
    std::vector<float> v(n);
    for (auto& e : v) e = float(gen.uniform(-1, 1));
    return v;
  };
  const std::size_t pixels = s.size * s.size;
  return {draw(s.batch * s.channels * pixels), draw(s.filters * s.channels * s.kernel * s.kernel), draw(s.filters),
          draw(s.batch * s.filters * pixels)};
}

xg::Tensor tensor_of(const std::vector<float>& v, const xg::Shape& shape, bool requires_grad) {
  return xg::tensor(xg::Array<float>(xt::adapt(v, shape)), requires_grad);
}

void xgrad_conv(const ConvShape& s, const ConvData& d, int steps) {
  const auto x = tensor_of(d.x, {s.batch, s.channels, s.size, s.size}, s.input_grad);
  const auto w = tensor_of(d.w, {s.filters, s.channels, s.kernel, s.kernel}, true);
  const auto b = tensor_of(d.b, {s.filters}, true);
  const xg::Array<float> dy = xt::adapt(d.dy, xg::Shape{s.batch, s.filters, s.size, s.size});
  for (int step = 0; step < steps; ++step) {
    w.zero_grad(true);
    b.zero_grad(true);
    if (s.input_grad) x.zero_grad(true);
    xg::conv2d(x, w, b, {.padding = long(s.kernel / 2)}).backward(dy);
  }
}

DigitsBatches digits_batches() {
  auto digits = xg::datasets::load_digits();
  DigitsBatches out;
  for (std::size_t start = 0; start + 32 <= digits.labels.size(); start += 32) {
    std::vector<float> images(32 * 64);
    for (std::size_t i = 0; i < images.size(); ++i) images[i] = digits.features.data()[start * 64 + i] / 16.0f;
    out.images.push_back(std::move(images));
    out.labels.emplace_back(digits.labels.begin() + long(start), digits.labels.begin() + long(start + 32));
  }
  return out;
}

// The digits CNN through the functional ops, the computation nn::Sequential{
// Conv2d(1, 16, 3), ReLU, MaxPool2d(2), Flatten, Linear(144, 10)} makes.
void xgrad_digits_cnn(const DigitsBatches& batches, int steps) {
  const auto w1 = xg::zeros({16, 1, 3, 3}, true), b1 = xg::zeros({16}, true);
  const auto w2 = xg::zeros({10, 144}, true), b2 = xg::zeros({10}, true);
  for (const auto& [w, b, fan_in] : {std::tuple{w1, b1, 9.0}, std::tuple{w2, b2, 144.0}}) {
    xg::nn::init::kaiming_uniform_(w, {.a = std::sqrt(5.0)});
    xg::nn::init::uniform_(b, -1 / std::sqrt(fan_in), 1 / std::sqrt(fan_in));
  }
  xg::optim::Adagrad opt({w1, b1, w2, b2}, {.lr = 0.1});
  std::vector<xg::Tensor> images;
  for (const auto& b : batches.images) images.push_back(tensor_of(b, {32, 1, 8, 8}, false));
  for (int step = 0; step < steps; ++step) {
    const std::size_t i = std::size_t(step) % images.size();
    opt.zero_grad();
    const auto features = xg::reshape(xg::max_pool2d(xg::relu(xg::conv2d(images[i], w1, b1)), 2), {32, 144});
    auto loss = xg::nn::functional::cross_entropy(xg::nn::functional::linear(features, w2, b2), batches.labels[i]);
    loss.backward();
    opt.step();
  }
}

#ifdef XGRAD_BENCH_LIBTORCH
constexpr bool have_libtorch = true;
#else
constexpr bool have_libtorch = false;
#endif

struct Row {
  std::string name;
  double xgrad_us, floor_us, libtorch_us, xgrad_over_floor, xgrad_over_libtorch;
};

// Microseconds per step of each implementation (0 where one is missing:
// no floor, or no LibTorch) and the median per-repetition ratios.
template <class X, class F, class T>
Row measure(const std::string& name, int repetitions, int steps, X xgrad, F floor, T libtorch, bool has_floor = true) {
  std::vector<double> xs, fs, ts, xf, xt_;
  xgrad(1), floor(1), libtorch(1);  // warm-up: scratch buffers, BLAS threads
  for (int r = 0; r < repetitions; ++r) {
    const double x = bench::seconds_of([&] { xgrad(steps); }) / steps * 1e6;
    const double f = has_floor ? bench::seconds_of([&] { floor(steps); }) / steps * 1e6 : 0.0;
    const double t = have_libtorch ? bench::seconds_of([&] { libtorch(steps); }) / steps * 1e6 : 0.0;
    xs.push_back(x), fs.push_back(f), ts.push_back(t);
    xf.push_back(f > 0 ? x / f : 0), xt_.push_back(t > 0 ? x / t : 0);
  }
  return {name, bench::median(xs), bench::median(fs), bench::median(ts), bench::median(xf), bench::median(xt_)};
}

}  // namespace

int main(int argc, char** argv) try {
  int threads = 1, repetitions = 5;
  std::string markdown;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (flag == "--threads" && i + 1 < argc)
      threads = std::atoi(argv[++i]);
    else if (flag == "--repetitions" && i + 1 < argc)
      repetitions = std::max(1, std::atoi(argv[++i]));
    else if (flag == "--markdown" && i + 1 < argc)
      markdown = argv[++i];
    else {
      std::fprintf(stderr, "usage: bench_conv2d [--threads N] [--repetitions N] [--markdown FILE]\n");
      return 2;
    }
  }
#ifdef XGRAD_BENCH_LIBTORCH
  libtorch_threads(threads);
#endif
  std::vector<Row> rows;
  for (const ConvShape& s : {ConvShape{"C1 conv2d 32x1x28x28 -> 16, 3x3", 32, 1, 28, 16, 3, false},
                             ConvShape{"C2 conv2d 32x16x14x14 -> 32, 3x3, with dx", 32, 16, 14, 32, 3, true}}) {
    const ConvData data = layer_data(s);
    HandwrittenConv floor(s, data);
    rows.push_back(measure(
        s.name, repetitions, 20, [&](int n) { xgrad_conv(s, data, n); },
        [&](int n) {
          for (int i = 0; i < n; ++i) floor.step();
        },
        [&](int n) {
#ifdef XGRAD_BENCH_LIBTORCH
          libtorch_conv(s, data, n);
#else
          (void)n;
#endif
        }));
  }
  const DigitsBatches batches = digits_batches();
  rows.push_back(measure(
      "D1 digits_cnn training step, batch 32", repetitions, 100, [&](int n) { xgrad_digits_cnn(batches, n); },
      [](int) {},
      [&](int n) {
#ifdef XGRAD_BENCH_LIBTORCH
        libtorch_digits_cnn(batches, n);
#else
        (void)n;
#endif
      },
      /*has_floor=*/false));

  std::FILE* out = markdown.empty() ? stdout : std::fopen(markdown.c_str(), "w");
  if (!out) throw std::runtime_error("bench_conv2d: cannot write " + markdown);
  std::fprintf(out,
               "| conv (threads=%d) | xgrad µs | hand-written im2col+sgemm µs | LibTorch µs | xgrad / hand-written | "
               "xgrad / LibTorch |\n",
               threads);
  std::fprintf(out, "| --- | --- | --- | --- | --- | --- |\n");
  for (const Row& r : rows) {
    const auto cell = [](double v, const char* format) {
      char buffer[32];
      if (v <= 0) return std::string("-");
      std::snprintf(buffer, sizeof buffer, format, v);
      return std::string(buffer);
    };
    std::fprintf(out, "| %s | %.0f | %s | %s | %s | %s |\n", r.name.c_str(), r.xgrad_us,
                 cell(r.floor_us, "%.0f").c_str(), have_libtorch ? cell(r.libtorch_us, "%.0f").c_str() : "skipped",
                 cell(r.xgrad_over_floor, "%.2fx").c_str(),
                 have_libtorch ? cell(r.xgrad_over_libtorch, "%.2fx").c_str() : "skipped");
  }
  if (out != stdout) std::fclose(out);
  return 0;
} catch (const std::exception& e) {
  std::fprintf(stderr, "bench_conv2d: %s\n", e.what());
  return 1;
}
