#include "worker.hpp"

#include <algorithm>
#include <cstdio>
#include <mutex>

#include "../context.hpp"
#include "../lua/registry.hpp"
#include "../runtime.hpp"

namespace tessera::par {
namespace {

std::atomic<std::uint64_t> next_serial{1};

}  // namespace

TaskJob::TaskJob(Kind k, std::int64_t pieces, Schedule schedule, int workers)
    : Job(pieces, schedule, workers), kind(k), serial(next_serial.fetch_add(1)) {}

void capture(lua_State* L, int idx, Slot& slot, const char* fname, const char* what) {
  idx = lua_absindex(L, idx);
  switch (lua_type(L, idx)) {
    case LUA_TNIL: slot.kind = Slot::Nil; return;
    case LUA_TBOOLEAN: slot.kind = lua_toboolean(L, idx) ? Slot::True : Slot::False; return;
    case LUA_TNUMBER:
      if (lua_isinteger(L, idx)) {
        slot.kind = Slot::Int;
        slot.i = lua_tointeger(L, idx);
      } else {
        slot.kind = Slot::Num;
        slot.d = lua_tonumber(L, idx);
      }
      return;
    default: break;
  }
  bool oom = false;
  try {
    if (!slot.msg) slot.msg = std::make_unique<Message>();
    slot.msg->clear();
  } catch (...) {
    oom = true;
  }
  if (oom) luaL_error(L, "%s: not enough memory", fname);
  slot.kind = Slot::Encoded;
  encode(L, idx, 1, *slot.msg, fname, what);
}

void push(lua_State* L, const Slot& slot) {
  switch (slot.kind) {
    case Slot::Nil: lua_pushnil(L); return;
    case Slot::False: lua_pushboolean(L, 0); return;
    case Slot::True: lua_pushboolean(L, 1); return;
    case Slot::Int: lua_pushinteger(L, slot.i); return;
    case Slot::Num: lua_pushnumber(L, slot.d); return;
    case Slot::Encoded: decode(L, *slot.msg); return;
  }
}

namespace {

struct State {
  int index = 0;
  lua_State* L = nullptr;
  Context* ctx = nullptr;
  char start_error[512] = {};
  std::uint64_t serial = 0;  // job whose function is loaded
  int fn_ref = LUA_NOREF;
  int run_ref = LUA_NOREF;        // run_piece as a closure over the Context
  std::uint64_t allocations = 0;  // the account's count when the job started
  const Job* current = nullptr;   // the job of the piece running (LuaHooks::mu_)
};

struct PieceCall {
  State* st;
  TaskJob* job;
  std::int64_t piece;
  std::int64_t item;  // the item being worked on, for errors
};

Context* context_of(lua_State* L) {
  lua_getfield(L, LUA_REGISTRYINDEX, "tessera.Context");
  auto** box = static_cast<Context**>(lua_touserdata(L, -1));
  lua_pop(L, 1);
  return box ? *box : nullptr;
}

// Pushes the C function f as a closure over the state's Context userdata
// (what binding helpers such as push_array expect as upvalue 1).
void push_with_context(lua_State* L, lua_CFunction f) {
  lua_getfield(L, LUA_REGISTRYINDEX, "tessera.Context");
  lua_pushcclosure(L, f, 1);
}

// The message handler of task calls: the message and a traceback (as
// call_with_traceback's).
int traceback(lua_State* L) {
  const char* msg = lua_tostring(L, 1);
  if (msg == nullptr) {
    if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING) return 1;
    msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
  }
  luaL_traceback(L, L, msg, 1);
  return 1;
}

void fail_with_top(TaskJob& job, lua_State* L, std::int64_t item) {
  const char* msg = lua_tostring(L, -1);
  job.fail(item, msg ? msg : "(error object is not a string)");
}

// Loads the job's function (and, for Call, its arguments) when this worker
// meets the job for the first time; leaves the function in the registry.
void ensure_function(lua_State* L, State& st, TaskJob& job) {
  if (st.serial == job.serial) return;
  if (st.fn_ref != LUA_NOREF) luaL_unref(L, LUA_REGISTRYINDEX, st.fn_ref);
  st.fn_ref = LUA_NOREF;
  st.serial = 0;
  if (job.kind == TaskJob::Kind::Call) return;  // decoded with its arguments
  decode(L, job.function);
  st.fn_ref = luaL_ref(L, LUA_REGISTRYINDEX);
  st.serial = job.serial;
}

int run_piece(lua_State* L) {
  auto& pc = *static_cast<PieceCall*>(lua_touserdata(L, 1));
  State& st = *pc.st;
  TaskJob& job = *pc.job;
  lua_settop(L, 0);
  if (st.serial != job.serial && st.serial == 0) st.allocations = st.ctx->account->allocations();
  switch (job.kind) {
    case TaskJob::Kind::Call: {
      pc.item = 0;
      decode(L, job.function);  // function, arguments...
      int nargs = lua_gettop(L) - 1;
      if (!call_with_traceback(L, nargs, LUA_MULTRET)) {
        fail_with_top(job, L, 0);
        return 0;
      }
      encode(L, 1, lua_gettop(L), job.result, "par.spawn", "result");
      return 0;
    }
    case TaskJob::Kind::Init: {
      ensure_function(L, st, job);
      pc.item = st.index;
      lua_rawgeti(L, LUA_REGISTRYINDEX, st.fn_ref);
      if (!call_with_traceback(L, 0, 0)) fail_with_top(job, L, st.index);
      return 0;
    }
    case TaskJob::Kind::Map: break;
  }
  ensure_function(L, st, job);
  const std::int64_t lo = pc.piece * job.chunk;
  const std::int64_t hi = std::min(job.n, lo + job.chunk);
  char what[48];
  lua_pushcfunction(L, traceback);               // index 1, for every item of the piece
  lua_rawgeti(L, LUA_REGISTRYINDEX, st.fn_ref);  // index 2
  for (std::int64_t i = lo; i < hi; ++i) {
    if (job.cancelled()) return 0;
    pc.item = i;
    lua_pushvalue(L, 2);
    if (job.range) lua_pushinteger(L, i + 1);
    else push(L, job.items[static_cast<std::size_t>(i)]);
    if (lua_pcall(L, 1, 1, 1) != LUA_OK) {
      fail_with_top(job, L, i);
      return 0;
    }
    Slot& slot = job.results[static_cast<std::size_t>(i)];
    if (lua_isnil(L, 3)) {
      slot.kind = Slot::Nil;
    } else {
      std::snprintf(what, sizeof what, "the result of item %lld", static_cast<long long>(i + 1));
      capture(L, 3, slot, "par.map", what);
    }
    lua_settop(L, 2);
    if (!job.ordered) job.order[static_cast<std::size_t>(job.order_pos.fetch_add(1))] = i;
  }
  return 0;
}

// Runs in the new state, protected: libraries, the tessera module (global
// `ts`), the caller's package paths, the shared account and arena.
int open_state(lua_State* L) {
  const auto& setup = *static_cast<const WorkerSetup*>(lua_touserdata(L, 1));
  auto index = static_cast<int>(lua_tointeger(L, 2));
  luaL_openlibs(L);
  lua_getglobal(L, "package");
  lua_pushlstring(L, setup.path.data(), setup.path.size());
  lua_setfield(L, -2, "path");
  lua_pushlstring(L, setup.cpath.data(), setup.cpath.size());
  lua_setfield(L, -2, "cpath");
  lua_pop(L, 1);
  lua_pushinteger(L, index + 1);
  lua_setfield(L, LUA_REGISTRYINDEX, kWorkerKey);
  luaL_requiref(L, "tessera", luaopen_tessera, 0);
  lua_setglobal(L, "ts");
  return 0;
}

class LuaHooks : public Hooks {
 public:
  explicit LuaHooks(WorkerSetup setup) : setup_(std::move(setup)) {}

