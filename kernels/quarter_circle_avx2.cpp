// Quarter-circle counting, 4 points per instruction (see kernels/quarter_circle.hpp).
#include <immintrin.h>

#include "quarter_circle.hpp"

namespace tessera::kernels {

// Each 64-bit lane holds a point's two words (x low, y high): their top 31
// bits squared with the 32 x 32 -> 64 multiply, summed (below 2^63, so a
// signed comparison is exact), compared with 2^62.
std::int64_t count_inside_avx2(const std::uint32_t* words, std::int64_t points) {
  const __m256i r2 = _mm256_set1_epi64x(std::int64_t{1} << 62);
  std::int64_t c = 0, i = 0;
  for (; i + 4 <= points; i += 4) {
    __m256i w =
        _mm256_srli_epi32(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(words + 2 * i)), 1);
    __m256i y = _mm256_srli_epi64(w, 32);
    __m256i s = _mm256_add_epi64(_mm256_mul_epu32(w, w), _mm256_mul_epu32(y, y));
    c += __builtin_popcount(_mm256_movemask_pd(_mm256_castsi256_pd(_mm256_cmpgt_epi64(r2, s))));
  }
  return c + count_inside_scalar(words + 2 * i, points - i);
}

}  // namespace tessera::kernels
