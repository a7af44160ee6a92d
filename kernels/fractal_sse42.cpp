// The escape-time loops compiled for sse42 (see CMakeLists.txt for its flags).
#define TESSERA_KERNEL_ARCH sse42
#define TESSERA_FRACTAL_IMPL
#include "fractal_simd.hpp"

namespace tessera::kernels {

const EscapeSimd& escape_simd_sse42() {
  static const EscapeSimd table = fractal_impl::make_table<xsimd::sse4_2, 4>();
  return table;
}

}  // namespace tessera::kernels
