#include "interrupts.hpp"

#include <atomic>
#include <csignal>

#include "runtime/hooks.hpp"

namespace tessera::repl {
namespace {

std::atomic<Hooks*> target{nullptr};
std::atomic<bool> armed{true};
std::atomic<bool> missed{false};  // a SIGINT while disarmed
struct sigaction previous;
bool installed = false;

static_assert(std::atomic<Hooks*>::is_always_lock_free, "used from a signal handler");

void on_sigint(int) {
  Hooks* h = target.load(std::memory_order_relaxed);
  if (h && armed.load(std::memory_order_relaxed)) h->request_interrupt();
  else missed.store(true, std::memory_order_relaxed);
}

}  // namespace

void install_interrupts(Hooks& hooks) {
  target.store(&hooks);
  if (installed) return;
  struct sigaction sa {};
  sa.sa_handler = on_sigint;
  sigemptyset(&sa.sa_mask);
  // No SA_RESTART: a blocking read (the prompt's, or io.read in user code)
  // returns at once; the hook then stops Lua code.
  sa.sa_flags = 0;
  installed = sigaction(SIGINT, &sa, &previous) == 0;
}

void remove_interrupts() {
  if (installed) sigaction(SIGINT, &previous, nullptr);
  installed = false;
  target.store(nullptr);
}

bool arm_interrupts(bool on) { return armed.exchange(on); }

bool take_missed_interrupt() { return missed.exchange(false); }
bool missed_interrupt() { return missed.load(); }

}  // namespace tessera::repl
