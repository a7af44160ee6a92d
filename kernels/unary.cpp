// Unary element-wise loops, casts and where: one template each, tabulated.
#include <cmath>
#include <limits>
#include <type_traits>

#include "elementwise.hpp"
#include "scalar_ops.hpp"

namespace tessera::kernels {
namespace {

template <class T>
constexpr bool is_f = std::is_floating_point_v<T>;

// Each unary op: apply(x) and which dtypes it has loops for.
#define TS_FLOAT_FN(Name, expr)                                  \
  struct Name {                                                  \
    template <class T> static constexpr bool ok = is_f<T>;       \
    template <class T> static T apply(T x) { return expr; }      \
  };
TS_FLOAT_FN(Sqrt, std::sqrt(x))
TS_FLOAT_FN(Exp, std::exp(x))
TS_FLOAT_FN(Log, std::log(x))
TS_FLOAT_FN(Log2, std::log2(x))
TS_FLOAT_FN(Log10, std::log10(x))
TS_FLOAT_FN(Sin, std::sin(x))
TS_FLOAT_FN(Cos, std::cos(x))
TS_FLOAT_FN(Tan, std::tan(x))
TS_FLOAT_FN(Arcsin, std::asin(x))
TS_FLOAT_FN(Arccos, std::acos(x))
TS_FLOAT_FN(Arctan, std::atan(x))
TS_FLOAT_FN(Sinh, std::sinh(x))
TS_FLOAT_FN(Cosh, std::cosh(x))
TS_FLOAT_FN(Tanh, std::tanh(x))
TS_FLOAT_FN(Floor, std::floor(x))
TS_FLOAT_FN(Ceil, std::ceil(x))
TS_FLOAT_FN(Round, std::nearbyint(x))
#undef TS_FLOAT_FN

struct Neg {
  template <class T> static constexpr bool ok = !std::is_same_v<T, bool>;
  template <class T> static T apply(T x) {
    if constexpr (ops::is_int<T>) return ops::wrap_sub(T(0), x);
    else return -x;
  }
};
struct Abs {
  template <class T> static constexpr bool ok = true;
  template <class T> static T apply(T x) {
    if constexpr (std::is_same_v<T, bool> || std::is_unsigned_v<T>) return x;
    else if constexpr (ops::is_int<T>) return x < 0 ? ops::wrap_sub(T(0), x) : x;
    else return std::fabs(x);
  }
};
struct Sign {
  template <class T> static constexpr bool ok = !std::is_same_v<T, bool>;
  template <class T> static T apply(T x) {
    if constexpr (is_f<T>) { if (x != x) return x; }
    return T((T(0) < x) - (x < T(0)));
  }
};
struct Invert {  // bitwise not; logical not for bool
  template <class T> static constexpr bool ok = !is_f<T>;
  template <class T> static T apply(T x) {
    if constexpr (std::is_same_v<T, bool>) return !x;
    else return T(~x);
  }
};
struct IsNan {
  template <class T> static constexpr bool ok = true;
  template <class T> static bool apply(T x) { if constexpr (is_f<T>) return std::isnan(x); else return false; }
};
struct IsInf {
  template <class T> static constexpr bool ok = true;
  template <class T> static bool apply(T x) { if constexpr (is_f<T>) return std::isinf(x); else return false; }
};
struct IsFinite {
  template <class T> static constexpr bool ok = true;
  template <class T> static bool apply(T x) { if constexpr (is_f<T>) return std::isfinite(x); else return true; }
};

template <class Op, class T, class R>
void unary_loop(char* const* p, const std::ptrdiff_t* s, std::int64_t n) {
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

struct UnaryInfo {
  const char* name;
  bool yields_bool;
  bool needs_float;
  LineFn loops[kNumDTypes];
};

template <class Op>
UnaryInfo make(const char* name) {
  UnaryInfo info{name, false, false, {}};
  info.yields_bool = std::is_same_v<decltype(Op::apply(0.0)), bool>;
  info.needs_float = Op::template ok<double> && !Op::template ok<std::int64_t>;
  for (int t = 0; t < kNumDTypes; ++t)
    visit_dtype(static_cast<DType>(t), [&](auto tag) {
      using T = typename decltype(tag)::type;
      if constexpr (Op::template ok<T>) {
        using R = decltype(Op::apply(T{}));
        info.loops[t] = &unary_loop<Op, T, R>;
      }
    });
  return info;
}

const UnaryInfo* table() {
  static const UnaryInfo t[static_cast<int>(UnaryOp::Count)] = {
      make<Neg>("negative"),  make<Abs>("abs"),       make<Sign>("sign"),
      make<Sqrt>("sqrt"),     make<Exp>("exp"),       make<Log>("log"),
      make<Log2>("log2"),     make<Log10>("log10"),   make<Sin>("sin"),
      make<Cos>("cos"),       make<Tan>("tan"),       make<Arcsin>("arcsin"),
      make<Arccos>("arccos"), make<Arctan>("arctan"), make<Sinh>("sinh"),
      make<Cosh>("cosh"),     make<Tanh>("tanh"),     make<Floor>("floor"),
      make<Ceil>("ceil"),     make<Round>("round"),   make<IsNan>("isnan"),
      make<IsInf>("isinf"),   make<IsFinite>("isfinite"), make<Invert>("invert"),
  };
  return t;
}

// Conversion with defined results for NaN and out-of-range floats.
template <class To, class From>
To convert(From x) {
  if constexpr (std::is_same_v<To, bool>) {
    return x != From(0);
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

}  // namespace

const char* unary_name(UnaryOp op) { return table()[static_cast<int>(op)].name; }
bool unary_yields_bool(UnaryOp op) { return table()[static_cast<int>(op)].yields_bool; }
bool unary_needs_float(UnaryOp op) { return table()[static_cast<int>(op)].needs_float; }
LineFn unary_line(UnaryOp op, DType t) {
  return table()[static_cast<int>(op)].loops[static_cast<int>(t)];
}

LineFn cast_line(DType from, DType to) {
  return visit_dtype(from, [&](auto f) {
    return visit_dtype(to, [&](auto t) -> LineFn {
      return &cast_loop<typename decltype(f)::type, typename decltype(t)::type>;
    });
  });
}

LineFn where_line(DType t) {
  return visit_dtype(t, [](auto tag) -> LineFn { return &where_loop<typename decltype(tag)::type>; });
}

}  // namespace tessera::kernels
