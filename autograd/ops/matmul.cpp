// Matrix products through BLAS, forward and backward. A 1-D left operand is a
// row (1, k) and a 1-D right operand a column (k, 1), as in NumPy; the
// gradients are accumulated by gemm with beta = 1, straight into .grad.
// Batched products (a 3-D operand, as torch.matmul and torch.bmm) run one
// gemm per batch entry, or a single gemm over the stacked rows when the
// right operand is one matrix shared by the whole batch.

#include <string>

#include <xgrad/autograd/function.hpp>
#include <xgrad/autograd/ops.hpp>
#include <xgrad/core/detail/blas.hpp>

namespace xg {

using autograd::record;

namespace {

struct MatmulDims {
  std::size_t m, k, n;
};

// One operand of a batched product: `batch` matrices `stride` elements
// apart; a stride of 0 shares one matrix with every batch entry.
struct BatchedOperand {
  std::size_t batch, rows, cols, stride;
};

// The operand as matmul reads it: 1-D as a row (left) or a column (right),
// 2-D as a matrix shared by the batch, 3-D as a batch (of 1: shared too).
template <class Sh>
BatchedOperand batched_operand(const Sh& shape, bool left) {
  const std::size_t r = shape.size();
  if (r == 1) return left ? BatchedOperand{1, 1, shape[0], 0} : BatchedOperand{1, shape[0], 1, 0};
  if (r == 2) return {1, shape[0], shape[1], 0};
  return {shape[0], shape[1], shape[2], shape[0] == 1 ? 0 : shape[1] * shape[2]};
}

// C_i = A_i B_i for every batch entry i; dA_i = dC_i B_i^T, dB_i = A_i^T dC_i,
// summed over the batch into an operand the batch shares.
template <class S>
BasicTensor<S> batched_matmul(const char* op, const BasicTensor<S>& a, const BasicTensor<S>& b) {
  const BatchedOperand A = batched_operand(a.shape(), true), B = batched_operand(b.shape(), false);
  if (A.batch != B.batch && A.batch != 1 && B.batch != 1)
    throw_shape_error(op, "batch sizes " + std::to_string(A.batch) + " and " + std::to_string(B.batch) +
                              " differ (shapes " + shape_to_string(a.shape()) + " and " + shape_to_string(b.shape()) +
                              ")");
  if (A.cols != B.rows)
    throw_shape_error(op, "cannot multiply " + shape_to_string(a.shape()) + " by " + shape_to_string(b.shape()));
  // A batch of 1 (or a shared matrix) takes the other's size, 0 included.
  const std::size_t batch = A.batch == 1 ? B.batch : A.batch, m = A.rows, k = A.cols, n = B.cols;
  Shape out_shape{batch};
  if (a.dim() >= 2) out_shape.push_back(m);
  if (b.dim() >= 2) out_shape.push_back(n);
  checked_numel(op, out_shape);
  auto out = Array<S>::from_shape(out_shape);
  // A shared right operand: the batch's rows stacked make one (batch m, k) matrix.
  const bool stacked = B.stride == 0 && A.stride != 0;
  if (stacked) {
    blas::gemm<S>(false, false, batch * m, n, k, S(1), a.value().data(), k, b.value().data(), n, S(0), out.data(), n);
  } else {
    for (std::size_t i = 0; i < batch; ++i)
      blas::gemm<S>(false, false, m, n, k, S(1), a.value().data() + i * A.stride, k, b.value().data() + i * B.stride, n,
                    S(0), out.data() + i * m * n, n);
  }
  return record<S>(op, std::move(out), {&a, &b}, [A, B, batch, m, k, n, stacked](Node<S>& self) {
    auto &a = *self.inputs[0], &b = *self.inputs[1];
    const S* g = self.grad.data();
    S beta;
    if (a.requires_grad) {
      S* ga = a.gradient_for_gemm(beta);
      if (batch == 0 && beta == S(0)) a.grad.fill(S(0));  // no gemm runs to write a shared operand's gradient
      if (stacked) {
        blas::gemm<S>(false, true, batch * m, k, n, S(1), g, n, b.value.data(), n, beta, ga, k);
      } else {
        for (std::size_t i = 0; i < batch; ++i, beta = A.stride == 0 ? S(1) : beta)
          blas::gemm<S>(false, true, m, k, n, S(1), g + i * m * n, n, b.value.data() + i * B.stride, n, beta,
                        ga + i * A.stride, k);
      }
    }
    if (b.requires_grad) {
      S* gb = b.gradient_for_gemm(beta);
      if (batch == 0 && beta == S(0)) b.grad.fill(S(0));
      if (stacked) {
        blas::gemm<S>(true, false, k, n, batch * m, S(1), a.value.data(), k, g, n, beta, gb, n);
      } else {
        for (std::size_t i = 0; i < batch; ++i, beta = B.stride == 0 ? S(1) : beta)
          blas::gemm<S>(true, false, k, n, m, S(1), a.value.data() + i * A.stride, k, g + i * m * n, n, beta,
                        gb + i * B.stride, n);
      }
    }
  });
}

}  // namespace

// C = A B;  dA = dC B^T;  dB = A^T dC
template <class S>
BasicTensor<S> matmul(const BasicTensor<S>& a, const BasicTensor<S>& b) {
  const std::size_t ra = a.dim(), rb = b.dim();
  if (ra < 1 || ra > 3 || rb < 1 || rb > 3)
    throw_shape_error("matmul", "supports 1-D, 2-D and 3-D operands, got " + shape_to_string(a.shape()) + " and " +
                                    shape_to_string(b.shape()));
  if (ra == 3 || rb == 3) return batched_matmul("matmul", a, b);
  const MatmulDims d{ra == 2 ? a.shape()[0] : 1, a.shape()[ra - 1], rb == 2 ? b.shape()[1] : 1};
  if (b.shape()[0] != d.k)
    throw_shape_error("matmul", "cannot multiply " + shape_to_string(a.shape()) + " by " + shape_to_string(b.shape()));
  Shape out_shape;
  if (ra == 2) out_shape.push_back(d.m);
  if (rb == 2) out_shape.push_back(d.n);
  auto out = Array<S>::from_shape(out_shape);
  blas::gemm<S>(false, false, d.m, d.n, d.k, S(1), a.value().data(), d.k, b.value().data(), d.n, S(0), out.data(), d.n);
  return record<S>("matmul", std::move(out), {&a, &b}, [d](Node<S>& self) {
    auto &a = *self.inputs[0], &b = *self.inputs[1];
    const S* g = self.grad.data();
    S beta;
    if (a.requires_grad) {
      S* ga = a.gradient_for_gemm(beta);
      blas::gemm<S>(false, true, d.m, d.k, d.n, S(1), g, d.n, b.value.data(), d.n, beta, ga, d.k);
    }
    if (b.requires_grad) {
      S* gb = b.gradient_for_gemm(beta);
      blas::gemm<S>(true, false, d.k, d.n, d.m, S(1), a.value.data(), d.k, g, d.n, beta, gb, d.n);
    }
  });
}

template <class S>
BasicTensor<S> bmm(const BasicTensor<S>& a, const BasicTensor<S>& b) {
  autograd::check_rank("bmm", a, 3, "first operand");
  autograd::check_rank("bmm", b, 3, "second operand");
  if (a.shape()[0] != b.shape()[0])
    throw_shape_error("bmm", "batch sizes " + std::to_string(a.shape()[0]) + " and " + std::to_string(b.shape()[0]) +
                                 " differ (shapes " + shape_to_string(a.shape()) + " and " +
                                 shape_to_string(b.shape()) + ")");
  return batched_matmul("bmm", a, b);
}

template BasicTensor<float> matmul(const BasicTensor<float>&, const BasicTensor<float>&);
template BasicTensor<double> matmul(const BasicTensor<double>&, const BasicTensor<double>&);
template BasicTensor<float> bmm(const BasicTensor<float>&, const BasicTensor<float>&);
template BasicTensor<double> bmm(const BasicTensor<double>&, const BasicTensor<double>&);

}  // namespace xg
