#pragma once
// The CSR matrix that BagOfWords::transform_sparse produces: xg::CsrMatrix
// (core/csr_matrix.hpp) in float32, the scalar type of the models it feeds.

#include <xgrad/core/csr_matrix.hpp>

namespace xg::datasets {

using CsrMatrix = xg::CsrMatrix<float>;
using xg::to_dense;

}  // namespace xg::datasets