  void* start(int worker) override {
    auto* st = new State();
    st->index = worker;
    lua_State* L = luaL_newstate();
    if (!L) {
      std::snprintf(st->start_error, sizeof st->start_error, "cannot create a Lua state");
      return st;
    }
    lua_pushcfunction(L, open_state);
    lua_pushlightuserdata(L, &setup_);
    lua_pushinteger(L, worker);
    if (!call_with_traceback(L, 2, 0)) {
      std::snprintf(st->start_error, sizeof st->start_error, "starting a worker: %s",
                    lua_tostring(L, -1) ? lua_tostring(L, -1) : "(error)");
      lua_close(L);
      return st;
    }
    st->L = L;
    push_with_context(L, run_piece);
    st->run_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    st->ctx = context_of(L);
    st->ctx->account = setup_.account;
    if (setup_.arena) st->ctx->parallel.use_arena(setup_.threads, setup_.arena);
    else st->ctx->parallel.set_threads(1);
    std::lock_guard<std::mutex> lock(mu_);
    states_.push_back(st);
    return st;
  }

  void run(void* state, Job& job, std::int64_t piece) override {
    auto& st = *static_cast<State*>(state);
    auto& tj = static_cast<TaskJob&>(job);
    if (!st.L) {
      tj.fail(-1, st.start_error);
      return;
    }
    if (!begin_piece(st, tj)) return;
    lua_State* L = st.L;
    PieceCall pc{&st, &tj, piece, -1};
    lua_rawgeti(L, LUA_REGISTRYINDEX, st.run_ref);
    lua_pushlightuserdata(L, &pc);
    if (lua_pcall(L, 1, 0, 0) != LUA_OK) {
      fail_with_top(tj, L, pc.item);
      lua_pop(L, 1);
    }
    lua_settop(L, 0);
    std::lock_guard<std::mutex> lock(mu_);
    st.current = nullptr;
  }

