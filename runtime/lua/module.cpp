// luaopen_tessera: builds the module from every registered part.
#include <algorithm>
#include <cstdio>
#include <string_view>
#include <vector>

#include "binding.hpp"
#include "registry.hpp"

namespace tessera::lua {
namespace {

std::vector<Part>& parts() {
  static std::vector<Part> all;
  return all;
}

std::vector<LuaSource>& sources() {
  static std::vector<LuaSource> all;
  return all;
}

// Registry key of the Context userdata, and the name of its metatable.
constexpr const char* kContextKey = "tessera.Context";
constexpr const char* kContextMeta = "tessera.ContextMeta";

int context_gc(lua_State* L) {
  Context** box = static_cast<Context**>(luaL_checkudata(L, 1, kContextMeta));
  delete *box;
  *box = nullptr;
  return 0;
}

// Pushes the Context userdata shared by all functions of this lua_State,
// creating it on first use.
void push_context(lua_State* L) {
  if (lua_getfield(L, LUA_REGISTRYINDEX, kContextKey) == LUA_TUSERDATA) return;
  lua_pop(L, 1);
  Context** box = static_cast<Context**>(lua_newuserdatauv(L, sizeof(Context*), 0));
  *box = nullptr;
  if (luaL_newmetatable(L, kContextMeta)) {
    lua_pushcfunction(L, context_gc);
    lua_setfield(L, -2, "__gc");
  }
  lua_setmetatable(L, -2);
  *box = new Context();
  (*box)->hooks.attach(L);
  lua_pushvalue(L, -1);
  lua_setfield(L, LUA_REGISTRYINDEX, kContextKey);
}

// help[fn] = {name=, signature=, doc=}
void add_help(lua_State* L, int help_idx, const Entry& e) {
  lua_pushvalue(L, -1);  // the function
  lua_createtable(L, 0, 3);
  lua_pushstring(L, e.name);
  lua_setfield(L, -2, "name");
  lua_pushstring(L, e.signature);
  lua_setfield(L, -2, "signature");
  lua_pushstring(L, e.doc);
  lua_setfield(L, -2, "doc");
  lua_rawset(L, help_idx);
}

void install(lua_State* L, const Part& part, const Tables& t) {
  for (std::size_t i = 0; i < part.count; ++i) {
    const Entry& e = part.entries[i];
    lua_pushvalue(L, t.context);
    lua_pushcclosure(L, e.fn, 1);
    if (e.where & kFunction) {
      lua_pushvalue(L, -1);
      lua_setfield(L, t.module, e.name);
    }
    if (e.where & kMethod) {
      lua_pushvalue(L, -1);
      lua_setfield(L, t.methods, e.name);
    }
    if (e.where & kMeta) {
      lua_pushvalue(L, -1);
      lua_setfield(L, t.meta, e.name);
    }
    if (e.doc && e.doc[0]) add_help(L, t.help, e);
    lua_pop(L, 1);
  }
  if (part.setup) part.setup(L, t);
}

// Parts install by order, Lua sources by name; static registration order
// across files is unspecified, so sort once before the first install.
bool sort_once() {
  std::stable_sort(parts().begin(), parts().end(),
                   [](const Part& a, const Part& b) { return a.order < b.order; });
  std::sort(sources().begin(), sources().end(), [](const LuaSource& a, const LuaSource& b) {
    return std::string_view(a.name) < std::string_view(b.name);
  });
  return true;
}

void sort_registrations() {
  static const bool sorted = sort_once();
  (void)sorted;
}

}  // namespace

void register_part(const Part& part) { parts().push_back(part); }
void register_lua_source(const LuaSource& source) { sources().push_back(source); }

}  // namespace tessera::lua

extern "C" int luaopen_tessera(lua_State* L) {
  using namespace tessera::lua;
  luaL_checkversion(L);
  push_context(L);
  int ctx = lua_gettop(L);
  lua_newtable(L);  // module
  int mod = lua_gettop(L);
  lua_newtable(L);  // array methods
  int methods = lua_gettop(L);
  luaL_newmetatable(L, kArrayMeta);
  int meta = lua_gettop(L);
  remember_array_meta(L, meta);
  lua_newtable(L);  // help registry, weak keys
  int help = lua_gettop(L);
  lua_createtable(L, 0, 1);
  lua_pushstring(L, "k");
  lua_setfield(L, -2, "__mode");
  lua_setmetatable(L, help);

  sort_registrations();
  const Tables tables{ctx, mod, methods, meta, help};
  for (std::size_t i = 0; i < parts().size(); ++i) install(L, parts()[i], tables);

  lua_pushvalue(L, help);
  lua_setfield(L, mod, "_help");
  lua_pushvalue(L, methods);
  lua_setfield(L, mod, "_methods");

  for (std::size_t i = 0; i < sources().size(); ++i) {
    const LuaSource& src = sources()[i];
    char chunk[128];
    std::snprintf(chunk, sizeof chunk, "@tessera/%s", src.name);
    if (luaL_loadbufferx(L, src.code, src.size, chunk, "t") != LUA_OK) return lua_error(L);
    lua_pushvalue(L, mod);
    lua_pushvalue(L, methods);
    lua_pushvalue(L, meta);
    lua_call(L, 3, 0);
  }
  lua_pushvalue(L, mod);
  return 1;
}
