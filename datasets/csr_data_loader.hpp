#pragma once
// Mini-batches of the rows of a CSR feature matrix, reshuffled every epoch:
// DataLoader for sparse inputs. Given generators seeded alike, it draws the
// same order as DataLoader, so a sparse and a dense run see the same batches.
//
//   CsrDataLoader loader(bow.transform_sparse(texts), labels, {.batch_size = 32});
//   for (const auto& [x, y] : loader) { ... model(x) ... }

#include <cstddef>
#include <span>
#include <vector>

#include <xgrad/core/csr_matrix.hpp>
#include <xgrad/core/generator.hpp>
#include <xgrad/datasets/batch_loader.hpp>

namespace xg::datasets {

struct CsrBatch {
  CsrMatrix<float> x;          // (rows, features)
  std::vector<std::size_t> y;  // rows labels
};

// CsrDataLoader's Gather (batch_loader.hpp): CSR rows with their labels.
class LabelledCsrRows {
 public:
  using Batch = CsrBatch;
  static constexpr const char* name = "CsrDataLoader";

  // One label per row of a valid CSR matrix; std::invalid_argument or a
  // ShapeError naming what is wrong otherwise.
  LabelledCsrRows(CsrMatrix<float> features, std::vector<std::size_t> labels);

  std::size_t num_samples() const { return labels_.size(); }
  void fill(std::span<const std::size_t> samples, Batch& out) const;

 private:
  CsrMatrix<float> features_;
  std::vector<std::size_t> labels_;
};

class CsrDataLoader : public BatchLoader<LabelledCsrRows> {
 public:
  // One label per row of `features`; the generator must outlive the loader.
  CsrDataLoader(CsrMatrix<float> features, std::vector<std::size_t> labels, DataLoaderOptions options = {},
                Generator& generator = default_generator())
      : BatchLoader(LabelledCsrRows(std::move(features), std::move(labels)), options, generator) {}
};

}  // namespace xg::datasets
