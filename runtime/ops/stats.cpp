#include "stats.hpp"

#include <cmath>
#include <mutex>

#include "../errors.hpp"
#include "elementwise.hpp"

namespace tessera::ops {

void Moments::merge(const Moments& o) {
  nan = nan || o.nan;
  if (o.count == 0) return;
  if (count == 0) {
    bool n = nan;
    *this = o;
    nan = n;
    return;
  }
  double n = double(count) + double(o.count);
  double delta = o.mean - mean;
  mean += delta * (double(o.count) / n);
  m2 += o.m2 + delta * delta * (double(count) * double(o.count) / n);
  count += o.count;
  if (o.min < min) min = o.min;
  if (o.max > max) max = o.max;
}

struct OnlineStats::Part {
  Moments m;
  std::vector<std::int64_t> hist;
  std::int64_t below = 0, above = 0;
};

OnlineStats::OnlineStats(std::int64_t bins, double lo, double hi) : lo_(lo), hi_(hi) {
  if (bins < 1) throw Error("histogram needs at least one bin");
  if (!(lo < hi) || !std::isfinite(lo) || !std::isfinite(hi))
    throw Error("histogram range must be finite with lo < hi");
  hist_.assign(static_cast<std::size_t>(bins), 0);
}

namespace {

// Moments of x[0..n) in two passes over data that is in cache.
void tile_moments(const double* x, std::int64_t n, Moments& out) {
  double sum = 0, lo = out.min, hi = out.max;
  bool nan = false;
  for (std::int64_t i = 0; i < n; ++i) {
    double v = x[i];
    sum += v;
    lo = v < lo ? v : lo;
    hi = v > hi ? v : hi;
    nan = nan || v != v;
  }
  double mean = sum / double(n), m2 = 0;
  for (std::int64_t i = 0; i < n; ++i) {
    double d = x[i] - mean;
    m2 += d * d;
  }
  Moments t;
  t.count = n;
  t.mean = mean;
  t.m2 = m2;
  t.min = lo;
  t.max = hi;
  t.nan = nan;
  out.merge(t);
}

}  // namespace

void OnlineStats::add_part(const Part& p) {
  m_.merge(p.m);
  for (std::size_t i = 0; i < p.hist.size(); ++i) hist_[i] += p.hist[i];
  below_ += p.below;
  above_ += p.above;
}

void OnlineStats::update(Context& ctx, const Array& a) {
  if (is_complex(a.dtype())) throw Error(std::string(dtype_name(a.dtype())) + " is not supported");
  if (a.size() == 0) return;
  Array x = contiguous(ctx, a, DType::Float64);
  const double* data = x.data_as<const double>();
  const std::int64_t n = x.size();
  const std::int64_t bins = static_cast<std::int64_t>(hist_.size());
  const double lo = lo_, hi = hi_, scale = bins > 0 ? double(bins) / (hi - lo) : 0;
  // np.histogram's edges, to put values exactly on an edge where NumPy does.
  std::vector<double> edge = edges();
  std::mutex mutex;
  constexpr std::int64_t kTile = 4096;
  auto body = [&](std::int64_t b, std::int64_t e) {
    Part part;
    if (bins > 0) part.hist.assign(static_cast<std::size_t>(bins), 0);
    for (std::int64_t t = b; t < e; t += kTile) {
      std::int64_t len = std::min(kTile, e - t);
      tile_moments(data + t, len, part.m);
      if (bins == 0) continue;
      for (std::int64_t i = t; i < t + len; ++i) {
        double v = data[i];
        if (!(v >= lo)) {
          if (v < lo) ++part.below;
          continue;
        }
        if (v > hi) {
          ++part.above;
          continue;
        }
        std::int64_t k = static_cast<std::int64_t>((v - lo) * scale);
        if (k >= bins) k = bins - 1;
        if (v < edge[static_cast<std::size_t>(k)]) --k;
        else if (k != bins - 1 && v >= edge[static_cast<std::size_t>(k + 1)]) ++k;
        ++part.hist[static_cast<std::size_t>(k)];
      }
    }
    std::lock_guard<std::mutex> lock(mutex);
    add_part(part);
  };
  ctx.parallel.for_range(n, std::int64_t{1} << 16, body);
}

void OnlineStats::update(double v) {
  Part p;
  tile_moments(&v, 1, p.m);
  if (!hist_.empty()) {
    p.hist.assign(hist_.size(), 0);
    std::int64_t bins = static_cast<std::int64_t>(hist_.size());
    std::vector<double> edge = edges();
    if (v < lo_) ++p.below;
    else if (v > hi_) ++p.above;
    else if (v == v) {
      std::int64_t k = static_cast<std::int64_t>((v - lo_) * (double(bins) / (hi_ - lo_)));
      if (k >= bins) k = bins - 1;
      if (v < edge[static_cast<std::size_t>(k)]) --k;
      else if (k != bins - 1 && v >= edge[static_cast<std::size_t>(k + 1)]) ++k;
      ++p.hist[static_cast<std::size_t>(k)];
    }
  }
  add_part(p);
}

void OnlineStats::merge(const OnlineStats& o) {
  if (hist_.size() != o.hist_.size() || (!hist_.empty() && (lo_ != o.lo_ || hi_ != o.hi_)))
    throw Error("cannot merge statistics with different histogram bins");
  m_.merge(o.m_);
  for (std::size_t i = 0; i < hist_.size(); ++i) hist_[i] += o.hist_[i];
  below_ += o.below_;
  above_ += o.above_;
}

double OnlineStats::mean() const {
  if (m_.nan) return std::nan("");
  return m_.count ? m_.mean : std::nan("");
}

double OnlineStats::var(std::int64_t ddof) const {
  if (m_.nan || m_.count - ddof <= 0) return std::nan("");
  return m_.m2 / double(m_.count - ddof);
}

double OnlineStats::min() const { return m_.nan || m_.count == 0 ? std::nan("") : m_.min; }
double OnlineStats::max() const { return m_.nan || m_.count == 0 ? std::nan("") : m_.max; }

std::vector<double> OnlineStats::edges() const {
  std::vector<double> e;
  std::size_t bins = hist_.size();
  if (bins == 0) return e;
  e.resize(bins + 1);
  // np.linspace(lo, hi, bins + 1): lo + i * step, the last exactly hi.
  double step = (hi_ - lo_) / double(bins);
  for (std::size_t i = 0; i <= bins; ++i) e[i] = lo_ + double(i) * step;
  e[bins] = hi_;
  return e;
}

}  // namespace tessera::ops
