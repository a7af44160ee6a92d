#include "reduce.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "../../kernels/nd_loop.hpp"
#include "../linalg/linalg.hpp"
#include "complex.hpp"
#include "elementwise.hpp"

namespace tessera::ops {
namespace {

using kernels::ReduceState;

// ---- walking layouts ------------------------------------------------------------

// K operands over one shape: base pointers and element strides.
template <int K>
struct Walk {
  Dims shape;
  char* base[K];
  Dims strides[K];
  std::size_t itemsize[K];
};

// Calls line(ptrs, byte_strides, n) for every innermost line of w.shape, in
// row-major order.
template <int K, class Line>
void walk_lines(const Walk<K>& w, Line&& line) {
  std::ptrdiff_t bytes[K][kMaxDims];
  const std::ptrdiff_t* rows[K];
  for (int k = 0; k < K; ++k) {
    for (int d = 0; d < w.shape.n; ++d)
      bytes[k][d] = w.strides[k][d] * static_cast<std::ptrdiff_t>(w.itemsize[k]);
    rows[k] = bytes[k];
  }
  auto plan = kernels::make_plan<K>(w.shape.n, w.shape.v, rows);
  kernels::run_plan<K>(plan, w.base, line);
}

// Calls f(ptrs) for every position of w.shape.
template <int K, class F>
void walk_elements(const Walk<K>& w, F&& f) {
  walk_lines(w, [&](char* const* p, const std::ptrdiff_t* s, std::int64_t n) {
    char* q[K];
    for (std::int64_t i = 0; i < n; ++i) {
      for (int k = 0; k < K; ++k) q[k] = p[k] + i * s[k];
      f(static_cast<char* const*>(q));
    }
  });
}

Dims without(const Dims& d, int axis) {
  Dims r = d;
  r.erase(axis);
  return r;
}

// The lines of `in` along axis, paired with the elements of `out`, whose
// strides are given for the other dimensions of `in`.
Walk<2> axis_walk(const Array& in, int axis, const Array& out, const Dims& out_strides) {
  return {without(in.shape(), axis),
          {static_cast<char*>(in.data()), static_cast<char*>(out.data())},
          {without(in.strides(), axis), out_strides},
          {in.itemsize(), out.itemsize()}};
}

std::ptrdiff_t byte_stride(const Array& a, int d) {
  return a.stride(d) * static_cast<std::ptrdiff_t>(a.itemsize());
}

// ---- parallel work ----------------------------------------------------------------

// Elements a task should have at least: below twice this, a reduction runs
// on the calling thread without touching TBB. Measured on the 2-core
// development machine (sum of float64, 1 vs 2 threads, medians, task size
// forced down): 2 chunks (131072 elements, 8.6 us) 1.66x, 3 chunks 1.48x
// (2 + 1 tasks), 4 chunks (262144, 19.6 us) 1.94x, 1M elements 1.88x;
// argmax the same from 4 chunks on. So tasks of 2 chunks, parallel from 4:
// smaller arrays would gain only when the worker thread is already awake.
constexpr std::int64_t kMinTaskElements = std::int64_t{1} << 17;

// Calls line(ptrs, byte_strides, n) for the lines that cover positions
// [begin, end) of the plan, in row-major order.
template <int K, class Line>
void run_range(const kernels::LoopPlan<K>& p, char* const* base, std::int64_t begin,
               std::int64_t end, Line&& line) {
  if (begin >= end) return;
  char* ptr[K];
  std::ptrdiff_t inner[K];
  for (int k = 0; k < K; ++k) ptr[k] = base[k];
  if (p.ndim == 0) {
    for (int k = 0; k < K; ++k) inner[k] = 0;
    line(static_cast<char* const*>(ptr), static_cast<const std::ptrdiff_t*>(inner),
         std::int64_t{1});
    return;
  }
  const int last = p.ndim - 1;
  std::int64_t idx[kernels::kMaxLoopDims];
  std::int64_t r = begin;
  for (int d = last; d >= 0; --d) {
    idx[d] = r % p.shape[d];
    r /= p.shape[d];
  }
  for (int k = 0; k < K; ++k) {
    for (int d = 0; d <= last; ++d) ptr[k] += idx[d] * p.strides[k][d];
    inner[k] = p.strides[k][last];
  }
  std::int64_t left = end - begin;
  for (;;) {
    const std::int64_t n = std::min(p.shape[last] - idx[last], left);
    line(static_cast<char* const*>(ptr), static_cast<const std::ptrdiff_t*>(inner), n);
    left -= n;
    if (left == 0) return;
    for (int k = 0; k < K; ++k) ptr[k] -= idx[last] * inner[k];
    idx[last] = 0;
    for (int d = last - 1; d >= 0; --d) {
      for (int k = 0; k < K; ++k) ptr[k] += p.strides[k][d];
      if (++idx[d] < p.shape[d]) break;
      for (int k = 0; k < K; ++k) ptr[k] -= p.strides[k][d] * p.shape[d];
      idx[d] = 0;
    }
  }
}

template <int K>
kernels::LoopPlan<K> plan_of(const Walk<K>& w) {
  std::ptrdiff_t bytes[K][kMaxDims];
  const std::ptrdiff_t* rows[K];
  for (int k = 0; k < K; ++k) {
    for (int d = 0; d < w.shape.n; ++d)
      bytes[k][d] = w.strides[k][d] * static_cast<std::ptrdiff_t>(w.itemsize[k]);
    rows[k] = bytes[k];
  }
  return kernels::make_plan<K>(w.shape.n, w.shape.v, rows);
}

// Reduces the sequence [0, n) into `out`: init(st, start) starts a state at
// logical position start, feed(st, begin, end) feeds it elements [begin,
// end). Chunks of kReduceChunk elements are reduced side by side (on the
// runtime's threads when there is enough work) and merged in order, which
// gives the same bits as feeding the whole sequence to one state.
template <class Init, class Feed>
void run_chunked(Context& ctx, ReduceOp op, DType t, std::int64_t n, Init&& init, Feed&& feed,
                 ReduceState& out) {
  constexpr std::int64_t C = kernels::kReduceChunk;
  const std::int64_t chunks = (n + C - 1) / C;
  if (chunks <= 1) {
    init(out, 0);
    feed(out, 0, n);
    return;
  }
  std::vector<kernels::ReducePart> parts(static_cast<std::size_t>(chunks - 1));
  ReduceState last;
  const std::int64_t grain = std::max<std::int64_t>(1, kMinTaskElements / C);
  ctx.parallel.for_range(chunks, grain, [&](std::int64_t b, std::int64_t e) {
    ReduceState st;
    for (std::int64_t c = b; c < e; ++c) {
      if (c == chunks - 1) {
        init(last, c * C);
        feed(last, c * C, n);
      } else {
        init(st, c * C);
        feed(st, c * C, (c + 1) * C);
        parts[static_cast<std::size_t>(c)] = kernels::reduce_part(st);
      }
    }
  });
  init(out, 0);
  for (const kernels::ReducePart& p : parts) kernels::reduce_merge(op, t, out, p);
  kernels::reduce_merge(op, t, out, last);
}

// ---- reductions -----------------------------------------------------------------

bool is_var(ReduceOp op) { return op == ReduceOp::Var || op == ReduceOp::Std; }

bool takes_dtype(ReduceOp op) {
  return op == ReduceOp::Sum || op == ReduceOp::Prod || op == ReduceOp::Mean || is_var(op);
}

bool needs_elements(ReduceOp op) {
  return op == ReduceOp::Min || op == ReduceOp::Max || op == ReduceOp::ArgMin ||
         op == ReduceOp::ArgMax || op == ReduceOp::MinAbs || op == ReduceOp::MaxAbs;
}

// Lines along an axis reduced (or scanned) side by side: `lanes` lines, the
// w-th starting at in + w * lane_stride, each n elements `stride` bytes apart,
// with outputs at out + w * out_stride.
struct Group {
  const char* in;
  std::ptrdiff_t lane_stride, stride;
  std::int64_t n;
  char* out;
  std::ptrdiff_t out_stride;
  int lanes;
};

// Outputs handled side by side, and the elements of each line fed per turn:
// neighbouring lines share cache lines and pages when the axis is strided.
// Feeding a line in pieces does not change the result.
constexpr int kLanes = 16;
constexpr std::int64_t kChunk = 2 * kernels::PairwiseSum::kBlock;

// Calls f(g) for groups of up to kLanes neighbouring lines of `in` along
// axis, paired with the elements of out (strides given without axis), for
// the outputs at positions [begin, end) of the walk.
template <class F>
void for_each_group(const Array& in, int axis, const Array& out, const Dims& out_strides,
                    std::int64_t begin, std::int64_t end, F&& f) {
  const std::ptrdiff_t stride = byte_stride(in, axis);
  const std::int64_t n = in.dim(axis);
  Walk<2> w = axis_walk(in, axis, out, out_strides);
  run_range(plan_of(w), w.base, begin, end,
            [&](char* const* p, const std::ptrdiff_t* s, std::int64_t count) {
              // side by side only pays when the lines are further apart than their elements
              const std::int64_t most = std::abs(stride) > std::abs(s[0]) ? kLanes : 1;
              for (std::int64_t j = 0; j < count; j += most) {
                int lanes = static_cast<int>(std::min(most, count - j));
                f(Group{p[0] + j * s[0], s[0], stride, n, p[1] + j * s[1], s[1], lanes});
              }
            });
}

template <class F>
void for_each_group(const Array& in, int axis, const Array& out, const Dims& out_strides, F&& f) {
  for_each_group(in, axis, out, out_strides, 0, without(in.shape(), axis).product(),
                 std::forward<F>(f));
}

// Feeds the lines of g to their states, a chunk of each in turn.
void feed_group(kernels::ReduceLineFn line, ReduceState* st, const Group& g) {
  for (std::int64_t i = 0; i < g.n; i += kChunk) {
    const std::int64_t len = std::min(kChunk, g.n - i);
    for (int w = 0; w < g.lanes; ++w)
      line(st[w], g.in + w * g.lane_stride + i * g.stride, g.stride, len);
  }
}

// One reduction of dtype t. passes() runs its passes over `lanes` states,
// whose elements feed(line, states) gives; finish() writes one result.
struct Reducer {
  ReduceOp op;
  DType t;
  const ReduceArgs& args;
  double scale = 1;

