// Interrupts: a request from another thread stops native ranges between
// blocks and Lua code at its next instruction; the runtime stays usable.
#include <doctest/doctest.h>

#include <lua.hpp>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

#include "runtime/context.hpp"
#include "runtime/runtime.hpp"
#include "script_error.hpp"

using namespace tessera;
using namespace std::chrono_literals;

namespace {

// Requests an interrupt once `started` is set, after a short delay.
struct Interrupter {
  Interrupter(Hooks& hooks, std::atomic<bool>& started)
      : thread([&hooks, &started] {
          while (!started.load()) std::this_thread::sleep_for(1ms);
          std::this_thread::sleep_for(50ms);
          hooks.request_interrupt();
        }) {}
  ~Interrupter() { thread.join(); }
  std::thread thread;
};

}  // namespace

TEST_CASE("for_range stops between blocks and throws Interrupted") {
  for (int threads : {1, 2}) {
    InterruptFlag flag;
    Parallel par;
    par.set_threads(threads);
    par.watch(&flag);
    std::atomic<std::int64_t> done{0};
    const std::int64_t n = std::int64_t{1} << 60, grain = 1024;  // hours of work
    std::thread stopper([&] {
      while (done.load() == 0) std::this_thread::yield();
      flag.request();
    });
    CHECK_THROWS_AS(par.for_range(n, grain, [&](std::int64_t b, std::int64_t e) { done += e - b; }),
                    Interrupted);
    stopper.join();
    CHECK(done.load() < n);
    CHECK_FALSE(flag.requested());  // consumed by the throw
    // Without a request the same Parallel runs whole ranges again.
    std::atomic<std::int64_t> total{0};
    par.for_range(1 << 22, grain, [&](std::int64_t b, std::int64_t e) { total += e - b; });
    CHECK(total.load() == (1 << 22));
  }
}

TEST_CASE("an interrupt stops a Lua loop and the runtime stays usable") {
  Runtime rt;
  rt.run("keep = ts.arange(5)");
  std::atomic<bool> started{true};
  {
    Interrupter stop(rt.context().hooks, started);
    CHECK(script_error(rt, "while true do end") == "interrupted");
  }
  rt.run("assert(keep:sum() == 15)");
}

TEST_CASE("an interrupt stops a long native operation between blocks") {
  Runtime rt;
  for (int threads : {1, 2}) {
    rt.context().parallel.set_threads(threads);
    std::atomic<bool> started{false};
    Interrupter stop(rt.context().hooks, started);
    lua_State* L = rt.state();
    lua_pushlightuserdata(L, &started);
    lua_pushcclosure(
        L,
        [](lua_State* S) -> int {
          static_cast<std::atomic<bool>*>(lua_touserdata(S, lua_upvalueindex(1)))->store(true);
          return 0;
        },
        1);
    lua_setglobal(L, "started");
    // 1e11 elements of a broadcast view: seconds of work, little memory.
    std::string message =
        script_error(rt, "started(); return ts.broadcast_to(ts.ones(1), {1e11}):sum()");
    CHECK(message == "test:1: sum: interrupted");
  }
  rt.run("assert(ts.ones(4):sum() == 4)");
}
