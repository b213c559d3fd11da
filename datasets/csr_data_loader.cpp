#include <xgrad/datasets/csr_data_loader.hpp>

#include <string>

#include <xgrad/core/error.hpp>

namespace xg::datasets {

CsrDataLoader::CsrDataLoader(CsrMatrix features, std::vector<std::size_t> labels, DataLoaderOptions options,
                             Generator& generator)
    : features_(std::move(features)),
      labels_(std::move(labels)),
      order_(labels_.size(), options, generator, "CsrDataLoader") {
  features_.validate("CsrDataLoader");
  if (features_.rows != labels_.size())
    throw_shape_error("CsrDataLoader", "a CSR matrix of " + std::to_string(features_.rows) + " rows does not fit " +
                                           std::to_string(labels_.size()) + " labels");
}

CsrDataLoader::Iterator CsrDataLoader::begin() {
  const std::size_t first = order_.new_epoch();
  return Iterator(*this, first);
}

void CsrDataLoader::fill(std::size_t batch, CsrBatch& out) const {
  const auto samples = order_.batch(batch);
  const std::size_t rows = samples.size();
  CsrMatrix& x = out.x;
  x.rows = rows;
  x.cols = features_.cols;
  x.row_ptr.assign(1, 0);
  x.col.clear();
  x.val.clear();
  out.y.resize(rows);
  for (std::size_t r = 0; r < rows; ++r) {
    const std::size_t sample = samples[r];
    const auto begin = static_cast<std::ptrdiff_t>(features_.row_ptr[sample]);
    const auto end = static_cast<std::ptrdiff_t>(features_.row_ptr[sample + 1]);
    x.col.insert(x.col.end(), features_.col.begin() + begin, features_.col.begin() + end);
    x.val.insert(x.val.end(), features_.val.begin() + begin, features_.val.begin() + end);
    x.row_ptr.push_back(x.col.size());
    out.y[r] = labels_[sample];
  }
}

}  // namespace xg::datasets
