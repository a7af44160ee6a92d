// The profiler's data structures (runtime/prof/): the call tree's totals,
// per-function statistics with recursion, collapsed stacks, native
// statistics, memory sites through a buffer pool, and the sampler's ticks.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>

#include "runtime/buffer_pool.hpp"
#include "runtime/prof/call_tree.hpp"
#include "runtime/prof/counters.hpp"
#include "runtime/prof/memory_sites.hpp"
#include "runtime/prof/native_stats.hpp"
#include "runtime/prof/sampler.hpp"

using namespace tessera;
using namespace tessera::prof;

namespace {

std::string collapsed(const CallTree& tree, const FunctionTable& funcs, double scale) {
  std::FILE* f = std::tmpfile();
  REQUIRE(write_collapsed(tree, funcs, scale, f));
  std::rewind(f);
  std::string text;
  for (int c; (c = std::fgetc(f)) != EOF;) text += static_cast<char>(c);
  std::fclose(f);
  return text;
}

// A site per thread-local name, as the Lua side does with its stack.
thread_local const char* current = nullptr;
struct NamedSites : MemorySites {
  std::uint32_t current_site() override { return current ? site(current) : 0; }
};

}  // namespace

TEST_CASE("samples add along the path; totals include the children") {
  FunctionTable funcs;
  std::uint32_t main = funcs.intern("main"), f = funcs.intern("f"), g = funcs.intern("g");
  CHECK(funcs.intern("f") == f);
  CallTree tree;
  const std::uint32_t p1[] = {main, f, g}, p2[] = {main, f}, p3[] = {main, g};
  tree.add_sample(p1, 3, 5);
  tree.add_sample(p2, 2, 2);
  tree.add_sample(p3, 2, 1);
  CHECK(tree.nodes().size() == 5);  // root, main, main;f, main;f;g, main;g
  CHECK(tree.nodes()[CallTree::kRoot].total == 8);
  std::uint32_t mf = tree.child(tree.child(CallTree::kRoot, main), f);
  CHECK(tree.node(mf).self == 2);
  CHECK(tree.node(mf).total == 7);
  CHECK(tree.depth(mf) == 2);
  auto stats = function_stats(tree, funcs.size());
  REQUIRE(stats.size() == 3);
  CHECK(stats[main].total == 8);
  CHECK(stats[g].self == 6);
  CHECK(stats[g].total == 6);
  CHECK(collapsed(tree, funcs, 1.0) == "main;f 2\nmain;f;g 5\nmain;g 1\n");
}

TEST_CASE("recursion counts a function's total once") {
  FunctionTable funcs;
  std::uint32_t r = funcs.intern("r;x");  // a ';' in a name must not split the frame
  CallTree tree;
  const std::uint32_t path[] = {r, r, r};
  tree.add_sample(path, 3, 4);
  auto stats = function_stats(tree, funcs.size());
  CHECK(stats[0].self == 4);
  CHECK(stats[0].total == 4);
  CHECK(collapsed(tree, funcs, 0.5) == "r:x;r:x;r:x 2\n");
  CHECK(collapsed(tree, funcs, 0.1) == "");  // weight rounds to 0
}

TEST_CASE("native statistics add up per name") {
  NativeStats n;
  n.add("add", 100, 24000);
  n.add("sum", 5, 8000);
  n.add("add", 50, 24000);
  REQUIRE(n.all().size() == 2);
  CHECK(n.all()[0].name == "add");
  CHECK(n.all()[0].calls == 2);
  CHECK(n.all()[0].ns == 150);
  CHECK(n.all()[0].bytes == 48000);
}

TEST_CASE("memory sites follow the pool's buffers until they come back") {
  BufferPool pool;
  void* before = pool.take(100, false);  // taken before observing: not counted
  auto sites = std::make_shared<NamedSites>();
  pool.observe(sites);
  current = "a.lua:3";
  void* a = pool.take(8000, false);
  void* b = pool.take(8000, true);
  current = "a.lua:4";
  void* c = pool.take(1000, false);
  current = nullptr;
  std::thread([&] { pool.give(a, 8000); }).join();  // released on another thread
  pool.give(before, 100);
  auto all = sites->sites();
  REQUIRE(all.size() == 3);
  CHECK(all[0].where == "(no Lua line)");
  CHECK(all[0].allocations == 0);
  CHECK(all[1].where == "a.lua:3");
  CHECK(all[1].allocations == 2);
  CHECK(all[1].bytes == 16000);
  CHECK(all[1].live == 8000);
  CHECK(all[1].peak == 16000);
  CHECK(all[2].live == 1000);
  auto t = sites->totals();
  CHECK(t.allocations == 3);
  CHECK(t.peak == 17000);
  CHECK(t.live == 9000);
  pool.observe(nullptr);
  pool.give(b, 8000);
  pool.give(c, 1000);
  CHECK(sites->totals().live == 9000);  // no longer observed
}

TEST_CASE("the sampler ticks on schedule and stops") {
  using namespace std::chrono;
  std::atomic<int> calls{0};
  auto count = [](void* d) { ++*static_cast<std::atomic<int>*>(d); };
  auto t0 = steady_clock::now();
  std::int64_t ticks = 0;
  double elapsed = 0;
  {
    Sampler s(milliseconds(2), count, &calls);
    // A loaded machine may not run the thread for a while: wait for 3 calls.
    while (calls.load() < 3 && steady_clock::now() - t0 < seconds(10))
      std::this_thread::sleep_for(milliseconds(1));
    ticks = s.take_ticks();
    elapsed = duration<double>(steady_clock::now() - t0).count();
  }
  CHECK(calls.load() >= 3);
  CHECK(ticks >= 3);                    // every call adds at least one tick
  CHECK(ticks <= elapsed / 0.002 + 1);  // and missed ticks only for time passed
  auto t1 = steady_clock::now();
  { Sampler slow(seconds(30), count, &calls); }  // stops without waiting for a tick
  CHECK(steady_clock::now() - t1 < seconds(5));
}

TEST_CASE("counters count or say why not") {
  Counters counters({find_event("instructions"), find_event("page_faults")});
  counters.start();
  volatile double x = 0;
  for (int i = 0; i < 100000; ++i) x = x + i;
  auto r = counters.stop();
  REQUIRE(r.size() == 2);
  for (const auto& e : r) {
    if (e.available) CHECK(e.reason.empty());
    else CHECK(!e.reason.empty());
  }
  if (r[0].available) CHECK(r[0].value > 100000);
  CHECK(find_event("flops") == nullptr);
  CHECK(paranoid_setting().find("perf_event_paranoid") != std::string::npos);
}
