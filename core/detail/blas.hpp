#pragma once
// The one door to BLAS: C = alpha * op(A) * op(B) + beta * C on row-major
// buffers, for float and double. Every matrix product in xgrad goes here.

#include <cstddef>

namespace xg::blas {

template <class Scalar>
void gemm(bool trans_a, bool trans_b, std::size_t m, std::size_t n, std::size_t k, Scalar alpha, const Scalar* a,
          std::size_t lda, const Scalar* b, std::size_t ldb, Scalar beta, Scalar* c, std::size_t ldc);

}  // namespace xg::blas
