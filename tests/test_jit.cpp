// runtime/jit without Lua: the iteration layout, the scalar semantics of
// number-only operations, compiled programs run against the unfused
// operations at sizes around the block and reduction-chunk lengths, at one
// and two threads, and compile errors.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "runtime/array.hpp"
#include "runtime/jit/exec.hpp"
#include "runtime/jit/layout.hpp"
#include "runtime/jit/program.hpp"
#include "runtime/jit/reduce_sink.hpp"
#include "runtime/jit/scalars.hpp"
#include "runtime/ops/elementwise.hpp"
#include "runtime/ops/reduce.hpp"

using namespace tessera;
using kernels::BinaryOp;
using kernels::UnaryOp;

namespace {

// Deterministic values in [-10, 10), with a few zeros.
Array values(const Dims& shape, std::uint64_t seed) {
  Array a = Array::empty(DType::Float64, shape);
  double* p = a.data_as<double>();
  for (std::int64_t i = 0; i < a.size(); ++i) {
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    p[i] = (i % 17 == 0) ? 0.0 : static_cast<double>(seed >> 11) / 9007199254740992.0 * 20 - 10;
  }
  return a;
}

jit::Signature arrays(std::initializer_list<DType> dtypes) {
  jit::Signature s;
  for (DType t : dtypes) s.code[s.n++] = jit::Signature::array_code(t);
  return s;
}

bool same_bits(const Array& x, const Array& y) {
  if (x.dtype() != y.dtype() || x.shape() != y.shape()) return false;
  Context ctx;
  Array a = ops::contiguous(ctx, x), b = ops::contiguous(ctx, y);
  return std::memcmp(a.data(), b.data(), a.nbytes()) == 0;
}

// sin(a)^2 + 3*a*b - a/(b + 1): one result, and sum(a*b).
const char* kGraph =
    "arg 1\narg 2\nun sin 1 C\nconst i 2\nbin power 3 4 L\nconst i 3\nbin multiply 6 1 L\n"
    "bin multiply 7 2 L\nbin add 5 8 L\nconst i 1\nbin add 2 10 L\nbin divide 1 11 L\n"
    "bin subtract 9 12 L\nbin multiply 1 2 L\nred sum 14\nout 13\nout 15\n";

Array unfused(Context& ctx, const Array& a, const Array& b) {
  using ops::Operand;
  Array s = ops::unary(ctx, UnaryOp::Sin, a);
  Array s2 = ops::binary(ctx, BinaryOp::Pow, Operand(s), Operand(Scalar::integer(2)));
  Array t = ops::binary(ctx, BinaryOp::Mul, Operand(Scalar::integer(3)), Operand(a));
  t = ops::binary(ctx, BinaryOp::Mul, Operand(t), Operand(b));
  Array u = ops::binary(ctx, BinaryOp::Add, Operand(s2), Operand(t));
  Array d = ops::binary(ctx, BinaryOp::Add, Operand(b), Operand(Scalar::integer(1)));
  Array q = ops::binary(ctx, BinaryOp::Div, Operand(a), Operand(d));
  return ops::binary(ctx, BinaryOp::Sub, Operand(u), Operand(q));
}

}  // namespace

TEST_CASE("layout: coalesces contiguous dimensions and orders by the output") {
  Array a = Array::empty(DType::Float64, Dims{4, 5});
  Array t = Array::empty(DType::Float64, Dims{5, 4}).T();
  jit::LayoutOperand ops[2] = {{static_cast<char*>(a.data()), 8, &a},
                               {static_cast<char*>(t.data()), 8, &t}};
  jit::Layout l;
  jit::make_layout(l, Dims{4, 5}, ops, 1, 0);
  CHECK(l.ndim == 1);
  CHECK(l.shape[0] == 20);
  jit::make_layout(l, Dims{4, 5}, ops + 1, 1, 0);  // the transpose alone: one line in its order
  CHECK(l.ndim == 1);
  jit::make_layout(l, Dims{4, 5}, ops, 2, 1);
  CHECK(l.ndim == 2);
  CHECK(l.inner_stride(1) == 8);  // ordered by the transposed operand
  // walking a range visits each element once, in order
  std::vector<std::int64_t> seen;
  l.walk(3, 17, [&](char* const* p, std::int64_t count, std::int64_t off) {
    CHECK(static_cast<std::int64_t>(seen.size()) == off);
    for (std::int64_t i = 0; i < count; ++i)
      seen.push_back((p[1] + i * l.inner_stride(1) - static_cast<char*>(t.data())) / 8);
  });
  REQUIRE(seen.size() == 14);
  for (std::size_t i = 0; i < seen.size(); ++i) CHECK(seen[i] == static_cast<std::int64_t>(i) + 3);
}

