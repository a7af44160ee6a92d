#include "stencil.hpp"

#include <stdexcept>
#include <type_traits>

#include "simd.hpp"

namespace tessera::kernels {

const StencilSimd& stencil_simd() {
  static const StencilSimd& table = []() -> const StencilSimd& {
    switch (simd_level()) {
      case SimdLevel::Avx512: return stencil_simd_avx512();
      case SimdLevel::Avx2: return stencil_simd_avx2();
      case SimdLevel::Sse42: break;
    }
    return stencil_simd_sse42();
  }();
  return table;
}

namespace {

// o + a*b in T: wrapping for integers, OR of ANDs for bool.
template <class T>
inline T mul_add(T o, T a, T b) {
  if constexpr (std::is_same_v<T, bool>) {
    return o || (a && b);
  } else if constexpr (std::is_integral_v<T>) {
    using U = std::make_unsigned_t<T>;
    return static_cast<T>(
        static_cast<U>(static_cast<U>(o) + static_cast<U>(a) * static_cast<U>(b)));
  } else {
    return o + a * b;
  }
}

// The outputs i in [lo, hi) that tap j reaches: 0 <= i + first + j < n.
struct TapRange {
  std::int64_t lo, hi;
};
inline TapRange tap_range(std::int64_t n, std::int64_t first, std::int64_t j, std::int64_t count) {
  std::int64_t lo = -first - j, hi = n - first - j;
  if (lo < 0) lo = 0;
  if (hi > count) hi = count;
  return {lo, hi};
}

template <class T>
void correlate_typed(const T* x, std::int64_t n, const T* w, std::int64_t m, std::int64_t first,
                     T* out, std::int64_t count, bool accumulate) {
  if (!accumulate)
    for (std::int64_t i = 0; i < count; ++i) out[i] = T(0);
  for (std::int64_t j = 0; j < m; ++j) {
    const TapRange r = tap_range(n, first, j, count);
    if (r.lo >= r.hi) continue;
    const T* xs = x + first + j;
    if constexpr (std::is_floating_point_v<T>) {
      const int f = std::is_same_v<T, double> ? 1 : 0;
      stencil_simd().axpy[f](out + r.lo, xs + r.lo, static_cast<double>(w[j]), r.hi - r.lo);
    } else {
      for (std::int64_t i = r.lo; i < r.hi; ++i) out[i] = mul_add(out[i], w[j], xs[i]);
    }
  }
}

}  // namespace

void correlate_line(DType t, const void* x, std::int64_t n, const void* w, std::int64_t m,
                    std::int64_t first, void* out, std::int64_t count, bool accumulate) {
  visit_dtype(t, [&](auto tag) {
    using T = typename decltype(tag)::type;
    if constexpr (std::is_arithmetic_v<T>) {
      correlate_typed(static_cast<const T*>(x), n, static_cast<const T*>(w), m, first,
                      static_cast<T*>(out), count, accumulate);
    } else {
      throw std::invalid_argument(std::string("no correlation loop for ") + dtype_name(t));
    }
  });
}

}  // namespace tessera::kernels
