// The exact row-sparse catch-up of RMSprop and Adadelta when decay^k
// underflows to 0: a row whose running average overflowed to Inf and then sat
// out some steps must come back as the dense run has it (β·Inf stays Inf step
// after step), not as 0·Inf = NaN. And with a decay of exactly 0 the caught-up
// state is 0, as the dense run drops it.

#include <cmath>
#include <cstddef>
#include <vector>

#include <doctest/doctest.h>

#include <xgrad/optim/optim.hpp>
#include <xgrad/xgrad.hpp>

namespace {

// One sample selecting row `row` of a (3, 2) weight with value `value`.
xg::CsrMatrix<double> pick(std::size_t row, double value) {
  return {.rows = 1, .cols = 3, .row_ptr = {0, 1}, .col = {row}, .val = {value}};
}

// Steps touching row 0 with a gradient of 1e200 (its square overflows double),
// then row 1 twice, then row 0 with gradient 1; sparse and dense alike.
template <class Opt, class Options>
std::vector<double> run(bool sparse, Options options) {
  auto w = xg::tensor(xg::Array<double>{{0.5, 1.0}, {-0.5, 2.0}, {0.25, 3.0}}, true);
  Opt opt({w}, options);
  const std::vector<xg::CsrMatrix<double>> batches{pick(0, 1e200), pick(1, 1), pick(1, 1), pick(0, 1)};
  for (const auto& x : batches) {
    opt.zero_grad();
    auto out = sparse ? xg::sparse_matmul(x, w) : xg::matmul(xg::tensor(x.to_dense()), w);
    xg::sum(out).backward();
    opt.step();
  }
  return {w.value().begin(), w.value().end()};
}

template <class Opt, class Options>
void check_sparse_equals_dense(Options options) {
  const std::vector<double> dense = run<Opt>(false, options), sparse = run<Opt>(true, options);
  for (std::size_t i = 0; i < dense.size(); ++i) {
    CAPTURE(i);
    REQUIRE(std::isfinite(dense[i]));
    CHECK(sparse[i] == dense[i]);
  }
}

}  // namespace

TEST_CASE("Sparse catch-up: RMSprop with a tiny or zero alpha after an overflowed square_avg equals the dense run") {
  for (double alpha : {1e-200, 0.0}) {
    CAPTURE(alpha);
    check_sparse_equals_dense<xg::optim::RMSprop<double>>(xg::optim::RMSpropOptions{.lr = 0.1, .alpha = alpha});
    check_sparse_equals_dense<xg::optim::RMSprop<double>>(
        xg::optim::RMSpropOptions{.lr = 0.1, .alpha = alpha, .centered = true});
  }
}

TEST_CASE("Sparse catch-up: Adadelta with a tiny or zero rho after an overflowed square_avg equals the dense run") {
  for (double rho : {1e-200, 0.0}) {
    CAPTURE(rho);
    check_sparse_equals_dense<xg::optim::Adadelta<double>>(xg::optim::AdadeltaOptions{.rho = rho});
  }
}
