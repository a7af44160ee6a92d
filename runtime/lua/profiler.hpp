// A profiling session of one Lua state (ts.prof): Lua functions by call path,
// in the exact mode from call and return hooks (calls and nanoseconds) or in
// the sampling mode from a timer thread's pokes (samples); native calls
// through the probe in guarded(); array memory by allocating Lua line through
// the buffer pool's observer. The data structures live in runtime/prof/.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "../hooks.hpp"
#include "../prof/call_tree.hpp"
#include "../prof/memory_sites.hpp"
#include "../prof/native_stats.hpp"
#include "../prof/sampler.hpp"
#include "native_probe.hpp"

namespace tessera {
struct Context;
class MemoryAccount;
}  // namespace tessera

namespace tessera::lua {

class SiteFinder;

// registry[&kHelpKey] = the help registry, for the names of C functions.
extern const char kHelpKey;

class Session {
 public:
  enum class Mode { Sample, Exact };
  Session(Context& ctx, Mode mode, std::chrono::nanoseconds interval);
  ~Session();  // stops a running session
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  void start();
  void stop();
  bool running() const { return running_; }
  Mode mode() const { return mode_; }
  double interval() const { return std::chrono::duration<double>(interval_).count(); }
  double duration() const;
  std::int64_t samples() const { return samples_; }

  const prof::CallTree& tree() const { return tree_; }
  const prof::FunctionTable& functions() const { return funcs_; }
  const prof::NativeStats& natives() const { return natives_; }
  const prof::MemorySites& memory() const;
  // Seconds per unit of a tree's self/total (ns or samples).
  double unit() const;

  // Leaves calls of this C function out of the profile (ts.prof's own).
  void ignore(lua_CFunction f);

  // The running session of L's state, or null; set_active marks it (the
  // registry holds it for the probe in native calls).
  static Session* active(lua_State* L);
  static void set_active(lua_State* L, Session* s);
  void native_done(lua_State* L, const char* fname, std::int64_t ns, std::uint64_t bytes);

 private:
  struct Frame {
    const void* ci;
    std::uint32_t node;
    std::int64_t start, child;
  };
  struct Stack {
    std::vector<Frame> frames;
    std::unordered_map<const void*, std::size_t> at;  // CallInfo -> index in frames
  };

  static void on_event(lua_State* L, lua_Debug* ar, Hooks::Why why, void* data);
  void on_call(lua_State* L, lua_Debug* ar, std::int64_t now);
  void on_return(lua_State* L, lua_Debug* ar, std::int64_t now);
  void close_from(Stack& s, std::size_t index, std::int64_t now);
  Stack& stack_of(lua_State* L);
  // Walks L's stack from `level` up and adds a sample of `weight`, with
  // `leaf` (a function id) below the innermost frame when not negative.
  void sample(lua_State* L, int level, std::int64_t weight, long leaf);
  std::uint32_t function_id(lua_State* L, lua_Debug* ar);  // ar from getstack or a hook

  Hooks& hooks_;
  std::shared_ptr<MemoryAccount> account_;
  Mode mode_;
  std::chrono::nanoseconds interval_;
  bool running_ = false;
  std::int64_t started_ = 0, stopped_ = 0;
  std::int64_t samples_ = 0;

  prof::CallTree tree_;
  prof::FunctionTable funcs_;
  prof::NativeStats natives_;
  std::shared_ptr<SiteFinder> sites_;
  std::unique_ptr<prof::Sampler> sampler_;
  std::unordered_map<lua_State*, Stack> stacks_;
  std::pair<lua_State*, Stack*> last_stack_{nullptr, nullptr};
  // Function ids: C functions by address, Lua functions by source and line.
  std::unordered_map<const void*, std::uint32_t> c_ids_;
  struct LuaKey {
    std::string source;
    int line = 0;
    std::uint32_t id = 0;
  };
  std::unordered_map<std::uint64_t, LuaKey> lua_ids_;
  std::vector<std::uint32_t> path_;
};

}  // namespace tessera::lua
