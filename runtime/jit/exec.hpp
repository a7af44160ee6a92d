// Runs a compiled Program over a call's arrays in one pass: blocks of
// kBlock elements, each instruction a line-function call over the block's
// buffers (or straight over contiguous and broadcast operands), blocks spread
// over the runtime's threads, small calls on the calling thread.
#pragma once

#include "../array.hpp"
#include "../context.hpp"
#include "program.hpp"

namespace tessera::jit {

struct Call {
  const Array* arrays[kMaxArgs] = {};  // array arguments (nullptr elsewhere)
  Scalar numbers[kMaxArgs];            // number and boolean arguments
  const Array* out[kMaxOutputs] = {};  // given `out` arrays (nullptr: a new one)
};

struct Results {
  Array* arrays[kMaxOutputs] = {};  // where new result arrays go
  Scalar values[kMaxOutputs];       // reductions and number results
};

// Whether a program is memory-bound: little work per element (relative cost
// at most kMemoryBoundCost per array read or written).
inline constexpr int kMemoryBoundCost = 4;
bool memory_bound(const Program& p);
// Elements per block: kMemoryBlock for memory-bound programs, whose blocks
// start by touching the lines of every contiguous input in turn (so that
// memory serves all the streams at once, not one instruction's stream at a
// time), else kComputeBlock, which keeps block buffers in L1.
// TESSERA_JIT_BLOCK or set_block_size (ts._jit_block) fix the size instead,
// for tuning (0: chosen per program).
inline constexpr std::int64_t kMemoryBlock = 256, kComputeBlock = 512;
std::int64_t block_size(const Program& p);
std::int64_t block_size();  // the fixed size, or 0
// false unless 0 or a power of two in [16, kernels::kReduceChunk]
bool set_block_size(std::int64_t n);

// Throws Error for shapes that do not broadcast, an unusable `out`, or a
// number out of range for the dtype it meets (the core's messages, prefixed
// with the operation and its script position).
void execute(Context& ctx, const Program& p, const Call& call, Results& results);

}  // namespace tessera::jit
