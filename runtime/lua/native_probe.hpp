// The profiler's probe on native calls (ts.prof). guarded() reads one global
// counter per call; while some state's profiler runs it sends the call
// through profiled_call, which times the C++ body, counts the bytes of the
// array arguments and results, and tells the memory profiler which Lua line
// is allocating. States whose profiler is not running pay a registry lookup.
#pragma once

#include <lua.hpp>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <exception>

namespace tessera::lua {

extern std::atomic<int> native_profilers;  // running profilers, all states

inline bool native_profiling() {
  return __builtin_expect(native_profilers.load(std::memory_order_relaxed) != 0, 0);
}

// What probe_begin saw; plain data, so a Lua error may skip it.
struct NativeProbe {
  static constexpr int kArrays = 8;
  void* session = nullptr;  // null: this state's profiler is not running
  lua_State* outer = nullptr;
  std::int64_t start_ns = 0;
  std::uint64_t bytes_in = 0;
  int arrays = 0;
  const void* handle[kArrays];  // array arguments, to tell results from them
  std::size_t nbytes[kArrays];
};
void probe_begin(lua_State* L, NativeProbe& probe);
// nresults: the values body() left on the top of the stack, or -1 when it threw.
void probe_end(lua_State* L, const char* fname, NativeProbe& probe, int nresults);

[[noreturn]] void raise(lua_State* L, const char* fname, const char* fmt, ...);

template <class Body>
[[gnu::noinline]] int profiled_call(lua_State* L, const char* fname, Body& body) {
  NativeProbe probe;
  probe_begin(L, probe);
  char message[512];
  int n = -1;
  try {
    n = body();
  } catch (const std::exception& e) {
    std::snprintf(message, sizeof message, "%s", e.what());
  } catch (...) {
    std::snprintf(message, sizeof message, "unexpected C++ exception");
  }
  probe_end(L, fname, probe, n);
  if (n < 0) raise(L, fname, "%s", message);
  return n;
}

}  // namespace tessera::lua
