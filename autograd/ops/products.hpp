#pragma once
// Matrix products (ops/matmul.cpp, ops/sparse_matmul.cpp).

#include <xgrad/core/csr_matrix.hpp>
#include <xgrad/core/tensor.hpp>

namespace xg {

// 2-D x 2-D, and the 1-D cases as NumPy defines them ((k)x(k,n), (m,k)x(k), (k)x(k)).
// A 3-D operand is a batch, as torch.matmul: (b,m,k)x(b,k,n), (b,m,k)x(k,n),
// (m,k)x(b,k,n), a batch of 1 broadcast against the other's, and a 1-D side.
template <class S>
BasicTensor<S> matmul(const BasicTensor<S>& a, const BasicTensor<S>& b);
// (b,m,k)x(b,k,n) only, as torch.bmm.
template <class S>
BasicTensor<S> bmm(const BasicTensor<S>& a, const BasicTensor<S>& b);
// x W for a sparse x of shape (n, V) and W of shape (V, d): (n, d). W's
// gradient is row-sparse, over the columns of x that hold a nonzero
// (ops/sparse_matmul.cpp).
template <class S>
BasicTensor<S> sparse_matmul(const CsrMatrix<S>& x, const BasicTensor<S>& w);
// input + x W, as torch.sparse.addmm(input, x, W): `input` broadcast to
// (n, d), a bag-of-words layer's bias added in the same op, one node where
// sparse_matmul(x, W) + input records two. The same values, bit for bit.
template <class S>
BasicTensor<S> sparse_addmm(const BasicTensor<S>& input, const CsrMatrix<S>& x, const BasicTensor<S>& w);

}  // namespace xg
