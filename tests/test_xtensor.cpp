// xtensor adaptors see the array's own memory, whatever its layout.
#include <doctest/doctest.h>

#include <xtensor/xarray.hpp>
#include <xtensor/xmath.hpp>

#include "runtime/xtensor.hpp"

using namespace tessera;

namespace {
Array iota(Dims shape) {
  Array a = Array::empty(DType::Float64, shape);
  for (std::int64_t i = 0; i < a.size(); ++i) a.data_as<double>()[i] = double(i);
  return a;
}
}  // namespace

TEST_CASE("contiguous adaptor shares memory") {
  Array a = iota(Dims{2, 3});
  auto x = as_xtensor<double>(a);
  CHECK(x(1, 2) == 5.0);
  x(0, 1) = 42.0;
  CHECK(a.data_as<double>()[1] == 42.0);
  CHECK(xt::sum(x)() == 0 + 42 + 2 + 3 + 4 + 5);
}

TEST_CASE("strided adaptor follows transposed and reversed views") {
  Array a = iota(Dims{2, 3});
  auto t = as_xstrided<double>(a.T());
  CHECK(t.shape()[0] == 3);
  CHECK(t(2, 1) == 5.0);
  CHECK(t(1, 0) == 1.0);
  Array rev = a.slice(1, 2, 3, -1);  // columns 3,2,1
  auto r = as_xstrided<double>(rev);
  CHECK(r(0, 0) == 2.0);
  CHECK(r(1, 2) == 3.0);
}

TEST_CASE("dtype and layout mismatches are errors") {
  Array a = iota(Dims{2, 3});
  CHECK_THROWS_AS(as_xtensor<float>(a), Error);
  CHECK_THROWS_AS(as_xtensor<double>(a.T()), Error);
}
