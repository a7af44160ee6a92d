// Lua allows one hook per lua_State. The features that need one (interrupts,
// call budgets, the profiler) share it through Hooks: each sets a Client in
// its slot and the installed mask is the union of what the clients want.
//
// Everything here runs on the thread that runs the state, except poke() and
// request_interrupt(), which may be called from any thread or a signal handler
// (they store atomics and call lua_sethook, which Lua documents as safe
// there). Hooks apply to the main thread of the state and to coroutines
// created after a client was set; a coroutine already running when a poke
// arrives sees it when it yields back.
#pragma once

#include <atomic>

#include "interrupt.hpp"

struct lua_State;
struct lua_Debug;

namespace tessera {

class Hooks {
 public:
  enum Slot { kBudget, kProfiler, kSlots };
  enum class Why { Event, Poke };  // a hook event of the client's mask, or its poke()
  struct Client {
    int mask = 0;   // LUA_MASKCALL | LUA_MASKRET | LUA_MASKLINE | LUA_MASKCOUNT
    int count = 0;  // instructions between count events (with LUA_MASKCOUNT)
    // Called on the state's thread; may raise a Lua error (luaL_error).
    void (*on_event)(lua_State* L, lua_Debug* ar, Why why, void* data) = nullptr;
    void* data = nullptr;
  };

  explicit Hooks(InterruptFlag& flag) : flag_(flag) {}
  Hooks(const Hooks&) = delete;
  Hooks& operator=(const Hooks&) = delete;

  // Binds to the state (once, when the state's Context is made).
  void attach(lua_State* L);
  lua_State* state() const { return L_; }

  void set(Slot slot, const Client& client);
  void clear(Slot slot);

  // Any thread or signal handler: the slot's client gets a Why::Poke call at
  // the state's next instruction (a sampling profiler's tick).
  void poke(Slot slot) noexcept;
  // Any thread or signal handler: native loops stop at their next chunk and
  // Lua code raises "interrupted" at its next instruction.
  void request_interrupt() noexcept;

 private:
  static void dispatch(lua_State* L, lua_Debug* ar);
  void handle(lua_State* L, lua_Debug* ar);
  void install() noexcept;
  void install_pending() noexcept;

  static constexpr unsigned kInterruptBit = 1u << kSlots;
  InterruptFlag& flag_;
  lua_State* L_ = nullptr;
  Client clients_[kSlots];
  std::atomic<unsigned> pending_{0};  // poked slots, and kInterruptBit
  std::atomic<int> clients_mask_{0};  // the union of clients_' masks, for other threads
};

}  // namespace tessera
