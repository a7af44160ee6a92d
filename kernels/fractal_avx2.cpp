// The escape-time loops compiled for avx2 (see CMakeLists.txt for its flags).
#define TESSERA_KERNEL_ARCH avx2
#define TESSERA_FRACTAL_IMPL
#include "fractal_simd.hpp"

namespace tessera::kernels {

const EscapeSimd& escape_simd_avx2() {
  static const EscapeSimd table = fractal_impl::make_table<xsimd::avx2, 4>();
  return table;
}

}  // namespace tessera::kernels
