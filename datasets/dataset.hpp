#pragma once
// In-memory data sets: numeric features with class labels, and labelled
// texts. Plain structs, so a data set from elsewhere is built in one line.

#include <cstddef>
#include <string>
#include <vector>

#include <xgrad/core/array.hpp>

namespace xg::datasets {

struct Dataset {
  Array<float> features;              // (samples, features)
  std::vector<std::size_t> labels;    // one per sample, each < class_names.size()
  std::vector<std::string> class_names;

  std::size_t size() const { return labels.size(); }
  std::size_t num_features() const { return features.dimension() == 2 ? features.shape()[1] : 0; }
  std::size_t num_classes() const { return class_names.size(); }
};

struct TextDataset {
  std::vector<std::string> texts;
  std::vector<std::size_t> labels;    // one per text
  std::vector<std::string> sources;   // where each text comes from; may be empty
  std::vector<std::string> class_names;

  std::size_t size() const { return texts.size(); }
  std::size_t num_classes() const { return class_names.size(); }
};

// The samples at `indices`, in that order (repeats allowed). Throws a
// ShapeError when the data set's parts disagree in length and
// std::invalid_argument for an index past the end.
Dataset subset(const Dataset& dataset, const std::vector<std::size_t>& indices);
TextDataset subset(const TextDataset& dataset, const std::vector<std::size_t>& indices);

}  // namespace xg::datasets
