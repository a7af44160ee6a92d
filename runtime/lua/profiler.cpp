#include "profiler.hpp"

#include <algorithm>
#include <cstring>

#include "../context.hpp"
#include "../prof/clock.hpp"
#include "../prof/memory_sites.hpp"
#include "binding.hpp"

namespace tessera::lua {

std::atomic<int> native_profilers{0};

namespace {

const char kActiveKey = 0;  // registry[&kActiveKey] = light userdata Session* while running
constexpr int kMaxDepth = 256;
constexpr std::uint32_t kIgnored = ~std::uint32_t{0};

// The state whose native call is running on this thread (for memory sites).
thread_local lua_State* calling_state = nullptr;

std::string lua_function_name(const lua_Debug& ar) {
  if (std::strcmp(ar.what, "main") == 0) return std::string("main chunk (") + ar.short_src + ")";
  std::string name = ar.name ? ar.name : "<anonymous>";
  return name + " (" + ar.short_src + ":" + std::to_string(ar.linedefined) + ")";
}

// Whether the function at fn is one of the module's (they close over the
// Context userdata, registry["tessera.Context"]).
bool is_module_function(lua_State* L, int fn) {
  if (!lua_getupvalue(L, fn, 1)) return false;
  lua_getfield(L, LUA_REGISTRYINDEX, "tessera.Context");
  bool same = lua_rawequal(L, -1, -2);
  lua_pop(L, 2);
  return same;
}

// The field of the array metatable holding the function at fn ("__mul"), or
// an empty string. (The call's own name, from lua_getinfo "n", is unreliable
// for metamethods called from a hook.)
std::string metamethod_name(lua_State* L, int fn) {
  std::string name;
  if (luaL_getmetatable(L, kArrayMeta) == LUA_TTABLE) {
    lua_pushnil(L);
    while (name.empty() && lua_next(L, -2)) {
      if (lua_type(L, -2) == LUA_TSTRING && lua_rawequal(L, -1, fn)) name = lua_tostring(L, -2);
      lua_pop(L, 1);
    }
  }
  lua_settop(L, fn);
  return name;
}

// "[native] name" for the module's functions (the function is on the top of
// the stack; the name from the help registry, the array metatable or the
// call), "[C] name" for other C functions.
std::string c_function_name(lua_State* L, lua_Debug* ar) {
  std::string name;
  int fn = lua_gettop(L);
  if (lua_rawgetp(L, LUA_REGISTRYINDEX, &kHelpKey) == LUA_TTABLE) {
    lua_pushvalue(L, fn);
    if (lua_rawget(L, -2) == LUA_TTABLE && lua_getfield(L, -1, "name") == LUA_TSTRING)
      name = std::string("[native] ") + lua_tostring(L, -1);
  }
  lua_settop(L, fn);
  if (name.empty()) name = metamethod_name(L, fn);
  if (!name.empty() && name[0] != '[') name = "[native] " + name;
  if (name.empty()) {
    lua_getinfo(L, "n", ar);
    const char* called = ar->name ? ar->name : "?";
    name = (is_module_function(L, fn) ? "[native] " : "[C] ") + std::string(called);
  }
  return name;
}

}  // namespace

const char kHelpKey = 0;

// Memory sites named by the first Lua line outside the stdlib on the stack
// of the native call that allocates (the innermost Lua line when all are in
// the stdlib).
class SiteFinder : public prof::MemorySites {
 protected:
  std::uint32_t current_site() override {
    lua_State* L = calling_state;
    if (!L) return 0;
    lua_Debug ar;
    std::string where;
    for (int level = 1; lua_getstack(L, level, &ar); ++level) {
      lua_getinfo(L, "Sl", &ar);
      if (ar.currentline <= 0) continue;
      bool stdlib = std::strncmp(ar.source, "@tessera/", 9) == 0;
      if (where.empty() || !stdlib)
        where = std::string(ar.short_src) + ":" + std::to_string(ar.currentline);
      if (!stdlib) break;
    }
    return where.empty() ? 0 : site(where);
  }
};

Session::Session(Context& ctx, Mode mode, std::chrono::nanoseconds interval)
    : hooks_(ctx.hooks), account_(ctx.account), mode_(mode), interval_(interval),
      sites_(std::make_shared<SiteFinder>()) {}

Session::~Session() {
  if (running_) stop();
}

Session* Session::active(lua_State* L) {
  lua_rawgetp(L, LUA_REGISTRYINDEX, &kActiveKey);
  void* s = lua_touserdata(L, -1);
  lua_pop(L, 1);
  return static_cast<Session*>(s);
}

const prof::MemorySites& Session::memory() const { return *sites_; }

void Session::set_active(lua_State* L, Session* s) {
  if (s) lua_pushlightuserdata(L, s);
  else lua_pushnil(L);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &kActiveKey);
}

