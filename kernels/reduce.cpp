// Reduction, scan and matrix-product loops: one template per kernel,
// instantiated per dtype into tables.
#include "reduce.hpp"

#include <algorithm>
#include <cmath>
#include <type_traits>

namespace tessera::kernels {

// ---- pairwise summation -------------------------------------------------------

namespace {

double combine_lanes(const double* r) {
  return ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
}

}  // namespace

void PairwiseSum::push_block(double block) {
  for (std::uint64_t c = blocks++; c & 1; c >>= 1) block = stack[--depth] + block;
  stack[depth++] = block;
  for (double& l : lanes) l = 0;
  fill = 0;
}

double PairwiseSum::lanes_total() const { return combine_lanes(lanes); }

double PairwiseSum::total() const {
  if (depth == 0) return lanes_total();
  double r = stack[depth - 1];
  for (int d = depth - 2; d >= 0; --d) r = stack[d] + r;
  return fill > 0 ? r + lanes_total() : r;
}

namespace {

static_assert(PairwiseSum::kLanes == 8, "combine_lanes sums 8 lanes");

template <class T>
T at(const char* p, std::ptrdiff_t stride, std::int64_t i) {
  return *reinterpret_cast<const T*>(p + i * stride);
}

// The sum of f over one block of kBlock elements, in the order add() uses.
template <class T, class F>
double block_sum(const char* p, std::ptrdiff_t stride, F f) {
  constexpr int B = PairwiseSum::kBlock, L = PairwiseSum::kLanes;
  double r[L] = {};
  if (stride == static_cast<std::ptrdiff_t>(sizeof(T))) {
    const T* x = reinterpret_cast<const T*>(p);
    for (int i = 0; i < B; i += L)
      for (int j = 0; j < L; ++j) r[j] += f(x[i + j]);
  } else {
    for (int i = 0; i < B; i += L)
      for (int j = 0; j < L; ++j) r[j] += f(at<T>(p, stride, i + j));
  }
  return combine_lanes(r);
}

// Feeds f(x) for n elements into s: completes a started block, then whole
// blocks through the fast path, then the tail.
template <class T, class F>
void pairwise_feed(PairwiseSum& s, const char* p, std::ptrdiff_t stride, std::int64_t n, F f) {
  constexpr int B = PairwiseSum::kBlock;
  std::int64_t i = 0;
  for (; i < n && s.fill != 0; ++i) s.add(f(at<T>(p, stride, i)));
  for (; n - i >= B; i += B) s.push_block(block_sum<T>(p + i * stride, stride, f));
  for (; i < n; ++i) s.add(f(at<T>(p, stride, i)));
}

template <class T>
inline constexpr bool is_float_v = std::is_floating_point_v<T>;

// Float results keep float32; everything else computes to float64.
template <class T>
using MeanType = std::conditional_t<std::is_same_v<T, float>, float, double>;

template <class R>
void store(char* out, R v) {
  *reinterpret_cast<R*>(out) = v;
}

// ---- the kernels: line(), finish() and result() per input type ---------------

struct SumK {
  template <class T>
  static void line(ReduceState& st, const char* p, std::ptrdiff_t s, std::int64_t n) {
    st.count += n;
    if constexpr (is_float_v<T>) {
      pairwise_feed<T>(st.sum, p, s, n, [](T x) { return static_cast<double>(x); });
    } else {
      std::uint64_t u = st.u;
      for (std::int64_t i = 0; i < n; ++i) u += static_cast<std::uint64_t>(at<T>(p, s, i));
      st.u = u;
    }
  }
  template <class T>
  static void finish(const ReduceState& st, char* out) {
    if constexpr (is_float_v<T>) store(out, static_cast<T>(st.sum.total()));
    else store(out, static_cast<std::int64_t>(st.u));
  }
  template <class T>
  static DType result() {
    return is_float_v<T> ? dtype_of<T> : DType::Int64;
  }
};

struct ProdK {
  template <class T>
  static void line(ReduceState& st, const char* p, std::ptrdiff_t s, std::int64_t n) {
    st.count += n;
    if constexpr (is_float_v<T>) {
      double f = st.f;
      for (std::int64_t i = 0; i < n; ++i) f *= static_cast<double>(at<T>(p, s, i));
      st.f = f;
    } else {
      std::uint64_t u = st.u;
      for (std::int64_t i = 0; i < n; ++i) u *= static_cast<std::uint64_t>(at<T>(p, s, i));
      st.u = u;
    }
  }
  template <class T>
  static void finish(const ReduceState& st, char* out) {
    if constexpr (is_float_v<T>) store(out, static_cast<T>(st.f));
    else store(out, static_cast<std::int64_t>(st.u));
  }
  template <class T>
  static DType result() {
    return SumK::result<T>();
  }
};

struct MeanK {
  template <class T>
  static void line(ReduceState& st, const char* p, std::ptrdiff_t s, std::int64_t n) {
    st.count += n;
    pairwise_feed<T>(st.sum, p, s, n, [](T x) { return static_cast<double>(x); });
  }
  template <class T>
  static void finish(const ReduceState& st, char* out) {
    store(out, static_cast<MeanType<T>>(st.sum.total() / static_cast<double>(st.count)));
  }
  template <class T>
  static DType result() {
    return dtype_of<MeanType<T>>;
  }
};

// Second pass of the corrected two-pass algorithm: sum (x - c)^2 and
// sum (x - c), so that an inexact mean c costs no accuracy.
template <bool Sqrt>
struct VarK {
  template <class T>
  static void line(ReduceState& st, const char* p, std::ptrdiff_t s, std::int64_t n) {
    st.count += n;
    const double c = st.center;
    pairwise_feed<T>(st.sum, p, s, n, [c](T x) {
      double d = static_cast<double>(x) - c;
      return d * d;
    });
    pairwise_feed<T>(st.dev, p, s, n, [c](T x) { return static_cast<double>(x) - c; });
  }
  static double value(const ReduceState& st) {
    double n = static_cast<double>(st.count), d = st.dev.total();
    double divisor = std::max(n - static_cast<double>(st.ddof), 0.0);
    double var = (st.sum.total() - d * d / n) / divisor;
    return Sqrt ? std::sqrt(var) : var;
  }
  template <class T>
  static void finish(const ReduceState& st, char* out) {
    store(out, static_cast<MeanType<T>>(value(st)));
  }
  template <class T>
  static DType result() {
    return MeanK::result<T>();
  }
};

struct SumSqK {
  template <class T>
  static void line(ReduceState& st, const char* p, std::ptrdiff_t s, std::int64_t n) {
    st.count += n;
    const double k = st.scale;
    pairwise_feed<T>(st.sum, p, s, n, [k](T x) {
      double v = static_cast<double>(x) * k;
      return v * v;
    });
  }
  template <class T>
  static void finish(const ReduceState& st, char* out) {
    store(out, st.sum.total());
  }
  template <class T>
  static DType result() {
    return DType::Float64;
  }
};

struct SumAbsK {
  template <class T>
  static void line(ReduceState& st, const char* p, std::ptrdiff_t s, std::int64_t n) {
    st.count += n;
    pairwise_feed<T>(st.sum, p, s, n, [](T x) { return std::fabs(static_cast<double>(x)); });
  }
  template <class T>
  static void finish(const ReduceState& st, char* out) {
    store(out, st.sum.total());
  }
  template <class T>
  static DType result() {
    return DType::Float64;
  }
};

// Min, Max, ArgMin, ArgMax, MinAbs, MaxAbs: the first extreme element, or
// the first NaN, which wins.
template <bool Max, bool Abs, bool Arg>
struct ExtremeK {
  template <class T>
  static auto key(T x) {
    if constexpr (Abs) return std::fabs(static_cast<double>(x));
    else if constexpr (is_float_v<T>) return static_cast<double>(x);
    else return static_cast<std::int64_t>(x);
  }
  template <class T>
  static void line(ReduceState& st, const char* p, std::ptrdiff_t s, std::int64_t n) {
    using V = decltype(key(T()));
    const std::int64_t first = st.count;
    st.count += n;
    if (st.flag) return;  // a NaN was seen
    V best = 0;
    if constexpr (std::is_same_v<V, double>) best = st.f;
    else best = st.i;
    std::int64_t index = st.index;
    for (std::int64_t i = 0; i < n; ++i) {
      V x = key(at<T>(p, s, i));
      if constexpr (std::is_same_v<V, double>) {
        if (std::isnan(x)) {
          st.flag = true;
          best = x;
          index = first + i;
          break;
        }
      }
      if (index < 0 || (Max ? x > best : x < best)) {
        best = x;
        index = first + i;
      }
    }
    st.index = index;
    if constexpr (std::is_same_v<V, double>) st.f = best;
    else st.i = best;
  }
  template <class T>
  static void finish(const ReduceState& st, char* out) {
    if constexpr (Arg) store(out, st.index + st.base);
    else if constexpr (Abs) store(out, st.f);
    else if constexpr (is_float_v<T>) store(out, static_cast<T>(st.f));
    else store(out, static_cast<T>(st.i));
  }
  template <class T>
  static DType result() {
    return Arg ? DType::Int64 : Abs ? DType::Float64 : dtype_of<T>;
  }
};

// Any (All = false) and All: stop looking once the answer is known.
template <bool All>
struct LogicalK {
  template <class T>
  static void line(ReduceState& st, const char* p, std::ptrdiff_t s, std::int64_t n) {
    st.count += n;
    if (st.flag != All) return;
    for (std::int64_t i = 0; i < n; ++i) {
      if ((at<T>(p, s, i) != 0) != All) {
        st.flag = !All;
        return;
      }
    }
  }
  template <class T>
  static void finish(const ReduceState& st, char* out) {
    store(out, st.flag);
  }
  template <class T>
  static DType result() {
    return DType::Bool;
  }
};

struct ReduceInfo {
  const char* name;
  ReduceLineFn lines[kNumDTypes];
  ReduceFinishFn finishes[kNumDTypes];
  DType results[kNumDTypes];
};

template <class K>
ReduceInfo make(const char* name) {
  ReduceInfo info{name, {}, {}, {}};
  for (int t = 0; t < kNumDTypes; ++t) {
    visit_dtype(static_cast<DType>(t), [&](auto tag) {
      using T = typename decltype(tag)::type;
      info.lines[t] = &K::template line<T>;
      info.finishes[t] = &K::template finish<T>;
      info.results[t] = K::template result<T>();
    });
  }
  return info;
}

const ReduceInfo* reduce_table() {
  static const ReduceInfo t[static_cast<int>(ReduceOp::Count)] = {
      make<SumK>("sum"),
      make<ProdK>("prod"),
      make<MeanK>("mean"),
      make<VarK<false>>("var"),
      make<VarK<true>>("std"),
      make<ExtremeK<false, false, false>>("min"),
      make<ExtremeK<true, false, false>>("max"),
      make<ExtremeK<false, false, true>>("argmin"),
      make<ExtremeK<true, false, true>>("argmax"),
      make<LogicalK<false>>("any"),
      make<LogicalK<true>>("all"),
      make<SumSqK>("sum of squares"),
      make<SumAbsK>("sum of absolute values"),
      make<ExtremeK<true, true, false>>("maximum absolute value"),
      make<ExtremeK<false, true, false>>("minimum absolute value"),
  };
  return t;
}

const ReduceInfo& info(ReduceOp op) { return reduce_table()[static_cast<int>(op)]; }

// ---- scans --------------------------------------------------------------------

template <bool Prod>
struct ScanK {
  template <class T>
  static void line(ScanState& st, const char* in, std::ptrdiff_t is, char* out, std::ptrdiff_t os,
                   std::int64_t n) {
    if constexpr (is_float_v<T>) {
      double acc = st.f;
      for (std::int64_t i = 0; i < n; ++i) {
        double x = static_cast<double>(at<T>(in, is, i));
        acc = Prod ? acc * x : acc + x;
        store(out + i * os, static_cast<T>(acc));
      }
      st.f = acc;
    } else {
      std::uint64_t acc = st.u;
      for (std::int64_t i = 0; i < n; ++i) {
        auto x = static_cast<std::uint64_t>(at<T>(in, is, i));
        acc = Prod ? acc * x : acc + x;
        store(out + i * os, static_cast<std::int64_t>(acc));
      }
      st.u = acc;
    }
  }
};

struct ScanInfo {
  const char* name;
  ScanLineFn lines[kNumDTypes];
};

template <bool Prod>
ScanInfo make_scan(const char* name) {
  ScanInfo info{name, {}};
  for (int t = 0; t < kNumDTypes; ++t) {
    visit_dtype(static_cast<DType>(t), [&](auto tag) {
      using T = typename decltype(tag)::type;
      info.lines[t] = &ScanK<Prod>::template line<T>;
    });
  }
  return info;
}

const ScanInfo& scan_info(ScanOp op) {
  static const ScanInfo t[static_cast<int>(ScanOp::Count)] = {make_scan<false>("cumsum"),
                                                              make_scan<true>("cumprod")};
  return t[static_cast<int>(op)];
}

// ---- matrix product -------------------------------------------------------------

// Integers multiply and add in an unsigned type (wrapping, no overflow UB).
template <class T, class = void>
struct WorkOf {
  using type = T;
};
template <class T>
struct WorkOf<T, std::enable_if_t<std::is_integral_v<T> && !std::is_same_v<T, bool>>> {
  using type =
      std::conditional_t<(sizeof(T) < sizeof(unsigned)), unsigned, std::make_unsigned_t<T>>;
};
template <class T>
using Work = typename WorkOf<T>::type;

template <class T>
T multiply_add(T c, T a, T b) {
  if constexpr (std::is_same_v<T, bool>) return c || (a && b);
  else if constexpr (is_float_v<T>) return c + a * b;
  else return static_cast<T>(Work<T>(c) + Work<T>(a) * Work<T>(b));
}

// i-k-j order, blocked over k and j so that a panel of b stays in cache;
// each c[i][j] still accumulates over k in increasing order.
template <class T>
void matmul_loop(const char* pa, const char* pb, char* pc, std::int64_t n, std::int64_t k,
                 std::int64_t m) {
  constexpr std::int64_t kBlockK = 128, kBlockJ = 512;
  const T* a = reinterpret_cast<const T*>(pa);
  const T* b = reinterpret_cast<const T*>(pb);
  T* c = reinterpret_cast<T*>(pc);
  std::fill(c, c + n * m, T(0));
  for (std::int64_t j0 = 0; j0 < m; j0 += kBlockJ) {
    const std::int64_t j1 = std::min(m, j0 + kBlockJ);
    for (std::int64_t k0 = 0; k0 < k; k0 += kBlockK) {
      const std::int64_t k1 = std::min(k, k0 + kBlockK);
      for (std::int64_t i = 0; i < n; ++i) {
        T* crow = c + i * m;
        for (std::int64_t q = k0; q < k1; ++q) {
          const T aiq = a[i * k + q];
          const T* brow = b + q * m;
          for (std::int64_t j = j0; j < j1; ++j) crow[j] = multiply_add(crow[j], aiq, brow[j]);
        }
      }
    }
  }
}

}  // namespace

const char* reduce_name(ReduceOp op) { return info(op).name; }

ReduceLineFn reduce_line(ReduceOp op, DType t) { return info(op).lines[static_cast<int>(t)]; }

ReduceFinishFn reduce_finish(ReduceOp op, DType t) {
  return info(op).finishes[static_cast<int>(t)];
}

DType reduce_result(ReduceOp op, DType t) { return info(op).results[static_cast<int>(t)]; }

void reduce_start(ReduceOp op, ReduceState& st) {
  for (PairwiseSum* s : {&st.sum, &st.dev}) {
    for (double& l : s->lanes) l = 0;
    s->fill = s->depth = 0;
    s->blocks = 0;
  }
  st.count = 0;
  st.index = -1;
  st.i = 0;
  st.u = op == ReduceOp::Prod ? 1 : 0;
  st.f = op == ReduceOp::Prod ? 1 : 0;
  st.flag = op == ReduceOp::All;
}

const char* scan_name(ScanOp op) { return scan_info(op).name; }

ScanLineFn scan_line(ScanOp op, DType t) { return scan_info(op).lines[static_cast<int>(t)]; }

DType scan_result(ScanOp op, DType t) {
  return reduce_result(op == ScanOp::CumSum ? ReduceOp::Sum : ReduceOp::Prod, t);
}

void scan_start(ScanOp op, ScanState& st) {
  st.u = op == ScanOp::CumProd ? 1 : 0;
  st.f = op == ScanOp::CumProd ? 1 : 0;
}

MatmulFn matmul_kernel(DType t) {
  return visit_dtype(
      t, [](auto tag) -> MatmulFn { return &matmul_loop<typename decltype(tag)::type>; });
}

}  // namespace tessera::kernels
