// The element-wise kernel table compiled for avx2 (see CMakeLists.txt for its flags).
#define TESSERA_KERNEL_ARCH avx2
#include "unary_impl.hpp"

namespace tessera::kernels {

const KernelTable& kernel_table_avx2() {
  static const KernelTable table = [] {
    KernelTable k{};
    binary_impl::fill_table<xsimd::fma3<xsimd::avx2>>(k);
    unary_impl::fill_table<xsimd::fma3<xsimd::avx2>>(k);
    return k;
  }();
  return table;
}

}  // namespace tessera::kernels
