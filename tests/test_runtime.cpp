// Runtimes are independent; script errors surface as ScriptError.
#include <doctest/doctest.h>

#include <lua.hpp>

#include "runtime/context.hpp"
#include "runtime/runtime.hpp"

using namespace tessera;

TEST_CASE("two runtimes live side by side") {
  Runtime a, b;
  a.run("x = ts.ones(10) * 2");
  b.run("x = ts.zeros(5)");
  a.run("assert(x:get(10) == 2); collectgarbage()");
  b.run("assert(x.size == 5)");
  CHECK(a.context().account->live_bytes() == 80);
  CHECK(b.context().account->live_bytes() == 40);
}

TEST_CASE("script errors carry message and traceback") {
  Runtime rt;
  try {
    rt.run("local a = ts.zeros(3, 4)\nlocal b = a + ts.zeros(5)", "=script");
    FAIL("expected an error");
  } catch (const ScriptError& e) {
    CHECK(std::string(e.what()) == "script:2: add: cannot broadcast shapes (3,4) and (5)");
    CHECK(e.traceback().find("stack traceback") != std::string::npos);
  }
}

TEST_CASE("arrays are freed when the runtime closes") {
  std::shared_ptr<MemoryAccount> account;
  {
    Runtime rt;
    account = rt.context().account;
    rt.run("big = ts.zeros(1000)");
    CHECK(account->live_bytes() == 8000);
  }
  CHECK(account->live_bytes() == 0);
}

TEST_CASE("to-be-closed arrays free their storage at scope end") {
  Runtime rt;
  rt.run("do local a <close> = ts.zeros(1000) end");
  CHECK(rt.context().account->live_bytes() == 0);
}
