// The reduction loops compiled for avx2 (see CMakeLists.txt for its flags).
#define TESSERA_KERNEL_ARCH avx2
#define TESSERA_REDUCE_IMPL
#include "reduce_simd.hpp"

namespace tessera::kernels {

const ReduceSimd& reduce_simd_avx2() {
  static const ReduceSimd table = reduce_impl::make_table<xsimd::fma3<xsimd::avx2>>();
  return table;
}

}  // namespace tessera::kernels
