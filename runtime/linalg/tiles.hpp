// Running independent BLAS/LAPACK calls (tiles) in parallel (not a public
// header). The tiles are fixed by the caller from shapes only, never from the
// thread count, so results do not depend on ts.threads().
#pragma once

#include <atomic>
#include <cstdint>

#include "../context.hpp"
#include "blas_threads.hpp"

namespace tessera::linalg {

// Runs tile(t) for t in [0, tiles) on the runtime's threads, at least grain
// tiles per task; a ts.par worker runs them on its own thread (its siblings
// use the others). Polls for an interrupt before each tile and throws
// Interrupted once the running tiles finished. tile must not throw.
template <class F>
void for_tiles(Context& ctx, std::int64_t tiles, std::int64_t grain, const F& tile) {
  InterruptFlag* flag = ctx.parallel.interrupt_flag();
  std::atomic<bool> stopped{false};
  auto body = [&](std::int64_t b, std::int64_t e) {
    for (std::int64_t t = b; t < e; ++t) {
      if (flag && flag->requested()) {
        stopped.store(true, std::memory_order_relaxed);
        return;
      }
      tile(t);
    }
  };
  one_blas_thread();
  if (ctx.parallel.shares_arena()) body(0, tiles);
  else ctx.parallel.for_range(tiles, grain, body);
  if (stopped.load()) {
    flag->consume();
    throw Interrupted();
  }
}

}  // namespace tessera::linalg
