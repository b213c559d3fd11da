#pragma once
// The one header a user includes: #include <xgrad/xgrad.hpp>

#include <xgrad/core/archive.hpp>
#include <xgrad/core/array.hpp>
#include <xgrad/core/atomic_file.hpp>
#include <xgrad/core/csr_matrix.hpp>
#include <xgrad/core/error.hpp>
#include <xgrad/core/factories.hpp>
#include <xgrad/core/generator.hpp>
#include <xgrad/core/message.hpp>
#include <xgrad/core/npy.hpp>
#include <xgrad/core/npz.hpp>
#include <xgrad/core/print.hpp>
#include <xgrad/core/tensor.hpp>
#include <xgrad/core/version.hpp>

#include <xgrad/autograd/anomaly.hpp>
#include <xgrad/autograd/custom_function.hpp>
#include <xgrad/autograd/engine.hpp>
#include <xgrad/autograd/grad_mode.hpp>
#include <xgrad/autograd/gradcheck.hpp>
#include <xgrad/autograd/ops.hpp>
#include <xgrad/autograd/post_accumulate_grad_hook.hpp>

#include <xgrad/nn/nn.hpp>
#include <xgrad/nn/utils/clip_grad.hpp>

#include <xgrad/optim/optim.hpp>
#include <xgrad/optim/schedule_functions.hpp>
#include <xgrad/optim/schedulers/schedulers.hpp>

#include <xgrad/train/checkpoint.hpp>

#include <xgrad/datasets/datasets.hpp>
