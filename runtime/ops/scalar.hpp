// Scalar: a Lua number, boolean or complex value taking part in an array operation.
#pragma once

#include <cstdint>

#include "../dtype.hpp"

namespace tessera {

struct Scalar {
  ScalarKind kind = ScalarKind::Integer;
  std::int64_t i = 0;
  double f = 0;   // the value of a float, or a complex scalar's real part
  double im = 0;  // a complex scalar's imaginary part

  static Scalar integer(std::int64_t v) { return {ScalarKind::Integer, v, double(v)}; }
  static Scalar number(double v) { return {ScalarKind::Float, 0, v}; }
  static Scalar boolean(bool v) { return {ScalarKind::Bool, v ? 1 : 0, v ? 1.0 : 0.0}; }
  static Scalar complex(double re, double imag) { return {ScalarKind::Complex, 0, re, imag}; }

  // Writes the value as dtype t into dst (at least 16 bytes). A complex value
  // stored into a real dtype keeps its real part (the bindings refuse that
  // case before it gets here; see lua::check_fits).
  void store(DType t, void* dst) const;
  // True when an integer scalar's value is representable in integer dtype t.
  bool fits(DType t) const;
};

}  // namespace tessera
