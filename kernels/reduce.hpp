// Reduction, scan and matrix-product kernels over raw pointers.
//
// A reduction is fed one line at a time (pointer, byte stride, length) into a
// ReduceState, in the logical (row-major) order of the elements, and then
// finished into one output element. The dispatch layer decides which lines:
// every innermost line of an array (all-elements reductions, via nd_loop.hpp)
// or one line along the reduced axis per output element.
//
// Every result is a function of the logical sequence of the elements only:
// never of their layout in memory, of how the sequence is cut into lines,
// or of the number of threads. The streaming definition (feeding the whole
// sequence into one state) is the reference; the parallel form cuts the
// sequence into chunks of kReduceChunk elements at fixed positions, reduces
// each chunk into its own state, and merges the states in order with
// reduce_merge, which gives the streaming result bit for bit:
//
// * Float sums (Sum, Mean, Var, SumSq, SumAbs, dot) are pairwise: blocks of
//   kBlock values, value i of a block going to lane i % kLanes; each lane
//   adds its values in order, the lanes of a block are folded by halving
//   (lane j + lane j+8, then j + j+4, j + j+2, 0 + 1), and the block sums are
//   combined as a binary tree over the block count (complete blocks wait on a
//   stack, like the digits of a counter). A chunk is a power of two of
//   blocks, so each complete chunk is one subtree of that tree.
// * Float products: kLanes lanes the same way, folded at each chunk end;
//   the chunk products are multiplied in order.
// * Integer sums and products wrap modulo 2^64 (associative, so any order).
// * Min, Max, Arg*: the first extreme element in logical order, or the first
//   NaN, which wins.
//
// The SIMD loops (kernels/reduce_simd.hpp, one translation unit per
// instruction set) follow the same lanes, so a strided or side-by-side
// reduction gives the same bits as a contiguous one. The instruction set can
// change results only where it fuses a multiply and an add (SumSq, Var and
// dot use FMA on AVX2 and AVX-512, a separate multiply and add on SSE4.2);
// sums, means, products and extremes are identical at every level.
#pragma once

#include <cstddef>
#include <cstdint>

#include "../runtime/dtype.hpp"

namespace tessera::kernels {

// Elements per chunk of the parallel form: 2^8 blocks of 256.
inline constexpr std::int64_t kReduceChunk = std::int64_t{1} << 16;

// Pairwise summation in double (see above). Plain data: the SIMD loops
// update the fields directly and call the out-of-line members.
struct PairwiseSum {
  static constexpr int kBlock = 256;
  static constexpr int kLanes = 16;
  static constexpr int kChunkLevel = 8;  // kReduceChunk = kBlock << kChunkLevel
  static constexpr int kMaxDepth = 64;
  double lanes[kLanes];
  int fill;              // values in the current, incomplete block
  int depth;             // entries on the stack
  std::uint64_t blocks;  // complete blocks so far
  double stack[kMaxDepth];  // only [0, depth) is ever read

