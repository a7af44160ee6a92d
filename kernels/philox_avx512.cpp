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
  static type add(type a, type b) { return _mm512_add_epi32(a, b); }
  static type iota() {
    return _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
  }
  // Four word vectors of 16 blocks -> 16 consecutive blocks.
  static void store_blocks(std::uint32_t* out, type a, type b, type c, type d) {
    type t0 = _mm512_unpacklo_epi32(a, b), t1 = _mm512_unpackhi_epi32(a, b);
    type t2 = _mm512_unpacklo_epi32(c, d), t3 = _mm512_unpackhi_epi32(c, d);
    type u0 = _mm512_unpacklo_epi64(t0, t2), u1 = _mm512_unpackhi_epi64(t0, t2);
    type u2 = _mm512_unpacklo_epi64(t1, t3), u3 = _mm512_unpackhi_epi64(t1, t3);
    // 128-bit lane k of u_j is block 4k + j.
    type p = _mm512_shuffle_i32x4(u0, u1, 0x44), q = _mm512_shuffle_i32x4(u2, u3, 0x44);
    type r = _mm512_shuffle_i32x4(u0, u1, 0xEE), s = _mm512_shuffle_i32x4(u2, u3, 0xEE);
    _mm512_storeu_si512(out, _mm512_shuffle_i32x4(p, q, 0x88));
    _mm512_storeu_si512(out + 16, _mm512_shuffle_i32x4(p, q, 0xDD));
    _mm512_storeu_si512(out + 32, _mm512_shuffle_i32x4(r, s, 0x88));
    _mm512_storeu_si512(out + 48, _mm512_shuffle_i32x4(r, s, 0xDD));
  }
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
