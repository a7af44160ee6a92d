#include "buffer_pool.hpp"

#include <sys/mman.h>

#include <cstdlib>
#include <cstring>

namespace tessera {

namespace {
// Buffers from this size on come straight from mmap: page aligned, and zero
// pages that the kernel maps lazily (so a fresh ts.zeros touches nothing).
constexpr std::size_t kMmapThreshold = std::size_t{256} << 10;
}  // namespace

// Lives in the first bytes of a pooled buffer.
struct BufferPool::FreeBlock {
  FreeBlock* next;
  std::uint32_t epoch;
};

BufferPool::BufferPool(std::size_t limit) : limit_(limit) {}

BufferPool::~BufferPool() { clear(); }

std::size_t BufferPool::class_size(std::size_t n) {
  if (n <= 1024) return n <= 64 ? 64 : (n + 63) / 64 * 64;
  int k = 63 - __builtin_clzll(n);  // 2^k <= n < 2^(k+1)
  std::size_t step = std::size_t{1} << (k - 3);
  return (n + step - 1) / step * step;
}

int BufferPool::class_of(std::size_t n) {
  std::size_t size = class_size(n);
  if (size <= 1024) return static_cast<int>(size / 64) - 1;  // 0..15
  int k = 63 - __builtin_clzll(size);
  std::size_t step = std::size_t{1} << (k - 3);
  int j = static_cast<int>((size - (std::size_t{1} << k)) / step);  // 0..7
  int index = 16 + (k - 10) * 8 + j;
  return index < kClasses ? index : -1;
}

void* BufferPool::system_alloc(std::size_t size) {
  if (size >= kMmapThreshold) {
    void* p = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return p == MAP_FAILED ? nullptr : p;
  }
  return std::aligned_alloc(kAlignment, size);
}

void BufferPool::system_free(void* p, std::size_t size) {
  if (size >= kMmapThreshold) munmap(p, size);
  else std::free(p);
}

void BufferPool::observe(std::shared_ptr<BufferObserver> observer) {
  std::lock_guard<std::mutex> lock(mu_);
  observed_.store(observer != nullptr, std::memory_order_relaxed);
  observer_ = std::move(observer);
}

std::shared_ptr<BufferObserver> BufferPool::observer() const {
  if (!observed_.load(std::memory_order_relaxed)) return nullptr;
  std::lock_guard<std::mutex> lock(mu_);
  return observer_;
}

void* BufferPool::take(std::size_t nbytes, bool zeroed) {
  void* p = take_buffer(nbytes, zeroed);
  if (p && observed_.load(std::memory_order_relaxed))
    if (auto o = observer()) o->taken(p, nbytes);
  return p;
}

void* BufferPool::take_buffer(std::size_t nbytes, bool zeroed) {
  std::size_t size = class_size(nbytes);
  int c = class_of(nbytes);
  if (c >= 0) {
    std::unique_lock<std::mutex> lock(mu_);
    if (FreeBlock* b = heads_[c]) {
      heads_[c] = b->next;
      stats_.pooled_bytes -= size;
      stats_.pooled_buffers -= 1;
      stats_.hits += 1;
      lock.unlock();
      if (zeroed) std::memset(b, 0, nbytes);
      return b;
    }
    stats_.system_allocations += 1;
  }
  void* p = system_alloc(size);
  if (p && zeroed && size < kMmapThreshold) std::memset(p, 0, nbytes);
  return p;
}

void BufferPool::give(void* p, std::size_t nbytes) {
  if (observed_.load(std::memory_order_relaxed))
    if (auto o = observer()) o->given(p, nbytes);
  std::size_t size = class_size(nbytes);
  int c = class_of(nbytes);
  if (c >= 0) {
    std::lock_guard<std::mutex> lock(mu_);
    if (stats_.pooled_bytes + size <= limit_) {
      FreeBlock* b = static_cast<FreeBlock*>(p);
      b->next = heads_[c];
      b->epoch = epoch_;
      heads_[c] = b;
      stats_.pooled_bytes += size;
      stats_.pooled_buffers += 1;
      return;
    }
  }
  system_free(p, size);
}

void BufferPool::drop_if(bool (*stale)(const FreeBlock*, std::uint32_t)) {
  for (int c = 0; c < kClasses; ++c) {
    FreeBlock** link = &heads_[c];
    while (FreeBlock* b = *link) {
      if (!stale(b, epoch_)) {
        link = &b->next;
        continue;
      }
      *link = b->next;
      std::size_t size = c < 16 ? std::size_t(c + 1) * 64
                                : (std::size_t{1} << ((c - 16) / 8 + 10)) / 8 * (8 + (c - 16) % 8);
      stats_.pooled_bytes -= size;
      stats_.pooled_buffers -= 1;
      system_free(b, size);
    }
  }
}

void BufferPool::trim() {
  std::lock_guard<std::mutex> lock(mu_);
  drop_if([](const FreeBlock* b, std::uint32_t epoch) { return b->epoch != epoch; });
  ++epoch_;
}

void BufferPool::clear() {
  std::lock_guard<std::mutex> lock(mu_);
  drop_if([](const FreeBlock*, std::uint32_t) { return true; });
}

void BufferPool::set_limit(std::size_t bytes) {
  std::lock_guard<std::mutex> lock(mu_);
  limit_ = bytes;
  if (stats_.pooled_bytes > limit_)
    drop_if([](const FreeBlock*, std::uint32_t) { return true; });
}

PoolStats BufferPool::stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stats_;
}

}  // namespace tessera
