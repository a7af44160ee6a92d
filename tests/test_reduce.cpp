// Reductions, scans and matrix products: kernels and dispatch, checked
// against values computed by hand or by exact identities.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "kernels/reduce.hpp"
#include "runtime/array.hpp"
#include "runtime/ops/elementwise.hpp"
#include "runtime/ops/reduce.hpp"

using namespace tessera;
using ops::ReduceArgs;
using ops::ReduceOp;
using ops::ScanOp;

namespace {

template <class T>
Array make(const Dims& shape, const std::vector<T>& values) {
  Array a = Array::empty(dtype_of<T>, shape);
  REQUIRE(static_cast<std::size_t>(a.size()) == values.size());
  for (std::size_t i = 0; i < values.size(); ++i) a.data_as<T>()[i] = values[i];
  return a;
}

// 0, 1, 2, ... as dtype T.
template <class T>
Array iota(const Dims& shape) {
  std::vector<T> v(static_cast<std::size_t>(shape.product()));
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = static_cast<T>(i);
  return make<T>(shape, v);
}

template <class T>
T at(const Array& a, std::initializer_list<std::int64_t> index) {
  std::vector<std::int64_t> idx(index);
  return *static_cast<const T*>(a.element_ptr(idx.data()));
}

ReduceArgs along(int axis, bool keepdims = false) {
  ReduceArgs args;
  args.axis = axis;
  args.keepdims = keepdims;
  return args;
}

double value(const Scalar& s) { return s.kind == ScalarKind::Float ? s.f : double(s.i); }

}  // namespace

TEST_CASE("pairwise sum of 1e7 x 0.1 is accurate") {
  Context ctx;
  Array a = Array::empty(DType::Float64, Dims{10000000}, ctx.account);
  ops::fill(a, Scalar::number(0.1));
  double s = value(ops::reduce_scalar(ctx, ReduceOp::Sum, a));
  CHECK(std::fabs(s - 1e6) < 1e-6);
  double m = value(ops::reduce_scalar(ctx, ReduceOp::Mean, a));
  CHECK(std::fabs(m - 0.1) < 1e-15);
}

TEST_CASE("float32 sums accumulate in float64") {
  Context ctx;
  Array a = Array::empty(DType::Float32, Dims{10000000}, ctx.account);
  ops::fill(a, Scalar::number(0.1));
  // Exact sum 1e7 * float(0.1) = 1000000.0149..., whose nearest float32 is 1e6;
  // accumulating in float32 would drift by thousands.
  Array s = ops::reduce(ctx, ReduceOp::Sum, a);
  CHECK(s.dtype() == DType::Float32);
  CHECK(*s.data_as<float>() == 1e6f);
  ReduceArgs as64;
  as64.dtype = DType::Float64;
  double exact = 1e7 * static_cast<double>(0.1f);
  CHECK(std::fabs(value(ops::reduce_scalar(ctx, ReduceOp::Sum, a, as64)) - exact) < 1e-6);
}

TEST_CASE("the summation order depends on logical order only") {
  Context ctx;
  std::vector<double> v(3 * 1000);
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = 1.0 / double(i + 1) + 1e8 * double(i % 7);
  Array a = make<double>(Dims{3, 1000}, v);
  Array strided = a.slice(1, 999, 500, -2);  // every other column, reversed
  Array copy = ops::copy(ctx, strided);      // same logical order, contiguous
  CHECK(value(ops::reduce_scalar(ctx, ReduceOp::Sum, strided)) ==
        value(ops::reduce_scalar(ctx, ReduceOp::Sum, copy)));
  Array t = a.T();
  Array tcopy = ops::copy(ctx, t);
  CHECK(value(ops::reduce_scalar(ctx, ReduceOp::Sum, t)) ==
        value(ops::reduce_scalar(ctx, ReduceOp::Sum, tcopy)));
  Array s1 = ops::reduce(ctx, ReduceOp::Sum, t, along(0));
  Array s2 = ops::reduce(ctx, ReduceOp::Sum, tcopy, along(0));
  for (std::int64_t j = 0; j < 3; ++j) CHECK(at<double>(s1, {j}) == at<double>(s2, {j}));
}

