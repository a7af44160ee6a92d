// Runtime-level functions: threads, wall-clock time, configuration.
#include <tbb/version.h>
#include <xsimd/config/xsimd_config.hpp>
#include <xtensor/xtensor_config.hpp>

#include <chrono>

#include "../../kernels/simd.hpp"
#include "binding.hpp"
#include "registry.hpp"

namespace tessera::lua {
namespace {

int l_threads(lua_State* L) {
  Parallel& p = context(L).parallel;
  if (!lua_isnoneornil(L, 1)) {
    std::int64_t n = check_integer(L, 1, "threads", "thread count");
    if (n < 1 || n > 1024)
      raise(L, "threads", "expected a thread count from 1 to 1024, got %lld",
            static_cast<long long>(n));
    p.set_threads(static_cast<int>(n));
  }
  lua_pushinteger(L, p.threads());
  return 1;
}

int l_now(lua_State* L) {
  using namespace std::chrono;
  double t = duration<double>(steady_clock::now().time_since_epoch()).count();
  lua_pushnumber(L, t);
  return 1;
}

void set_integer(lua_State* L, const char* key, lua_Integer value) {
  lua_pushinteger(L, value);
  lua_setfield(L, -2, key);
}

// ts.memory([{trim = true}]): array memory of this runtime.
int l_memory(lua_State* L) {
  bool trim = false;
  if (lua_type(L, 1) == LUA_TTABLE) {
    lua_getfield(L, 1, "trim");
    trim = lua_toboolean(L, -1);
    lua_pop(L, 1);
  } else if (!lua_isnoneornil(L, 1)) {
    raise(L, "memory", "expected an options table {trim = true}, got %s", luaL_typename(L, 1));
  }
  MemoryAccount& account = *context(L).account;
  if (trim) account.pool().clear();
  PoolStats pool = account.pool().stats();
  lua_createtable(L, 0, 6);
  set_integer(L, "live", static_cast<lua_Integer>(account.live_bytes()));
  set_integer(L, "peak", static_cast<lua_Integer>(account.peak_bytes()));
  set_integer(L, "pooled", static_cast<lua_Integer>(pool.pooled_bytes));
  set_integer(L, "allocations", static_cast<lua_Integer>(account.allocations()));
  set_integer(L, "pool_hits", static_cast<lua_Integer>(pool.hits));
  set_integer(L, "system_allocations", static_cast<lua_Integer>(pool.system_allocations));
  return 1;
}

void set_string(lua_State* L, const char* key, const char* value) {
  lua_pushstring(L, value);
  lua_setfield(L, -2, key);
}

int l_config(lua_State* L) {
  lua_createtable(L, 0, 8);
  set_string(L, "simd", kernels::simd_arch());
  lua_pushinteger(L, context(L).parallel.threads());
  lua_setfield(L, -2, "threads");
  lua_pushinteger(L, Parallel::hardware_threads());
  lua_setfield(L, -2, "hardware_threads");
  set_string(L, "lua", LUA_RELEASE);
  set_string(L, "tbb", TBB_VERSION_STRING);
  lua_pushfstring(L, "%d.%d.%d", XSIMD_VERSION_MAJOR, XSIMD_VERSION_MINOR, XSIMD_VERSION_PATCH);
  lua_setfield(L, -2, "xsimd");
  lua_pushfstring(L, "%d.%d.%d", XTENSOR_VERSION_MAJOR, XTENSOR_VERSION_MINOR,
                  XTENSOR_VERSION_PATCH);
  lua_setfield(L, -2, "xtensor");
  set_string(L, "compiler", __VERSION__);
  return 1;
}

const Entry entries[] = {
    {"threads", l_threads, kFunction, "ts.threads([n])",
     "Caps the threads Tessera's kernels use at n (default: TESSERA_NUM_THREADS or all cores) "
     "and returns the current value."},
    {"now", l_now, kFunction, "ts.now()",
     "Seconds from a monotonic wall clock, for timing (os.clock counts CPU time of all threads)."},
    {"memory", l_memory, kFunction, "ts.memory([{trim = true}])",
     "Array memory of this runtime in bytes: live, peak, pooled (freed buffers kept for reuse, "
     "bounded, given back after a collection in which they were not reused), and counts: "
     "allocations, pool_hits, system_allocations. trim = true first returns the pool to the "
     "system."},
    {"config", l_config, kFunction, "ts.config()",
     "A table describing the build and machine: simd (instruction set in use), threads, "
     "hardware_threads, and the lua, tbb, xsimd, xtensor and compiler versions."},
};

const AutoPart part("runtime", 5, entries);

}  // namespace
}  // namespace tessera::lua
