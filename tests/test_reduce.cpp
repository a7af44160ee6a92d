// Reductions, scans and matrix products: kernels and dispatch, checked
// against values computed by hand or by exact identities.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <functional>
#include <limits>
#include <vector>

#include "kernels/reduce.hpp"
#include "kernels/reduce_simd.hpp"
#include "kernels/simd.hpp"
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

// ---- the canonical trees, written independently of the kernels ------------------

namespace {

// Pairwise sum of n values as documented in kernels/reduce.hpp: blocks of
// 256, value i of a block to lane i % 16 via step(lane, i), lanes folded by
// halving, perfect subtrees of blocks largest first, folded from the right,
// then the partial block.
double ref_pairwise(std::int64_t n, const std::function<void(double&, std::int64_t)>& step) {
  const std::int64_t B = 256;
  auto block = [&](std::int64_t start, std::int64_t count) {
    double l[16] = {};
    for (std::int64_t k = 0; k < count; ++k) step(l[k % 16], start + k);
    for (int h = 8; h >= 1; h /= 2)
      for (int j = 0; j < h; ++j) l[j] = l[j] + l[j + h];
    return l[0];
  };
  std::function<double(std::int64_t, std::int64_t)> tree = [&](std::int64_t first,
                                                                std::int64_t count) {
    if (count == 1) return block(first * B, B);
    return tree(first, count / 2) + tree(first + count / 2, count / 2);
  };
  const std::int64_t nb = n / B, rem = n % B;
  std::vector<double> parts;
  std::int64_t b = 0;
  for (int bit = 62; bit >= 0; --bit)
    if ((nb >> bit) & 1) {
      parts.push_back(tree(b, std::int64_t{1} << bit));
      b += std::int64_t{1} << bit;
    }
  if (parts.empty()) return block(0, rem);
  double r = parts.back();
  for (int i = static_cast<int>(parts.size()) - 2; i >= 0; --i) r = parts[i] + r;
  return rem > 0 ? r + block(nb * B, rem) : r;
}

// Float products: 16 lanes, folded (halving) at the end of every chunk of
// 65536; the chunk products multiplied in order.
double ref_prod(const std::vector<double>& v) {
  const std::size_t C = 65536;
  double f = 1;
  for (std::size_t c0 = 0; c0 < v.size() || c0 == 0; c0 += C) {
    double l[16];
    for (double& x : l) x = 1;
    for (std::size_t i = c0; i < std::min(v.size(), c0 + C); ++i) l[(i - c0) % 16] *= v[i];
    for (int h = 8; h >= 1; h /= 2)
      for (int j = 0; j < h; ++j) l[j] = l[j] * l[j + h];
    f = f * l[0];
    if (v.empty()) break;
  }
  return f;
}

std::uint64_t bits(double x) {
  std::uint64_t u;
  std::memcpy(&u, &x, 8);
  return u;
}

// Awkward values: wide magnitudes and signs, so that any change of order
// shows in the last bits.
std::vector<double> awkward(std::int64_t n, std::uint64_t seed = 1) {
  std::vector<double> v(static_cast<std::size_t>(n));
  std::uint64_t s = seed;
  for (double& x : v) {
    s = s * 6364136223846793005ull + 1442695040888963407ull;
    const double u = static_cast<double>(s >> 11) / 9007199254740992.0;
    x = (u - 0.3) * std::ldexp(1.0, static_cast<int>(s % 40) - 20);
  }
  return v;
}

template <class T>
Array from(const std::vector<double>& v, const Dims& shape) {
  Array a = Array::empty(dtype_of<T>, shape);
  for (std::size_t i = 0; i < v.size(); ++i) a.data_as<T>()[i] = static_cast<T>(v[i]);
  return a;
}

// The instruction sets this CPU can run, as tables.
std::vector<const kernels::ReduceSimd*> tables() {
  std::vector<const kernels::ReduceSimd*> t{&kernels::reduce_simd_sse42()};
  if (kernels::simd_level() >= kernels::SimdLevel::Avx2) t.push_back(&kernels::reduce_simd_avx2());
  if (kernels::simd_level() >= kernels::SimdLevel::Avx512)
    t.push_back(&kernels::reduce_simd_avx512());
  return t;
}

double feed_all(kernels::ReduceLineFn line, ReduceOp op, const std::vector<double>& v,
                std::ptrdiff_t stride_elems = 1, double param = 0) {
  kernels::ReduceState st;
  kernels::reduce_start(op, st);
  st.center = param;
  st.scale = param == 0 ? 1 : param;
  std::vector<double> spread(v.size() * static_cast<std::size_t>(stride_elems));
  for (std::size_t i = 0; i < v.size(); ++i) spread[i * stride_elems] = v[i];
  line(st, reinterpret_cast<const char*>(spread.data()), 8 * stride_elems,
       static_cast<std::int64_t>(v.size()));
  if (op == ReduceOp::Prod) return st.f * kernels::fold_lanes_product(st.sum.lanes);
  return st.sum.total();
}

}  // namespace

