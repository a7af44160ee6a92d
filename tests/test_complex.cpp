// Complex dtypes: promotion (np.result_type), the part views and sums.
#include <doctest/doctest.h>

#include <complex>

#include "runtime/array.hpp"
#include "runtime/ops/complex.hpp"
#include "runtime/ops/elementwise.hpp"
#include "runtime/ops/reduce.hpp"

using namespace tessera;
using C = std::complex<double>;

TEST_CASE("complex promotion follows np.result_type and NEP 50 for complex scalars") {
  using D = DType;
  CHECK(promote(D::Float32, D::Complex64) == D::Complex64);
  CHECK(promote(D::Int64, D::Complex64) == D::Complex128);
  CHECK(promote(D::Int32, D::Complex64) == D::Complex128);
  CHECK(promote(D::Float64, D::Complex64) == D::Complex128);
  CHECK(promote(D::UInt8, D::Complex64) == D::Complex64);
  CHECK(promote(D::Bool, D::Complex64) == D::Complex64);
  CHECK(promote(D::Complex64, D::Complex128) == D::Complex128);
  CHECK(promote_with_scalar(D::Float32, ScalarKind::Complex) == D::Complex64);
  CHECK(promote_with_scalar(D::Int32, ScalarKind::Complex) == D::Complex128);
  CHECK(promote_with_scalar(D::Complex64, ScalarKind::Float) == D::Complex64);
  CHECK(promote_with_scalar(D::Complex64, ScalarKind::Integer) == D::Complex64);
  CHECK(float_result(D::Complex64) == D::Complex64);
  CHECK(real_dtype(D::Complex128) == D::Float64);
  CHECK(parse_dtype("c8") == D::Complex64);
  CHECK(parse_dtype("complex") == D::Complex128);
  CHECK(dtype_size(D::Complex128) == 16);
  CHECK(std::string(dtype_name(D::Complex64)) == "complex64");
}

TEST_CASE("real and imaginary parts are float views; writing through them changes the array") {
  Context ctx;
  Array a = Array::empty(DType::Complex128, Dims{2, 3});
  C* p = a.data_as<C>();
  for (int i = 0; i < 6; ++i) p[i] = C(i, 10 * i);
  Array col = a.slice(1, 2, 2, -1);  // columns 3, 2 of each row (negative step)
  Array im = ops::imag_part(ctx, col);
  CHECK(im.dtype() == DType::Float64);
  CHECK(im.stride(1) == -2);
  std::int64_t idx[2] = {1, 0};
  CHECK(*static_cast<double*>(im.element_ptr(idx)) == 50.0);
  ops::fill(im, Scalar::integer(-1));
  CHECK(p[5] == C(5, -1));
  CHECK(p[4] == C(4, -1));
  CHECK(p[3] == C(3, 30));
  Array re = ops::real_part(a);
  CHECK(re.offset() == 0);
  CHECK(ops::imag_part(ctx, a).offset() == 1);
  // real arrays: the array itself, and zeros
  Array f = Array::zeros(DType::Float32, Dims{2});
  CHECK(ops::real_part(f).shares_storage(f));
  CHECK(!ops::imag_part(ctx, f).shares_storage(f));
}

TEST_CASE("complex sums and means reduce the parts, prod multiplies in order; others refuse") {
  Context ctx;
  Array a = Array::empty(DType::Complex64, Dims{3});
  auto* p = a.data_as<std::complex<float>>();
  p[0] = {1, 2};
  p[1] = {3, -1};
  p[2] = {0.5f, 0.25f};
  Array s = ops::reduce(ctx, ops::ReduceOp::Sum, a);
  CHECK(s.dtype() == DType::Complex64);
  CHECK(*s.data_as<std::complex<float>>() == std::complex<float>(4.5f, 1.25f));
  Array m = ops::reduce(ctx, ops::ReduceOp::Mean, a);
  CHECK(m.dtype() == DType::Complex64);
  CHECK(m.data_as<std::complex<float>>()->real() == 1.5f);
  Array prod = ops::reduce(ctx, ops::ReduceOp::Prod, a);  // (1+2j)(3-1j)(0.5+0.25j)
  CHECK(*prod.data_as<std::complex<float>>() == std::complex<float>(1.25f, 3.75f));
  CHECK_THROWS_WITH(ops::reduce(ctx, ops::ReduceOp::Var, a), "complex64 is not supported");
  CHECK_THROWS_WITH(ops::reduce(ctx, ops::ReduceOp::Max, a), "complex64 is not supported");
}
