// Run-time CPU dispatch: the instruction set the kernels use, chosen once
// from what the CPU supports (the build itself targets baseline x86-64-v2).
#pragma once

namespace tessera::kernels {

enum class SimdLevel { Sse42, Avx2, Avx512 };

SimdLevel simd_level();
// "avx512bw", "avx2+fma" or "sse4.2".
const char* simd_arch();

}  // namespace tessera::kernels
