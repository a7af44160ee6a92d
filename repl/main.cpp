// The `tessera` executable: runs scripts like lua.c does, or starts the
// prompt (whose policy lives in stdlib/repl.lua).
//
//   tessera script.lua [args...]   run a script; arguments in `arg`
//   tessera -e 'code'              run a chunk (may repeat)
//   tessera -i [script.lua]        stay interactive afterwards
//   tessera -v                     print the version
//   tessera --profile script.lua   run it under ts.prof and print the report
//   tessera                        interactive prompt
#include <unistd.h>
#include <lua.hpp>

#include <clocale>
#include <cstdio>
#include <cstring>
#include <string>

#include "interrupts.hpp"
#include "line_editor.hpp"
#include "runtime/context.hpp"
#include "runtime/runtime.hpp"

namespace {

const char* const kUsage =
    "usage: tessera [options] [script [args]]\n"
    "  -e stat   execute string 'stat'\n"
    "  -i        enter interactive mode after running the script\n"
    "  -v        show version information\n"
    "  --profile[=exact]   profile the script (sampling, or exact) and report to stderr\n"
    "  --profile-out=FILE  with --profile: write collapsed stacks for flame graphs to FILE\n"
    "  --        stop handling options\n"
    "  -         execute stdin and stop handling options\n";

int report(lua_State* L, bool ok) {
  if (ok) return 0;
  const char* msg = lua_tostring(L, -1);
  std::fprintf(stderr, "tessera: %s\n", msg ? msg : "(error object is not a string)");
  std::fflush(stderr);
  lua_pop(L, 1);
  return 1;
}

// arg[0] = script, arg[1..] = its arguments, negative indices for the rest.
void create_arg_table(lua_State* L, char** argv, int argc, int script) {
  lua_createtable(L, argc - script, script + 1);
  for (int i = 0; i < argc; ++i) {
    lua_pushstring(L, argv[i]);
    lua_rawseti(L, -2, i - script);
  }
  lua_setglobal(L, "arg");
}

int run_chunk(lua_State* L, int load_status) {
  if (load_status != LUA_OK) return report(L, false);
  return report(L, tessera::call_with_traceback(L, 0, 0));
}

int run_script(lua_State* L, char** argv, int argc, int script) {
  const char* name = std::strcmp(argv[script], "-") == 0 ? nullptr : argv[script];
  if (luaL_loadfile(L, name) != LUA_OK) return report(L, false);
  int n = 0;
  for (int i = script + 1; i < argc; ++i, ++n) lua_pushstring(L, argv[i]);
  return report(L, tessera::call_with_traceback(L, n, 0));
}

// --profile[=sample|exact], --profile-out=FILE: the script runs under ts.prof
// (stdlib/prof.lua has ts.prof._cli_start and _cli_finish).
struct Profile {
  const char* mode = nullptr;
  const char* out = nullptr;
};

bool profile_option(const char* arg, Profile& p) {
  if (std::strcmp(arg, "--profile") == 0) p.mode = "sample";
  else if (std::strncmp(arg, "--profile=", 10) == 0) p.mode = arg + 10;
  else if (std::strncmp(arg, "--profile-out=", 14) == 0) p.out = arg + 14;
  else return false;
  if (p.out && !p.mode) p.mode = "sample";
  return true;
}

int profile_call(lua_State* L, const char* fn, const char* arg) {
  lua_getglobal(L, "ts");
  lua_getfield(L, -1, "prof");
  lua_getfield(L, -1, fn);
  lua_replace(L, -3);
  lua_pop(L, 1);
  lua_pushstring(L, arg);
  return report(L, tessera::call_with_traceback(L, 1, 0));
}

// ts._repl(term): line editing when standard input is a terminal.
int run_repl(lua_State* L) {
  lua_getglobal(L, "ts");
  lua_getfield(L, -1, "_repl");
  lua_remove(L, -2);
  if (!lua_isfunction(L, -1)) {
    std::fprintf(stderr, "tessera: no REPL in this build\n");
    return 1;
  }
  tessera::repl::push_terminal(L, isatty(STDIN_FILENO) != 0);
  return report(L, tessera::call_with_traceback(L, 1, 0));
}

}  // namespace

int main(int argc, char** argv) {
  bool interactive = false, version = false, ran_chunk = false;
  Profile profile;
  int script = 0;
  for (int i = 1; i < argc && script == 0; ++i) {
    if (std::strcmp(argv[i], "--") == 0) {
      if (i + 1 < argc) script = i + 1;
      break;
    } else if (std::strcmp(argv[i], "-") == 0) {
      script = i;
    } else if (std::strcmp(argv[i], "-i") == 0) {
      interactive = true;
    } else if (std::strcmp(argv[i], "-v") == 0) {
      version = true;
    } else if (std::strcmp(argv[i], "-e") == 0) {
      if (++i >= argc) {
        std::fputs(kUsage, stderr);
        return 1;
      }
    } else if (profile_option(argv[i], profile)) {
    } else if (argv[i][0] == '-') {
      std::fprintf(stderr, "tessera: unrecognized option '%s'\n%s", argv[i], kUsage);
      return 1;
    } else {
      script = i;
    }
  }
  std::setlocale(LC_CTYPE, "");  // libedit's multibyte input
  try {
    tessera::Runtime rt;
    lua_State* L = rt.state();
    // Ctrl-C stops what runs ("interrupted"), as lua.c's does.
    tessera::repl::InterruptScope interrupts(rt.context().hooks);
    create_arg_table(L, argv, argc, script);
    if (version) std::printf("Tessera 0.1 (%s)\n", LUA_RELEASE);
    int end = script ? script : argc;
    for (int i = 1; i < end; ++i) {
      if (std::strcmp(argv[i], "-e") != 0) continue;
      ran_chunk = true;
      const char* code = argv[++i];
      if (run_chunk(L, luaL_loadbuffer(L, code, std::strlen(code), "=(command line)")) != 0)
        return 1;
    }
    if (script) {
      if (profile.mode && profile_call(L, "_cli_start", profile.mode) != 0) return 1;
      int failed = run_script(L, argv, argc, script);
      if (profile.mode)
        failed |=
            profile_call(L, "_cli_stop", nullptr) || profile_call(L, "_cli_finish", profile.out);
      if (failed) return 1;
    }
    if (interactive || (!script && !ran_chunk && !version)) return run_repl(L);
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "tessera: %s\n", e.what());
    return 1;
  }
}
