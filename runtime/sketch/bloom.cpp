#include "bloom.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "../../kernels/sketch.hpp"
#include "../../kernels/sketch_ops.hpp"

namespace tessera::sketch {
namespace {

constexpr double kMaxBits = 68719476736.0;  // 2^36 bits = 8 GiB
// Bulk adds give each extra thread a private copy of the bits while the
// filter and its copies together fit in a cache-sized budget. A larger filter
// is filled by one thread: its random writes are bound by memory, and copies
// would only add traffic (on the 2-core test machine a 12 MB filter filled
// slower with 2 threads and copies than with 1).
constexpr double kPrivateCopyBytes = 8.0 * 1024 * 1024;

void check_rate(double fp) {
  if (!(fp > 0 && fp < 1)) {
    char msg[96];
    std::snprintf(msg, sizeof msg, "false-positive rate must be between 0 and 1, got %g", fp);
    throw Error(msg);
  }
}

void check_capacity(double capacity) {
  if (!(capacity >= 1 && capacity <= 1e15)) {
    char msg[96];
    std::snprintf(msg, sizeof msg, "capacity must be at least 1 (and at most 1e15), got %g",
                  capacity);
    throw Error(msg);
  }
}

inline bool test_bit(const std::uint64_t* w, std::uint64_t bit) {
  return (w[bit >> 6] >> (bit & 63)) & 1;
}

}  // namespace

Bloom::Bloom(double capacity, double fp_rate) {
  check_capacity(capacity);
  check_rate(fp_rate);
  capacity_ = static_cast<std::uint64_t>(std::ceil(capacity));
  fp_ = fp_rate;
  const double ln2 = std::log(2.0);
  double m = std::ceil(-double(capacity_) * std::log(fp_rate) / (ln2 * ln2));
  if (m > kMaxBits) throw Error("filter would need more than 8 GiB of bits");
  k_ = std::max(1, static_cast<int>(std::lround(m / double(capacity_) * ln2)));
  nbits_ = (static_cast<std::uint64_t>(m) + 63) / 64 * 64;
  words_.assign(nbits_ / 64, 0);
}

void Bloom::add(Hash128 h) {
  for (int i = 0; i < k_; ++i) {
    std::uint64_t bit = kernels::bloom_probe(h.h1, h.h2, i, nbits_);
    words_[bit >> 6] |= std::uint64_t{1} << (bit & 63);
  }
}

bool Bloom::contains(Hash128 h) const {
  for (int i = 0; i < k_; ++i)
    if (!test_bit(words_.data(), kernels::bloom_probe(h.h1, h.h2, i, nbits_))) return false;
  return true;
}

void Bloom::add_array(Context& ctx, const Array& array) {
  Array a = contiguous(ctx, array);
  const std::int64_t n = a.size();
  const std::int64_t nwords = static_cast<std::int64_t>(words_.size());
  std::int64_t blocks = std::min<std::int64_t>(ctx.parallel.threads(), n / 16384);
  // Each extra block sets bits in a private zeroed copy, OR-ed in afterwards
  // (order-independent); filters too large for copies are filled serially.
  if (static_cast<double>(blocks) * double(nwords) * 8 > kPrivateCopyBytes) blocks = 1;
  if (blocks <= 1) {
    run_polled(*ctx.interrupt, 0, n, [&](std::int64_t b, std::int64_t e) {
      kernels::bloom_add(a.dtype(), a.data(), b, e, words_.data(), nbits_, k_);
    });
    ctx.interrupt->check();
    return;
  }
  std::vector<std::uint64_t> extra(static_cast<std::size_t>((blocks - 1) * nwords), 0);
  ctx.parallel.for_range(blocks, 1, [&](std::int64_t b0, std::int64_t b1) {
    for (std::int64_t b = b0; b < b1; ++b) {
      std::uint64_t* target = b == 0 ? words_.data() : extra.data() + (b - 1) * nwords;
      run_polled(*ctx.interrupt, block_start(n, blocks, b), block_start(n, blocks, b + 1),
                 [&](std::int64_t s, std::int64_t e) {
                   kernels::bloom_add(a.dtype(), a.data(), s, e, target, nbits_, k_);
                 });
    }
  });
  ctx.interrupt->check();
  ctx.parallel.for_range(nwords, 1 << 14, [&](std::int64_t w0, std::int64_t w1) {
    for (std::int64_t b = 1; b < blocks; ++b) {
      const std::uint64_t* src = extra.data() + (b - 1) * nwords;
      for (std::int64_t w = w0; w < w1; ++w) words_[w] |= src[w];
    }
  });
}

void Bloom::contains_array(Context& ctx, const Array& a, bool* out) const {
  ctx.parallel.for_range(a.size(), 16384, [&](std::int64_t b, std::int64_t e) {
    kernels::bloom_query(a.dtype(), a.data(), b, e, words_.data(), nbits_, k_, out + b);
  });
}

void Bloom::merge(const Bloom& o) {
  if (o.nbits_ != nbits_ || o.k_ != k_) {
    char msg[200];
    std::snprintf(msg, sizeof msg,
                  "cannot merge Bloom filters of different shape (m=%llu, k=%d and m=%llu, "
                  "k=%d); create both with the same capacity and rate",
                  (unsigned long long)nbits_, k_, (unsigned long long)o.nbits_, o.k_);
    throw Error(msg);
  }
  for (std::size_t i = 0; i < words_.size(); ++i) words_[i] |= o.words_[i];
}

std::uint64_t Bloom::bits_set() const {
  std::uint64_t n = 0;
  for (std::uint64_t w : words_) n += static_cast<std::uint64_t>(__builtin_popcountll(w));
  return n;
}

double Bloom::estimate() const {
  double x = double(bits_set()), m = double(nbits_);
  if (x >= m) return INFINITY;
  return -m / k_ * std::log1p(-x / m);
}

double Bloom::current_fp_rate() const { return std::pow(fill(), k_); }

std::string Bloom::describe() const {
  char buf[256];
  std::snprintf(buf, sizeof buf,
                "bloom(capacity=%llu, fp=%g, m=%llu bits, k=%d, fill=%.4f, estimate=%s, fp now=%.3g)",
                (unsigned long long)capacity_, fp_, (unsigned long long)nbits_, k_, fill(),
                format_number(std::round(estimate())).c_str(), current_fp_rate());
  return buf;
}

// Payload: u64 m (bits), u32 k, u64 capacity, f64 target rate, then m/64 u64 words.
void Bloom::save(Writer& w) const {
  w.u64(nbits_);
  w.u32(static_cast<std::uint32_t>(k_));
  w.u64(capacity_);
  w.f64(fp_);
  for (std::uint64_t x : words_) w.u64(x);
}

std::unique_ptr<Bloom> Bloom::read(Reader& r) {
  std::unique_ptr<Bloom> b(new Bloom());
  b->nbits_ = r.u64();
  std::uint32_t k = r.u32();
  b->capacity_ = r.u64();
  b->fp_ = r.f64();
  if (b->nbits_ == 0 || b->nbits_ % 64 != 0 || double(b->nbits_) > kMaxBits || k == 0 ||
      k > 64 || b->capacity_ == 0 || !(b->fp_ > 0 && b->fp_ < 1))
    throw Error("corrupt sketch data (bad Bloom filter parameters)");
  b->k_ = static_cast<int>(k);
  if (r.left() < b->nbits_ / 8) throw Error("truncated sketch data");
  b->words_.resize(b->nbits_ / 64);
  for (auto& x : b->words_) x = r.u64();
  return b;
}

// ---- ScalableBloom ---------------------------------------------------------

ScalableBloom::ScalableBloom(double initial_capacity, double fp_rate, double growth,
                             double ratio) {
  check_capacity(initial_capacity);
  check_rate(fp_rate);
  if (!(growth >= 1 && growth <= 16)) {
    char msg[96];
    std::snprintf(msg, sizeof msg, "growth must be from 1 to 16, got %g", growth);
    throw Error(msg);
  }
  if (!(ratio > 0 && ratio < 1)) {
    char msg[96];
    std::snprintf(msg, sizeof msg, "tightening ratio must be between 0 and 1, got %g", ratio);
    throw Error(msg);
  }
  capacity0_ = std::ceil(initial_capacity);
  fp_ = fp_rate;
  growth_ = growth;
  ratio_ = ratio;
  grow();
}

void ScalableBloom::grow() {
  double i = double(filters_.size());
  double cap = std::ceil(capacity0_ * std::pow(growth_, i));
  double rate = fp_ * (1 - ratio_) * std::pow(ratio_, i);
  if (!(rate > 1e-300)) throw Error("scalable Bloom filter cannot grow further");
  filters_.push_back(std::make_unique<Bloom>(cap, rate));
  counts_.push_back(0);
}

bool ScalableBloom::contains(Hash128 h) const {
  for (const auto& f : filters_)
    if (f->contains(h)) return true;
  return false;
}

bool ScalableBloom::add(Hash128 h) {
  if (contains(h)) return false;
  if (counts_.back() >= filters_.back()->capacity()) grow();
  filters_.back()->add(h);
  ++counts_.back();
  return true;
}

void ScalableBloom::add_array(Context& ctx, const Array& array) {
  Array a = contiguous(ctx, array);
  const std::int64_t n = a.size();
  const std::int64_t block = std::int64_t{1} << 18;
  std::vector<Hash128> hashes(static_cast<std::size_t>(std::min(n, block)));
  std::vector<unsigned char> seen(hashes.size());
  for (std::int64_t start = 0; start < n; start += block) {
    const std::int64_t len = std::min(block, n - start);
    // Filters before the last cannot change during this block: check them
    // in parallel; the last (and any chained meanwhile) in order below.
    const std::size_t frozen = filters_.size() - 1;
    ctx.parallel.for_range(len, 8192, [&](std::int64_t b, std::int64_t e) {
      kernels::hash_elements(a.dtype(), a.data(), start + b, start + e, hashes.data() + b);
      for (std::int64_t i = b; i < e; ++i) {
        bool hit = false;
        for (std::size_t f = 0; f < frozen && !hit; ++f) hit = filters_[f]->contains(hashes[i]);
        seen[i] = hit;
      }
    });
    for (std::int64_t i = 0; i < len; ++i) {
      if (seen[i]) continue;
      const Hash128 h = hashes[i];
      bool hit = false;
      for (std::size_t f = frozen; f < filters_.size() && !hit; ++f) hit = filters_[f]->contains(h);
      if (hit) continue;
      if (counts_.back() >= filters_.back()->capacity()) grow();
      filters_.back()->add(h);
      ++counts_.back();
    }
  }
}

void ScalableBloom::contains_array(Context& ctx, const Array& a, bool* out) const {
  ctx.parallel.for_range(a.size(), 8192, [&](std::int64_t b, std::int64_t e) {
    for (std::int64_t i = b; i < e; ++i) out[i] = false;
    for (const auto& f : filters_) {
      // Query each filter over the chunk, OR-ing into out.
      bool tmp[1024];
      for (std::int64_t s = b; s < e; s += 1024) {
        std::int64_t t = std::min<std::int64_t>(e, s + 1024);
        kernels::bloom_query(a.dtype(), a.data(), s, t, f->words().data(), f->nbits(),
                             f->hashes(), tmp);
        for (std::int64_t i = s; i < t; ++i) out[i] = out[i] || tmp[i - s];
      }
    }
  });
}

std::uint64_t ScalableBloom::count() const {
  std::uint64_t n = 0;
  for (std::uint64_t c : counts_) n += c;
  return n;
}

double ScalableBloom::current_fp_bound() const {
  double pass = 1;
  for (const auto& f : filters_) pass *= 1 - f->fp_rate();
  return 1 - pass;
}

std::size_t ScalableBloom::bytes() const {
  std::size_t n = sizeof *this + counts_.capacity() * 8 + filters_.capacity() * sizeof(void*);
  for (const auto& f : filters_) n += f->bytes();
  return n;
}

std::string ScalableBloom::describe() const {
  char buf[256];
  const Bloom& last = *filters_.back();
  std::snprintf(buf, sizeof buf,
                "scalable_bloom(capacity=%s, fp=%g, growth=%g, ratio=%g, filters=%zu, last "
                "fill=%.4f, count=%llu, fp bound=%.3g)",
                format_number(capacity0_).c_str(), fp_, growth_, ratio_, filters_.size(),
                last.fill(), (unsigned long long)count(), current_fp_bound());
  return buf;
}

// Payload: f64 initial capacity, f64 rate, f64 growth, f64 ratio, u32 filters,
// then per filter its Bloom payload and u64 items added.
void ScalableBloom::save(Writer& w) const {
  w.f64(capacity0_);
  w.f64(fp_);
  w.f64(growth_);
  w.f64(ratio_);
  w.u32(static_cast<std::uint32_t>(filters_.size()));
  for (std::size_t i = 0; i < filters_.size(); ++i) {
    filters_[i]->save(w);
    w.u64(counts_[i]);
  }
}

std::unique_ptr<ScalableBloom> ScalableBloom::read(Reader& r) {
  std::unique_ptr<ScalableBloom> s(new ScalableBloom());
  s->capacity0_ = r.f64();
  s->fp_ = r.f64();
  s->growth_ = r.f64();
  s->ratio_ = r.f64();
  std::uint32_t n = r.u32();
  if (!(s->capacity0_ >= 1 && s->fp_ > 0 && s->fp_ < 1 && s->growth_ >= 1 && s->growth_ <= 16 &&
        s->ratio_ > 0 && s->ratio_ < 1) ||
      n == 0 || n > 4096)
    throw Error("corrupt sketch data (bad scalable Bloom filter parameters)");
  for (std::uint32_t i = 0; i < n; ++i) {
    s->filters_.push_back(Bloom::read(r));
    s->counts_.push_back(r.u64());
  }
  return s;
}

}  // namespace tessera::sketch
