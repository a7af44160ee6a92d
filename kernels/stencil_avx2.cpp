// The stencil loops compiled for avx2 (see CMakeLists.txt for its flags).
// No contraction into FMA: see stencil_simd.hpp.
#pragma GCC optimize("fp-contract=off")
#define TESSERA_KERNEL_ARCH avx2
#include "stencil_simd.hpp"

namespace tessera::kernels {

const StencilSimd& stencil_simd_avx2() {
  static const StencilSimd table = stencil_impl::make_table<xsimd::fma3<xsimd::avx2>>();
  return table;
}

}  // namespace tessera::kernels
