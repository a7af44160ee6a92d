// The project's 64-bit item hash: MurmurHash3 x64 128 (Austin Appleby's
// public-domain algorithm, written here from its description), and the one
// rule that maps a Lua value or an array element to the bytes it hashes.
//
// Item hashing (fixed: results are identical across runs, machines and
// thread counts):
//  - integers (Lua integers, bool/uint8/int32/int64 elements; true is 1,
//    false 0) hash the 8 little-endian bytes of their int64 value with seed
//    kIntegerSeed;
//  - floats (Lua floats, float32/float64 elements; float32 widens exactly to
//    double) that are integral and inside int64's range hash as that integer,
//    so 3.0 == 3 as in Lua's table keys (-0.0 is 0); other floats hash the 8
//    little-endian bytes of their IEEE-754 double with seed kFloatSeed (every
//    NaN is first made the canonical quiet NaN 0x7ff8000000000000);
//  - strings hash their bytes with seed kStringSeed (0), so a string's hash is
//    the reference MurmurHash3_x64_128(s, #s, 0).
// The three seeds keep the domains apart: the string "\1\0\0\0\0\0\0\0", the
// integer 1 and the float whose bits are 1 hash differently.
// Sketches use h1 (the first 64 bits) and, where they need two, h2.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>

#include "../runtime/dtype.hpp"

namespace tessera::kernels {

struct Hash128 {
  std::uint64_t h1, h2;
};

inline constexpr std::uint32_t kStringSeed = 0;
inline constexpr std::uint32_t kIntegerSeed = 0x54534b31;  // "TSK1"
inline constexpr std::uint32_t kFloatSeed = 0x54534b32;    // "TSK2"

inline std::uint64_t rotl64(std::uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }

inline std::uint64_t fmix64(std::uint64_t k) {
  k ^= k >> 33;
  k *= 0xff51afd7ed558ccdULL;
  k ^= k >> 33;
  k *= 0xc4ceb9fe1a85ec53ULL;
  k ^= k >> 33;
  return k;
}

// MurmurHash3_x64_128 of len bytes at key: h1 and h2 are the first and second
// little-endian 64-bit words of the reference 16-byte digest.
Hash128 murmur3_x64_128(const void* key, std::size_t len, std::uint32_t seed);

// The same for exactly the 8 little-endian bytes of v (the hot path).
inline Hash128 murmur3_u64(std::uint64_t v, std::uint32_t seed) {
  constexpr std::uint64_t c1 = 0x87c37b91114253d5ULL, c2 = 0x4cf5ad432745937fULL;
  std::uint64_t h1 = seed, h2 = seed;
  std::uint64_t k1 = v * c1;
  k1 = rotl64(k1, 31);
  k1 *= c2;
  h1 ^= k1;
  h1 ^= 8;
  h2 ^= 8;
  h1 += h2;
  h2 += h1;
  h1 = fmix64(h1);
  h2 = fmix64(h2);
  h1 += h2;
  h2 += h1;
  return {h1, h2};
}

inline Hash128 hash_integer(std::int64_t v) {
  return murmur3_u64(static_cast<std::uint64_t>(v), kIntegerSeed);
}

inline Hash128 hash_number(double x) {
  // Integral and in [-2^63, 2^63): the integer's hash. NaN fails both tests.
  if (x >= -9223372036854775808.0 && x < 9223372036854775808.0) {
    auto i = static_cast<std::int64_t>(x);
    if (static_cast<double>(i) == x) return hash_integer(i);
  }
  std::uint64_t bits;
  if (std::isnan(x)) {
    bits = 0x7ff8000000000000ULL;
  } else {
    std::memcpy(&bits, &x, sizeof bits);
  }
  return murmur3_u64(bits, kFloatSeed);
}

inline Hash128 hash_string(const char* s, std::size_t len) {
  return murmur3_x64_128(s, len, kStringSeed);
}

// The hash of one array element of C++ type T, consistent with the scalars.
template <class T>
inline Hash128 hash_element(T v) {
  if constexpr (std::is_floating_point_v<T>) {
    return hash_number(static_cast<double>(v));
  } else if constexpr (is_complex_v<T>) {  // (the sketches refuse complex arrays)
    const double parts[2] = {v.real(), v.imag()};
    return murmur3_x64_128(parts, sizeof parts, kFloatSeed);
  } else {
    return hash_integer(static_cast<std::int64_t>(v));
  }
}

// Hashes the contiguous elements [begin, end) of data (dtype t) into out.
void hash_elements(DType t, const void* data, std::int64_t begin, std::int64_t end, Hash128* out);

// Calls f(i, hash) for each contiguous element i in [begin, end) of data.
template <class F>
void for_each_hash(DType t, const void* data, std::int64_t begin, std::int64_t end, F&& f) {
  visit_dtype(t, [&](auto tag) {
    using T = typename decltype(tag)::type;
    const T* p = static_cast<const T*>(data);
    for (std::int64_t i = begin; i < end; ++i) f(i, hash_element<T>(p[i]));
  });
}

}  // namespace tessera::kernels
