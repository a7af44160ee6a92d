// Small operating-system queries the Lua side of the prompt and ts.progress
// need: whether a stream is a terminal, its width, a directory's entries.
#include <dirent.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "binding.hpp"
#include "registry.hpp"

namespace tessera::lua {
namespace {

// A file descriptor from a number or a Lua file (io.stderr).
int check_fd(lua_State* L, int idx, const char* fname) {
  if (lua_type(L, idx) == LUA_TNUMBER) return static_cast<int>(lua_tointeger(L, idx));
  auto* stream = static_cast<luaL_Stream*>(luaL_testudata(L, idx, LUA_FILEHANDLE));
  if (stream && stream->f) return fileno(stream->f);
  raise(L, fname, "expected a file descriptor or an open Lua file, got %s", luaL_typename(L, idx));
}

int l_isatty(lua_State* L) {
  lua_pushboolean(L, isatty(check_fd(L, 1, "_isatty")) == 1);
  return 1;
}

int l_columns(lua_State* L) {
  winsize ws{};
  int fd = check_fd(L, 1, "_columns");
  if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) lua_pushinteger(L, ws.ws_col);
  else lua_pushinteger(L, 80);
  return 1;
}

// ts._listdir(path): {name = true (a directory) | false, ...}, or nil and a message.
int l_listdir(lua_State* L) {
  const char* path = luaL_checkstring(L, 1);
  DIR* dir = opendir(*path ? path : ".");
  if (!dir) {
    lua_pushnil(L);
    lua_pushfstring(L, "_listdir: cannot open '%s': %s", path, std::strerror(errno));
    return 2;
  }
  lua_newtable(L);
  std::string full;
  while (dirent* e = readdir(dir)) {
    if (std::strcmp(e->d_name, ".") == 0 || std::strcmp(e->d_name, "..") == 0) continue;
    bool is_dir = e->d_type == DT_DIR;
    if (e->d_type == DT_UNKNOWN || e->d_type == DT_LNK) {
      full.assign(*path ? path : ".").append("/").append(e->d_name);
      struct stat st {};
      is_dir = stat(full.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
    }
    lua_pushboolean(L, is_dir);
    lua_setfield(L, -2, e->d_name);
  }
  closedir(dir);
  return 1;
}

// ts.progress_native([on]): the setting, switched when given.
int l_progress_native(lua_State* L) {
  Parallel& parallel = context(L).parallel;
  if (!lua_isnoneornil(L, 1)) {
    if (!lua_isboolean(L, 1))
      raise(L, "progress_native", "expected a boolean, got %s", luaL_typename(L, 1));
    parallel.show_progress(lua_toboolean(L, 1));
  }
  lua_pushboolean(L, parallel.shows_progress());
  return 1;
}

const Entry entries[] = {
    {"progress_native", l_progress_native, kFunction, "ts.progress_native([on])",
     "Native operations that run longer than half a second draw a progress bar (percentage, "
     "elements done, elapsed time, ETA, rate) on standard error while they run, and clear it "
     "when they end. Only when standard error is a terminal; on at the interactive prompt, off "
     "in scripts. Returns the setting (true only if bars can be drawn)."},
    {"_isatty", l_isatty, kFunction, "ts._isatty(fd | file)",
     "True when the file descriptor (or Lua file, such as io.stderr) is a terminal."},
    {"_columns", l_columns, kFunction, "ts._columns(fd | file)",
     "The width of the terminal behind the descriptor (80 when it is not one)."},
    {"_listdir", l_listdir, kFunction, "ts._listdir(path)",
     "The entries of a directory as a table name -> is_directory, or nil and a message."},
};

const AutoPart part("terminal", 95, entries);

}  // namespace
}  // namespace tessera::lua
