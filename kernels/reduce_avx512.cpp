// The reduction loops compiled for avx512 (see CMakeLists.txt for its flags).
#define TESSERA_KERNEL_ARCH avx512
#define TESSERA_REDUCE_IMPL
#include "reduce_simd.hpp"

namespace tessera::kernels {

const ReduceSimd& reduce_simd_avx512() {
  static const ReduceSimd table = reduce_impl::make_table<xsimd::avx512bw>();
  return table;
}

}  // namespace tessera::kernels
