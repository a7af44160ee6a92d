// Kernels without the runtime: nd_loop planning and iteration, line
// functions on hand-built strided buffers, and the scalar semantics of
// scalar_ops.hpp at their edges. Expected values are worked out by hand.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "kernels/elementwise.hpp"
#include "kernels/nd_loop.hpp"
#include "kernels/scalar_ops.hpp"

using namespace tessera;
using namespace tessera::kernels;

namespace {

constexpr std::int64_t kMin64 = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t kMax64 = std::numeric_limits<std::int64_t>::max();
constexpr std::int32_t kMin32 = std::numeric_limits<std::int32_t>::min();
constexpr std::int32_t kMax32 = std::numeric_limits<std::int32_t>::max();
const double kNaN = std::numeric_limits<double>::quiet_NaN();
const double kInf = std::numeric_limits<double>::infinity();

template <int K>
LoopPlan<K> plan(std::vector<std::int64_t> shape,
                 std::vector<std::vector<std::ptrdiff_t>> strides) {
  const std::ptrdiff_t* rows[K];
  for (int k = 0; k < K; ++k) rows[k] = strides[k].data();
  return make_plan<K>(static_cast<int>(shape.size()), shape.data(), rows);
}

// Records every line the loop hands out.
struct Line {
  std::ptrdiff_t offset[2];
  std::ptrdiff_t stride[2];
  std::int64_t n;
};

std::vector<Line> lines_of(const LoopPlan<2>& p, char* base0, char* base1) {
  std::vector<Line> out;
  char* base[2] = {base0, base1};
  run_plan<2>(p, base, [&](char* const* ptr, const std::ptrdiff_t* s, std::int64_t n) {
    out.push_back({{ptr[0] - base0, ptr[1] - base1}, {s[0], s[1]}, n});
  });
  return out;
}

}  // namespace

TEST_CASE("make_plan merges dimensions contiguous for every operand") {
  // (2,3,4) doubles, both contiguous: one line of 24
  auto p = plan<2>({2, 3, 4}, {{96, 32, 8}, {96, 32, 8}});
  CHECK(p.ndim == 1);
  CHECK(p.shape[0] == 24);
  CHECK(p.strides[0][0] == 8);
  CHECK(p.strides[1][0] == 8);

  // the second operand is a transposed (3,4) view: nothing merges
  auto q = plan<2>({3, 4}, {{32, 8}, {8, 24}});
  CHECK(q.ndim == 2);
  CHECK(q.shape[0] == 3);
  CHECK(q.shape[1] == 4);
  CHECK(q.strides[1][0] == 8);
  CHECK(q.strides[1][1] == 24);

  // extent-1 dimensions disappear whatever their strides
  auto r = plan<2>({1, 5, 1}, {{999, 8, 123}, {7, 4, -5}});
  CHECK(r.ndim == 1);
  CHECK(r.shape[0] == 5);
  CHECK(r.strides[0][0] == 8);
  CHECK(r.strides[1][0] == 4);

  // a row broadcast (stride 0 along dim 0) cannot merge with dim 1
  auto b = plan<2>({3, 4}, {{0, 8}, {32, 8}});
  CHECK(b.ndim == 2);

  // broadcasting along every dimension merges (0 == 0 * extent)
  auto z = plan<2>({3, 4}, {{0, 0}, {32, 8}});
  CHECK(z.ndim == 1);
  CHECK(z.shape[0] == 12);
  CHECK(z.strides[0][0] == 0);

  // a sliced outer dimension (every other row) keeps two dimensions, but a
  // merged inner pair still merges: (2 rows, 3, 4) with row stride 2*96
  auto s = plan<2>({2, 3, 4}, {{192, 32, 8}, {96, 32, 8}});
  CHECK(s.ndim == 2);
  CHECK(s.shape[0] == 2);
  CHECK(s.shape[1] == 12);
  CHECK(s.strides[0][0] == 192);
  CHECK(s.strides[1][0] == 96);

  // merging only needs each operand to be consistent with itself: one walks
  // a reversed contiguous block, the other forwards
  auto n = plan<2>({2, 3}, {{-24, -8}, {24, 8}});
  CHECK(n.ndim == 1);
  CHECK(n.strides[0][0] == -8);
  CHECK(n.strides[1][0] == 8);
  // a reversed inner dimension under a forward outer one cannot merge
  auto m = plan<2>({2, 3}, {{24, -8}, {24, 8}});
  CHECK(m.ndim == 2);
  auto nn = plan<2>({2, 3}, {{-24, -8}, {-24, -8}});
  CHECK(nn.ndim == 1);
  CHECK(nn.shape[0] == 6);
  CHECK(nn.strides[0][0] == -8);

  // all extents 1: a 0-d plan
  auto one = plan<2>({1, 1}, {{8, 8}, {8, 8}});
  CHECK(one.ndim == 0);
}

