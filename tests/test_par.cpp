// The worker pool without Lua (schedules, cancellation, waiting) and ts.par
// through an embedded Runtime (two runtimes with their own pools, shutdown
// with work pending).
#include <doctest/doctest.h>

#include <lua.hpp>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

#include "runtime/par/pool.hpp"
#include "runtime/runtime.hpp"

using tessera::par::Hooks;
using tessera::par::Job;
using tessera::par::Pool;

namespace {

// Records which worker ran each piece; piece `fail_at` fails.
class Recorder : public Hooks {
 public:
  explicit Recorder(std::int64_t pieces, std::int64_t fail_at = -1)
      : ran(static_cast<std::size_t>(pieces)), fail_at_(fail_at) {
    for (auto& r : ran) r.store(-1);
  }
  void* start(int worker) override {
    return reinterpret_cast<void*>(static_cast<std::intptr_t>(worker + 1));
  }
  void run(void* state, Job& job, std::int64_t piece) override {
    ran[static_cast<std::size_t>(piece)].store(
        static_cast<int>(reinterpret_cast<std::intptr_t>(state)) - 1);
    runs.fetch_add(1);
    if (piece == fail_at_) job.fail(piece, "piece failed");
    if (slow) std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  void leave(void*, Job&) override { leaves.fetch_add(1); }
  void stop(void*) override { stops.fetch_add(1); }

  std::vector<std::atomic<int>> ran;
  std::atomic<int> runs{0}, leaves{0}, stops{0};
  bool slow = false;

 private:
  std::int64_t fail_at_;
};

}  // namespace

TEST_CASE("pool: dynamic pieces all run once") {
  auto rec = std::make_shared<Recorder>(1000);
  {
    Pool pool(2, rec);
    auto job = std::make_shared<Job>(1000, Job::Schedule::Dynamic, 2);
    pool.submit(job);
    CHECK(pool.wait(*job));
    CHECK(job->finished());
    CHECK_FALSE(job->failed());
    CHECK(rec->runs.load() == 1000);
    for (auto& r : rec->ran) CHECK(r.load() >= 0);
    CHECK(pool.idle());
  }
  CHECK(rec->stops.load() == 2);
}

TEST_CASE("pool: static pieces go to worker k mod workers") {
  auto rec = std::make_shared<Recorder>(30);
  Pool pool(3, rec);
  auto job = std::make_shared<Job>(30, Job::Schedule::Static, 3);
  pool.submit(job);
  pool.wait(*job);
  for (int k = 0; k < 30; ++k) CHECK(rec->ran[static_cast<std::size_t>(k)].load() == k % 3);
}

TEST_CASE("pool: a failure cancels the pieces not started") {
  auto rec = std::make_shared<Recorder>(5000, 10);
  rec->slow = true;
  Pool pool(2, rec);
  auto job = std::make_shared<Job>(5000, Job::Schedule::Dynamic, 2);
  pool.submit(job);
  pool.wait(*job);
  CHECK(job->failed());
  CHECK(job->error() == "piece failed");
  CHECK(job->error_item() == 10);
  CHECK(rec->runs.load() < 100);
  // still usable
  auto next = std::make_shared<Job>(10, Job::Schedule::Dynamic, 2);
  pool.submit(next);
  CHECK(pool.wait(*next, 10.0));
  CHECK_FALSE(next->failed());
}

TEST_CASE("pool: wait with a timeout, wait_any, empty jobs") {
  auto rec = std::make_shared<Recorder>(400);
  rec->slow = true;
  Pool pool(1, rec);
  auto big = std::make_shared<Job>(400, Job::Schedule::Dynamic, 1);
  auto empty = std::make_shared<Job>(0, Job::Schedule::Dynamic, 1);
  pool.submit(big);
  pool.submit(empty);
  CHECK(empty->finished());
  CHECK_FALSE(pool.wait(*big, 0.001));
  CHECK(pool.wait_any({big.get(), empty.get()}, 0) == 1);
  CHECK(pool.wait_any({big.get()}) == 0);
  CHECK(big->finished());
}

TEST_CASE("pool: shutting down with queued work fails those jobs") {
  auto rec = std::make_shared<Recorder>(100000);
  rec->slow = true;
  std::shared_ptr<Job> job;
  {
    Pool pool(2, rec);
    job = std::make_shared<Job>(100000, Job::Schedule::Dynamic, 2);
    pool.submit(job);
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  CHECK(job->finished());
  CHECK(job->failed());
}

TEST_CASE("ts.par through embedded runtimes") {
  tessera::Runtime a, b;
  a.run("ts.threads(2); R = ts.par.map(function(i) return i * 3 end, 100)");
  b.run("ts.threads(1); R = ts.par.map(function(i) return ts.par.worker_id() end, 10)");
  lua_State* L = a.state();
  lua_getglobal(L, "R");
  lua_rawgeti(L, -1, 100);
  CHECK(lua_tointeger(L, -1) == 300);
  lua_pop(L, 2);
  L = b.state();
  lua_getglobal(L, "R");
  lua_rawgeti(L, -1, 10);
  CHECK(lua_tointeger(L, -1) == 1);
  lua_pop(L, 2);
  try {
    a.run("ts.par.map(function(i) if i == 7 then error('seven') end end, 10)", "=test");
    CHECK(false);
  } catch (const tessera::ScriptError& e) {
    CHECK(std::string(e.what()).find("item 7 failed in a worker") != std::string::npos);
    CHECK(std::string(e.what()).find("seven") != std::string::npos);
  }
  // A runtime closed while a spawned task still runs waits for it.
  a.run("F = ts.par.spawn(function() local s = 0 for i = 1, 1e6 do s = s + i end return s end)");
}
