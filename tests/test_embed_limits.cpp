// The embedding API's limits: memory cap, instruction and time budgets, the
// safe library set, interrupts from another thread, and runtimes used
// concurrently from several threads.
#include <doctest/doctest.h>

#include <pthread.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <string>
#include <thread>
#include <vector>

#include "script_error.hpp"
#include "tessera/tessera.hpp"

using namespace tessera;
using namespace std::chrono_literals;

namespace {

Options with_memory_limit(std::size_t bytes) {
  Options o;
  o.memory_limit = bytes;
  return o;
}

}  // namespace

TEST_CASE("the memory limit stops arrays and the Lua heap; the runtime stays usable") {
  const std::size_t limit = std::size_t{64} << 20;
  Runtime rt(with_memory_limit(limit));
  CHECK(rt.account()->limit() == limit);
  CHECK(rt.account()->heap_bytes() > 0);  // the Lua heap counts
  CHECK(script_error(rt, "big = ts.zeros(1e8)") ==
        "test:1: zeros: memory limit of 67108864 bytes exceeded");
  CHECK(rt.run("return ts.ones(1000):sum()").get<double>() == 1000);
  // The Lua heap: a table that grows without bound.
  CHECK(script_error(rt, "local t = {} for i = 1, 1e8 do t[i] = i end") ==
        "memory limit of 67108864 bytes exceeded");
  CHECK(rt.run("collectgarbage() return ts.ones(10):sum()").get<double>() == 10);
  // Scripts can catch either with pcall.
  rt.run(R"(
    local ok, err = pcall(ts.zeros, 1e8)
    assert(not ok and err:find("memory limit of 67108864 bytes exceeded", 1, true), err)
    ok, err = pcall(function() local s = {} for i = 1, 1e8 do s[i] = {} end end)
    assert(not ok and err == "not enough memory", err)
  )");
  // Temporaries in a loop are collected before they reach the limit.
  CHECK(rt.run("local s = 0 for i = 1, 50 do s = s + (ts.ones(1e6) + i):sum() end return s")
            .get<double>() == 50e6 + 1e6 * 50 * 51 / 2);
  CHECK(rt.account()->live_bytes() + rt.account()->heap_bytes() <= limit);
}

TEST_CASE("a limit below what a runtime needs is refused") {
  CHECK_THROWS_AS(Runtime(with_memory_limit(1000)), Error);
}

TEST_CASE("the instruction budget stops an infinite loop, per call") {
  Options o;
  o.instruction_budget = 1'000'000;
  Runtime rt(o);
  CHECK(script_error(rt, "while true do end") == "test:1: instruction budget of 1000000 exceeded");
  // Each run starts with a full budget: 2 x 300k iterations in separate runs.
  for (int i = 0; i < 2; ++i)
    CHECK(rt.run("local s = 0 for i = 1, 100000 do s = s + i end return s").get<double>() ==
          5000050000.0);
  rt.run("function spin() while true do end end");
  CHECK_THROWS_WITH_AS(rt.call("spin"), "(run):1: instruction budget of 1000000 exceeded",
                       ScriptError);
  // A script cannot escape by catching it: the next check raises again.
  CHECK(script_error(rt, "while true do pcall(function() while true do end end) end") ==
        "test:1: instruction budget of 1000000 exceeded");
}

TEST_CASE("the time budget stops an infinite loop") {
  Options o;
  o.time_budget = 100ms;
  Runtime rt(o);
  auto start = std::chrono::steady_clock::now();
  CHECK(script_error(rt, "while true do end") == "test:1: time budget of 100 ms exceeded");
  auto took = std::chrono::steady_clock::now() - start;
  CHECK(took >= 100ms);
  CHECK(took < 5s);
  CHECK(rt.run("return 1").get<int>() == 1);
}

