// The opcode tables of one instruction set. kernels/elementwise.cpp picks the
// table for the running CPU; each elementwise_<isa>.cpp builds one.
#pragma once

#include "elementwise.hpp"

namespace tessera::kernels {

struct KernelTable {
  LineFn binary[static_cast<int>(BinaryOp::Count)][kNumDTypes];
  LineFn unary[static_cast<int>(UnaryOp::Count)][kNumDTypes];
  LineFn cast[kNumDTypes][kNumDTypes];
  LineFn where[kNumDTypes];
};

const KernelTable& kernel_table_sse42();
const KernelTable& kernel_table_avx2();
const KernelTable& kernel_table_avx512();

}  // namespace tessera::kernels
