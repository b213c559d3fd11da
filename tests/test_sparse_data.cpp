// Batches of CSR rows: the same samples, in the same order, as the dense
// DataLoader draws from an equally seeded generator.

#include <set>
#include <vector>

#include <doctest/doctest.h>

#include <xgrad/xgrad.hpp>

namespace ds = xg::datasets;

TEST_CASE("CsrDataLoader: the same shuffled batches as DataLoader with the same seed") {
  // Row i holds the single value i + 1 in column i % 3; the label is i.
  const std::size_t n = 10;
  xg::CsrMatrix<float> x{.rows = n, .cols = 3, .row_ptr = {0}, .col = {}, .val = {}};
  std::vector<std::size_t> labels;
  for (std::size_t i = 0; i < n; ++i) {
    x.col.push_back(i % 3);
    x.val.push_back(static_cast<float>(i + 1));
    x.row_ptr.push_back(i + 1);
    labels.push_back(i);
  }
  xg::Generator sparse_gen(11), dense_gen(11);
  ds::CsrDataLoader sparse(x, labels, {.batch_size = 4}, sparse_gen);
  ds::DataLoader dense(x.to_dense(), labels, {.batch_size = 4}, dense_gen);
  CHECK(sparse.size() == 3);
  std::set<std::size_t> seen;
  for (int epoch = 0; epoch < 2; ++epoch) {
    auto s = sparse.begin();
    auto d = dense.begin();
    for (; s != sparse.end(); ++s, ++d) {
      REQUIRE(d != dense.end());
      CHECK(s->y == d->y);
      CHECK(s->x.to_dense() == d->x.value());
      for (std::size_t r = 0; r < s->y.size(); ++r) {
        // Each row still carries its own sample's value.
        CHECK(s->x.val[r] == static_cast<float>(s->y[r] + 1));
        if (epoch == 0) seen.insert(s->y[r]);
      }
    }
    CHECK(d == dense.end());
  }
  CHECK(seen.size() == n);
  CHECK_THROWS_AS(ds::CsrDataLoader(x, {1, 2}), xg::ShapeError);
}