TEST_CASE("the safe library set") {
  Options o;
  o.libraries = Libraries::Safe;
  Runtime rt(o);
  rt.run(R"(
    assert(io == nil and debug == nil and loadfile == nil and dofile == nil)
    assert(os.execute == nil and os.remove == nil and os.getenv == nil and os.exit == nil)
    assert(type(os.clock()) == "number" and type(os.time()) == "number")
    assert(string.dump == nil and package.loadlib == nil)
    assert(ts.par == nil and ts.h5 == nil)
    assert(require("tessera") == ts)
    assert(not pcall(require, "io"))
    local ok, err = pcall(require, "socket.core")
    assert(not ok and err:find("module 'socket.core' not found", 1, true), err)
    assert(load("return 1 + 1")() == 2)
    assert(load("return x", "chunk", "t", {x = 5})() == 5)
    assert(ts.ones(3):sum() == 3)
  )");
  // Bytecode made by a full runtime is refused, whatever mode is asked for.
  Runtime full;
  rt.set("code", full.run("return string.dump(function() return 42 end)").get<std::string>());
  rt.run(R"(
    local f, err = load(code, "bin", "b")
    assert(f == nil and err:find("attempt to load a binary chunk", 1, true), err)
    f, err = load(code)
    assert(f == nil and err:find("binary", 1, true), err)
  )");
  std::string binary = full.run("return string.dump(function() return 42 end)").get<std::string>();
  CHECK_THROWS_AS(rt.run(binary), ScriptError);
  CHECK_THROWS_AS(full.run(binary), ScriptError);  // hosts' run refuses binary in any mode
  // The full set has them.
  full.run("assert(io and debug and os.execute and string.dump and package.loadlib)");
}

TEST_CASE("interrupt stops a running script from another thread") {
  Runtime rt;
  rt.def("spin_native", [](Context& ctx) {
    std::atomic<std::int64_t> n{0};
    ctx.parallel.for_range(std::int64_t{1} << 60, 1024,  // hours: only an interrupt ends it
                           [&](std::int64_t b, std::int64_t e) { n += e - b; });
    return double(n.load());
  });
  for (const char* code : {"while true do end", "spin_native()"}) {
    std::atomic<bool> started{false};
    rt.def("started", [&started] { started = true; });
    std::thread stopper([&] {
      while (!started) std::this_thread::sleep_for(1ms);
      std::this_thread::sleep_for(20ms);
      rt.interrupt();
    });
    std::string message = script_error(rt, std::string("started() ") + code);
    stopper.join();
    CHECK(message.find("interrupted") != std::string::npos);
    if (std::string(code) == "spin_native()") CHECK(message == "test:1: spin_native: interrupted");
    CHECK(rt.run("return ts.ones(4):sum()").get<double>() == 4);
  }
}

namespace {
Runtime* signalled_runtime = nullptr;
extern "C" void interrupt_on_signal(int) { signalled_runtime->interrupt(); }
}  // namespace

TEST_CASE("interrupt is safe in a signal handler") {
  Runtime rt;
  signalled_runtime = &rt;
  struct sigaction action {
  }, previous{};
  action.sa_handler = interrupt_on_signal;
  sigemptyset(&action.sa_mask);
  REQUIRE(sigaction(SIGUSR1, &action, &previous) == 0);
  std::atomic<bool> started{false};
  rt.def("started", [&started] { started = true; });
  pthread_t runner = pthread_self();
  std::thread signaller([&] {
    while (!started) std::this_thread::sleep_for(1ms);
    std::this_thread::sleep_for(20ms);
    pthread_kill(runner, SIGUSR1);
  });
  // The loop calls into C++: ThreadSanitizer delivers signals only in
  // instrumented code, and Debian's liblua5.4 is not.
  CHECK(script_error(rt, "while true do started() end") == "interrupted");
  signaller.join();
  sigaction(SIGUSR1, &previous, nullptr);
  signalled_runtime = nullptr;
  CHECK(rt.run("return 2").get<int>() == 2);
}

TEST_CASE("two runtimes run concurrently on two threads") {
  auto work = [](int seed, double* out) {
    Options o;
    o.threads = 1;
    o.memory_limit = std::size_t{128} << 20;
    Runtime rt(o);
    rt.def("bias", [seed](double x) { return x + seed; });
    rt.set("seed", seed);
    *out = rt.run(R"(
      local total = 0
      for i = 1, 200 do
        local a = ts.arange(1000) * 1.0
        total = total + bias((a * seed):sum())
      end
      return total
    )")
               .get<double>();
  };
  double r1 = 0, r2 = 0;
  std::thread t1(work, 1, &r1), t2(work, 2, &r2);
  t1.join();
  t2.join();
  CHECK(r1 == 200 * (500500.0 * 1 + 1));
  CHECK(r2 == 200 * (500500.0 * 2 + 2));
}
