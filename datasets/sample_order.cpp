#include <xgrad/datasets/sample_order.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <string>

#include <xgrad/core/error.hpp>
#include <xgrad/core/message.hpp>
#include <xgrad/datasets/shuffle.hpp>

namespace xg::datasets {

SampleOrder::SampleOrder(std::size_t samples, DataLoaderOptions options, Generator& generator, const char* loader)
    : options_(options), generator_(&generator), loader_(loader), order_(samples) {
  if (options_.batch_size == 0) throw_invalid_argument(loader, "batch_size must be positive");
  if (options_.num_replicas == 0) throw_invalid_argument(loader, "num_replicas must be positive");
  if (options_.rank >= options_.num_replicas)
    throw_invalid_argument(loader, "rank " + std::to_string(options_.rank) + " is not below num_replicas " +
                                       std::to_string(options_.num_replicas));
  std::iota(order_.begin(), order_.end(), std::size_t{0});
}

void SampleOrder::draw() {
  epoch_start_ = generator_->state();
  if (!options_.shuffle) return;
  std::iota(order_.begin(), order_.end(), std::size_t{0});
  shuffle(order_, *generator_);
}

std::size_t SampleOrder::new_epoch() {
  started_ = true;
  served_ = 0;
  if (!resume_) {
    draw();
    return 0;
  }
  const Resume resume = std::move(*resume_);
  resume_.reset();
  if (!resume.epoch_start) {
    generator_->set_state(resume.generator);
    draw();
    return 0;
  }
  generator_->set_state(*resume.epoch_start);
  draw();
  generator_->set_state(resume.generator);
  served_ = resume.served;
  return served_;
}

io::Archive SampleOrder::state_dict() const {
  io::Archive a;
  a.put_integer("batches_per_epoch", static_cast<std::int64_t>(num_batches()));
  const bool in_epoch = started_ && served_ < num_batches();
  a.put_integer("batches_served", static_cast<std::int64_t>(in_epoch ? served_ : 0));
  a.put_string("epoch_start_generator", in_epoch ? epoch_start_ : "");
  a.put_string("generator", generator_->state());
  return a;
}

void SampleOrder::load_state_dict(const io::Archive& a) {
  const std::string where = std::string(loader_) + ".load_state_dict: ";
  for (const char* key : {"batches_per_epoch", "batches_served", "epoch_start_generator", "generator"})
    if (!a.contains(key))
      throw std::invalid_argument(where + "the state has no '" + key + "' (was it saved by a data loader?)");
  const double batches = a.get_number("batches_per_epoch"), served = a.get_number("batches_served");
  if (batches != static_cast<double>(num_batches()))
    throw std::invalid_argument(where + "the state was saved by a loader of " + number_text(batches) +
                                " batches per epoch, this one has " + std::to_string(num_batches()));
  if (!(served >= 0 && served < batches + 1 && served == std::floor(served)))
    throw std::invalid_argument(where + "'batches_served' holds " + number_text(served) +
                                ", expected a whole number from 0 to " + std::to_string(num_batches()));
  Resume resume{std::nullopt, static_cast<std::size_t>(served), a.get_string("generator")};
  const std::string epoch_start = a.get_string("epoch_start_generator");
  if (!epoch_start.empty()) resume.epoch_start = epoch_start;
  // Generator::set_state checks the text; tried on a scratch generator first.
  Generator scratch;
  scratch.set_state(resume.generator);
  if (resume.epoch_start) scratch.set_state(*resume.epoch_start);
  resume_ = std::move(resume);
}

std::size_t SampleOrder::global_batch_size() const { return options_.batch_size * options_.num_replicas; }

std::size_t SampleOrder::num_batches() const {
  const std::size_t n = order_.size(), b = global_batch_size();
  return options_.drop_last ? n / b : (n + b - 1) / b;
}

std::size_t SampleOrder::num_samples() const {
  const std::size_t n = order_.size(), b = global_batch_size(), p = options_.num_replicas, r = options_.rank;
  const std::size_t last = options_.drop_last ? 0 : n % b;
  return n / b * options_.batch_size + (r + 1) * last / p - r * last / p;
}

std::span<const std::size_t> SampleOrder::batch(std::size_t batch) const {
  const std::size_t first = batch * global_batch_size();
  const std::size_t n = std::min(global_batch_size(), order_.size() - first), p = options_.num_replicas;
  const std::size_t begin = options_.rank * n / p, end = (options_.rank + 1) * n / p;
  return std::span<const std::size_t>(order_).subspan(first + begin, end - begin);
}

}  // namespace xg::datasets
