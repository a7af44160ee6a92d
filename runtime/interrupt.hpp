// Stopping a running operation on request (Ctrl-C in the REPL,
// Runtime::interrupt() from another thread). request() only stores a
// lock-free atomic, so it may be called from a signal handler. Native loops
// poll the flag between chunks (Parallel::for_range does it for every
// operation); Lua code is stopped by the hook that Hooks::request_interrupt
// installs (runtime/hooks.hpp).
#pragma once

#include <atomic>
#include <stdexcept>

namespace tessera {

// What a native operation throws when it stopped on request; bindings turn it
// into the Lua error "<function>: interrupted".
class Interrupted : public std::runtime_error {
 public:
  Interrupted() : std::runtime_error("interrupted") {}
};

class InterruptFlag {
 public:
  void request() noexcept { requested_.store(true, std::memory_order_relaxed); }
  bool requested() const noexcept { return requested_.load(std::memory_order_relaxed); }
  // True once per request: whoever consumes it reports the interruption.
  bool consume() noexcept { return requested_.exchange(false, std::memory_order_relaxed); }
  void clear() noexcept { requested_.store(false, std::memory_order_relaxed); }
  // Throws Interrupted when a request is pending (consuming it).
  void check() {
    if (requested() && consume()) throw Interrupted();
  }

 private:
  std::atomic<bool> requested_{false};
  static_assert(std::atomic<bool>::is_always_lock_free, "signal handlers need a lock-free flag");
};

}  // namespace tessera