TEST_CASE("run_plan visits each innermost line once, in row-major order") {
  char a[1024], b[1024];
  auto p = plan<2>({2, 3, 4}, {{192, 32, 8}, {96, 32, 8}});
  auto lines = lines_of(p, a, b);
  REQUIRE(lines.size() == 2);
  CHECK(lines[0].offset[0] == 0);
  CHECK(lines[1].offset[0] == 192);
  CHECK(lines[1].offset[1] == 96);
  CHECK(lines[0].n == 12);
  CHECK(lines[0].stride[0] == 8);

  // transposed: 3 lines of 4, the second operand stepping 24 bytes
  auto q = plan<2>({3, 4}, {{32, 8}, {8, 24}});
  auto ql = lines_of(q, a, b);
  REQUIRE(ql.size() == 3);
  for (int i = 0; i < 3; ++i) {
    CHECK(ql[i].offset[0] == 32 * i);
    CHECK(ql[i].offset[1] == 8 * i);
    CHECK(ql[i].n == 4);
    CHECK(ql[i].stride[1] == 24);
  }

  // three outer dimensions carry correctly: (2,2,2,2) with a gap after each dim
  auto c = plan<2>({2, 2, 2, 2}, {{1000, 100, 10, 1}, {1000, 100, 10, 1}});
  std::vector<std::ptrdiff_t> starts;
  char* base[2] = {a, b};
  run_plan<2>(c, base, [&](char* const* ptr, const std::ptrdiff_t*, std::int64_t n) {
    CHECK(n == 2);
    starts.push_back(ptr[0] - a);
  });
  CHECK(starts == std::vector<std::ptrdiff_t>{0, 10, 100, 110, 1000, 1010, 1100, 1110});

  // a zero extent anywhere: no lines at all
  auto e = plan<2>({3, 0, 4}, {{32, 32, 8}, {32, 32, 8}});
  CHECK(lines_of(e, a, b).empty());
  auto e2 = plan<2>({0}, {{8}, {8}});
  CHECK(lines_of(e2, a, b).empty());

  // 0-d: one line of one element with zero strides
  auto z = plan<2>({}, {{}, {}});
  auto zl = lines_of(z, a, b);
  REQUIRE(zl.size() == 1);
  CHECK(zl[0].n == 1);
  CHECK(zl[0].stride[0] == 0);
}

