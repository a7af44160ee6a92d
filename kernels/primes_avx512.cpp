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

namespace tessera::kernels::primes {

// 8 odd divisors d per step, any 64-bit n (AVX-512DQ 64-bit multiplies):
// with inv = d^-1 mod 2^64 (Newton's iteration from 3d xor 2, right to 5
// bits, 4 steps), q = n * inv mod 2^64 is n / d when d | n; otherwise q d =
// n + k 2^64 with k >= 1, so q >= n / d + 2^64 / d >= n / d + 2^32 (d < 2^32).
// Comparing q with n / d in double precision (errors around 2^-50 of n / d
// <= 2^62, so below 2^13) separates the two cases exactly.
std::uint64_t first_factor_avx512(std::uint64_t n, std::uint64_t from, std::uint64_t to) {
  const __m512i vn = _mm512_set1_epi64(static_cast<long long>(n));
  const __m512i two = _mm512_set1_epi64(2), three = _mm512_set1_epi64(3);
  const __m512i step = _mm512_set1_epi64(16);
  const __m512d nd = _mm512_set1_pd(static_cast<double>(n) * (1 + 0x1p-40));
  const __m512d slack = _mm512_set1_pd(2);
  __m512i d = _mm512_add_epi64(_mm512_set1_epi64(static_cast<long long>(from)),
                               _mm512_setr_epi64(0, 2, 4, 6, 8, 10, 12, 14));
  std::uint64_t base = from;
  for (; to >= 14 && base <= to - 14; base += 16, d = _mm512_add_epi64(d, step)) {
    __m512i x = _mm512_xor_si512(_mm512_mullo_epi64(d, three), two);
    for (int i = 0; i < 4; ++i)
      x = _mm512_mullo_epi64(x, _mm512_sub_epi64(two, _mm512_mullo_epi64(d, x)));
    __m512d q = _mm512_cvtepu64_pd(_mm512_mullo_epi64(vn, x));
    __m512d bound = _mm512_add_pd(_mm512_div_pd(nd, _mm512_cvtepu64_pd(d)), slack);
    __mmask8 m = _mm512_cmp_pd_mask(q, bound, _CMP_LE_OQ);
    if (m) return base + 2 * static_cast<std::uint64_t>(__builtin_ctz(m));
  }
  for (; base <= to; base += 2) {
    if (n % base == 0) return base;
  }
  return 0;
}

}  // namespace tessera::kernels::primes
