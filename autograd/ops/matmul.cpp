// Matrix products through BLAS, forward and backward. A 1-D left operand is a
// row (1, k) and a 1-D right operand a column (k, 1), as in NumPy; the
// gradients are accumulated by gemm with beta = 1, straight into .grad.

#include <xgrad/autograd/function.hpp>
#include <xgrad/autograd/ops.hpp>
#include <xgrad/core/blas.hpp>

namespace xg {

using autograd::record;

namespace {

struct MatmulDims {
  std::size_t m, k, n;
};

// gemm writes into `target`'s gradient: overwriting a fresh one, adding to an existing one.
template <class S>
S* gradient_buffer(Node<S>& target, S& beta) {
  beta = target.has_grad ? S(1) : S(0);
  if (target.has_grad) {
    target.check_grad_shape();
  } else {
    target.grad = Array<S>::from_shape(target.value.shape());
    target.has_grad = true;
  }
  return target.grad.data();
}

}  // namespace

// C = A B;  dA = dC B^T;  dB = A^T dC
template <class S>
BasicTensor<S> matmul(const BasicTensor<S>& a, const BasicTensor<S>& b) {
  const std::size_t ra = a.dim(), rb = b.dim();
  if (ra < 1 || ra > 2 || rb < 1 || rb > 2)
    throw_shape_error("matmul", "supports 1-D and 2-D operands, got " + shape_to_string(a.shape()) + " and " +
                                    shape_to_string(b.shape()));
  const MatmulDims d{ra == 2 ? a.shape()[0] : 1, a.shape()[ra - 1], rb == 2 ? b.shape()[1] : 1};
  if (b.shape()[0] != d.k)
    throw_shape_error("matmul", "cannot multiply " + shape_to_string(a.shape()) + " by " + shape_to_string(b.shape()));
  Shape out_shape;
  if (ra == 2) out_shape.push_back(d.m);
  if (rb == 2) out_shape.push_back(d.n);
  auto out = Array<S>::from_shape(out_shape);
  blas::gemm<S>(false, false, d.m, d.n, d.k, S(1), a.value().data(), d.k, b.value().data(), d.n, S(0), out.data(),
                d.n);
  return record<S>("matmul", std::move(out), {&a, &b}, [d](Node<S>& self) {
    auto &a = *self.inputs[0], &b = *self.inputs[1];
    const S* g = self.grad.data();
    S beta;
    if (a.requires_grad) {
      S* ga = gradient_buffer(a, beta);
      blas::gemm<S>(false, true, d.m, d.k, d.n, S(1), g, d.n, b.value.data(), d.n, beta, ga, d.k);
    }
    if (b.requires_grad) {
      S* gb = gradient_buffer(b, beta);
      blas::gemm<S>(true, false, d.k, d.n, d.m, S(1), a.value.data(), d.k, g, d.n, beta, gb, d.n);
    }
  });
}

template BasicTensor<float> matmul(const BasicTensor<float>&, const BasicTensor<float>&);
template BasicTensor<double> matmul(const BasicTensor<double>&, const BasicTensor<double>&);

}  // namespace xg
