// Lua functions backed by C++ callables (Runtime::def, Runtime::module).
#pragma once

#include <lua.hpp>

#include <memory>
#include <string>

#include "tessera/function.hpp"

namespace tessera::embed {

// Makes (or finds) the module table `table`: global and package.loaded entry.
// Throws ScriptError when Lua fails (memory).
void make_module(lua_State* L, const std::string& table);

// Sets table.name (or the global `name` when table is empty) to a Lua
// function calling fn. Throws ScriptError when Lua fails.
void define_native(lua_State* L, const std::string& table, const std::string& name,
                   std::unique_ptr<detail::NativeFunction> fn);

}  // namespace tessera::embed
