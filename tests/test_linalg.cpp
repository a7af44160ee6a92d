// linalg dispatch without Lua: matmul_into layouts against a plain triple
// loop; one BLAS thread; the fixed gemm partition and its bit-identity to one
// single-threaded gemm call at any thread count; interrupts between tiles.
#include <doctest/doctest.h>

#include <cblas.h>

#include <cstdint>
#include <cstring>
#include <vector>

#include "runtime/array.hpp"
#include "runtime/context.hpp"
#include "runtime/linalg/gemm_panels.hpp"
#include "runtime/linalg/linalg.hpp"
#include "runtime/ops/elementwise.hpp"

using namespace tessera;

namespace {

// Small integers, so every product is exact in float64.
Array small_ints(const Dims& shape, int seed) {
  Array a = Array::empty(DType::Float64, shape);
  for (std::int64_t i = 0; i < a.size(); ++i)
    a.data_as<double>()[i] = double((i * 7 + seed) % 11) - 5;
  return a;
}

double at(const Array& a, std::int64_t i, std::int64_t j) {
  return a.data_as<double>()[i * a.stride(0) + j * a.stride(1)];
}

// The plain triple loop, reading any strides.
std::vector<double> reference(const Array& a, const Array& b) {
  std::vector<double> c;
  for (std::int64_t i = 0; i < a.dim(0); ++i)
    for (std::int64_t j = 0; j < b.dim(1); ++j) {
      double s = 0;
      for (std::int64_t k = 0; k < a.dim(1); ++k) s += at(a, i, k) * at(b, k, j);
      c.push_back(s);
    }
  return c;
}

void check_product(Context& ctx, const Array& a, const Array& b) {
  Array out = Array::empty(DType::Float64, Dims{a.dim(0), b.dim(1)});
  linalg::matmul_into(ctx, a, b, out);
  const std::vector<double> want = reference(a, b);
  for (std::size_t i = 0; i < want.size(); ++i) REQUIRE(out.data_as<double>()[i] == want[i]);
}

}  // namespace

TEST_CASE("matmul_into reads transposed, strided and negative-step operands") {
  Context ctx;
  const Array a = small_ints(Dims{6, 9}, 1), b = small_ints(Dims{9, 4}, 2);
  check_product(ctx, a, b);
  check_product(ctx, b.T(), a.T());                                // both transposed
  check_product(ctx, a.slice(1, 0, 4, 2), b.slice(0, 0, 4, 2));    // every other column/row
  check_product(ctx, a.slice(0, 5, 6, -1), b.slice(1, 3, 4, -1));  // negative steps
  check_product(ctx, a.narrow(1, 2, 5), b.narrow(0, 1, 5));        // rows longer than used
  check_product(ctx, a.narrow(0, 0, 1), b);                        // one row
  check_product(ctx, a, b.narrow(1, 0, 1));                        // one column
}

TEST_CASE("BLAS and LAPACK compute on one thread, whatever the runtime's threads") {
  Context ctx;
  ctx.parallel.set_threads(2);
  openblas_set_num_threads(2);  // as a host program might
  const Array a = small_ints(Dims{6, 9}, 1), b = small_ints(Dims{9, 4}, 2);
  check_product(ctx, a, b);
  CHECK(openblas_get_num_threads() == 1);
}

TEST_CASE("gemm panels depend on the shape only, on multiples of 64, never splitting K") {
  using linalg::GemmPanels;
  const GemmPanels square = linalg::gemm_panels(DType::Float64, 2000, 2000, 2000);
  CHECK(square.by_rows);
  CHECK(square.size == 512);
  CHECK(square.count == 4);
  const GemmPanels wide =
      linalg::gemm_panels(DType::Float64, 300, 310, 280);  // more columns than rows
  CHECK_FALSE(wide.by_rows);
  CHECK(wide.size == 256);
  CHECK(wide.count == 2);
  CHECK(linalg::gemm_panels(DType::Float64, 20, 10, 30).count == 1);    // too little work to split
  CHECK(linalg::gemm_panels(DType::Float64, 1000, 7, 300).count == 1);  // 2.1M multiply-adds
  const GemmPanels thin =
      linalg::gemm_panels(DType::Float64, 8000, 16, 64);  // grown to 4M mul-adds
  CHECK(thin.size == 4096);
  CHECK(thin.count == 2);
  const GemmPanels single = linalg::gemm_panels(DType::Float32, 2000, 2000, 2000);  // sgemm: 96s
  CHECK(single.size == 480);
  CHECK(single.count == 5);
  const GemmPanels wide32 = linalg::gemm_panels(DType::Float32, 500, 1000, 500);
  CHECK(wide32.by_rows);  // float32 never splits columns
  CHECK(wide32.count == 2);
  CHECK(linalg::gemm_panels(DType::Float64, 0, 0, 0).count == 1);
}

