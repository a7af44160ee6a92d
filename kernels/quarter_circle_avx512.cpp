// Quarter-circle counting, 8 points per instruction (see kernels/quarter_circle.hpp).
#include <immintrin.h>

#include "quarter_circle.hpp"

namespace tessera::kernels {

// Each 64-bit lane holds a point's two words (x low, y high): their top 31
// bits squared with the 32 x 32 -> 64 multiply, summed, compared with 2^62.
std::int64_t count_inside_avx512(const std::uint32_t* words, std::int64_t points) {
  const __m512i r2 = _mm512_set1_epi64(std::int64_t{1} << 62);
  std::int64_t c = 0, i = 0;
  for (; i + 8 <= points; i += 8) {
    __m512i w = _mm512_srli_epi32(_mm512_loadu_si512(words + 2 * i), 1);
    __m512i y = _mm512_srli_epi64(w, 32);
    __m512i s = _mm512_add_epi64(_mm512_mul_epu32(w, w), _mm512_mul_epu32(y, y));
    c += __builtin_popcount(_mm512_cmplt_epu64_mask(s, r2));
  }
  return c + count_inside_scalar(words + 2 * i, points - i);
}

}  // namespace tessera::kernels
