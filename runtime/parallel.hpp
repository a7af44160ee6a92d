// Parallel: a runtime's thread setting and its TBB arena. Operations split
// work with for_range; below the grain (or with one thread) the body runs
// once on the calling thread with no TBB overhead at all. Bodies must not
// call Lua and must not throw.
//
// Interrupts: with a watched InterruptFlag, long ranges run in blocks of at
// most kPollGrains grains, the flag is polled before each block, and
// for_range throws Interrupted (after all running blocks finished) when it was
// requested. Bodies must therefore be correct for any split of the range,
// which parallel runs demand anyway.
#pragma once

#include <cstdint>
#include <memory>

#include "interrupt.hpp"

namespace tessera {

// A non-owning reference to a callable taking (begin, end).
class RangeFn {
 public:
  template <class F>
  RangeFn(F& f)
      : object_(&f),
        call_([](void* o, std::int64_t b, std::int64_t e) { (*static_cast<F*>(o))(b, e); }) {}
  void operator()(std::int64_t b, std::int64_t e) const { call_(object_, b, e); }

 private:
  void* object_;
  void (*call_)(void*, std::int64_t, std::int64_t);
};

class Parallel {
 public:
  // Threads default to TESSERA_NUM_THREADS when set, else the machine's cores.
  Parallel();
  ~Parallel();
  Parallel(const Parallel&) = delete;
  Parallel& operator=(const Parallel&) = delete;

  int threads() const { return threads_; }
  // Arena sharing (ts.par workers run their kernels in their caller's arena,
  // so that together they use at most its threads): arena() makes this
  // Parallel's arena if needed and returns it; use_arena makes another
  // Parallel run in it with the given thread cap.
  struct Arena;
  std::shared_ptr<Arena> arena();
  void use_arena(int threads, std::shared_ptr<Arena> arena);
  // True while running in another Parallel's arena (a ts.par worker's);
  // BLAS calls made there use one thread (see linalg/blas_threads.hpp).
  bool shares_arena() const { return shares_arena_; }
  // Caps the threads this runtime's operations use (at least 1).
  void set_threads(int n);
  static int hardware_threads();
  // Polls this flag during long ranges (the runtime's own; null: never).
  void watch(InterruptFlag* flag) { interrupt_ = flag; }
  InterruptFlag* interrupt_flag() const { return interrupt_; }

  // Long ranges draw a progress bar on standard error (ProgressMeter) when on
  // and standard error is a terminal.
  void show_progress(bool on);
  bool shows_progress() const { return progress_; }

  // A grain is sized to take tens of microseconds; blocks of this many grains
  // (milliseconds) bound the time until an interrupt is seen.
  static constexpr std::int64_t kPollGrains = 256;

  // Calls body(begin, end) over disjoint chunks covering [0, n), each at
  // least `grain` long (the last may be shorter).
  template <class F>
  void for_range(std::int64_t n, std::int64_t grain, F&& body) {
    if (n <= 0) return;
    if (n < 2 * grain ||
        ((threads_ <= 1 || !interrupt_) && !progress_ && n <= kPollGrains * grain)) {
      body(std::int64_t{0}, n);
      return;
    }
    if (threads_ <= 1) {
      run_serial(n, grain, RangeFn(body));
      return;
    }
    run(n, grain, RangeFn(body));
  }

 private:
  void run(std::int64_t n, std::int64_t grain, RangeFn body);
  void run_serial(std::int64_t n, std::int64_t grain, RangeFn body);
  int threads_;
  InterruptFlag* interrupt_ = nullptr;
  bool progress_ = false;
  std::shared_ptr<Arena> arena_;  // made on first parallel use
  bool shares_arena_ = false;
};

}  // namespace tessera
