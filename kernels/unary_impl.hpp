// Unary element-wise loops, casts and where for one instruction set (Arch),
// tabulated per (operation, dtype). Included by kernels/elementwise_<isa>.cpp.
#pragma once

#include <cmath>
#include <limits>
#include <type_traits>

#include "binary_impl.hpp"

namespace tessera::kernels {
inline namespace TESSERA_KERNEL_ARCH {
namespace unary_impl {

template <class T>
constexpr bool is_f = std::is_floating_point_v<T>;
template <class T>
constexpr bool is_c = is_complex_v<T>;

// log2 of a complex value as NumPy computes it: clog scaled by log2(e).
template <class T>
T log2_of(T x) {
  if constexpr (is_c<T>) {
    using R = typename T::value_type;
    const T l = std::log(x);
    constexpr R k = R(1.442695040888963407359924681001892137);
    return T(l.real() * k, l.imag() * k);
  } else {
    return std::log2(x);
  }
}

// Each unary op: apply(x) and which dtypes it has loops for. `Complex`: the
// C library's complex function (csqrt, cexp, clog...) serves complex dtypes.
#define TS_FLOAT_FN(Name, Complex, expr)                                        \
  struct Name {                                                                 \
    template <class T> static constexpr bool ok = is_f<T> || (Complex && is_c<T>); \
    template <class T> static T apply(T x) { return expr; }                     \
    using Vec = simd::Name;                                                     \
  };
TS_FLOAT_FN(Sqrt, true, std::sqrt(x))
TS_FLOAT_FN(Exp, true, std::exp(x))
TS_FLOAT_FN(Log, true, std::log(x))
TS_FLOAT_FN(Log2, true, log2_of(x))
TS_FLOAT_FN(Log10, true, std::log10(x))
TS_FLOAT_FN(Sin, true, std::sin(x))
TS_FLOAT_FN(Cos, true, std::cos(x))
TS_FLOAT_FN(Tan, true, std::tan(x))
TS_FLOAT_FN(Arcsin, true, std::asin(x))
TS_FLOAT_FN(Arccos, true, std::acos(x))
TS_FLOAT_FN(Arctan, true, std::atan(x))
TS_FLOAT_FN(Sinh, true, std::sinh(x))
TS_FLOAT_FN(Cosh, true, std::cosh(x))
TS_FLOAT_FN(Tanh, true, std::tanh(x))
TS_FLOAT_FN(Floor, false, std::floor(x))
TS_FLOAT_FN(Ceil, false, std::ceil(x))
TS_FLOAT_FN(Round, false, std::nearbyint(x))
TS_FLOAT_FN(Square, true, ops::Mul::apply(x, x))
#undef TS_FLOAT_FN

struct Neg {
  using Vec = simd::Neg;
  template <class T> static constexpr bool ok = !std::is_same_v<T, bool>;
  template <class T> static T apply(T x) {
    if constexpr (ops::is_int<T>) return ops::wrap_sub(T(0), x);
    else return -x;
  }
};
// Complex: the modulus (hypot of the parts), of the parts' float type.
struct Abs {
  using Vec = simd::Abs;
  template <class T> static constexpr bool ok = true;
  template <class T> static auto apply(T x) {
    if constexpr (is_c<T>) return std::hypot(x.real(), x.imag());
    else if constexpr (std::is_same_v<T, bool> || std::is_unsigned_v<T>) return x;
    else if constexpr (ops::is_int<T>) return x < 0 ? ops::wrap_sub(T(0), x) : x;
    else return std::fabs(x);
  }
};
struct Sign {
  template <class T> static constexpr bool ok = !std::is_same_v<T, bool> && !is_c<T>;
  template <class T> static T apply(T x) {
    if constexpr (is_f<T>) { if (x != x) return x; }
    return T((T(0) < x) - (x < T(0)));
  }
};
struct Invert {  // bitwise not; logical not for bool
  template <class T> static constexpr bool ok = !is_f<T> && !is_c<T>;
  template <class T> static T apply(T x) {
    if constexpr (std::is_same_v<T, bool>) return !x;
    else return T(~x);
  }
};
// Complex: NaN or infinite when either part is; finite when both are.
struct IsNan {
  template <class T> static constexpr bool ok = true;
  template <class T> static bool apply(T x) {
    if constexpr (is_c<T>) return std::isnan(x.real()) || std::isnan(x.imag());
    else if constexpr (is_f<T>) return std::isnan(x);
    else return false;
  }
};
struct IsInf {
  template <class T> static constexpr bool ok = true;
  template <class T> static bool apply(T x) {
    if constexpr (is_c<T>) return std::isinf(x.real()) || std::isinf(x.imag());
    else if constexpr (is_f<T>) return std::isinf(x);
    else return false;
  }
};
struct IsFinite {
  template <class T> static constexpr bool ok = true;
  template <class T> static bool apply(T x) {
    if constexpr (is_c<T>) return std::isfinite(x.real()) && std::isfinite(x.imag());
    else if constexpr (is_f<T>) return std::isfinite(x);
    else return true;
  }
};
// Complex conjugate; real values are returned unchanged.
struct Conj {
  template <class T> static constexpr bool ok = true;
  template <class T> static T apply(T x) {
    if constexpr (is_c<T>) return T(x.real(), -x.imag());
    else return x;
  }
};
// The angle of the point (real, imag) in radians, as atan2 gives it
// (signed zeros select the side of the branch cut); a float for complex.
struct Angle {
  template <class T> static constexpr bool ok = is_f<T> || is_c<T>;
  template <class T> static auto apply(T x) {
    if constexpr (is_c<T>) return std::atan2(x.imag(), x.real());
    else return std::atan2(T(0), x);
  }
};

template <class Op, class T, class R>
void scalar_loop(char* const* p, const std::ptrdiff_t* s, std::int64_t n) {
  const T* a = reinterpret_cast<const T*>(p[0]);
  R* o = reinterpret_cast<R*>(p[1]);
  if (s[0] == sizeof(T) && s[1] == sizeof(R)) {
    for (std::int64_t i = 0; i < n; ++i) o[i] = Op::apply(a[i]);
    return;
  }
  const char* pa = p[0];
  char* po = p[1];
  for (std::int64_t i = 0; i < n; ++i, pa += s[0], po += s[1])
    *reinterpret_cast<R*>(po) = Op::apply(*reinterpret_cast<const T*>(pa));
}

// Float functions with a batch form: every element, body and tail, goes
// through the same batch function (see binary_impl::simd_loop).
template <class Op, class T, class Arch>
void simd_loop(char* const* p, const std::ptrdiff_t* s, std::int64_t n) {
  using B = xsimd::batch<T, Arch>;
  using V = typename Op::Vec;
  constexpr std::int64_t W = B::size;
  const T* a = reinterpret_cast<const T*>(p[0]);
  T* o = reinterpret_cast<T*>(p[1]);
  std::int64_t i = 0;
  const bool dense = s[0] == sizeof(T) && s[1] == sizeof(T);
  if (!dense && V::exact) return scalar_loop<Op, T, T>(p, s, n);
  if (dense) {
    for (; i + 2 * W <= n; i += 2 * W) {
      B x0 = B::load_unaligned(a + i), x1 = B::load_unaligned(a + i + W);
      V::apply(x0).store_unaligned(o + i);
      V::apply(x1).store_unaligned(o + i + W);
    }
    for (; i + W <= n; i += W) V::apply(B::load_unaligned(a + i)).store_unaligned(o + i);
  }
  for (; i < n; i += W) {
    std::int64_t count = n - i < W ? n - i : W;
    B x = binary_impl::gather<B, T>(p[0] + i * s[0], s[0], count);
    binary_impl::scatter<B, T>(V::apply(x), p[1] + i * s[1], s[1], count);
  }
}

template <class Op, class = void>
struct HasVec : std::false_type {};
template <class Op>
struct HasVec<Op, std::void_t<typename Op::Vec>> : std::true_type {};

template <class Op, class Arch>
void fill(LineFn* row) {
  for (int t = 0; t < kNumDTypes; ++t)
    visit_dtype(static_cast<DType>(t), [&](auto tag) {
      using T = typename decltype(tag)::type;
      if constexpr (Op::template ok<T>) {
        using R = decltype(Op::apply(T{}));
        if constexpr (HasVec<Op>::value && is_f<T>)
          row[t] = &simd_loop<Op, T, Arch>;
        else
          row[t] = &scalar_loop<Op, T, R>;
      }
    });
}

// Conversion with defined results for NaN and out-of-range floats. Complex
// to a real dtype keeps the real part (NumPy, with its ComplexWarning).
template <class To, class From>
To convert(From x) {
  if constexpr (std::is_same_v<To, bool>) {
    return x != From(0);
  } else if constexpr (is_c<From> && !is_c<To>) {
    return convert<To>(x.real());
  } else if constexpr (is_c<To> && !is_c<From>) {
    using R = typename To::value_type;
    return To(R(x), R(0));
  } else if constexpr (is_f<From> && !is_f<To>) {
    if (x != x) return To(0);
    constexpr From lo = From(std::numeric_limits<To>::min());
    constexpr From hi = From(std::numeric_limits<To>::max());
    if (x <= lo) return std::numeric_limits<To>::min();
    if (x >= hi) return std::numeric_limits<To>::max();
    return To(x);
  } else {
    return To(x);
  }
}

template <class From, class To>
void cast_loop(char* const* p, const std::ptrdiff_t* s, std::int64_t n) {
  const From* a = reinterpret_cast<const From*>(p[0]);
  To* o = reinterpret_cast<To*>(p[1]);
  if (s[0] == sizeof(From) && s[1] == sizeof(To)) {
    for (std::int64_t i = 0; i < n; ++i) o[i] = convert<To>(a[i]);
    return;
  }
  const char* pa = p[0];
  char* po = p[1];
  for (std::int64_t i = 0; i < n; ++i, pa += s[0], po += s[1])
    *reinterpret_cast<To*>(po) = convert<To>(*reinterpret_cast<const From*>(pa));
}

template <class T>
void where_loop(char* const* p, const std::ptrdiff_t* s, std::int64_t n) {
  const char* pc = p[0];
  const char* pa = p[1];
  const char* pb = p[2];
  char* po = p[3];
  for (std::int64_t i = 0; i < n; ++i, pc += s[0], pa += s[1], pb += s[2], po += s[3])
    *reinterpret_cast<T*>(po) = *reinterpret_cast<const bool*>(pc)
                                    ? *reinterpret_cast<const T*>(pa)
                                    : *reinterpret_cast<const T*>(pb);
}

template <class Arch>
void fill_table(KernelTable& k) {
  auto row = [&](UnaryOp op) { return k.unary[static_cast<int>(op)]; };
  fill<Neg, Arch>(row(UnaryOp::Neg));
  fill<Abs, Arch>(row(UnaryOp::Abs));
  fill<Sign, Arch>(row(UnaryOp::Sign));
  fill<Sqrt, Arch>(row(UnaryOp::Sqrt));
  fill<Exp, Arch>(row(UnaryOp::Exp));
  fill<Log, Arch>(row(UnaryOp::Log));
  fill<Log2, Arch>(row(UnaryOp::Log2));
  fill<Log10, Arch>(row(UnaryOp::Log10));
  fill<Sin, Arch>(row(UnaryOp::Sin));
  fill<Cos, Arch>(row(UnaryOp::Cos));
  fill<Tan, Arch>(row(UnaryOp::Tan));
  fill<Arcsin, Arch>(row(UnaryOp::Arcsin));
  fill<Arccos, Arch>(row(UnaryOp::Arccos));
  fill<Arctan, Arch>(row(UnaryOp::Arctan));
  fill<Sinh, Arch>(row(UnaryOp::Sinh));
  fill<Cosh, Arch>(row(UnaryOp::Cosh));
  fill<Tanh, Arch>(row(UnaryOp::Tanh));
  fill<Floor, Arch>(row(UnaryOp::Floor));
  fill<Ceil, Arch>(row(UnaryOp::Ceil));
  fill<Round, Arch>(row(UnaryOp::Round));
  fill<IsNan, Arch>(row(UnaryOp::IsNan));
  fill<IsInf, Arch>(row(UnaryOp::IsInf));
  fill<IsFinite, Arch>(row(UnaryOp::IsFinite));
  fill<Invert, Arch>(row(UnaryOp::Invert));
  fill<Square, Arch>(row(UnaryOp::Square));
  fill<Conj, Arch>(row(UnaryOp::Conj));
  fill<Angle, Arch>(row(UnaryOp::Angle));
  for (int f = 0; f < kNumDTypes; ++f)
    for (int t = 0; t < kNumDTypes; ++t)
      k.cast[f][t] = visit_dtype(static_cast<DType>(f), [&](auto from) {
        return visit_dtype(static_cast<DType>(t), [&](auto to) -> LineFn {
          return &cast_loop<typename decltype(from)::type, typename decltype(to)::type>;
        });
      });
  for (int t = 0; t < kNumDTypes; ++t)
    k.where[t] = visit_dtype(static_cast<DType>(t), [](auto tag) -> LineFn {
      return &where_loop<typename decltype(tag)::type>;
    });
}

}  // namespace unary_impl
}  // namespace TESSERA_KERNEL_ARCH
}  // namespace tessera::kernels
