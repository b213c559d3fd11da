// The buffer cache behind every array (core/buffer_cache.hpp) and the move-only
// closure that holds each backward (core/backward_closure.hpp).

#include <cstdint>
#include <memory>
#include <thread>
#include <utility>
#include <vector>

#include <doctest/doctest.h>

#include <xgrad/xgrad.hpp>

namespace {

bool aligned_64(const void* p) { return reinterpret_cast<std::uintptr_t>(p) % 64 == 0; }

}  // namespace

TEST_CASE("buffer cache: blocks are 64-byte aligned for every size, including 0") {
  for (std::size_t bytes : {0, 1, 4, 63, 64, 65, 1000, 4096, 1 << 20}) {
    CAPTURE(bytes);
    void* p = xg::detail::cached_allocate(bytes);
    CHECK(aligned_64(p));
    xg::detail::cached_deallocate(p, bytes);
  }
  xg::Array<float> a = xg::Array<float>::from_shape({3, 5});
  CHECK(aligned_64(a.data()));
}

TEST_CASE("buffer cache: a freed block is handed to the next request of its size, and only of its size") {
  if (!xg::detail::caches_freed_buffers())
    return;  // under AddressSanitizer every block goes back to the heap, so a stale read is reported
  xg::detail::release_cached_buffers();
  void* first = xg::detail::cached_allocate(1000);
  xg::detail::cached_deallocate(first, 1000);
  CHECK(xg::detail::cached_bytes() == 1024);  // sizes are kept in multiples of 64 bytes
  void* other_size = xg::detail::cached_allocate(5000);
  CHECK(other_size != first);
  void* same_size = xg::detail::cached_allocate(1000);
  CHECK(same_size == first);
  CHECK(xg::detail::cached_bytes() == 0);
  xg::detail::cached_deallocate(same_size, 1000);
  xg::detail::cached_deallocate(other_size, 5000);
  xg::detail::release_cached_buffers();
  CHECK(xg::detail::cached_bytes() == 0);
}

TEST_CASE("buffer cache: a training step reuses the previous step's buffers") {
  if (!xg::detail::caches_freed_buffers()) return;
  xg::manual_seed(3);
  xg::nn::Linear layer(8, 4);
  xg::optim::Adagrad<float> optimizer(layer.parameters(), {.lr = 0.1});
  const auto x = xg::randn({16, 8});
  const std::vector<std::size_t> labels(16, 1);
  auto step = [&] {
    optimizer.zero_grad();
    auto loss = xg::nn::functional::cross_entropy(layer(x), labels);
    loss.backward();
    optimizer.step();
  };
  step();
  step();
  // What a step frees it takes back in the next one: the cache neither grows
  // from step to step nor runs dry.
  const std::size_t kept = xg::detail::cached_bytes();
  CHECK(kept > 0);
  for (int i = 0; i < 5; ++i) step();
  CHECK(xg::detail::cached_bytes() == kept);
}

TEST_CASE("buffer cache: what a thread keeps is bounded, and a block freed on another thread is reused there") {
  if (!xg::detail::caches_freed_buffers()) return;
  xg::detail::release_cached_buffers();
  // 16 blocks each of 20 sizes just over 1 MiB, all alive, then all freed:
  // 336 MiB, of which at most 256 MiB stay.
  std::vector<std::pair<void*, std::size_t>> blocks;
  for (std::size_t size = 0; size < 20; ++size)
    for (int copy = 0; copy < 16; ++copy) {
      const std::size_t bytes = (std::size_t{1} << 20) + 64 * size;
      blocks.emplace_back(xg::detail::cached_allocate(bytes), bytes);
    }
  for (const auto& block : blocks) xg::detail::cached_deallocate(block.first, block.second);
  CHECK(xg::detail::cached_bytes() > std::size_t{200} << 20);
  CHECK(xg::detail::cached_bytes() <= std::size_t{256} << 20);
  xg::detail::release_cached_buffers();

  void* made_here = xg::detail::cached_allocate(2048);
  void* reused = nullptr;
  std::size_t kept_there = 0;
  std::thread other([&] {
    xg::detail::cached_deallocate(made_here, 2048);
    kept_there = xg::detail::cached_bytes();
    reused = xg::detail::cached_allocate(2048);
    xg::detail::cached_deallocate(reused, 2048);
  });
  other.join();
  CHECK(kept_there == 2048);
  CHECK(reused == made_here);
  CHECK(xg::detail::cached_bytes() == 0);  // this thread's cache saw none of it
}

TEST_CASE("BackwardClosure: moves its captures, runs them, and destroys them exactly once") {
  auto owned = std::make_shared<int>(7);
  int seen = 0;
  {
    xg::BackwardClosure<int> closure([owned, &seen](int& v) { seen = *owned + v; });
    CHECK(owned.use_count() == 2);
    CHECK(static_cast<bool>(closure));
    int arg = 5;
    closure(arg);
    CHECK(seen == 12);
    xg::BackwardClosure<int> moved(std::move(closure));
    CHECK_FALSE(static_cast<bool>(closure));
    CHECK(owned.use_count() == 2);
    xg::BackwardClosure<int> assigned;
    assigned = std::move(moved);
    CHECK(owned.use_count() == 2);
    assigned = nullptr;
    CHECK_FALSE(static_cast<bool>(assigned));
    CHECK(owned.use_count() == 1);
  }
  CHECK(owned.use_count() == 1);
}

TEST_CASE("backward: a small graph after a large one, and a backward started inside another, both run") {
  // The engine keeps its scratch (the order, the stack, the set of reached
  // nodes) per thread between passes; a nested backward gets its own.
  auto x = xg::tensor(xg::Array<double>{1.5}, true);
  auto y = x;
  for (int i = 0; i < 20000; ++i) y = y * 1.0;
  y.backward();
  CHECK(x.grad()(0) == doctest::Approx(1.0));

  auto a = xg::tensor(xg::Array<double>{2.0}, true);
  auto inner_source = xg::tensor(xg::Array<double>{3.0}, true);
  double inner_grad = 0;
  const xg::autograd::PostAccumulateGradHook<double> nested = [&](const xg::Tensor64&) {
    xg::enable_grad recording;  // hooks run with recording off, as in PyTorch
    auto z = inner_source * inner_source;
    z.backward();
    inner_grad = inner_source.grad()(0);
  };
  auto handle = xg::autograd::register_post_accumulate_grad_hook(a, nested);
  auto loss = a * a * a;
  loss.backward();
  CHECK(a.grad()(0) == doctest::Approx(12.0));
  CHECK(inner_grad == doctest::Approx(6.0));
}