TEST_CASE("result dtypes follow NumPy") {
  struct Case {
    ReduceOp op;
    DType in, out;
  };
  const Case cases[] = {
      {ReduceOp::Sum, DType::Bool, DType::Int64},
      {ReduceOp::Sum, DType::UInt8, DType::Int64},
      {ReduceOp::Sum, DType::Int32, DType::Int64},
      {ReduceOp::Sum, DType::Float32, DType::Float32},
      {ReduceOp::Prod, DType::Int32, DType::Int64},
      {ReduceOp::Mean, DType::Int32, DType::Float64},
      {ReduceOp::Mean, DType::Bool, DType::Float64},
      {ReduceOp::Mean, DType::Float32, DType::Float32},
      {ReduceOp::Var, DType::UInt8, DType::Float64},
      {ReduceOp::Std, DType::Float32, DType::Float32},
      {ReduceOp::Min, DType::UInt8, DType::UInt8},
      {ReduceOp::Max, DType::Bool, DType::Bool},
      {ReduceOp::ArgMax, DType::Float32, DType::Int64},
      {ReduceOp::Any, DType::Int32, DType::Bool},
  };
  Context ctx;
  for (const Case& c : cases) {
    CAPTURE(kernels::reduce_name(c.op));
    CAPTURE(dtype_name(c.in));
    CHECK(ops::reduce_dtype(c.op, c.in) == c.out);
    Array a = Array::zeros(c.in, Dims{2, 3}, ctx.account);
    CHECK(ops::reduce(ctx, c.op, a).dtype() == c.out);
    CHECK(ops::reduce(ctx, c.op, a, along(1)).dtype() == c.out);
  }
}

TEST_CASE("integer sums and products wrap in int64") {
  Context ctx;
  const std::int64_t big = std::numeric_limits<std::int64_t>::max();
  Array a = make<std::int64_t>(Dims{3}, {big, 1, 1});
  CHECK(ops::reduce_scalar(ctx, ReduceOp::Sum, a).i ==
        std::numeric_limits<std::int64_t>::min() + 1);
  Array p = make<std::int64_t>(Dims{2}, {std::int64_t{1} << 62, 4});
  CHECK(ops::reduce_scalar(ctx, ReduceOp::Prod, p).i == 0);  // 2^64 wraps to 0
  Array u = make<std::uint8_t>(Dims{3}, {200, 200, 200});    // no uint8 wrap: int64 result
  CHECK(ops::reduce_scalar(ctx, ReduceOp::Sum, u).i == 600);
  Array i32 = make<std::int32_t>(Dims{2}, {2000000000, 2000000000});
  CHECK(ops::reduce_scalar(ctx, ReduceOp::Sum, i32).i == 4000000000);
}

TEST_CASE("reductions along an axis, with keepdims") {
  Context ctx;
  Array a = iota<double>(Dims{2, 3, 4});  // a[i][j][k] = 12i + 4j + k
  Array s = ops::reduce(ctx, ReduceOp::Sum, a, along(1));
  CHECK(s.shape() == Dims{2, 4});
  // sum over j of 12i + 4j + k = 36i + 12 + 3k
  for (std::int64_t i = 0; i < 2; ++i)
    for (std::int64_t k = 0; k < 4; ++k) CHECK(at<double>(s, {i, k}) == 36.0 * i + 12 + 3.0 * k);
  Array kept = ops::reduce(ctx, ReduceOp::Max, a, along(2, true));
  CHECK(kept.shape() == Dims{2, 3, 1});
  CHECK(at<double>(kept, {1, 2, 0}) == 23);
  ReduceArgs all_kept;
  all_kept.keepdims = true;
  Array one = ops::reduce(ctx, ReduceOp::Sum, a, all_kept);
  CHECK(one.shape() == Dims{1, 1, 1});
  CHECK(*one.data_as<double>() == 276);  // 0 + ... + 23
  CHECK_THROWS_WITH_AS(ops::reduce(ctx, ReduceOp::Sum, a, along(3)),
                       "axis 4 out of range for 3-d array", Error);
}

