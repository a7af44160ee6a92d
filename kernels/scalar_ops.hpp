// Scalar semantics of every element-wise operation, shared by all loops.
// Integer arithmetic wraps (computed in the unsigned type, so there is no
// undefined behaviour); division and modulo by zero give 0; integer powers
// with negative exponents give the truncated value (0 unless |base| is 1).
// Complex values are std::complex (see runtime/dtype.hpp); their power
// follows NumPy's (small integer exponents by repeated multiplication).
#pragma once

#include <cmath>
#include <complex>
#include <cstdint>
#include <limits>
#include <type_traits>

#include "../runtime/dtype.hpp"

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

// x * y rounded on its own: GCC contracts a * b + c into an FMA in C++
// whatever the -std, and the avx2/avx512 tables are built with -mfma; an
// empty asm makes the product opaque (no instruction is emitted). So complex
// products give the same bits at every instruction set, as NumPy's, and
// z * conj(z) has an imaginary part of exactly 0.
template <class R> inline R mul_rounded(R x, R y) {
  R r = x * y;
  asm("" : "+x"(r));
  return r;
}

// NumPy's complex multiplication: the textbook formula, no C99 Annex G
// recovery of infinities.
template <class C> inline C cmul(C a, C b) {
  return C(mul_rounded(a.real(), b.real()) - mul_rounded(a.imag(), b.imag()),
           mul_rounded(a.real(), b.imag()) + mul_rounded(a.imag(), b.real()));
}

// NumPy's complex division (Smith's method; x / 0 gives inf or NaN parts).
template <class C> inline C cdiv(C a, C b) {
  using R = typename C::value_type;
  const R br = std::fabs(b.real()), bi = std::fabs(b.imag());
  if (br >= bi) {
    if (br == 0 && bi == 0) return C(a.real() / br, a.imag() / br);
    const R rat = b.imag() / b.real(), scl = R(1) / (b.real() + mul_rounded(b.imag(), rat));
    return C((a.real() + mul_rounded(a.imag(), rat)) * scl,
             (a.imag() - mul_rounded(a.real(), rat)) * scl);
  }
  const R rat = b.real() / b.imag(), scl = R(1) / (b.imag() + mul_rounded(b.real(), rat));
  return C((mul_rounded(a.real(), rat) + a.imag()) * scl,
           (mul_rounded(a.imag(), rat) - a.real()) * scl);
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
  else if constexpr (is_complex_v<T>) return cmul(a, b);
  else return a * b; } };
struct Div { template <class T> static T apply(T a, T b) {
  if constexpr (is_complex_v<T>) return cdiv(a, b); else return a / b; } };

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

// NumPy's complex power (npy_cpow): x^0 = 1, 0^b = 0 for Re b > 0 (NaN
// otherwise), integer exponents below 100 in magnitude by repeated
// multiplication, the rest by the C library's cpow.
template <class C> inline C complex_pow(C a, C b) {
  using R = typename C::value_type;
  if (b.real() == 0 && b.imag() == 0) return C(1, 0);
  if (a.real() == 0 && a.imag() == 0) {
    if (b.real() > 0 && b.imag() == 0) return C(0, 0);
    return C(std::numeric_limits<R>::quiet_NaN(), std::numeric_limits<R>::quiet_NaN());
  }
  if (b.imag() == 0 && b.real() == std::trunc(b.real()) && std::fabs(b.real()) < 100) {
    const auto n = static_cast<long>(b.real());
    if (n == 1) return a;
    if (n == 2) return cmul(a, a);
    if (n == 3) return cmul(a, cmul(a, a));
    C acc(1, 0), p = a;
    for (long m = n < 0 ? -n : n; ; ) {
      if (m & 1) acc = cmul(acc, p);
      m >>= 1;
      if (!m) break;
      p = cmul(p, p);
    }
    return n < 0 ? cdiv(C(1, 0), acc) : acc;
  }
  return std::pow(a, b);
}

struct Pow { template <class T> static T apply(T a, T b) {
  if constexpr (is_complex_v<T>) {
    return complex_pow(a, b);
  } else if constexpr (is_int<T>) {
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