TEST_CASE("binary line functions on strided and broadcast buffers") {
  // out[i] = a[2i] + b (b broadcast), int32, a read backwards
  std::int32_t a[8] = {0, 1, 2, 3, 4, 5, 6, 7};
  std::int32_t b = 100;
  std::int32_t out[4] = {};
  LineFn add = binary_line(BinaryOp::Add, DType::Int32);
  REQUIRE((add != nullptr));
  char* p[3] = {reinterpret_cast<char*>(a + 6), reinterpret_cast<char*>(&b),
                reinterpret_cast<char*>(out)};
  std::ptrdiff_t s[3] = {-8, 0, 4};  // every other element, backwards
  add(p, s, 4);
  CHECK(out[0] == 106);
  CHECK(out[1] == 104);
  CHECK(out[2] == 102);
  CHECK(out[3] == 100);

  // strided output: write every third double
  double x[3] = {1.5, 2.5, 3.5}, y[3] = {2, 4, 8}, o[9];
  for (double& v : o) v = -1;
  LineFn mul = binary_line(BinaryOp::Mul, DType::Float64);
  char* q[3] = {reinterpret_cast<char*>(x), reinterpret_cast<char*>(y), reinterpret_cast<char*>(o)};
  std::ptrdiff_t t[3] = {8, 8, 24};
  mul(q, t, 3);
  CHECK(o[0] == 3.0);
  CHECK(o[3] == 10.0);
  CHECK(o[6] == 28.0);
  CHECK(o[1] == -1);
  CHECK(o[8] == -1);

  // scalar on the left (stride 0 first operand): 10 - [1, 2, 3]
  std::int64_t ten = 10, v[3] = {1, 2, 3}, r[3];
  LineFn sub = binary_line(BinaryOp::Sub, DType::Int64);
  char* w[3] = {reinterpret_cast<char*>(&ten), reinterpret_cast<char*>(v),
                reinterpret_cast<char*>(r)};
  std::ptrdiff_t ws[3] = {0, 8, 8};
  sub(w, ws, 3);
  CHECK(r[0] == 9);
  CHECK(r[1] == 8);
  CHECK(r[2] == 7);

  // comparisons write bools
  double c1[3] = {1, 2, kNaN}, c2[3] = {2, 2, kNaN};
  bool cr[3];
  LineFn le = binary_line(BinaryOp::Le, DType::Float64);
  char* cp[3] = {reinterpret_cast<char*>(c1), reinterpret_cast<char*>(c2),
                 reinterpret_cast<char*>(cr)};
  std::ptrdiff_t cs[3] = {8, 8, 1};
  le(cp, cs, 3);
  CHECK(cr[0]);
  CHECK(cr[1]);
  CHECK(!cr[2]);
}

TEST_CASE("the op table has loops exactly where the dtype supports the operation") {
  CHECK((binary_line(BinaryOp::Div, DType::Int64) == nullptr));  // dispatch goes to float64
  CHECK((binary_line(BinaryOp::Div, DType::Float32) != nullptr));
  CHECK((binary_line(BinaryOp::Sub, DType::Bool) == nullptr));
  CHECK((binary_line(BinaryOp::Add, DType::Bool) != nullptr));
  CHECK((binary_line(BinaryOp::BitAnd, DType::Bool) != nullptr));
  CHECK((binary_line(BinaryOp::BitAnd, DType::Float64) == nullptr));
  CHECK((binary_line(BinaryOp::Shl, DType::Bool) == nullptr));
  CHECK((binary_line(BinaryOp::Shl, DType::UInt8) != nullptr));
  CHECK((binary_line(BinaryOp::Atan2, DType::Int32) == nullptr));
  for (int t = 0; t < kNumDTypes; ++t) {
    const DType dt = static_cast<DType>(t);
    CHECK((binary_line(BinaryOp::Eq, dt) != nullptr));
    CHECK((binary_line(BinaryOp::Ne, dt) != nullptr));
    for (BinaryOp op : {BinaryOp::Lt, BinaryOp::Le, BinaryOp::Gt, BinaryOp::Ge, BinaryOp::Minimum,
                        BinaryOp::Maximum})  // complex values have no order
      CHECK(((binary_line(op, dt) != nullptr) == !is_complex(dt)));
  }
  for (DType t : {DType::Complex64, DType::Complex128}) {
    for (BinaryOp op : {BinaryOp::Add, BinaryOp::Sub, BinaryOp::Mul, BinaryOp::Div, BinaryOp::Pow})
      CHECK((binary_line(op, t) != nullptr));
    for (BinaryOp op : {BinaryOp::FloorDiv, BinaryOp::Mod, BinaryOp::Atan2, BinaryOp::BitAnd,
                        BinaryOp::BitOr, BinaryOp::BitXor, BinaryOp::Shl, BinaryOp::Shr})
      CHECK((binary_line(op, t) == nullptr));
    for (UnaryOp op :
         {UnaryOp::Floor, UnaryOp::Ceil, UnaryOp::Round, UnaryOp::Sign, UnaryOp::Invert})
      CHECK((unary_line(op, t) == nullptr));
    for (UnaryOp op : {UnaryOp::Neg, UnaryOp::Abs, UnaryOp::Sqrt, UnaryOp::Exp, UnaryOp::Log,
                       UnaryOp::Conj, UnaryOp::Angle, UnaryOp::IsNan, UnaryOp::Square})
      CHECK((unary_line(op, t) != nullptr));
    CHECK(unary_result(UnaryOp::Abs, t) == real_dtype(t));
    CHECK(unary_result(UnaryOp::Angle, t) == real_dtype(t));
    CHECK(unary_result(UnaryOp::Sqrt, t) == t);
  }
  CHECK((unary_line(UnaryOp::Sqrt, DType::Int64) == nullptr));
  CHECK(unary_needs_float(UnaryOp::Sqrt));
  CHECK(!unary_needs_float(UnaryOp::Abs));
  CHECK(unary_yields_bool(UnaryOp::IsNan));
  CHECK(!unary_yields_bool(UnaryOp::Neg));
  CHECK((unary_line(UnaryOp::Neg, DType::Bool) == nullptr));
  CHECK((unary_line(UnaryOp::Invert, DType::Float32) == nullptr));
  CHECK(std::string(binary_name(BinaryOp::FloorDiv)) == "floor_divide");
  CHECK(std::string(unary_name(UnaryOp::Round)) == "round");
}