void Session::start() {
  running_ = true;
  started_ = prof::now_ns();
  native_profilers.fetch_add(1, std::memory_order_relaxed);
  account_->pool().observe(sites_);
  Hooks::Client client;
  client.on_event = on_event;
  client.data = this;
  if (mode_ == Mode::Exact) {
    client.mask = LUA_MASKCALL | LUA_MASKRET;
  } else {
    auto tick = [](void* hooks) { static_cast<Hooks*>(hooks)->poke(Hooks::kProfiler); };
    sampler_ = std::make_unique<prof::Sampler>(interval_, tick, &hooks_);
  }
  hooks_.set(Hooks::kProfiler, client);
}

void Session::stop() {
  std::int64_t now = prof::now_ns();
  sampler_.reset();
  hooks_.clear(Hooks::kProfiler);
  for (auto& [state, stack] : stacks_) close_from(stack, 0, now);
  stacks_.clear();
  last_stack_ = {nullptr, nullptr};
  account_->pool().observe(nullptr);
  native_profilers.fetch_sub(1, std::memory_order_relaxed);
  stopped_ = now;
  running_ = false;
}

double Session::duration() const {
  std::int64_t end = running_ ? prof::now_ns() : stopped_;
  return double(end - started_) * 1e-9;
}

double Session::unit() const { return mode_ == Mode::Exact ? 1e-9 : interval(); }

void Session::on_event(lua_State* L, lua_Debug* ar, Hooks::Why why, void* data) {
  auto* s = static_cast<Session*>(data);
  if (why == Hooks::Why::Poke) {
    if (!s->sampler_) return;
    std::int64_t ticks = s->sampler_->take_ticks();
    if (ticks > 0) s->sample(L, 0, ticks, -1);
    return;
  }
  std::int64_t now = prof::now_ns();
  if (ar->event == LUA_HOOKCALL || ar->event == LUA_HOOKTAILCALL) s->on_call(L, ar, now);
  else if (ar->event == LUA_HOOKRET) s->on_return(L, ar, now);
}

void Session::ignore(lua_CFunction f) { c_ids_[reinterpret_cast<const void*>(f)] = kIgnored; }

Session::Stack& Session::stack_of(lua_State* L) {
  if (last_stack_.first != L) last_stack_ = {L, &stacks_[L]};
  return *last_stack_.second;
}

// A call whose CallInfo an open frame still holds ends that frame and those
// above it: they were left by an error (no return event) or by a tail call.
void Session::on_call(lua_State* L, lua_Debug* ar, std::int64_t now) {
  Stack& s = stack_of(L);
  auto it = s.at.find(ar->i_ci);
  if (it != s.at.end()) close_from(s, it->second, now);
  std::uint32_t func = function_id(L, ar);
  if (func == kIgnored) return;
  std::uint32_t parent = s.frames.empty() ? prof::CallTree::kRoot : s.frames.back().node;
  std::uint32_t node = tree_.child(parent, func);
  ++tree_.node(node).calls;
  s.at[ar->i_ci] = s.frames.size();
  s.frames.push_back(Frame{ar->i_ci, node, prof::now_ns(), 0});
}

void Session::on_return(lua_State* L, lua_Debug* ar, std::int64_t now) {
  Stack& s = stack_of(L);
  auto it = s.at.find(ar->i_ci);
  if (it != s.at.end()) close_from(s, it->second, now);  // else: called before start()
}