  // Starts a state of `pass` (op, or Mean for a variance's first pass).
  void start(ReduceOp pass, ReduceState& st, std::int64_t at = 0, double center = 0) const {
    kernels::reduce_start(pass, st, at);
    st.center = center;
    st.scale = scale;
    st.ddof = args.ddof;
    st.base = args.base;
  }
  template <class Feed>
  void passes(ReduceState* st, int lanes, Feed&& feed) const {
    double centers[kLanes];
    if (is_var(op)) {  // first pass: the mean, kept as the center of the second
      for (int w = 0; w < lanes; ++w) start(ReduceOp::Mean, st[w]);
      feed(kernels::reduce_line(ReduceOp::Mean, t), st);
      for (int w = 0; w < lanes; ++w)
        centers[w] = st[w].sum.total() / static_cast<double>(st[w].count);
    }
    for (int w = 0; w < lanes; ++w) start(op, st[w], 0, is_var(op) ? centers[w] : 0);
    feed(kernels::reduce_line(op, t), st);
  }
  void finish(const ReduceState& st, char* out) const { kernels::reduce_finish(op, t)(st, out); }
};

// op over the sequence [0, n) that feed(line, st, begin, end) gives, chunked.
template <class Feed>
void reduce_sequence(Context& ctx, const Reducer& r, std::int64_t n, Feed&& feed,
                     ReduceState& st) {
  auto pass = [&](ReduceOp op, double center) {
    const kernels::ReduceLineFn line = kernels::reduce_line(op, r.t);
    run_chunked(
        ctx, op, r.t, n, [&](ReduceState& s, std::int64_t at) { r.start(op, s, at, center); },
        [&](ReduceState& s, std::int64_t b, std::int64_t e) { feed(line, s, b, e); }, st);
  };
  double center = 0;
  if (is_var(r.op)) {
    pass(ReduceOp::Mean, 0);
    center = st.sum.total() / static_cast<double>(st.count);
  }
  pass(r.op, center);
}

void reduce_all_into(Context& ctx, const Reducer& r, const Array& a, char* out) {
  Walk<1> w{a.shape(), {static_cast<char*>(a.data())}, {a.strides()}, {a.itemsize()}};
  const kernels::LoopPlan<1> plan = plan_of(w);
  ReduceState st;
  reduce_sequence(
      ctx, r, a.size(),
      [&](kernels::ReduceLineFn line, ReduceState& s, std::int64_t b, std::int64_t e) {
        run_range(plan, w.base, b, e, [&](char* const* p, const std::ptrdiff_t* bs, std::int64_t n) {
          line(s, p[0], bs[0], n);
        });
      },
      st);
  r.finish(st, out);
}

// Axis reductions. Each output is computed whole by one task, so the thread
// count cannot change it; the three layouts:
//  - lines: the axis is contiguous; each output reduces one contiguous line.
//  - columns: the axis is strided but the outputs' innermost dimension is
//    contiguous in the input: a strip of columns (one vector wide) goes down
//    the rows with its 16 pairwise lanes in registers, vectorized across the
//    row (float sums, means, variances, norms); same bits as each column
//    reduced alone.
//  - groups: anything else, up to kLanes lines side by side.

// The columns layout: `m` outputs whose input columns are contiguous runs
// (the innermost lines of plan), each reduced down n rows `stride` bytes
// apart. The rows are cut where the pairwise tree allows: chunks of 2^lvl
// blocks (perfect subtrees), the remaining complete blocks, the partial
// block; tasks are (row part, piece of up to kColumnPanel columns), so that
// each thread streams its own rows. Per column, the parts are then combined
// exactly as PairwiseSum::total would: chunks by the binary counter, the
// remaining blocks' sum on top, the partial block last.
void reduce_columns(Context& ctx, const Reducer& r, const kernels::LoopPlan<2>& plan,
                    char* const* base, std::int64_t m, std::int64_t n, std::ptrdiff_t stride,
                    kernels::ColumnFn columns) {
  struct Piece {
    const char* in;
    char* out;
    std::ptrdiff_t out_stride;
    std::int64_t cols, at;  // at: index of its first column among the m
  };
  std::vector<Piece> pieces;
  std::int64_t at = 0;
  run_range(plan, base, 0, m, [&](char* const* p, const std::ptrdiff_t* s, std::int64_t cnt) {
    for (std::int64_t j = 0; j < cnt; j += kernels::kColumnPanel) {
      const std::int64_t k = std::min(kernels::kColumnPanel, cnt - j);
      pieces.push_back({p[0] + j * s[0], p[1] + j * s[1], s[1], k, at});
      at += k;
    }
  });
  constexpr std::int64_t B = kernels::PairwiseSum::kBlock;
  const std::int64_t nb = n / B, rem = n % B;
  int lvl = 0;
  while ((nb >> lvl) > 16) ++lvl;
  const std::int64_t chunk_rows = B << lvl, chunks = nb >> lvl;
  const std::int64_t tail_rows = (nb - (chunks << lvl)) * B;
  struct Part {
    std::int64_t r0, rows;
  };
  std::vector<Part> parts;
  for (std::int64_t c = 0; c < chunks; ++c) parts.push_back({c * chunk_rows, chunk_rows});
  if (tail_rows > 0) parts.push_back({chunks * chunk_rows, tail_rows});
  if (rem > 0 || parts.empty()) parts.push_back({nb * B, rem});
  const std::int64_t np = static_cast<std::int64_t>(parts.size());
  const std::int64_t npieces = static_cast<std::int64_t>(pieces.size());
  const std::int64_t most_rows = std::max(chunk_rows, tail_rows);
  const bool var = is_var(r.op);

  std::vector<double> vals(static_cast<std::size_t>((var ? 2 : 1) * np * m));
  double* v1 = vals.data();
  double* v2 = var ? v1 + np * m : nullptr;
  const std::int64_t per_task = std::max<std::int64_t>(1, n * m / (np * npieces));
  const std::int64_t grain = std::max<std::int64_t>(1, kMinTaskElements / per_task);
  // One pass: every part of every column into vals, then combined into out1 (out2).
  auto pass = [&](kernels::ColumnFn fn, const double* center, double* out1, double* out2) {
    ctx.parallel.for_range(np * npieces, grain, [&](std::int64_t b, std::int64_t e) {
      std::vector<double> work(kernels::column_work_doubles(r.op, most_rows));
      for (std::int64_t t = b; t < e; ++t) {
        const Part& pt = parts[static_cast<std::size_t>(t / npieces)];
        const Piece& pc = pieces[static_cast<std::size_t>(t % npieces)];
        const std::int64_t off = (t / npieces) * m + pc.at;
        fn(pc.in + pt.r0 * stride, stride, pt.rows, pc.cols, r.scale,
           center ? center + pc.at : nullptr, v1 + off, v2 ? v2 + off : nullptr, work.data());
      }
    });
    const bool tail = tail_rows > 0;
    auto combine = [&](const double* v, std::int64_t c) {
      double st[64];
      int depth = 0;
      for (std::int64_t j = 0; j < chunks; ++j) {
        double x = v[j * m + c];
        for (std::int64_t q = j; q & 1; q >>= 1) x = st[--depth] + x;
        st[depth++] = x;
      }
      bool have = tail;
      double t = tail ? v[chunks * m + c] : 0.0;
      for (int d = depth - 1; d >= 0; --d) {
        t = have ? st[d] + t : st[d];
        have = true;
      }
      if (rem > 0 || !have) t = have ? t + v[(np - 1) * m + c] : v[(np - 1) * m + c];
      return t;
    };
    for (std::int64_t c = 0; c < m; ++c) {
      out1[c] = combine(v1, c);
      if (out2) out2[c] = combine(v2, c);
    }
  };

  std::vector<double> sums(static_cast<std::size_t>((var ? 3 : 1) * m));
  double* sum = sums.data();
  double* dev = var ? sum + m : nullptr;
  if (var) {
    double* center = dev + m;
    pass(kernels::column_loop(ReduceOp::Sum, r.t), nullptr, sum, nullptr);
    for (std::int64_t c = 0; c < m; ++c) center[c] = sum[c] / static_cast<double>(n);
    pass(columns, center, sum, dev);
  } else {
    pass(columns, nullptr, sum, nullptr);
  }
  for (const Piece& pc : pieces)
    kernels::finish_columns(r.op, r.t, sum + pc.at, var ? dev + pc.at : nullptr, n, r.args.ddof,
                            pc.out, pc.out_stride, pc.cols);
}

// out has a's shape without axis, C-contiguous.
void reduce_axis_into(Context& ctx, const Reducer& r, const Array& a, int axis, const Array& out) {
  const std::int64_t m = out.size(), n = a.dim(axis);
  if (m == 0) return;
  const std::ptrdiff_t stride = byte_stride(a, axis);
  const std::ptrdiff_t isz = static_cast<std::ptrdiff_t>(a.itemsize());
  Walk<2> w = axis_walk(a, axis, out, out.strides());
  const kernels::LoopPlan<2> plan = plan_of(w);
  const std::int64_t grain = std::max<std::int64_t>(1, kMinTaskElements / std::max<std::int64_t>(n, 1));

  if (stride == isz) {  // lines
    if (m < 4 && n >= 4 * kernels::kReduceChunk) {  // a few long lines: chunk each one
      run_range(plan, w.base, 0, m, [&](char* const* p, const std::ptrdiff_t* s, std::int64_t cnt) {
        for (std::int64_t j = 0; j < cnt; ++j) {
          const char* in = p[0] + j * s[0];
          ReduceState st;
          reduce_sequence(
              ctx, r, n,
              [&](kernels::ReduceLineFn line, ReduceState& st2, std::int64_t b, std::int64_t e) {
                line(st2, in + b * stride, stride, e - b);
              },
              st);
          r.finish(st, p[1] + j * s[1]);
        }
      });
      return;
    }
    ctx.parallel.for_range(m, grain, [&](std::int64_t b, std::int64_t e) {
      ReduceState st;
      run_range(plan, w.base, b, e, [&](char* const* p, const std::ptrdiff_t* s, std::int64_t cnt) {
        for (std::int64_t j = 0; j < cnt; ++j) {
          const char* in = p[0] + j * s[0];
          r.passes(&st, 1, [&](kernels::ReduceLineFn line, ReduceState* s1) {
            line(*s1, in, stride, n);
          });
          r.finish(st, p[1] + j * s[1]);
        }
      });
    });
    return;
  }

  const kernels::ColumnFn columns = kernels::column_loop(r.op, r.t);
  if (columns && plan.ndim > 0 && plan.strides[0][plan.ndim - 1] == isz) {
    reduce_columns(ctx, r, plan, w.base, m, n, stride, columns);
    return;
  }

  // groups
  const std::int64_t group_grain = std::max<std::int64_t>(grain, kLanes);
  ctx.parallel.for_range(m, group_grain, [&](std::int64_t b, std::int64_t e) {
    std::vector<ReduceState> states(kLanes);
    ReduceState* st = states.data();
    for_each_group(a, axis, out, out.strides(), b, e, [&](const Group& g) {
      r.passes(st, g.lanes,
               [&](kernels::ReduceLineFn line, ReduceState* s) { feed_group(line, s, g); });
      for (int w2 = 0; w2 < g.lanes; ++w2) r.finish(st[w2], g.out + w2 * g.out_stride);
    });
  });
}

void check_nonempty(ReduceOp op, const Array& a, const ReduceArgs& args) {
  if (!needs_elements(op)) return;
  bool empty = args.axis ? a.dim(*args.axis) == 0 && without(a.shape(), *args.axis).product() > 0
                         : a.size() == 0;
  if (!empty) return;
  bool max = op == ReduceOp::Max || op == ReduceOp::ArgMax || op == ReduceOp::MaxAbs;
  throw Error(std::string("zero-size array has no ") + (max ? "maximum" : "minimum"));
}

Dims result_shape(const Array& a, const ReduceArgs& args) {
  if (args.axis) {
    Dims s = a.shape();
    if (args.keepdims) s[*args.axis] = 1;
    else s.erase(*args.axis);
    return s;
  }
  return args.keepdims ? Dims::filled(a.ndim(), 1) : Dims();
}

// reduce() on an input already of the compute dtype.
Array reduce_raw(Context& ctx, ReduceOp op, const Array& a, const ReduceArgs& args) {
  const Reducer r{op, a.dtype(), args};
  Dims shape = result_shape(a, args);
  Array out = Array::empty(kernels::reduce_result(op, a.dtype()), shape, ctx.account);
  if (!args.axis) {
    reduce_all_into(ctx, r, a, static_cast<char*>(out.data()));
  } else {
    Dims flat = without(a.shape(), *args.axis);
    reduce_axis_into(ctx, r, a, *args.axis, out.view_as(flat));
  }
  return out;
}

[[noreturn]] void not_complex(DType t) {
  throw Error(std::string(dtype_name(t)) + " is not supported");
}

// The value of an all-elements reduction whose result is float64.
double reduce_all_double(Context& ctx, ReduceOp op, const Array& a, double scale = 1) {
  if (is_complex(a.dtype())) not_complex(a.dtype());
  const ReduceArgs args;
  alignas(8) char out[8];
  reduce_all_into(ctx, Reducer{op, a.dtype(), args, scale}, a, out);
  return *reinterpret_cast<double*>(out);
}

// Sum and mean of complex values: the real and imaginary parts (float views)
// summed as floats, pairwise like any float sum (NumPy does the same); the
// mean is that sum divided by the count as a complex division, as NumPy's.
// The product of complex values along the reduced axis (or all of them), in
// logical order, one multiplication at a time (NumPy's complex multiply
// reduction is sequential too); the rows are a contiguous copy with that
// axis last.
Array prod_complex(Context& ctx, const Array& x, const ReduceArgs& args) {
  Array rows;
  if (args.axis) {
    Dims order;
    for (int d = 0; d < x.ndim(); ++d)
      if (d != *args.axis) order.push(d);
    order.push(*args.axis);
    rows = contiguous(ctx, x.permute(order));
  } else {
    rows = contiguous(ctx, x).view_as(Dims{1, x.size()});
  }
  const std::int64_t n = args.axis ? x.dim(*args.axis) : x.size();
  const std::int64_t m = n == 0 ? without(rows.shape(), rows.ndim() - 1).product() : rows.size() / n;
  Array out = Array::empty(x.dtype(), Dims{m}, ctx.account);
  const kernels::LineFn mul = kernels::binary_line(BinaryOp::Mul, x.dtype());
  const std::ptrdiff_t item = static_cast<std::ptrdiff_t>(x.itemsize());
  const std::ptrdiff_t strides[3] = {0, 0, 0};
  for (std::int64_t r = 0; r < m; ++r) {
    char* acc = static_cast<char*>(out.data()) + r * item;
    Scalar::integer(1).store(x.dtype(), acc);
    const char* row = static_cast<const char*>(rows.data()) + r * n * item;
    for (std::int64_t k = 0; k < n; ++k) {
      char* p[3] = {acc, const_cast<char*>(row + k * item), acc};
      mul(p, strides, 1);
    }
  }
  return out.view_as(result_shape(x, args));
}

Array reduce_complex(Context& ctx, ReduceOp op, const Array& a, DType t, const ReduceArgs& args) {
  const Array x = a.dtype() == t ? a : astype(ctx, a, t);
  if (op == ReduceOp::Any || op == ReduceOp::All)  // of x != 0, as NumPy
    return reduce(ctx, op, binary(ctx, BinaryOp::Ne, Operand(x), Operand(Scalar::integer(0))), args);
  if (op == ReduceOp::Prod) return prod_complex(ctx, x, args);
  if (op != ReduceOp::Sum && op != ReduceOp::Mean) not_complex(t);
  ReduceArgs parts = args;
  parts.dtype.reset();
  const Array re = reduce_raw(ctx, ReduceOp::Sum, real_part(x), parts);
  const Array im = reduce_raw(ctx, ReduceOp::Sum, imag_part(ctx, x), parts);
  const Array sum = make_complex(ctx, t, re, im);
  if (op == ReduceOp::Sum) return sum;
  const std::int64_t count = args.axis ? a.dim(*args.axis) : a.size();
  return binary(ctx, BinaryOp::Div, Operand(sum), Operand(Scalar::integer(count)));
}

}  // namespace

DType reduce_dtype(ReduceOp op, DType t, const ReduceArgs& args) {
  if (args.dtype && takes_dtype(op)) return *args.dtype;
  return kernels::reduce_result(op, t);
}

Array reduce(Context& ctx, ReduceOp op, const Array& a, const ReduceArgs& args) {
  if (args.axis && (*args.axis < 0 || *args.axis >= a.ndim()))
    throw Error("axis " + std::to_string(*args.axis + 1) + " out of range for " +
                std::to_string(a.ndim()) + "-d array");
  if (args.dtype && !takes_dtype(op))
    throw Error(std::string("a dtype is not accepted by ") + kernels::reduce_name(op));
  const DType t = args.dtype ? *args.dtype : a.dtype();
  if (is_complex(t)) return reduce_complex(ctx, op, a, t, args);
  check_nonempty(op, a, args);
  if (!args.dtype) return reduce_raw(ctx, op, a, args);
  Array x = a.dtype() == *args.dtype ? a : astype(ctx, a, *args.dtype);
  Array r = reduce_raw(ctx, op, x, args);
  return r.dtype() == *args.dtype ? r : astype(ctx, r, *args.dtype);
}

Scalar reduce_scalar(Context& ctx, ReduceOp op, const Array& a, const ReduceArgs& args) {
  ReduceArgs all = args;
  all.axis.reset();
  all.keepdims = false;
  return scalar_of(reduce(ctx, op, a, all));
}

Scalar scalar_of(const Array& a) {
  if (a.size() != 1)
    throw Error("expected an array of one element, got shape " + format_shape(a.shape()));
  Dims zeros = Dims::filled(a.ndim(), 0);
  const void* p = a.element_ptr(zeros.v);
  return visit_dtype(a.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    T v = *static_cast<const T*>(p);
    if constexpr (std::is_same_v<T, bool>) return Scalar::boolean(v);
    else if constexpr (std::is_floating_point_v<T>) return Scalar::number(v);
    else if constexpr (is_complex_v<T>) return Scalar::complex(v.real(), v.imag());
    else return Scalar::integer(v);
  });
}