TEST_CASE("strided, transposed, reversed and broadcast inputs") {
  Context ctx;
  Array a = iota<std::int32_t>(Dims{3, 4});
  Array t = a.T();  // t[j][i] = 4i + j
  Array s = ops::reduce(ctx, ReduceOp::Sum, t, along(1));
  for (std::int64_t j = 0; j < 4; ++j) CHECK(at<std::int64_t>(s, {j}) == 12 + 3 * j);
  Array rev = a.slice(1, 3, 4, -1);  // columns reversed
  Array am = ops::reduce(ctx, ReduceOp::ArgMax, rev, along(1));
  for (std::int64_t i = 0; i < 3; ++i) CHECK(at<std::int64_t>(am, {i}) == 0);
  CHECK(ops::reduce_scalar(ctx, ReduceOp::ArgMin, rev).i == 3);  // value 0 at rev[0][3]
  Array b = make<double>(Dims{3}, {1, 2, 3}).broadcast_to(Dims{1000, 3});
  CHECK(value(ops::reduce_scalar(ctx, ReduceOp::Sum, b)) == 6000);
  Array col = ops::reduce(ctx, ReduceOp::Mean, b, along(0));
  CHECK(at<double>(col, {2}) == 3);
  Array strided = iota<double>(Dims{10}).slice(0, 1, 5, 2);  // 1 3 5 7 9
  CHECK(value(ops::reduce_scalar(ctx, ReduceOp::Sum, strided)) == 25);
  CHECK(value(ops::reduce_scalar(ctx, ReduceOp::Prod, strided)) == 945);
}

TEST_CASE("variance is two-pass accurate") {
  Context ctx;
  // 1e9 + {0, 1, 2, 3}: mean 1e9 + 1.5, population variance 1.25. A one-pass
  // sum of squares loses everything here.
  Array a = make<double>(Dims{4}, {1e9, 1e9 + 1, 1e9 + 2, 1e9 + 3});
  CHECK(value(ops::reduce_scalar(ctx, ReduceOp::Var, a)) == 1.25);
  ReduceArgs sample;
  sample.ddof = 1;
  CHECK(value(ops::reduce_scalar(ctx, ReduceOp::Var, a, sample)) == doctest::Approx(5.0 / 3));
  CHECK(value(ops::reduce_scalar(ctx, ReduceOp::Std, a)) == doctest::Approx(std::sqrt(1.25)));
  Array f = make<float>(Dims{2, 2}, {1, 3, 10, 30});
  Array v = ops::reduce(ctx, ReduceOp::Var, f, along(1));
  CHECK(v.dtype() == DType::Float32);
  CHECK(at<float>(v, {0}) == 1);
  CHECK(at<float>(v, {1}) == 100);
}

TEST_CASE("empty reductions") {
  Context ctx;
  Array e = Array::empty(DType::Float64, Dims{0});
  CHECK(value(ops::reduce_scalar(ctx, ReduceOp::Sum, e)) == 0);
  CHECK(value(ops::reduce_scalar(ctx, ReduceOp::Prod, e)) == 1);
  CHECK(std::isnan(value(ops::reduce_scalar(ctx, ReduceOp::Mean, e))));
  CHECK(ops::reduce_scalar(ctx, ReduceOp::Any, e).i == 0);
  CHECK(ops::reduce_scalar(ctx, ReduceOp::All, e).i == 1);
  CHECK_THROWS_WITH_AS(ops::reduce(ctx, ReduceOp::Min, e), "zero-size array has no minimum", Error);
  CHECK_THROWS_WITH_AS(ops::reduce(ctx, ReduceOp::ArgMax, e), "zero-size array has no maximum",
                       Error);
  Array e2 = Array::empty(DType::Int32, Dims{0, 3});
  Array s = ops::reduce(ctx, ReduceOp::Sum, e2, along(0));
  CHECK(s.shape() == Dims{3});
  CHECK(at<std::int64_t>(s, {2}) == 0);
  CHECK(ops::reduce(ctx, ReduceOp::Max, e2, along(1)).shape() == Dims{0});
  CHECK_THROWS_AS(ops::reduce(ctx, ReduceOp::Max, e2, along(0)), Error);
}