TEST_CASE("unary lines, casts and where on strided buffers") {
  float f[4] = {-2.5f, 0.5f, 1.5f, 2.5f}, g[4];
  LineFn round = unary_line(UnaryOp::Round, DType::Float32);
  char* p[2] = {reinterpret_cast<char*>(f + 3), reinterpret_cast<char*>(g)};
  std::ptrdiff_t s[2] = {-4, 4};
  round(p, s, 4);  // reversed: 2.5, 1.5, 0.5, -2.5 -> half to even
  CHECK(g[0] == 2.0f);
  CHECK(g[1] == 2.0f);
  CHECK(g[2] == 0.0f);
  CHECK(g[3] == -2.0f);

  double d[5] = {kNaN, kInf, -kInf, 1e300, -3.99};
  std::int32_t i[5];
  LineFn cast = cast_line(DType::Float64, DType::Int32);
  char* cp[2] = {reinterpret_cast<char*>(d), reinterpret_cast<char*>(i)};
  std::ptrdiff_t cs[2] = {8, 4};
  cast(cp, cs, 5);
  CHECK(i[0] == 0);       // NaN -> 0
  CHECK(i[1] == kMax32);  // saturate
  CHECK(i[2] == kMin32);
  CHECK(i[3] == kMax32);
  CHECK(i[4] == -3);  // truncation toward zero

  std::int64_t big[4];
  double e[4] = {kNaN, 9.3e18, -9.3e18, -0.0};
  char* bp[2] = {reinterpret_cast<char*>(e), reinterpret_cast<char*>(big)};
  std::ptrdiff_t bs[2] = {8, 8};
  cast_line(DType::Float64, DType::Int64)(bp, bs, 4);
  CHECK(big[0] == 0);
  CHECK(big[1] == kMax64);
  CHECK(big[2] == kMin64);
  CHECK(big[3] == 0);

  std::uint8_t u[3];
  float uf[3] = {-1.0f, 300.0f, std::numeric_limits<float>::quiet_NaN()};
  char* up[2] = {reinterpret_cast<char*>(uf), reinterpret_cast<char*>(u)};
  std::ptrdiff_t us[2] = {4, 1};
  cast_line(DType::Float32, DType::UInt8)(up, us, 3);
  CHECK(u[0] == 0);
  CHECK(u[1] == 255);
  CHECK(u[2] == 0);

  bool bo[3];
  double bd[3] = {0.0, -0.0, kNaN};
  char* bop[2] = {reinterpret_cast<char*>(bd), reinterpret_cast<char*>(bo)};
  std::ptrdiff_t bos[2] = {8, 1};
  cast_line(DType::Float64, DType::Bool)(bop, bos, 3);
  CHECK(!bo[0]);
  CHECK(!bo[1]);
  CHECK(bo[2]);  // NaN is truthy, as in NumPy

  bool cond[4] = {true, false, false, true};
  std::int64_t wa[4] = {1, 2, 3, 4}, wb = -1, wo[4];
  char* wp[4] = {reinterpret_cast<char*>(cond), reinterpret_cast<char*>(wa),
                 reinterpret_cast<char*>(&wb), reinterpret_cast<char*>(wo)};
  std::ptrdiff_t ws[4] = {1, 8, 0, 8};
  where_line(DType::Int64)(wp, ws, 4);
  CHECK(wo[0] == 1);
  CHECK(wo[1] == -1);
  CHECK(wo[2] == -1);
  CHECK(wo[3] == 4);
}

