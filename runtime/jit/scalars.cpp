#include "scalars.hpp"

#include <cmath>
#include <cstdint>
#include <string>
#include <type_traits>

#include "../errors.hpp"
#include "../ops/elementwise.hpp"

namespace tessera::jit {
namespace {

bool is_bitwise(BinaryOp op) {
  return op == BinaryOp::BitAnd || op == BinaryOp::BitOr || op == BinaryOp::BitXor ||
         op == BinaryOp::Shl || op == BinaryOp::Shr;
}

// Lua's conversion of an operand of a bitwise operation to an integer.
std::int64_t lua_integer(const Scalar& s) {
  if (s.kind == ScalarKind::Integer) return s.i;
  const double f = s.f;
  if (std::floor(f) == f && f >= -9223372036854775808.0 && f < 9223372036854775808.0)
    return static_cast<std::int64_t>(f);
  throw Error("number has no integer representation");
}

double lua_float(const Scalar& s) { return s.kind == ScalarKind::Integer ? double(s.i) : s.f; }

std::uint64_t u(std::int64_t x) { return static_cast<std::uint64_t>(x); }
std::int64_t s(std::uint64_t x) { return static_cast<std::int64_t>(x); }

std::int64_t lua_shift_left(std::int64_t x, std::int64_t y) {
  if (y < 0) return y <= -64 ? 0 : s(u(x) >> u(-y));
  return y >= 64 ? 0 : s(u(x) << u(y));
}

void check_not_bool(BinaryOp op, ScalarKind a, ScalarKind b) {
  if (a == ScalarKind::Bool || b == ScalarKind::Bool)
    throw Error(is_bitwise(op) ? "attempt to perform bitwise operation on a boolean value"
                               : "attempt to perform arithmetic on a boolean value");
}

}  // namespace

ScalarKind kind_of(DType t) {
  if (is_bool(t)) return ScalarKind::Bool;
  if (is_complex(t)) return ScalarKind::Complex;
  return is_integer(t) ? ScalarKind::Integer : ScalarKind::Float;
}

Scalar scalar_at(DType t, const void* p) {
  return visit_dtype(t, [&](auto tag) {
    using T = typename decltype(tag)::type;
    const T v = *static_cast<const T*>(p);
    if constexpr (std::is_same_v<T, bool>) return Scalar::boolean(v);
    else if constexpr (std::is_floating_point_v<T>) return Scalar::number(double(v));
    else if constexpr (is_complex_v<T>) return Scalar::complex(v.real(), v.imag());
    else return Scalar::integer(static_cast<std::int64_t>(v));
  });
}

ScalarKind lua_binary_kind(BinaryOp op, ScalarKind a, ScalarKind b) {
  check_not_bool(op, a, b);
  if (is_bitwise(op)) return ScalarKind::Integer;
  if (op == BinaryOp::Div || op == BinaryOp::Pow) return ScalarKind::Float;
  return a == ScalarKind::Integer && b == ScalarKind::Integer ? ScalarKind::Integer
                                                              : ScalarKind::Float;
}

ScalarKind lua_unary_kind(UnaryOp op, ScalarKind a) {
  if (a == ScalarKind::Bool)
    throw Error(op == UnaryOp::Invert ? "attempt to perform bitwise operation on a boolean value"
                                      : "attempt to perform arithmetic on a boolean value");
  return op == UnaryOp::Invert ? ScalarKind::Integer : a;
}

Scalar lua_binary(BinaryOp op, const Scalar& a, const Scalar& b) {
  check_not_bool(op, a.kind, b.kind);
  if (is_bitwise(op)) {
    const std::int64_t x = lua_integer(a), y = lua_integer(b);
    switch (op) {
      case BinaryOp::BitAnd: return Scalar::integer(x & y);
      case BinaryOp::BitOr: return Scalar::integer(x | y);
      case BinaryOp::BitXor: return Scalar::integer(x ^ y);
      case BinaryOp::Shl: return Scalar::integer(lua_shift_left(x, y));
      default: return Scalar::integer(lua_shift_left(x, s(0 - u(y))));
    }
  }
  if (op == BinaryOp::Div) return Scalar::number(lua_float(a) / lua_float(b));
  if (op == BinaryOp::Pow) {
    const double x = lua_float(a), y = lua_float(b);
    return Scalar::number(y == 2 ? x * x : std::pow(x, y));
  }
  if (a.kind == ScalarKind::Integer && b.kind == ScalarKind::Integer) {
    const std::int64_t m = a.i, n = b.i;
    switch (op) {
      case BinaryOp::Add: return Scalar::integer(s(u(m) + u(n)));
      case BinaryOp::Sub: return Scalar::integer(s(u(m) - u(n)));
      case BinaryOp::Mul: return Scalar::integer(s(u(m) * u(n)));
      case BinaryOp::FloorDiv: {
        if (n == 0) throw Error("attempt to divide by zero");
        if (n == -1) return Scalar::integer(s(0 - u(m)));
        std::int64_t q = m / n;
        if ((m ^ n) < 0 && m % n != 0) q -= 1;
        return Scalar::integer(q);
      }
      case BinaryOp::Mod: {
        if (n == 0) throw Error("attempt to perform 'n%0'");
        if (n == -1) return Scalar::integer(0);
        std::int64_t r = m % n;
        if (r != 0 && (r ^ n) < 0) r += n;
        return Scalar::integer(r);
      }
      default: break;
    }
  } else {
    const double x = lua_float(a), y = lua_float(b);
    switch (op) {
      case BinaryOp::Add: return Scalar::number(x + y);
      case BinaryOp::Sub: return Scalar::number(x - y);
      case BinaryOp::Mul: return Scalar::number(x * y);
      case BinaryOp::FloorDiv: return Scalar::number(std::floor(x / y));
      case BinaryOp::Mod: {
        double r = std::fmod(x, y);
        if ((r > 0) ? y < 0 : (r < 0 && y != r)) r += y;
        return Scalar::number(r);
      }
      default: break;
    }
  }
  throw Error(std::string("no Lua operator for ") + kernels::binary_name(op));
}

Scalar lua_unary(UnaryOp op, const Scalar& a) {
  lua_unary_kind(op, a.kind);
  if (op == UnaryOp::Invert) return Scalar::integer(~lua_integer(a));
  if (a.kind == ScalarKind::Integer) return Scalar::integer(s(0 - u(a.i)));
  return Scalar::number(-a.f);
}

ScalarKind core_binary_kind(BinaryOp op, ScalarKind a, ScalarKind b) {
  Scalar x, y;
  x.kind = a;
  y.kind = b;
  return kind_of(ops::binary_signature(op, ops::Operand(x), ops::Operand(y)).result);
}

ScalarKind core_unary_kind(UnaryOp op, ScalarKind a) {
  DType t = default_dtype(a);
  if (kernels::unary_needs_float(op) && !is_float(t)) t = float_result(t);
  if (!kernels::unary_line(op, t))
    throw Error(std::string("not supported for ") + dtype_name(t) + " arrays");
  return kernels::unary_yields_bool(op) ? ScalarKind::Bool : kind_of(t);
}

Scalar core_binary(BinaryOp op, const Scalar& a, const Scalar& b) {
  const ops::Signature sig = ops::binary_signature(op, ops::Operand(a), ops::Operand(b));
  alignas(16) unsigned char x[16], y[16], r[16];
  a.store(sig.compute, x);
  b.store(sig.compute, y);
  char* p[3] = {reinterpret_cast<char*>(x), reinterpret_cast<char*>(y), reinterpret_cast<char*>(r)};
  const std::ptrdiff_t st[3] = {0, 0, 0};
  kernels::binary_line(op, sig.compute)(p, st, 1);
  return scalar_at(sig.result, r);
}

Scalar core_unary(UnaryOp op, const Scalar& a) {
  core_unary_kind(op, a.kind);
  DType t = default_dtype(a.kind);
  if (kernels::unary_needs_float(op) && !is_float(t)) t = float_result(t);
  alignas(16) unsigned char x[16], r[16];
  a.store(t, x);
  char* p[2] = {reinterpret_cast<char*>(x), reinterpret_cast<char*>(r)};
  const std::ptrdiff_t st[2] = {0, 0};
  kernels::unary_line(op, t)(p, st, 1);
  return scalar_at(kernels::unary_yields_bool(op) ? DType::Bool : t, r);
}

}  // namespace tessera::jit