// ---- scans --------------------------------------------------------------------------

namespace {

Array scan_raw(Context& ctx, ScanOp op, const Array& a, std::optional<int> axis) {
  const kernels::ScanLineFn line = kernels::scan_line(op, a.dtype());
  const DType rt = kernels::scan_result(op, a.dtype());
  kernels::ScanState st;
  if (!axis) {
    Array out = Array::empty(rt, Dims{a.size()}, ctx.account);
    char* o = static_cast<char*>(out.data());
    const std::ptrdiff_t os = static_cast<std::ptrdiff_t>(out.itemsize());
    kernels::scan_start(op, st);
    Walk<1> w{a.shape(), {static_cast<char*>(a.data())}, {a.strides()}, {a.itemsize()}};
    walk_lines(w, [&](char* const* p, const std::ptrdiff_t* s, std::int64_t n) {
      line(st, p[0], s[0], o, os, n);
      o += n * os;
    });
    return out;
  }
  Array out = Array::empty(rt, a.shape(), ctx.account);
  const std::ptrdiff_t os = byte_stride(out, *axis);
  kernels::ScanState states[kLanes];
  for_each_group(a, *axis, out, without(out.strides(), *axis), [&](const Group& g) {
    for (int w = 0; w < g.lanes; ++w) kernels::scan_start(op, states[w]);
    for (std::int64_t i = 0; i < g.n; i += kChunk) {
      const std::int64_t len = std::min(kChunk, g.n - i);
      for (int w = 0; w < g.lanes; ++w)
        line(states[w], g.in + w * g.lane_stride + i * g.stride, g.stride,
             g.out + w * g.out_stride + i * os, os, len);
    }
  });
  return out;
}

}  // namespace