void Session::close_from(Stack& s, std::size_t index, std::int64_t now) {
  while (s.frames.size() > index) {
    Frame f = s.frames.back();
    s.frames.pop_back();
    s.at.erase(f.ci);
    std::int64_t elapsed = now - f.start;
    prof::CallTree::Node& n = tree_.node(f.node);
    n.total += elapsed;
    n.self += elapsed - f.child;
    if (!s.frames.empty()) s.frames.back().child += elapsed;
  }
}

std::uint32_t Session::function_id(lua_State* L, lua_Debug* ar) {
  lua_getinfo(L, "Sf", ar);
  if (ar->what[0] == 'C') {
    const void* key = reinterpret_cast<const void*>(lua_tocfunction(L, -1));
    auto it = c_ids_.find(key);
    std::uint32_t id = it != c_ids_.end() ? it->second : 0;
    if (it == c_ids_.end()) id = c_ids_[key] = funcs_.intern(c_function_name(L, ar));
    lua_pop(L, 1);
    return id;
  }
  lua_pop(L, 1);
  auto key = reinterpret_cast<std::uintptr_t>(ar->source) * 31 + std::uint64_t(ar->linedefined);
  LuaKey& k = lua_ids_[key];
  if (k.line == ar->linedefined && k.source == ar->source && !k.source.empty()) return k.id;
  lua_getinfo(L, "n", ar);
  k.source = ar->source;
  k.line = ar->linedefined;
  k.id = funcs_.intern(lua_function_name(*ar));
  return k.id;
}

void Session::sample(lua_State* L, int level, std::int64_t weight, long leaf) {
  // function_id pushes a few values; a native call may have used its slots.
  if (!lua_checkstack(L, 8)) return;
  path_.clear();
  lua_Debug ar;
  for (int l = level; l < level + kMaxDepth && lua_getstack(L, l, &ar); ++l)
    if (std::uint32_t id = function_id(L, &ar); id != kIgnored) path_.push_back(id);
  std::reverse(path_.begin(), path_.end());
  if (leaf >= 0) path_.push_back(static_cast<std::uint32_t>(leaf));
  tree_.add_sample(path_.data(), path_.size(), weight);
  samples_ += weight;
}

void Session::native_done(lua_State* L, const char* fname, std::int64_t ns, std::uint64_t bytes) {
  natives_.add(fname, ns, bytes);
  if (!sampler_) return;
  // Ticks during the call belong to it: sample now, below the Lua caller.
  std::int64_t ticks = sampler_->take_ticks();
  if (ticks > 0) sample(L, 1, ticks, funcs_.intern(std::string("[native] ") + fname));
}

void probe_begin(lua_State* L, NativeProbe& p) {
  auto* s = Session::active(L);
  p.session = s;
  if (!s) return;
  p.outer = calling_state;
  calling_state = L;
  int top = lua_gettop(L);
  for (int i = 1; i <= top; ++i) {
    Array* a = to_array(L, i);
    if (!a) continue;
    bool seen = false;
    for (int j = 0; j < p.arrays; ++j) seen = seen || p.handle[j] == a;
    if (seen) continue;
    std::size_t nbytes = a->valid() ? a->nbytes() : 0;
    p.bytes_in += nbytes;
    if (p.arrays < NativeProbe::kArrays) {
      p.handle[p.arrays] = a;
      p.nbytes[p.arrays++] = nbytes;
    }
  }
  p.start_ns = prof::now_ns();
}

// Results that were arguments count only what they grew by (a result slot
// pushed before the body was empty; an `out` argument was counted as input).
void probe_end(lua_State* L, const char* fname, NativeProbe& p, int nresults) {
  if (!p.session) return;
  std::int64_t ns = prof::now_ns() - p.start_ns;
  calling_state = p.outer;
  std::uint64_t bytes = p.bytes_in;
  int top = lua_gettop(L);
  for (int i = top - std::min(nresults, top) + 1; nresults > 0 && i <= top; ++i) {
    Array* a = to_array(L, i);
    if (!a || !a->valid()) continue;
    std::size_t before = 0;
    for (int j = 0; j < p.arrays; ++j)
      if (p.handle[j] == a) before = p.nbytes[j];
    if (a->nbytes() > before) bytes += a->nbytes() - before;
  }
  static_cast<Session*>(p.session)->native_done(L, fname, ns, bytes);
}

}  // namespace tessera::lua
