// The element-wise kernel table compiled for sse42 (see CMakeLists.txt for its flags).
#define TESSERA_KERNEL_ARCH sse42
#include "unary_impl.hpp"

namespace tessera::kernels {

const KernelTable& kernel_table_sse42() {
  static const KernelTable table = [] {
    KernelTable k{};
    binary_impl::fill_table<xsimd::sse4_2>(k);
    unary_impl::fill_table<xsimd::sse4_2>(k);
    return k;
  }();
  return table;
}

}  // namespace tessera::kernels
