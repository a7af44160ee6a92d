// tessera::Runtime is declared in the public header include/tessera/runtime.hpp
// (Options, run, call, set/get, def, interrupt). This internal header adds
// what the runtime's own parts use besides.
#pragma once

#include "tessera/runtime.hpp"

namespace tessera {

// Calls the function on top of L's stack (below it nargs arguments) with a
// traceback handler. On error returns false and leaves the message at the
// top, with the traceback appended after a newline.
bool call_with_traceback(lua_State* L, int nargs, int nresults);

}  // namespace tessera
