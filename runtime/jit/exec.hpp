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
  const Array* arrays[kMaxArgs] = {};   // array arguments (nullptr elsewhere)
  Scalar numbers[kMaxArgs];             // number and boolean arguments
  const Array* out[kMaxOutputs] = {};   // given `out` arrays (nullptr: a new one)
};

struct Results {
  Array* arrays[kMaxOutputs] = {};  // where new result arrays go
  Scalar values[kMaxOutputs];       // reductions and number results
};

// Elements per block (a power of two dividing kernels::kReduceChunk);
// TESSERA_JIT_BLOCK or set_block_size (ts._jit_block) override it, for tuning.
std::int64_t block_size();
bool set_block_size(std::int64_t n);  // false unless a power of two in [16, kReduceChunk]

// Throws Error for shapes that do not broadcast, an unusable `out`, or a
// number out of range for the dtype it meets (the core's messages, prefixed
// with the operation and its script position).
void execute(Context& ctx, const Program& p, const Call& call, Results& results);

}  // namespace tessera::jit
