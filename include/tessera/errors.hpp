// The exceptions a host program sees from Tessera.
//
//   tessera::Error            a runtime error on the C++ side (bad shape, dtype
//                             mismatch, memory limit, ...); std::runtime_error
//   tessera::ConversionError  a value did not convert to the C++ type asked
//                             for: "step: result 1 expected number, got nil"
//   tessera::ScriptError      a script failed: what() is Lua's message
//                             ("file:line: ..."), traceback() the Lua stack
//   tessera::Interrupted      a native loop stopped on Runtime::interrupt()
//
// In the other direction, any std::exception that escapes a function
// registered with Runtime::def reaches the script as a Lua error carrying its
// what() text, prefixed with the function's name.
#pragma once

#include <stdexcept>
#include <string>
#include <utility>

#include "runtime/errors.hpp"
#include "runtime/interrupt.hpp"

namespace tessera {

class ConversionError : public Error {
 public:
  using Error::Error;
};

class ScriptError : public std::runtime_error {
 public:
  ScriptError(const std::string& message, std::string traceback)
      : std::runtime_error(message), traceback_(std::move(traceback)) {}
  // "stack traceback:\n\t..." as Lua's debug.traceback prints it; empty for
  // errors raised before any Lua code ran (syntax errors, memory limit).
  const std::string& traceback() const { return traceback_; }

 private:
  std::string traceback_;
};

}  // namespace tessera