Array scan(Context& ctx, ScanOp op, const Array& a, std::optional<int> axis,
           std::optional<DType> dtype) {
  if (axis && (*axis < 0 || *axis >= a.ndim()))
    throw Error("axis " + std::to_string(*axis + 1) + " out of range for " +
                std::to_string(a.ndim()) + "-d array");
  if (is_complex(dtype ? *dtype : a.dtype())) not_complex(dtype ? *dtype : a.dtype());
  if (!dtype) return scan_raw(ctx, op, a, axis);
  Array x = a.dtype() == *dtype ? a : astype(ctx, a, *dtype);
  Array r = scan_raw(ctx, op, x, axis);
  return r.dtype() == *dtype ? r : astype(ctx, r, *dtype);
}

// ---- matrix products ----------------------------------------------------------------

namespace {

[[noreturn]] void not_aligned(const Array& a, const Array& b, int a_dim, int b_dim) {
  throw Error("shapes " + format_shape(a.shape()) + " and " + format_shape(b.shape()) +
              " not aligned: " + std::to_string(a.dim(a_dim)) + " (dim " +
              std::to_string(a_dim + 1) + ") ~= " + std::to_string(b.dim(b_dim)) + " (dim " +
              std::to_string(b_dim + 1) + ")");
}

Dims leading(const Dims& d, int drop) {
  Dims r = d;
  r.n -= drop;
  return r;
}

Dims concat(const Dims& a, std::initializer_list<std::int64_t> tail) {
  Dims r = a;
  for (std::int64_t x : tail) r.push(x);
  return r;
}

Dims batch_shape(const Array& a, const Array& b, const Array& a2, const Array& b2) {
  Dims ba = leading(a2.shape(), 2), bb = leading(b2.shape(), 2);
  for (int i = 1; i <= ba.n && i <= bb.n; ++i) {
    std::int64_t x = ba[ba.n - i], y = bb[bb.n - i];
    if (x != y && x != 1 && y != 1)
      throw Error("leading dimensions of shapes " + format_shape(a.shape()) + " and " +
                  format_shape(b.shape()) + " do not broadcast");
  }
  return broadcast_shapes(ba, bb);
}

// The matrices of x (contiguous, ... n k) broadcast to batch + (n, k).
Array batched(const Array& x, const Dims& batch) {
  return x.broadcast_to(concat(batch, {x.dim(x.ndim() - 2), x.dim(x.ndim() - 1)}));
}

}  // namespace

