// The element-wise kernel table compiled for avx512 (see CMakeLists.txt for its flags).
#define TESSERA_KERNEL_ARCH avx512
#include "unary_impl.hpp"

namespace tessera::kernels {

const KernelTable& kernel_table_avx512() {
  static const KernelTable table = [] {
    KernelTable k{};
    binary_impl::fill_table<xsimd::avx512dq>(k);
    unary_impl::fill_table<xsimd::avx512dq>(k);
    return k;
  }();
  return table;
}

}  // namespace tessera::kernels
