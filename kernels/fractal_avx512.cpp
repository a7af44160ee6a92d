// The escape-time loops compiled for avx512 (see CMakeLists.txt for its flags).
#define TESSERA_KERNEL_ARCH avx512
#define TESSERA_FRACTAL_IMPL
#include "fractal_simd.hpp"

namespace tessera::kernels {

const EscapeSimd& escape_simd_avx512() {
  static const EscapeSimd table = fractal_impl::make_table<xsimd::avx512dq, 6>();
  return table;
}

}  // namespace tessera::kernels
