#include <xgrad/datasets/csr_data_loader.hpp>

#include <algorithm>
#include <numeric>
#include <string>

#include <xgrad/core/error.hpp>
#include <xgrad/datasets/shuffle.hpp>

namespace xg::datasets {

CsrDataLoader::CsrDataLoader(CsrMatrix features, std::vector<std::size_t> labels, DataLoaderOptions options,
                             Generator& generator)
    : features_(std::move(features)), labels_(std::move(labels)), options_(options), generator_(&generator) {
  features_.validate("CsrDataLoader");
  if (features_.rows != labels_.size())
    throw_shape_error("CsrDataLoader", "a CSR matrix of " + std::to_string(features_.rows) + " rows does not fit " +
                                           std::to_string(labels_.size()) + " labels");
  if (options_.batch_size == 0) throw_invalid_argument("CsrDataLoader", "batch_size must be positive");
  order_.resize(labels_.size());
  std::iota(order_.begin(), order_.end(), std::size_t{0});
}

std::size_t CsrDataLoader::size() const {
  const std::size_t n = labels_.size(), b = options_.batch_size;
  return options_.drop_last ? n / b : (n + b - 1) / b;
}

// The same draws as DataLoader::begin, so that equal seeds give equal orders.
CsrDataLoader::Iterator CsrDataLoader::begin() {
  if (options_.shuffle) {
    std::iota(order_.begin(), order_.end(), std::size_t{0});
    shuffle(order_, *generator_);
  }
  return Iterator(*this);
}

void CsrDataLoader::fill(std::size_t batch, CsrBatch& out) const {
  const std::size_t first = batch * options_.batch_size;
  const std::size_t rows = std::min(options_.batch_size, labels_.size() - first);
  CsrMatrix& x = out.x;
  x.rows = rows;
  x.cols = features_.cols;
  x.row_ptr.assign(1, 0);
  x.col.clear();
  x.val.clear();
  out.y.resize(rows);
  for (std::size_t r = 0; r < rows; ++r) {
    const std::size_t sample = order_[first + r];
    const auto begin = static_cast<std::ptrdiff_t>(features_.row_ptr[sample]);
    const auto end = static_cast<std::ptrdiff_t>(features_.row_ptr[sample + 1]);
    x.col.insert(x.col.end(), features_.col.begin() + begin, features_.col.begin() + end);
    x.val.insert(x.val.end(), features_.val.begin() + begin, features_.val.begin() + end);
    x.row_ptr.push_back(x.col.size());
    out.y[r] = labels_[sample];
  }
}

CsrDataLoader::Iterator::Iterator(const CsrDataLoader& loader) : loader_(&loader), count_(loader.size()) {
  if (count_ > 0) loader_->fill(0, batch_);
}

CsrDataLoader::Iterator& CsrDataLoader::Iterator::operator++() {
  if (++index_ < count_) loader_->fill(index_, batch_);
  return *this;
}

}  // namespace xg::datasets
