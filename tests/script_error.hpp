// Test helper: the message of the ScriptError a chunk raises (run with the
// chunk name "=test", so positions read "test:LINE:"), or "(no error)".
#pragma once

#include <string>

#include "tessera/tessera.hpp"

inline std::string script_error(tessera::Runtime& rt, const std::string& code) {
  try {
    rt.run(code, "=test");
  } catch (const tessera::ScriptError& e) {
    return e.what();
  }
  return "(no error)";
}
