#include "runtime.hpp"

#include <lua.hpp>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "context.hpp"
#include "embed/lua_values.hpp"
#include "embed/native.hpp"
#include "embed/sandbox.hpp"
#include "lua/registry.hpp"

namespace tessera {
namespace {

int traceback_handler(lua_State* L) {
  const char* msg = lua_tostring(L, 1);
  if (msg == nullptr) {
    if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING) return 1;
    msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
  }
  luaL_traceback(L, L, msg, 1);
  return 1;
}

int pcall_traceback(lua_State* L, int nargs, int nresults) {
  int base = lua_gettop(L) - nargs;
  lua_pushcfunction(L, traceback_handler);
  lua_insert(L, base);
  int status = lua_pcall(L, nargs, nresults, base);
  lua_remove(L, base);
  return status;
}

// The Lua heap of a runtime with a memory limit: counted in its account,
// refused beyond the limit (Lua then collects garbage and retries once).
struct Heap {
  std::shared_ptr<MemoryAccount> account;
  std::atomic<bool> refused{false};
};

void* limited_alloc(void* ud, void* ptr, std::size_t osize, std::size_t nsize) {
  auto* heap = static_cast<Heap*>(ud);
  std::size_t old = ptr ? osize : 0;
  if (nsize == 0) {
    std::free(ptr);
    heap->account->add_heap(-static_cast<std::ptrdiff_t>(old));
    return nullptr;
  }
  if (nsize > old && !heap->account->fits(nsize - old)) {
    heap->refused.store(true, std::memory_order_relaxed);
    return nullptr;
  }
  void* p = std::realloc(ptr, nsize);
  if (p)
    heap->account->add_heap(static_cast<std::ptrdiff_t>(nsize) - static_cast<std::ptrdiff_t>(old));
  return p;
}

// Instruction and time budgets of one run/call, checked by a count hook.
struct Budget {
  std::uint64_t instructions = 0;
  std::chrono::milliseconds time{0};
  std::uint64_t used = 0;
  std::chrono::steady_clock::time_point deadline;
  bool exceeded = false;
  Hooks* hooks = nullptr;
  Hooks::Client client;
};

[[noreturn]] void raise_at(lua_State* L, const char* message) {
  luaL_where(L, 0);  // in a hook, level 0 is the running Lua function
  lua_pushstring(L, message);
  lua_concat(L, 2);
  lua_error(L);
  std::abort();  // not reached
}

void budget_event(lua_State* L, lua_Debug*, Hooks::Why why, void* data) {
  if (why != Hooks::Why::Event) return;
  auto& b = *static_cast<Budget*>(data);
  b.used += static_cast<std::uint64_t>(lua_gethookcount(L));  // instructions since the last event
  if (!b.exceeded) {
    b.exceeded = (b.instructions && b.used >= b.instructions) ||
                 (b.time.count() && std::chrono::steady_clock::now() >= b.deadline);
    if (!b.exceeded) return;
    // From now on every instruction raises, so a script that catches the
    // error (pcall, coroutine.resume) fails at its next instruction outside.
    b.client.count = 1;
    b.hooks->set(Hooks::kBudget, b.client);
  }
  char message[96];
  if (b.instructions && b.used >= b.instructions)
    std::snprintf(message, sizeof message, "instruction budget of %llu exceeded",
                  static_cast<unsigned long long>(b.instructions));
  else
    std::snprintf(message, sizeof message, "time budget of %lld ms exceeded",
                  static_cast<long long>(b.time.count()));
  raise_at(L, message);
}

std::string source_name(const std::string& chunkname) {
  if (!chunkname.empty() && (chunkname[0] == '=' || chunkname[0] == '@'))
    return chunkname.substr(1);
  return chunkname;
}

}  // namespace

struct Runtime::Impl {
  lua_State* L = nullptr;
  Context* ctx = nullptr;
  Options options;
  Heap heap;
  Budget budget;
  int depth = 0;  // nesting of run/call (a registered function may call back)

  ~Impl() {
    if (L) lua_close(L);
  }

  [[noreturn]] void throw_script_error(int status) {
    std::string full = embed::pop_message(L);
    if (status == LUA_ERRMEM && heap.refused.load(std::memory_order_relaxed))
      full = "memory limit of " + std::to_string(options.memory_limit) + " bytes exceeded";
    std::string::size_type cut = full.find("\nstack traceback:");
    if (cut == std::string::npos) throw ScriptError(full, "");
    throw ScriptError(full.substr(0, cut), full.substr(cut + 1));
  }