  void reset();
  // Adds the sum of one complete block (as if its kBlock values had been fed
  // from fill == 0); clears the lanes.
  void push_block(double block);
  // Adds a perfect subtree of 2^level blocks; blocks must be a multiple of it.
  void push_subtree(double value, int level);
  // Continues this sum with the values summed in `tail` (a fresh sum fed with
  // the values that follow). This sum must end on a multiple of tail's
  // largest subtree with an empty block (true at every chunk boundary).
  void append(const PairwiseSum& tail);
  double lanes_total() const;
  double total() const;
};

static_assert(kReduceChunk == PairwiseSum::kBlock << PairwiseSum::kChunkLevel);

// Halving fold of the kLanes lanes: the order every block sum uses.
double fold_lanes(const double* lanes);
// The same tree with products (float Prod).
double fold_lanes_product(const double* lanes);

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
  PairwiseSum sum;          // Sum (floats), Mean, Var, SumSq, SumAbs; float Prod's lanes
  PairwiseSum dev;          // Var: sum of (x - center), the correction term
  std::uint64_t u = 0;      // integer Sum and Prod (modulo 2^64)
  double f = 0;             // float Prod (of complete chunks); Min/Max of floats, *Abs
  std::int64_t i = 0;       // Min/Max of bool and integers
  std::int64_t count = 0;   // logical position: elements fed so far
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
// Null when op has no loop for inputs of dtype t (so for complex dtypes: the
// dispatch layer reduces their float parts).
ReduceLineFn reduce_line(ReduceOp op, DType t);
ReduceFinishFn reduce_finish(ReduceOp op, DType t);
DType reduce_result(ReduceOp op, DType t);
// A fresh state holding op's identity, at logical position `start` (a
// multiple of kReduceChunk when the state reduces one chunk).
void reduce_start(ReduceOp op, ReduceState& st, std::int64_t start = 0);

// A complete chunk's state in a few words, for merging later.
struct ReducePart {
  double sum, dev, f;
  std::uint64_t u;
  std::int64_t i, index, count;
  bool flag;
};
ReducePart reduce_part(const ReduceState& chunk);
// Continues `into` (which ends on a chunk boundary) with the chunk that
// follows it: a complete one as a part, or any chunk as a state.
void reduce_merge(ReduceOp op, DType t, ReduceState& into, const ReducePart& next);
void reduce_merge(ReduceOp op, DType t, ReduceState& into, const ReduceState& next);

// Dot product of float lines: a Sum-like state fed with products a[i] * b[i]
// (floats in double). Null unless t is float32 or float64; finish with
// reduce_finish(Sum, t) and merge as Sum.
using DotLineFn = void (*)(ReduceState& st, const char* a, std::ptrdiff_t as, const char* b,
                           std::ptrdiff_t bs, std::int64_t n);
DotLineFn dot_line(DType t);

// Column reductions: `rows` lines of `cols` contiguous elements, lines
// `row_stride` bytes apart; reduces each column (down the rows) as a line of
// its own, exactly as reduce_line would, vectorized across the columns.
// Results go to out (and out2) as doubles per column, unfinished:
//   Sum, Mean: the pairwise sum;  SumSq, SumAbs: the pairwise sum of x^2, |x|;
//   Var, Std: sum of (x - center[c])^2 to out, sum of (x - center[c]) to out2.
// `work` must hold column_work_doubles(op, rows) doubles. Null when there is
// no column loop for (op, t).
using ColumnFn = void (*)(const char* x, std::ptrdiff_t row_stride, std::int64_t rows,
                          std::int64_t cols, double scale, const double* center, double* out,
                          double* out2, double* work);
ColumnFn column_loop(ReduceOp op, DType t);
std::size_t column_work_doubles(ReduceOp op, std::int64_t rows);
// Columns a column loop reduces per pass, and the depth of the pairwise
// stack for `rows` rows.
inline constexpr std::int64_t kColumnPanel = 1024;
static constexpr int column_depth(std::int64_t rows) {
  int depth = 1;
  while ((std::uint64_t{1} << depth) <= static_cast<std::uint64_t>(rows / PairwiseSum::kBlock))
    ++depth;
  return depth;
}

// Finishes m columns' sums from a ColumnFn into out (elements out_stride
// bytes apart), as reduce_finish would with `count` elements per column.
void finish_columns(ReduceOp op, DType t, const double* sum, const double* dev,
                    std::int64_t count, std::int64_t ddof, char* out, std::ptrdiff_t out_stride,
                    std::int64_t m);

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
ScanLineFn scan_line(ScanOp op, DType t);  // null for complex dtypes
DType scan_result(ScanOp op, DType t);
void scan_start(ScanOp op, ScanState& st);

// c (n x m) = a (n x k) times b (k x m), all C-contiguous of one dtype.
// Integers wrap; bool is logical (or of ands). Each c[i][j] sums over k in
// increasing order.
using MatmulFn = void (*)(const char* a, const char* b, char* c, std::int64_t n, std::int64_t k,
                          std::int64_t m);
MatmulFn matmul_kernel(DType t);

}  // namespace tessera::kernels
