// The fixed partition of one product (n x k) @ (k x m) into panels of output
// rows or columns, which ts.matmul runs on different threads (each panel one
// single-threaded gemm call). It depends only on the dtype and n, m, k, never
// on the thread count, and K is never split, so results do not depend on
// ts.threads(). Panel edges fall on multiples of align(), where OpenBLAS's
// kernel blocks start in a whole call too: each element goes through the same
// kernel in the same order as in one gemm call on the whole product, so the
// result is also bit-identical to single-threaded OpenBLAS. The alignments
// were measured on OpenBLAS 0.3.21's Haswell kernels, which it picks on this
// project's machines (tests/test_linalg.cpp checks them): double and complex
// gemm need multiples of 32 (64 taken) along either dimension; sgemm needs
// multiples of 96 between output rows, and no column split matched its whole
// call, so float32 products are split by rows only.
#pragma once

#include <cstdint>

#include "../dtype.hpp"

namespace tessera::linalg {

struct GemmPanels {
  // At most about this many panels: each one packs the whole other operand
  // again.
  static constexpr std::int64_t kMaxPanels = 4;
  // Rows (or columns) and multiply-adds a panel has at least, so that its
  // packing and its task stay small beside its arithmetic.
  static constexpr std::int64_t kMinPanel = 256;
  static constexpr double kMinWork = 1 << 22;
  static std::int64_t align(DType t);

  bool by_rows = true;    // panels of the output's rows, else of its columns
  std::int64_t size = 1;  // rows or columns per panel (the last may be shorter)
  std::int64_t count = 1;
  double work = 0;  // multiply-adds of a full panel
};

// Splits the longer of the output's dimensions (n rows, m columns); float32
// splits rows.
GemmPanels gemm_panels(DType t, std::int64_t n, std::int64_t m, std::int64_t k);

}  // namespace tessera::linalg
