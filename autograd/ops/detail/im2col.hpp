#pragma once
// The column matrix of a convolution (ops/conv.cpp): one image's receptive
// fields unfolded, one row per (input channel, kernel row, kernel column) of
// a group and one column per output pixel, padding cells zero. im2col writes
// it, col2im_add folds a column matrix's gradient back onto the image.

#include <algorithm>
#include <cstddef>
#include <utility>

namespace xg::detail {

struct ConvGeometry {
  std::size_t batch, channels, height, width;
  std::size_t out_channels, kernel_h, kernel_w;
  std::size_t out_h, out_w;
  long stride_h, stride_w, pad_h, pad_w, dilation_h, dilation_w;
  std::size_t groups;

  std::size_t group_in() const { return channels / groups; }
  std::size_t group_out() const { return out_channels / groups; }
  std::size_t patch() const { return group_in() * kernel_h * kernel_w; }
  std::size_t pixels() const { return out_h * out_w; }
  std::size_t image() const { return channels * height * width; }
};

// The outputs o in [0, count) whose input position o * stride + offset lies in [0, extent).
inline std::pair<std::size_t, std::size_t> valid_outputs(long offset, long stride, std::size_t extent,
                                                         std::size_t count) {
  const long last = static_cast<long>(extent) - 1 - offset;
  const long begin = offset >= 0 ? 0 : (-offset + stride - 1) / stride;
  const long end = last < 0 ? 0 : last / stride + 1;
  const auto b = static_cast<std::size_t>(std::min<long>(begin, static_cast<long>(count)));
  const auto e = static_cast<std::size_t>(std::clamp<long>(end, static_cast<long>(b), static_cast<long>(count)));
  return {b, e};
}

// Visits the column matrix of one group of one image run by run: `inside(cells,
// count, first, stride)` for `count` cells covering the input elements first,
// first + stride, ...; `outside(begin, end)` for the cells in the padding.
template <class Cell, class Inside, class Outside>
void for_each_patch_cell(const ConvGeometry& g, Cell* col, Inside inside, Outside outside) {
  const std::size_t pixels = g.pixels();
  for (std::size_t c = 0; c < g.group_in(); ++c)
    for (std::size_t ki = 0; ki < g.kernel_h; ++ki)
      for (std::size_t kj = 0; kj < g.kernel_w; ++kj) {
        Cell* row = col + ((c * g.kernel_h + ki) * g.kernel_w + kj) * pixels;
        const long row_offset = static_cast<long>(ki) * g.dilation_h - g.pad_h;
        const long col_offset = static_cast<long>(kj) * g.dilation_w - g.pad_w;
        const auto [begin, end] = valid_outputs(col_offset, g.stride_w, g.width, g.out_w);
        for (std::size_t oh = 0; oh < g.out_h; ++oh) {
          Cell* out = row + oh * g.out_w;
          const long ih = static_cast<long>(oh) * g.stride_h + row_offset;
          if (ih < 0 || ih >= static_cast<long>(g.height)) {
            outside(out, out + g.out_w);
            continue;
          }
          const std::size_t input_row = (c * g.height + static_cast<std::size_t>(ih)) * g.width;
          outside(out, out + begin);
          if (end > begin)
            inside(out + begin, end - begin,
                   input_row + static_cast<std::size_t>(static_cast<long>(begin) * g.stride_w + col_offset),
                   static_cast<std::size_t>(g.stride_w));
          outside(out + end, out + g.out_w);
        }
      }
}

template <class S>
void im2col(const S* image, const ConvGeometry& g, S* col) {
  for_each_patch_cell(
      g, col,
      [image](S* cells, std::size_t count, std::size_t first, std::size_t stride) {
        if (stride == 1) {
          std::copy_n(image + first, count, cells);
          return;
        }
        for (std::size_t i = 0; i < count; ++i) cells[i] = image[first + i * stride];
      },
      [](S* begin, S* end) { std::fill(begin, end, S(0)); });
}

template <class S>
void col2im_add(const S* col, const ConvGeometry& g, S* image_grad) {
  for_each_patch_cell(
      g, col,
      [image_grad](const S* cells, std::size_t count, std::size_t first, std::size_t stride) {
        S* dst = image_grad + first;
        if (stride == 1) {
          for (std::size_t i = 0; i < count; ++i) dst[i] += cells[i];
          return;
        }
        for (std::size_t i = 0; i < count; ++i) dst[i * stride] += cells[i];
      },
      [](const S*, const S*) {});
}

}  // namespace xg::detail
