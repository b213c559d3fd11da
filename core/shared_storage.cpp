#include <xgrad/core/detail/shared_storage.hpp>

#include <atomic>
#include <mutex>
#include <unordered_map>

namespace xg::detail {

namespace {

struct Block {
  void* start;
  std::size_t bytes;
  std::size_t arrays;  // every array whose data lies in the block
};

struct Address {
  Block* block;
  std::size_t arrays;  // the arrays whose data starts here
};

struct Registry {
  std::mutex mutex;
  std::unordered_map<const void*, Address> addresses;
};

// Never destroyed: a tensor in a static or thread_local object may be freed
// after this translation unit's statics are.
Registry& registry() {
  static Registry* r = new Registry;
  return *r;
}

// Read without the lock on every free, so that a program with no views
// alive pays one load.
std::atomic<std::size_t> live_addresses{0};

struct Expected {
  const void* base = nullptr;
  std::size_t base_bytes = 0;
  void* view = nullptr;
  std::size_t view_bytes = 0;
};
thread_local Expected expected;

}  // namespace

void expect_view_allocation(const void* base, std::size_t base_bytes, void* view, std::size_t view_bytes) noexcept {
  expected = {base, base_bytes, view, view_bytes};
}

void cancel_view_allocation() noexcept { expected = {}; }

void* take_view_allocation(std::size_t bytes) {
  if (!expected.view || bytes != expected.view_bytes) return nullptr;
  const Expected e = expected;
  expected = {};
  Registry& r = registry();
  std::lock_guard lock(r.mutex);
  // The base is a view itself, or the owner of a block shared before, or an
  // owner sharing its block for the first time.
  auto base = r.addresses.find(e.base);
  if (base == r.addresses.end()) {
    Block* block = new Block{const_cast<void*>(e.base), e.base_bytes, 1};
    try {
      base = r.addresses.emplace(e.base, Address{block, 1}).first;
    } catch (...) {
      delete block;
      throw;
    }
  }
  Block* block = base->second.block;
  auto view = r.addresses.try_emplace(e.view, Address{block, 0}).first;
  ++view->second.arrays;
  ++block->arrays;
  live_addresses.store(r.addresses.size(), std::memory_order_release);
  return e.view;
}

bool release_shared(void* p, void*& last_start, std::size_t& last_bytes) noexcept {
  if (live_addresses.load(std::memory_order_acquire) == 0) return false;
  Registry& r = registry();
  std::lock_guard lock(r.mutex);
  auto it = r.addresses.find(p);
  if (it == r.addresses.end()) return false;
  Block* block = it->second.block;
  if (--it->second.arrays == 0) r.addresses.erase(it);
  last_start = nullptr;
  if (--block->arrays == 0) {
    last_start = block->start;
    last_bytes = block->bytes;
    delete block;
  }
  live_addresses.store(r.addresses.size(), std::memory_order_release);
  return true;
}

bool storage_is_shared(const void* data) noexcept {
  if (live_addresses.load(std::memory_order_acquire) == 0) return false;
  Registry& r = registry();
  std::lock_guard lock(r.mutex);
  auto it = r.addresses.find(data);
  return it != r.addresses.end() && it->second.block->arrays > 1;
}

std::size_t shared_pointer_count() noexcept { return live_addresses.load(std::memory_order_acquire); }

}  // namespace xg::detail
