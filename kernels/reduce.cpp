// Reduction, scan and matrix-product loops: one template per kernel,
// instantiated per dtype into tables. Float loops come from the SIMD table
// of the running CPU (kernels/reduce_simd.hpp); this file holds the scalar
// loops of the other dtypes, which follow the same lanes.
#include "reduce.hpp"

#include <algorithm>
#include <cmath>
#include <type_traits>

#include "reduce_simd.hpp"
#include "simd.hpp"

namespace tessera::kernels {

// ---- pairwise summation -------------------------------------------------------

double fold_lanes(const double* lanes) {
  double l[PairwiseSum::kLanes];
  for (int j = 0; j < PairwiseSum::kLanes; ++j) l[j] = lanes[j];
  for (int h = PairwiseSum::kLanes / 2; h >= 1; h /= 2)
    for (int j = 0; j < h; ++j) l[j] = l[j] + l[j + h];
  return l[0];
}

double fold_lanes_product(const double* lanes) {
  double l[PairwiseSum::kLanes];
  for (int j = 0; j < PairwiseSum::kLanes; ++j) l[j] = lanes[j];
  for (int h = PairwiseSum::kLanes / 2; h >= 1; h /= 2)
    for (int j = 0; j < h; ++j) l[j] = l[j] * l[j + h];
  return l[0];
}

void PairwiseSum::reset() {
  for (double& l : lanes) l = 0;
  fill = depth = 0;
  blocks = 0;
}

void PairwiseSum::push_block(double block) {
  for (std::uint64_t c = blocks++; c & 1; c >>= 1) block = stack[--depth] + block;
  stack[depth++] = block;
  for (double& l : lanes) l = 0;
  fill = 0;
}

void PairwiseSum::push_subtree(double value, int level) {
  for (std::uint64_t c = blocks >> level; c & 1; c >>= 1) value = stack[--depth] + value;
  stack[depth++] = value;
  blocks += std::uint64_t{1} << level;
}

void PairwiseSum::append(const PairwiseSum& tail) {
  // tail's stack holds one perfect subtree per set bit of its block count,
  // the largest at the bottom.
  int d = 0;
  for (int level = 63; level >= 0; --level)
    if ((tail.blocks >> level) & 1) push_subtree(tail.stack[d++], level);
  for (int j = 0; j < kLanes; ++j) lanes[j] = tail.lanes[j];
  fill = tail.fill;
}

double PairwiseSum::lanes_total() const { return fold_lanes(lanes); }

double PairwiseSum::total() const {
  if (depth == 0) return lanes_total();
  double r = stack[depth - 1];
  for (int d = depth - 2; d >= 0; --d) r = stack[d] + r;
  return fill > 0 ? r + lanes_total() : r;
}

namespace {

const ReduceSimd& simd() {
  static const ReduceSimd& table = [&]() -> const ReduceSimd& {
    switch (simd_level()) {
      case SimdLevel::Avx512: return reduce_simd_avx512();
      case SimdLevel::Avx2: return reduce_simd_avx2();
      case SimdLevel::Sse42: break;
    }
    return reduce_simd_sse42();
  }();
  return table;
}

template <class T>
inline constexpr bool is_float_v = std::is_floating_point_v<T>;

// Index of a float dtype in the SIMD table.
template <class T>
inline constexpr int fi = std::is_same_v<T, double> ? 1 : 0;

template <class T>
T at(const char* p, std::ptrdiff_t stride, std::int64_t i) {
  return *reinterpret_cast<const T*>(p + i * stride);
}

// The pairwise lanes for dtypes without a SIMD loop: step(acc, acc2, x) per
// element, x converted to double (no FMA in this baseline code).
template <class T, bool Two, class Step>
void scalar_feed(ReduceState& st, const char* p, std::ptrdiff_t s, std::int64_t n, Step step) {
  constexpr int B = PairwiseSum::kBlock, L = PairwiseSum::kLanes;
  st.count += n;
  PairwiseSum& a = st.sum;
  PairwiseSum& b = st.dev;
  auto one = [&](std::int64_t i) {
    const int l = a.fill % L;
    step(a.lanes[l], b.lanes[l], static_cast<double>(at<T>(p, s, i)));
    if (Two) ++b.fill;
    if (++a.fill == B) {
      a.push_block(fold_lanes(a.lanes));
      if (Two) b.push_block(fold_lanes(b.lanes));
    }
  };
  std::int64_t i = 0;
  for (; i < n && a.fill != 0; ++i) one(i);
  for (; n - i >= B; i += B) {
    double l1[L] = {}, l2[L] = {};
    for (int k = 0; k < B; k += L)
      for (int l = 0; l < L; ++l) step(l1[l], l2[l], static_cast<double>(at<T>(p, s, i + k + l)));
    a.push_block(fold_lanes(l1));
    if (Two) b.push_block(fold_lanes(l2));
  }
  for (; i < n; ++i) one(i);
}

// Float results keep float32; everything else computes to float64.
template <class T>
using MeanType = std::conditional_t<std::is_same_v<T, float>, float, double>;

template <class R>
void store(char* out, R v) {
  *reinterpret_cast<R*>(out) = v;
}

void merge_count(ReduceState& into, const ReduceState& next) { into.count = next.count; }

// ---- the kernels: line(), finish(), result() and merge() per input type -------

struct SumK {
  template <class T>
  static void line(ReduceState& st, const char* p, std::ptrdiff_t s, std::int64_t n) {
    if constexpr (is_float_v<T>) {
      simd().sum[fi<T>](st, p, s, n);
    } else {
      st.count += n;
      std::uint64_t u = st.u;
      if (s == static_cast<std::ptrdiff_t>(sizeof(T))) {
        const T* x = reinterpret_cast<const T*>(p);
        for (std::int64_t i = 0; i < n; ++i) u += static_cast<std::uint64_t>(x[i]);
      } else {
        for (std::int64_t i = 0; i < n; ++i) u += static_cast<std::uint64_t>(at<T>(p, s, i));
      }
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
  template <class T>
  static void merge(ReduceState& into, const ReduceState& next) {
    if constexpr (is_float_v<T>) into.sum.append(next.sum);
    else into.u += next.u;
    merge_count(into, next);
  }
};

struct ProdK {
  template <class T>
  static void line(ReduceState& st, const char* p, std::ptrdiff_t s, std::int64_t n) {
    if constexpr (is_float_v<T>) {
      simd().prod[fi<T>](st, p, s, n);
    } else {
      st.count += n;
      std::uint64_t u = st.u;
      for (std::int64_t i = 0; i < n; ++i) u *= static_cast<std::uint64_t>(at<T>(p, s, i));
      st.u = u;
    }
  }
  template <class T>
  static void finish(const ReduceState& st, char* out) {
    if constexpr (is_float_v<T>) store(out, static_cast<T>(st.f * fold_lanes_product(st.sum.lanes)));
    else store(out, static_cast<std::int64_t>(st.u));
  }
  template <class T>
  static DType result() {
    return SumK::result<T>();
  }
  template <class T>
  static void merge(ReduceState& into, const ReduceState& next) {
    if constexpr (is_float_v<T>) {
      into.f = into.f * next.f;  // into's lanes are all 1 at a chunk boundary
      for (int l = 0; l < PairwiseSum::kLanes; ++l) into.sum.lanes[l] = next.sum.lanes[l];
    } else {
      into.u *= next.u;
    }
    merge_count(into, next);
  }
};

struct MeanK {
  template <class T>
  static void line(ReduceState& st, const char* p, std::ptrdiff_t s, std::int64_t n) {
    if constexpr (is_float_v<T>)
      simd().sum[fi<T>](st, p, s, n);
    else
      scalar_feed<T, false>(st, p, s, n, [](double& acc, double&, double x) { acc = acc + x; });
  }
  static double value(double sum, std::int64_t count) {
    return sum / static_cast<double>(count);
  }
  template <class T>
  static void finish(const ReduceState& st, char* out) {
    store(out, static_cast<MeanType<T>>(value(st.sum.total(), st.count)));
  }
  template <class T>
  static DType result() {
    return dtype_of<MeanType<T>>;
  }
  template <class T>
  static void merge(ReduceState& into, const ReduceState& next) {
    into.sum.append(next.sum);
    merge_count(into, next);
  }
};

// Second pass of the corrected two-pass algorithm: sum (x - c)^2 and
// sum (x - c), so that an inexact mean c costs no accuracy.
template <bool Sqrt>
struct VarK {
  template <class T>
  static void line(ReduceState& st, const char* p, std::ptrdiff_t s, std::int64_t n) {
    if constexpr (is_float_v<T>) {
      simd().var[fi<T>](st, p, s, n);
    } else {
      const double c = st.center;
      scalar_feed<T, true>(st, p, s, n, [c](double& acc, double& acc2, double x) {
        const double d = x - c;
        acc = acc + d * d;
        acc2 = acc2 + d;
      });
    }
  }
  static double value(double ssq, double dev, std::int64_t count, std::int64_t ddof) {
    double n = static_cast<double>(count);
    double divisor = std::max(n - static_cast<double>(ddof), 0.0);
    double var = (ssq - dev * dev / n) / divisor;
    return Sqrt ? std::sqrt(var) : var;
  }
  template <class T>
  static void finish(const ReduceState& st, char* out) {
    store(out, static_cast<MeanType<T>>(value(st.sum.total(), st.dev.total(), st.count, st.ddof)));
  }
  template <class T>
  static DType result() {
    return MeanK::result<T>();
  }
  template <class T>
  static void merge(ReduceState& into, const ReduceState& next) {
    into.sum.append(next.sum);
    into.dev.append(next.dev);
    merge_count(into, next);
  }
};

struct SumSqK {
  template <class T>
  static void line(ReduceState& st, const char* p, std::ptrdiff_t s, std::int64_t n) {
    if constexpr (is_float_v<T>) {
      simd().sum_sq[fi<T>](st, p, s, n);
    } else {
      const double k = st.scale;
      scalar_feed<T, false>(st, p, s, n, [k](double& acc, double&, double x) {
        const double v = x * k;
        acc = acc + v * v;
      });
    }
  }
  template <class T>
  static void finish(const ReduceState& st, char* out) {
    store(out, st.sum.total());
  }
  template <class T>
  static DType result() {
    return DType::Float64;
  }
  template <class T>
  static void merge(ReduceState& into, const ReduceState& next) {
    MeanK::merge<T>(into, next);
  }
};

struct SumAbsK {
  template <class T>
  static void line(ReduceState& st, const char* p, std::ptrdiff_t s, std::int64_t n) {
    if constexpr (is_float_v<T>)
      simd().sum_abs[fi<T>](st, p, s, n);
    else
      scalar_feed<T, false>(st, p, s, n,
                            [](double& acc, double&, double x) { acc = acc + std::fabs(x); });
  }
  template <class T>
  static void finish(const ReduceState& st, char* out) {
    store(out, st.sum.total());
  }
  template <class T>
  static DType result() {
    return DType::Float64;
  }
  template <class T>
  static void merge(ReduceState& into, const ReduceState& next) {
    MeanK::merge<T>(into, next);
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
  template <class V>
  static V& best_of(ReduceState& st) {
    if constexpr (std::is_same_v<V, double>) return st.f;
    else return st.i;
  }
  // Offers element x at logical position i to st (which holds no NaN).
  template <class V>
  static void offer(ReduceState& st, V x, std::int64_t i) {
    V& best = best_of<V>(st);
    if constexpr (std::is_same_v<V, double>) {
      if (std::isnan(x)) {
        st.flag = true;
        best = x;
        st.index = i;
        return;
      }
    }
    if (st.index < 0 || (Max ? x > best : x < best)) {
      best = x;
      st.index = i;
    }
  }
  template <class T>
  static void line(ReduceState& st, const char* p, std::ptrdiff_t s, std::int64_t n) {
    using V = decltype(key(T()));
    const std::int64_t first = st.count;
    st.count += n;
    if (st.flag || n == 0) return;  // a NaN was seen
    if constexpr (is_float_v<T>) {
      if (s == static_cast<std::ptrdiff_t>(sizeof(T))) {
        const int kind = (Abs ? 2 : 0) + (Max ? 1 : 0);
        const std::int64_t j = simd().first_extreme[kind][fi<T>](p, n);
        offer<V>(st, key(at<T>(p, s, j)), first + j);
        return;
      }
    }
    V best = best_of<V>(st);
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
    best_of<V>(st) = best;
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
  template <class T>
  static void merge(ReduceState& into, const ReduceState& next) {
    using V = decltype(key(T()));
    if (!into.flag && next.index >= 0) {
      ReduceState& s = into;
      V x = best_of<V>(const_cast<ReduceState&>(next));
      if (next.flag) {
        s.flag = true;
        best_of<V>(s) = x;
        s.index = next.index;
      } else {
        offer<V>(s, x, next.index);
      }
    }
    merge_count(into, next);
  }
};

// Any (All = false) and All: stop looking once the answer is known.
template <bool All>
struct LogicalK {
  template <class T>
  static void line(ReduceState& st, const char* p, std::ptrdiff_t s, std::int64_t n) {
    st.count += n;
    if (st.flag != All) return;
    if (s == static_cast<std::ptrdiff_t>(sizeof(T))) {
      if (simd().find[All ? 0 : 1][static_cast<int>(dtype_of<T>)](p, n) < n) st.flag = !All;
      return;
    }
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
  template <class T>
  static void merge(ReduceState& into, const ReduceState& next) {
    into.flag = All ? into.flag && next.flag : into.flag || next.flag;
    merge_count(into, next);
  }
};

using MergeFn = void (*)(ReduceState& into, const ReduceState& next);

struct ReduceInfo {
  const char* name;
  ReduceLineFn lines[kNumDTypes];
  ReduceFinishFn finishes[kNumDTypes];
  MergeFn merges[kNumDTypes];
  DType results[kNumDTypes];
};

template <class K>
ReduceInfo make(const char* name) {
  ReduceInfo info{name, {}, {}, {}, {}};
  for (int t = 0; t < kNumDTypes; ++t) {
    visit_dtype(static_cast<DType>(t), [&](auto tag) {
      using T = typename decltype(tag)::type;
      info.results[t] = static_cast<DType>(t);
      // No complex loops: the dispatch layer sums complex arrays as their
      // real and imaginary parts (float views) and refuses the rest.
      if constexpr (!is_complex_v<T>) {
        info.lines[t] = &K::template line<T>;
        info.finishes[t] = &K::template finish<T>;
        info.merges[t] = &K::template merge<T>;
        info.results[t] = K::template result<T>();
      }
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

// Columns: finish as the state's finish() would.
template <class T>
void finish_columns_t(ReduceOp op, const double* sum, const double* dev, std::int64_t count,
                      std::int64_t ddof, char* out, std::ptrdiff_t os, std::int64_t m) {
  for (std::int64_t c = 0; c < m; ++c) {
    char* o = out + c * os;
    switch (op) {
      case ReduceOp::Sum: store(o, static_cast<T>(sum[c])); break;
      case ReduceOp::Mean: store(o, static_cast<MeanType<T>>(MeanK::value(sum[c], count))); break;
      case ReduceOp::Var:
        store(o, static_cast<MeanType<T>>(VarK<false>::value(sum[c], dev[c], count, ddof)));
        break;
      case ReduceOp::Std:
        store(o, static_cast<MeanType<T>>(VarK<true>::value(sum[c], dev[c], count, ddof)));
        break;
      default: store(o, sum[c]); break;  // SumSq, SumAbs
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

void reduce_start(ReduceOp op, ReduceState& st, std::int64_t start) {
  st.sum.reset();
  st.dev.reset();
  if (op == ReduceOp::Prod)
    for (double& l : st.sum.lanes) l = 1;
  st.count = start;
  st.index = -1;
  st.i = 0;
  st.u = op == ReduceOp::Prod ? 1 : 0;
  st.f = op == ReduceOp::Prod ? 1 : 0;
  st.flag = op == ReduceOp::All;
}

ReducePart reduce_part(const ReduceState& st) {
  return {st.sum.depth > 0 ? st.sum.stack[0] : 0.0,
          st.dev.depth > 0 ? st.dev.stack[0] : 0.0,
          st.f,
          st.u,
          st.i,
          st.index,
          st.count,
          st.flag};
}

void reduce_merge(ReduceOp op, DType t, ReduceState& into, const ReducePart& next) {
  // the complete chunk's state again: one subtree per sum, empty lanes
  ReduceState s;
  reduce_start(op, s);
  s.sum.stack[0] = next.sum;
  s.dev.stack[0] = next.dev;
  s.sum.depth = s.dev.depth = 1;
  s.sum.blocks = s.dev.blocks = std::uint64_t{1} << PairwiseSum::kChunkLevel;
  s.f = next.f;
  s.u = next.u;
  s.i = next.i;
  s.index = next.index;
  s.count = next.count;
  s.flag = next.flag;
  info(op).merges[static_cast<int>(t)](into, s);
}

void reduce_merge(ReduceOp op, DType t, ReduceState& into, const ReduceState& next) {
  info(op).merges[static_cast<int>(t)](into, next);
}

DotLineFn dot_line(DType t) {
  if (t == DType::Float32) return simd().dot[0];
  if (t == DType::Float64) return simd().dot[1];
  return nullptr;
}

ColumnFn column_loop(ReduceOp op, DType t) {
  if (t != DType::Float32 && t != DType::Float64) return nullptr;
  const int f = t == DType::Float64 ? 1 : 0;
  const ReduceSimd& s = simd();
  switch (op) {
    case ReduceOp::Sum:
    case ReduceOp::Mean: return s.col_sum[f];
    case ReduceOp::Var:
    case ReduceOp::Std: return s.col_var[f];
    case ReduceOp::SumSq: return s.col_sq[f];
    case ReduceOp::SumAbs: return s.col_abs[f];
    default: return nullptr;
  }
}

std::size_t column_work_doubles(ReduceOp, std::int64_t rows) {
  return static_cast<std::size_t>((2 * column_depth(rows) + 2) * kColumnPanel);
}

void finish_columns(ReduceOp op, DType t, const double* sum, const double* dev,
                    std::int64_t count, std::int64_t ddof, char* out, std::ptrdiff_t out_stride,
                    std::int64_t m) {
  visit_dtype(t, [&](auto tag) {
    using T = typename decltype(tag)::type;
    if constexpr (is_float_v<T>) finish_columns_t<T>(op, sum, dev, count, ddof, out, out_stride, m);
  });
}

namespace {

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
      if constexpr (!is_complex_v<T>) info.lines[t] = &ScanK<Prod>::template line<T>;
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

const char* scan_name(ScanOp op) { return scan_info(op).name; }

ScanLineFn scan_line(ScanOp op, DType t) { return scan_info(op).lines[static_cast<int>(t)]; }
// (null for complex dtypes)

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
