// Scalar: a Lua number or boolean taking part in an array operation.
#pragma once

#include <cstdint>

#include "../dtype.hpp"

namespace tessera {

struct Scalar {
  ScalarKind kind = ScalarKind::Integer;
  std::int64_t i = 0;
  double f = 0;

  static Scalar integer(std::int64_t v) { return {ScalarKind::Integer, v, double(v)}; }
  static Scalar number(double v) { return {ScalarKind::Float, 0, v}; }
  static Scalar boolean(bool v) { return {ScalarKind::Bool, v ? 1 : 0, v ? 1.0 : 0.0}; }

  // Writes the value as dtype t into dst (at least 8 bytes).
  void store(DType t, void* dst) const;
  // True when an integer scalar's value is representable in integer dtype t.
  bool fits(DType t) const;
};

}  // namespace tessera
