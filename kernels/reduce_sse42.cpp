// The reduction loops compiled for sse42 (see CMakeLists.txt for its flags).
#define TESSERA_KERNEL_ARCH sse42
#define TESSERA_REDUCE_IMPL
#include "reduce_simd.hpp"

namespace tessera::kernels {

const ReduceSimd& reduce_simd_sse42() {
  static const ReduceSimd table = reduce_impl::make_table<xsimd::sse4_2>();
  return table;
}

}  // namespace tessera::kernels
