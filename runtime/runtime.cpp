#include "runtime.hpp"

#include <lua.hpp>

#include "context.hpp"
#include "lua/registry.hpp"

namespace tessera {
namespace {

int traceback_handler(lua_State* L) {
  const char* msg = lua_tostring(L, 1);
  if (msg == nullptr) {
    if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING) return 1;
    msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
  }
  luaL_traceback(L, L, msg, 1);
  return 1;
}

[[noreturn]] void throw_script_error(lua_State* L) {
  std::string full = lua_tostring(L, -1) ? lua_tostring(L, -1) : "(error)";
  lua_pop(L, 1);
  std::string::size_type cut = full.find("\nstack traceback:");
  if (cut == std::string::npos) throw ScriptError(full, "");
  throw ScriptError(full.substr(0, cut), full.substr(cut + 1));
}

}  // namespace

bool call_with_traceback(lua_State* L, int nargs, int nresults) {
  int base = lua_gettop(L) - nargs;
  lua_pushcfunction(L, traceback_handler);
  lua_insert(L, base);
  int status = lua_pcall(L, nargs, nresults, base);
  lua_remove(L, base);
  return status == LUA_OK;
}

Runtime::Runtime() {
  L_ = luaL_newstate();
  if (!L_) throw std::bad_alloc();
  luaL_openlibs(L_);
  // Array temporaries die young: generational mode frees them (and returns
  // their buffers to the pool) in cheap young collections.
  lua_gc(L_, LUA_GCGEN, 0, 0);
  lua_pushcfunction(L_, [](lua_State* L) -> int {
    luaL_requiref(L, "tessera", luaopen_tessera, 0);
    lua_setglobal(L, "ts");
    return 0;
  });
  if (!call_with_traceback(L_, 0, 0)) {
    std::string message = lua_tostring(L_, -1) ? lua_tostring(L_, -1) : "(error)";
    lua_close(L_);
    L_ = nullptr;
    throw ScriptError("loading tessera: " + message, "");
  }
}

Runtime::~Runtime() {
  if (L_) lua_close(L_);
}

Runtime::Runtime(Runtime&& other) noexcept : L_(other.L_) { other.L_ = nullptr; }

Runtime& Runtime::operator=(Runtime&& other) noexcept {
  if (this != &other) {
    if (L_) lua_close(L_);
    L_ = other.L_;
    other.L_ = nullptr;
  }
  return *this;
}

void Runtime::run(std::string_view code, const std::string& chunkname) {
  if (luaL_loadbufferx(L_, code.data(), code.size(), chunkname.c_str(), "t") != LUA_OK)
    throw_script_error(L_);
  if (!call_with_traceback(L_, 0, 0)) throw_script_error(L_);
}

void Runtime::run_file(const std::string& path) {
  if (luaL_loadfilex(L_, path.c_str(), "t") != LUA_OK) throw_script_error(L_);
  if (!call_with_traceback(L_, 0, 0)) throw_script_error(L_);
}

Context& Runtime::context() const {
  lua_getfield(L_, LUA_REGISTRYINDEX, "tessera.Context");
  Context* ctx = *static_cast<Context**>(lua_touserdata(L_, -1));
  lua_pop(L_, 1);
  return *ctx;
}

}  // namespace tessera
