// The stencil loops compiled for sse42 (see CMakeLists.txt for its flags).
// No contraction into FMA: see stencil_simd.hpp.
#pragma GCC optimize("fp-contract=off")
#define TESSERA_KERNEL_ARCH sse42
#include "stencil_simd.hpp"

namespace tessera::kernels {

const StencilSimd& stencil_simd_sse42() {
  static const StencilSimd table = stencil_impl::make_table<xsimd::sse4_2>();
  return table;
}

}  // namespace tessera::kernels
