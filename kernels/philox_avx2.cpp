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