namespace {

// Values whose products round, so a different summation order shows.
Array noise(DType t, const Dims& shape, unsigned seed) {
  Array a = Array::empty(t, shape);
  unsigned x = seed * 2654435761u + 1;
  for (std::int64_t i = 0; i < a.size(); ++i) {
    x = x * 1664525u + 1013904223u;
    const double v = double(x >> 8) / double(1u << 24) - 0.5;
    if (t == DType::Float32) a.data_as<float>()[i] = float(v);
    else a.data_as<double>()[i] = v;
  }
  return a;
}

// One single-threaded cblas call on the whole (row-major, contiguous) product.
Array whole_gemm(const Array& a, const Array& b) {
  const int n = int(a.dim(0)), k = int(a.dim(1)), m = int(b.dim(1));
  Array c = Array::empty(a.dtype(), Dims{n, m});
  openblas_set_num_threads(1);
  if (a.dtype() == DType::Float32)
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, m, k, 1, a.data_as<float>(), k,
                b.data_as<float>(), m, 0, c.data_as<float>(), m);
  else
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, m, k, 1, a.data_as<double>(), k,
                b.data_as<double>(), m, 0, c.data_as<double>(), m);
  return c;
}

bool same_bits(const Array& x, const Array& y) {
  return x.nbytes() == y.nbytes() && std::memcmp(x.data(), y.data(), x.nbytes()) == 0;
}

Array product(Context& ctx, const Array& a, const Array& b, const Dims& shape) {
  Array out = Array::empty(a.dtype(), shape);
  linalg::matmul_into(ctx, a, b, out);
  return out;
}

}  // namespace

// The shapes include ones where OpenBLAS's own threading changes the last
// bits between 1 and 2 threads (300x280 @ 280x310, 500^3, 1000x300 @ 300x7).
TEST_CASE("matmul_into is bit-identical to one single-threaded gemm at 1, 2 and 3 threads") {
  const std::int64_t shapes[][3] = {
      {300, 280, 310}, {500, 500, 500},  {1000, 300, 7},  {7, 300, 1000},  {130, 1001, 129},
      {257, 33, 255},  {1999, 37, 2001}, {600, 300, 520}, {4000, 129, 65}, {65, 129, 4000},
      {1, 5000, 1000}, {700, 150, 1500}, {1500, 150, 700}};
  for (DType t : {DType::Float64, DType::Float32})
    for (const auto& s : shapes) {
      CAPTURE(int(t));
      CAPTURE(s[0]);
      CAPTURE(s[1]);
      CAPTURE(s[2]);
      const Array a = noise(t, Dims{s[0], s[1]}, 1), b = noise(t, Dims{s[1], s[2]}, 2);
      const Array want = whole_gemm(a, b);
      for (int threads : {1, 2, 3}) {
        Context ctx;
        ctx.parallel.set_threads(threads);
        CHECK(same_bits(product(ctx, a, b, Dims{s[0], s[2]}), want));
      }
    }
  // the shapes above do split
  CHECK(linalg::gemm_panels(DType::Float32, 700, 1500, 150).count == 3);
  CHECK(linalg::gemm_panels(DType::Float64, 500, 500, 500).count == 2);
  CHECK(linalg::gemm_panels(DType::Float64, 1999, 2001, 37).count == 4);
  CHECK(linalg::gemm_panels(DType::Float32, 1999, 2001, 37).count == 5);
  CHECK(linalg::gemm_panels(DType::Float32, 4000, 129, 65).count == 5);
}

TEST_CASE("stacked and transposed products: bit-identical to per-matrix gemm at 1, 2, 3 threads") {
  const Array s = noise(DType::Float64, Dims{3, 520, 300}, 3);  // stack of a
  const Array b = noise(DType::Float64, Dims{300, 600}, 4);
  const Array bt = noise(DType::Float64, Dims{600, 300}, 5).T();  // a transposed view
  Context plain;
  const Array bt_copy = ops::copy(plain, bt);
  std::vector<Array> want, want_t;
  for (std::int64_t i = 0; i < 3; ++i) {
    const Array ai = s.narrow(0, i, 1).view_as(Dims{520, 300});
    want.push_back(whole_gemm(ai, b));
    want_t.push_back(whole_gemm(ai, bt_copy));
  }
  for (int threads : {1, 2, 3}) {
    Context ctx;
    ctx.parallel.set_threads(threads);
    const Array tall = product(ctx, s, b, Dims{3, 520, 600});   // one tall product
    const Array each = product(ctx, s, bt, Dims{3, 520, 600});  // per matrix, Trans b
    for (std::int64_t i = 0; i < 3; ++i) {
      CHECK(same_bits(tall.narrow(0, i, 1).view_as(Dims{520, 600}), want[i]));
      CHECK(same_bits(each.narrow(0, i, 1).view_as(Dims{520, 600}), want_t[i]));
    }
  }
}

TEST_CASE("an interrupt stops matmul_into between tiles") {
  for (int threads : {1, 2}) {
    Context ctx;
    ctx.parallel.set_threads(threads);
    const Array a = noise(DType::Float64, Dims{600, 300}, 1),
                b = noise(DType::Float64, Dims{300, 600}, 2);
    Array out = Array::empty(DType::Float64, Dims{600, 600});
    ctx.interrupt->request();
    CHECK_THROWS_AS(linalg::matmul_into(ctx, a, b, out), Interrupted);
    CHECK_FALSE(ctx.interrupt->requested());  // consumed by the report
  }
}