Array matmul(Context& ctx, const Array& a, const Array& b) {
  if (a.ndim() == 0 || b.ndim() == 0)
    throw Error("expected arrays of at least 1 dimension, got a 0-d array");
  Array a2 = a.ndim() == 1 ? a.unsqueeze(0) : a;
  Array b2 = b.ndim() == 1 ? b.unsqueeze(1) : b;
  const std::int64_t n = a2.dim(a2.ndim() - 2), k = a2.dim(a2.ndim() - 1);
  const std::int64_t m = b2.dim(b2.ndim() - 1);
  if (k != b2.dim(b2.ndim() - 2)) not_aligned(a, b, a.ndim() - 1, b.ndim() == 1 ? 0 : b.ndim() - 2);
  const Dims batch = batch_shape(a, b, a2, b2);
  const DType t = promote(a.dtype(), b.dtype());
  Array out = Array::empty(t, concat(batch, {n, m}), ctx.account);
  if (linalg::has_gemm(t)) {
    linalg::matmul_into(ctx, a2.dtype() == t ? a2 : astype(ctx, a2, t),
                        b2.dtype() == t ? b2 : astype(ctx, b2, t), out);
  } else {
    const Array ac = batched(contiguous(ctx, a2, t), batch);
    const Array bc = batched(contiguous(ctx, b2, t), batch);
    const kernels::MatmulFn kernel = kernels::matmul_kernel(t);
    Walk<3> w{batch,
              {static_cast<char*>(ac.data()), static_cast<char*>(bc.data()),
               static_cast<char*>(out.data())},
              {leading(ac.strides(), 2), leading(bc.strides(), 2), leading(out.strides(), 2)},
              {ac.itemsize(), bc.itemsize(), out.itemsize()}};
    walk_elements(w, [&](char* const* p) { kernel(p[0], p[1], p[2], n, k, m); });
  }
  if (b.ndim() == 1) out = out.squeeze(out.ndim() - 1);
  if (a.ndim() == 1) out = out.squeeze(out.ndim() - (b.ndim() == 1 ? 1 : 2));
  return out;
}