TEST_CASE("layout: broadcast operands get stride 0") {
  Array row = Array::empty(DType::Int32, Dims{5});
  Array col = Array::empty(DType::Int32, Dims{3, 1});
  jit::LayoutOperand ops[2] = {{static_cast<char*>(row.data()), 4, &row},
                               {static_cast<char*>(col.data()), 4, &col}};
  jit::Layout l;
  jit::make_layout(l, Dims{3, 5}, ops, 2, -1);
  REQUIRE(l.ndim == 2);
  CHECK(l.strides[0][0] == 0);
  CHECK(l.strides[0][1] == 4);
  CHECK(l.strides[1][0] == 4);
  CHECK(l.strides[1][1] == 0);
  char* p[2];
  l.pointers(7, p);  // row 1, column 2
  CHECK(p[0] == static_cast<char*>(row.data()) + 8);
  CHECK(p[1] == static_cast<char*>(col.data()) + 4);
}

TEST_CASE("scalars: Lua's operators on numbers") {
  using jit::lua_binary;
  auto I = Scalar::integer;
  auto F = Scalar::number;
  CHECK(lua_binary(BinaryOp::FloorDiv, I(-7), I(2)).i == -4);
  CHECK(lua_binary(BinaryOp::Mod, I(-7), I(2)).i == 1);
  CHECK(lua_binary(BinaryOp::Mod, I(7), I(-2)).i == -1);
  CHECK(lua_binary(BinaryOp::FloorDiv, I(INT64_MIN), I(-1)).i == INT64_MIN);
  CHECK(lua_binary(BinaryOp::Div, I(1), I(2)).f == 0.5);
  CHECK(lua_binary(BinaryOp::Pow, I(2), I(10)).kind == ScalarKind::Float);
  CHECK(lua_binary(BinaryOp::Mod, F(-7.5), F(2)).f == 0.5);
  CHECK(lua_binary(BinaryOp::Add, I(INT64_MAX), I(1)).i == INT64_MIN);
  CHECK(lua_binary(BinaryOp::Shr, I(-1), I(63)).i == 1);  // logical, as Lua's
  CHECK(lua_binary(BinaryOp::Shl, I(1), I(64)).i == 0);
  CHECK(lua_binary(BinaryOp::Shl, I(8), I(-2)).i == 2);
  CHECK(lua_binary(BinaryOp::BitAnd, F(6.0), I(3)).i == 2);
  CHECK_THROWS_WITH(lua_binary(BinaryOp::FloorDiv, I(1), I(0)), "attempt to divide by zero");
  CHECK_THROWS_WITH(lua_binary(BinaryOp::Mod, I(1), I(0)), "attempt to perform 'n%0'");
  CHECK_THROWS_WITH(lua_binary(BinaryOp::BitOr, F(1.5), I(1)),
                    "number has no integer representation");
  CHECK_THROWS_WITH(lua_binary(BinaryOp::Add, Scalar::boolean(true), I(1)),
                    "attempt to perform arithmetic on a boolean value");
  CHECK(jit::lua_unary(UnaryOp::Neg, I(INT64_MIN)).i == INT64_MIN);
}

TEST_CASE("scalars: the core's functions on numbers") {
  CHECK(jit::core_unary(UnaryOp::Sqrt, Scalar::integer(4)).f == 2.0);
  CHECK(jit::core_unary(UnaryOp::Abs, Scalar::integer(-3)).i == 3);
  CHECK(jit::core_unary(UnaryOp::IsNan, Scalar::number(NAN)).kind == ScalarKind::Bool);
  CHECK(jit::core_binary(BinaryOp::FloorDiv, Scalar::integer(1), Scalar::integer(0)).i == 0);
  CHECK(jit::core_binary(BinaryOp::Pow, Scalar::integer(2), Scalar::integer(10)).i == 1024);
  CHECK_THROWS_WITH(jit::core_unary(UnaryOp::Neg, Scalar::boolean(true)),
                    "not supported for bool arrays");
}

TEST_CASE(
    "programs equal the unfused operations around block and chunk sizes, at 1 and 2 threads") {
  const std::int64_t C = jit::ReduceSink::kChunk;
  auto program = jit::compile(kGraph, arrays({DType::Float64, DType::Float64}), false);
  const std::int64_t B = jit::block_size(*program);
  for (int threads : {1, 2}) {
    Context ctx;
    ctx.parallel.set_threads(threads);
    for (std::int64_t n : {std::int64_t{0}, std::int64_t{1}, B - 1, B, B + 1, 3 * B + 5, C - 1, C,
                           C + 1, 3 * C + 77}) {
      CAPTURE(n);
      CAPTURE(threads);
      Array a = values(Dims{n}, 1), b = values(Dims{n}, 2);
      jit::Call call;
      call.arrays[0] = &a;
      call.arrays[1] = &b;
      Array result;
      jit::Results r;
      r.arrays[0] = &result;
      jit::execute(ctx, *program, call, r);
      CHECK(same_bits(unfused(ctx, a, b), result));
      Array prod = ops::binary(ctx, BinaryOp::Mul, ops::Operand(a), ops::Operand(b));
      const Scalar sum = ops::reduce_scalar(ctx, ops::ReduceOp::Sum, prod);
      CHECK(r.values[1].kind == ScalarKind::Float);
      CHECK(std::memcmp(&r.values[1].f, &sum.f, sizeof(double)) == 0);
    }
  }
}

