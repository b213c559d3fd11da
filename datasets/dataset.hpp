#pragma once
// In-memory data sets: numeric features with class labels or float targets,
// and labelled texts. Plain structs, so a data set from elsewhere is built in
// one line (or checked on the way in by tensor_dataset). The features and
// targets are float32 (`Dataset`) or float64 (`Dataset64`), as the tensors
// of the model they feed.

#include <cstddef>
#include <string>
#include <vector>

#include <xgrad/core/array.hpp>

namespace xg::datasets {

template <class S>
struct BasicDataset {
  using scalar_type = S;

  Array<S> features;                // (samples, features)
  std::vector<std::size_t> labels;  // one per sample, each < class_names.size(); empty for regression
  std::vector<std::string> class_names;
  // Float targets for regression, (samples) or (samples, outputs); a
  // default-constructed (0-dimensional) array when the data set has labels.
  Array<S> targets{};
  // The file the data set was read from, for messages; empty otherwise.
  std::string source{};

  bool has_targets() const { return targets.dimension() > 0; }
  std::size_t size() const { return features.dimension() == 2 ? features.shape()[0] : labels.size(); }
  std::size_t num_features() const { return features.dimension() == 2 ? features.shape()[1] : 0; }
  std::size_t num_classes() const { return class_names.size(); }
};

using Dataset = BasicDataset<float>;
using Dataset64 = BasicDataset<double>;

struct TextDataset {
  std::vector<std::string> texts;
  std::vector<std::size_t> labels;   // one per text
  std::vector<std::string> sources;  // where each text comes from; may be empty
  std::vector<std::string> class_names;

  std::size_t size() const { return texts.size(); }
  std::size_t num_classes() const { return class_names.size(); }
};

// A data set of arrays the user already has (torch.utils.data.TensorDataset):
// features (samples, features) with one label per sample, each below the
// number of class names (classes "0".."k-1" when none are given), or with
// float targets whose first dimension is the samples. Throws a ShapeError
// naming both shapes when they disagree, std::invalid_argument for a label
// out of range.
template <class S>
BasicDataset<S> tensor_dataset(Array<S> features, std::vector<std::size_t> labels,
                               std::vector<std::string> class_names = {});
template <class S>
BasicDataset<S> tensor_dataset(Array<S> features, Array<S> targets);

// The samples at `indices`, in that order (repeats allowed). Throws a
// ShapeError when the data set's parts disagree in length and
// std::invalid_argument for an index past the end.
template <class S>
BasicDataset<S> subset(const BasicDataset<S>& dataset, const std::vector<std::size_t>& indices);
TextDataset subset(const TextDataset& dataset, const std::vector<std::size_t>& indices);

extern template BasicDataset<float> tensor_dataset(Array<float>, std::vector<std::size_t>, std::vector<std::string>);
extern template BasicDataset<double> tensor_dataset(Array<double>, std::vector<std::size_t>, std::vector<std::string>);
extern template BasicDataset<float> tensor_dataset(Array<float>, Array<float>);
extern template BasicDataset<double> tensor_dataset(Array<double>, Array<double>);
extern template BasicDataset<float> subset(const BasicDataset<float>&, const std::vector<std::size_t>&);
extern template BasicDataset<double> subset(const BasicDataset<double>&, const std::vector<std::size_t>&);

}  // namespace xg::datasets
