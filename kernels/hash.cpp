#include "hash.hpp"

namespace tessera::kernels {

namespace {

inline std::uint64_t load_le64(const unsigned char* p) {
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

}  // namespace

Hash128 murmur3_x64_128(const void* key, std::size_t len, std::uint32_t seed) {
  constexpr std::uint64_t c1 = 0x87c37b91114253d5ULL, c2 = 0x4cf5ad432745937fULL;
  const auto* data = static_cast<const unsigned char*>(key);
  const std::size_t nblocks = len / 16;
  std::uint64_t h1 = seed, h2 = seed;

  for (std::size_t i = 0; i < nblocks; ++i) {
    std::uint64_t k1 = load_le64(data + 16 * i);
    std::uint64_t k2 = load_le64(data + 16 * i + 8);
    k1 *= c1;
    k1 = rotl64(k1, 31);
    k1 *= c2;
    h1 ^= k1;
    h1 = rotl64(h1, 27);
    h1 += h2;
    h1 = h1 * 5 + 0x52dce729;
    k2 *= c2;
    k2 = rotl64(k2, 33);
    k2 *= c1;
    h2 ^= k2;
    h2 = rotl64(h2, 31);
    h2 += h1;
    h2 = h2 * 5 + 0x38495ab5;
  }

  // The tail: up to 15 bytes, the first 8 into k1, the rest into k2.
  const unsigned char* tail = data + 16 * nblocks;
  const std::size_t rest = len & 15;
  std::uint64_t k1 = 0, k2 = 0;
  for (std::size_t i = rest; i > 8; --i) k2 = (k2 << 8) | tail[i - 1];
  for (std::size_t i = rest < 8 ? rest : 8; i > 0; --i) k1 = (k1 << 8) | tail[i - 1];
  if (rest > 8) {
    k2 *= c2;
    k2 = rotl64(k2, 33);
    k2 *= c1;
    h2 ^= k2;
  }
  if (rest > 0) {
    k1 *= c1;
    k1 = rotl64(k1, 31);
    k1 *= c2;
    h1 ^= k1;
  }

  h1 ^= static_cast<std::uint64_t>(len);
  h2 ^= static_cast<std::uint64_t>(len);
  h1 += h2;
  h2 += h1;
  h1 = fmix64(h1);
  h2 = fmix64(h2);
  h1 += h2;
  h2 += h1;
  return {h1, h2};
}

void hash_elements(DType t, const void* data, std::int64_t begin, std::int64_t end, Hash128* out) {
  for_each_hash(t, data, begin, end, [&](std::int64_t i, Hash128 h) { out[i - begin] = h; });
}

}  // namespace tessera::kernels
