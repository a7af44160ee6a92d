// Interrupt coverage of the long operations that do not stop by
// Parallel::for_range's own polls alone: jit kernels over huge inputs,
// sketch bulk adds, the serial swaps of permutations, and ts.par (workers'
// Lua code and kernels, futures). Each runs far longer than the 50 ms after
// which another thread requests the interrupt (as the REPL's Ctrl-C does);
// afterwards the runtime, and the worker pool, work again.
#include <doctest/doctest.h>

#include <lua.hpp>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

#include "runtime/context.hpp"
#include "runtime/runtime.hpp"

using namespace tessera;
using namespace std::chrono_literals;

namespace {

// Runs code in rt while another thread requests an interrupt after 50 ms;
// returns the error message and how long the code ran.
std::string interrupted(Runtime& rt, const std::string& code, double* seconds = nullptr) {
  Hooks& hooks = rt.context().hooks;
  std::thread stopper([&hooks] {
    std::this_thread::sleep_for(50ms);
    hooks.request_interrupt();
  });
  auto t0 = std::chrono::steady_clock::now();
  std::string message = "(no error)";
  try {
    rt.run(code, "=test");
  } catch (const ScriptError& e) {
    message = e.what();
  }
  stopper.join();
  if (seconds)
    *seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  rt.context().interrupt->clear();  // a request that came too late for the code
  return message;
}

}  // namespace

TEST_CASE("a jit kernel over 1e11 elements stops") {
  Runtime rt;
  rt.run("big = ts.broadcast_to(ts.ones(1), {1e11})");
  rt.run("f = ts.jit(function(a) return (a * 2):sum() end)");
  rt.run("g = ts.jit(function(a) return a * 2 + 1 end)");
  double t = 0;
  CHECK(interrupted(rt, "return f(big)", &t).find("interrupted") != std::string::npos);
  CHECK(t < 30);
  // An element-wise program into a large output (2e7 elements, one thread).
  rt.run("ts.threads(1); mid = ts.broadcast_to(ts.ones(1), {2e7})");
  std::string m = interrupted(rt, "for i = 1, 100 do local r = g(mid) end");
  CHECK(m.find("interrupted") != std::string::npos);
  rt.run("ts.threads(2); assert(f(ts.ones(10)) == 20)");
}

TEST_CASE("sketch bulk adds stop") {
  Runtime rt;
  rt.run("ts.threads(1); keys = ts.arange(2e7)");
  for (const char* make : {"ts.sketch.bloom(1e8)", "ts.sketch.hll(14)", "ts.sketch.kmv(1024)",
                           "ts.sketch.countmin(2719, 5, 0)"}) {
    CAPTURE(make);
    rt.run(std::string("s = ") + make);
    std::string m = interrupted(rt, "for i = 1, 1000 do s:add(keys) end");
    CHECK(m.find("add: interrupted") != std::string::npos);
  }
  rt.run("ts.threads(2); s = ts.sketch.hll(10); s:add(ts.arange(100))");
}

TEST_CASE("permutation's serial swaps stop") {
  Runtime rt;
  std::string m = interrupted(rt, "for i = 1, 1000 do local p = ts.random.permutation(1e7) end");
  CHECK(m.find("permutation: interrupted") != std::string::npos);
  rt.run("assert(ts.random.permutation(10):sum() == 55)");
}

TEST_CASE("ts.par: workers' Lua loops and kernels stop, the pool stays usable") {
  Runtime rt;
  rt.run("ts.threads(2)");
  double t = 0;
  CHECK(interrupted(rt, "ts.par.map(function() while true do end end, 8)", &t) ==
        "test:1: par.map: interrupted");
  CHECK(t < 30);
  CHECK(interrupted(rt,
                    "ts.par.map(function() return ts.broadcast_to(ts.ones(1), {1e11}):sum() "
                    "end, 4)") == "test:1: par.map: interrupted");
  CHECK(interrupted(rt, "ts.par.spawn(function() while true do end end):result()") ==
        "test:1: result: interrupted");
  CHECK(interrupted(rt, "ts.par.wait_all({ts.par.spawn(function() while true do end end)})") ==
        "test:1: par.wait_all: interrupted");
  rt.run(R"(
    local r = ts.par.map(function(i) return i * i end, 100)
    assert(#r == 100 and r[100] == 10000)
    assert(ts.par.spawn(function(x) return x + 1 end, 41):result() == 42)
  )");
}
