#include "quarter_circle.hpp"

#include <algorithm>

#include "simd.hpp"

namespace tessera::kernels {

namespace {
constexpr std::int64_t kBlocks = 1024;  // Philox blocks per buffer (16 KiB)
constexpr std::uint64_t kRadius2 = std::uint64_t{1} << 62;
}  // namespace

std::int64_t count_inside_scalar(const std::uint32_t* words, std::int64_t points) {
  std::int64_t c = 0;
  for (std::int64_t i = 0; i < points; ++i) {
    std::uint64_t x = words[2 * i] >> 1, y = words[2 * i + 1] >> 1;
    c += x * x + y * y < kRadius2;
  }
  return c;
}

std::int64_t count_inside(const std::uint32_t* words, std::int64_t points) {
  switch (simd_level()) {
    case SimdLevel::Avx512: return count_inside_avx512(words, points);
    case SimdLevel::Avx2: return count_inside_avx2(words, points);
    case SimdLevel::Sse42: break;
  }
  return count_inside_scalar(words, points);
}

std::int64_t quarter_circle_hits(const philox::Stream& s, std::uint64_t first, std::int64_t p0,
                                 std::int64_t n) {
  alignas(64) std::uint32_t buf[4 * kBlocks];
  std::int64_t hits = 0;
  for (std::int64_t done = 0; done < n;) {
    std::int64_t points = std::min(2 * kBlocks, n - done);
    std::int64_t blocks = (points + 1) / 2;
    philox::blocks(s, first + static_cast<std::uint64_t>((p0 + done) / 2), blocks, buf);
    hits += count_inside(buf, points);
    done += points;
  }
  return hits;
}

}  // namespace tessera::kernels
