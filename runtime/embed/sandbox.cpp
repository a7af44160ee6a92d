#include "sandbox.hpp"

namespace tessera::embed {
namespace {

// Keep in step with the documentation of Libraries::Safe
// (include/tessera/runtime.hpp) and docs/embedding.md.
constexpr char kSafe[] = R"lua(
local loaded, select, raw_load = package.loaded, select, load
io, debug, loadfile, dofile = nil, nil, nil, nil
loaded.io, loaded.debug = nil, nil
local safe_os = {clock = os.clock, time = os.time, date = os.date, difftime = os.difftime}
os, loaded.os = safe_os, safe_os
string.dump = nil
package.loadlib, package.searchpath = nil, nil
package.path, package.cpath = "", ""
package.searchers = {package.searchers[1]}  -- package.preload only
load = function(chunk, name, mode, ...)
  if select("#", ...) > 0 then return raw_load(chunk, name, "t", ...) end
  return raw_load(chunk, name, "t")
end
local ts = loaded.tessera
if ts then
  ts.h5, ts.par = nil, nil
  if type(ts.image) == "table" then ts.image.load, ts.image.save = nil, nil end
end
)lua";

}  // namespace

int apply_safe_libraries(lua_State* L) {
  int status = luaL_loadbufferx(L, kSafe, sizeof kSafe - 1, "=(sandbox)", "t");
  if (status != LUA_OK) return status;
  return lua_pcall(L, 0, 0, 0);
}

}  // namespace tessera::embed
