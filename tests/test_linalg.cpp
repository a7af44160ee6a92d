// linalg dispatch without Lua: the BLAS thread gate under concurrent callers,
// the thread policy of par workers, and matmul_into layouts against a plain
// triple loop.
#include <doctest/doctest.h>

#include <cblas.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <thread>
#include <vector>

#include "runtime/array.hpp"
#include "runtime/context.hpp"
#include "runtime/linalg/blas_threads.hpp"
#include "runtime/linalg/linalg.hpp"

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

TEST_CASE("BLAS threads: the runtime's setting, one thread in a shared arena") {
  Context owner, worker;
  owner.parallel.set_threads(2);
  CHECK(linalg::blas_threads(owner) == 2);
  worker.parallel.use_arena(2, owner.parallel.arena());
  CHECK(worker.parallel.shares_arena());
  CHECK(linalg::blas_threads(worker) == 1);
  {
    linalg::BlasCall call(owner);
    CHECK(openblas_get_num_threads() == 2);
  }
  {
    linalg::BlasCall call(worker);
    CHECK(openblas_get_num_threads() == 1);
  }
  worker.parallel.set_threads(1);  // leaves the shared arena
  CHECK_FALSE(worker.parallel.shares_arena());
}

TEST_CASE("BLAS gate: one-thread calls overlap, a threaded call runs alone") {
  std::atomic<int> inside{0}, most{0}, threaded_overlap{0};
  auto enter = [&](int threads) {
    linalg::BlasCall call(threads);
    const int now = ++inside;
    if (now > most) most = now;
    if (threads > 1 && now > 1) ++threaded_overlap;
    CHECK(openblas_get_num_threads() == threads);
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    --inside;
  };
  std::vector<std::thread> pool;
  for (int t = 0; t < 6; ++t)
    pool.emplace_back([&, t] {
      for (int i = 0; i < 20; ++i) enter(t % 3 == 0 ? 2 : 1);
    });
  for (std::thread& t : pool) t.join();
  CHECK(threaded_overlap == 0);
  CHECK(most >= 1);
}
