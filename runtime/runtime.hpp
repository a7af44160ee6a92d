// tessera::Runtime: one Lua state with the `tessera` module loaded (also as
// the global `ts`), its native-memory accounting and its settings. Several
// runtimes may live in one process; each is used by one thread at a time.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

struct lua_State;

namespace tessera {

struct Context;

// An error raised by a script: what() is the Lua message ("file:line: ..."),
// traceback() the stack at the point of the error.
class ScriptError : public std::runtime_error {
 public:
  ScriptError(const std::string& message, std::string traceback)
      : std::runtime_error(message), traceback_(std::move(traceback)) {}
  const std::string& traceback() const { return traceback_; }

 private:
  std::string traceback_;
};

class Runtime {
 public:
  Runtime();
  ~Runtime();
  Runtime(Runtime&& other) noexcept;
  Runtime& operator=(Runtime&& other) noexcept;
  Runtime(const Runtime&) = delete;
  Runtime& operator=(const Runtime&) = delete;

  // Runs Lua source; throws ScriptError on a syntax or run-time error.
  void run(std::string_view code, const std::string& chunkname = "=(run)");
  // Runs a Lua file; throws ScriptError.
  void run_file(const std::string& path);

  lua_State* state() const { return L_; }
  Context& context() const;

 private:
  lua_State* L_ = nullptr;
};

// Calls the function on top of L's stack (below it nargs arguments) with a
// traceback handler. On error returns false and leaves the message at the
// top, with the traceback appended after a newline.
bool call_with_traceback(lua_State* L, int nargs, int nresults);

}  // namespace tessera
