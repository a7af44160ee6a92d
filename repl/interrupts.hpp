// Ctrl-C for the `tessera` executable: a SIGINT handler that, while armed,
// asks the runtime to stop what runs (Hooks::request_interrupt: native loops
// stop at their next block, Lua code at its next instruction). The prompt
// disarms it while it reads a line (libedit then reads Ctrl-C as a key that
// clears the line).
#pragma once

namespace tessera {
class Hooks;
}

namespace tessera::repl {

// Installs the handler for the process (once) and arms it for hooks.
void install_interrupts(Hooks& hooks);
// Restores the previous SIGINT action.
void remove_interrupts();
// While disarmed, SIGINT only interrupts a blocking read (EINTR) and is
// remembered for take_missed_interrupt. Returns the previous setting.
bool arm_interrupts(bool armed);
bool take_missed_interrupt();
bool missed_interrupt();

// Installed for a scope (the runtime outlives it).
struct InterruptScope {
  explicit InterruptScope(Hooks& hooks) { install_interrupts(hooks); }
  ~InterruptScope() { remove_interrupts(); }
  InterruptScope(const InterruptScope&) = delete;
  InterruptScope& operator=(const InterruptScope&) = delete;
};

}  // namespace tessera::repl