TEST_CASE("integer floor division and modulo at the edges") {
  using ops::FloorDiv;
  using ops::Mod;
  CHECK(FloorDiv::apply<std::int64_t>(kMin64, -1) == kMin64);  // wraps, no trap
  CHECK(Mod::apply<std::int64_t>(kMin64, -1) == 0);
  CHECK(FloorDiv::apply<std::int32_t>(kMin32, -1) == kMin32);
  CHECK(Mod::apply<std::int32_t>(kMin32, -1) == 0);
  CHECK(FloorDiv::apply<std::int64_t>(7, 0) == 0);
  CHECK(Mod::apply<std::int64_t>(7, 0) == 0);
  CHECK(FloorDiv::apply<std::uint8_t>(7, 0) == 0);
  CHECK(Mod::apply<std::uint8_t>(7, 0) == 0);
  CHECK(FloorDiv::apply<std::int64_t>(-7, 2) == -4);
  CHECK(FloorDiv::apply<std::int64_t>(7, -2) == -4);
  CHECK(FloorDiv::apply<std::int64_t>(-7, -2) == 3);
  CHECK(FloorDiv::apply<std::int64_t>(-8, 2) == -4);
  CHECK(Mod::apply<std::int64_t>(-7, 2) == 1);
  CHECK(Mod::apply<std::int64_t>(7, -2) == -1);
  CHECK(Mod::apply<std::int64_t>(-7, -2) == -1);
  CHECK(Mod::apply<std::int64_t>(-8, 2) == 0);
  CHECK(FloorDiv::apply<std::uint8_t>(255, 16) == 15);
  CHECK(Mod::apply<std::uint8_t>(255, 16) == 15);
  CHECK(FloorDiv::apply<std::int64_t>(kMin64, 1) == kMin64);
  CHECK(Mod::apply<std::int64_t>(kMin64, kMax64) == kMax64 - 1);  // -2^63 = -2*(2^63-1) + (2^63-2)
}

TEST_CASE("float floor division and modulo") {
  using ops::FloorDiv;
  using ops::Mod;
  CHECK(FloorDiv::apply(7.5, 2.0) == 3.0);
  CHECK(FloorDiv::apply(-7.5, 2.0) == -4.0);
  CHECK(Mod::apply(-7.5, 2.0) == 0.5);
  CHECK(Mod::apply(7.5, -2.0) == -0.5);
  CHECK(FloorDiv::apply(1.0, 0.0) == kInf);
  CHECK(FloorDiv::apply(-1.0, 0.0) == -kInf);
  CHECK(std::isnan(Mod::apply(1.0, 0.0)));
  CHECK(std::isnan(FloorDiv::apply(kInf, 2.0)));
  CHECK(FloorDiv::apply(5.0, kInf) == 0.0);
  CHECK(FloorDiv::apply(-5.0, kInf) == -1.0);
  // a zero remainder takes the divisor's sign
  CHECK(std::signbit(Mod::apply(4.0, -2.0)));
  CHECK(!std::signbit(Mod::apply(-4.0, 2.0)));
  // identity a = floor(a/b)*b + a%b on awkward values
  for (double a : {0.3, -0.3, 1e10 + 0.5, -7.25, 5.0})
    for (double b : {0.1, -0.1, 3.0, -2.5}) {
      double q = FloorDiv::apply(a, b), r = Mod::apply(a, b);
      CHECK(q * b + r == doctest::Approx(a).epsilon(1e-12));
      CHECK(q == std::floor(q));
    }
  // Lua agrees: 0.3 // 0.1 is 2.0 in Lua (fmod-based), as in NumPy
  CHECK(FloorDiv::apply(0.3, 0.1) == 2.0);
}

