// Per-hash operations of the sketches, shared by the bulk loops
// (kernels/sketch.cpp) and the one-item paths (runtime/sketch/): where a hash
// lands in a HyperLogLog register file, in a sparse HLL list, in a Bloom
// filter's bits and in a count-min row.
#pragma once

#include <cstdint>

namespace tessera::kernels {

inline int clz64(std::uint64_t x) { return __builtin_clzll(x); }  // x != 0

// Lemire's multiply-shift: maps x uniformly onto [0, n) using its high bits.
inline std::uint64_t fastrange64(std::uint64_t x, std::uint64_t n) {
  return static_cast<std::uint64_t>((static_cast<unsigned __int128>(x) * n) >> 64);
}

// ---- HyperLogLog -----------------------------------------------------------

inline constexpr int kHllMinPrecision = 4;
inline constexpr int kHllMaxPrecision = 18;
inline constexpr int kHllSparsePrecision = 25;  // p' of HLL++'s sparse list

struct HllUpdate {
  std::uint32_t index;  // register, the top p bits of the hash
  std::uint8_t rank;    // 1 + leading zeros of the remaining 64 - p bits (65 - p if all zero)
};

inline HllUpdate hll_update(std::uint64_t h, int p) {
  const std::uint64_t w = (h << p) | (std::uint64_t{1} << (p - 1));
  return {static_cast<std::uint32_t>(h >> (64 - p)), static_cast<std::uint8_t>(clz64(w) + 1)};
}

// HLL++'s sparse encoding at p' = 25 in 32 bits: idx' (the top 25 bits) << 7,
// and when the p' - p bits below the register index are all zero (so they do
// not fix the rank) also rank'(the remaining 39 bits, 1..40) << 1 | 1. Encoded
// values sort by idx', and within one idx' the largest is the largest rank.
inline std::uint32_t hll_sparse_encode(std::uint64_t h, int p) {
  const auto idx = static_cast<std::uint32_t>(h >> (64 - kHllSparsePrecision));
  const std::uint32_t low = idx & ((std::uint32_t{1} << (kHllSparsePrecision - p)) - 1);
  if (low != 0) return idx << 7;
  const std::uint64_t w = (h << kHllSparsePrecision) | (std::uint64_t{1} << 24);
  const auto r = static_cast<std::uint32_t>(clz64(w) + 1);
  return (idx << 7) | (r << 1) | 1;
}

// The bias constant of the raw estimate alpha_m * m^2 / sum(2^-M[j]).
inline double hll_alpha(std::uint32_t m) {
  if (m == 16) return 0.673;
  if (m == 32) return 0.697;
  if (m == 64) return 0.709;
  return 0.7213 / (1.0 + 1.079 / m);
}

inline std::uint32_t hll_sparse_key(std::uint32_t e) { return e >> 7; }  // idx'

// The dense register update an encoded sparse value stands for: the same as
// hll_update of the original hash.
inline HllUpdate hll_sparse_decode(std::uint32_t e, int p) {
  const std::uint32_t idx = e >> 7;
  const int extra = kHllSparsePrecision - p;
  HllUpdate u;
  u.index = idx >> extra;
  if (e & 1) {
    u.rank = static_cast<std::uint8_t>(((e >> 1) & 63) + extra);
  } else {
    const std::uint32_t low = idx & ((std::uint32_t{1} << extra) - 1);
    u.rank = static_cast<std::uint8_t>(clz64(low) - (64 - extra) + 1);
  }
  return u;
}

// ---- Bloom filter and count-min ----------------------------------------------

// Probe i of k (Kirsch-Mitzenmacher double hashing): a bit in [0, nbits).
inline std::uint64_t bloom_probe(std::uint64_t h1, std::uint64_t h2, int i, std::uint64_t nbits) {
  return fastrange64(h1 + static_cast<std::uint64_t>(i) * h2, nbits);
}

// The column of row i of a count-min sketch of the given width.
inline std::uint64_t countmin_column(std::uint64_t h1, std::uint64_t h2, int row,
                                     std::uint64_t width) {
  return fastrange64(h1 + static_cast<std::uint64_t>(row) * h2, width);
}

}  // namespace tessera::kernels
