// A final reduction fed block by block during a fused pass. The elements
// are cut into chunks of kernels::kReduceChunk at fixed positions, each chunk
// reduced into its own state and the states merged in order, exactly as the
// core's all-elements reduction does (runtime/ops/reduce.cpp), so the result
// has the same bits as reducing the materialized array, whatever the number
// of threads.
#pragma once

#include <cstdint>
#include <vector>

#include "../../kernels/reduce.hpp"
#include "../ops/scalar.hpp"

namespace tessera::jit {

class ReduceSink {
 public:
  static constexpr std::int64_t kChunk = kernels::kReduceChunk;

  // op over `total` elements of dtype t (throws Error when op has no
  // result for an empty input).
  ReduceSink(kernels::ReduceOp op, DType t, std::int64_t total);

  std::int64_t chunks() const { return chunks_; }
  // A state for chunk c (elements [c * kChunk, ...)).
  void start(kernels::ReduceState& st, std::int64_t chunk) const;
  void feed(kernels::ReduceState& st, const char* p, std::ptrdiff_t stride, std::int64_t n) const {
    line_(st, p, stride, n);
  }
  // Keeps chunk c's finished state for the merge (chunks may finish in any
  // order, on any thread).
  void finish_chunk(const kernels::ReduceState& st, std::int64_t chunk);
  // Merges the chunks in order and returns the result as a Lua-like value.
  Scalar result() const;

 private:
  kernels::ReduceOp op_;
  DType t_;
  std::int64_t chunks_;
  kernels::ReduceLineFn line_;
  std::vector<kernels::ReducePart> parts_;  // chunks 0 .. chunks-2
  kernels::ReduceState last_;               // the last chunk, whole
};

}  // namespace tessera::jit
