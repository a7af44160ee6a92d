#include "blas_threads.hpp"

#include <cblas.h>

#include <condition_variable>
#include <mutex>

namespace tessera::linalg {
namespace {

struct Gate {
  std::mutex mu;
  std::condition_variable cv;
  int current = -1;  // the count last given to OpenBLAS
  int active = 0;    // calls running
};

Gate& gate() {
  static Gate g;
  return g;
}

}  // namespace

int blas_threads(const Context& ctx) {
  return ctx.parallel.shares_arena() ? 1 : ctx.parallel.threads();
}

BlasCall::BlasCall(int threads) {
  if (threads < 1) threads = 1;
  Gate& g = gate();
  std::unique_lock<std::mutex> lock(g.mu);
  g.cv.wait(lock, [&] { return g.active == 0 || (threads == 1 && g.current == 1); });
  if (g.current != threads) {
    openblas_set_num_threads(threads);
    g.current = threads;
  }
  ++g.active;
}

BlasCall::~BlasCall() {
  Gate& g = gate();
  {
    std::lock_guard<std::mutex> lock(g.mu);
    --g.active;
  }
  g.cv.notify_all();
}

}  // namespace tessera::linalg
