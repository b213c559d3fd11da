#include <xgrad/datasets/dataset.hpp>

#include <cstring>

#include <xgrad/core/error.hpp>

namespace xg::datasets {

namespace {

void check_indices(const char* op, const std::vector<std::size_t>& indices, std::size_t size) {
  for (auto i : indices)
    if (i >= size)
      throw_invalid_argument(op, "index " + std::to_string(i) + " is out of range for " + std::to_string(size) +
                                     " samples");
}

}  // namespace

Dataset subset(const Dataset& dataset, const std::vector<std::size_t>& indices) {
  const auto& shape = dataset.features.shape();
  if (shape.size() != 2 || shape[0] != dataset.labels.size())
    throw_shape_error("subset", "features of shape " + shape_to_string(shape) + " do not fit " +
                                    std::to_string(dataset.labels.size()) + " labels");
  check_indices("subset", indices, dataset.size());
  const std::size_t d = shape[1];
  Dataset out{Array<float>::from_shape({indices.size(), d}), {}, dataset.class_names};
  out.labels.reserve(indices.size());
  const float* src = dataset.features.data();
  float* dst = out.features.data();
  for (std::size_t r = 0; r < indices.size(); ++r) {
    if (d) std::memcpy(dst + r * d, src + indices[r] * d, d * sizeof(float));
    out.labels.push_back(dataset.labels[indices[r]]);
  }
  return out;
}

TextDataset subset(const TextDataset& dataset, const std::vector<std::size_t>& indices) {
  const std::size_t n = dataset.texts.size();
  if (dataset.labels.size() != n || (!dataset.sources.empty() && dataset.sources.size() != n))
    throw_shape_error("subset", std::to_string(n) + " texts with " + std::to_string(dataset.labels.size()) +
                                    " labels and " + std::to_string(dataset.sources.size()) + " sources");
  check_indices("subset", indices, n);
  TextDataset out{{}, {}, {}, dataset.class_names};
  out.texts.reserve(indices.size());
  out.labels.reserve(indices.size());
  if (!dataset.sources.empty()) out.sources.reserve(indices.size());
  for (auto i : indices) {
    out.texts.push_back(dataset.texts[i]);
    out.labels.push_back(dataset.labels[i]);
    if (!dataset.sources.empty()) out.sources.push_back(dataset.sources[i]);
  }
  return out;
}

}  // namespace xg::datasets
