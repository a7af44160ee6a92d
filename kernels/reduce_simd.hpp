// The reduction loops of one instruction set: explicit xsimd loops over raw
// pointers, tabulated in a ReduceSimd. kernels/reduce.cpp picks the table
// for the running CPU (kernels::simd_level()); each reduce_<isa>.cpp defines
// TESSERA_KERNEL_ARCH and TESSERA_REDUCE_IMPL and builds one table with its
// own compiler flags (see CMakeLists.txt).
//
// The loops keep the lanes of kernels/reduce.hpp exactly: element i of a
// block goes to lane i % 16 whatever the vector width (16 / W vectors of W
// lanes), blocks are folded by halving, and the scalar head, tail and
// strided loops apply the same operation to the same lanes, so that every
// path gives the same bits. Several blocks are summed side by side for
// instruction-level parallelism (the tree does not change).
#pragma once

#include <cstddef>
#include <cstdint>

#include "reduce.hpp"

namespace tessera::kernels {

struct ReduceSimd {
  // [0] float32, [1] float64.
  ReduceLineFn sum[2];      // Sum and Mean
  ReduceLineFn sum_abs[2];  // SumAbs
  ReduceLineFn sum_sq[2];   // SumSq (st.scale)
  ReduceLineFn var[2];      // Var and Std (st.center)
  ReduceLineFn prod[2];     // Prod
  DotLineFn dot[2];
  ColumnFn col_sum[2], col_abs[2], col_sq[2], col_var[2];
  // Position of the first extreme element (or of the first NaN) of x[0, n),
  // n > 0, contiguous. [min, max, min |x|, max |x|][float32, float64].
  std::int64_t (*first_extreme[4][2])(const char* x, std::int64_t n);
  // Position of the first element of x[0, n) (contiguous) that is nonzero
  // ([1]) or zero ([0]), or n. Indexed by dtype.
  std::int64_t (*find[2][kNumDTypes])(const char* x, std::int64_t n);
};

const ReduceSimd& reduce_simd_sse42();
const ReduceSimd& reduce_simd_avx2();
const ReduceSimd& reduce_simd_avx512();

}  // namespace tessera::kernels

#ifdef TESSERA_REDUCE_IMPL

#include <immintrin.h>

#include <type_traits>
#include <xsimd/xsimd.hpp>

