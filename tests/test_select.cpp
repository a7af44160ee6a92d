// Selection dispatch (ops/select) and kernels (kernels/gather), checked
// against hand-computed values.
#include <doctest/doctest.h>

#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "kernels/gather.hpp"
#include "runtime/ops/elementwise.hpp"
#include "runtime/ops/select.hpp"

using namespace tessera;

namespace {

// A C-contiguous int64 array holding 1..n in the given shape.
Array iota(Context& ctx, const Dims& shape) {
  Array a = Array::empty(DType::Int64, shape, ctx.account);
  for (std::int64_t i = 0; i < a.size(); ++i) a.data_as<std::int64_t>()[i] = i + 1;
  return a;
}

Array bools(Context& ctx, const std::vector<bool>& values, const Dims& shape) {
  Array a = Array::empty(DType::Bool, shape, ctx.account);
  for (std::size_t i = 0; i < values.size(); ++i) a.data_as<bool>()[i] = values[i];
  return a;
}

// Elements of any array in row-major order, converted to double.
std::vector<double> values(Context& ctx, const Array& a) {
  Array c = ops::astype(ctx, a, DType::Float64);
  return std::vector<double>(c.data_as<double>(), c.data_as<double>() + c.size());
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("concatenate joins views along an axis and promotes") {
  Context ctx;
  Array a = iota(ctx, Dims{2, 3});                                    // 1 2 3 / 4 5 6
  Array b = ops::astype(ctx, iota(ctx, Dims{2, 1}), DType::Float32);  // 1 / 2
  const Array* list[] = {&b, &a};
  Array r = ops::concatenate(ctx, list, 2, 1);
  CHECK(r.dtype() == DType::Float64);
  CHECK(r.shape() == Dims{2, 4});
  CHECK(values(ctx, r) == std::vector<double>{1, 1, 2, 3, 2, 4, 5, 6});
  Array t = a.T();  // 1 4 / 2 5 / 3 6
  const Array* rows[] = {&t, &t};
  CHECK(values(ctx, ops::concatenate(ctx, rows, 2, 0)) ==
        std::vector<double>{1, 4, 2, 5, 3, 6, 1, 4, 2, 5, 3, 6});
  const Array* bad[] = {&a, &t};
  CHECK(error_of([&] { ops::concatenate(ctx, bad, 2, 0); }) ==
        "shapes (2,3) and (3,2) differ in dimension 2");
  CHECK(error_of([&] { ops::concatenate(ctx, list, 2, 2); }) ==
        "axis 3 out of range for 2-d array");
  CHECK(error_of([&] { ops::concatenate(ctx, list, 0, 0); }) ==
        "need at least one array to concatenate");
}

TEST_CASE("stack inserts a new dimension") {
  Context ctx;
  Array a = iota(ctx, Dims{3});
  Array b = a.slice(0, 2, 3, -1);  // 3 2 1
  const Array* list[] = {&a, &b};
  Array r = ops::stack(ctx, list, 2, 1);
  CHECK(r.shape() == Dims{3, 2});
  CHECK(values(ctx, r) == std::vector<double>{1, 3, 2, 2, 3, 1});
  CHECK(error_of([&] { ops::stack(ctx, list, 2, 2); }) ==
        "axis 3 out of range for stacking 1-d arrays");
  Array c = iota(ctx, Dims{4});
  const Array* bad[] = {&a, &c};
  CHECK(error_of([&] { ops::stack(ctx, bad, 2, 0); }) == "shapes (3) and (4) differ");
}

TEST_CASE("masked selects in row-major order with a broadcast mask") {
  Context ctx;
  Array a = iota(ctx, Dims{2, 3});
  Array m = bools(ctx, {true, false, true}, Dims{3});
  Array r = ops::masked(ctx, a, m);
  CHECK(r.shape() == Dims{4});
  CHECK(values(ctx, r) == std::vector<double>{1, 3, 4, 6});
  Array mt = bools(ctx, {false, true, true, false, false, true}, Dims{3, 2});
  CHECK(values(ctx, ops::masked(ctx, a.T(), mt)) == std::vector<double>{4, 2, 6});
  CHECK(error_of([&] { ops::masked(ctx, a, a); }) == "expected a bool mask, got int64 array");
}

TEST_CASE("masked_fill reads a mask that shares the array's memory first") {
  Context ctx;
  Array b = bools(ctx, {true, false, true}, Dims{3});
  ops::masked_fill(b, b.slice(0, 2, 3, -1), Scalar::boolean(false));
  CHECK(values(ctx, b) == std::vector<double>{0, 0, 0});
  Array a = iota(ctx, Dims{2, 2});
  ops::masked_fill(a, bools(ctx, {false, true}, Dims{2}), Scalar::number(-1.5));
  CHECK(values(ctx, a) == std::vector<double>{1, -1, 3, -1});
}

TEST_CASE("take: 0- and 1-based indices, flat and along an axis") {
  Context ctx;
  Array a = iota(ctx, Dims{2, 3});
  const std::int64_t zero[] = {0, -1, 2};
  const std::int64_t one[] = {1, -1, 3};
  CHECK(values(ctx, ops::take(ctx, a, zero, Dims{3}, std::nullopt, ops::IndexBase::Zero)) ==
        std::vector<double>{1, 6, 3});
  Array r = ops::take(ctx, a, one, Dims{3}, 1, ops::IndexBase::One);
  CHECK(r.shape() == Dims{2, 3});
  CHECK(values(ctx, r) == std::vector<double>{1, 3, 3, 4, 6, 6});
  Array idx = ops::astype(ctx, iota(ctx, Dims{2}), DType::UInt8);  // 1 2
  CHECK(values(ctx, ops::take(ctx, a.T(), idx, 0, ops::IndexBase::Zero)) ==
        std::vector<double>{2, 5, 3, 6});
  const std::int64_t bad[] = {3};
  CHECK(error_of([&] { ops::take(ctx, a, bad, Dims{1}, 1, ops::IndexBase::Zero); }) ==
        "index 3 out of range for dimension 2 of size 3");
  CHECK(error_of([&] { ops::take(ctx, a, a.T(), 0, ops::IndexBase::One); }) ==
        "index 4 out of range for dimension 1 of size 2");
  Array f = ops::astype(ctx, a, DType::Float64);
  CHECK(error_of([&] { ops::take(ctx, a, f, 0, ops::IndexBase::One); }) ==
        "expected integer indices, got float64 array");
}

TEST_CASE("gather kernels move elements of any width") {
  // 3-byte elements take the run-time width path.
  const char src[] = "aaabbbcccddd";
  std::ptrdiff_t strides[1] = {3};
  const bool mask[4] = {false, true, false, true};
  std::ptrdiff_t mask_strides[1] = {1};
  std::int64_t shape[1] = {4};
  kernels::Extents ext{1, shape};
  kernels::Strided m{reinterpret_cast<char*>(const_cast<bool*>(mask)), mask_strides};
  CHECK(kernels::count_true(ext, m) == 2);
  char out[7] = {};
  kernels::compress(3, ext, {const_cast<char*>(src), strides}, m, out);
  CHECK(std::string(out) == "bbbddd");
  const std::int64_t idx[3] = {-1, 1, 0};
  char taken[10] = {};
  kernels::take(3, src, {1, 4, 1}, idx, 3, kernels::IndexBase::Zero, taken);
  CHECK(std::string(taken) == "dddbbbaaa");
  // Blocks of two 2-byte elements: rows of a 2x2 "matrix" per outer index.
  const char rows[] = "ABCDEFGH";  // outer 1, extent 2, inner 2 of width 2
  char picked[9] = {};
  const std::int64_t one_based[2] = {2, 1};
  kernels::take(2, rows, {1, 2, 2}, one_based, 2, kernels::IndexBase::One, picked);
  CHECK(std::string(picked) == "EFGHABCD");
  char filled[] = "xxxxxxxxxxxx";
  kernels::masked_fill(3, ext, {filled, strides}, m, "abc");
  CHECK(std::string(filled) == "xxxabcxxxabc");
  CHECK(kernels::find_bad_index(idx, 3, 4, kernels::IndexBase::One) == 2);
  CHECK(kernels::find_bad_index(idx, 3, 4, kernels::IndexBase::Zero) == -1);
}
