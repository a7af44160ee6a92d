// A timer thread for the sampling profiler: every interval it counts a tick
// and calls tick(data) (which pokes the Lua state; see Hooks::poke). The
// thread sleeps between ticks, so it costs nothing measurable itself.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

namespace tessera::prof {

class Sampler {
 public:
  Sampler(std::chrono::nanoseconds interval, void (*tick)(void*), void* data);
  ~Sampler();  // stops the thread
  Sampler(const Sampler&) = delete;
  Sampler& operator=(const Sampler&) = delete;

  // Ticks since the last call (the weight of the sample taken now).
  std::int64_t take_ticks() { return ticks_.exchange(0, std::memory_order_relaxed); }

 private:
  void run();

  std::chrono::nanoseconds interval_;
  void (*tick_)(void*);
  void* data_;
  std::atomic<std::int64_t> ticks_{0};
  std::mutex mu_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace tessera::prof