TEST_CASE("shifts by the width or more, and negative shifts") {
  using ops::Shl;
  using ops::Shr;
  CHECK(Shl::apply<std::int64_t>(1, 63) == kMin64);
  CHECK(Shl::apply<std::int64_t>(1, 64) == 0);
  CHECK(Shl::apply<std::int64_t>(1, 1000) == 0);
  CHECK(Shl::apply<std::int64_t>(1, -1) == 0);
  CHECK(Shl::apply<std::int32_t>(3, 31) == kMin32);
  CHECK(Shl::apply<std::int32_t>(3, 32) == 0);
  CHECK(Shl::apply<std::uint8_t>(1, 7) == 128);
  CHECK(Shl::apply<std::uint8_t>(1, 8) == 0);
  CHECK(Shl::apply<std::uint8_t>(0xFF, 4) == 0xF0);
  CHECK(Shr::apply<std::int64_t>(-1, 64) == -1);
  CHECK(Shr::apply<std::int64_t>(-16, 2) == -4);
  CHECK(Shr::apply<std::int64_t>(16, 64) == 0);
  CHECK(Shr::apply<std::int64_t>(kMin64, 63) == -1);
  CHECK(Shr::apply<std::int32_t>(kMin32, 100) == -1);
  CHECK(Shr::apply<std::int32_t>(5, -3) == 0);
  CHECK(Shr::apply<std::uint8_t>(0x80, 7) == 1);
  CHECK(Shr::apply<std::uint8_t>(0x80, 8) == 0);
}

TEST_CASE("wrapping arithmetic and integer powers") {
  using ops::Add;
  using ops::Mul;
  using ops::Pow;
  using ops::Sub;
  CHECK(Add::apply<std::int64_t>(kMax64, 1) == kMin64);
  CHECK(Sub::apply<std::int64_t>(kMin64, 1) == kMax64);
  CHECK(Mul::apply<std::int64_t>(kMin64, -1) == kMin64);
  CHECK(Mul::apply<std::int32_t>(65536, 65536) == 0);
  CHECK(Mul::apply<std::uint8_t>(16, 16) == 0);
  CHECK(Add::apply<std::uint8_t>(200, 100) == 44);
  CHECK(Sub::apply<std::uint8_t>(0, 1) == 255);
  CHECK(Add::apply(true, true) == true);
  CHECK(Mul::apply(true, false) == false);
  CHECK(Pow::apply<std::int64_t>(2, 62) == (std::int64_t{1} << 62));
  CHECK(Pow::apply<std::int64_t>(2, 63) == kMin64);
  CHECK(Pow::apply<std::int64_t>(2, 64) == 0);
  CHECK(Pow::apply<std::int64_t>(-2, 3) == -8);
  CHECK(Pow::apply<std::int64_t>(7, 0) == 1);
  CHECK(Pow::apply<std::int64_t>(0, 0) == 1);
  CHECK(Pow::apply<std::int64_t>(2, -1) == 0);
  CHECK(Pow::apply<std::int64_t>(1, -5) == 1);
  CHECK(Pow::apply<std::int64_t>(-1, -5) == -1);
  CHECK(Pow::apply<std::int64_t>(-1, -4) == 1);
  CHECK(Pow::apply<std::int64_t>(0, -1) == 0);
  CHECK(Pow::apply<std::int64_t>(-1, kMin64) == 1);
  CHECK(Pow::apply<std::uint8_t>(3, 5) == 243);
  CHECK(Pow::apply<std::uint8_t>(3, 6) == (729 % 256));
  CHECK(Pow::apply<std::int32_t>(3, 20) == static_cast<std::int32_t>(3486784401u));
  CHECK(Pow::apply(2.0, 0.5) == doctest::Approx(std::sqrt(2.0)));
}

