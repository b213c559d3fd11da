#pragma once
// Mini-batches of the rows of a CSR feature matrix, reshuffled every epoch:
// DataLoader for sparse inputs. Given generators seeded alike, it draws the
// same order as DataLoader, so a sparse and a dense run see the same batches.
//
//   CsrDataLoader loader(bow.transform_sparse(texts), labels, {.batch_size = 32});
//   for (const auto& [x, y] : loader) { ... model(x) ... }

#include <cstddef>
#include <iterator>
#include <vector>

#include <xgrad/datasets/csr_matrix.hpp>
#include <xgrad/core/generator.hpp>
#include <xgrad/datasets/data_loader.hpp>

namespace xg::datasets {

struct CsrBatch {
  CsrMatrix x;          // (rows, features)
  std::vector<std::size_t> y;  // rows labels
};

class CsrDataLoader {
 public:
  class Iterator;

  // One label per row of `features`; the generator must outlive the loader.
  CsrDataLoader(CsrMatrix features, std::vector<std::size_t> labels, DataLoaderOptions options = {},
                Generator& generator = default_generator());

  // A new epoch. Starting one ends any iteration still running on this loader.
  Iterator begin();
  std::default_sentinel_t end() const { return {}; }

  std::size_t size() const;  // batches per epoch
  std::size_t num_samples() const { return labels_.size(); }
  const DataLoaderOptions& options() const { return options_; }

 private:
  void fill(std::size_t batch, CsrBatch& out) const;

  CsrMatrix features_;
  std::vector<std::size_t> labels_;
  DataLoaderOptions options_;
  Generator* generator_;
  std::vector<std::size_t> order_;
};

class CsrDataLoader::Iterator {
 public:
  using value_type = CsrBatch;
  using difference_type = std::ptrdiff_t;

  Iterator() = default;

  const CsrBatch& operator*() const { return batch_; }
  const CsrBatch* operator->() const { return &batch_; }
  Iterator& operator++();
  void operator++(int) { ++*this; }
  friend bool operator==(const Iterator& it, std::default_sentinel_t) { return it.index_ >= it.count_; }

 private:
  friend class CsrDataLoader;
  explicit Iterator(const CsrDataLoader& loader);

  const CsrDataLoader* loader_ = nullptr;
  std::size_t index_ = 0;
  std::size_t count_ = 0;
  CsrBatch batch_;
};

}  // namespace xg::datasets
