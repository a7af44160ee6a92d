// ts.par: Lua functions on a pool of worker Lua states (runtime/par/). The
// pool belongs to the calling lua_State (a userdata in its registry, so it is
// shut down when the state closes), is made on first use with ts.threads()
// workers, and is remade with the new count when ts.threads changed and no
// job is pending. Values cross as runtime/par/transfer.hpp describes; arrays
// are shared, not copied.
#include <cmath>
#include <cstring>
#include <new>
#include <string>

#include "../par/worker.hpp"
#include "binding.hpp"
#include "registry.hpp"
#include "subtable.hpp"

namespace tessera::lua {
namespace {

using par::Job;
using par::Message;
using par::Pool;
using par::TaskJob;

constexpr const char* kPoolKey = "tessera.par.Pool";
constexpr const char* kPoolMeta = "tessera.par.PoolBox";
constexpr const char* kFutureMeta = "tessera.par.Future";
constexpr const char* kJobMeta = "tessera.par.JobHolder";
constexpr const char* kMessageMeta = "tessera.par.MessageHolder";

struct PoolBox {
  std::shared_ptr<Pool> pool;
  std::vector<std::shared_ptr<Message>> inits;  // ts.par.init functions, in order
};

// A userdata owning a C++ object until collected (see sketch.cpp's holder).
template <class T>
T* push_owned(lua_State* L, const char* meta) {
  void* p = lua_newuserdatauv(L, sizeof(T), 0);
  T* obj = new (p) T();
  if (luaL_newmetatable(L, meta)) {
    lua_pushcfunction(L, [](lua_State* L) -> int {
      static_cast<T*>(lua_touserdata(L, 1))->~T();
      return 0;
    });
    lua_setfield(L, -2, "__gc");
  }
  lua_setmetatable(L, -2);
  return obj;
}

bool in_worker(lua_State* L) {
  bool w = lua_getfield(L, LUA_REGISTRYINDEX, par::kWorkerKey) != LUA_TNIL;
  lua_pop(L, 1);
  return w;
}

PoolBox& pool_box(lua_State* L) {
  if (lua_getfield(L, LUA_REGISTRYINDEX, kPoolKey) == LUA_TUSERDATA) {
    auto* box = static_cast<PoolBox*>(lua_touserdata(L, -1));
    lua_pop(L, 1);
    return *box;
  }
  lua_pop(L, 1);
  PoolBox* box = push_owned<PoolBox>(L, kPoolMeta);
  lua_setfield(L, LUA_REGISTRYINDEX, kPoolKey);
  return *box;
}

// Waits for job (at most timeout seconds when >= 0; true when it finished).
// On an interrupt request (Ctrl-C) cancels it, stops its running pieces,
// waits for them and throws Interrupted, so the caller's error is
// "<function>: interrupted" and the pool is free again. Inside guarded().
bool wait_job(Pool& pool, TaskJob& job, Context& ctx, double timeout = -1) {
  if (pool.wait(job, timeout, ctx.interrupt.get())) return true;
  if (!ctx.interrupt->requested()) return false;  // the timeout
  pool.interrupt(job);
  pool.wait(job);
  ctx.interrupt->consume();
  throw Interrupted();
}

[[noreturn]] void raise_job_error(lua_State* L, const char* fname, const TaskJob& job) {
  luaL_where(L, 1);
  const std::string& err = job.error();
  if (job.kind == TaskJob::Kind::Map && job.error_item() >= 0)
    lua_pushfstring(L, "%s: item %I failed in a worker: ", fname,
                    static_cast<lua_Integer>(job.error_item() + 1));
  else if (job.kind == TaskJob::Kind::Init)
    lua_pushfstring(L, "%s: the function failed in worker %I: ", fname,
                    static_cast<lua_Integer>(job.error_item() + 1));
  else lua_pushfstring(L, "%s: failed in a worker: ", fname);
  lua_pushlstring(L, err.data(), err.size());
  lua_concat(L, 3);
  lua_error(L);
  std::abort();
}

void submit_init(lua_State* L, Pool& pool, const std::shared_ptr<Message>& fn,
                 std::shared_ptr<TaskJob>* holder) {
  guarded(L, "par.init", [&] {
    *holder = std::make_shared<TaskJob>(TaskJob::Kind::Init, pool.workers(), Job::Schedule::Static,
                                        pool.workers());
    (*holder)->function = *fn;
    pool.submit(*holder);
    pool.wait(**holder);
    return 0;
  });
}

// The pool of this state, made (or remade for a new thread count) when
// needed. Raises inside workers: workers do not start workers.
Pool& get_pool(lua_State* L, const char* fname) {
  if (in_worker(L)) raise(L, fname, "cannot be called inside a worker");
  Context& ctx = context(L);
  PoolBox& box = pool_box(L);
  int want = ctx.parallel.threads();
  if (box.pool && (box.pool->workers() == want || !box.pool->idle())) return *box.pool;
  // package.path and cpath for the workers (kept alive on the stack).
  lua_getglobal(L, "package");
  const char* path = "";
  const char* cpath = "";
  if (lua_istable(L, -1)) {
    lua_getfield(L, -1, "path");
    if (lua_type(L, -1) == LUA_TSTRING) path = lua_tostring(L, -1);
    lua_getfield(L, -2, "cpath");
    if (lua_type(L, -1) == LUA_TSTRING) cpath = lua_tostring(L, -1);
  }
  guarded(L, fname, [&] {
    box.pool.reset();  // joins the old workers
    par::WorkerSetup setup;
    setup.account = ctx.account;
    setup.threads = want;
    if (want > 1) setup.arena = ctx.parallel.arena();
    setup.path = path;
    setup.cpath = cpath;
    box.pool = std::make_shared<Pool>(want, par::make_lua_hooks(std::move(setup)));
    return 0;
  });
  // New workers run every ts.par.init function, in order.
  for (std::size_t i = 0; i < box.inits.size(); ++i) {
    auto* holder = push_owned<std::shared_ptr<TaskJob>>(L, kJobMeta);
    submit_init(L, *box.pool, box.inits[i], holder);
    if ((*holder)->failed()) raise_job_error(L, fname, **holder);
    lua_pop(L, 1);
  }
  return *box.pool;
}

// ---- ts.par.map ------------------------------------------------------------------

struct MapOptions {
  std::int64_t chunk = 0;  // 0: default
  bool dynamic = true;
  bool ordered = true;
};

MapOptions check_map_options(lua_State* L, int idx) {
  MapOptions o;
  if (lua_isnoneornil(L, idx)) return o;
  if (lua_type(L, idx) != LUA_TTABLE)
    raise(L, "par.map", "expected an options table at argument 3, got %s", luaL_typename(L, idx));
  if (lua_getfield(L, idx, "chunksize") != LUA_TNIL) {
    o.chunk = check_integer(L, -1, "par.map", "chunksize");
    if (o.chunk < 1) raise(L, "par.map", "chunksize must be at least 1");
  }
  lua_pop(L, 1);
  if (lua_getfield(L, idx, "schedule") != LUA_TNIL) {
    const char* s = lua_tostring(L, -1);
    if (s && std::strcmp(s, "static") == 0) o.dynamic = false;
    else if (!s || std::strcmp(s, "dynamic") != 0)
      raise(L, "par.map", "schedule must be \"dynamic\" or \"static\"");
  }
  lua_pop(L, 1);
  if (lua_getfield(L, idx, "ordered") != LUA_TNIL) o.ordered = lua_toboolean(L, -1);
  lua_pop(L, 1);
  return o;
}

int l_map(lua_State* L) {
  const char* fname = "par.map";
  if (lua_type(L, 1) != LUA_TFUNCTION)
    raise(L, fname, "expected a function at argument 1, got %s", luaL_typename(L, 1));
  std::int64_t n;
  bool range = lua_type(L, 2) == LUA_TNUMBER;
  if (range) {
    n = check_integer(L, 2, fname, "count");
    if (n < 0) raise(L, fname, "the count must be >= 0");
  } else if (lua_type(L, 2) == LUA_TTABLE) {
    n = static_cast<std::int64_t>(lua_rawlen(L, 2));
  } else {
    raise(L, fname, "expected a table of items or a count at argument 2, got %s",
          luaL_typename(L, 2));
  }
  MapOptions o = check_map_options(L, 3);
  lua_settop(L, 3);
  Pool& pool = get_pool(L, fname);
  par::forget_names(L);
  const int workers = pool.workers();
  std::int64_t chunk = o.chunk;
  if (chunk == 0) {  // multiprocessing's default: about n / (4 * workers)
    chunk = n / (4 * workers);
    if (n % (4 * workers)) ++chunk;
    if (chunk < 1) chunk = 1;
  }
  auto* holder = push_owned<std::shared_ptr<TaskJob>>(L, kJobMeta);  // index 4
  guarded(L, fname, [&] {
    auto job = std::make_shared<TaskJob>(TaskJob::Kind::Map, (n + chunk - 1) / chunk,
                                         o.dynamic ? Job::Schedule::Dynamic : Job::Schedule::Static,
                                         workers);
    job->n = n;
    job->chunk = chunk;
    job->range = range;
    job->ordered = o.ordered;
    job->results.resize(static_cast<std::size_t>(n));
    if (!range) job->items.resize(static_cast<std::size_t>(n));
    if (!o.ordered) job->order.resize(static_cast<std::size_t>(n));
    *holder = std::move(job);
    return 0;
  });
  TaskJob& job = **holder;
  par::encode(L, 1, 1, job.function, fname, "the function", true);
  if (!range) {
    char what[40];
    for (std::int64_t i = 0; i < n; ++i) {
      lua_rawgeti(L, 2, i + 1);
      std::snprintf(what, sizeof what, "item %lld", static_cast<long long>(i + 1));
      par::capture(L, -1, job.items[static_cast<std::size_t>(i)], fname, what);
      lua_pop(L, 1);
    }
  }
  Context& ctx = context(L);
  guarded(L, fname, [&] {
    pool.submit(*holder);
    wait_job(pool, job, ctx);
    return 0;
  });
  if (job.failed()) raise_job_error(L, fname, job);
  luaL_checkstack(L, 8, fname);
  lua_createtable(L, n > (1 << 30) ? 0 : static_cast<int>(n), 0);
  if (o.ordered) {
    for (std::int64_t i = 0; i < n; ++i) {
      const par::Slot& s = job.results[static_cast<std::size_t>(i)];
      if (s.kind == par::Slot::Nil) continue;
      par::push(L, s);
      lua_rawseti(L, -2, i + 1);
    }
    return 1;
  }
  lua_createtable(L, n > (1 << 30) ? 0 : static_cast<int>(n), 0);
  for (std::int64_t k = 0; k < n; ++k) {
    std::int64_t i = job.order[static_cast<std::size_t>(k)];
    par::push(L, job.results[static_cast<std::size_t>(i)]);
    lua_rawseti(L, -3, k + 1);
    lua_pushinteger(L, i + 1);
    lua_rawseti(L, -2, k + 1);
  }
  return 2;
}

// ---- futures -------------------------------------------------------------------

struct Future {
  std::shared_ptr<Pool> pool;
  std::shared_ptr<TaskJob> job;
};

Future& check_future(lua_State* L, int idx, const char* fname) {
  auto* f = static_cast<Future*>(luaL_testudata(L, idx, kFutureMeta));
  if (!f || !f->job)
    raise(L, fname, "expected a future at argument %d, got %s", idx, luaL_typename(L, idx));
  return *f;
}

double check_timeout(lua_State* L, int idx, const char* fname) {
  if (lua_isnoneornil(L, idx)) return -1;
  if (lua_type(L, idx) != LUA_TNUMBER)
    raise(L, fname, "expected a timeout in seconds, got %s", luaL_typename(L, idx));
  double t = lua_tonumber(L, idx);
  if (!(t >= 0)) raise(L, fname, "the timeout must be >= 0");
  return t;
}

int l_spawn(lua_State* L) {
  const char* fname = "par.spawn";
  if (lua_type(L, 1) != LUA_TFUNCTION)
    raise(L, fname, "expected a function at argument 1, got %s", luaL_typename(L, 1));
  int nargs = lua_gettop(L);
  Pool& pool = get_pool(L, fname);
  par::forget_names(L);
  PoolBox& box = pool_box(L);
  Future* f = push_owned<Future>(L, kFutureMeta);
  guarded(L, fname, [&] {
    f->job = std::make_shared<TaskJob>(TaskJob::Kind::Call, 1, Job::Schedule::Dynamic, 1);
    f->pool = box.pool;
    return 0;
  });
  par::encode(L, 1, nargs, f->job->function, fname, "argument", true);
  guarded(L, fname, [&] {
    pool.submit(f->job);
    return 0;
  });
  return 1;
}

int l_future_wait(lua_State* L) {
  Future& f = check_future(L, 1, "wait");
  double timeout = check_timeout(L, 2, "wait");
  Context& ctx = context(L);
  bool done = guarded(L, "wait", [&] { return wait_job(*f.pool, *f.job, ctx, timeout) ? 1 : 0; });
  lua_pushboolean(L, done);
  return 1;
}

int l_future_done(lua_State* L) {
  Future& f = check_future(L, 1, "done");
  lua_pushboolean(L, f.job->finished());
  return 1;
}

int push_result(lua_State* L, const TaskJob& job, const char* fname) {
  if (job.failed()) raise_job_error(L, fname, job);
  int top = lua_gettop(L);
  par::decode(L, job.result);
  return lua_gettop(L) - top;
}

int l_future_result(lua_State* L) {
  Future& f = check_future(L, 1, "result");
  Context& ctx = context(L);
  guarded(L, "result", [&] { return wait_job(*f.pool, *f.job, ctx) ? 0 : 0; });
  return push_result(L, *f.job, "par.spawn");
}

int l_future_tostring(lua_State* L) {
  Future& f = check_future(L, 1, "tostring");
  lua_pushfstring(L, "<par future: %s>",
                  !f.job->finished() ? "running"
                  : f.job->failed()  ? "failed"
                                     : "done");
  return 1;
}

// Checks that the table at idx holds futures; pushes nothing.
void check_futures(lua_State* L, int idx, const char* fname) {
  if (lua_type(L, idx) != LUA_TTABLE)
    raise(L, fname, "expected a table of futures, got %s", luaL_typename(L, idx));
  auto n = static_cast<lua_Integer>(lua_rawlen(L, idx));
  for (lua_Integer i = 1; i <= n; ++i) {
    lua_rawgeti(L, idx, i);
    if (!luaL_testudata(L, -1, kFutureMeta))
      raise(L, fname, "element %d of the table is a %s, not a future", static_cast<int>(i),
            luaL_typename(L, -1));
    lua_pop(L, 1);
  }
}

Future* future_at(lua_State* L, int table, lua_Integer i) {
  lua_rawgeti(L, table, i);
  auto* f = static_cast<Future*>(lua_touserdata(L, -1));
  lua_pop(L, 1);  // the table keeps it alive
  return f;
}

int l_wait_all(lua_State* L) {
  const char* fname = "par.wait_all";
  check_futures(L, 1, fname);
  auto n = static_cast<lua_Integer>(lua_rawlen(L, 1));
  Context& ctx = context(L);
  for (lua_Integer i = 1; i <= n; ++i) {
    Future* f = future_at(L, 1, i);
    guarded(L, fname, [&] { return wait_job(*f->pool, *f->job, ctx) ? 0 : 0; });
  }
  lua_createtable(L, static_cast<int>(n), 0);
  for (lua_Integer i = 1; i <= n; ++i) {
    Future* f = future_at(L, 1, i);
    int got = push_result(L, *f->job, fname);
    if (got == 0) continue;
    lua_settop(L, lua_gettop(L) - got + 1);
    lua_rawseti(L, -2, i);
  }
  return 1;
}

int l_wait_any(lua_State* L) {
  const char* fname = "par.wait_any";
  check_futures(L, 1, fname);
  double timeout = check_timeout(L, 2, fname);
  auto n = static_cast<lua_Integer>(lua_rawlen(L, 1));
  if (n == 0) raise(L, fname, "expected at least one future");
  Context& ctx = context(L);
  int found = guarded(L, fname, [&] {
    std::vector<const Job*> jobs;
    Pool* pool = nullptr;
    for (lua_Integer i = 1; i <= n; ++i) {
      Future* f = future_at(L, 1, i);
      jobs.push_back(f->job.get());
      pool = f->pool.get();
    }
    int found = pool->wait_any(jobs, timeout, ctx.interrupt.get());
    if (found < 0 && ctx.interrupt->requested()) {
      for (lua_Integer i = 1; i <= n; ++i) {
        Future* f = future_at(L, 1, i);
        f->pool->interrupt(*f->job);
        f->pool->wait(*f->job);
      }
      ctx.interrupt->consume();
      throw Interrupted();
    }
    return found;
  });
  if (found < 0) {
    lua_pushnil(L);
    return 1;
  }
  lua_pushinteger(L, found + 1);
  lua_rawgeti(L, 1, found + 1);
  return 2;
}

// ---- init ----------------------------------------------------------------------

int l_init(lua_State* L) {
  const char* fname = "par.init";
  if (lua_type(L, 1) != LUA_TFUNCTION)
    raise(L, fname, "expected a function at argument 1, got %s", luaL_typename(L, 1));
  lua_settop(L, 1);
  Pool& pool = get_pool(L, fname);
  par::forget_names(L);
  auto* fn = push_owned<std::shared_ptr<Message>>(L, kMessageMeta);
  guarded(L, fname, [&] {
    *fn = std::make_shared<Message>();
    return 0;
  });
  par::encode(L, 1, 1, **fn, fname, "the function", true);
  auto* holder = push_owned<std::shared_ptr<TaskJob>>(L, kJobMeta);
  submit_init(L, pool, *fn, holder);
  if ((*holder)->failed()) raise_job_error(L, fname, **holder);
  PoolBox& box = pool_box(L);
  guarded(L, fname, [&] {
    box.inits.push_back(*fn);
    return 0;
  });
  return 0;
}

int l_workers(lua_State* L) {
  if (in_worker(L)) {
    lua_pushinteger(L, 0);
    return 1;
  }
  Pool& pool = get_pool(L, "par.workers");
  lua_pushinteger(L, pool.workers());
  return 1;
}

int l_worker_id(lua_State* L) {
  if (lua_getfield(L, LUA_REGISTRYINDEX, par::kWorkerKey) == LUA_TNIL) {
    lua_pop(L, 1);
    lua_pushinteger(L, 0);
  }
  return 1;
}

// ---- atomics -------------------------------------------------------------------

using Cell = std::shared_ptr<par::AtomicCell>;

std::atomic<std::int64_t>& check_atomic(lua_State* L, int idx, const char* fname) {
  auto* c = static_cast<Cell*>(luaL_testudata(L, idx, par::kAtomicMeta));
  if (!c || !*c)
    raise(L, fname, "expected an atomic at argument %d, got %s", idx, luaL_typename(L, idx));
  return (*c)->value;
}

std::int64_t check_value(lua_State* L, int idx, const char* fname, std::int64_t fallback) {
  if (lua_isnoneornil(L, idx)) return fallback;
  if (lua_type(L, idx) == LUA_TBOOLEAN) return lua_toboolean(L, idx);
  return check_integer(L, idx, fname, "value");
}

int l_atomic(lua_State* L) {
  std::int64_t v = check_value(L, 1, "par.atomic", 0);
  Cell* c = push_owned<Cell>(L, par::kAtomicMeta);
  guarded(L, "par.atomic", [&] {
    *c = std::make_shared<par::AtomicCell>();
    (*c)->value.store(v);
    return 0;
  });
  return 1;
}

int l_flag(lua_State* L) {
  bool v = lua_toboolean(L, 1);
  Cell* c = push_owned<Cell>(L, par::kAtomicMeta);
  guarded(L, "par.flag", [&] {
    *c = std::make_shared<par::AtomicCell>();
    (*c)->value.store(v ? 1 : 0);
    return 0;
  });
  return 1;
}

int l_at_get(lua_State* L) {
  lua_pushinteger(L, check_atomic(L, 1, "get").load());
  return 1;
}
int l_at_set(lua_State* L) {
  auto& a = check_atomic(L, 1, "set");
  a.store(check_value(L, 2, "set", 1));
  lua_settop(L, 1);
  return 1;
}
int l_at_add(lua_State* L) {
  auto& a = check_atomic(L, 1, "add");
  std::int64_t d = check_value(L, 2, "add", 1);
  lua_pushinteger(L, a.fetch_add(d) + d);
  return 1;
}
int l_at_exchange(lua_State* L) {
  auto& a = check_atomic(L, 1, "exchange");
  lua_pushinteger(L, a.exchange(check_value(L, 2, "exchange", 0)));
  return 1;
}
int l_at_cas(lua_State* L) {
  auto& a = check_atomic(L, 1, "cas");
  std::int64_t expected = check_value(L, 2, "cas", 0);
  std::int64_t desired = check_value(L, 3, "cas", 0);
  bool ok = a.compare_exchange_strong(expected, desired);
  lua_pushboolean(L, ok);
  lua_pushinteger(L, expected);  // the value found
  return 2;
}
int l_at_max(lua_State* L) {
  auto& a = check_atomic(L, 1, "max");
  std::int64_t v = check_value(L, 2, "max", 0);
  std::int64_t cur = a.load();
  while (cur < v && !a.compare_exchange_weak(cur, v)) {}
  lua_pushinteger(L, cur < v ? v : cur);
  return 1;
}
int l_at_min(lua_State* L) {
  auto& a = check_atomic(L, 1, "min");
  std::int64_t v = check_value(L, 2, "min", 0);
  std::int64_t cur = a.load();
  while (cur > v && !a.compare_exchange_weak(cur, v)) {}
  lua_pushinteger(L, cur > v ? v : cur);
  return 1;
}
int l_at_is_set(lua_State* L) {
  lua_pushboolean(L, check_atomic(L, 1, "is_set").load() != 0);
  return 1;
}
int l_at_clear(lua_State* L) {
  check_atomic(L, 1, "clear").store(0);
  lua_settop(L, 1);
  return 1;
}
int l_at_test_and_set(lua_State* L) {
  lua_pushboolean(L, check_atomic(L, 1, "test_and_set").exchange(1) != 0);
  return 1;
}
int l_at_tostring(lua_State* L) {
  lua_pushfstring(L, "<par atomic: %I>",
                  static_cast<lua_Integer>(check_atomic(L, 1, "tostring").load()));
  return 1;
}

const Entry functions[] = {
    {"map", l_map, kFunction, "ts.par.map(fn, items | n [, {chunksize =, schedule =, ordered =}])",
     "Calls fn(item) for each item of the table items (or fn(i) for i = 1..n) on the worker Lua "
     "states (one per ts.threads(), made on first use and reused) and returns the results (the "
     "first value of each call) in order (nil results leave holes). fn travels as bytecode with "
     "its upvalues; items and "
     "results are copied, except arrays, which are shared (see docs/par.md for the rules). "
     "chunksize: items per task (default about n / (4 * workers), as multiprocessing.Pool); "
     "schedule: \"dynamic\" (default: idle workers take the next chunk) or \"static\" (chunk k "
     "goes to worker k mod workers); ordered = false returns the results in completion order "
     "and, second, the item index of each. An error in a worker cancels the remaining items "
     "and is raised here with the worker's message and traceback."},
    {"spawn", l_spawn, kFunction, "ts.par.spawn(fn, ...)",
     "Runs fn(...) on a worker and returns a future at once: f:wait([timeout]) (true when "
     "done), f:done(), f:result() (waits; returns fn's results or raises its error)."},
    {"wait_all", l_wait_all, kFunction, "ts.par.wait_all(futures)",
     "Waits for every future of the table and returns a table of their first results; raises "
     "the first error in table order."},
    {"wait_any", l_wait_any, kFunction, "ts.par.wait_any(futures [, timeout])",
     "Waits until one future of the table is done; returns its index and the future (nil on "
     "timeout)."},
    {"init", l_init, kFunction, "ts.par.init(fn)",
     "Runs fn() once in every worker now, and in every worker made later (to require modules, "
     "set globals); raises its error."},
    {"workers", l_workers, kFunction, "ts.par.workers()",
     "The number of workers (ts.threads(); 0 inside a worker), starting them if needed."},
    {"worker_id", l_worker_id, kFunction, "ts.par.worker_id()",
     "Inside a worker its number (1..workers), else 0."},
    {"atomic", l_atomic, kFunction, "ts.par.atomic([value])",
     "A lock-free 64-bit integer shared with workers (it crosses by reference): a:get(), "
     "a:set(v), a:add([d]) (returns the new value), a:exchange(v), a:cas(expected, new) "
     "(returns success and the value found), a:max(v), a:min(v)."},
    {"flag", l_flag, kFunction, "ts.par.flag([set])",
     "An atomic used as a flag: f:set(), f:clear(), f:is_set(), f:test_and_set() (returns "
     "whether it was already set); for example to stop a parallel search early."},
};

const Entry future_methods[] = {
    {"wait", l_future_wait, kMethod, "f:wait([timeout])",
     "Waits (at most timeout seconds) for the task; true when it is done."},
    {"done", l_future_done, kMethod, "f:done()", "True when the task has finished."},
    {"result", l_future_result, kMethod, "f:result()",
     "Waits for the task and returns its results, or raises its error."},
};

const Entry atomic_methods[] = {
    {"get", l_at_get, kMethod, "a:get()", "The current value."},
    {"set", l_at_set, kMethod, "a:set([v])", "Stores v (default 1); returns a."},
    {"add", l_at_add, kMethod, "a:add([d])",
     "Adds d (default 1) atomically; returns the new value."},
    {"exchange", l_at_exchange, kMethod, "a:exchange(v)", "Stores v; returns the old value."},
    {"cas", l_at_cas, kMethod, "a:cas(expected, new)",
     "Stores new if the value is expected; returns whether it did and the value found."},
    {"max", l_at_max, kMethod, "a:max(v)", "Raises the value to v if smaller; returns the result."},
    {"min", l_at_min, kMethod, "a:min(v)", "Lowers the value to v if larger; returns the result."},
    {"is_set", l_at_is_set, kMethod, "f:is_set()", "True when the value is not zero."},
    {"clear", l_at_clear, kMethod, "f:clear()", "Stores 0; returns f."},
    {"test_and_set", l_at_test_and_set, kMethod, "f:test_and_set()",
     "Stores 1; returns whether the value was already non-zero."},
};

void make_meta(lua_State* L, const Tables& t, const char* meta, const Entry* entries,
               std::size_t count, const char* prefix, lua_CFunction tostring) {
  luaL_newmetatable(L, meta);
  int mt = lua_gettop(L);
  lua_newtable(L);
  install_entries(L, t, lua_gettop(L), entries, count, prefix);
  lua_setfield(L, mt, "__index");
  lua_pushcfunction(L, tostring);
  lua_setfield(L, mt, "__tostring");
  lua_pushstring(L, meta);
  lua_setfield(L, mt, "__name");
  lua_pop(L, 1);
}

void setup(lua_State* L, const Tables& t) {
  int par = module_subtable(L, t, "par");
  install_entries(L, t, par, functions, "par.");
  lua_pop(L, 1);
  make_meta(L, t, kFutureMeta, future_methods, std::size(future_methods), "par.future.",
            l_future_tostring);
  luaL_getmetatable(L, kFutureMeta);
  lua_pushcfunction(L, [](lua_State* L) -> int {
    static_cast<Future*>(lua_touserdata(L, 1))->~Future();
    return 0;
  });
  lua_setfield(L, -2, "__gc");
  lua_pop(L, 1);
  make_meta(L, t, par::kAtomicMeta, atomic_methods, std::size(atomic_methods), "par.atomic.",
            l_at_tostring);
  luaL_getmetatable(L, par::kAtomicMeta);
  lua_pushcfunction(L, [](lua_State* L) -> int {
    static_cast<Cell*>(lua_touserdata(L, 1))->~Cell();
    return 0;
  });
  lua_setfield(L, -2, "__gc");
  lua_pop(L, 1);
}

const bool registered = (register_part(Part{"par", 87, nullptr, 0, setup}), true);

}  // namespace
}  // namespace tessera::lua

namespace tessera::par {

void push_atomic(lua_State* L, const std::shared_ptr<AtomicCell>& cell) {
  void* p = lua_newuserdatauv(L, sizeof(std::shared_ptr<AtomicCell>), 0);
  new (p) std::shared_ptr<AtomicCell>(cell);
  luaL_setmetatable(L, kAtomicMeta);
}

}  // namespace tessera::par
