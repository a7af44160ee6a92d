// Libraries::Safe: what a script that is not trusted may not reach.
#pragma once

#include <lua.hpp>

namespace tessera::embed {

// Strips the state (standard libraries and tessera loaded) down to the safe
// set documented at tessera::Libraries::Safe. Returns a Lua status; on
// failure the message is on the stack.
int apply_safe_libraries(lua_State* L);

}  // namespace tessera::embed
