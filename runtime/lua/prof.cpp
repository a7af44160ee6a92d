// ts.prof: the profiler's bindings (see runtime/lua/profiler.hpp) and the
// hardware counters (runtime/prof/counters.hpp). The report, the counters'
// summary and the documentation of both are in stdlib/prof.lua.
#include <cerrno>
#include <cstring>
#include <initializer_list>
#include <vector>

#include "../prof/counters.hpp"
#include "../prof/memory_sites.hpp"
#include "binding.hpp"
#include "profiler.hpp"
#include "registry.hpp"
#include "subtable.hpp"

namespace tessera::lua {

namespace {

const char kSessionKey = 0;  // registry[&kSessionKey] = the last session's box
constexpr const char* kSessionMeta = "tessera.prof.Session";
constexpr const char* kCountersMeta = "tessera.prof.Counters";

int session_gc(lua_State* L) {
  auto** box = static_cast<Session**>(lua_touserdata(L, 1));
  if (*box && (*box)->running()) Session::set_active(L, nullptr);
  delete *box;
  *box = nullptr;
  return 0;
}

Session* last_session(lua_State* L) {
  lua_rawgetp(L, LUA_REGISTRYINDEX, &kSessionKey);
  auto** box = static_cast<Session**>(lua_touserdata(L, -1));
  lua_pop(L, 1);
  return box ? *box : nullptr;
}

Session& check_session(lua_State* L, const char* fname) {
  Session* s = last_session(L);
  if (!s) raise(L, fname, "no profile yet: call ts.prof.start() first");
  return *s;
}

int l_stop(lua_State* L);
int l_running(lua_State* L);
int l_cli_stop(lua_State* L);

// start([{mode = "sample" | "exact", interval = seconds}])
int l_start(lua_State* L) {
  const char* fname = "prof.start";
  Session::Mode mode = Session::Mode::Sample;
  double interval = 0.001;
  if (lua_type(L, 1) == LUA_TTABLE) {
    if (lua_getfield(L, 1, "mode") != LUA_TNIL) {
      const char* m = lua_tostring(L, -1);
      if (m && std::strcmp(m, "exact") == 0) mode = Session::Mode::Exact;
      else if (!m || std::strcmp(m, "sample") != 0)
        raise(L, fname, "expected mode 'sample' or 'exact', got %s", m ? m : luaL_typename(L, -1));
    }
    if (lua_getfield(L, 1, "interval") != LUA_TNIL) {
      interval = lua_tonumber(L, -1);
      if (!lua_isnumber(L, -1) || !(interval >= 1e-4 && interval <= 1))
        raise(L, fname, "expected an interval from 0.0001 to 1 seconds, got %s",
              luaL_tolstring(L, -1, nullptr));
    }
    lua_settop(L, 1);
  } else if (!lua_isnoneornil(L, 1)) {
    raise(L, fname, "expected an options table {mode =, interval =}, got %s", luaL_typename(L, 1));
  }
  Session* old = last_session(L);
  if (old && old->running())
    raise(L, fname, "the profiler is already running (call ts.prof.stop() first)");
  auto** box = static_cast<Session**>(lua_newuserdatauv(L, sizeof(Session*), 0));
  *box = nullptr;
  luaL_setmetatable(L, kSessionMeta);
  lua_pushvalue(L, -1);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &kSessionKey);  // the old session is collected
  Context& ctx = context(L);
  auto period = std::chrono::nanoseconds(static_cast<std::int64_t>(interval * 1e9));
  guarded(L, fname, [&] {
    *box = new Session(ctx, mode, period);
    for (lua_CFunction own : {l_start, l_stop, l_running, l_cli_stop}) (*box)->ignore(own);
    (*box)->start();
    return 0;
  });
  Session::set_active(L, *box);
  return 0;
}

int l_stop(lua_State* L) {
  Session* s = last_session(L);
  if (!s || !s->running()) raise(L, "prof.stop", "the profiler is not running");
  Session::set_active(L, nullptr);
  s->stop();
  return 0;
}

// For `tessera --profile`: stops a running profiler, quietly otherwise.
int l_cli_stop(lua_State* L) {
  Session* s = last_session(L);
  if (s && s->running()) {
    Session::set_active(L, nullptr);
    s->stop();
  }
  return 0;
}

int l_running(lua_State* L) {
  Session* s = last_session(L);
  lua_pushboolean(L, s && s->running());
  return 1;
}

void set_number(lua_State* L, const char* key, double v) {
  lua_pushnumber(L, v);
  lua_setfield(L, -2, key);
}
void set_integer(lua_State* L, const char* key, long long v) {
  lua_pushinteger(L, static_cast<lua_Integer>(v));
  lua_setfield(L, -2, key);
}
void set_string(lua_State* L, const char* key, const std::string& v) {
  lua_pushlstring(L, v.data(), v.size());
  lua_setfield(L, -2, key);
}

void push_functions(lua_State* L, const Session& s) {
  std::vector<prof::FunctionStat> stats = prof::function_stats(s.tree(), s.functions().size());
  bool exact = s.mode() == Session::Mode::Exact;
  lua_createtable(L, static_cast<int>(stats.size()), 0);
  for (std::size_t i = 0; i < stats.size(); ++i) {
    const prof::FunctionStat& f = stats[i];
    lua_createtable(L, 0, 6);
    set_string(L, "name", s.functions().name(f.func));
    if (exact) set_integer(L, "calls", static_cast<long long>(f.calls));
    set_number(L, "self", double(f.self) * s.unit());
    set_number(L, "total", double(f.total) * s.unit());
    if (!exact) {
      set_integer(L, "self_samples", f.self);
      set_integer(L, "total_samples", f.total);
    }
    lua_rawseti(L, -2, static_cast<lua_Integer>(i + 1));
  }
}

void push_tree(lua_State* L, const Session& s) {
  const auto& nodes = s.tree().nodes();
  lua_createtable(L, static_cast<int>(nodes.size()), 0);
  for (std::size_t id = 1; id < nodes.size(); ++id) {
    const prof::CallTree::Node& n = nodes[id];
    lua_createtable(L, 0, 5);
    set_string(L, "name", s.functions().name(n.func));
    set_integer(L, "parent", n.parent);
    if (s.mode() == Session::Mode::Exact) set_integer(L, "calls", static_cast<long long>(n.calls));
    set_number(L, "self", double(n.self) * s.unit());
    set_number(L, "total", double(n.total) * s.unit());
    lua_rawseti(L, -2, static_cast<lua_Integer>(id));
  }
}

void push_natives(lua_State* L, const Session& s) {
  const auto& all = s.natives().all();
  lua_createtable(L, static_cast<int>(all.size()), 0);
  for (std::size_t i = 0; i < all.size(); ++i) {
    lua_createtable(L, 0, 4);
    set_string(L, "name", all[i].name);
    set_integer(L, "calls", static_cast<long long>(all[i].calls));
    set_number(L, "time", double(all[i].ns) * 1e-9);
    set_integer(L, "bytes", static_cast<long long>(all[i].bytes));
    lua_rawseti(L, -2, static_cast<lua_Integer>(i + 1));
  }
}

void push_memory(lua_State* L, const Session& s) {
  prof::MemorySites::Totals t = s.memory().totals();
  std::vector<prof::MemorySites::Site> sites = s.memory().sites();
  lua_createtable(L, 0, 5);
  set_integer(L, "allocations", static_cast<long long>(t.allocations));
  set_integer(L, "bytes", static_cast<long long>(t.bytes));
  set_integer(L, "live", t.live);
  set_integer(L, "peak", t.peak);
  lua_createtable(L, static_cast<int>(sites.size()), 0);
  int k = 0;
  for (const prof::MemorySites::Site& site : sites) {
    if (site.allocations == 0) continue;
    lua_createtable(L, 0, 5);
    set_string(L, "where", site.where);
    set_integer(L, "allocations", static_cast<long long>(site.allocations));
    set_integer(L, "bytes", static_cast<long long>(site.bytes));
    set_integer(L, "live", site.live);
    set_integer(L, "peak", site.peak);
    lua_rawseti(L, -2, ++k);
  }
  lua_setfield(L, -2, "sites");
}

// The session's data as plain tables (the report is made from them).
int l_data(lua_State* L) {
  Session& s = check_session(L, "prof.data");
  lua_createtable(L, 0, 9);
  set_string(L, "mode", s.mode() == Session::Mode::Exact ? "exact" : "sample");
  lua_pushboolean(L, s.running());
  lua_setfield(L, -2, "running");
  set_number(L, "duration", s.duration());
  if (s.mode() == Session::Mode::Sample) {
    set_number(L, "interval", s.interval());
    set_integer(L, "samples", s.samples());
  }
  push_functions(L, s);
  lua_setfield(L, -2, "functions");
  push_natives(L, s);
  lua_setfield(L, -2, "natives");
  push_memory(L, s);
  lua_setfield(L, -2, "memory");
  push_tree(L, s);
  lua_setfield(L, -2, "tree");
  return 1;
}

int l_write_collapsed(lua_State* L) {
  const char* fname = "prof.write_collapsed";
  if (lua_type(L, 1) != LUA_TSTRING)
    raise(L, fname, "expected a file name at argument 1, got %s", luaL_typename(L, 1));
  const char* path = lua_tostring(L, 1);
  Session& s = check_session(L, fname);
  std::FILE* f = std::fopen(path, "w");
  if (!f) raise(L, fname, "cannot open '%s': %s", path, std::strerror(errno));
  // Weights: samples, or microseconds in the exact mode.
  double scale = s.mode() == Session::Mode::Exact ? 1e-3 : 1.0;
  bool ok = prof::write_collapsed(s.tree(), s.functions(), scale, f);
  ok = std::fclose(f) == 0 && ok;
  if (!ok) raise(L, fname, "cannot write '%s'", path);
  return 0;
}

int counters_gc(lua_State* L) {
  auto** box = static_cast<prof::Counters**>(lua_touserdata(L, 1));
  delete *box;
  *box = nullptr;
  return 0;
}

constexpr const char* kDefaultEvents[] = {"cycles",       "instructions",  "cache_references",
                                          "cache_misses", "branch_misses", "page_faults",
                                          "task_clock"};
constexpr int kMaxEvents = 16;

int check_events(lua_State* L, int idx, const char* fname, const prof::EventSpec** out) {
  if (lua_isnoneornil(L, idx)) {
    int n = 0;
    for (const char* name : kDefaultEvents) out[n++] = prof::find_event(name);
    return n;
  }
  if (lua_type(L, idx) != LUA_TTABLE)
    raise(L, fname, "expected a list of event names, got %s", luaL_typename(L, idx));
  int n = static_cast<int>(luaL_len(L, idx));
  if (n < 1 || n > kMaxEvents)
    raise(L, fname, "expected 1 to %d event names, got %d", kMaxEvents, n);
  for (int i = 1; i <= n; ++i) {
    lua_geti(L, idx, i);
    const char* name = lua_tostring(L, -1);
    const prof::EventSpec* e = name ? prof::find_event(name) : nullptr;
    if (!e)
      raise(L, fname,
            "unknown event '%s' (known: cycles, instructions, cache_references, cache_misses, "
            "branch_misses, page_faults, context_switches, task_clock)",
            name ? name : luaL_typename(L, -1));
    out[i - 1] = e;
    lua_pop(L, 1);
  }
  return n;
}

// _counters(fn [, events]) -> counts, fn's results
int l_counters(lua_State* L) {
  const char* fname = "prof.counters";
  if (lua_type(L, 1) != LUA_TFUNCTION)
    raise(L, fname, "expected a function at argument 1, got %s", luaL_typename(L, 1));
  const prof::EventSpec* specs[kMaxEvents];
  int n = check_events(L, 2, fname, specs);
  lua_settop(L, 1);
  auto** box = static_cast<prof::Counters**>(lua_newuserdatauv(L, sizeof(void*), 0));
  *box = nullptr;
  luaL_setmetatable(L, kCountersMeta);
  lua_insert(L, 1);  // box, fn
  guarded(L, fname, [&] {
    *box = new prof::Counters(std::vector<const prof::EventSpec*>(specs, specs + n));
    return 0;
  });
  auto t0 = std::chrono::steady_clock::now();
  (*box)->start();
  int status = lua_pcall(L, 0, LUA_MULTRET, 0);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  struct Reading {
    const char* name;
    bool available;
    std::uint64_t value;
    char reason[200];
  } readings[kMaxEvents];
  guarded(L, fname, [&] {
    std::vector<prof::Counters::Result> r = (*box)->stop();
    for (int i = 0; i < n; ++i) {
      readings[i] = Reading{specs[i]->name, r[i].available, r[i].value, {}};
      std::snprintf(readings[i].reason, sizeof readings[i].reason, "%s", r[i].reason.c_str());
    }
    delete *box;
    *box = nullptr;
    return 0;
  });
  if (status != LUA_OK) return lua_error(L);
  int nres = lua_gettop(L) - 1;
  lua_createtable(L, 0, n + 2);
  luaL_Buffer why;
  luaL_buffinit(L, &why);  // (uses the stack above the table)
  bool any_missing = false;
  for (int i = 0; i < n; ++i) {
    if (readings[i].available) continue;
    if (any_missing) luaL_addstring(&why, "; ");
    luaL_addstring(&why, readings[i].name);
    luaL_addstring(&why, ": ");
    luaL_addstring(&why, readings[i].reason);
    any_missing = true;
  }
  luaL_pushresult(&why);
  if (any_missing) lua_setfield(L, -2, "unavailable");
  else lua_pop(L, 1);
  for (int i = 0; i < n; ++i)
    if (readings[i].available)
      set_integer(L, readings[i].name, static_cast<long long>(readings[i].value));
  set_number(L, "time", seconds);
  lua_replace(L, 1);  // the box is no longer needed
  return 1 + nres;
}

const Entry functions[] = {
    {"start", l_start, kFunction, "ts.prof.start([{mode = 'sample' | 'exact', interval = 0.001}])",
     "Starts profiling this Lua state: Lua functions by call path (sampling every `interval` "
     "seconds, or exactly from call and return hooks), native calls (calls, time, bytes of array "
     "operands and results) and array memory by allocating line. Raises when already running."},
    {"stop", l_stop, kFunction, "ts.prof.stop()",
     "Stops the profiler; its data stays for ts.prof.report, ts.prof.data and "
     "ts.prof.write_collapsed until the next start. Raises when it is not running."},
    {"running", l_running, kFunction, "ts.prof.running()", "Whether the profiler is running."},
    {"data", l_data, kFunction, "ts.prof.data()",
     "The last profile as tables: mode, duration, samples, functions {name, calls, self, total}, "
     "natives {name, calls, time, bytes}, memory {allocations, bytes, live, peak, sites {where, "
     "...}} and tree {name, parent, calls, self, total} (parent 0: a root); times in seconds."},
    {"write_collapsed", l_write_collapsed, kFunction, "ts.prof.write_collapsed(path)",
     "Writes the last profile's call stacks in the collapsed format of flamegraph.pl and "
     "speedscope: one 'outer;inner;leaf weight' line per path, weights in samples (or "
     "microseconds in the exact mode), native calls as '[native] name' leaves."},
    {"_cli_stop", l_cli_stop, kFunction, "ts.prof._cli_stop()",
     "Stops the profiler if it runs, for `tessera --profile` (internal)."},
    {"_counters", l_counters, kFunction, "ts.prof._counters(fn [, events])",
     "The counting behind ts.prof.counters, without the printed summary."},
};

void setup(lua_State* L, const Tables& t) {
  lua_pushvalue(L, t.help);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &kHelpKey);
  luaL_newmetatable(L, kSessionMeta);
  lua_pushcfunction(L, session_gc);
  lua_setfield(L, -2, "__gc");
  luaL_newmetatable(L, kCountersMeta);
  lua_pushcfunction(L, counters_gc);
  lua_setfield(L, -2, "__gc");
  lua_pop(L, 2);
  int prof = module_subtable(L, t, "prof");
  install_entries(L, t, prof, functions, "prof.");
  lua_pop(L, 1);
}

const bool registered = (register_part(Part{"prof", 90, nullptr, 0, setup}), true);

}  // namespace
}  // namespace tessera::lua
