// Philox4x32-10 over many blocks at once: V consecutive blocks in
// structure-of-arrays form (one vector per counter word), ten rounds with the
// 32x32->64 multiplies done two lanes at a time by mul_epu32. Included by
// kernels/philox.cpp (SSE4.2) and kernels/philox_<isa>.cpp, each with its
// own Vec; everything here has internal linkage, so each instruction set
// keeps its own copy.
#pragma once

#include <immintrin.h>

#include <cstdint>

#include "philox.hpp"

namespace tessera::kernels::philox {
namespace {

constexpr std::uint32_t kM0 = 0xD2511F53u, kM1 = 0xCD9E8D57u;
constexpr std::uint32_t kW0 = 0x9E3779B9u, kW1 = 0xBB67AE85u;

template <class Vec>
struct Lanes {
  typename Vec::type c0, c1, c2, c3;
};

// One Philox round on a group of lanes; k0/k1 are the broadcast round keys.
template <class Vec>
inline void round(Lanes<Vec>& x, typename Vec::type k0, typename Vec::type k1,
                  typename Vec::type m0, typename Vec::type m1) {
  using T = typename Vec::type;
  T hi0, lo0, hi1, lo1;
  Vec::mulhilo(x.c0, m0, hi0, lo0);
  Vec::mulhilo(x.c2, m1, hi1, lo1);
  T n0 = Vec::xor3(hi1, x.c1, k0);
  T n2 = Vec::xor3(hi0, x.c3, k1);
  x.c0 = n0;
  x.c1 = lo1;
  x.c2 = n2;
  x.c3 = lo0;
}

// Blocks [first, first + n) of stream s into out (4 words per block), for
// n a multiple of 2 * Vec::lanes; the caller runs the rest with the scalar code.
// Vec::store_blocks writes V blocks given as four word vectors (a transpose).
template <class Vec>
void blocks_vec(const Stream& s, std::uint64_t first, std::int64_t n, std::uint32_t* out) {
  using T = typename Vec::type;
  constexpr int V = Vec::lanes;
  const T m0 = Vec::set1(kM0), m1 = Vec::set1(kM1);
  const T stream = Vec::set1(s.stream), zero = Vec::set1(0);
  const T step = Vec::set1(V), iota = Vec::iota();
  const std::uint32_t key0 = static_cast<std::uint32_t>(s.key);
  const std::uint32_t key1 = static_cast<std::uint32_t>(s.key >> 32);
  alignas(64) std::uint32_t lo[2 * V], hi[2 * V];
  for (std::int64_t g = 0; g + 2 * V <= n; g += 2 * V) {
    const std::uint64_t b0 = first + static_cast<std::uint64_t>(g);
    T l0, h0, l1, h1;
    if ((b0 >> 32) == ((b0 + 2 * V - 1) >> 32)) {  // no carry into the high word
      l0 = Vec::add(Vec::set1(static_cast<std::uint32_t>(b0)), iota);
      l1 = Vec::add(l0, step);
      h0 = h1 = Vec::set1(static_cast<std::uint32_t>(b0 >> 32));
    } else {
      for (int i = 0; i < 2 * V; ++i) {
        std::uint64_t b = b0 + static_cast<std::uint64_t>(i);
        lo[i] = static_cast<std::uint32_t>(b);
        hi[i] = static_cast<std::uint32_t>(b >> 32);
      }
      l0 = Vec::load(lo);
      l1 = Vec::load(lo + V);
      h0 = Vec::load(hi);
      h1 = Vec::load(hi + V);
    }
    Lanes<Vec> a{l0, h0, zero, stream};
    Lanes<Vec> b{l1, h1, zero, stream};
    std::uint32_t k0 = key0, k1 = key1;
    for (int r = 0; r < 10; ++r) {
      const T vk0 = Vec::set1(k0), vk1 = Vec::set1(k1);
      round<Vec>(a, vk0, vk1, m0, m1);
      round<Vec>(b, vk0, vk1, m0, m1);
      k0 += kW0;
      k1 += kW1;
    }
    Vec::store_blocks(out + 4 * g, a.c0, a.c1, a.c2, a.c3);
    Vec::store_blocks(out + 4 * (g + V), b.c0, b.c1, b.c2, b.c3);
  }
}

}  // namespace
}  // namespace tessera::kernels::philox
