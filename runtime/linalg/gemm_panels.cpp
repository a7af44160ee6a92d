#include "gemm_panels.hpp"

#include <algorithm>
#include <cmath>

namespace tessera::linalg {
namespace {

std::int64_t round_up(std::int64_t x, std::int64_t step) { return (x + step - 1) / step * step; }

// The multiple of step nearest to x, at least step (nearest rather than up:
// the panels stay close to kMaxPanels of similar size and a short last one).
std::int64_t round_near(std::int64_t x, std::int64_t step) {
  return std::max(step, (x + step / 2) / step * step);
}

}  // namespace

std::int64_t GemmPanels::align(DType t) { return t == DType::Float32 ? 96 : 64; }

GemmPanels gemm_panels(DType t, std::int64_t n, std::int64_t m, std::int64_t k) {
  GemmPanels p;
  p.by_rows = n >= m || t == DType::Float32;
  const std::int64_t step = GemmPanels::align(t);
  const std::int64_t len = std::max<std::int64_t>(1, p.by_rows ? n : m);
  const double across =
      double(std::max<std::int64_t>(1, p.by_rows ? m : n)) * double(std::max<std::int64_t>(1, k));
  std::int64_t size = round_near(len / GemmPanels::kMaxPanels, step);
  size = std::max(size, round_up(GemmPanels::kMinPanel, step));
  if (double(size) * across < GemmPanels::kMinWork)
    size = round_up(std::int64_t(std::min(double(len), std::ceil(GemmPanels::kMinWork / across))),
                    step);
  p.size = std::min(size, len);
  p.count = (len + p.size - 1) / p.size;
  p.work = double(p.size) * across;
  return p;
}

}  // namespace tessera::linalg