  // Stops the workers running pieces of job: their kernels at the next
  // block, their Lua code at the next instruction (the piece fails; the job
  // was cancelled first, so later pieces do not start).
  void interrupt(Job& job) override {
    std::lock_guard<std::mutex> lock(mu_);
    for (State* st : states_)
      if (st->current == &job) st->ctx->hooks.request_interrupt();
  }

  void leave(void* state, Job&) override {
    auto& st = *static_cast<State*>(state);
    if (!st.L) return;
    if (st.fn_ref != LUA_NOREF) luaL_unref(st.L, LUA_REGISTRYINDEX, st.fn_ref);
    st.fn_ref = LUA_NOREF;
    st.serial = 0;
    forget_names(st.L);
    if (st.ctx->account->allocations() != st.allocations) lua_gc(st.L, LUA_GCCOLLECT);
  }

  void stop(void* state) override {
    auto* st = static_cast<State*>(state);
    {
      std::lock_guard<std::mutex> lock(mu_);
      states_.erase(std::remove(states_.begin(), states_.end(), st), states_.end());
    }
    if (st->L) lua_close(st->L);
    delete st;
  }

 private:
  // Marks the piece as running (interruptible) with a fresh interrupt flag:
  // a request that came too late for an earlier piece must not stop this
  // one. False when the job was cancelled meanwhile.
  bool begin_piece(State& st, const Job& job) {
    std::lock_guard<std::mutex> lock(mu_);
    st.ctx->interrupt->clear();
    st.current = job.cancelled() ? nullptr : &job;
    return st.current != nullptr;
  }

  WorkerSetup setup_;
  std::mutex mu_;
  std::vector<State*> states_;  // the workers whose Lua state started
};

}  // namespace

std::shared_ptr<Hooks> make_lua_hooks(WorkerSetup setup) {
  return std::make_shared<LuaHooks>(std::move(setup));
}

}  // namespace tessera::par