namespace tessera::kernels {
// Each instruction set's copies of these templates get their own symbols,
// so that the linker cannot mix code compiled for different CPUs.
inline namespace TESSERA_KERNEL_ARCH {
namespace reduce_impl {

constexpr int kLanes = PairwiseSum::kLanes;
constexpr int kBlock = PairwiseSum::kBlock;

// Builtins rather than <cmath> and <algorithm>: an inline library function
// compiled here could be picked by the linker for the baseline code too.
inline std::int64_t imin(std::int64_t a, std::int64_t b) { return a < b ? a : b; }
inline double fabs_(double x) { return __builtin_fabs(x); }
inline float fabs_(float x) { return __builtin_fabsf(x); }
template <class T>
inline bool isnan_(T x) {
  return x != x;
}

template <class A>
constexpr bool is_avx512 = std::is_same_v<A, xsimd::avx512bw>;
template <class A>
constexpr bool is_avx2 = std::is_same_v<A, xsimd::fma3<xsimd::avx2>>;
// FMA where the instruction set has it (never on SSE4.2: its products and
// sums round separately, in the scalar loops too).
template <class A>
constexpr bool has_fma = is_avx512<A> || is_avx2<A>;

template <class A>
using DB = xsimd::batch<double, A>;

template <class A>
inline double fmadd(double x, double y, double z) {
  if constexpr (has_fma<A>) return __builtin_fma(x, y, z);
  else return x * y + z;
}
template <class A>
inline DB<A> fmadd(const DB<A>& x, const DB<A>& y, const DB<A>& z) {
  if constexpr (is_avx512<A>) return DB<A>(_mm512_fmadd_pd(x, y, z));
  else if constexpr (is_avx2<A>) return DB<A>(_mm256_fmadd_pd(x, y, z));
  else return x * y + z;
}

// W consecutive elements as doubles.
template <class A, class T>
inline DB<A> load(const T* x) {
  if constexpr (std::is_same_v<T, double>) {
    return DB<A>::load_unaligned(x);
  } else if constexpr (is_avx512<A>) {
    return DB<A>(_mm512_cvtps_pd(_mm256_loadu_ps(x)));
  } else if constexpr (is_avx2<A>) {
    return DB<A>(_mm256_cvtps_pd(_mm_loadu_ps(x)));
  } else {
    return DB<A>(
        _mm_cvtps_pd(_mm_castsi128_ps(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(x)))));
  }
}

template <class T>
inline double at(const char* p, std::ptrdiff_t stride, std::int64_t i) {
  return static_cast<double>(*reinterpret_cast<const T*>(p + i * stride));
}

// ---- the accumulations: acc (and acc2) op= f(x, y; param) -------------------

struct KSum {
  static constexpr bool two = false, dot = false;
  template <class A, class V>
  static void step(V& acc, V&, const V& x, const V&, const V&) {
    acc = acc + x;
  }
};
struct KAbs {
  static constexpr bool two = false, dot = false;
  template <class A, class V>
  static void step(V& acc, V&, const V& x, const V&, const V&) {
    if constexpr (std::is_same_v<V, double>) acc = acc + fabs_(x);
    else acc = acc + xsimd::abs(x);
  }
};
struct KSq {  // (x * scale)^2
  static constexpr bool two = false, dot = false;
  template <class A, class V>
  static void step(V& acc, V&, const V& x, const V&, const V& scale) {
    const V v = x * scale;
    acc = fmadd<A>(v, v, acc);
  }
};
struct KVar {  // (x - center)^2 and x - center
  static constexpr bool two = true, dot = false;
  template <class A, class V>
  static void step(V& acc, V& acc2, const V& x, const V&, const V& center) {
    const V d = x - center;
    acc = fmadd<A>(d, d, acc);
    acc2 = acc2 + d;
  }
};
struct KDot {  // x * y
  static constexpr bool two = false, dot = true;
  template <class A, class V>
  static void step(V& acc, V&, const V& x, const V& y, const V&) {
    acc = fmadd<A>(x, y, acc);
  }
};

template <class K>
double param_of(const ReduceState& st) {
  if constexpr (std::is_same_v<K, KSq>) return st.scale;
  else if constexpr (std::is_same_v<K, KVar>) return st.center;
  else return 0;
}

// Halving fold of R vectors of W lanes (lane r * W + j in vector r, j), in
// registers.
template <class A, int R>
inline double fold(DB<A>* acc) {
  for (int h = R / 2; h >= 1; h /= 2)
    for (int r = 0; r < h; ++r) acc[r] = acc[r] + acc[r + h];
  __m128d q;
  if constexpr (is_avx512<A>) {
    const __m512d v = acc[0];
    const __m256d h = _mm256_add_pd(_mm512_castpd512_pd256(v), _mm512_extractf64x4_pd(v, 1));
    q = _mm_add_pd(_mm256_castpd256_pd128(h), _mm256_extractf128_pd(h, 1));
  } else if constexpr (is_avx2<A>) {
    const __m256d v = acc[0];
    q = _mm_add_pd(_mm256_castpd256_pd128(v), _mm256_extractf128_pd(v, 1));
  } else {
    q = acc[0];
  }
  return _mm_cvtsd_f64(_mm_add_sd(q, _mm_unpackhi_pd(q, q)));
}

struct Sums {
  double a, b;  // the sum, and Var's second sum
};

// The sum of one complete block of contiguous x (and y).
template <class A, class K, class T>
inline Sums block_sum(const T* x, const T* y, const DB<A>& p) {
  using B = DB<A>;
  constexpr int W = B::size, R = kLanes / W;
  B acc[R], acc2[R];
  for (int r = 0; r < R; ++r) acc[r] = acc2[r] = B(0.0);
  const B zero(0.0);
#pragma GCC unroll 16
  for (int k = 0; k < kBlock; k += kLanes) {
#pragma GCC unroll 16
    for (int r = 0; r < R; ++r) {
      const B xv = load<A>(x + k + r * W);
      const B yv = K::dot ? load<A>(y + k + r * W) : zero;
      K::template step<A>(acc[r], acc2[r], xv, yv, p);
    }
  }
  return {fold<A, R>(acc), K::two ? fold<A, R>(acc2) : 0.0};
}

template <class A, class K, class T>
void feed(ReduceState& st, const char* px, std::ptrdiff_t xs, const char* py, std::ptrdiff_t ys,
          std::int64_t n) {
  st.count += n;
  PairwiseSum& s = st.sum;
  PairwiseSum& s2 = st.dev;
  const double p = param_of<K>(st);
  const double dummy = 0;
  std::int64_t i = 0;
  auto one = [&](std::int64_t j) {
    const int l = s.fill % kLanes;
    double unused = 0;
    K::template step<A>(s.lanes[l], K::two ? s2.lanes[l] : unused, at<T>(px, xs, j),
                        K::dot ? at<T>(py, ys, j) : dummy, p);
    if (K::two) ++s2.fill;
    if (++s.fill == kBlock) {
      s.push_block(fold_lanes(s.lanes));
      if (K::two) s2.push_block(fold_lanes(s2.lanes));
    }
  };
  for (; i < n && s.fill != 0; ++i) one(i);
  const std::int64_t nb = (n - i) / kBlock;
  constexpr std::ptrdiff_t sz = sizeof(T);
  const bool contiguous = xs == sz && (!K::dot || ys == sz);
  if (contiguous) {
    const T* x = reinterpret_cast<const T*>(px + i * xs);
    const T* y = K::dot ? reinterpret_cast<const T*>(py + i * ys) : nullptr;
    // The counter of PairwiseSum::push_block, inline: a call or a store to
    // the lanes per block costs a third of the bandwidth (stores can falsely
    // hold up the loads that follow them).
    const DB<A> pv(p);
    std::uint64_t blocks = s.blocks;
    int depth = s.depth;
    double* stack = s.stack;
    double* stack2 = s2.stack;
    for (std::int64_t b = 0; b < nb; ++b) {
      const std::int64_t off = b * kBlock;
      Sums v = block_sum<A, K, T>(x + off, K::dot ? y + off : nullptr, pv);
      for (std::uint64_t c = blocks++; c & 1; c >>= 1) {
        --depth;
        v.a = stack[depth] + v.a;
        if (K::two) v.b = stack2[depth] + v.b;
      }
      stack[depth] = v.a;
      if (K::two) stack2[depth] = v.b;
      ++depth;
    }
    s.blocks = blocks;
    s.depth = depth;
    if (K::two) {
      s2.blocks = blocks;
      s2.depth = depth;
    }
  } else {
    for (std::int64_t b = 0; b < nb; ++b) {
      double l1[kLanes] = {}, l2[kLanes] = {};
      const std::int64_t o = i + b * kBlock;
      for (int k = 0; k < kBlock; k += kLanes)
        for (int l = 0; l < kLanes; ++l)
          K::template step<A>(l1[l], l2[l], at<T>(px, xs, o + k + l),
                              K::dot ? at<T>(py, ys, o + k + l) : dummy, p);
      s.push_block(fold_lanes(l1));
      if (K::two) s2.push_block(fold_lanes(l2));
    }
  }
  i += nb * kBlock;
  if (contiguous && s.fill == 0 && n - i >= kLanes) {
    // the start of a partial block: 16 values at a time into the lanes
    using B = DB<A>;
    constexpr int W = B::size, R = kLanes / W;
    const T* x = reinterpret_cast<const T*>(px + i * xs);
    const T* y = K::dot ? reinterpret_cast<const T*>(py + i * ys) : nullptr;
    const std::int64_t steps = (n - i) / kLanes;
    B acc[R], acc2[R];
    for (int r = 0; r < R; ++r) {
      acc[r] = B::load_unaligned(s.lanes + r * W);
      acc2[r] = K::two ? B::load_unaligned(s2.lanes + r * W) : B(0.0);
    }
    const B pv(p), zero(0.0);
    for (std::int64_t k = 0; k < steps; ++k)
#pragma GCC unroll 16
      for (int r = 0; r < R; ++r) {
        const std::int64_t o = k * kLanes + r * W;
        K::template step<A>(acc[r], acc2[r], load<A>(x + o), K::dot ? load<A>(y + o) : zero, pv);
      }
    for (int r = 0; r < R; ++r) {
      acc[r].store_unaligned(s.lanes + r * W);
      if (K::two) acc2[r].store_unaligned(s2.lanes + r * W);
    }
    s.fill = static_cast<int>(steps * kLanes);
    if (K::two) s2.fill = s.fill;
    i += steps * kLanes;
  }
  for (; i < n; ++i) one(i);
}

template <class A, class K, class T>
void line(ReduceState& st, const char* p, std::ptrdiff_t s, std::int64_t n) {
  feed<A, K, T>(st, p, s, nullptr, 0, n);
}

template <class A, class T>
void dot(ReduceState& st, const char* a, std::ptrdiff_t as, const char* b, std::ptrdiff_t bs,
         std::int64_t n) {
  feed<A, KDot, T>(st, a, as, b, bs, n);
}

// ---- products: lanes folded at every chunk end ----------------------------------

template <class A, class T>
void prod(ReduceState& st, const char* px, std::ptrdiff_t xs, std::int64_t n) {
  using B = DB<A>;
  constexpr int W = B::size, R = kLanes / W;
  double* lanes = st.sum.lanes;
  std::int64_t pos = st.count, i = 0;
  st.count += n;
  while (i < n) {
    const std::int64_t len = imin(n - i, kReduceChunk - pos % kReduceChunk);
    std::int64_t j = 0;
    for (; j < len && (pos + j) % kLanes != 0; ++j)
      lanes[(pos + j) % kLanes] *= at<T>(px, xs, i + j);
    if (xs == static_cast<std::ptrdiff_t>(sizeof(T))) {
      const T* x = reinterpret_cast<const T*>(px + (i + j) * xs);
      const std::int64_t steps = (len - j) / kLanes;
      B acc[R];
      for (int r = 0; r < R; ++r) acc[r] = B::load_unaligned(lanes + r * W);
      for (std::int64_t k = 0; k < steps; ++k)
#pragma GCC unroll 16
        for (int r = 0; r < R; ++r) acc[r] = acc[r] * load<A>(x + k * kLanes + r * W);
      for (int r = 0; r < R; ++r) acc[r].store_unaligned(lanes + r * W);
      j += steps * kLanes;
    }
    for (; j < len; ++j) lanes[(pos + j) % kLanes] *= at<T>(px, xs, i + j);
    pos += len;
    i += len;
    if (pos % kReduceChunk == 0) {
      st.f = st.f * fold_lanes_product(lanes);
      for (int l = 0; l < kLanes; ++l) lanes[l] = 1;
    }
  }
}

// ---- columns --------------------------------------------------------------------

// Lanes a strip of W columns keeps in registers at once: 16 lanes of one
// vector each on AVX-512 (8 for Var, which has two sets); 8 (4) with 16
// registers. Rows r with r % 16 in a lane group's range go to that group,
// so each group reads only its own rows: every row is read once.
template <class A, class K>
constexpr int lane_group() {
  constexpr int regs = is_avx512<A> ? 16 : 8;
  return K::two ? regs / 2 : regs;
}

// Lines ahead (in the same row) prefetched with each load: the loads go down
// a column of lines, far apart.
constexpr int kPrefetchLines = 4;

template <class A, class K, class T, int PFL = kPrefetchLines, int PFK = 3>
void columns(const char* px, std::ptrdiff_t rs, std::int64_t rows, std::int64_t cols,
             double scale, const double* center, double* out, double* out2, double* work) {
  using B = DB<A>;
  constexpr int W = B::size, LG = lane_group<A, K>();
  constexpr bool var = K::two;
  const std::int64_t P = kColumnPanel;
  const std::int64_t nblocks = rows / kBlock, rem = rows % kBlock;
  const int maxdepth = column_depth(rows);
  double* stack = work;                  // maxdepth rows of P
  double* stack2 = stack + maxdepth * P;  // Var: the deviations
  double* blk = stack2 + maxdepth * P;    // one block's sums
  double* blk2 = blk + P;
  alignas(64) double lanes[kLanes * W], lanes2[kLanes * W];
  const B sc(scale);
  for (std::int64_t c0 = 0; c0 < cols; c0 += P) {
    const std::int64_t m = imin(P, cols - c0);
    const std::int64_t mv = m - m % W;
    const char* base = px + c0 * static_cast<std::ptrdiff_t>(sizeof(T));
    const double* cen = var ? center + c0 : nullptr;
    // Block sums of rows [r0, r0 + count) into blk (and blk2), per column.
    auto block = [&](std::int64_t r0, std::int64_t count) {
      for (std::int64_t c = 0; c < mv; c += W) {
        const T* x0 = reinterpret_cast<const T*>(base + r0 * rs) + c;
        const B prm = var ? B::load_unaligned(cen + c) : sc;
        for (int g = 0; g < kLanes / LG; ++g) {
          B acc[LG], acc2[LG];
          for (int l = 0; l < LG; ++l) acc[l] = acc2[l] = B(0.0);
          const B zero(0.0);
          std::int64_t k = 0;
          for (; k + kLanes <= count; k += kLanes) {
#pragma GCC unroll 16
            for (int l = 0; l < LG; ++l) {
              const T* xp = reinterpret_cast<const T*>(reinterpret_cast<const char*>(x0) +
                                                       (k + g * LG + l) * rs);
              if (PFL > 0) __builtin_prefetch(reinterpret_cast<const char*>(xp) + PFL * 64, 0, PFK);
              K::template step<A>(acc[l], acc2[l], load<A>(xp), zero, prm);
            }
          }
          for (int l = 0; l < LG; ++l) {
            if (k + g * LG + l >= count) break;
            const T* xp = reinterpret_cast<const T*>(reinterpret_cast<const char*>(x0) +
                                                     (k + g * LG + l) * rs);
            K::template step<A>(acc[l], acc2[l], load<A>(xp), zero, prm);
          }
          if constexpr (LG == kLanes) {
            for (int h = kLanes / 2; h >= 1; h /= 2)
              for (int l = 0; l < h; ++l) {
                acc[l] = acc[l] + acc[l + h];
                if (var) acc2[l] = acc2[l] + acc2[l + h];
              }
            acc[0].store_unaligned(blk + c);
            if (var) acc2[0].store_unaligned(blk2 + c);
          } else {
            for (int l = 0; l < LG; ++l) {
              acc[l].store_aligned(lanes + (g * LG + l) * W);
              if (var) acc2[l].store_aligned(lanes2 + (g * LG + l) * W);
            }
          }
        }
        if constexpr (LG < kLanes) {  // the halving fold, lane by lane as vectors
          for (int h = kLanes / 2; h >= 1; h /= 2)
            for (int l = 0; l < h; ++l) {
              (B::load_aligned(lanes + l * W) + B::load_aligned(lanes + (l + h) * W))
                  .store_aligned(lanes + l * W);
              if (var)
                (B::load_aligned(lanes2 + l * W) + B::load_aligned(lanes2 + (l + h) * W))
                    .store_aligned(lanes2 + l * W);
            }
          B::load_aligned(lanes).store_unaligned(blk + c);
          if (var) B::load_aligned(lanes2).store_unaligned(blk2 + c);
        }
      }
      for (std::int64_t c = mv; c < m; ++c) {  // the last columns one by one
        double l1[kLanes] = {}, l2[kLanes] = {};
        const char* x0 = base + r0 * rs + c * static_cast<std::ptrdiff_t>(sizeof(T));
        for (std::int64_t k = 0; k < count; ++k)
          K::template step<A>(l1[k % kLanes], l2[k % kLanes], at<T>(x0, rs, k), 0.0,
                              var ? cen[c] : scale);
        blk[c] = fold_lanes(l1);
        if (var) blk2[c] = fold_lanes(l2);
      }
    };
    // dst = a + b, elementwise (a + b in that order, as the scalar tree).
    auto add_rows = [&](double* dst, const double* a, const double* b) {
      std::int64_t c = 0;
      for (; c < mv; c += W)
        (B::load_unaligned(a + c) + B::load_unaligned(b + c)).store_unaligned(dst + c);
      for (; c < m; ++c) dst[c] = a[c] + b[c];
    };
    auto push = [&](double* st, int depth, std::uint64_t blocks, double* row) {
      for (std::uint64_t q = blocks; q & 1; q >>= 1) {
        --depth;
        add_rows(row, st + depth * P, row);
      }
      for (std::int64_t c = 0; c < m; ++c) st[depth * P + c] = row[c];
      return depth + 1;
    };
    int depth = 0;
    for (std::int64_t b = 0; b < nblocks; ++b) {
      block(b * kBlock, kBlock);
      const int d = push(stack, depth, static_cast<std::uint64_t>(b), blk);
      if (var) push(stack2, depth, static_cast<std::uint64_t>(b), blk2);
      depth = d;
    }
    if (rem > 0 || depth == 0) block(nblocks * kBlock, rem);
    // total(): the stack folded from the top, then the partial block.
    auto total = [&](const double* st, const double* partial, double* dst) {
      if (depth == 0) {
        for (std::int64_t c = 0; c < m; ++c) dst[c] = partial[c];
        return;
      }
      for (std::int64_t c = 0; c < m; ++c) dst[c] = st[(depth - 1) * P + c];
      for (int d = depth - 2; d >= 0; --d) add_rows(dst, st + d * P, dst);
      if (rem > 0) add_rows(dst, dst, partial);
    };
    total(stack, blk, out + c0);
    if (var) total(stack2, blk2, out2 + c0);
  }
}

// ---- extremes -------------------------------------------------------------------

template <bool Max, bool Abs, class T>
inline bool better(T x, T best) {
  if constexpr (Abs) {
    x = fabs_(x);
    best = fabs_(best);
  }
  return Max ? x > best : x < best;
}

// First extreme (or first NaN) of contiguous x[0, n), n > 0: per lane the
// first best value and its position (U sets of lanes side by side), checked
// for NaN once per segment.
template <class A, class T, bool Max, bool Abs>
std::int64_t first_extreme(const char* px, std::int64_t n) {
  using B = xsimd::batch<T, A>;
  constexpr int W = B::size, U = 4;
  constexpr std::int64_t kSegment = std::int64_t{1} << 14;  // positions exact in float
  const T* x = reinterpret_cast<const T*>(px);
  std::int64_t best_i = -1;
  T best = 0;
  auto offer = [&](std::int64_t i) {  // scalar step, logical order
    const T v = x[i];
    if (best_i < 0 || better<Max, Abs>(v, best)) {
      best = v;
      best_i = i;
    }
  };
  alignas(64) T iota_buf[W];
  for (int j = 0; j < W; ++j) iota_buf[j] = static_cast<T>(j);
  const B iota = B::load_aligned(iota_buf);
  for (std::int64_t s0 = 0; s0 < n; s0 += kSegment) {
    const std::int64_t len = imin(kSegment, n - s0);
    const T* xs = x + s0;
    const std::int64_t steps = len / (U * W);
    std::int64_t done = 0;
    if (steps > 0) {
      B bv[U], bp[U];
      auto key = [](const B& v) { return Abs ? xsimd::abs(v) : v; };
      for (int u = 0; u < U; ++u) {
        bv[u] = key(B::load_unaligned(xs));
        bp[u] = iota;
      }
      auto nan = xsimd::batch_bool<T, A>(false);
      B pos = iota;
      const B step(static_cast<T>(W));
      for (std::int64_t k = 0; k < steps; ++k) {
#pragma GCC unroll 4
        for (int u = 0; u < U; ++u) {
          const B v = key(B::load_unaligned(xs + (k * U + u) * W));
          const auto m = Max ? v > bv[u] : v < bv[u];
          bv[u] = xsimd::select(m, v, bv[u]);
          bp[u] = xsimd::select(m, pos, bp[u]);
          nan = nan | xsimd::isnan(v);
          pos = pos + step;
        }
      }
      done = steps * U * W;
      if (xsimd::any(nan)) {
        for (std::int64_t i = 0; i < done; ++i)
          if (isnan_(xs[i])) return s0 + i;
      }
      alignas(64) T v_buf[U * W], p_buf[U * W];
      for (int u = 0; u < U; ++u) {
        bv[u].store_aligned(v_buf + u * W);
        bp[u].store_aligned(p_buf + u * W);
      }
      // the best lane; ties go to the earliest position
      int q = 0;
      for (int l = 1; l < U * W; ++l) {
        const T v = v_buf[l], b = v_buf[q];
        if ((Max ? v > b : v < b) || (v == b && p_buf[l] < p_buf[q])) q = l;
      }
      const std::int64_t i = s0 + static_cast<std::int64_t>(p_buf[q]);
      if (best_i < 0 || better<Max, Abs>(x[i], best)) {
        best = x[i];
        best_i = i;
      }
    }
    for (std::int64_t i = s0 + done; i < s0 + len; ++i) {
      if (isnan_(x[i])) return i;
      offer(i);
    }
  }
  return best_i;
}

// ---- any / all ------------------------------------------------------------------

template <class T>
using Lane = std::conditional_t<std::is_same_v<T, bool>, std::uint8_t, T>;

// Whether each element is nonzero (NaN is; xsimd's float != is ordered, so
// NaN is tested apart).
template <class B>
inline auto nonzero(const B& v) {
  const B zero(static_cast<typename B::value_type>(0));
  if constexpr (std::is_floating_point_v<typename B::value_type>)
    return (v != zero) | xsimd::isnan(v);
  else
    return v != zero;
}

template <class A, class T, bool Nonzero>
std::int64_t find(const char* px, std::int64_t n) {
  using L = Lane<T>;
  using B = xsimd::batch<L, A>;
  constexpr int W = B::size, U = 4;
  const L* x = reinterpret_cast<const L*>(px);
  const B zero(static_cast<L>(0));
  auto hit = [&](const B& v) {
    if constexpr (Nonzero) return nonzero(v);
    else return v == zero;
  };
  std::int64_t i = 0;
  for (; i + U * W <= n; i += U * W) {
    auto h = hit(B::load_unaligned(x + i));
    for (int u = 1; u < U; ++u) h = h | hit(B::load_unaligned(x + i + u * W));
    if (xsimd::any(h)) break;
  }
  for (; i < n; ++i)
    if ((x[i] != 0) == Nonzero) return i;
  return n;
}

// ---- the table ------------------------------------------------------------------

template <class A>
ReduceSimd make_table() {
  ReduceSimd t{};
  t.sum[0] = &line<A, KSum, float>;
  t.sum[1] = &line<A, KSum, double>;
  t.sum_abs[0] = &line<A, KAbs, float>;
  t.sum_abs[1] = &line<A, KAbs, double>;
  t.sum_sq[0] = &line<A, KSq, float>;
  t.sum_sq[1] = &line<A, KSq, double>;
  t.var[0] = &line<A, KVar, float>;
  t.var[1] = &line<A, KVar, double>;
  t.prod[0] = &prod<A, float>;
  t.prod[1] = &prod<A, double>;
  t.dot[0] = &dot<A, float>;
  t.dot[1] = &dot<A, double>;
  t.col_sum[0] = &columns<A, KSum, float>;
  t.col_sum[1] = &columns<A, KSum, double>;
  t.col_abs[0] = &columns<A, KAbs, float>;
  t.col_abs[1] = &columns<A, KAbs, double>;
  t.col_sq[0] = &columns<A, KSq, float>;
  t.col_sq[1] = &columns<A, KSq, double>;
  t.col_var[0] = &columns<A, KVar, float>;
  t.col_var[1] = &columns<A, KVar, double>;
  t.first_extreme[0][0] = &first_extreme<A, float, false, false>;
  t.first_extreme[0][1] = &first_extreme<A, double, false, false>;
  t.first_extreme[1][0] = &first_extreme<A, float, true, false>;
  t.first_extreme[1][1] = &first_extreme<A, double, true, false>;
  t.first_extreme[2][0] = &first_extreme<A, float, false, true>;
  t.first_extreme[2][1] = &first_extreme<A, double, false, true>;
  t.first_extreme[3][0] = &first_extreme<A, float, true, true>;
  t.first_extreme[3][1] = &first_extreme<A, double, true, true>;
  auto finds = [&](auto nonzero) {
    constexpr bool Z = decltype(nonzero)::value;
    auto& f = t.find[Z ? 1 : 0];
    f[static_cast<int>(DType::Bool)] = &find<A, bool, Z>;
    f[static_cast<int>(DType::UInt8)] = &find<A, std::uint8_t, Z>;
    f[static_cast<int>(DType::Int32)] = &find<A, std::int32_t, Z>;
    f[static_cast<int>(DType::Int64)] = &find<A, std::int64_t, Z>;
    f[static_cast<int>(DType::Float32)] = &find<A, float, Z>;
    f[static_cast<int>(DType::Float64)] = &find<A, double, Z>;
  };
  finds(std::true_type());
  finds(std::false_type());
  return t;
}

}  // namespace reduce_impl
}  // namespace TESSERA_KERNEL_ARCH
}  // namespace tessera::kernels

#endif  // TESSERA_REDUCE_IMPL
