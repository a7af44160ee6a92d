// Context: what an operation needs from the runtime it runs in: where to
// charge native memory, its threads. One per
// Runtime; operations never reach for global state.
#pragma once

#include <memory>

#include "hooks.hpp"
#include "interrupt.hpp"
#include "parallel.hpp"
#include "storage.hpp"

namespace tessera {

struct Context {
  Context() { parallel.watch(interrupt.get()); }
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;

  std::shared_ptr<MemoryAccount> account = std::make_shared<MemoryAccount>();
  Parallel parallel;
  // Set to stop what runs (shared with ts.par workers' contexts); the hooks
  // of the state this Context belongs to (attached when the module loads).
  std::shared_ptr<InterruptFlag> interrupt = std::make_shared<InterruptFlag>();
  Hooks hooks{*interrupt};

  // Lua's collector does not see native bytes, so the binding asks before
  // each new array what the native allocation since the last collection
  // calls for: a full collection after 64 MiB (or half of what was live after
  // the last one), and a collector step (a young collection in generational
  // mode, which returns short-lived temporaries to the buffer pool quickly)
  // after every 4 MiB.
  enum class Collection { None, Step, Full };
  Collection collection_due() const {
    std::size_t recent = account->recent();
    std::size_t threshold = live_after_collection / 2;
    if (threshold < kMinCollectionBytes) threshold = kMinCollectionBytes;
    // Under a memory limit, garbage must not fill it before a collection.
    if (std::size_t cap = account->limit(); cap && threshold > cap / 4) threshold = cap / 4;
    if (recent > threshold) return Collection::Full;
    if (recent - recent_at_step > kStepBytes) return Collection::Step;
    return Collection::None;
  }
  void stepped() { recent_at_step = account->recent(); }
  void collected() {
    account->take_recent();
    account->pool().trim();
    live_after_collection = account->live_bytes();
    recent_at_step = 0;
  }

  static constexpr std::size_t kMinCollectionBytes = std::size_t{64} << 20;
  static constexpr std::size_t kStepBytes = std::size_t{4} << 20;
  std::size_t live_after_collection = 0;
  std::size_t recent_at_step = 0;
};

}  // namespace tessera