TEST_CASE("minimum and maximum propagate NaN from either side") {
  using ops::Maximum;
  using ops::Minimum;
  CHECK(std::isnan(Minimum::apply(kNaN, 1.0)));
  CHECK(std::isnan(Minimum::apply(1.0, kNaN)));
  CHECK(std::isnan(Maximum::apply(kNaN, 1.0)));
  CHECK(std::isnan(Maximum::apply(1.0, kNaN)));
  CHECK(std::isnan(Maximum::apply(1.0f, std::numeric_limits<float>::quiet_NaN())));
  CHECK(Minimum::apply(-kInf, 1.0) == -kInf);
  CHECK(Maximum::apply<std::int64_t>(kMin64, kMax64) == kMax64);
  CHECK(Minimum::apply<std::uint8_t>(0, 255) == 0);
  CHECK(Maximum::apply(false, true) == true);
}

TEST_CASE("complex lines: NumPy's multiply, divide and power, casts keep the real part") {
  using C = std::complex<double>;
  // a reversed (stride -16) against b broadcast (stride 0)
  C a[3] = {C(1, 2), C(-3, 0.5), C(0, -4)}, b = C(2, -1), r[3];
  char* p[3] = {reinterpret_cast<char*>(a + 2), reinterpret_cast<char*>(&b),
                reinterpret_cast<char*>(r)};
  std::ptrdiff_t s[3] = {-16, 0, 16};
  binary_line(BinaryOp::Mul, DType::Complex128)(p, s, 3);
  CHECK(r[0] == C(-4, -8));  // (0-4j)(2-1j) = -4 - 8j
  CHECK(r[1] == C(-5.5, 4));
  CHECK(r[2] == C(4, 3));
  binary_line(BinaryOp::Div, DType::Complex128)(p, s, 3);
  CHECK(r[0] == C(0.8, -1.6));  // (0-4j)/(2-1j) = (0-4j)(2+1j)/5
  // power by small integers is repeated multiplication: exact here
  C e = C(3, 0);
  p[1] = reinterpret_cast<char*>(&e);
  binary_line(BinaryOp::Pow, DType::Complex128)(p, s, 3);
  CHECK(r[0] == C(0, 64));    // (-4j)^3 = 64j
  CHECK(r[2] == C(-11, -2));  // (1+2j)^3
  C z[2] = {C(0, 0), C(0, 0)}, ex[2] = {C(2, 0), C(-1, 0)}, zr[2];
  char* zp[3] = {reinterpret_cast<char*>(z), reinterpret_cast<char*>(ex),
                 reinterpret_cast<char*>(zr)};
  std::ptrdiff_t zs[3] = {16, 16, 16};
  binary_line(BinaryOp::Pow, DType::Complex128)(zp, zs, 2);
  CHECK(zr[0] == C(0, 0));          // 0^2 = 0
  CHECK(std::isnan(zr[1].real()));  // 0^-1: NaN (NumPy)
  // complex64 -> int32 keeps the truncated real part; float64 -> complex64
  std::complex<float> cf[2] = {{2.75f, 9.f}, {-1.5f, -3.f}};
  std::int32_t ci[2];
  char* cp[2] = {reinterpret_cast<char*>(cf), reinterpret_cast<char*>(ci)};
  std::ptrdiff_t cs[2] = {8, 4};
  cast_line(DType::Complex64, DType::Int32)(cp, cs, 2);
  CHECK(ci[0] == 2);
  CHECK(ci[1] == -1);
  double d = 0.5;
  std::complex<float> df;
  char* dp[2] = {reinterpret_cast<char*>(&d), reinterpret_cast<char*>(&df)};
  std::ptrdiff_t ds[2] = {8, 8};
  cast_line(DType::Float64, DType::Complex64)(dp, ds, 1);
  CHECK(df == std::complex<float>(0.5f, 0.f));
  // abs is the modulus, of the parts' dtype
  double m[3];
  char* mp[2] = {reinterpret_cast<char*>(a), reinterpret_cast<char*>(m)};
  std::ptrdiff_t ms[2] = {16, 8};
  unary_line(UnaryOp::Abs, DType::Complex128)(mp, ms, 3);
  CHECK(m[2] == 4.0);
  CHECK(m[0] == doctest::Approx(std::sqrt(5.0)));
}
