// Context: what an operation needs from the runtime it runs in: where to
// charge native memory, its threads. One per
// Runtime; operations never reach for global state.
#pragma once

#include <memory>

#include "parallel.hpp"
#include "storage.hpp"

namespace tessera {

struct Context {
  std::shared_ptr<MemoryAccount> account = std::make_shared<MemoryAccount>();
  Parallel parallel;
  // Identity of the array metatable in this runtime's Lua state (set by
  // luaopen_tessera) so bindings recognise arrays by pointer.
  const void* array_meta = nullptr;

  // Lua's collector does not see native bytes: the binding asks before each
  // allocation whether enough native memory was allocated since the last full
  // collection (64 MiB, or half of what was live after it) to run one now.
  bool wants_collection() const {
    std::size_t threshold = live_after_collection / 2;
    if (threshold < kMinCollectionBytes) threshold = kMinCollectionBytes;
    return account->recent() > threshold;
  }
  void collected() {
    account->take_recent();
    account->pool().trim();
    live_after_collection = account->live_bytes();
  }

  static constexpr std::size_t kMinCollectionBytes = std::size_t{64} << 20;
  std::size_t live_after_collection = 0;
};

}  // namespace tessera
