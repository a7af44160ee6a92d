// Accuracy of the vectorized transcendentals against the C library: the
// maximum error over 1e6 random inputs per function and dtype, for every
// instruction set this CPU can run, must be at most 4 ulp.
// TESSERA_ULP_REPORT=1 prints the table (docs/accuracy.md records it).
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <algorithm>
#include <random>
#include <type_traits>
#include <vector>

#include "kernels/kernel_table.hpp"
#include "kernels/simd.hpp"

using namespace tessera;
using namespace tessera::kernels;

namespace {

#if defined(__SANITIZE_ADDRESS__)
constexpr int kSamples = 20000;  // sanitizer builds are unoptimized
#else
constexpr int kSamples = 1000000;
#endif

// Distance in units in the last place, via the order-preserving integer map.
template <class T>
double ulp_distance(T a, T b) {
  if (std::isnan(a) && std::isnan(b)) return 0;
  if (std::isnan(a) || std::isnan(b)) return 1e300;
  if (a == b) return 0;
  using I = std::conditional_t<sizeof(T) == 8, std::int64_t, std::int32_t>;
  auto ord = [](T x) {
    I i;
    std::memcpy(&i, &x, sizeof i);
    return i < 0 ? static_cast<I>(std::numeric_limits<I>::min()) - i : i;
  };
  __int128 d = static_cast<__int128>(ord(a)) - static_cast<__int128>(ord(b));
  return static_cast<double>(d < 0 ? -d : d);
}

struct Case {
  const char* name;
  UnaryOp op;
  double (*ref)(double);
  double lo, hi;
  bool log_uniform;
};

const Case kCases[] = {
    {"sin", UnaryOp::Sin, [](double x) { return std::sin(x); }, -100, 100, false},
    {"cos", UnaryOp::Cos, [](double x) { return std::cos(x); }, -100, 100, false},
    {"tan", UnaryOp::Tan, [](double x) { return std::tan(x); }, -1.5, 1.5, false},
    {"exp", UnaryOp::Exp, [](double x) { return std::exp(x); }, -80, 80, false},
    {"log", UnaryOp::Log, [](double x) { return std::log(x); }, 1e-30, 1e30, true},
    {"log2", UnaryOp::Log2, [](double x) { return std::log2(x); }, 1e-30, 1e30, true},
    {"log10", UnaryOp::Log10, [](double x) { return std::log10(x); }, 1e-30, 1e30, true},
    {"arcsin", UnaryOp::Arcsin, [](double x) { return std::asin(x); }, -1, 1, false},
    {"arccos", UnaryOp::Arccos, [](double x) { return std::acos(x); }, -1, 1, false},
    {"arctan", UnaryOp::Arctan, [](double x) { return std::atan(x); }, -50, 50, false},
    {"sinh", UnaryOp::Sinh, [](double x) { return std::sinh(x); }, -80, 80, false},
    {"cosh", UnaryOp::Cosh, [](double x) { return std::cosh(x); }, -80, 80, false},
    {"tanh", UnaryOp::Tanh, [](double x) { return std::tanh(x); }, -20, 20, false},
    {"sqrt", UnaryOp::Sqrt, [](double x) { return std::sqrt(x); }, 0, 1e30, true},
};

template <class T>
std::vector<T> inputs(const Case& c, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(0, 1);
  std::vector<T> x(kSamples);
  for (T& v : x) {
    double t = u(rng);
    double val = c.log_uniform && c.lo > 0 ? c.lo * std::pow(c.hi / c.lo, t) : c.lo + (c.hi - c.lo) * t;
    v = static_cast<T>(val);
  }
  return x;
}

template <class T>
double max_ulp(const KernelTable& table, const Case& c) {
  std::vector<T> x = inputs<T>(c, 12345), y(x.size());
  char* ptrs[2] = {reinterpret_cast<char*>(x.data()), reinterpret_cast<char*>(y.data())};
  std::ptrdiff_t strides[2] = {sizeof(T), sizeof(T)};
  table.unary[static_cast<int>(c.op)][static_cast<int>(dtype_of<T>)](
      ptrs, strides, static_cast<std::int64_t>(x.size()));
  double worst = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    // The reference is the C library in double, rounded to T (for float32
    // that is the correctly rounded value in all but rare cases).
    T ref = static_cast<T>(c.ref(static_cast<double>(x[i])));
    double d = ulp_distance(y[i], ref);
    if (d > worst) worst = d;
  }
  return worst;
}

