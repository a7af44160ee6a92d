#include "parallel.hpp"

#include "progress_meter.hpp"

#include <tbb/blocked_range.h>
#include <tbb/info.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>
#include <tbb/task_group.h>

#include <atomic>
#include <cstdlib>
#include <optional>

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
  shares_arena_ = false;
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
  shares_arena_ = true;
}

void Parallel::show_progress(bool on) { progress_ = on && ProgressMeter::terminal(); }

// Runs [b, e) in blocks of at most `block`, polling the flag before each and
// reporting each to the meter; false when it stopped early.
static bool run_blocks(std::int64_t b, std::int64_t e, std::int64_t block,
                       const InterruptFlag* flag, ProgressMeter* meter, const RangeFn& body) {
  for (std::int64_t i = b; i < e; i += block) {
    if (flag && flag->requested()) return false;
    const std::int64_t end = e - i < block ? e : i + block;
    body(i, end);
    if (meter) meter->advance(end - i);
  }
  return true;
}

void Parallel::run_serial(std::int64_t n, std::int64_t grain, RangeFn body) {
  std::optional<ProgressMeter> meter;
  if (progress_) meter.emplace(n);
  if (!run_blocks(0, n, kPollGrains * grain, interrupt_, meter ? &*meter : nullptr, body) &&
      interrupt_)
    interrupt_->check();
}

void Parallel::run(std::int64_t n, std::int64_t grain, RangeFn body) {
  if (!arena_) arena_ = std::make_shared<Arena>(threads_);
  const std::int64_t block = kPollGrains * grain;
  const InterruptFlag* flag = interrupt_;
  std::optional<ProgressMeter> meter;
  if (progress_) meter.emplace(n);
  ProgressMeter* m = meter ? &*meter : nullptr;
  std::atomic<bool> stopped{false};
  arena_->arena.execute([&] {
    tbb::task_group_context group;
    tbb::parallel_for(
        tbb::blocked_range<std::int64_t>(0, n, grain),
        [&](const tbb::blocked_range<std::int64_t>& r) {
          if (!run_blocks(r.begin(), r.end(), block, flag, m, body)) {
            stopped.store(true, std::memory_order_relaxed);
            group.cancel_group_execution();
          }
        },
        tbb::auto_partitioner(), group);
  });
  if (stopped.load()) interrupt_->check();
}

}  // namespace tessera
