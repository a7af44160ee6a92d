// Self-registration of the parts of the `tessera` Lua module, and the help
// registry. Each binding file declares its functions with a signature and a
// docstring and registers them with a static Part; luaopen_tessera installs
// every part, so the runtime names no particular module.
#pragma once

#include <lua.hpp>

#include <cstddef>

namespace tessera::lua {

enum Where : unsigned {
  kFunction = 1,  // ts.name
  kMethod = 2,    // a:name()
  kBoth = 3,      // ts.name and a:name()
  kMeta = 4,      // a metamethod of arrays (__add, ...)
};

struct Entry {
  const char* name;
  lua_CFunction fn;
  unsigned where;
  const char* signature;  // "ts.zeros(shape [, dtype])"
  const char* doc;        // one or a few sentences
};

// Absolute stack indices of what luaopen_tessera is building.
struct Tables {
  int context;  // the Context userdata (upvalue 1 of every function)
  int module;   // the `tessera` table
  int methods;  // array methods (a:name())
  int meta;     // the array metatable
  int help;     // the help registry: function -> {name, signature, doc}
};

// Called after a part's entries are installed. May be null.
using SetupFn = void (*)(lua_State* L, const Tables& t);

struct Part {
  const char* name;
  int order;  // parts are installed in increasing order
  const Entry* entries;
  std::size_t count;
  SetupFn setup;
};

void register_part(const Part& part);

struct AutoPart {
  template <std::size_t N>
  AutoPart(const char* name, int order, const Entry (&entries)[N], SetupFn setup = nullptr) {
    register_part(Part{name, order, entries, N, setup});
  }
};

// Lua sources compiled into the library (stdlib/), run after the C parts
// with (ts, methods, meta) as arguments.
struct LuaSource {
  const char* name;
  const char* code;
  std::size_t size;
};
void register_lua_source(const LuaSource& source);

}  // namespace tessera::lua

extern "C" int luaopen_tessera(lua_State* L);