// Binary functions: power over bases (0.1, 100) and exponents (-20, 20),
// arctan2 over the square (-100, 100)^2.
template <class T>
double max_ulp_binary(const KernelTable& table, BinaryOp op) {
  std::mt19937_64 rng(777);
  std::uniform_real_distribution<double> u(0, 1);
  std::vector<T> a(kSamples), b(kSamples), y(kSamples);
  for (int i = 0; i < kSamples; ++i) {
    if (op == BinaryOp::Pow) {
      a[i] = static_cast<T>(0.1 + 99.9 * u(rng));
      b[i] = static_cast<T>(-20 + 40 * u(rng));
    } else {
      a[i] = static_cast<T>(-100 + 200 * u(rng));
      b[i] = static_cast<T>(-100 + 200 * u(rng));
    }
  }
  char* ptrs[3] = {reinterpret_cast<char*>(a.data()), reinterpret_cast<char*>(b.data()),
                   reinterpret_cast<char*>(y.data())};
  std::ptrdiff_t strides[3] = {sizeof(T), sizeof(T), sizeof(T)};
  table.binary[static_cast<int>(op)][static_cast<int>(dtype_of<T>)](ptrs, strides, kSamples);
  double worst = 0;
  for (int i = 0; i < kSamples; ++i) {
    double x = a[i], z = b[i];
    T ref = static_cast<T>(op == BinaryOp::Pow ? std::pow(x, z) : std::atan2(x, z));
    worst = std::max(worst, ulp_distance(y[i], ref));
  }
  return worst;
}

struct Isa {
  const char* name;
  SimdLevel level;
  const KernelTable& (*table)();
};

}  // namespace

TEST_CASE("vectorized transcendentals are within 4 ulp of the C library") {
  const Isa isas[] = {{"sse4.2", SimdLevel::Sse42, kernel_table_sse42},
                      {"avx2+fma", SimdLevel::Avx2, kernel_table_avx2},
                      {"avx512bw", SimdLevel::Avx512, kernel_table_avx512}};
  bool report = std::getenv("TESSERA_ULP_REPORT") != nullptr;
  if (report) std::printf("| function | isa | float64 max ulp | float32 max ulp |\n|---|---|---|---|\n");
  for (const Isa& isa : isas) {
    if (isa.level > simd_level()) continue;
    for (const Case& c : kCases) {
      double u64 = max_ulp<double>(isa.table(), c);
      double u32 = max_ulp<float>(isa.table(), c);
      if (report) std::printf("| %s | %s | %.0f | %.0f |\n", c.name, isa.name, u64, u32);
      CAPTURE(c.name);
      CAPTURE(isa.name);
      CHECK(u64 <= 4);
      CHECK(u32 <= 4);
    }
    for (BinaryOp op : {BinaryOp::Pow, BinaryOp::Atan2}) {
      double u64 = max_ulp_binary<double>(isa.table(), op);
      double u32 = max_ulp_binary<float>(isa.table(), op);
      const char* name = op == BinaryOp::Pow ? "power" : "arctan2";
      if (report) std::printf("| %s | %s | %.0f | %.0f |\n", name, isa.name, u64, u32);
      CAPTURE(name);
      CHECK(u64 <= 4);
      CHECK(u32 <= 4);
    }
  }
}
