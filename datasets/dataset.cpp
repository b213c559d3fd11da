#include <xgrad/datasets/dataset.hpp>

#include <algorithm>
#include <cstring>

#include <xgrad/core/error.hpp>

namespace xg::datasets {

namespace {

void check_indices(const char* op, const std::vector<std::size_t>& indices, std::size_t size) {
  for (auto i : indices)
    if (i >= size)
      throw_invalid_argument(
          op, "index " + std::to_string(i) + " is out of range for " + std::to_string(size) + " samples");
}

// The rows of `rows`, (n, ...) in C order, at `indices`.
template <class S>
Array<S> take_rows(const Array<S>& rows, const std::vector<std::size_t>& indices) {
  auto shape = rows.shape();
  const std::size_t width = shape[0] ? rows.size() / shape[0] : 0;
  shape[0] = indices.size();
  Array<S> out = Array<S>::from_shape(shape);
  for (std::size_t r = 0; r < indices.size(); ++r)
    if (width) std::memcpy(out.data() + r * width, rows.data() + indices[r] * width, width * sizeof(S));
  return out;
}

// The ShapeError of a data set whose parts disagree, or nothing.
template <class S>
void check_parts(const char* op, const BasicDataset<S>& dataset) {
  const auto& shape = dataset.features.shape();
  if (shape.size() != 2)
    throw_shape_error(op, "features of shape " + shape_to_string(shape) + ", expected (samples, features)");
  if (dataset.has_targets()) {
    if (dataset.targets.shape()[0] != shape[0] || !dataset.labels.empty())
      throw_shape_error(op, "features of shape " + shape_to_string(shape) + " do not fit targets of shape " +
                                shape_to_string(dataset.targets.shape()) + " and " +
                                std::to_string(dataset.labels.size()) + " labels");
  } else if (shape[0] != dataset.labels.size()) {
    throw_shape_error(op, "features of shape " + shape_to_string(shape) + " do not fit " +
                              std::to_string(dataset.labels.size()) + " labels");
  }
}

}  // namespace

template <class S>
BasicDataset<S> tensor_dataset(Array<S> features, std::vector<std::size_t> labels,
                               std::vector<std::string> class_names) {
  if (class_names.empty()) {
    const std::size_t classes = labels.empty() ? 0 : *std::max_element(labels.begin(), labels.end()) + 1;
    for (std::size_t c = 0; c < classes; ++c) class_names.push_back(std::to_string(c));
  }
  BasicDataset<S> out{std::move(features), std::move(labels), std::move(class_names)};
  check_parts("tensor_dataset", out);
  for (std::size_t i = 0; i < out.labels.size(); ++i)
    if (out.labels[i] >= out.class_names.size())
      throw_invalid_argument("tensor_dataset", "label " + std::to_string(out.labels[i]) + " of sample " +
                                                   std::to_string(i) + " is not below the " +
                                                   std::to_string(out.class_names.size()) + " class names");
  return out;
}

template <class S>
BasicDataset<S> tensor_dataset(Array<S> features, Array<S> targets) {
  if (targets.dimension() == 0)
    throw_shape_error("tensor_dataset",
                      "targets of shape () have no sample dimension; expected (samples) or "
                      "(samples, outputs)");
  BasicDataset<S> out{std::move(features), {}, {}, std::move(targets)};
  check_parts("tensor_dataset", out);
  return out;
}

template <class S>
BasicDataset<S> subset(const BasicDataset<S>& dataset, const std::vector<std::size_t>& indices) {
  check_parts("subset", dataset);
  check_indices("subset", indices, dataset.size());
  BasicDataset<S> out{take_rows(dataset.features, indices), {}, dataset.class_names, {}, dataset.source};
  if (dataset.has_targets()) out.targets = take_rows(dataset.targets, indices);
  if (!dataset.labels.empty()) {
    out.labels.reserve(indices.size());
    for (auto i : indices) out.labels.push_back(dataset.labels[i]);
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

template BasicDataset<float> tensor_dataset(Array<float>, std::vector<std::size_t>, std::vector<std::string>);
template BasicDataset<double> tensor_dataset(Array<double>, std::vector<std::size_t>, std::vector<std::string>);
template BasicDataset<float> tensor_dataset(Array<float>, Array<float>);
template BasicDataset<double> tensor_dataset(Array<double>, Array<double>);
template BasicDataset<float> subset(const BasicDataset<float>&, const std::vector<std::size_t>&);
template BasicDataset<double> subset(const BasicDataset<double>&, const std::vector<std::size_t>&);

}  // namespace xg::datasets
