// The stencil loops compiled for avx512 (see CMakeLists.txt for its flags).
// No contraction into FMA: see stencil_simd.hpp.
#pragma GCC optimize("fp-contract=off")
#define TESSERA_KERNEL_ARCH avx512
#include "stencil_simd.hpp"

namespace tessera::kernels {

const StencilSimd& stencil_simd_avx512() {
  static const StencilSimd table = stencil_impl::make_table<xsimd::avx512dq>();
  return table;
}

}  // namespace tessera::kernels
