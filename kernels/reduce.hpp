// Reduction, scan and matrix-product kernels over raw pointers.
//
// A reduction is fed one line at a time (pointer, byte stride, length) into a
// ReduceState, in the logical (row-major) order of the elements, and then
// finished into one output element. The dispatch layer decides which lines:
// every innermost line of an array (all-elements reductions, via nd_loop.hpp)
// or one line along the reduced axis per output element.
//
// Float sums use a streaming pairwise summation whose tree depends only on
// the element count, so the result depends on the logical order of the
// elements, never on their layout in memory.
#pragma once

#include <cstddef>
#include <cstdint>

#include "../runtime/dtype.hpp"

namespace tessera::kernels {

// Pairwise summation in double: blocks of kBlock values, each summed with
// kLanes interleaved accumulators, combined as a binary tree (the partial
// sums of complete blocks wait on a stack, like the digits of a counter).
struct PairwiseSum {
  static constexpr int kBlock = 128;
  static constexpr int kLanes = 8;
  double lanes[kLanes] = {};
  int fill = 0;              // values in the current, incomplete block
  int depth = 0;             // entries on the stack
  std::uint64_t blocks = 0;  // complete blocks so far
  double stack[64];          // only [0, depth) is ever read

  void add(double x) {
    lanes[fill % kLanes] += x;
    if (++fill == kBlock) push_block(lanes_total());
  }
  // Adds the sum of one complete block (as if add() had been called kBlock
  // times from fill == 0).
  void push_block(double block);
  double lanes_total() const;
  double total() const;
};

enum class ReduceOp : std::uint8_t {
  Sum,   // bool/integers: int64, wrapping; floats: pairwise in double, input dtype
  Prod,  // bool/integers: int64, wrapping; floats: in double, input dtype
  Mean,  // pairwise in double; float32 stays, others give float64
  Var,   // second pass of the variance: needs `center` (the mean); dtype as Mean
  Std,   // like Var, square-rooted
  Min,   // input dtype; NaN propagates
  Max,
  ArgMin,  // int64 position of the first minimum (or first NaN), plus `base`
  ArgMax,
  Any,  // bool
  All,
  SumSq,   // pairwise sum of (x * scale)^2 in double (norms); float64
  SumAbs,  // pairwise sum of |x| in double; float64
  MaxAbs,  // largest |x| (NaN propagates); float64
  MinAbs,  // smallest |x|; float64
  Count
};

// What a reduction has accumulated so far, plus its parameters (center,
// scale, ddof, base), which the dispatch layer sets after reduce_start.
struct ReduceState {
  PairwiseSum sum;          // Sum (floats), Mean, Var, SumSq, SumAbs
  PairwiseSum dev;          // Var: sum of (x - center), the correction term
  std::uint64_t u = 0;      // integer Sum and Prod (modulo 2^64)
  double f = 0;             // float Prod; Min/Max of floats, *Abs
  std::int64_t i = 0;       // Min/Max of bool and integers
  std::int64_t count = 0;   // elements fed so far
  std::int64_t index = -1;  // Arg*: position of the best element
  bool flag = false;        // Any/All result; NaN seen (Min/Max/Arg*)
  double center = 0;        // Var/Std
  double scale = 1;         // SumSq
  std::int64_t ddof = 0;    // Var/Std
  std::int64_t base = 0;    // Arg*
};

// Feeds n elements at p, `stride` bytes apart, to st.
using ReduceLineFn = void (*)(ReduceState& st, const char* p, std::ptrdiff_t stride,
                              std::int64_t n);
// Writes the result, of dtype reduce_result(op, t), to out.
using ReduceFinishFn = void (*)(const ReduceState& st, char* out);

const char* reduce_name(ReduceOp op);
// Null when op has no loop for inputs of dtype t.
ReduceLineFn reduce_line(ReduceOp op, DType t);
ReduceFinishFn reduce_finish(ReduceOp op, DType t);
DType reduce_result(ReduceOp op, DType t);
// A fresh state holding op's identity.
void reduce_start(ReduceOp op, ReduceState& st);

// Running sum and product along a line: out[i] = in[0] + ... + in[i]. The
// running value is kept in `acc` between calls so that lines can continue
// each other (flattened scans). Result dtype as for Sum/Prod.
enum class ScanOp : std::uint8_t { CumSum, CumProd, Count };
struct ScanState {
  std::uint64_t u = 0;  // bool/integers (modulo 2^64)
  double f = 0;         // floats, in double
};
using ScanLineFn = void (*)(ScanState& st, const char* in, std::ptrdiff_t in_stride, char* out,
                            std::ptrdiff_t out_stride, std::int64_t n);
const char* scan_name(ScanOp op);
ScanLineFn scan_line(ScanOp op, DType t);
DType scan_result(ScanOp op, DType t);
void scan_start(ScanOp op, ScanState& st);

// c (n x m) = a (n x k) times b (k x m), all C-contiguous of one dtype.
// Integers wrap; bool is logical (or of ands). Each c[i][j] sums over k in
// increasing order.
using MatmulFn = void (*)(const char* a, const char* b, char* c, std::int64_t n, std::int64_t k,
                          std::int64_t m);
MatmulFn matmul_kernel(DType t);

}  // namespace tessera::kernels
