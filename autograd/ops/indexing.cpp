// Picking elements by index: whole slices along an axis (index_select) or one
// element per row (gather). Backward scatters the gradient back, adding where
// an index repeats.

#include <algorithm>
#include <string>
#include <vector>

#include <xgrad/autograd/function.hpp>
#include <xgrad/autograd/ops.hpp>

namespace xg {

using autograd::record;

namespace {

void check_index(const char* op, std::size_t index, std::size_t position, std::size_t size, const char* axis_name) {
  if (index >= size)
    throw std::invalid_argument(std::string(op) + ": index " + std::to_string(index) + " (at position " +
                                std::to_string(position) + ") is out of range for " + axis_name + " of size " +
                                std::to_string(size));
}

}  // namespace

// Along `axis`, viewing x as (outer, rows, inner):
// out[o, p, k] = x[o, indices[p], k];  dx[o, indices[p], k] += dout[o, p, k]
template <class S>
BasicTensor<S> index_select(const BasicTensor<S>& x, std::span<const std::size_t> indices, long axis) {
  if (x.dim() == 0) throw_shape_error("index_select", "cannot select rows of a 0-D tensor");
  const std::size_t ax = autograd::normalize_axis("index_select", axis, x.dim());
  const std::size_t rows = x.shape()[ax];
  const std::string axis_name = "axis " + std::to_string(ax);
  for (std::size_t p = 0; p < indices.size(); ++p) check_index("index_select", indices[p], p, rows, axis_name.c_str());
  std::size_t outer = 1, inner = 1;
  for (std::size_t d = 0; d < ax; ++d) outer *= x.shape()[d];
  for (std::size_t d = ax + 1; d < x.dim(); ++d) inner *= x.shape()[d];
  Shape out_shape(x.shape().begin(), x.shape().end());
  out_shape[ax] = indices.size();
  auto out = Array<S>::from_shape(out_shape);
  const S* src = x.value().data();
  const std::size_t picked = indices.size();
  for (std::size_t o = 0; o < outer; ++o)
    for (std::size_t p = 0; p < picked; ++p)
      std::copy_n(src + (o * rows + indices[p]) * inner, inner, out.data() + (o * picked + p) * inner);
  std::vector<std::size_t> kept(indices.begin(), indices.end());
  return record<S>("index_select", std::move(out), {&x}, [kept = std::move(kept), outer, rows, inner](Node<S>& self) {
    S* dst = autograd::zero_initialized_grad(*self.inputs[0]).data();
    const S* g = self.grad.data();
    const std::size_t picked = kept.size();
    for (std::size_t o = 0; o < outer; ++o)
      for (std::size_t p = 0; p < picked; ++p)
        for (std::size_t k = 0; k < inner; ++k)
          dst[(o * rows + kept[p]) * inner + k] += g[(o * picked + p) * inner + k];
  });
}

// out[i] = x[i, indices[i]];  dx[i, indices[i]] += dout[i]
template <class S>
BasicTensor<S> gather(const BasicTensor<S>& x, std::span<const std::size_t> indices) {
  autograd::check_rank("gather", x, 2);
  const std::size_t n = x.shape()[0], c = x.shape()[1];
  if (indices.size() != n)
    throw_shape_error("gather", "needs one index per row: got " + std::to_string(indices.size()) +
                                    " indices for an input of shape " + shape_to_string(x.shape()));
  for (std::size_t i = 0; i < n; ++i) check_index("gather", indices[i], i, c, "axis 1");
  auto out = Array<S>::from_shape({n});
  const S* src = x.value().data();
  for (std::size_t i = 0; i < n; ++i) out(i) = src[i * c + indices[i]];
  std::vector<std::size_t> kept(indices.begin(), indices.end());
  return record<S>("gather", std::move(out), {&x}, [kept = std::move(kept), c](Node<S>& self) {
    S* dst = autograd::zero_initialized_grad(*self.inputs[0]).data();
    const S* g = self.grad.data();
    for (std::size_t i = 0; i < kept.size(); ++i) dst[i * c + kept[i]] += g[i];
  });
}

#define XGRAD_INSTANTIATE(S)                                                                       \
  template BasicTensor<S> index_select(const BasicTensor<S>&, std::span<const std::size_t>, long); \
  template BasicTensor<S> gather(const BasicTensor<S>&, std::span<const std::size_t>);
XGRAD_INSTANTIATE(float)
XGRAD_INSTANTIATE(double)

}  // namespace xg
