// Storage: one 64-byte-aligned, reference-counted block of native memory.
// Arrays (and views of them) hold a std::shared_ptr<Storage>; the block is
// freed when the last holder, Lua handle or C++ object, lets go.
// Every block is charged to a MemoryAccount so the owning Runtime can pace
// Lua's collector by native bytes; the account is itself shared, so storage
// may outlive the runtime that made it.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>

#include "buffer_pool.hpp"

namespace tessera {

class MemoryAccount {
 public:
  // Buffers come from (and return to) this account's pool.
  void* allocate(std::size_t nbytes, bool zeroed);
  void deallocate(void* p, std::size_t nbytes);
  BufferPool& pool() { return pool_; }
  const BufferPool& pool() const { return pool_; }

  void charge(std::size_t bytes);
  void release(std::size_t bytes);
  std::size_t live_bytes() const { return live_.load(std::memory_order_relaxed); }
  std::size_t peak_bytes() const { return peak_.load(std::memory_order_relaxed); }
  std::uint64_t allocations() const { return allocations_.load(std::memory_order_relaxed); }
  // Bytes charged since the last call; used to decide when to collect.
  std::size_t take_recent() { return recent_.exchange(0, std::memory_order_relaxed); }
  std::size_t recent() const { return recent_.load(std::memory_order_relaxed); }

  // An optional cap (0: none) on live array bytes plus the owning runtime's
  // Lua heap (reported through add_heap by its allocator). allocate() throws
  // Error("memory limit of N bytes exceeded") rather than cross it.
  void set_limit(std::size_t bytes) { limit_.store(bytes, std::memory_order_relaxed); }
  std::size_t limit() const { return limit_.load(std::memory_order_relaxed); }
  void add_heap(std::ptrdiff_t delta) {
    heap_.fetch_add(static_cast<std::size_t>(delta), std::memory_order_relaxed);
  }
  std::size_t heap_bytes() const { return heap_.load(std::memory_order_relaxed); }
  // Whether `more` bytes fit under the limit.
  bool fits(std::size_t more) const {
    std::size_t cap = limit();
    return cap == 0 || live_bytes() + heap_bytes() + more <= cap;
  }

 private:
  std::atomic<std::size_t> limit_{0};
  std::atomic<std::size_t> heap_{0};
  std::atomic<std::size_t> live_{0};
  std::atomic<std::size_t> peak_{0};
  std::atomic<std::size_t> recent_{0};
  std::atomic<std::uint64_t> allocations_{0};
  BufferPool pool_;
};

class Storage {
 public:
  static constexpr std::size_t kAlignment = 64;

  // Allocates nbytes (uninitialised, or zeroed). Throws std::bad_alloc with a
  // message naming the size when the system refuses.
  static std::shared_ptr<Storage> allocate(std::size_t nbytes,
                                           const std::shared_ptr<MemoryAccount>& account,
                                           bool zeroed = false);
  // Wraps foreign memory; `release` runs when the last holder is gone. With
  // an account, the bytes are charged to it while the storage lives (memory
  // the runtime took ownership of); without, they are not (borrowed memory).
  static std::shared_ptr<Storage> borrow(void* data, std::size_t nbytes,
                                         std::function<void()> release,
                                         const std::shared_ptr<MemoryAccount>& account = nullptr);

  ~Storage();
  struct Key {};  // lets make_shared build a Storage; not for other use
  explicit Storage(Key) {}
  Storage(const Storage&) = delete;
  Storage& operator=(const Storage&) = delete;

  std::byte* data() const { return data_; }
  std::size_t nbytes() const { return nbytes_; }

 private:
  std::byte* data_ = nullptr;
  std::size_t nbytes_ = 0;
  std::shared_ptr<MemoryAccount> account_;
  std::function<void()> release_;
};

}  // namespace tessera
