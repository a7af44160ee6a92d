#include "sampler.hpp"

namespace tessera::prof {

Sampler::Sampler(std::chrono::nanoseconds interval, void (*tick)(void*), void* data)
    : interval_(interval), tick_(tick), data_(data), thread_([this] { run(); }) {}

Sampler::~Sampler() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

// Ticks on a fixed schedule (not drifting by the time a tick takes); after a
// long stall the missed ticks are counted at once, so samples keep their
// wall-clock weight.
void Sampler::run() {
  auto next = std::chrono::steady_clock::now() + interval_;
  std::unique_lock<std::mutex> lock(mu_);
  while (!wake_.wait_until(lock, next, [this] { return stop_; })) {
    auto now = std::chrono::steady_clock::now();
    std::int64_t n = 1 + (now - next) / interval_;
    next += n * interval_;
    ticks_.fetch_add(n, std::memory_order_relaxed);
    tick_(data_);
  }
}

}  // namespace tessera::prof