TEST_CASE("every instruction set follows the documented tree, contiguous and strided") {
  for (std::int64_t n : {0, 1, 15, 17, 255, 256, 257, 4096 + 300, 16 * 256 * 3 + 77, 70000}) {
    CAPTURE(n);
    const std::vector<double> v = awkward(n, static_cast<std::uint64_t>(n) + 3);
    const double sum = ref_pairwise(n, [&](double& l, std::int64_t i) { l = l + v[i]; });
    const double abs = ref_pairwise(n, [&](double& l, std::int64_t i) { l = l + std::fabs(v[i]); });
    const double c = 0.25;
    // without FMA (SSE4.2) and with it
    const double sq = ref_pairwise(n, [&](double& l, std::int64_t i) {
      const double x = v[i] * 3.0;
      l = l + x * x;
    });
    const double sq_fma = ref_pairwise(n, [&](double& l, std::int64_t i) {
      const double x = v[i] * 3.0;
      l = std::fma(x, x, l);
    });
    const double dev = ref_pairwise(n, [&](double& l, std::int64_t i) { l = l + (v[i] - c); });
    const double prod = ref_prod(v);
    int level = 0;
    for (const kernels::ReduceSimd* t : tables()) {
      CAPTURE(level);
      const bool fma = level > 0;
      for (std::ptrdiff_t stride : {1, 3}) {
        CAPTURE(stride);
        CHECK(bits(feed_all(t->sum[1], ReduceOp::Sum, v, stride)) == bits(sum));
        CHECK(bits(feed_all(t->sum_abs[1], ReduceOp::SumAbs, v, stride)) == bits(abs));
        CHECK(bits(feed_all(t->sum_sq[1], ReduceOp::SumSq, v, stride, 3.0)) ==
              bits(fma ? sq_fma : sq));
        CHECK(bits(feed_all(t->prod[1], ReduceOp::Prod, v, stride)) == bits(prod));
        kernels::ReduceState st;
        kernels::reduce_start(ReduceOp::Var, st);
        st.center = c;
        t->var[1](st, reinterpret_cast<const char*>(v.data()), 8, n);
        CHECK(bits(st.dev.total()) == bits(dev));
      }
      ++level;
    }
  }
}

TEST_CASE("dot follows the tree on every instruction set; float32 accumulates in double") {
  const std::int64_t n = 5000;
  const std::vector<double> x = awkward(n, 7), y = awkward(n, 8);
  const double plain = ref_pairwise(n, [&](double& l, std::int64_t i) { l = l + x[i] * y[i]; });
  const double fused = ref_pairwise(n, [&](double& l, std::int64_t i) { l = std::fma(x[i], y[i], l); });
  int level = 0;
  for (const kernels::ReduceSimd* t : tables()) {
    kernels::ReduceState st;
    kernels::reduce_start(ReduceOp::Sum, st);
    t->dot[1](st, reinterpret_cast<const char*>(x.data()), 8,
              reinterpret_cast<const char*>(y.data()), 8, n);
    CHECK(bits(st.sum.total()) == bits(level > 0 ? fused : plain));
    ++level;
  }
  Context ctx;
  Array a = from<double>(x, Dims{n}), b = from<double>(y, Dims{n});
  const double d = *ops::dot(ctx, a, b).data_as<double>();
  // strided views in place and contiguous copies agree bit for bit
  Array a2 = from<double>(awkward(2 * n, 9), Dims{2 * n}).slice(0, 2 * n - 1, n, -2);
  Array b2 = from<double>(awkward(2 * n, 10), Dims{2 * n}).slice(0, 0, n, 2);
  CHECK(bits(*ops::dot(ctx, a2, b2).data_as<double>()) ==
        bits(*ops::dot(ctx, ops::copy(ctx, a2), ops::copy(ctx, b2)).data_as<double>()));
  CHECK(bits(d) == bits(*ops::dot(ctx, b, a).data_as<double>()));
  // float32: 3 * (1 + 2^-12)^2 summed 4096 times needs more than float's 24 bits
  Array f = Array::empty(DType::Float32, Dims{4096});
  for (std::int64_t i = 0; i < 4096; ++i) f.data_as<float>()[i] = 1.0f + std::ldexp(1.0f, -12);
  Array r = ops::dot(ctx, f, f);
  CHECK(r.dtype() == DType::Float32);
  const double exact = 4096.0 * std::pow(1.0 + std::ldexp(1.0, -12), 2);
  CHECK(*r.data_as<float>() == static_cast<float>(exact));
}

