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

#include <xgrad/core/generator.hpp>
#include <xgrad/datasets/batch_iterator.hpp>
#include <xgrad/datasets/csr_matrix.hpp>
#include <xgrad/datasets/sample_order.hpp>

namespace xg::datasets {

struct CsrBatch {
  CsrMatrix x;          // (rows, features)
  std::vector<std::size_t> y;  // rows labels
};

class CsrDataLoader {
 public:
  using Iterator = BatchIterator<CsrDataLoader, CsrBatch>;

  // One label per row of `features`; the generator must outlive the loader.
  CsrDataLoader(CsrMatrix features, std::vector<std::size_t> labels, DataLoaderOptions options = {},
                Generator& generator = default_generator());

  // A new epoch. Starting one ends any iteration still running on this loader.
  Iterator begin();
  std::default_sentinel_t end() const { return {}; }

  std::size_t size() const { return order_.num_batches(); }  // batches per epoch
  std::size_t num_samples() const { return order_.num_samples(); }  // this process's, per epoch
  const DataLoaderOptions& options() const { return order_.options(); }

  // The position in the epoch and the generator's states, to resume
  // mid-epoch bit-identically: see SampleOrder::state_dict.
  io::Archive state_dict() const { return order_.state_dict(); }
  void load_state_dict(const io::Archive& state) { order_.load_state_dict(state); }

 private:
  friend Iterator;
  void fill(std::size_t batch, CsrBatch& out) const;

  CsrMatrix features_;
  std::vector<std::size_t> labels_;
  SampleOrder order_;
};

}  // namespace xg::datasets
