// The data loaders' state_dict/load_state_dict (as torchdata's
// StatefulDataLoader): a loader resumed from a state taken mid-epoch serves
// the rest of that epoch and the epochs after exactly as the uninterrupted
// loader, whatever its generator's state before loading; a state that does
// not fit the loader is refused and changes nothing.

#include <cstddef>
#include <stdexcept>
#include <vector>

#include <doctest/doctest.h>

#include <xgrad/xgrad.hpp>

namespace ds = xg::datasets;

namespace {

// Row i holds the value i, labelled i: a batch's labels name its rows.
ds::Dataset numbered(std::size_t n) {
  ds::Dataset d;
  d.features = xg::Array<float>::from_shape({n, 1});
  for (std::size_t i = 0; i < n; ++i) {
    d.features(i, 0) = static_cast<float>(i);
    d.labels.push_back(i);
  }
  return d;
}

template <class Loader>
std::vector<std::size_t> labels_of(Loader& loader) {
  std::vector<std::size_t> labels;
  for (const auto& batch : loader) labels.insert(labels.end(), batch.y.begin(), batch.y.end());
  return labels;
}

}  // namespace

TEST_CASE("DataLoader: a state taken mid-epoch resumes the rest of the epoch and the next ones bit for bit") {
  const auto data = numbered(10);  // batches of 3: 3, 3, 3, 1
  xg::Generator straight_generator(7);
  ds::DataLoader straight(data, {.batch_size = 3}, straight_generator);
  labels_of(straight);         // epoch 1
  auto it = straight.begin();  // epoch 2
  std::vector<std::size_t> served(it->y.begin(), it->y.end());
  ++it;
  served.insert(served.end(), it->y.begin(), it->y.end());
  const auto state = straight.state_dict();  // two batches served
  std::vector<std::size_t> rest;
  for (++it; it != straight.end(); ++it) rest.insert(rest.end(), it->y.begin(), it->y.end());
  REQUIRE(rest.size() == 4);
  const auto epoch3 = labels_of(straight);
  straight_generator.next_u64();  // something else drawing from the generator between epochs
  const auto epoch4 = labels_of(straight);

  // Another generator, another seed: all of the order comes from the state.
  xg::Generator resumed_generator(99);
  ds::DataLoader resumed(data, {.batch_size = 3}, resumed_generator);
  resumed.load_state_dict(state);
  CHECK(labels_of(resumed) == rest);
  CHECK(labels_of(resumed) == epoch3);
  resumed_generator.next_u64();
  CHECK(labels_of(resumed) == epoch4);
  CHECK(served != std::vector<std::size_t>{0, 1, 2, 3, 4, 5});  // the epoch was shuffled
}

TEST_CASE("DataLoader: a state taken after a finished epoch starts the next one from the saved generator") {
  const auto data = numbered(7);
  xg::Generator g1(3), g2(4);
  ds::DataLoader first(data, {.batch_size = 2}, g1), second(data, {.batch_size = 2}, g2);
  labels_of(first);
  const auto state = first.state_dict();
  const auto next = labels_of(first);
  second.load_state_dict(state);
  CHECK(labels_of(second) == next);
  // A fresh loader's state (no epoch yet) resumes as its first epoch.
  xg::Generator g3(5), g4(6);
  ds::DataLoader fresh(data, {.batch_size = 2}, g3), other(data, {.batch_size = 2}, g4);
  other.load_state_dict(fresh.state_dict());
  CHECK(labels_of(other) == labels_of(fresh));
}

TEST_CASE("CsrDataLoader and TargetDataLoader resume mid-epoch as DataLoader does") {
  const std::size_t n = 9;
  xg::CsrMatrix<float> x;
  x.rows = n;
  x.cols = n;
  for (std::size_t i = 0; i < n; ++i) {
    x.col.push_back(i);
    x.val.push_back(1.0f);
    x.row_ptr.push_back(x.col.size());
  }
  std::vector<std::size_t> labels(n);
  for (std::size_t i = 0; i < n; ++i) labels[i] = i;
  xg::Generator g1(11), g2(12);
  ds::CsrDataLoader straight(x, labels, {.batch_size = 2}, g1), resumed(x, labels, {.batch_size = 2}, g2);
  auto it = straight.begin();
  ++it;  // the first batch trained; the state is taken while the second is served
  const auto state = straight.state_dict();
  std::vector<std::size_t> rest;
  for (; it != straight.end(); ++it) rest.insert(rest.end(), it->y.begin(), it->y.end());
  resumed.load_state_dict(state);
  std::vector<std::size_t> resumed_rest = labels_of(resumed);
  // The state counts the batch being served as served: the resumed loader
  // starts at the batch after it.
  CHECK(resumed_rest == std::vector<std::size_t>(rest.begin() + 2, rest.end()));
  CHECK(labels_of(resumed) == labels_of(straight));

  auto targets = xg::Array<float>::from_shape({n});
  for (std::size_t i = 0; i < n; ++i) targets(i) = static_cast<float>(i);
  const auto regression = ds::tensor_dataset(numbered(n).features, targets);
  xg::Generator g3(13), g4(14);
  ds::TargetDataLoader target_straight(regression, {.batch_size = 4}, g3),
      target_resumed(regression, {.batch_size = 4}, g4);
  auto target_it = target_straight.begin();
  const auto target_state = target_straight.state_dict();
  ++target_it;
  std::vector<float> target_rest;
  for (; target_it != target_straight.end(); ++target_it)
    for (float v : target_it->y.value()) target_rest.push_back(v);
  target_resumed.load_state_dict(target_state);
  std::vector<float> target_resumed_rest;
  for (const auto& batch : target_resumed)
    for (float v : batch.y.value()) target_resumed_rest.push_back(v);
  CHECK(target_resumed_rest == target_rest);
}

TEST_CASE("DataLoader.load_state_dict: a state that does not fit is refused naming what, and nothing changes") {
  const auto data = numbered(10);
  xg::Generator g1(1), g2(2);
  ds::DataLoader loader(data, {.batch_size = 3}, g1);
  ds::DataLoader smaller_batches(data, {.batch_size = 2}, g2);
  const auto expected = [&] {
    xg::Generator copy(2);
    ds::DataLoader twin(data, {.batch_size = 2}, copy);
    return labels_of(twin);
  }();
  CHECK_THROWS_WITH_AS(smaller_batches.load_state_dict(loader.state_dict()),
                       "DataLoader.load_state_dict: the state was saved by a loader of 4 batches per epoch, this one "
                       "has 5",
                       std::invalid_argument);
  auto damaged = loader.state_dict();
  damaged.put_number("batches_served", 2.5);
  CHECK_THROWS_WITH_AS(loader.load_state_dict(damaged),
                       "DataLoader.load_state_dict: 'batches_served' holds 2.5, expected a whole number from 0 to 4",
                       std::invalid_argument);
  damaged = loader.state_dict();
  damaged.put_string("generator", "not a state");
  CHECK_THROWS_AS(loader.load_state_dict(damaged), std::invalid_argument);
  CHECK_THROWS_WITH_AS(loader.load_state_dict(xg::io::Archive{}),
                       "DataLoader.load_state_dict: the state has no 'batches_per_epoch' (was it saved by a data "
                       "loader?)",
                       std::invalid_argument);
  CHECK(labels_of(smaller_batches) == expected);
}
