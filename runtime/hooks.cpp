#include "hooks.hpp"

#include <lua.hpp>

namespace tessera {
namespace {

const char kHooksKey = 0;  // registry[&kHooksKey] = light userdata Hooks*

Hooks* hooks_of(lua_State* L) {
  lua_rawgetp(L, LUA_REGISTRYINDEX, &kHooksKey);
  auto* h = static_cast<Hooks*>(lua_touserdata(L, -1));
  lua_pop(L, 1);
  return h;
}

// LUA_HOOKTAILCALL is reported to clients that asked for calls.
int event_mask(int event) { return event == LUA_HOOKTAILCALL ? LUA_MASKCALL : 1 << event; }

}  // namespace

void Hooks::attach(lua_State* L) {
  L_ = L;
  lua_pushlightuserdata(L, this);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &kHooksKey);
}

void Hooks::set(Slot slot, const Client& client) {
  clients_[slot] = client;
  install();
}

void Hooks::clear(Slot slot) { set(slot, Client{}); }

void Hooks::poke(Slot slot) noexcept {
  pending_.fetch_or(1u << slot, std::memory_order_relaxed);
  install_pending();
}

void Hooks::request_interrupt() noexcept {
  flag_.request();
  pending_.fetch_or(kInterruptBit, std::memory_order_relaxed);
  install_pending();
}

// The clients' own mask; the count is the smallest any client asked for.
void Hooks::install() noexcept {
  if (!L_) return;
  int mask = 0, count = 0;
  for (const Client& c : clients_) {
    mask |= c.mask;
    if ((c.mask & LUA_MASKCOUNT) && c.count > 0 && (count == 0 || c.count < count)) count = c.count;
  }
  clients_mask_.store(mask, std::memory_order_relaxed);
  if (pending_.load(std::memory_order_relaxed)) {
    mask |= LUA_MASKCOUNT;
    count = 1;
  }
  lua_sethook(L_, mask ? dispatch : nullptr, mask, count);
}

void Hooks::install_pending() noexcept {
  if (!L_) return;
  // clients_ belong to the state's thread; this may run on another one.
  int mask = LUA_MASKCOUNT | clients_mask_.load(std::memory_order_relaxed);
  lua_sethook(L_, dispatch, mask, 1);
}

void Hooks::dispatch(lua_State* L, lua_Debug* ar) {
  if (Hooks* h = hooks_of(L)) h->handle(L, ar);
}

void Hooks::handle(lua_State* L, lua_Debug* ar) {
  unsigned pending = pending_.exchange(0, std::memory_order_relaxed);
  if (pending) install();
  // A native loop may have consumed the request already (and raised).
  // The message alone (no position), whatever code was running.
  if ((pending & kInterruptBit) && flag_.consume()) {
    lua_pushliteral(L, "interrupted");
    lua_error(L);
  }
  for (int s = 0; s < kSlots; ++s) {
    Client& c = clients_[s];
    if (!c.on_event) continue;
    if (pending & (1u << s)) c.on_event(L, ar, Why::Poke, c.data);
    if (c.mask & event_mask(ar->event)) c.on_event(L, ar, Why::Event, c.data);
  }
}

}  // namespace tessera
