// Scalar semantics of every element-wise operation, shared by all loops.
// Integer arithmetic wraps (computed in the unsigned type, so there is no
// undefined behaviour); division and modulo by zero give 0; integer powers
// with negative exponents give the truncated value (0 unless |base| is 1).
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>

// Each instruction-set translation unit defines TESSERA_KERNEL_ARCH before
// including this, so that its copies of these inline templates get their own
// symbols and the linker cannot mix code compiled for different CPUs.
#ifndef TESSERA_KERNEL_ARCH
#define TESSERA_KERNEL_ARCH generic
#endif

namespace tessera::kernels {
inline namespace TESSERA_KERNEL_ARCH {
namespace ops {

template <class T>
using Unsigned = std::make_unsigned_t<std::conditional_t<std::is_same_v<T, bool>, unsigned char, T>>;

template <class T>
constexpr bool is_int = std::is_integral_v<T> && !std::is_same_v<T, bool>;

template <class T> inline T wrap_add(T a, T b) { return T(Unsigned<T>(a) + Unsigned<T>(b)); }
template <class T> inline T wrap_sub(T a, T b) { return T(Unsigned<T>(a) - Unsigned<T>(b)); }
template <class T> inline T wrap_mul(T a, T b) {
  using U = std::conditional_t<(sizeof(T) < sizeof(unsigned)), unsigned, Unsigned<T>>;
  return T(U(a) * U(b));
}

struct Add { template <class T> static T apply(T a, T b) {
  if constexpr (std::is_same_v<T, bool>) return a || b;
  else if constexpr (is_int<T>) return wrap_add(a, b);
  else return a + b; } };
struct Sub { template <class T> static T apply(T a, T b) {
  if constexpr (is_int<T>) return wrap_sub(a, b); else return a - b; } };
struct Mul { template <class T> static T apply(T a, T b) {
  if constexpr (std::is_same_v<T, bool>) return a && b;
  else if constexpr (is_int<T>) return wrap_mul(a, b);
  else return a * b; } };
struct Div { template <class T> static T apply(T a, T b) { return a / b; } };

struct FloorDiv { template <class T> static T apply(T a, T b) {
  if constexpr (is_int<T>) {
    if (b == 0) return 0;
    if constexpr (std::is_signed_v<T>) {
      if (b == -1) return wrap_sub(T(0), a);
      T q = a / b;
      if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
      return q;
    } else {
      return a / b;
    }
  } else {
    if (b == 0) return a / b;
    T m = std::fmod(a, b);
    T d = (a - m) / b;
    if (m != 0 && ((b < 0) != (m < 0))) d -= 1;
    T f = std::floor(d);
    if (d - f > T(0.5)) f += 1;
    return f;
  } } };

struct Mod { template <class T> static T apply(T a, T b) {
  if constexpr (is_int<T>) {
    if (b == 0) return 0;
    if constexpr (std::is_signed_v<T>) {
      if (b == -1) return 0;
      T r = a % b;
      if (r != 0 && ((r < 0) != (b < 0))) r += b;
      return r;
    } else {
      return a % b;
    }
  } else {
    T r = std::fmod(a, b);
    if (r != 0 && ((b < 0) != (r < 0))) r += b;
    else if (r == 0) r = std::copysign(T(0), b);
    return r;
  } } };

struct Pow { template <class T> static T apply(T a, T b) {
  if constexpr (is_int<T>) {
    if constexpr (std::is_signed_v<T>) {
      if (b < 0) {
        if (a == 1) return 1;
        if (a == -1) return (b & 1) ? T(-1) : T(1);
        return 0;
      }
    }
    T result = 1, base = a;
    for (auto e = Unsigned<T>(b); e; e >>= 1) {
      if (e & 1) result = wrap_mul(result, base);
      base = wrap_mul(base, base);
    }
    return result;
  } else {
    return std::pow(a, b);
  } } };

// NaN in either operand propagates (NumPy's minimum/maximum).
struct Minimum { template <class T> static T apply(T a, T b) {
  if constexpr (std::is_floating_point_v<T>) { if (a != a) return a; if (b != b) return b; }
  return b < a ? b : a; } };
struct Maximum { template <class T> static T apply(T a, T b) {
  if constexpr (std::is_floating_point_v<T>) { if (a != a) return a; if (b != b) return b; }
  return b > a ? b : a; } };
struct Atan2 { template <class T> static T apply(T a, T b) { return std::atan2(a, b); } };

struct Eq { template <class T> static bool apply(T a, T b) { return a == b; } };
struct Ne { template <class T> static bool apply(T a, T b) { return a != b; } };
struct Lt { template <class T> static bool apply(T a, T b) { return a < b; } };
struct Le { template <class T> static bool apply(T a, T b) { return a <= b; } };
struct Gt { template <class T> static bool apply(T a, T b) { return a > b; } };
struct Ge { template <class T> static bool apply(T a, T b) { return a >= b; } };

struct BitAnd { template <class T> static T apply(T a, T b) { return T(a & b); } };
struct BitOr { template <class T> static T apply(T a, T b) { return T(a | b); } };
struct BitXor { template <class T> static T apply(T a, T b) { return T(a ^ b); } };
// Shifts by a negative count or by the width or more give 0 (or -1 for a
// right shift of a negative value).
struct Shl { template <class T> static T apply(T a, T b) {
  if (b < 0 || b >= T(sizeof(T) * 8)) return 0;
  return T(Unsigned<T>(a) << b); } };
struct Shr { template <class T> static T apply(T a, T b) {
  if (b < 0 || b >= T(sizeof(T) * 8)) {
    if constexpr (std::is_signed_v<T>) return a < 0 ? T(-1) : T(0);
    return 0;
  }
  return T(a >> b); } };

}  // namespace ops
}  // namespace TESSERA_KERNEL_ARCH
}  // namespace tessera::kernels
