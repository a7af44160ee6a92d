// Trial division, 8 divisors per instruction (see kernels/primes.hpp).
#include <immintrin.h>

#include "primes.hpp"

namespace tessera::kernels::primes {

namespace {
// Bit k set when d[k] divides n: q = round(n / d) from the reciprocal,
// q * d - n == 0 exactly.
inline __mmask8 divides(__m512d n, __m512d minus_n, const double* d, const double* inv) {
  __m512d vd = _mm512_loadu_pd(d);
  __m512d q = _mm512_roundscale_pd(_mm512_mul_pd(n, _mm512_loadu_pd(inv)),
                                   _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  return _mm512_cmp_pd_mask(_mm512_fmadd_pd(q, vd, minus_n), _mm512_setzero_pd(), _CMP_EQ_OQ);
}
}  // namespace

std::int64_t first_divisor_avx512(double n, const double* d, const double* inv,
                                  std::int64_t count) {
  __m512d vn = _mm512_set1_pd(n), minus_n = _mm512_set1_pd(-n);
  for (std::int64_t k = 0; k < count; k += 32) {
    __mmask8 m0 = divides(vn, minus_n, d + k, inv + k);
    __mmask8 m1 = divides(vn, minus_n, d + k + 8, inv + k + 8);
    __mmask8 m2 = divides(vn, minus_n, d + k + 16, inv + k + 16);
    __mmask8 m3 = divides(vn, minus_n, d + k + 24, inv + k + 24);
    std::uint32_t all = static_cast<std::uint32_t>(m0) | (static_cast<std::uint32_t>(m1) << 8) |
                        (static_cast<std::uint32_t>(m2) << 16) |
                        (static_cast<std::uint32_t>(m3) << 24);
    if (all) return k + __builtin_ctz(all);
  }
  return -1;
}

}  // namespace tessera::kernels::primes
