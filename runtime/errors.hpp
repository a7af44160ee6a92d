// Errors raised by the runtime. Messages say what was expected and what came;
// the Lua binding prefixes the name of the function that was called.
#pragma once

#include <stdexcept>
#include <string>

namespace tessera {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace tessera