Array dot(Context& ctx, const Array& a, const Array& b) {
  if (a.ndim() == 0 || b.ndim() == 0) return binary(ctx, BinaryOp::Mul, Operand(a), Operand(b));
  const int bk = b.ndim() == 1 ? 0 : b.ndim() - 2;
  const std::int64_t k = a.dim(a.ndim() - 1);
  if (k != b.dim(bk)) not_aligned(a, b, a.ndim() - 1, bk);
  const DType t = promote(a.dtype(), b.dtype());
  if (linalg::has_gemm(t) && a.ndim() <= 2 && b.ndim() <= 2 && a.ndim() + b.ndim() > 2)
    return matmul(ctx, a, b);  // the same product for these shapes
  if (a.ndim() == 1 && b.ndim() == 1 && kernels::dot_line(t)) {
    // vectors of floats: a pairwise sum of products, chunked like sum (strided
    // operands are read in place)
    const Array x = a.dtype() == t ? a : astype(ctx, a, t);
    const Array y = b.dtype() == t ? b : astype(ctx, b, t);
    const kernels::DotLineFn line = kernels::dot_line(t);
    const char* px = static_cast<const char*>(x.data());
    const char* py = static_cast<const char*>(y.data());
    const std::ptrdiff_t xs = byte_stride(x, 0), ys = byte_stride(y, 0);
    ReduceState st;
    run_chunked(
        ctx, ReduceOp::Sum, t, k,
        [&](ReduceState& s, std::int64_t at) { kernels::reduce_start(ReduceOp::Sum, s, at); },
        [&](ReduceState& s, std::int64_t b0, std::int64_t e0) {
          line(s, px + b0 * xs, xs, py + b0 * ys, ys, e0 - b0);
        },
        st);
    Array out = Array::empty(t, Dims(), ctx.account);
    kernels::reduce_finish(ReduceOp::Sum, t)(st, static_cast<char*>(out.data()));
    return out;
  }
  Dims order{bk};  // b with the contracted axis first
  for (int d = 0; d < b.ndim(); ++d)
    if (d != bk) order.push(d);
  const Array ac = contiguous(ctx, a, t);
  const Array bc = contiguous(ctx, b.permute(order), t);
  Dims shape = leading(a.shape(), 1), rest = without(b.shape(), bk);
  for (std::int64_t x : rest) shape.push(x);
  Array out = Array::empty(t, shape, ctx.account);
  const std::int64_t rows = leading(a.shape(), 1).product(), cols = rest.product();
  if (linalg::has_gemm(t)) {
    linalg::matmul_into(ctx, ac.view_as(Dims{rows, k}), bc.view_as(Dims{k, cols}),
                        out.view_as(Dims{rows, cols}));
    return out;
  }
  kernels::matmul_kernel(t)(static_cast<const char*>(ac.data()),
                            static_cast<const char*>(bc.data()), static_cast<char*>(out.data()),
                            rows, k, cols);
  return out;
}

