// SIMD forms of the scalar operations (kernels/scalar_ops.hpp), for the
// dtypes and operations where xsimd has an exact or documented-accuracy
// equivalent. Simd<Op>::ok<T> says whether a batch form exists.
#pragma once

#include <xsimd/xsimd.hpp>

#include <type_traits>

#include "scalar_ops.hpp"

namespace tessera::kernels {
inline namespace TESSERA_KERNEL_ARCH {
namespace simd {

template <class T>
constexpr bool is_float = std::is_same_v<T, float> || std::is_same_v<T, double>;
template <class T>
constexpr bool is_wide_int = std::is_same_v<T, std::int32_t> || std::is_same_v<T, std::int64_t>;

template <class Op>
struct Simd {
  template <class T>
  static constexpr bool ok = false;
};

#define TS_SIMD_BINARY(OpName, Cond, expr)         \
  template <>                                      \
  struct Simd<ops::OpName> {                       \
    template <class T>                             \
    static constexpr bool ok = Cond;               \
    template <class B>                             \
    static B apply(const B& a, const B& b) {       \
      return expr;                                 \
    }                                              \
  };
TS_SIMD_BINARY(Add, is_float<T> || is_wide_int<T>, a + b)
TS_SIMD_BINARY(Sub, is_float<T> || is_wide_int<T>, a - b)
TS_SIMD_BINARY(Mul, is_float<T>, a * b)
TS_SIMD_BINARY(Div, is_float<T>, a / b)
TS_SIMD_BINARY(Pow, is_float<T>, xsimd::pow(a, b))
TS_SIMD_BINARY(Atan2, is_float<T>, xsimd::atan2(a, b))
// NaN propagates: a NaN in a wins, then a NaN in b (as ops::Minimum).
TS_SIMD_BINARY(Minimum, is_float<T>,
               xsimd::select(xsimd::isnan(a), a,
                             xsimd::select(xsimd::isnan(b), b, xsimd::min(a, b))))
TS_SIMD_BINARY(Maximum, is_float<T>,
               xsimd::select(xsimd::isnan(a), a,
                             xsimd::select(xsimd::isnan(b), b, xsimd::max(a, b))))
#undef TS_SIMD_BINARY

// Unary float functions, keyed by name.
#define TS_SIMD_UNARY(Name, expr)        \
  struct Name {                          \
    template <class B>                   \
    static B apply(const B& x) {         \
      return expr;                       \
    }                                    \
  };
TS_SIMD_UNARY(Neg, -x)
TS_SIMD_UNARY(Abs, xsimd::abs(x))
TS_SIMD_UNARY(Sqrt, xsimd::sqrt(x))
TS_SIMD_UNARY(Exp, xsimd::exp(x))
TS_SIMD_UNARY(Log, xsimd::log(x))
TS_SIMD_UNARY(Log2, xsimd::log2(x))
TS_SIMD_UNARY(Log10, xsimd::log10(x))
TS_SIMD_UNARY(Sin, xsimd::sin(x))
TS_SIMD_UNARY(Cos, xsimd::cos(x))
TS_SIMD_UNARY(Tan, xsimd::tan(x))
TS_SIMD_UNARY(Arcsin, xsimd::asin(x))
TS_SIMD_UNARY(Arccos, xsimd::acos(x))
TS_SIMD_UNARY(Arctan, xsimd::atan(x))
TS_SIMD_UNARY(Sinh, xsimd::sinh(x))
TS_SIMD_UNARY(Cosh, xsimd::cosh(x))
TS_SIMD_UNARY(Tanh, xsimd::tanh(x))
TS_SIMD_UNARY(Floor, xsimd::floor(x))
TS_SIMD_UNARY(Ceil, xsimd::ceil(x))
TS_SIMD_UNARY(Round, xsimd::nearbyint(x))
TS_SIMD_UNARY(Square, x * x)
#undef TS_SIMD_UNARY

}  // namespace simd
}  // namespace TESSERA_KERNEL_ARCH
}  // namespace tessera::kernels