TEST_CASE("extremes: the first extreme element or the first NaN, on every instruction set") {
  const double nan = std::nan(""), inf = std::numeric_limits<double>::infinity();
  for (std::int64_t n : {1, 7, 64, 1000, 20000, 40000}) {
    CAPTURE(n);
    std::vector<double> v = awkward(n, static_cast<std::uint64_t>(n));
    auto first = [&](bool max, bool abs) {
      std::int64_t best = 0;
      for (std::int64_t i = 0; i < n; ++i) {
        if (std::isnan(v[i])) return i;
        double x = abs ? std::fabs(v[i]) : v[i], b = abs ? std::fabs(v[best]) : v[best];
        if (max ? x > b : x < b) best = i;
      }
      return best;
    };
    auto check_all = [&] {
      for (const kernels::ReduceSimd* t : tables())
        for (int kind = 0; kind < 4; ++kind) {
          CAPTURE(kind);
          CHECK(t->first_extreme[kind][1](reinterpret_cast<const char*>(v.data()), n) ==
                first(kind & 1, kind >= 2));
        }
    };
    check_all();
    // ties: the same extreme at several places, zeros of both signs
    v[n / 2] = v[n - 1] = v[n / 3] = 1e30;
    v[n / 4] = -1e30;
    v[n / 5] = -1e30;
    check_all();
    for (double& x : v) x = x > 0 ? 0.0 : -0.0;
    check_all();
    for (double& x : v) x = inf;
    check_all();
    for (double& x : v) x = -inf;
    check_all();
    v[n - 1] = nan;
    check_all();
    v[n / 2] = nan;
    check_all();
  }
  Context ctx;
  // across chunks: NaN in a later chunk, a tie in another
  std::vector<double> v = awkward(300000, 5);
  v[250000] = nan;
  v[100000] = 1e9;
  v[200000] = 1e9;
  Array a = from<double>(v, Dims{300000});
  CHECK(ops::reduce_scalar(ctx, ReduceOp::ArgMax, a).i == 250000);
  CHECK(std::isnan(ops::reduce_scalar(ctx, ReduceOp::Max, a).f));
  v[250000] = 0;
  a = from<double>(v, Dims{300000});
  CHECK(ops::reduce_scalar(ctx, ReduceOp::ArgMax, a).i == 100000);
  // min returns the first zero with its sign
  std::vector<double> z(200000, 1.0);
  z[150000] = -0.0;
  z[170000] = 0.0;
  z[70000] = 0.0;
  CHECK(std::signbit(ops::reduce_scalar(ctx, ReduceOp::Min, from<double>(z, Dims{200000})).f) ==
        false);
  z[70000] = 1.0;
  CHECK(std::signbit(ops::reduce_scalar(ctx, ReduceOp::Min, from<double>(z, Dims{200000})).f));
  Array f = from<float>(awkward(50001, 3), Dims{50001});
  const float* fp = f.data_as<float>();
  std::int64_t best = 0;
  for (std::int64_t i = 1; i < 50001; ++i)
    if (fp[i] < fp[best]) best = i;
  CHECK(ops::reduce_scalar(ctx, ReduceOp::ArgMin, f).i == best);
}

