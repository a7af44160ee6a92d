#include "subtable.hpp"

#include <string>

namespace tessera::lua {

void install_entries(lua_State* L, const Tables& t, int table, const Entry* entries,
                     std::size_t count, const char* prefix) {
  table = lua_absindex(L, table);
  for (std::size_t i = 0; i < count; ++i) {
    const Entry& e = entries[i];
    lua_pushvalue(L, t.context);
    lua_pushcclosure(L, e.fn, 1);
    lua_pushvalue(L, -1);
    lua_setfield(L, table, e.name);
    if (e.doc && e.doc[0]) {
      lua_pushvalue(L, -1);
      lua_createtable(L, 0, 3);
      lua_pushfstring(L, "%s%s", prefix, e.name);
      lua_setfield(L, -2, "name");
      lua_pushstring(L, e.signature);
      lua_setfield(L, -2, "signature");
      lua_pushstring(L, e.doc);
      lua_setfield(L, -2, "doc");
      lua_rawset(L, t.help);
    }
    lua_pop(L, 1);
  }
}

int module_subtable(lua_State* L, const Tables& t, const char* name) {
  if (lua_getfield(L, t.module, name) != LUA_TTABLE) {
    lua_pop(L, 1);
    lua_newtable(L);
    lua_pushvalue(L, -1);
    lua_setfield(L, t.module, name);
  }
  return lua_gettop(L);
}

}  // namespace tessera::lua
