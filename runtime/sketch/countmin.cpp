#include "countmin.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "../../kernels/sketch.hpp"
#include "../../kernels/sketch_ops.hpp"

namespace tessera::sketch {
namespace {

// Candidate order: larger count first, then by hash (a total order, so the
// kept set never depends on the order items came in).
bool before(std::uint64_t c1, Hash128 h1, std::uint64_t c2, Hash128 h2) {
  if (c1 != c2) return c1 > c2;
  if (h1.h1 != h2.h1) return h1.h1 < h2.h1;
  return h1.h2 < h2.h2;
}

bool same(Hash128 a, Hash128 b) { return a.h1 == b.h1 && a.h2 == b.h2; }

Key key_of(DType t, const void* data, std::int64_t i) {
  return visit_dtype(t, [&](auto tag) {
    using T = typename decltype(tag)::type;
    T v = static_cast<const T*>(data)[i];
    if constexpr (std::is_floating_point_v<T>) {
      return Key::number(static_cast<double>(v));
    } else if constexpr (is_complex_v<T>) {  // (the sketches refuse complex arrays)
      return Key::number(static_cast<double>(v.real()));
    } else {
      return Key::integer(static_cast<std::int64_t>(v));
    }
  });
}

// A block's best items: (count, hash, element index), at most topk, distinct.
struct Best {
  std::uint64_t count;
  Hash128 hash;
  std::int64_t index;
};

}  // namespace

CountMin::CountMin(std::int64_t width, std::int64_t depth, std::int64_t topk) {
  char msg[160];
  if (width < 1 || width > (std::int64_t{1} << 28)) {
    std::snprintf(msg, sizeof msg, "width must be from 1 to 2^28, got %lld", (long long)width);
    throw Error(msg);
  }
  if (depth < 1 || depth > 64) {
    std::snprintf(msg, sizeof msg, "depth must be from 1 to 64, got %lld", (long long)depth);
    throw Error(msg);
  }
  if (width * depth > (std::int64_t{1} << 30))
    throw Error("width * depth must be at most 2^30 counters");
  if (topk < 0 || topk > 10000) {
    std::snprintf(msg, sizeof msg, "topk must be from 0 to 10000, got %lld", (long long)topk);
    throw Error(msg);
  }
  width_ = static_cast<std::uint64_t>(width);
  depth_ = static_cast<int>(depth);
  topk_ = topk;
  counters_.assign(width_ * static_cast<std::uint64_t>(depth_), 0);
}

double CountMin::epsilon() const { return std::exp(1.0) / double(width_); }
double CountMin::delta() const { return std::exp(-double(depth_)); }

std::uint64_t CountMin::estimate(Hash128 h) const {
  std::uint64_t best = ~std::uint64_t{0};
  for (int r = 0; r < depth_; ++r)
    best = std::min(best, counters_[r * width_ + kernels::countmin_column(h.h1, h.h2, r, width_)]);
  return best;
}

void CountMin::offer(Candidate c) {
  for (auto& x : candidates_)
    if (same(x.hash, c.hash)) {
      x.count = c.count;
      return;
    }
  if (static_cast<std::int64_t>(candidates_.size()) < topk_) {
    candidates_.push_back(std::move(c));
    return;
  }
  // Replace the weakest candidate (by current counts) if c beats it.
  std::size_t worst = 0;
  for (std::size_t i = 1; i < candidates_.size(); ++i)
    if (before(candidates_[worst].count, candidates_[worst].hash, candidates_[i].count,
               candidates_[i].hash))
      worst = i;
  if (before(c.count, c.hash, candidates_[worst].count, candidates_[worst].hash))
    candidates_[worst] = std::move(c);
}

void CountMin::add(const Key& key, Hash128 h, std::uint64_t weight) {
  for (int r = 0; r < depth_; ++r)
    counters_[r * width_ + kernels::countmin_column(h.h1, h.h2, r, width_)] += weight;
  total_ += weight;
  if (topk_ > 0) offer(Candidate{key, h, estimate(h)});
}

void CountMin::add_array(Context& ctx, const Array& array, std::uint64_t weight) {
  Array a = contiguous(ctx, array);
  const std::int64_t n = a.size();
  const DType t = a.dtype();
  const std::int64_t size = static_cast<std::int64_t>(counters_.size());
  std::int64_t blocks = std::min<std::int64_t>(ctx.parallel.threads(), n / 16384);
  // Each extra block counts into a private zeroed copy, summed in afterwards
  // (order-independent). Sketches whose counters and copies would pass 8 MiB
  // are filled by one thread: random writes bound by memory gain nothing from
  // copies (as for Bloom filters).
  if (static_cast<double>(blocks) * double(size) * 8 > 8.0 * 1024 * 1024) blocks = 1;
  if (blocks <= 1) {
    run_polled(*ctx.interrupt, 0, n, [&](std::int64_t b, std::int64_t e) {
      kernels::countmin_add(t, a.data(), b, e, counters_.data(), width_, depth_, weight);
    });
    ctx.interrupt->check();
  } else {
    std::vector<std::uint64_t> extra(static_cast<std::size_t>((blocks - 1) * size), 0);
    ctx.parallel.for_range(blocks, 1, [&](std::int64_t b0, std::int64_t b1) {
      for (std::int64_t b = b0; b < b1; ++b) {
        std::uint64_t* target = b == 0 ? counters_.data() : extra.data() + (b - 1) * size;
        run_polled(*ctx.interrupt, block_start(n, blocks, b), block_start(n, blocks, b + 1),
                   [&](std::int64_t s, std::int64_t e) {
                     kernels::countmin_add(t, a.data(), s, e, target, width_, depth_, weight);
                   });
      }
    });
    ctx.interrupt->check();
    ctx.parallel.for_range(size, 1 << 14, [&](std::int64_t c0, std::int64_t c1) {
      for (std::int64_t b = 1; b < blocks; ++b) {
        const std::uint64_t* src = extra.data() + (b - 1) * size;
        for (std::int64_t c = c0; c < c1; ++c) counters_[c] += src[c];
      }
    });
  }
  total_ += weight * static_cast<std::uint64_t>(n);
  if (topk_ == 0 || n == 0) return;

  // Candidates: each block's topk distinct items by final estimate; their
  // union holds the topk of the whole array.
  const std::int64_t groups = block_count(ctx, n, 1 << 16);
  std::vector<Best> best(static_cast<std::size_t>(groups * topk_));
  std::vector<std::int64_t> used(static_cast<std::size_t>(groups), 0);
  ctx.parallel.for_range(groups, 1, [&](std::int64_t b0, std::int64_t b1) {
    for (std::int64_t b = b0; b < b1; ++b) {
      Best* list = best.data() + b * topk_;
      std::int64_t len = 0, worst = 0;
      kernels::for_each_hash(
          t, a.data(), block_start(n, groups, b), block_start(n, groups, b + 1),
          [&](std::int64_t i, Hash128 h) {
            std::uint64_t c = estimate(h);
            if (len == topk_ && !before(c, h, list[worst].count, list[worst].hash)) return;
            for (std::int64_t j = 0; j < len; ++j)
              if (same(list[j].hash, h)) return;
            if (len < topk_) {
              list[len++] = Best{c, h, i};
            } else {
              list[worst] = Best{c, h, i};
            }
            if (len == topk_) {
              worst = 0;
              for (std::int64_t j = 1; j < len; ++j)
                if (before(list[worst].count, list[worst].hash, list[j].count, list[j].hash))
                  worst = j;
            }
          });
      used[b] = len;
    }
  });
  refresh();
  for (std::int64_t b = 0; b < groups; ++b)
    for (std::int64_t j = 0; j < used[b]; ++j) {
      const Best& x = best[b * topk_ + j];
      bool known = false;
      for (const auto& c : candidates_) known = known || same(c.hash, x.hash);
      if (!known) candidates_.push_back(Candidate{key_of(t, a.data(), x.index), x.hash, x.count});
    }
  std::sort(candidates_.begin(), candidates_.end(), [](const Candidate& x, const Candidate& y) {
    return before(x.count, x.hash, y.count, y.hash);
  });
  if (static_cast<std::int64_t>(candidates_.size()) > topk_)
    candidates_.resize(static_cast<std::size_t>(topk_));
}

void CountMin::estimate_array(Context& ctx, const Array& a, std::int64_t* out) const {
  ctx.parallel.for_range(a.size(), 16384, [&](std::int64_t b, std::int64_t e) {
    kernels::countmin_query(a.dtype(), a.data(), b, e, counters_.data(), width_, depth_, out + b);
  });
}

void CountMin::refresh() const {
  for (auto& c : candidates_) c.count = estimate(c.hash);
}

void CountMin::merge(const CountMin& o) {
  if (o.width_ != width_ || o.depth_ != depth_) {
    char msg[200];
    std::snprintf(msg, sizeof msg,
                  "cannot merge count-min sketches of different shape (width %llu, depth %d and "
                  "width %llu, depth %d)",
                  (unsigned long long)width_, depth_, (unsigned long long)o.width_, o.depth_);
    throw Error(msg);
  }
  if (&o == this) {
    for (auto& c : counters_) c *= 2;
    total_ *= 2;
    refresh();
    return;
  }
  for (std::size_t i = 0; i < counters_.size(); ++i) counters_[i] += o.counters_[i];
  total_ += o.total_;
  if (topk_ == 0) return;
  refresh();
  for (const auto& c : o.candidates_) offer(Candidate{c.key, c.hash, estimate(c.hash)});
  std::sort(candidates_.begin(), candidates_.end(), [](const Candidate& x, const Candidate& y) {
    return before(x.count, x.hash, y.count, y.hash);
  });
}

std::vector<CountMin::Candidate> CountMin::heavy_hitters(std::uint64_t min_count) const {
  refresh();
  std::vector<Candidate> out;
  for (const auto& c : candidates_)
    if (c.count >= min_count) out.push_back(c);
  std::sort(out.begin(), out.end(), [](const Candidate& x, const Candidate& y) {
    return before(x.count, x.hash, y.count, y.hash);
  });
  return out;
}

std::size_t CountMin::bytes() const {
  std::size_t n =
      sizeof *this + 8 * counters_.capacity() + candidates_.capacity() * sizeof(Candidate);
  for (const auto& c : candidates_) n += c.key.s.capacity();
  return n;
}

std::string CountMin::describe() const {
  std::uint64_t nonzero = 0;
  for (std::uint64_t c : counters_) nonzero += c != 0;
  char buf[256];
  std::snprintf(buf, sizeof buf,
                "countmin(width=%llu, depth=%d, epsilon=%.3g, delta=%.3g, total=%llu, fill=%.4f, "
                "topk=%lld)",
                (unsigned long long)width_, depth_, epsilon(), delta(), (unsigned long long)total_,
                double(nonzero) / double(counters_.size()), (long long)topk_);
  return buf;
}

// Payload: varint width, varint depth, varint topk, varint total, the
// depth x width counters as varints, varint candidates, and each candidate:
// u8 type, then an int64 (varint of its zigzag), an f64, or varint length and
// bytes.
void CountMin::save(Writer& w) const {
  w.varint(width_);
  w.varint(static_cast<std::uint64_t>(depth_));
  w.varint(static_cast<std::uint64_t>(topk_));
  w.varint(total_);
  for (std::uint64_t c : counters_) w.varint(c);
  w.varint(candidates_.size());
  for (const auto& c : candidates_) {
    w.u8(c.key.type);
    if (c.key.type == Key::Integer) {
      auto u = static_cast<std::uint64_t>(c.key.i);
      w.varint((u << 1) ^ (c.key.i < 0 ? ~std::uint64_t{0} : 0));
    } else if (c.key.type == Key::Float) {
      w.f64(c.key.f);
    } else {
      w.varint(c.key.s.size());
      w.bytes(c.key.s.data(), c.key.s.size());
    }
  }
}

std::unique_ptr<CountMin> CountMin::read(Reader& r) {
  std::uint64_t width = r.varint(), depth = r.varint(), topk = r.varint();
  if (width < 1 || width > (1u << 28) || depth < 1 || depth > 64 || width * depth > (1u << 30) ||
      topk > 10000)
    throw Error("corrupt sketch data (bad count-min parameters)");
  auto s = std::make_unique<CountMin>(std::int64_t(width), std::int64_t(depth), std::int64_t(topk));
  s->total_ = r.varint();
  for (auto& c : s->counters_) c = r.varint();
  std::uint64_t n = r.varint();
  if (n > topk) throw Error("corrupt sketch data (too many count-min candidates)");
  for (std::uint64_t i = 0; i < n; ++i) {
    std::uint8_t type = r.u8();
    Key key;
    if (type == Key::Integer) {
      std::uint64_t z = r.varint();
      key = Key::integer(static_cast<std::int64_t>((z >> 1) ^ (~(z & 1) + 1)));
    } else if (type == Key::Float) {
      key = Key::number(r.f64());
    } else if (type == Key::String) {
      std::uint64_t len = r.varint();
      if (len > r.left()) throw Error("truncated sketch data");
      const char* p = r.bytes(static_cast<std::size_t>(len));
      key = Key::string(p, static_cast<std::size_t>(len));
    } else {
      throw Error("corrupt sketch data (bad count-min candidate)");
    }
    Hash128 h = key.hash();
    s->candidates_.push_back(Candidate{std::move(key), h, s->estimate(h)});
  }
  return s;
}

}  // namespace tessera::sketch