TEST_CASE("any and all find the deciding element anywhere") {
  Context ctx;
  for (DType t : {DType::Bool, DType::UInt8, DType::Int32, DType::Int64, DType::Float32,
                  DType::Float64}) {
    CAPTURE(dtype_name(t));
    for (std::int64_t pos : {0, 5, 63, 64, 1000, 70000, 199999}) {
      Array z = Array::zeros(t, Dims{200000});
      CHECK(ops::reduce_scalar(ctx, ReduceOp::Any, z).i == 0);
      ops::fill(z.slice(0, pos, 1, 1), Scalar::integer(1));
      CHECK(ops::reduce_scalar(ctx, ReduceOp::Any, z).i == 1);
      Array o = Array::zeros(t, Dims{200000});
      ops::fill(o, Scalar::integer(1));
      CHECK(ops::reduce_scalar(ctx, ReduceOp::All, o).i == 1);
      ops::fill(o.slice(0, pos, 1, 1), Scalar::integer(0));
      CHECK(ops::reduce_scalar(ctx, ReduceOp::All, o).i == 0);
    }
  }
  Array n = Array::zeros(DType::Float64, Dims{1000});
  n.data_as<double>()[999] = std::nan("");
  CHECK(ops::reduce_scalar(ctx, ReduceOp::Any, n).i == 1);
  n.data_as<double>()[999] = -0.0;
  CHECK(ops::reduce_scalar(ctx, ReduceOp::Any, n).i == 0);
}

TEST_CASE("chunked reductions equal one streamed state, and thread counts do not matter") {
  const std::int64_t n = 5 * 65536 + 12345;
  const std::vector<double> v = awkward(n, 11);
  Array a = from<double>(v, Dims{n});
  Array f = from<float>(v, Dims{n});
  Array ints = Array::empty(DType::Int32, Dims{n});
  for (std::int64_t i = 0; i < n; ++i) ints.data_as<std::int32_t>()[i] = static_cast<std::int32_t>(v[i] * 1e3);
  const ReduceOp all_ops[] = {ReduceOp::Sum, ReduceOp::Prod, ReduceOp::Mean, ReduceOp::Var,
                              ReduceOp::Std, ReduceOp::Min, ReduceOp::Max, ReduceOp::ArgMin,
                              ReduceOp::ArgMax, ReduceOp::Any, ReduceOp::All};
  Context one, two;
  one.parallel.set_threads(1);
  two.parallel.set_threads(2);
  for (const Array& x : {a, f, ints}) {
    CAPTURE(dtype_name(x.dtype()));
    for (ReduceOp op : all_ops) {
      CAPTURE(kernels::reduce_name(op));
      Array r1 = ops::reduce(one, op, x), r2 = ops::reduce(two, op, x);
      CHECK(std::memcmp(r1.data(), r2.data(), r1.itemsize()) == 0);
      if (op == ReduceOp::Var || op == ReduceOp::Std) continue;  // two passes
      // one state fed the whole line
      kernels::ReduceState st;
      kernels::reduce_start(op, st);
      kernels::reduce_line(op, x.dtype())(st, static_cast<const char*>(x.data()),
                                          static_cast<std::ptrdiff_t>(x.itemsize()), n);
      alignas(8) char out[8];
      kernels::reduce_finish(op, x.dtype())(st, out);
      CHECK(std::memcmp(r1.data(), out, r1.itemsize()) == 0);
    }
  }
  CHECK(bits(ops::norm(one, a)) == bits(ops::norm(two, a)));
  Array b = from<double>(awkward(n, 12), Dims{n});
  CHECK(bits(*ops::dot(one, a, b).data_as<double>()) == bits(*ops::dot(two, a, b).data_as<double>()));
  // the strided sum of the reversed array equals that of a reversed copy
  Array rev = a.slice(0, n - 1, n, -1);
  CHECK(bits(ops::reduce_scalar(two, ReduceOp::Sum, rev).f) ==
        bits(ops::reduce_scalar(one, ReduceOp::Sum, ops::copy(one, rev)).f));
  CHECK(bits(ops::norm(two, rev)) == bits(ops::norm(one, ops::copy(one, rev))));
}

