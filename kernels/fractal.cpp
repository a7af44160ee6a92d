#include "fractal.hpp"

#include "simd.hpp"

namespace tessera::kernels {

namespace {
const EscapeSimd& table() {
  static const EscapeSimd& t = []() -> const EscapeSimd& {
    switch (simd_level()) {
      case SimdLevel::Avx512: return escape_simd_avx512();
      case SimdLevel::Avx2: return escape_simd_avx2();
      case SimdLevel::Sse42: break;
    }
    return escape_simd_sse42();
  }();
  return t;
}
}  // namespace

void escape_counts(const double* re, const double* im, std::int64_t n, const EscapeParams& p,
                   std::int32_t* out) {
  table().f64(re, im, n, p, out);
}

void escape_counts(const float* re, const float* im, std::int64_t n, const EscapeParams& p,
                   std::int32_t* out) {
  table().f32(re, im, n, p, out);
}

}  // namespace tessera::kernels
