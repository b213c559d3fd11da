#pragma once
// Batch normalization per channel: torch.nn.BatchNorm1d (input (N, C) or
// (N, C, L)) and BatchNorm2d ((N, C, H, W)). In training mode the batch's
// statistics normalize and update the running estimates (buffers saved with
// the model); in eval mode the running estimates normalize, unless
// track_running_stats is off, when batch statistics are used in both modes.

#include <optional>

#include <xgrad/nn/module.hpp>

namespace xg::nn {

struct BatchNormOptions {
  double eps = 1e-5;
  // running = (1 - momentum)·running + momentum·batch; none: the cumulative
  // average over the batches seen (factor 1 / num_batches_tracked).
  std::optional<double> momentum = 0.1;
  bool affine = true;               // a weight (ones) and a bias (zeros) per channel
  bool track_running_stats = true;  // running_mean (zeros), running_var (ones), num_batches_tracked (0)
};

// What BatchNorm1d and BatchNorm2d share; M<S> is the module, which says
// which input ranks it takes (accepts_rank) and its name.
template <template <class> class M, class S>
class BatchNormBase : public Convertible<M, S> {
 public:
  BatchNormBase(std::size_t num_features, BatchNormOptions options = {});

  BasicTensor<S> forward(const BasicTensor<S>& x) override;
  using BasicModule<S>::operator();

  std::size_t num_features() const { return num_features_; }
  const BatchNormOptions& options() const { return options_; }

  template <class T>
  M<T> converted() const {
    M<T> copy(num_features_, options_);
    copy.weight = this->template converted_tensor<T>(weight);
    copy.bias = this->template converted_tensor<T>(bias);
    copy.running_mean = this->template converted_tensor<T>(running_mean);
    copy.running_var = this->template converted_tensor<T>(running_var);
    copy.num_batches_tracked = this->template converted_tensor<T>(num_batches_tracked);
    return copy;
  }

  BasicTensor<S> weight, bias;                                    // (C); undefined without affine
  BasicTensor<S> running_mean, running_var, num_batches_tracked;  // (C), (C), (); undefined without tracking

 protected:
  NamedTensors<S> local_parameters() const override;
  NamedTensors<S> local_buffers() const override;

 private:
  std::size_t num_features_;
  BatchNormOptions options_;
};

template <class S>
class BasicBatchNorm1d : public BatchNormBase<BasicBatchNorm1d, S> {
 public:
  using BatchNormBase<BasicBatchNorm1d, S>::BatchNormBase;
  static constexpr const char* name = "BatchNorm1d";
  static constexpr const char* expected_input = "(N, C) or (N, C, L)";
  static bool accepts_rank(std::size_t rank) { return rank == 2 || rank == 3; }
};

template <class S>
class BasicBatchNorm2d : public BatchNormBase<BasicBatchNorm2d, S> {
 public:
  using BatchNormBase<BasicBatchNorm2d, S>::BatchNormBase;
  static constexpr const char* name = "BatchNorm2d";
  static constexpr const char* expected_input = "(N, C, H, W)";
  static bool accepts_rank(std::size_t rank) { return rank == 4; }
};

using BatchNorm1d = BasicBatchNorm1d<float>;
using BatchNorm2d = BasicBatchNorm2d<float>;

}  // namespace xg::nn
