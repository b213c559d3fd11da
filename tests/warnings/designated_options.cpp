// Compiled with -Wall -Wextra -Werror by the test designated_options_warning_free:
// options aggregates initialised with designators, as users write them, give
// no -Wmissing-field-initializers (a member without a default initializer did).

#include <xgrad/xgrad.hpp>

namespace {

[[maybe_unused]] void use_sites() {
  const auto images = xg::zeros({1, 1, 4, 4});
  xg::max_pool2d(images, 2, {.padding = 1});
  xg::max_pool2d(images, 2, {.ceil_mode = true});
  xg::avg_pool2d(images, 2, {.count_include_pad = false});
  xg::nn::MaxPool2d pool(2, {.dilation = 1});
  xg::nn::AvgPool2d average(2, {.padding = 1});
  xg::conv2d(images, xg::zeros({1, 1, 3, 3}), {}, {.padding = 1});
  xg::nn::Embedding embedding(4, 2, {.padding_idx = 0});
  namespace F = xg::nn::functional;
  F::binary_cross_entropy(xg::zeros({2}), xg::zeros({2}), {.reduction = xg::nn::Reduction::sum});
  F::binary_cross_entropy_with_logits(xg::zeros({2}), xg::zeros({2}), {.reduction = xg::nn::Reduction::sum});
  F::binary_cross_entropy_with_logits(xg::zeros({2}), xg::zeros({2}), {.pos_weight = xg::ones({2})});
}

}  // namespace
