#include "sketch.hpp"

#include "hash.hpp"
#include "sketch_ops.hpp"

namespace tessera::kernels {

void hll_add_dense(DType t, const void* data, std::int64_t begin, std::int64_t end, int p,
                   std::uint8_t* regs) {
  for_each_hash(t, data, begin, end, [&](std::int64_t, Hash128 h) {
    HllUpdate u = hll_update(h.h1, p);
    if (regs[u.index] < u.rank) regs[u.index] = u.rank;
  });
}

void hll_encode_sparse(DType t, const void* data, std::int64_t begin, std::int64_t end, int p,
                       std::uint32_t* out) {
  std::uint32_t recent[4096];
  for (auto& r : recent) r = kHllNoEntry;
  for_each_hash(t, data, begin, end, [&](std::int64_t i, Hash128 h) {
    const std::uint32_t e = hll_sparse_encode(h.h1, p);
    std::uint32_t& slot = recent[(h.h1 >> 20) & 4095];
    out[i - begin] = slot == e ? kHllNoEntry : e;
    slot = e;
  });
}

void bloom_add(DType t, const void* data, std::int64_t begin, std::int64_t end,
               std::uint64_t* words, std::uint64_t nbits, int k) {
  // In groups of 8: hash and prefetch every probe's word, then set the bits
  // (the words mostly miss cache; this keeps many misses in flight).
  constexpr int kGroup = 8;
  Hash128 hs[kGroup];
  for (std::int64_t g = begin; g < end; g += kGroup) {
    const std::int64_t ge = g + kGroup < end ? g + kGroup : end;
    const int len = static_cast<int>(ge - g);
    hash_elements(t, data, g, ge, hs);
    for (int j = 0; j < len; ++j)
      for (int i = 0; i < k; ++i)
        __builtin_prefetch(words + (bloom_probe(hs[j].h1, hs[j].h2, i, nbits) >> 6), 1);
    for (int j = 0; j < len; ++j)
      for (int i = 0; i < k; ++i) {
        std::uint64_t bit = bloom_probe(hs[j].h1, hs[j].h2, i, nbits);
        words[bit >> 6] |= std::uint64_t{1} << (bit & 63);
      }
  }
}

void bloom_query(DType t, const void* data, std::int64_t begin, std::int64_t end,
                 const std::uint64_t* words, std::uint64_t nbits, int k, bool* out) {
  // In groups of 16: hash, prefetch the first two probes' words, then test
  // (a query mostly misses cache; the early exit would otherwise serialize).
  constexpr int kGroup = 16;
  Hash128 hs[kGroup];
  for (std::int64_t g = begin; g < end; g += kGroup) {
    const std::int64_t ge = g + kGroup < end ? g + kGroup : end;
    const int len = static_cast<int>(ge - g);
    hash_elements(t, data, g, ge, hs);
    for (int j = 0; j < len; ++j)
      for (int i = 0; i < 2 && i < k; ++i)
        __builtin_prefetch(words + (bloom_probe(hs[j].h1, hs[j].h2, i, nbits) >> 6));
    for (int j = 0; j < len; ++j) {
      bool all = true;
      for (int i = 0; i < k && all; ++i) {
        std::uint64_t bit = bloom_probe(hs[j].h1, hs[j].h2, i, nbits);
        all = (words[bit >> 6] >> (bit & 63)) & 1;
      }
      out[g + j - begin] = all;
    }
  }
}

void countmin_add(DType t, const void* data, std::int64_t begin, std::int64_t end,
                  std::uint64_t* counters, std::uint64_t width, int depth, std::uint64_t weight) {
  for_each_hash(t, data, begin, end, [&](std::int64_t, Hash128 h) {
    for (int r = 0; r < depth; ++r) counters[r * width + countmin_column(h.h1, h.h2, r, width)] += weight;
  });
}

void countmin_query(DType t, const void* data, std::int64_t begin, std::int64_t end,
                    const std::uint64_t* counters, std::uint64_t width, int depth,
                    std::int64_t* out) {
  for_each_hash(t, data, begin, end, [&](std::int64_t j, Hash128 h) {
    std::uint64_t best = ~std::uint64_t{0};
    for (int r = 0; r < depth; ++r) {
      std::uint64_t c = counters[r * width + countmin_column(h.h1, h.h2, r, width)];
      if (c < best) best = c;
    }
    out[j - begin] = static_cast<std::int64_t>(best);
  });
}

std::int64_t kmv_collect(DType t, const void* data, std::int64_t begin, std::int64_t end,
                         std::uint64_t below, std::uint64_t* out) {
  std::int64_t n = 0;
  for_each_hash(t, data, begin, end, [&](std::int64_t, Hash128 h) {
    if (h.h1 < below) out[n++] = h.h1;
  });
  return n;
}

}  // namespace tessera::kernels
