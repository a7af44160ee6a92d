// The native side of ts.jit and ts.eval (stdlib/jit.lua traces; this file
// compiles, caches and runs). ts._jit_new(compile) returns the function the
// user calls, a C closure over a JitState that holds one compiled program per
// call signature (argument dtypes and number kinds). A call whose signature
// has no program yet calls compile(args...) (Lua: trace if needed, then
// ts._jit_compile) before anything with a destructor is alive.
#include <cstdio>
#include <cstring>
#include <memory>
#include <new>
#include <string>
#include <utility>
#include <vector>

#include "../jit/exec.hpp"
#include "../jit/program.hpp"
#include "binding.hpp"
#include "registry.hpp"

namespace tessera::lua {
namespace {

constexpr const char* kStateMeta = "tessera.JitState";
constexpr const char* kName = "jit";

struct Compiled {
  jit::Signature sig;
  std::unique_ptr<jit::Program> program;
  std::string listing;
};

struct JitState {
  std::vector<Compiled> programs;
  std::size_t last = 0;
  bool exact = false;

  const jit::Program* find(const jit::Signature& s) {
    if (last < programs.size() && programs[last].sig == s) return programs[last].program.get();
    for (std::size_t k = 0; k < programs.size(); ++k)
      if (programs[k].sig == s) {
        last = k;
        return programs[k].program.get();
      }
    return nullptr;
  }
};

int state_gc(lua_State* L) {
  auto* st = static_cast<JitState*>(luaL_checkudata(L, 1, kStateMeta));
  st->~JitState();
  return 0;
}

JitState* check_state(lua_State* L, int idx) {
  return static_cast<JitState*>(luaL_checkudata(L, idx, kStateMeta));
}

// Arguments first .. first+n-1 into a signature and a call.
void classify(lua_State* L, int first, int n, jit::Signature& sig, jit::Call& call) {
  if (n > jit::kMaxArgs) raise(L, kName, "at most %d arguments, got %d", jit::kMaxArgs, n);
  sig.n = n;
  for (int k = 0; k < n; ++k) {
    const int idx = first + k;
    switch (lua_type(L, idx)) {
      case LUA_TNIL: sig.code[k] = jit::Signature::kNil; break;
      case LUA_TBOOLEAN:
        sig.code[k] = jit::Signature::kBool;
        call.numbers[k] = Scalar::boolean(lua_toboolean(L, idx));
        break;
      case LUA_TNUMBER:
        if (lua_isinteger(L, idx)) {
          sig.code[k] = jit::Signature::kInteger;
          call.numbers[k] = Scalar::integer(lua_tointeger(L, idx));
        } else {
          sig.code[k] = jit::Signature::kFloat;
          call.numbers[k] = Scalar::number(lua_tonumber(L, idx));
        }
        break;
      default: {
        Array* a = test_array(L, idx, kName);
        if (!a)
          raise(L, kName, "argument %d is a %s; expected an array, a number or a boolean", k + 1,
                luaL_typename(L, idx));
        if (is_complex(a->dtype()))
          raise(L, kName, "argument %d: %s is not supported", k + 1, dtype_name(a->dtype()));
        sig.code[k] = jit::Signature::array_code(a->dtype());
        call.arrays[k] = a;
      }
    }
  }
}

void push_scalar(lua_State* L, const Scalar& v) {
  if (v.kind == ScalarKind::Bool) lua_pushboolean(L, v.i != 0);
  else if (v.kind == ScalarKind::Integer) lua_pushinteger(L, v.i);
  else lua_pushnumber(L, v.f);
}

// The `out` option at opts_idx: pushes one Lua value per result (the out
// array or nil) and records the arrays in call.out.
void push_outs(lua_State* L, int opts_idx, const jit::Program& p, jit::Call& call) {
  const int nout = static_cast<int>(p.outputs.size());
  lua_pushnil(L);
  while (lua_next(L, opts_idx) != 0) {
    lua_pop(L, 1);
    if (lua_type(L, -1) != LUA_TSTRING || std::strcmp(lua_tostring(L, -1), "out") != 0)
      raise(L, kName, "unknown option '%s' (options: out)", luaL_tolstring(L, -1, nullptr));
  }
  const int type = lua_getfield(L, opts_idx, "out");
  const int field = lua_gettop(L);
  const bool list = type == LUA_TTABLE;
  if (type != LUA_TNIL && !list && !to_array(L, field))
    raise(L, kName, "out must be an array or a list of arrays, got %s", luaL_typename(L, field));
  if (list && luaL_len(L, field) > nout)
    raise(L, kName, "out lists %d arrays but the function returns %d results",
          static_cast<int>(luaL_len(L, field)), nout);
  for (int k = 0; k < nout; ++k) {
    if (list) lua_geti(L, field, k + 1);
    else if (k == 0) lua_pushvalue(L, field);
    else lua_pushnil(L);
    const int idx = lua_gettop(L);
    if (lua_isnil(L, idx) || (list && lua_isboolean(L, idx) && !lua_toboolean(L, idx))) {
      lua_pop(L, 1);
      lua_pushnil(L);
      continue;
    }
    Array* a = test_array(L, idx, kName);
    if (!a) raise(L, kName, "out[%d] is a %s; expected an array", k + 1, luaL_typename(L, idx));
    if (p.outputs[k].kind != jit::Output::Array)
      raise(L, kName, "out[%d] given for result %d, which is a number, not an array", k + 1, k + 1);
    call.out[k] = a;
  }
  lua_remove(L, field);
}

// True when a call passes tables other than a trailing options table (one
// without a metatable): traced values, when a jitted function is called
// while another function is traced.
bool passes_tables(lua_State* L, int top) {
  for (int k = 1; k <= top; ++k) {
    if (lua_type(L, k) != LUA_TTABLE) continue;
    if (k < top || lua_getmetatable(L, k)) {
      if (k == top) lua_pop(L, 1);
      return true;
    }
  }
  return false;
}

// The function ts.jit returns. Upvalues: the Context, the JitState (user
// values: 1 the compile function, 2 the inline function).
int l_call(lua_State* L) {
  auto* st = static_cast<JitState*>(lua_touserdata(L, lua_upvalueindex(2)));
  int nargs = lua_gettop(L);
  if (passes_tables(L, nargs)) {  // traced arguments: the traced function runs inline
    lua_getiuservalue(L, lua_upvalueindex(2), 2);
    lua_insert(L, 1);
    lua_call(L, nargs, LUA_MULTRET);
    return lua_gettop(L);
  }
  int opts = 0;
  if (nargs > 0 && lua_type(L, nargs) == LUA_TTABLE) opts = nargs--;
  jit::Signature sig;
  jit::Call call;
  classify(L, 1, nargs, sig, call);
  const jit::Program* p = st->find(sig);
  if (!p) {
    lua_getiuservalue(L, lua_upvalueindex(2), 1);
    for (int k = 1; k <= nargs; ++k) lua_pushvalue(L, k);
    lua_call(L, nargs, 0);
    p = st->find(sig);
    if (!p) raise(L, kName, "internal error: no program after compiling");
  }
  const int nout = static_cast<int>(p->outputs.size());
  luaL_checkstack(L, 2 * nout + 8, kName);
  const int base = lua_gettop(L);
  if (opts) push_outs(L, opts, *p, call);
  else
    for (int k = 0; k < nout; ++k) lua_pushnil(L);
  jit::Results results;
  for (int k = 0; k < nout; ++k) {
    if (p->outputs[k].kind != jit::Output::Array || call.out[k]) continue;
    results.arrays[k] = push_array_slot(L);
    lua_replace(L, base + 1 + k);
  }
  guarded(L, kName, [&] {
    jit::execute(context(L), *p, call, results);
    return 0;
  });
  for (int k = 0; k < nout; ++k)
    if (p->outputs[k].kind != jit::Output::Array) {
      push_scalar(L, results.values[k]);
      lua_replace(L, base + 1 + k);
    }
  return nout;
}

// ts._jit_new(compile, exact, inline) -> call, state
int l_new(lua_State* L) {
  luaL_checktype(L, 1, LUA_TFUNCTION);
  const bool exact = lua_toboolean(L, 2);
  luaL_checktype(L, 3, LUA_TFUNCTION);
  void* mem = lua_newuserdatauv(L, sizeof(JitState), 2);
  auto* st = new (mem) JitState();
  st->exact = exact;
  if (luaL_newmetatable(L, kStateMeta)) {
    lua_pushcfunction(L, state_gc);
    lua_setfield(L, -2, "__gc");
  }
  lua_setmetatable(L, -2);
  lua_pushvalue(L, 1);
  lua_setiuservalue(L, -2, 1);
  lua_pushvalue(L, 3);
  lua_setiuservalue(L, -2, 2);
  const int state = lua_gettop(L);
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_pushvalue(L, state);
  lua_pushcclosure(L, l_call, 2);
  lua_pushvalue(L, state);
  return 2;
}

// ts._jit_compile(state, graph, args...) -> true, or nil and a message
int l_compile(lua_State* L) {
  JitState* st = check_state(L, 1);
  size_t len = 0;
  const char* text = luaL_checklstring(L, 2, &len);
  jit::Signature sig;
  jit::Call call;
  classify(L, 3, lua_gettop(L) - 2, sig, call);
  if (st->find(sig)) {
    lua_pushboolean(L, 1);
    return 1;
  }
  char message[512];
  bool ok = false;
  try {
    Compiled c{sig, jit::compile(std::string(text, len), sig, st->exact), std::string()};
    c.listing = c.program->listing();
    st->programs.push_back(std::move(c));
    st->last = st->programs.size() - 1;
    ok = true;
  } catch (const std::exception& e) {
    std::snprintf(message, sizeof message, "%s", e.what());
  }
  if (ok) {
    lua_pushboolean(L, 1);
    return 1;
  }
  lua_pushnil(L);
  lua_pushstring(L, message);
  return 2;
}

// ts._jit_programs(state) -> {listing, ...}: each compiled program, its
// signature first ("float64, float64, number").
int l_programs(lua_State* L) {
  JitState* st = check_state(L, 1);
  lua_createtable(L, static_cast<int>(st->programs.size()), 0);
  for (std::size_t k = 0; k < st->programs.size(); ++k) {
    const jit::Signature& s = st->programs[k].sig;
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    luaL_addstring(&b, "(");
    for (int i = 0; i < s.n; ++i) {
      if (i) luaL_addstring(&b, ", ");
      const std::uint8_t c = s.code[i];
      luaL_addstring(&b, s.is_array(i)                   ? dtype_name(s.dtype(i))
                         : c == jit::Signature::kInteger ? "integer"
                         : c == jit::Signature::kFloat   ? "float"
                         : c == jit::Signature::kBool    ? "boolean"
                                                         : "nil");
    }
    luaL_addstring(&b, ")\n");
    luaL_addstring(&b, st->programs[k].listing.c_str());
    luaL_pushresult(&b);
    lua_rawseti(L, -2, static_cast<lua_Integer>(k + 1));
  }
  return 1;
}

// ts._jit_block([n]) -> the fixed block size in elements, 0 when chosen per
// program (after setting it to n).
int l_block(lua_State* L) {
  if (!lua_isnoneornil(L, 1)) {
    const lua_Integer n = luaL_checkinteger(L, 1);
    if (!jit::set_block_size(n))
      raise(L, "_jit_block", "expected 0 or a power of two from 16 to %d",
            static_cast<int>(kernels::kReduceChunk));
  }
  lua_pushinteger(L, jit::block_size());
  return 1;
}

const Entry entries[] = {
    {"_jit_block", l_block, kFunction, "", ""},
    {"_jit_new", l_new, kFunction, "", ""},
    {"_jit_compile", l_compile, kFunction, "", ""},
    {"_jit_programs", l_programs, kFunction, "", ""},
};

const AutoPart part("jit", 90, entries);

}  // namespace
}  // namespace tessera::lua
