// A progress bar for long native operations, drawn on standard error by
// whichever thread finishes a block (never through Lua, so TBB workers may
// report). It stays silent for the first half second, redraws at most every
// 0.1 s, and clears its line when the operation ends. Parallel::for_range
// makes one per long range when progress is on (ts.progress_native).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>

namespace tessera {

class ProgressMeter {
 public:
  explicit ProgressMeter(std::int64_t total);
  ~ProgressMeter();
  ProgressMeter(const ProgressMeter&) = delete;
  ProgressMeter& operator=(const ProgressMeter&) = delete;

  // Any thread: n more items are done.
  void advance(std::int64_t n) noexcept;

  // True when standard error is a terminal (bars are drawn only then).
  static bool terminal();

 private:
  using Clock = std::chrono::steady_clock;
  void draw(std::int64_t done, double elapsed) noexcept;

  const std::int64_t total_;
  const Clock::time_point start_ = Clock::now();
  std::atomic<std::int64_t> done_{0};
  std::atomic<std::int64_t> next_draw_us_{500000};  // microseconds after start
  std::atomic<bool> drawn_{false};
  std::mutex drawing_;  // try_lock: a busy drawer means skip this redraw
};

}  // namespace tessera
