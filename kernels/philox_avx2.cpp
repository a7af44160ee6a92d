// Philox blocks with AVX2 (8 lanes); see kernels/philox_simd.hpp.
#include "philox_simd.hpp"

namespace tessera::kernels::philox {
namespace {

struct Avx2 {
  using type = __m256i;
  static constexpr int lanes = 8;
  static type set1(std::uint32_t v) { return _mm256_set1_epi32(static_cast<int>(v)); }
  static type load(const std::uint32_t* p) {
    return _mm256_load_si256(reinterpret_cast<const __m256i*>(p));
  }
  static void store(std::uint32_t* p, type v) {
    _mm256_store_si256(reinterpret_cast<__m256i*>(p), v);
  }
  static type add(type a, type b) { return _mm256_add_epi32(a, b); }
  static type iota() { return _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7); }
  // Four word vectors of 8 blocks -> 8 consecutive blocks.
  static void store_blocks(std::uint32_t* out, type a, type b, type c, type d) {
    type t0 = _mm256_unpacklo_epi32(a, b), t1 = _mm256_unpackhi_epi32(a, b);
    type t2 = _mm256_unpacklo_epi32(c, d), t3 = _mm256_unpackhi_epi32(c, d);
    type u0 = _mm256_unpacklo_epi64(t0, t2), u1 = _mm256_unpackhi_epi64(t0, t2);
    type u2 = _mm256_unpacklo_epi64(t1, t3), u3 = _mm256_unpackhi_epi64(t1, t3);
    // 128-bit lane k of u_j is block 4k + j.
    auto* o = reinterpret_cast<__m256i*>(out);
    _mm256_storeu_si256(o + 0, _mm256_permute2x128_si256(u0, u1, 0x20));
    _mm256_storeu_si256(o + 1, _mm256_permute2x128_si256(u2, u3, 0x20));
    _mm256_storeu_si256(o + 2, _mm256_permute2x128_si256(u0, u1, 0x31));
    _mm256_storeu_si256(o + 3, _mm256_permute2x128_si256(u2, u3, 0x31));
  }
  static type xor3(type a, type b, type c) {
    return _mm256_xor_si256(_mm256_xor_si256(a, b), c);
  }
  static void mulhilo(type a, type m, type& hi, type& lo) {
    type pe = _mm256_mul_epu32(a, m);
    type po = _mm256_mul_epu32(_mm256_srli_epi64(a, 32), m);
    lo = _mm256_blend_epi32(pe, _mm256_slli_epi64(po, 32), 0xAA);
    hi = _mm256_blend_epi32(_mm256_srli_epi64(pe, 32), po, 0xAA);
  }
};

}  // namespace

std::int64_t blocks_avx2(const Stream& s, std::uint64_t first, std::int64_t n,
                         std::uint32_t* out) {
  std::int64_t done = n / (2 * Avx2::lanes) * (2 * Avx2::lanes);
  blocks_vec<Avx2>(s, first, done, out);
  return done;
}

}  // namespace tessera::kernels::philox
