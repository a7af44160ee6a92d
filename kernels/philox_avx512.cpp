// Philox blocks with AVX-512 (16 lanes); see kernels/philox_simd.hpp.
#include "philox_simd.hpp"

namespace tessera::kernels::philox {
namespace {

struct Avx512 {
  using type = __m512i;
  static constexpr int lanes = 16;
  static type set1(std::uint32_t v) { return _mm512_set1_epi32(static_cast<int>(v)); }
  static type load(const std::uint32_t* p) { return _mm512_load_si512(p); }
  static void store(std::uint32_t* p, type v) { _mm512_store_si512(p, v); }
  static type xor3(type a, type b, type c) {
    return _mm512_ternarylogic_epi32(a, b, c, 0x96);
  }
  static void mulhilo(type a, type m, type& hi, type& lo) {
    type pe = _mm512_mul_epu32(a, m);
    type po = _mm512_mul_epu32(_mm512_srli_epi64(a, 32), m);
    lo = _mm512_mask_blend_epi32(0xAAAA, pe, _mm512_slli_epi64(po, 32));
    hi = _mm512_mask_blend_epi32(0xAAAA, _mm512_srli_epi64(pe, 32), po);
  }
};

}  // namespace

std::int64_t blocks_avx512(const Stream& s, std::uint64_t first, std::int64_t n,
                           std::uint32_t* out) {
  std::int64_t done = n / (2 * Avx512::lanes) * (2 * Avx512::lanes);
  blocks_vec<Avx512>(s, first, done, out);
  return done;
}

}  // namespace tessera::kernels::philox
