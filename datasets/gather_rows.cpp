#include <xgrad/datasets/detail/gather_rows.hpp>

#include <cstring>

#include <xgrad/core/detail/shared_storage.hpp>

namespace xg::datasets {

template <class S>
void gather_rows(const Array<S>& from, std::span<const std::size_t> samples, BasicTensor<S>& to) {
  const std::size_t rows = samples.size();
  const bool reusable = to.defined() && to.node().use_count() == 1 && to.shape()[0] == rows && !to.requires_grad() &&
                        !to.has_grad() && !xg::detail::storage_is_shared(to.value().data());
  if (!reusable) {
    auto shape = from.shape();
    shape[0] = rows;
    to = BasicTensor<S>(Array<S>::from_shape(shape));
  }
  const std::size_t width = from.shape()[0] ? from.size() / from.shape()[0] : 0;
  S* dst = to.value().data();
  for (std::size_t r = 0; r < rows; ++r)
    if (width) std::memcpy(dst + r * width, from.data() + samples[r] * width, width * sizeof(S));
}

template void gather_rows(const Array<float>&, std::span<const std::size_t>, BasicTensor<float>&);
template void gather_rows(const Array<double>&, std::span<const std::size_t>, BasicTensor<double>&);

}  // namespace xg::datasets
