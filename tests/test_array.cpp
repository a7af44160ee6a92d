// Array layout and views, checked against hand-computed offsets.
#include <doctest/doctest.h>

#include "runtime/array.hpp"
#include "runtime/ops/elementwise.hpp"

using namespace tessera;

TEST_CASE("contiguous array layout") {
  Array a = Array::zeros(DType::Float64, Dims{3, 4});
  CHECK(a.ndim() == 2);
  CHECK(a.size() == 12);
  CHECK(a.stride(0) == 4);
  CHECK(a.stride(1) == 1);
  CHECK(a.is_contiguous());
  CHECK(reinterpret_cast<std::uintptr_t>(a.data()) % 64 == 0);
}

TEST_CASE("views share storage and compose") {
  Array a = Array::empty(DType::Int64, Dims{3, 4});
  for (int i = 0; i < 12; ++i) a.data_as<std::int64_t>()[i] = i;
  Array t = a.T();
  CHECK(t.dim(0) == 4);
  CHECK(!t.is_contiguous());
  CHECK(t.shares_storage(a));
  std::int64_t idx[2] = {3, 1};  // t[3][1] == a[1][3] == 7
  CHECK(*static_cast<std::int64_t*>(t.element_ptr(idx)) == 7);
  Array rev = a.slice(1, 3, 4, -1);  // columns reversed
  std::int64_t j[2] = {2, 0};
  CHECK(*static_cast<std::int64_t*>(rev.element_ptr(j)) == 11);
  Array row = rev.select(0, 1);  // 7 6 5 4
  std::int64_t k[1] = {3};
  CHECK(*static_cast<std::int64_t*>(row.element_ptr(k)) == 4);
}

TEST_CASE("reshape is a view when strides allow, else a copy") {
  Context ctx;
  Array a = Array::zeros(DType::Float32, Dims{2, 6}, ctx.account);
  Array v = ops::reshape(ctx, a, Dims{3, 4});
  CHECK(v.shares_storage(a));
  Array c = ops::reshape(ctx, a.T(), Dims{12});
  CHECK(!c.shares_storage(a));
  CHECK_THROWS_AS(ops::reshape(ctx, a, Dims{5}), Error);
}

TEST_CASE("broadcasting rules") {
  CHECK(broadcast_shapes(Dims{3, 1}, Dims{4}) == Dims{3, 4});
  CHECK(broadcast_shapes(Dims{}, Dims{2, 2}) == Dims{2, 2});
  CHECK(broadcast_shapes(Dims{0}, Dims{1}) == Dims{0});
  CHECK_THROWS_WITH_AS(broadcast_shapes(Dims{3, 4}, Dims{5}),
                       "cannot broadcast shapes (3,4) and (5)", Error);
}

TEST_CASE("type promotion follows NumPy") {
  CHECK(promote(DType::Int32, DType::Float32) == DType::Float64);
  CHECK(promote(DType::UInt8, DType::Int32) == DType::Int32);
  CHECK(promote(DType::Bool, DType::UInt8) == DType::UInt8);
  CHECK(promote(DType::Int64, DType::Float32) == DType::Float64);
  CHECK(promote(DType::UInt8, DType::Float32) == DType::Float32);
  CHECK(promote_with_scalar(DType::Float32, ScalarKind::Float) == DType::Float32);
  CHECK(promote_with_scalar(DType::Int32, ScalarKind::Integer) == DType::Int32);
  CHECK(promote_with_scalar(DType::Int32, ScalarKind::Float) == DType::Float64);
  CHECK(promote_with_scalar(DType::Bool, ScalarKind::Integer) == DType::Int64);
}

TEST_CASE("storage outlives its account holder and is charged") {
  Context ctx;
  {
    Array a = Array::empty(DType::Float64, Dims{1000}, ctx.account);
    CHECK(ctx.account->live_bytes() == 8000);
  }
  CHECK(ctx.account->live_bytes() == 0);
  CHECK(ctx.account->peak_bytes() == 8000);
}

TEST_CASE("huge allocations fail with an error") {
  CHECK_THROWS_AS(Array::empty(DType::Float64, Dims{1000000000000000}), Error);
  CHECK_THROWS_AS(Array::empty(DType::Float64, Dims{-3}), Error);
}
