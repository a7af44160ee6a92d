#include "lua_values.hpp"

#include <cstring>
#include <string>

#include "../lua/binding.hpp"
#include "tessera/convert.hpp"

namespace tessera::embed {
namespace {

constexpr int kMaxDepth = 64;

Value read(lua_State* L, int idx, int depth) {
  switch (lua_type(L, idx)) {
    case LUA_TNONE:
    case LUA_TNIL: return Value::nil();
    case LUA_TBOOLEAN: return Value::boolean(lua_toboolean(L, idx));
    case LUA_TNUMBER:
      if (lua_isinteger(L, idx)) return Value::integer(lua_tointeger(L, idx));
      return Value::number(lua_tonumber(L, idx));
    case LUA_TSTRING: {
      std::size_t n = 0;
      const char* s = lua_tolstring(L, idx, &n);  // a string: no conversion, no allocation
      return Value::string(std::string(s, n));
    }
    case LUA_TUSERDATA:
      if (!lua_checkstack(L, 2)) throw Error("Lua stack overflow");
      if (const Array* a = lua::to_array(L, idx)) return Value::array(*a);
      return Value::other("userdata");
    case LUA_TTABLE: {
      if (depth >= kMaxDepth) throw ConversionError("table nested too deeply (or cyclic)");
      if (!lua_checkstack(L, 3)) throw Error("Lua stack overflow");
      auto n = static_cast<lua_Integer>(lua_rawlen(L, idx));
      std::vector<Value> items;
      items.reserve(static_cast<std::size_t>(n));
      for (lua_Integer i = 1; i <= n; ++i) {
        lua_rawgeti(L, idx, i);
        items.push_back(read(L, lua_gettop(L), depth + 1));
        lua_pop(L, 1);
      }
      return Value::list(std::move(items));
    }
    default: return Value::other(luaL_typename(L, idx));
  }
}

struct Protected {
  ProtectedBody body;
  void* job;
};

int run_body(lua_State* L) {
  auto* p = static_cast<Protected*>(lua_touserdata(L, 1));
  lua_settop(L, 0);
  return p->body(L, p->job);
}

// Light C function (no allocation to push): makes the closure with the
// Context upvalue and calls it, returning all its results.
int enter(lua_State* L) {
  lua_getfield(L, LUA_REGISTRYINDEX, "tessera.Context");
  lua_pushcclosure(L, run_body, 1);
  lua_pushvalue(L, 1);
  lua_call(L, 1, LUA_MULTRET);
  return lua_gettop(L) - 1;
}

}  // namespace

Value to_value(lua_State* L, int idx) {
  int top = lua_gettop(L);
  idx = lua_absindex(L, idx);
  try {
    return read(L, idx, 0);
  } catch (...) {
    lua_settop(L, top);
    throw;
  }
}

std::vector<Value> take_values(lua_State* L, int first) {
  int top = lua_gettop(L);
  std::vector<Value> values;
  try {
    values.reserve(static_cast<std::size_t>(top - first + 1));
    for (int i = first; i <= top; ++i) values.push_back(to_value(L, i));
  } catch (...) {
    lua_settop(L, first - 1);
    throw;
  }
  lua_settop(L, first - 1);
  return values;
}

void push_value(lua_State* L, const Value& v) {
  luaL_checkstack(L, 3, "values nested too deeply");
  switch (v.kind()) {
    case Value::Kind::Nil:
    case Value::Kind::Other: lua_pushnil(L); return;
    case Value::Kind::Boolean: lua_pushboolean(L, v.as_boolean()); return;
    case Value::Kind::Integer: lua_pushinteger(L, v.as_integer()); return;
    case Value::Kind::Number: lua_pushnumber(L, v.as_number()); return;
    case Value::Kind::String:
      lua_pushlstring(L, v.as_string().data(), v.as_string().size());
      return;
    case Value::Kind::Array:
      if (v.as_array().valid()) lua::push_array(L, v.as_array());
      else lua_pushnil(L);
      return;
    case Value::Kind::List: {
      const std::vector<Value>& items = v.as_list();
      lua_createtable(L, static_cast<int>(items.size()), 0);
      for (std::size_t i = 0; i < items.size(); ++i) {
        push_value(L, items[i]);
        lua_rawseti(L, -2, static_cast<lua_Integer>(i + 1));
      }
      return;
    }
  }
}

int protect(lua_State* L, ProtectedBody body, void* job, int nresults) {
  Protected p{body, job};
  if (!lua_checkstack(L, 3)) throw Error("Lua stack overflow");
  lua_pushcfunction(L, enter);
  lua_pushlightuserdata(L, &p);
  return lua_pcall(L, 1, nresults, 0);
}

std::string pop_message(lua_State* L) {
  std::size_t n = 0;
  const char* s = lua_type(L, -1) == LUA_TSTRING ? lua_tolstring(L, -1, &n) : nullptr;
  std::string message =
      s ? std::string(s, n) : std::string("(error object is a ") + luaL_typename(L, -1) + " value)";
  lua_pop(L, 1);
  return message;
}

void push_path(lua_State* L, const char* path, const char* what) {
  lua_pushglobaltable(L);
  const char* part = path;
  for (;;) {
    const char* dot = std::strchr(part, '.');
    std::size_t len = dot ? static_cast<std::size_t>(dot - part) : std::strlen(part);
    if (lua_type(L, -1) != LUA_TTABLE) {
      const char* type = luaL_typename(L, -1);
      lua_pushlstring(L, path, static_cast<std::size_t>(part - path - 1));
      luaL_error(L, "%s '%s': '%s' is not a table (a %s value)", what, path, lua_tostring(L, -1),
                 type);
    }
    lua_pushlstring(L, part, len);
    lua_gettable(L, -2);
    lua_remove(L, -2);
    if (!dot) return;
    part = dot + 1;
  }
}

}  // namespace tessera::embed
