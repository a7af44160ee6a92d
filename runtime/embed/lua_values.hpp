// Moving tessera::Values across the Lua stack, for the embedding API
// (Runtime::call/set/get/def). Reading never raises a Lua error (only C++
// exceptions); pushing may raise, so it runs only inside protect().
#pragma once

#include <lua.hpp>

#include <string>
#include <vector>

#include "tessera/value.hpp"

namespace tessera::embed {

// The value at idx, copied (tables by their sequence part). Throws
// ConversionError for tables nested deeper than 64 levels (or cyclic).
Value to_value(lua_State* L, int idx);
// Values idx..top, then pops them.
std::vector<Value> take_values(lua_State* L, int first);

// Pushes v; may raise a Lua error (memory). Needs the Context upvalue
// (binding helpers): call only from a body run by protect().
void push_value(lua_State* L, const Value& v);

// Runs body(L, job) as a C function in protected mode, with the runtime's
// Context userdata as its upvalue 1 (so the binding helpers work); body
// returns its number of results as a lua_CFunction does. Returns the Lua
// status (throws Error when the Lua stack cannot grow); on success the results are on the stack
// (nresults or all of them with LUA_MULTRET), on failure the error message is.
using ProtectedBody = int (*)(lua_State* L, void* job);
int protect(lua_State* L, ProtectedBody body, void* job, int nresults);

// The error object on top as text (popped).
std::string pop_message(lua_State* L);

// Pushes the value at a global or dotted path ("mylib.step"); raises a Lua
// error when an intermediate value is not a table.
void push_path(lua_State* L, const char* path, const char* what);

}  // namespace tessera::embed
