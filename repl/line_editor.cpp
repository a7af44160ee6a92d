#include "line_editor.hpp"

#include <histedit.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <lua.hpp>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>
#include <cwchar>
#include <new>
#include <string>

#include "interrupts.hpp"
#include "runtime/context.hpp"

namespace tessera::repl {
namespace {

constexpr const char* kEditorMeta = "tessera.repl.Editor";
constexpr int kHistorySize = 2000;

struct Editor {
  EditLine* el = nullptr;
  History* hist = nullptr;
  lua_State* L = nullptr;  // the state running the prompt (for the completer)
  int completer = LUA_NOREF;
  bool interrupted = false;
  std::string prompt;
};

Editor& check_editor(lua_State* L) {
  return *static_cast<Editor*>(luaL_checkudata(L, lua_upvalueindex(1), kEditorMeta));
}

Editor& editor_of(EditLine* el) {
  void* data = nullptr;
  el_get(el, EL_CLIENTDATA, &data);
  return *static_cast<Editor*>(data);
}

char* prompt_of(EditLine* el) { return const_cast<char*>(editor_of(el).prompt.c_str()); }

int columns() {
  winsize ws{};
  if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
  return 80;
}

// libedit's reader, except that a read interrupted by SIGINT ends el_gets
// (libedit retries it): with typeahead libedit reads in cooked mode, where
// Ctrl-C is a signal, not a key.
int read_key(EditLine*, wchar_t* wc) {
  char buf[MB_LEN_MAX];
  std::size_t n = 0;
  for (;;) {
    char c;
    ssize_t r = read(STDIN_FILENO, &c, 1);
    if (r < 0 && errno == EINTR) {
      if (missed_interrupt()) return -1;
      continue;
    }
    if (r <= 0) return static_cast<int>(r);
    buf[n++] = c;
    std::mbstate_t state{};
    std::size_t k = std::mbrtowc(wc, buf, n, &state);
    if (k == static_cast<std::size_t>(-2) && n < sizeof buf) continue;  // more bytes to come
    if (k == static_cast<std::size_t>(-1) || k == static_cast<std::size_t>(-2))
      *wc = static_cast<unsigned char>(buf[0]);  // not valid here: the byte itself
    return 1;
  }
}

// Ctrl-C at the prompt (read as a key: the edit mode has no ISIG): ends
// el_gets with the line marked as abandoned.
unsigned char clear_line(EditLine* el, int) {
  editor_of(el).interrupted = true;
  std::fputs("^C", stdout);
  return CC_NEWLINE;
}

// Tab: the Lua completer gets the text before the cursor and returns what to
// insert and, when the choice is ambiguous, a listing to print.
unsigned char complete(EditLine* el, int) {
  Editor& ed = editor_of(el);
  if (ed.completer == LUA_NOREF) return CC_ERROR;
  lua_State* L = ed.L;
  const LineInfo* li = el_line(el);
  int top = lua_gettop(L);
  lua_rawgeti(L, LUA_REGISTRYINDEX, ed.completer);
  lua_pushlstring(L, li->buffer, static_cast<std::size_t>(li->cursor - li->buffer));
  lua_pushinteger(L, columns());
  unsigned char result = CC_REFRESH_BEEP;
  if (lua_pcall(L, 2, 2, 0) == LUA_OK) {
    const char* insert = lua_tostring(L, -2);
    const char* listing = lua_tostring(L, -1);
    if (insert && *insert && el_insertstr(el, insert) == 0) result = CC_REFRESH;
    if (listing && *listing) {
      std::fprintf(stdout, "\n%s\n", listing);
      result = CC_REDISPLAY;
    }
  }
  lua_settop(L, top);
  return result;
}

int l_readline(lua_State* L) {
  Editor& ed = check_editor(L);
  ed.prompt = luaL_optstring(L, 1, "");
  ed.interrupted = false;
  ed.L = L;
  std::fflush(stdout);
  bool was = arm_interrupts(false);
  take_missed_interrupt();
  int count = 0;
  // Edit mode now: with typeahead (a paste, keys typed during evaluation)
  // el_gets would otherwise read it in cooked mode.
  el_set(ed.el, EL_PREP_TERM, 1);
  const char* line = el_gets(ed.el, &count);
  // Ctrl-C as a key (the edit mode has no ISIG), or as a signal that came
  // while the terminal was not yet in edit mode (the read was interrupted).
  bool interrupted = ed.interrupted || take_missed_interrupt();
  arm_interrupts(was);
  if (interrupted) {
    if (!ed.interrupted) el_reset(ed.el);
    std::fputs("\n", stdout);
    lua_pushboolean(L, 0);
    return 1;
  }
  if (!line || count <= 0) {
    lua_pushnil(L);
    return 1;
  }
  std::size_t n = std::strlen(line);
  if (n > 0 && line[n - 1] == '\n') --n;
  lua_pushlstring(L, line, n);
  return 1;
}

int l_add_history(lua_State* L) {
  Editor& ed = check_editor(L);
  const char* entry = luaL_checkstring(L, 1);
  HistEvent ev;
  history(ed.hist, &ev, H_ENTER, entry);
  return 0;
}

int file_result(lua_State* L, int rc, const char* what, const char* path) {
  if (rc >= 0) {
    lua_pushboolean(L, 1);
    return 1;
  }
  lua_pushnil(L);
  lua_pushfstring(L, "cannot %s history file '%s'", what, path);
  return 2;
}

int l_load_history(lua_State* L) {
  Editor& ed = check_editor(L);
  const char* path = luaL_checkstring(L, 1);
  HistEvent ev;
  return file_result(L, history(ed.hist, &ev, H_LOAD, path), "read", path);
}

int l_save_history(lua_State* L) {
  Editor& ed = check_editor(L);
  const char* path = luaL_checkstring(L, 1);
  HistEvent ev;
  return file_result(L, history(ed.hist, &ev, H_SAVE, path), "write", path);
}

int l_set_completer(lua_State* L) {
  Editor& ed = check_editor(L);
  luaL_checktype(L, 1, LUA_TFUNCTION);
  if (ed.completer != LUA_NOREF) luaL_unref(L, LUA_REGISTRYINDEX, ed.completer);
  lua_pushvalue(L, 1);
  ed.completer = luaL_ref(L, LUA_REGISTRYINDEX);
  return 0;
}

int l_clear_interrupt(lua_State* L) {
  lua_getfield(L, LUA_REGISTRYINDEX, "tessera.Context");
  auto** box = static_cast<Context**>(lua_touserdata(L, -1));
  if (box && *box) (*box)->interrupt->clear();
  return 0;
}

int l_columns(lua_State* L) {
  lua_pushinteger(L, columns());
  return 1;
}

int editor_gc(lua_State* L) {
  auto* ed = static_cast<Editor*>(lua_touserdata(L, 1));
  if (ed->el) el_end(ed->el);
  if (ed->hist) history_end(ed->hist);
  ed->el = nullptr;
  ed->hist = nullptr;
  ed->~Editor();
  return 0;
}

void setup_editor(Editor& ed) {
  ed.el = el_init("tessera", stdin, stdout, stderr);
  ed.hist = history_init();
  if (!ed.el || !ed.hist) return;
  HistEvent ev;
  history(ed.hist, &ev, H_SETSIZE, kHistorySize);
  history(ed.hist, &ev, H_SETUNIQUE, 1);
  el_set(ed.el, EL_CLIENTDATA, &ed);
  el_set(ed.el, EL_EDITOR, "emacs");
  el_set(ed.el, EL_SIGNAL, 0);  // ours (repl/interrupts.hpp) stay in charge
  el_set(ed.el, EL_GETCFN, read_key);
  el_set(ed.el, EL_PROMPT, prompt_of);
  el_set(ed.el, EL_HIST, history, ed.hist);
  el_set(ed.el, EL_SETTY, "-d", "-isig", nullptr);  // Ctrl-C is a key while editing
  // Wide strings: the narrow el_set copies the names and never frees them.
  el_wset(ed.el, EL_ADDFN, L"ts-complete", L"Complete the word before the cursor", complete);
  el_wset(ed.el, EL_BIND, L"^I", L"ts-complete", nullptr);
  el_wset(ed.el, EL_ADDFN, L"ts-clear-line", L"Abandon the line", clear_line);
  el_wset(ed.el, EL_BIND, L"^C", L"ts-clear-line", nullptr);
  el_source(ed.el, nullptr);  // the user's ~/.editrc, if any
}

}  // namespace

void push_terminal(lua_State* L, bool edit) {
  if (!edit) {
    static const luaL_Reg functions[] = {
        {"clear_interrupt", l_clear_interrupt}, {"columns", l_columns}, {nullptr, nullptr}};
    luaL_newlib(L, functions);
    return;
  }
  auto* ed = new (lua_newuserdatauv(L, sizeof(Editor), 0)) Editor();
  if (luaL_newmetatable(L, kEditorMeta)) {
    lua_pushcfunction(L, editor_gc);
    lua_setfield(L, -2, "__gc");
  }
  lua_setmetatable(L, -2);
  setup_editor(*ed);
  if (!ed->el || !ed->hist) luaL_error(L, "cannot start line editing");
  int box = lua_gettop(L);
  static const luaL_Reg functions[] = {{"readline", l_readline},
                                       {"add_history", l_add_history},
                                       {"load_history", l_load_history},
                                       {"save_history", l_save_history},
                                       {"set_completer", l_set_completer},
                                       {"clear_interrupt", l_clear_interrupt},
                                       {"columns", l_columns},
                                       {nullptr, nullptr}};
  lua_newtable(L);
  lua_pushvalue(L, box);
  luaL_setfuncs(L, functions, 1);
  lua_remove(L, box);
}

}  // namespace tessera::repl
