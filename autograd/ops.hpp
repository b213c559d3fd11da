#pragma once
// Every differentiable operation, one header per family. Elementwise binary
// ops follow NumPy broadcasting; axes may be negative (counted from the end).
// Each op's forward and backward live side by side in autograd/ops/<family>.cpp.

#include <xgrad/autograd/ops/activation.hpp>
#include <xgrad/autograd/ops/arithmetic.hpp>
#include <xgrad/autograd/ops/conv.hpp>
#include <xgrad/autograd/ops/elementwise.hpp>
#include <xgrad/autograd/ops/normalization.hpp>
#include <xgrad/autograd/ops/products.hpp>
#include <xgrad/autograd/ops/reduction.hpp>
#include <xgrad/autograd/ops/result_types.hpp>
#include <xgrad/autograd/ops/shape.hpp>