TEST_CASE("NaN: min and max propagate it, argmin and argmax find the first") {
  Context ctx;
  const double nan = std::nan("");
  Array a = make<double>(Dims{5}, {3, nan, -1, nan, 7});
  CHECK(std::isnan(value(ops::reduce_scalar(ctx, ReduceOp::Min, a))));
  CHECK(std::isnan(value(ops::reduce_scalar(ctx, ReduceOp::Max, a))));
  CHECK(ops::reduce_scalar(ctx, ReduceOp::ArgMin, a).i == 1);
  CHECK(ops::reduce_scalar(ctx, ReduceOp::ArgMax, a).i == 1);
  Array b = make<double>(Dims{5}, {3, 7, -1, -1, 7});
  CHECK(ops::reduce_scalar(ctx, ReduceOp::ArgMin, b).i == 2);  // first of ties
  CHECK(ops::reduce_scalar(ctx, ReduceOp::ArgMax, b).i == 1);
  ReduceArgs lua;
  lua.base = 1;
  CHECK(ops::reduce_scalar(ctx, ReduceOp::ArgMax, b, lua).i == 2);
}

TEST_CASE("scans") {
  Context ctx;
  Array a = iota<std::int32_t>(Dims{2, 3});                          // 0 1 2 / 3 4 5
  Array flat = ops::scan(ctx, ScanOp::CumSum, a.T(), std::nullopt);  // 0 3 1 4 2 5
  CHECK(flat.shape() == Dims{6});
  CHECK(flat.dtype() == DType::Int64);
  const std::int64_t expect[] = {0, 3, 4, 8, 10, 15};
  for (std::int64_t i = 0; i < 6; ++i) CHECK(at<std::int64_t>(flat, {i}) == expect[i]);
  Array rows = ops::scan(ctx, ScanOp::CumProd, ops::astype(ctx, a, DType::Float32), 1);
  CHECK(rows.dtype() == DType::Float32);
  CHECK(at<float>(rows, {1, 2}) == 60);
  Array cols = ops::scan(ctx, ScanOp::CumSum, a, 0);
  CHECK(at<std::int64_t>(cols, {1, 2}) == 7);
  CHECK(ops::scan(ctx, ScanOp::CumSum, Array::empty(DType::Float64, Dims{0, 2}), 0).shape() ==
        Dims{0, 2});
}

TEST_CASE("matmul: shapes, 1-d promotion, batches and errors") {
  Context ctx;
  Array a = iota<double>(Dims{2, 3});  // 0 1 2 / 3 4 5
  Array b = iota<double>(Dims{3, 2});  // 0 1 / 2 3 / 4 5
  Array c = ops::matmul(ctx, a, b);
  CHECK(c.shape() == Dims{2, 2});
  CHECK(at<double>(c, {0, 0}) == 10);
  CHECK(at<double>(c, {0, 1}) == 13);
  CHECK(at<double>(c, {1, 0}) == 28);
  CHECK(at<double>(c, {1, 1}) == 40);
  Array ct = ops::matmul(ctx, b.T(), a.T());  // (ab)^T from strided inputs
  CHECK(at<double>(ct, {1, 0}) == 13);
  Array v = make<double>(Dims{3}, {1, 1, 1});
  Array av = ops::matmul(ctx, a, v);
  CHECK(av.shape() == Dims{2});
  CHECK(at<double>(av, {1}) == 12);
  Array vb = ops::matmul(ctx, v, b);
  CHECK(vb.shape() == Dims{2});
  CHECK(at<double>(vb, {1}) == 9);
  CHECK(ops::matmul(ctx, v, v).ndim() == 0);
  // batch (2, 1) x (3) broadcast to (2, 3)
  Array batch = iota<std::int64_t>(Dims{2, 1, 2, 3});
  Array bb = iota<std::int32_t>(Dims{3, 3, 1});
  Array r = ops::matmul(ctx, batch, bb);
  CHECK(r.shape() == Dims{2, 3, 2, 1});
  CHECK(r.dtype() == DType::Int64);
  // batch[1][0] row 1 = 9 10 11; bb[2] = 6 7 8: 54 + 70 + 88
  CHECK(at<std::int64_t>(r, {1, 2, 1, 0}) == 212);
  CHECK_THROWS_WITH_AS(ops::matmul(ctx, Array::zeros(DType::Float64, Dims{2, 3}),
                                   Array::zeros(DType::Float64, Dims{4, 2})),
                       "shapes (2,3) and (4,2) not aligned: 3 (dim 2) ~= 4 (dim 1)", Error);
  CHECK_THROWS_AS(ops::matmul(ctx, Array::zeros(DType::Float64, Dims{2, 2, 2}),
                              Array::zeros(DType::Float64, Dims{3, 2, 2})),
                  Error);
  Array z = ops::matmul(ctx, Array::zeros(DType::Float64, Dims{2, 0}),
                        Array::zeros(DType::Float64, Dims{0, 3}));
  CHECK(z.shape() == Dims{2, 3});
  CHECK(at<double>(z, {1, 2}) == 0);
}

