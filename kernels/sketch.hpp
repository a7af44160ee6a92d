// Bulk loops of the sketches over the contiguous elements [begin, end) of a
// raw buffer of any dtype, hashed as kernels/hash.hpp defines. The runtime
// (runtime/sketch/) splits arrays into blocks and runs these in parallel, each
// block on state of its own (merged afterwards), so no loop here needs atomics.
#pragma once

#include <cstdint>

#include "../runtime/dtype.hpp"

namespace tessera::kernels {

// regs[idx] = max(regs[idx], rank) for every element (regs private to the caller).
void hll_add_dense(DType t, const void* data, std::int64_t begin, std::int64_t end, int p,
                   std::uint8_t* regs);
// out[i - begin] = the sparse encoding of element i, or kHllNoEntry when the
// same encoding came shortly before in [begin, end) (a small direct-mapped
// cache drops repeats cheaply; some repeats stay, which is harmless).
inline constexpr std::uint32_t kHllNoEntry = 0xffffffffu;  // never a valid encoding
void hll_encode_sparse(DType t, const void* data, std::int64_t begin, std::int64_t end, int p,
                       std::uint32_t* out);

// Sets the k probe bits of every element (words private to the caller).
void bloom_add(DType t, const void* data, std::int64_t begin, std::int64_t end,
               std::uint64_t* words, std::uint64_t nbits, int k);
// out[i - begin] = whether all k probe bits of element i are set.
void bloom_query(DType t, const void* data, std::int64_t begin, std::int64_t end,
                 const std::uint64_t* words, std::uint64_t nbits, int k, bool* out);

// Adds weight to one counter per row (depth rows of width counters, row
// major) for every element (counters private to the caller).
void countmin_add(DType t, const void* data, std::int64_t begin, std::int64_t end,
                  std::uint64_t* counters, std::uint64_t width, int depth, std::uint64_t weight);
// out[i - begin] = the point estimate (minimum over rows) of element i.
void countmin_query(DType t, const void* data, std::int64_t begin, std::int64_t end,
                    const std::uint64_t* counters, std::uint64_t width, int depth,
                    std::int64_t* out);

// Writes the h1 of every element below `below` to out (room for end - begin
// values) and returns how many.
std::int64_t kmv_collect(DType t, const void* data, std::int64_t begin, std::int64_t end,
                         std::uint64_t below, std::uint64_t* out);

}  // namespace tessera::kernels