TEST_CASE("axis reductions: columns, lines and groups equal reductions of each line alone") {
  Context one, two;
  one.parallel.set_threads(1);
  two.parallel.set_threads(2);
  // 1100 rows: four complete blocks of 256 and a partial one; 600 columns:
  // two panels of 256 and a narrower one
  const std::int64_t rows = 1100, cols = 600;
  const std::vector<double> v = awkward(rows * cols, 21);
  const ReduceOp ops_[] = {ReduceOp::Sum,  ReduceOp::Mean,  ReduceOp::Var,   ReduceOp::Std,
                           ReduceOp::Prod, ReduceOp::ArgMax, ReduceOp::Min};
  for (DType t : {DType::Float64, DType::Float32}) {
    CAPTURE(dtype_name(t));
    Array a = t == DType::Float64 ? from<double>(v, Dims{rows, cols}) : from<float>(v, Dims{rows, cols});
    for (ReduceOp op : ops_) {
      CAPTURE(kernels::reduce_name(op));
      for (int axis = 0; axis < 2; ++axis) {
        CAPTURE(axis);
        ReduceArgs args;
        args.axis = axis;
        args.ddof = 1;
        Array r1 = ops::reduce(one, op, a, args), r2 = ops::reduce(two, op, a, args);
        const std::int64_t m = r1.size();
        CHECK(std::memcmp(r1.data(), r2.data(), m * r1.itemsize()) == 0);
        // the transposed layout goes through the other path
        ReduceArgs targs = args;
        targs.axis = 1 - axis;
        Array rt = ops::reduce(two, op, ops::copy(two, a.T()), targs);
        CHECK(std::memcmp(r1.data(), rt.data(), m * r1.itemsize()) == 0);
        for (std::int64_t j = 0; j < m; j += 37) {
          Array line = ops::copy(one, a.select(1 - axis, j));
          ReduceArgs none;
          none.ddof = 1;
          Array alone = ops::reduce(one, op, line, none);
          CHECK(std::memcmp(static_cast<const char*>(r1.data()) + j * r1.itemsize(), alone.data(),
                            r1.itemsize()) == 0);
        }
      }
    }
  }
  // tall columns: cut into chunks of several blocks, remaining blocks and a
  // partial block (or none), reduced on both threads and combined per column
  for (std::int64_t tall : {256 * 37 + 5, 256 * 20, 256 * 16 + 255, 100}) {
    CAPTURE(tall);
    const std::int64_t w = 21;
    Array t = from<double>(awkward(tall * w, 23), Dims{tall, w});
    ReduceArgs ax;
    ax.axis = 0;
    for (ReduceOp op : {ReduceOp::Sum, ReduceOp::Var}) {
      Array r1 = ops::reduce(one, op, t, ax), r2 = ops::reduce(two, op, t, ax);
      CHECK(std::memcmp(r1.data(), r2.data(), w * 8) == 0);
      for (std::int64_t j = 0; j < w; j += 5) {
        Array alone = ops::reduce(one, op, ops::copy(one, t.select(1, j)));
        CHECK(bits(at<double>(r1, {j})) == bits(*alone.data_as<double>()));
      }
    }
  }
  // a strided view whose rows are not contiguous goes by groups, same bits
  Array a = from<double>(v, Dims{rows, cols});
  Array view = a.slice(1, 0, cols / 2, 2);
  ReduceArgs ax0;
  ax0.axis = 0;
  Array g = ops::reduce(two, ReduceOp::Sum, view, ax0);
  Array c = ops::reduce(two, ReduceOp::Sum, ops::copy(two, view), ax0);
  CHECK(std::memcmp(g.data(), c.data(), g.size() * 8) == 0);
  // long lines, few of them: each line chunked
  const std::int64_t long_n = 4 * 65536 + 999;
  Array l = from<double>(awkward(2 * long_n, 22), Dims{2, long_n});
  ReduceArgs ax1;
  ax1.axis = 1;
  Array s1 = ops::reduce(one, ReduceOp::Var, l, ax1), s2 = ops::reduce(two, ReduceOp::Var, l, ax1);
  CHECK(std::memcmp(s1.data(), s2.data(), 16) == 0);
  CHECK(bits(at<double>(s1, {1})) ==
        bits(ops::reduce_scalar(one, ReduceOp::Var, ops::copy(one, l.select(0, 1))).f));
}
