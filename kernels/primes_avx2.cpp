// Trial division, 4 divisors per instruction (see kernels/primes.hpp).
#include <immintrin.h>

#include "primes.hpp"

namespace tessera::kernels::primes {

namespace {
// Bit k set when d[k] divides n: q = round(n / d) from the reciprocal,
// q * d - n == 0 exactly.
inline std::uint32_t divides(__m256d n, __m256d minus_n, const double* d, const double* inv) {
  __m256d q = _mm256_round_pd(_mm256_mul_pd(n, _mm256_loadu_pd(inv)),
                              _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  __m256d r = _mm256_fmadd_pd(q, _mm256_loadu_pd(d), minus_n);
  return static_cast<std::uint32_t>(
      _mm256_movemask_pd(_mm256_cmp_pd(r, _mm256_setzero_pd(), _CMP_EQ_OQ)));
}
}  // namespace

std::int64_t first_divisor_avx2(double n, const double* d, const double* inv, std::int64_t count) {
  __m256d vn = _mm256_set1_pd(n), minus_n = _mm256_set1_pd(-n);
  for (std::int64_t k = 0; k < count; k += 32) {
    std::uint32_t all = 0;
    for (int j = 0; j < 8; ++j)
      all |= divides(vn, minus_n, d + k + 4 * j, inv + k + 4 * j) << (4 * j);
    if (all) return k + __builtin_ctz(all);
  }
  return -1;
}

}  // namespace tessera::kernels::primes