  void start_budget() {
    heap.refused.store(false, std::memory_order_relaxed);
    if (!options.instruction_budget && !options.time_budget.count()) return;
    budget.instructions = options.instruction_budget;
    budget.time = options.time_budget;
    budget.used = 0;
    budget.exceeded = false;
    budget.deadline = std::chrono::steady_clock::now() + options.time_budget;
    budget.hooks = &ctx->hooks;
    Hooks::Client& client = budget.client;
    client.mask = LUA_MASKCOUNT;
    client.count = 1000;
    if (budget.instructions && budget.instructions < 1000)
      client.count = static_cast<int>(budget.instructions);
    client.on_event = budget_event;
    client.data = &budget;
    ctx->hooks.set(Hooks::kBudget, client);
  }
  void stop_budget() {
    if (options.instruction_budget || options.time_budget.count()) ctx->hooks.clear(Hooks::kBudget);
  }

  // The outermost run/call of a runtime starts its budgets and stops them.
  class Entry {
   public:
    explicit Entry(Impl& impl) : impl_(impl) {
      if (impl_.depth++ == 0) impl_.start_budget();
    }
    ~Entry() {
      if (--impl_.depth == 0) impl_.stop_budget();
    }
    Entry(const Entry&) = delete;
    Entry& operator=(const Entry&) = delete;

   private:
    Impl& impl_;
  };
};

bool call_with_traceback(lua_State* L, int nargs, int nresults) {
  return pcall_traceback(L, nargs, nresults) == LUA_OK;
}

Runtime::Runtime() : Runtime(Options{}) {}

Runtime::Runtime(const Options& options) : impl_(std::make_unique<Impl>()) {
  impl_->options = options;
  lua_State* L = impl_->L = luaL_newstate();
  if (!L) throw std::bad_alloc();
  luaL_openlibs(L);
  // Array temporaries die young: generational mode frees them (and returns
  // their buffers to the pool) in cheap young collections.
  lua_gc(L, LUA_GCGEN, 0, 0);
  lua_pushcfunction(L, [](lua_State* S) -> int {
    luaL_requiref(S, "tessera", luaopen_tessera, 0);
    lua_setglobal(S, "ts");
    return 0;
  });
  if (!call_with_traceback(L, 0, 0))
    throw ScriptError("loading tessera: " + embed::pop_message(L), "");
  lua_getfield(L, LUA_REGISTRYINDEX, "tessera.Context");
  impl_->ctx = *static_cast<Context**>(lua_touserdata(L, -1));
  lua_pop(L, 1);

  if (options.threads > 0) impl_->ctx->parallel.set_threads(options.threads);
  if (options.libraries == Libraries::Safe && embed::apply_safe_libraries(L) != LUA_OK)
    throw ScriptError("sandboxing: " + embed::pop_message(L), "");
  if (std::size_t limit = options.memory_limit) {
    lua_gc(L, LUA_GCCOLLECT);
    auto& account = impl_->ctx->account;
    std::size_t heap =
        std::size_t(lua_gc(L, LUA_GCCOUNT)) * 1024 + std::size_t(lua_gc(L, LUA_GCCOUNTB));
    account->add_heap(static_cast<std::ptrdiff_t>(heap));
    account->set_limit(limit);
    account->pool().set_limit(std::min(limit / 4, std::size_t{256} << 20));  // pooled: not counted
    impl_->heap.account = account;
    lua_setallocf(L, limited_alloc, &impl_->heap);
    if (!account->fits(0))
      throw Error("memory limit of " + std::to_string(limit) + " bytes is below the " +
                  std::to_string(heap + account->live_bytes()) + " bytes a runtime needs");
  }
}

Runtime::~Runtime() = default;
Runtime::Runtime(Runtime&& other) noexcept = default;
Runtime& Runtime::operator=(Runtime&& other) noexcept = default;

Results Runtime::run(std::string_view code, const std::string& chunkname) {
  lua_State* L = impl_->L;
  Impl::Entry entry(*impl_);
  int base = lua_gettop(L);
  int status = luaL_loadbufferx(L, code.data(), code.size(), chunkname.c_str(), "t");
  if (status == LUA_OK) status = pcall_traceback(L, 0, LUA_MULTRET);
  if (status != LUA_OK) impl_->throw_script_error(status);
  return Results(embed::take_values(L, base + 1), source_name(chunkname));
}