TEST_CASE("matmul wraps integers and is logical for bool") {
  Context ctx;
  Array u = make<std::uint8_t>(Dims{1, 2}, {200, 100});
  Array w = make<std::uint8_t>(Dims{2, 1}, {2, 1});
  CHECK(at<std::uint8_t>(ops::matmul(ctx, u, w), {0, 0}) == (400 + 100) % 256);
  Array big = make<std::int64_t>(Dims{1, 1}, {std::int64_t{1} << 62});
  Array four = make<std::int64_t>(Dims{1, 1}, {4});
  CHECK(at<std::int64_t>(ops::matmul(ctx, big, four), {0, 0}) == 0);
  Array p = make<bool>(Dims{2, 2}, {true, false, false, false});
  Array q = make<bool>(Dims{2, 2}, {false, true, true, true});
  Array pq = ops::matmul(ctx, p, q);
  CHECK(at<bool>(pq, {0, 0}) == false);
  CHECK(at<bool>(pq, {0, 1}) == true);
  CHECK(at<bool>(pq, {1, 1}) == false);
}

TEST_CASE("dot") {
  Context ctx;
  Array x = make<std::int32_t>(Dims{3}, {1, 2, 3});
  Array y = make<double>(Dims{3}, {4, 5, 6});
  Array d = ops::dot(ctx, x, y);
  CHECK(d.ndim() == 0);
  CHECK(d.dtype() == DType::Float64);
  CHECK(*d.data_as<double>() == 32);
  Array a = iota<double>(Dims{2, 2, 3});
  Array ax = ops::dot(ctx, a, x);  // contracts the last axis
  CHECK(ax.shape() == Dims{2, 2});
  CHECK(at<double>(ax, {1, 1}) == 9 * 1 + 10 * 2 + 11 * 3);
  Array b = iota<double>(Dims{4, 3, 5});
  Array ab = ops::dot(ctx, a, b);  // ab[i,j,k,m] = sum_q a[i,j,q] b[k,q,m]
  CHECK(ab.shape() == Dims{2, 2, 4, 5});
  double expect = 0;
  for (std::int64_t q = 0; q < 3; ++q)
    expect += at<double>(a, {1, 0, q}) * at<double>(b, {3, q, 2});
  CHECK(at<double>(ab, {1, 0, 3, 2}) == expect);
  CHECK_THROWS_WITH_AS(ops::dot(ctx, a, b.transpose(1, 2)),
                       "shapes (2,2,3) and (4,5,3) not aligned: 3 (dim 3) ~= 5 (dim 2)", Error);
}

