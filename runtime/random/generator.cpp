#include "generator.hpp"

#include <algorithm>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numeric>
#include <random>

#include "../errors.hpp"
#include "../ops/elementwise.hpp"
#include "../ops/select.hpp"

namespace tessera::random {

namespace ph = kernels::philox;

namespace {

std::uint64_t ceil_div(std::uint64_t a, std::uint64_t b) { return (a + b - 1) / b; }

// Fills out (any layout, any numeric dtype) with n values of a distribution
// laid out `pb` per block: kernel(first, e0, count, T* dst) writes elements
// [e0, e0 + count). Chunks are whole blocks, so the values never depend on
// how the work is split.
template <class T, class Kernel>
void fill(Context& ctx, Generator& g, const Array& out, DType native, int pb,
          std::int64_t grain_blocks, Kernel&& kernel) {
  const std::int64_t n = out.size();
  const auto nblocks = static_cast<std::int64_t>(ceil_div(static_cast<std::uint64_t>(n), pb));
  const std::uint64_t first = g.take(static_cast<std::uint64_t>(nblocks));
  if (n == 0) return;
  auto run = [&](T* dst) {
    ctx.parallel.for_range(nblocks, grain_blocks, [&](std::int64_t b0, std::int64_t b1) {
      std::int64_t e0 = b0 * pb, e1 = std::min(b1 * pb, n);
      kernel(first, e0, e1 - e0, dst + e0);
    });
  };
  if (out.dtype() == native && out.is_contiguous()) {
    run(out.data_as<T>());
    return;
  }
  Array tmp = Array::empty(native, out.shape(), ctx.account);
  run(tmp.data_as<T>());
  ops::copy_into(out, tmp);
}

void check_numeric(const Array& out, const char* what) {
  if (out.dtype() == DType::Bool) throw Error(std::string(what) + " cannot fill a bool array");
}

constexpr std::int64_t kGrainFast = 1 << 13;  // blocks per task for cheap draws
constexpr std::int64_t kGrainSlow = 1 << 10;  // for rejection samplers
// Serial swap loops poll for an interrupt (Ctrl-C) every this many swaps.
constexpr std::int64_t kPollSwaps = std::int64_t{1} << 20;

std::uint64_t span_of(std::int64_t lo, std::int64_t hi) {
  if (hi < lo) throw Error("empty range: high < low");
  return static_cast<std::uint64_t>(hi) - static_cast<std::uint64_t>(lo);
}

void check_binomial(std::int64_t trials, double p) {
  if (trials < 0) throw Error("binomial: the number of trials must be >= 0");
  if (!(p >= 0 && p <= 1)) throw Error("binomial: p must be in [0, 1]");
}

void check_poisson(double lam) {
  if (!(lam >= 0) || lam > 1e18) throw Error("poisson: lam must be in [0, 1e18]");
}

}  // namespace

Generator::Generator(std::uint64_t seed, std::uint32_t stream) {
  s_.key = seed;
  s_.stream = stream;
}

Generator Generator::from_entropy() {
  std::random_device rd;
  std::uint64_t seed = (static_cast<std::uint64_t>(rd()) << 32) ^ rd();
  return Generator(seed);
}

std::uint64_t Generator::take(std::uint64_t blocks) {
  std::uint64_t first = position_;
  position_ += blocks;
  return first;
}

std::vector<Generator> Generator::spawn(std::int64_t n) {
  if (n < 0) throw Error("spawn: the number of children must be >= 0");
  std::vector<Generator> out;
  out.reserve(static_cast<std::size_t>(n));
  for (std::int64_t i = 0; i < n; ++i) out.push_back(spawn_one());
  return out;
}

Generator Generator::spawn_one() { return Generator(ph::child_key(s_, spawned_++), 0); }

std::string Generator::state() const {
  char buf[160];
  std::snprintf(buf, sizeof buf,
                "philox4x32-10 key=%016" PRIx64 " stream=%08" PRIx32 " position=%016" PRIx64
                " spawned=%016" PRIx64,
                s_.key, s_.stream, position_, spawned_);
  return buf;
}

Generator Generator::from_state(const std::string& s) {
  std::uint64_t key = 0, position = 0, spawned = 0;
  std::uint32_t stream = 0;
  int used = 0;
  if (std::sscanf(s.c_str(),
                  "philox4x32-10 key=%16" SCNx64 " stream=%8" SCNx32 " position=%16" SCNx64
                  " spawned=%16" SCNx64 "%n",
                  &key, &stream, &position, &spawned, &used) != 4 ||
      static_cast<std::size_t>(used) != s.size())
    throw Error("not a generator state (expected the string rng:state() returns)");
  Generator g(key, stream);
  g.position_ = position;
  g.spawned_ = spawned;
  return g;
}

void Generator::uniform(Context& ctx, const Array& out, double lo, double hi) {
  if (!std::isfinite(lo) || !std::isfinite(hi) || !std::isfinite(hi - lo))
    throw Error("uniform: bounds must be finite");
  if (out.dtype() == DType::Float32) {
    auto flo = static_cast<float>(lo), fhi = static_cast<float>(hi);
    fill<float>(ctx, *this, out, DType::Float32, 4, kGrainFast,
                [&](std::uint64_t first, std::int64_t e0, std::int64_t n, float* dst) {
                  ph::uniform_f32(s_, first, e0, n, flo, fhi, dst);
                });
    return;
  }
  if (out.dtype() != DType::Float64) throw Error("uniform: the dtype must be float32 or float64");
  fill<double>(ctx, *this, out, DType::Float64, 2, kGrainFast,
               [&](std::uint64_t first, std::int64_t e0, std::int64_t n, double* dst) {
                 ph::uniform_f64(s_, first, e0, n, lo, hi, dst);
               });
}

void Generator::integers(Context& ctx, const Array& out, std::int64_t lo, std::int64_t hi) {
  check_numeric(out, "integers");
  std::uint64_t span = span_of(lo, hi);
  fill<std::int64_t>(ctx, *this, out, DType::Int64, ph::per_block(ph::integer_dist(span)),
                     kGrainFast,
                     [&](std::uint64_t first, std::int64_t e0, std::int64_t n, std::int64_t* dst) {
                       ph::integers(s_, first, e0, n, lo, span, dst);
                     });
}

void Generator::normal(Context& ctx, const Array& out, double mean, double std) {
  check_numeric(out, "normal");
  if (!(std >= 0)) throw Error("normal: std must be >= 0");
  fill<double>(ctx, *this, out, DType::Float64, 2, kGrainFast / 4,
               [&](std::uint64_t first, std::int64_t e0, std::int64_t n, double* dst) {
                 ph::normal(s_, first, e0, n, mean, std, dst);
               });
}

void Generator::exponential(Context& ctx, const Array& out, double scale) {
  check_numeric(out, "exponential");
  if (!(scale >= 0)) throw Error("exponential: scale must be >= 0");
  fill<double>(ctx, *this, out, DType::Float64, 2, kGrainFast / 4,
               [&](std::uint64_t first, std::int64_t e0, std::int64_t n, double* dst) {
                 ph::exponential(s_, first, e0, n, scale, dst);
               });
}

void Generator::poisson(Context& ctx, const Array& out, double lam) {
  check_numeric(out, "poisson");
  check_poisson(lam);
  fill<std::int64_t>(ctx, *this, out, DType::Int64, 1, kGrainSlow,
                     [&](std::uint64_t first, std::int64_t e0, std::int64_t n, std::int64_t* dst) {
                       ph::poisson(s_, first, e0, n, lam, dst);
                     });
}

void Generator::binomial(Context& ctx, const Array& out, std::int64_t trials, double p) {
  check_numeric(out, "binomial");
  check_binomial(trials, p);
  fill<std::int64_t>(ctx, *this, out, DType::Int64, 1, kGrainSlow,
                     [&](std::uint64_t first, std::int64_t e0, std::int64_t n, std::int64_t* dst) {
                       ph::binomial(s_, first, e0, n, trials, p, dst);
                     });
}

void Generator::raw(Context& ctx, const Array& out) {
  check_numeric(out, "raw");
  fill<std::int64_t>(ctx, *this, out, DType::Int64, 4, kGrainFast,
                     [&](std::uint64_t first, std::int64_t e0, std::int64_t n, std::int64_t* dst) {
                       std::uint32_t words[4 * 256];
                       for (std::int64_t done = 0; done < n;) {
                         std::int64_t e = e0 + done;
                         std::int64_t b0 = e / 4;
                         std::int64_t b1 = std::min<std::int64_t>(b0 + 256, (e0 + n + 3) / 4);
                         ph::blocks(s_, first + static_cast<std::uint64_t>(b0), b1 - b0, words);
                         for (; done < n && e0 + done < b1 * 4; ++done)
                           dst[done] = words[e0 + done - b0 * 4];
                       }
                     });
}

Array Generator::permutation(Context& ctx, std::int64_t n) {
  if (n < 0) throw Error("permutation: n must be >= 0");
  Dims shape;
  shape.n = 1;
  shape.v[0] = n;
  Array out = Array::empty(DType::Int64, shape, ctx.account);
  std::int64_t* idx = out.data_as<std::int64_t>();
  std::iota(idx, idx + n, std::int64_t{0});
  if (n < 2) return out;
  // The swap targets are drawn in parallel; the swaps run in order.
  const std::int64_t draws = n - 1;
  const int pb = ph::per_block(ph::swap_dist(n));
  Dims dshape;
  dshape.n = 1;
  dshape.v[0] = draws;
  Array targets = Array::empty(DType::Int64, dshape, ctx.account);
  std::int64_t* t = targets.data_as<std::int64_t>();
  const auto nblocks = static_cast<std::int64_t>(ceil_div(static_cast<std::uint64_t>(draws), pb));
  const std::uint64_t first = take(static_cast<std::uint64_t>(nblocks));
  ctx.parallel.for_range(nblocks, kGrainFast, [&](std::int64_t b0, std::int64_t b1) {
    std::int64_t e0 = b0 * pb, e1 = std::min(b1 * pb, draws);
    ph::swap_targets(s_, first, e0, e1 - e0, n, t + e0);
  });
  for (std::int64_t k0 = 0; k0 < draws; k0 += kPollSwaps) {
    ctx.interrupt->check();  // Ctrl-C: the swaps are serial and random-access
    const std::int64_t k1 = std::min(draws, k0 + kPollSwaps);
    for (std::int64_t k = k0; k < k1; ++k) std::swap(idx[k], idx[t[k]]);
  }
  return out;
}

void Generator::shuffle(Context& ctx, const Array& a) {
  if (a.ndim() == 0) throw Error("shuffle: expected an array with at least one dimension");
  Array perm = permutation(ctx, a.dim(0));
  Array moved = ops::take(ctx, a, perm, 0, kernels::IndexBase::Zero);
  ops::copy_into(a, moved);
}

Array Generator::choice(Context& ctx, std::int64_t n, const Dims& shape, bool replace,
                        const double* p) {
  if (n < 0) throw Error("choice: the number of items must be >= 0");
  const std::int64_t k = shape.product();
  if (k > 0 && n == 0) throw Error("choice: cannot choose from an empty set");
  std::vector<double> cdf;
  std::int64_t nonzero = 0;
  if (p) {
    double total = 0;
    for (std::int64_t i = 0; i < n; ++i) {
      if (!(p[i] >= 0) || !std::isfinite(p[i]))
        throw Error("choice: probabilities must be finite and non-negative");
      total += p[i];
      nonzero += p[i] > 0;
    }
    if (!(total > 0)) throw Error("choice: probabilities must not all be zero");
    cdf.resize(static_cast<std::size_t>(n));
    double acc = 0;
    for (std::int64_t i = 0; i < n; ++i) cdf[static_cast<std::size_t>(i)] = (acc += p[i] / total);
  }
  Array out = Array::empty(DType::Int64, shape, ctx.account);
  std::int64_t* o = out.data_as<std::int64_t>();
  if (replace) {
    if (!p) {
      integers(ctx, out, 0, n - 1);
      return out;
    }
    Array u = Array::empty(DType::Float64, shape, ctx.account);
    uniform(ctx, u, 0.0, 1.0);
    const double* uv = u.data_as<double>();
    const double last = cdf.back();
    ctx.parallel.for_range(k, 4096, [&](std::int64_t b, std::int64_t e) {
      for (std::int64_t i = b; i < e; ++i) {
        double x = uv[i] * last;
        auto it = std::upper_bound(cdf.begin(), cdf.end(), x);
        std::int64_t j = it - cdf.begin();
        if (j >= n) j = n - 1;
        while (j > 0 && p[j] == 0) --j;  // rounding at the top of the cdf
        o[i] = j;
      }
    });
    return out;
  }
  if (k > n) throw Error("choice: cannot take more items than there are without replacement");
  if (p && k > nonzero)
    throw Error("choice: fewer items with non-zero probability than asked for without replacement");
  if (!p) {
    // The first k steps of the Fisher-Yates shuffle.
    std::vector<std::int64_t> idx(static_cast<std::size_t>(n));
    std::iota(idx.begin(), idx.end(), std::int64_t{0});
    const std::int64_t draws = std::min(k, n - 1);
    const int pb = ph::per_block(ph::swap_dist(n));
    std::vector<std::int64_t> t(static_cast<std::size_t>(std::max<std::int64_t>(draws, 0)));
    const auto nblocks = static_cast<std::int64_t>(
        ceil_div(static_cast<std::uint64_t>(std::max<std::int64_t>(draws, 0)), pb));
    const std::uint64_t first = take(static_cast<std::uint64_t>(nblocks));
    ctx.parallel.for_range(nblocks, kGrainFast, [&](std::int64_t b0, std::int64_t b1) {
      std::int64_t e0 = b0 * pb, e1 = std::min(b1 * pb, draws);
      ph::swap_targets(s_, first, e0, e1 - e0, n, t.data() + e0);
    });
    for (std::int64_t i = 0; i < draws; ++i) {
      if (i % kPollSwaps == 0) ctx.interrupt->check();
      std::swap(idx[static_cast<std::size_t>(i)],
                idx[static_cast<std::size_t>(t[static_cast<std::size_t>(i)])]);
    }
    std::copy(idx.begin(), idx.begin() + k, o);
    return out;
  }
  // Weighted, without replacement (Efraimidis and Spirakis): the k smallest
  // of E_i / p_i with E_i standard exponential.
  Dims nshape;
  nshape.n = 1;
  nshape.v[0] = n;
  Array e = Array::empty(DType::Float64, nshape, ctx.account);
  exponential(ctx, e, 1.0);
  double* key = e.data_as<double>();
  for (std::int64_t i = 0; i < n; ++i)
    key[i] = p[i] > 0 ? key[i] / p[i] : std::numeric_limits<double>::infinity();
  std::vector<std::int64_t> idx(static_cast<std::size_t>(n));
  std::iota(idx.begin(), idx.end(), std::int64_t{0});
  std::partial_sort(idx.begin(), idx.begin() + k, idx.end(), [&](std::int64_t a, std::int64_t b) {
    return key[a] < key[b] || (key[a] == key[b] && a < b);
  });
  std::copy(idx.begin(), idx.begin() + k, o);
  return out;
}

double Generator::uniform1(double lo, double hi) {
  double v;
  ph::uniform_f64(s_, take(1), 0, 1, lo, hi, &v);
  return v;
}

std::int64_t Generator::integer1(std::int64_t lo, std::int64_t hi) {
  std::uint64_t span = span_of(lo, hi);
  std::int64_t v;
  ph::integers(s_, take(1), 0, 1, lo, span, &v);
  return v;
}

double Generator::normal1(double mean, double std) {
  if (!(std >= 0)) throw Error("normal: std must be >= 0");
  double v;
  ph::normal(s_, take(1), 0, 1, mean, std, &v);
  return v;
}

double Generator::exponential1(double scale) {
  if (!(scale >= 0)) throw Error("exponential: scale must be >= 0");
  double v;
  ph::exponential(s_, take(1), 0, 1, scale, &v);
  return v;
}

std::int64_t Generator::poisson1(double lam) {
  check_poisson(lam);
  std::int64_t v;
  ph::poisson(s_, take(1), 0, 1, lam, &v);
  return v;
}

std::int64_t Generator::binomial1(std::int64_t trials, double p) {
  check_binomial(trials, p);
  std::int64_t v;
  ph::binomial(s_, take(1), 0, 1, trials, p, &v);
  return v;
}

}  // namespace tessera::random
