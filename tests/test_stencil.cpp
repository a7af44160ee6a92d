// The stencil row kernels of every instruction set the CPU runs, against a
// scalar reference written here in the documented order
// (((((-4*c + up) + down) + left) + right), then lap*k + c), bit for bit, for
// row lengths around the vector widths and at every alignment of the output;
// and correlate_line against sums by hand.
#include <doctest/doctest.h>

#include <cstdint>
#include <cstring>
#include <vector>

#include "kernels/simd.hpp"
#include "kernels/stencil.hpp"

using namespace tessera;
using namespace tessera::kernels;

namespace {

std::vector<const StencilSimd*> tables() {
  std::vector<const StencilSimd*> t{&stencil_simd_sse42()};
  if (simd_level() >= SimdLevel::Avx2) t.push_back(&stencil_simd_avx2());
  if (simd_level() >= SimdLevel::Avx512) t.push_back(&stencil_simd_avx512());
  return t;
}

// The reference for one output row.
template <class T>
std::vector<T> reference_row(const T* up, const T* mid, const T* down, std::int64_t n, T k,
                             bool step, bool wrap) {
  std::vector<T> out(static_cast<std::size_t>(n));
  for (std::int64_t j = 0; j < n; ++j) {
    if (!wrap && (j == 0 || j == n - 1)) {
      out[j] = step ? mid[j] : T(0);
      continue;
    }
    const T left = mid[(j + n - 1) % n], right = mid[(j + 1) % n];
    T lap = T(-4) * mid[j];
    lap = lap + up[j];
    lap = lap + down[j];
    lap = lap + left;
    lap = lap + right;
    out[j] = step ? T(lap * k) + mid[j] : lap;
  }
  return out;
}

// Values with many significant bits, so that any change of order shows.
template <class T>
std::vector<T> values(std::size_t n, std::uint32_t seed) {
  std::vector<T> v(n);
  for (auto& x : v) {
    seed = seed * 1664525u + 1013904223u;
    x = static_cast<T>(seed >> 8) / T(16777216) * T(3.3) - T(1.1);
  }
  return v;
}

template <class T>
void check_rows() {
  const int f = std::is_same_v<T, double> ? 1 : 0;
  const T k = static_cast<T>(0.1);
  for (const StencilSimd* table : tables()) {
    for (std::int64_t n : {1, 2, 3, 7, 8, 9, 15, 16, 17, 31, 33, 64, 100}) {
      for (int shift = 0; shift < 16; ++shift) {  // every alignment of out + 1
        const auto up = values<T>(static_cast<std::size_t>(n), 1);
        const auto mid = values<T>(static_cast<std::size_t>(n), 2);
        const auto down = values<T>(static_cast<std::size_t>(n), 3);
        std::vector<T> buffer(static_cast<std::size_t>(n + 16));
        T* out = buffer.data() + shift;
        for (int step = 0; step < 2; ++step) {
          for (bool wrap : {true, false}) {
            table->row[step][f](up.data(), mid.data(), down.data(), out, n, 0.1, wrap);
            const auto ref =
                reference_row(up.data(), mid.data(), down.data(), n, k, step == 1, wrap);
            CAPTURE(n);
            CAPTURE(shift);
            CAPTURE(step);
            CAPTURE(wrap);
            CHECK(std::memcmp(out, ref.data(), sizeof(T) * static_cast<std::size_t>(n)) == 0);
          }
        }
      }
    }
  }
}

}  // namespace

TEST_CASE("stencil rows: every instruction set equals the scalar reference bit for bit") {
  check_rows<double>();
  check_rows<float>();
}

TEST_CASE("correlate_line: sums by hand, partial overlaps, integers wrap") {
  const double x[5] = {1, 2, 3, 4, 5}, w[3] = {0.5, -1, 2};
  double out[7];
  // full correlation: first = -(m - 1)
  correlate_line(DType::Float64, x, 5, w, 3, -2, out, 7);
  const double full[7] = {2.0, 3.0, 4.5, 6.0, 7.5, -3.0, 2.5};
  for (int i = 0; i < 7; ++i) CHECK(out[i] == full[i]);
  // accumulate adds to what is there
  correlate_line(DType::Float64, x, 5, w, 3, 0, out, 3, true);
  CHECK(out[0] == 2.0 + 4.5);
  CHECK(out[2] == 4.5 + 7.5);
  const std::int32_t a[2] = {2000000000, 3}, v[1] = {2};
  std::int32_t r[2];
  correlate_line(DType::Int32, a, 2, v, 1, 0, r, 2);
  CHECK(r[0] == -294967296);  // 4e9 wraps modulo 2^32
  CHECK(r[1] == 6);
}