Results Runtime::run_file(const std::string& path) {
  lua_State* L = impl_->L;
  Impl::Entry entry(*impl_);
  int base = lua_gettop(L);
  int status = luaL_loadfilex(L, path.c_str(), "t");
  if (status == LUA_OK) status = pcall_traceback(L, 0, LUA_MULTRET);
  if (status != LUA_OK) impl_->throw_script_error(status);
  return Results(embed::take_values(L, base + 1), path);
}

namespace {

struct CallJob {
  const char* fn;
  const std::vector<Value>* args;
};

int prepare_call(lua_State* L, void* p) {
  auto& job = *static_cast<CallJob*>(p);
  embed::push_path(L, job.fn, "call");
  if (lua_type(L, -1) != LUA_TFUNCTION) {
    if (luaL_getmetafield(L, -1, "__call") == LUA_TNIL)
      luaL_error(L, "call '%s': not a function (a %s value)", job.fn, luaL_typename(L, -1));
    lua_pop(L, 1);  // callable through __call: the value itself is called
  }
  luaL_checkstack(L, static_cast<int>(job.args->size()) + 2, "too many arguments");
  for (const Value& v : *job.args) embed::push_value(L, v);
  return lua_gettop(L);
}

struct SetJob {
  const char* name;
  const Value* value;
};

// Pushes the table that holds the last part of a dotted path, and that part.
void push_parent(lua_State* L, const char* path, const char* what) {
  const char* last = std::strrchr(path, '.');
  if (last) {
    lua_pushlstring(L, path, static_cast<std::size_t>(last - path));
    embed::push_path(L, lua_tostring(L, -1), what);
    lua_remove(L, -2);
    if (!lua_istable(L, -1))
      luaL_error(L, "%s '%s': the parent is not a table (a %s value)", what, path,
                 luaL_typename(L, -1));
    lua_pushstring(L, last + 1);
  } else {
    lua_pushglobaltable(L);
    lua_pushstring(L, path);
  }
}

int set_body(lua_State* L, void* p) {
  auto& job = *static_cast<SetJob*>(p);
  push_parent(L, job.name, "set");
  embed::push_value(L, *job.value);
  lua_settable(L, -3);
  return 0;
}

int get_body(lua_State* L, void* name) {
  embed::push_path(L, static_cast<const char*>(name), "get");
  return 1;
}

}  // namespace

Results Runtime::call_values(const std::string& fn, std::vector<Value> args) {
  lua_State* L = impl_->L;
  Impl::Entry entry(*impl_);
  int base = lua_gettop(L);
  CallJob job{fn.c_str(), &args};
  int status = embed::protect(L, prepare_call, &job, LUA_MULTRET);
  if (status != LUA_OK) impl_->throw_script_error(status);
  args.clear();
  status = pcall_traceback(L, lua_gettop(L) - base - 1, LUA_MULTRET);
  if (status != LUA_OK) impl_->throw_script_error(status);
  return Results(embed::take_values(L, base + 1), fn);
}

void Runtime::set_value(const std::string& name, const Value& value) {
  SetJob job{name.c_str(), &value};
  int status = embed::protect(impl_->L, set_body, &job, 0);
  if (status != LUA_OK) impl_->throw_script_error(status);
}

Value Runtime::get_value(const std::string& name) {
  lua_State* L = impl_->L;
  int status = embed::protect(L, get_body, const_cast<char*>(name.c_str()), 1);
  if (status != LUA_OK) impl_->throw_script_error(status);
  Value v = embed::to_value(L, -1);
  lua_pop(L, 1);
  return v;
}

void Runtime::define(const std::string& table, const std::string& name,
                     std::unique_ptr<detail::NativeFunction> fn) {
  embed::define_native(impl_->L, table, name, std::move(fn));
}

Runtime::Module Runtime::module(const std::string& name) {
  embed::make_module(impl_->L, name);
  return Module(this, name);
}

void Runtime::interrupt() noexcept {
  if (impl_ && impl_->ctx) impl_->ctx->hooks.request_interrupt();
}

const Options& Runtime::options() const { return impl_->options; }
Context& Runtime::context() const { return *impl_->ctx; }
std::shared_ptr<MemoryAccount> Runtime::account() const { return impl_->ctx->account; }
lua_State* Runtime::state() const { return impl_ ? impl_->L : nullptr; }

}  // namespace tessera
