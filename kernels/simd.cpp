#include "simd.hpp"

#include <xsimd/config/xsimd_cpuid.hpp>

#include <cstdlib>
#include <cstring>

namespace tessera::kernels {

namespace {
SimdLevel detect() {
  auto cpu = xsimd::available_architectures();
  SimdLevel level = SimdLevel::Sse42;
  if (cpu.avx2 && cpu.fma3_avx2) level = SimdLevel::Avx2;
  if (cpu.avx512bw && cpu.avx512dq && cpu.avx512f) level = SimdLevel::Avx512;
  // TESSERA_SIMD=sse4.2|avx2 lowers the level (for testing every path).
  if (const char* cap = std::getenv("TESSERA_SIMD")) {
    if (std::strcmp(cap, "sse4.2") == 0) level = SimdLevel::Sse42;
    else if (std::strcmp(cap, "avx2") == 0 && level > SimdLevel::Avx2) level = SimdLevel::Avx2;
  }
  return level;
}
}  // namespace

SimdLevel simd_level() {
  static const SimdLevel level = detect();
  return level;
}

const char* simd_arch() {
  switch (simd_level()) {
    case SimdLevel::Avx512: return "avx512bw";
    case SimdLevel::Avx2: return "avx2+fma";
    case SimdLevel::Sse42: break;
  }
  return "sse4.2";
}

}  // namespace tessera::kernels
