// BufferPool: recycles freed array buffers by size class, so a new result
// reuses memory whose pages are already mapped instead of paying fresh page
// faults (NumPy's `a + b` on 1e7 doubles costs twice its out= form for that
// reason). Bounded: at most `limit` bytes are kept, and buffers not reused
// between two trims (one per garbage collection) go back to the system.
// Thread-safe: buffers may be released from any thread.
#pragma once

#include <cstddef>
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>

namespace tessera {

struct PoolStats {
  std::size_t pooled_bytes = 0;
  std::size_t pooled_buffers = 0;
  std::uint64_t hits = 0;            // requests served from the pool
  std::uint64_t system_allocations = 0;
};

// Told of each buffer take() hands out and give() gets back while it is set
// (the profiler's memory sites); called on the calling thread, outside the
// pool's lock.
class BufferObserver {
 public:
  virtual ~BufferObserver() = default;
  virtual void taken(void* p, std::size_t nbytes) = 0;
  virtual void given(void* p, std::size_t nbytes) = 0;
};

class BufferPool {
 public:
  static constexpr std::size_t kAlignment = 64;
  explicit BufferPool(std::size_t limit = std::size_t{256} << 20);
  ~BufferPool();
  BufferPool(const BufferPool&) = delete;
  BufferPool& operator=(const BufferPool&) = delete;

  // A 64-byte aligned buffer of at least nbytes (zeroed if asked), or null.
  void* take(std::size_t nbytes, bool zeroed);
  // Returns a buffer obtained from take(nbytes, ...).
  void give(void* p, std::size_t nbytes);
  // Frees buffers that were not reused since the previous trim.
  void trim();
  // Frees every pooled buffer.
  void clear();
  void set_limit(std::size_t bytes);
  PoolStats stats() const;
  // Sets (or clears, with null) the observer; without one, take() and give()
  // pay one relaxed load.
  void observe(std::shared_ptr<BufferObserver> observer);

  // The capacity actually reserved for a request of nbytes.
  static std::size_t class_size(std::size_t nbytes);

 private:
  struct FreeBlock;
  static constexpr int kClasses = 16 + 8 * 40;
  static int class_of(std::size_t nbytes);
  void* take_buffer(std::size_t nbytes, bool zeroed);
  static void* system_alloc(std::size_t size);
  static void system_free(void* p, std::size_t size);
  void drop_if(bool (*stale)(const FreeBlock*, std::uint32_t));

  std::shared_ptr<BufferObserver> observer() const;

  mutable std::mutex mu_;
  std::atomic<bool> observed_{false};
  std::shared_ptr<BufferObserver> observer_;
  FreeBlock* heads_[kClasses] = {};
  std::size_t limit_;
  std::uint32_t epoch_ = 0;
  PoolStats stats_;
};

}  // namespace tessera
