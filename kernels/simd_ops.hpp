// SIMD forms of the scalar operations (kernels/scalar_ops.hpp), for the
// dtypes and operations where xsimd has an exact or documented-accuracy
// equivalent. Simd<Op>::ok<T> says whether a batch form exists. (xsimd's pow
// is off by up to 144 ulp in float64, so power stays with the C library.)
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

// `exact`: the batch form gives the scalar form's result bit for bit (IEEE
// basic operations), so strided lines may simply run the scalar loop.
#define TS_SIMD_BINARY(OpName, Cond, Exact, expr)  \
  template <>                                      \
  struct Simd<ops::OpName> {                       \
    static constexpr bool exact = Exact;           \
    template <class T>                             \
    static constexpr bool ok = Cond;               \
    template <class B>                             \
    static B apply(const B& a, const B& b) {       \
      return expr;                                 \
    }                                              \
  };
TS_SIMD_BINARY(Add, is_float<T> || is_wide_int<T>, true, a + b)
TS_SIMD_BINARY(Sub, is_float<T> || is_wide_int<T>, true, a - b)
TS_SIMD_BINARY(Mul, is_float<T>, true, a * b)
TS_SIMD_BINARY(Div, is_float<T>, true, a / b)
TS_SIMD_BINARY(Atan2, is_float<T>, false, xsimd::atan2(a, b))
// NaN propagates: a NaN in a wins, then a NaN in b (as ops::Minimum). Not
// exact: for min(+0, -0) the instruction returns the second operand.
TS_SIMD_BINARY(Minimum, is_float<T>, false,
               xsimd::select(xsimd::isnan(a), a,
                             xsimd::select(xsimd::isnan(b), b, xsimd::min(a, b))))
TS_SIMD_BINARY(Maximum, is_float<T>, false,
               xsimd::select(xsimd::isnan(a), a,
                             xsimd::select(xsimd::isnan(b), b, xsimd::max(a, b))))
#undef TS_SIMD_BINARY

// Unary float functions, keyed by name.
#define TS_SIMD_UNARY(Name, Exact, expr) \
  struct Name {                          \
    static constexpr bool exact = Exact; \
    template <class B>                   \
    static B apply(const B& x) {         \
      return expr;                       \
    }                                    \
  };
TS_SIMD_UNARY(Neg, true, -x)
TS_SIMD_UNARY(Abs, true, xsimd::abs(x))
TS_SIMD_UNARY(Sqrt, true, xsimd::sqrt(x))
TS_SIMD_UNARY(Exp, false, xsimd::exp(x))
TS_SIMD_UNARY(Log, false, xsimd::log(x))
TS_SIMD_UNARY(Log2, false, xsimd::log2(x))
TS_SIMD_UNARY(Log10, false, xsimd::log10(x))
TS_SIMD_UNARY(Sin, false, xsimd::sin(x))
TS_SIMD_UNARY(Cos, false, xsimd::cos(x))
TS_SIMD_UNARY(Tan, false, xsimd::tan(x))
TS_SIMD_UNARY(Arcsin, false, xsimd::asin(x))
TS_SIMD_UNARY(Arccos, false, xsimd::acos(x))
TS_SIMD_UNARY(Arctan, false, xsimd::atan(x))
TS_SIMD_UNARY(Sinh, false, xsimd::sinh(x))
TS_SIMD_UNARY(Cosh, false, xsimd::cosh(x))
TS_SIMD_UNARY(Tanh, false, xsimd::tanh(x))
TS_SIMD_UNARY(Floor, true, xsimd::floor(x))
TS_SIMD_UNARY(Ceil, true, xsimd::ceil(x))
TS_SIMD_UNARY(Round, true, xsimd::nearbyint(x))
TS_SIMD_UNARY(Square, true, x * x)
#undef TS_SIMD_UNARY

}  // namespace simd
}  // namespace TESSERA_KERNEL_ARCH
}  // namespace tessera::kernels
