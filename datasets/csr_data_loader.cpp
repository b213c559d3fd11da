#include <xgrad/datasets/csr_data_loader.hpp>

#include <string>

#include <xgrad/core/error.hpp>

namespace xg::datasets {

LabelledCsrRows::LabelledCsrRows(CsrMatrix<float> features, std::vector<std::size_t> labels)
    : features_(std::move(features)), labels_(std::move(labels)) {
  features_.validate(name);
  if (features_.rows != labels_.size())
    throw_shape_error(name, "a CSR matrix of " + std::to_string(features_.rows) + " rows does not fit " +
                                std::to_string(labels_.size()) + " labels");
}

void LabelledCsrRows::fill(std::span<const std::size_t> samples, Batch& out) const {
  CsrMatrix<float>& x = out.x;
  x.rows = samples.size();
  x.cols = features_.cols;
  x.row_ptr.assign(1, 0);
  x.col.clear();
  x.val.clear();
  out.y.resize(samples.size());
  for (std::size_t r = 0; r < samples.size(); ++r) {
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