// ---- norms ----------------------------------------------------------------------------

namespace {

// sqrt(sum x^2), rescaled by a power of two when the plain sum overflows or
// underflows.
double frobenius(Context& ctx, const Array& a) {
  const double ssq = reduce_all_double(ctx, ReduceOp::SumSq, a);
  if (std::isnan(ssq)) return ssq;
  if (std::isfinite(ssq) && ssq >= std::ldexp(1.0, -960)) return std::sqrt(ssq);
  if (a.size() == 0) return 0;
  const double amax = reduce_all_double(ctx, ReduceOp::MaxAbs, a);
  if (amax == 0 || std::isinf(amax)) return amax;
  int e = std::ilogb(amax);
  if (e < -1000) e = -1000;  // keep the scale 2^-e finite
  const double scaled = reduce_all_double(ctx, ReduceOp::SumSq, a, std::ldexp(1.0, -e));
  return std::ldexp(std::sqrt(scaled), e);
}

std::string format_ord(double ord) {
  if (std::isinf(ord)) return ord > 0 ? "math.huge" : "-math.huge";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", ord);
  return buf;
}

double vector_norm(Context& ctx, const Array& a, double ord) {
  if (ord == 2) return frobenius(ctx, a);
  if (ord == 1) return reduce_all_double(ctx, ReduceOp::SumAbs, a);
  const ReduceArgs none;
  if (std::isinf(ord)) {
    ReduceOp op = ord > 0 ? ReduceOp::MaxAbs : ReduceOp::MinAbs;
    check_nonempty(op, a, none);
    return reduce_all_double(ctx, op, a);
  }
  throw Error("ord " + format_ord(ord) + " is not supported for vectors (1, 2, math.huge, "
              "-math.huge)");
}

// ord 1: the largest column sum of |x|; ord inf: the largest row sum.
double matrix_norm(Context& ctx, const Array& a, double ord) {
  if (ord != 1 && !(std::isinf(ord) && ord > 0))
    throw Error("ord " + format_ord(ord) + " is not supported for matrices (1 or math.huge; " +
                "no ord for the Frobenius norm)");
  ReduceArgs args;
  args.axis = ord == 1 ? 0 : 1;
  Array sums = reduce(ctx, ReduceOp::SumAbs, a, args);
  check_nonempty(ReduceOp::Max, sums, ReduceArgs());
  return reduce_all_double(ctx, ReduceOp::MaxAbs, sums);
}

}  // namespace

double norm(Context& ctx, const Array& a, std::optional<double> ord) {
  if (!ord) return frobenius(ctx, a);
  if (a.ndim() <= 1) return vector_norm(ctx, a, *ord);
  if (a.ndim() == 2) return matrix_norm(ctx, a, *ord);
  throw Error("ord " + format_ord(*ord) + " needs a 1-d or 2-d array, got a " +
              std::to_string(a.ndim()) + "-d array");
}

}  // namespace tessera::ops