TEST_CASE("programs on strided, transposed and broadcast operands") {
  Context ctx;
  ctx.parallel.set_threads(2);
  auto program = jit::compile(kGraph, arrays({DType::Float64, DType::Float64}), false);
  Array big = values(Dims{301, 257}, 3);
  Array cases[][2] = {
      {big.T(), values(Dims{257, 301}, 4)},
      {big.slice(1, 0, 128, 2), values(Dims{128}, 5)},
      {values(Dims{301, 1}, 6), values(Dims{1, 257}, 7)},
      {big.slice(0, 300, 301, -1), big},
  };
  for (auto& c : cases) {
    jit::Call call;
    call.arrays[0] = &c[0];
    call.arrays[1] = &c[1];
    Array result;
    jit::Results r;
    r.arrays[0] = &result;
    jit::execute(ctx, *program, call, r);
    CHECK(same_bits(unfused(ctx, c[0], c[1]), result));
  }
}

TEST_CASE("out: cast on store, in-place update") {
  Context ctx;
  auto program = jit::compile("arg 1\nconst f 0x1p-1\nbin multiply 1 2 L\nout 3\n",
                              arrays({DType::Float64}), false);
  Array a = values(Dims{5000}, 8);
  Array expected =
      ops::binary(ctx, BinaryOp::Mul, ops::Operand(a), ops::Operand(Scalar::number(0.5)));
  jit::Call call;
  call.arrays[0] = &a;
  call.out[0] = &a;
  jit::Results r;
  jit::execute(ctx, *program, call, r);
  CHECK(same_bits(expected, a));
  Array f32 = Array::empty(DType::Float32, Dims{5000});
  call.out[0] = &f32;
  jit::execute(ctx, *program, call, r);
  CHECK(same_bits(
      ops::astype(
          ctx, ops::binary(ctx, BinaryOp::Mul, ops::Operand(a), ops::Operand(Scalar::number(0.5))),
          DType::Float32),
      f32));
}

TEST_CASE("block sizes: long for memory-bound programs, short for compute-bound ones") {
  auto add = jit::compile("arg 1\narg 2\nbin add 1 2 L\nout 3\n",
                          arrays({DType::Float64, DType::Float64}), false);
  auto sin = jit::compile("arg 1\nun sin 1 C\nout 2\n", arrays({DType::Float64}), false);
  CHECK(jit::block_size(*add) == jit::kMemoryBlock);
  CHECK(jit::block_size(*sin) == jit::kComputeBlock);
  CHECK(jit::set_block_size(1024));
  CHECK(jit::block_size(*sin) == 1024);
  CHECK_FALSE(jit::set_block_size(1000));
  CHECK(jit::set_block_size(0));
  CHECK(jit::block_size(*add) == jit::kMemoryBlock);
}

TEST_CASE("compile: dtypes, fast paths, errors") {
  auto sq =
      jit::compile("arg 1\nconst i 2\nbin power 1 2 L\nout 3\n", arrays({DType::Bool}), false);
  CHECK(sq->outputs[0].dtype == DType::Bool);  // the core squares bools as a logical and
  auto cube =
      jit::compile("arg 1\nconst i 3\nbin power 1 2 L\nout 3\n", arrays({DType::Float32}), false);
  CHECK(cube->listing().find("power") == std::string::npos);
  auto exact =
      jit::compile("arg 1\nconst i 3\nbin power 1 2 L\nout 3\n", arrays({DType::Float32}), true);
  CHECK(exact->listing().find("power.float32") != std::string::npos);
  CHECK_THROWS_WITH(
      jit::compile("arg 1\nun negative 1 L @x.lua:3\nout 2\n", arrays({DType::Bool}), false),
      "negative at x.lua:3: not supported for bool arrays");
  CHECK_THROWS_WITH(jit::compile("arg 1\nconst i 300\nbin add 1 2 L @y.lua:1\nout 3\n",
                                 arrays({DType::UInt8}), false),
                    "add at y.lua:1: Lua integer 300 is out of range for uint8");
  CHECK_THROWS_AS(jit::compile("bogus 1\n", arrays({}), false), Error);
  // number-only subexpressions fold; a common subexpression is one instruction
  auto folded = jit::compile(
      "arg 1\nconst i 2\nconst i 3\nbin multiply 2 3 L\nbin multiply 1 4 L\nbin multiply 1 4 L\n"
      "bin add 5 6 L\nout 7\n",
      arrays({DType::Int64}), false);
  CHECK(folded->instrs.size() == 2);
}
