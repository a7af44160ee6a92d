#include "parallel.hpp"

#include <tbb/blocked_range.h>
#include <tbb/info.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <cstdlib>

namespace tessera {

struct Parallel::Arena {
  explicit Arena(int threads) : arena(threads) {}
  tbb::task_arena arena;
};

int Parallel::hardware_threads() {
  int n = tbb::info::default_concurrency();
  return n > 0 ? n : 1;
}

Parallel::Parallel() : threads_(hardware_threads()) {
  if (const char* env = std::getenv("TESSERA_NUM_THREADS")) {
    int n = std::atoi(env);
    if (n >= 1) threads_ = n;
  }
}

Parallel::~Parallel() = default;

void Parallel::set_threads(int n) {
  if (n < 1) n = 1;
  if (n == threads_) return;
  threads_ = n;
  arena_.reset();
}

std::shared_ptr<Parallel::Arena> Parallel::arena() {
  if (!arena_) {
    arena_ = std::make_shared<Arena>(threads_);
    arena_->arena.initialize();  // before other threads execute in it
  }
  return arena_;
}

void Parallel::use_arena(int threads, std::shared_ptr<Arena> arena) {
  threads_ = threads < 1 ? 1 : threads;
  arena_ = std::move(arena);
}

void Parallel::run(std::int64_t n, std::int64_t grain, RangeFn body) {
  if (!arena_) arena_ = std::make_shared<Arena>(threads_);
  arena_->arena.execute([&] {
    tbb::parallel_for(tbb::blocked_range<std::int64_t>(0, n, grain),
                      [&](const tbb::blocked_range<std::int64_t>& r) { body(r.begin(), r.end()); });
  });
}

}  // namespace tessera