TEST_CASE("norms") {
  Context ctx;
  CHECK(ops::norm(ctx, make<double>(Dims{2}, {3, -4})) == 5);
  CHECK(ops::norm(ctx, make<double>(Dims{2}, {3, -4}), 1.0) == 7);
  const double inf = std::numeric_limits<double>::infinity();
  CHECK(ops::norm(ctx, make<double>(Dims{2}, {3, -4}), inf) == 4);
  CHECK(ops::norm(ctx, make<double>(Dims{2}, {3, -4}), -inf) == 3);
  // no overflow or underflow in the squares
  CHECK(ops::norm(ctx, make<double>(Dims{2}, {3e200, 4e200})) == doctest::Approx(5e200));
  CHECK(ops::norm(ctx, make<double>(Dims{2}, {3e-200, 4e-200})) == doctest::Approx(5e-200));
  double tiny = std::ldexp(3.0, -1070);  // subnormal
  CHECK(ops::norm(ctx, make<double>(Dims{2}, {tiny, 0})) == tiny);
  CHECK(ops::norm(ctx, make<double>(Dims{2}, {inf, 1})) == inf);
  CHECK(std::isnan(ops::norm(ctx, make<double>(Dims{2}, {std::nan(""), 1}))));
  CHECK(ops::norm(ctx, Array::empty(DType::Float64, Dims{0})) == 0);
  Array m = make<std::int32_t>(Dims{2, 2}, {1, -2, 3, 4});
  CHECK(ops::norm(ctx, m) == doctest::Approx(std::sqrt(30.0)));
  CHECK(ops::norm(ctx, m, 1.0) == 6);  // column sums 4, 6
  CHECK(ops::norm(ctx, m, inf) == 7);  // row sums 3, 7
  CHECK_THROWS_AS(ops::norm(ctx, m, 2.0), Error);
  CHECK_THROWS_AS(ops::norm(ctx, make<double>(Dims{2}, {3, -4}), 3.0), Error);
}

TEST_CASE("pairwise state gives the same total however it is fed") {
  kernels::ReduceState one, pieces;
  kernels::reduce_start(ReduceOp::Sum, one);
  kernels::reduce_start(ReduceOp::Sum, pieces);
  std::vector<double> v(1000);
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = std::sin(double(i)) * 1e6;
  auto line = kernels::reduce_line(ReduceOp::Sum, DType::Float64);
  const char* p = reinterpret_cast<const char*>(v.data());
  line(one, p, 8, 1000);
  std::int64_t cuts[] = {0, 1, 130, 131, 256, 700, 1000};
  for (int i = 0; i + 1 < 7; ++i) line(pieces, p + 8 * cuts[i], 8, cuts[i + 1] - cuts[i]);
  CHECK(one.sum.total() == pieces.sum.total());
}

TEST_CASE("lines along a strided axis reduce side by side, same results as one by one") {
  Context ctx;
  std::vector<double> v(600 * 37);
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = std::sin(double(i)) * 1e3 + 1e6;
  Array a = make<double>(Dims{600, 37}, v);  // lines along axis 0: 600 long, 8 bytes apart
  const ReduceOp ops_[] = {ReduceOp::Sum, ReduceOp::Var, ReduceOp::ArgMax, ReduceOp::Prod};
  for (ReduceOp op : ops_) {
    CAPTURE(kernels::reduce_name(op));
    Array r = ops::reduce(ctx, op, a, along(0));
    for (std::int64_t j = 0; j < 37; ++j) {
      Array column = ops::copy(ctx, a.select(1, j));  // contiguous, reduced alone
      Array one = ops::reduce(ctx, op, column);
      if (op == ReduceOp::ArgMax) CHECK(at<std::int64_t>(r, {j}) == *one.data_as<std::int64_t>());
      else CHECK(at<double>(r, {j}) == *one.data_as<double>());
    }
  }
  Array c = ops::scan(ctx, ScanOp::CumSum, a, 0);
  double running = 0;
  for (std::int64_t i = 0; i < 600; ++i) {
    running += at<double>(a, {i, 36});
    CHECK(at<double>(c, {i, 36}) == running);
  }
}
