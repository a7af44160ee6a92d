#include "kmv.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "../../kernels/sketch.hpp"

namespace tessera::sketch {
namespace {

constexpr std::int64_t kMaxK = std::int64_t{1} << 24;

// Sorts v, removes duplicates and keeps the k smallest.
void compact(std::vector<std::uint64_t>& v, std::int64_t k) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  if (static_cast<std::int64_t>(v.size()) > k) v.resize(static_cast<std::size_t>(k));
}

// The same on a raw buffer (no allocation); returns the new length.
std::int64_t compact(std::uint64_t* v, std::int64_t n, std::int64_t k) {
  std::sort(v, v + n);
  n = std::unique(v, v + n) - v;
  return n > k ? k : n;
}

}  // namespace

Kmv::Kmv(std::int64_t k) : k_(k) {
  if (k < 2 || k > kMaxK) {
    char msg[96];
    std::snprintf(msg, sizeof msg, "k must be an integer from 2 to %lld, got %lld",
                  (long long)kMaxK, (long long)k);
    throw Error(msg);
  }
}

void Kmv::flush() const {
  if (pending_.empty()) return;
  values_.insert(values_.end(), pending_.begin(), pending_.end());
  pending_.clear();
  compact(values_, k_);
}

const std::vector<std::uint64_t>& Kmv::values() const {
  flush();
  return values_;
}

void Kmv::add(Hash128 h) {
  if (static_cast<std::int64_t>(values_.size()) == k_ && h.h1 >= values_.back()) return;
  pending_.push_back(h.h1);
  if (static_cast<std::int64_t>(pending_.size()) >= std::max<std::int64_t>(k_, 64)) flush();
}

void Kmv::add_array(Context& ctx, const Array& array) {
  flush();
  Array a = contiguous(ctx, array);
  const std::int64_t n = a.size();
  const std::int64_t sub = 4096;
  const std::int64_t blocks = block_count(ctx, n, std::max<std::int64_t>(1 << 16, 4 * k_));
  const std::int64_t room = 2 * k_ + sub;
  // Each block keeps its own k smallest in a preallocated buffer (the
  // parallel body must not allocate or throw); the union of the blocks' k
  // smallest holds the k smallest of all, whatever the split.
  std::vector<std::uint64_t> buf(static_cast<std::size_t>(blocks * room));
  std::vector<std::int64_t> used(static_cast<std::size_t>(blocks), 0);
  const std::uint64_t start_below =
      static_cast<std::int64_t>(values_.size()) == k_ ? values_.back() : ~std::uint64_t{0};
  const InterruptFlag& stop = *ctx.interrupt;
  ctx.parallel.for_range(blocks, 1, [&](std::int64_t b0, std::int64_t b1) {
    for (std::int64_t b = b0; b < b1; ++b) {
      std::uint64_t* v = buf.data() + b * room;
      std::int64_t len = 0;
      std::uint64_t below = start_below;
      const std::int64_t end = block_start(n, blocks, b + 1);
      for (std::int64_t s = block_start(n, blocks, b); s < end; s += sub) {
        if (stop.requested()) break;
        len += kernels::kmv_collect(a.dtype(), a.data(), s, std::min(end, s + sub), below, v + len);
        if (len >= 2 * k_) {  // room is 2k + sub: compact only when half full
          len = compact(v, len, k_);
          below = v[len - 1];
        }
      }
      used[b] = compact(v, len, k_);
    }
  });
  ctx.interrupt->check();
  for (std::int64_t b = 0; b < blocks; ++b)
    values_.insert(values_.end(), buf.data() + b * room, buf.data() + b * room + used[b]);
  compact(values_, k_);
  values_.shrink_to_fit();
}

void Kmv::merge(const Kmv& o) {
  if (o.k_ != k_) {
    char msg[200];
    std::snprintf(msg, sizeof msg,
                  "cannot merge KMV sketches of different k (%lld and %lld); a:union(b) makes a "
                  "new sketch with the smaller k",
                  (long long)k_, (long long)o.k_);
    throw Error(msg);
  }
  if (&o == this) return;
  o.flush();
  flush();
  values_.insert(values_.end(), o.values_.begin(), o.values_.end());
  compact(values_, k_);
}

double Kmv::estimate() const {
  flush();
  if (static_cast<std::int64_t>(values_.size()) < k_) return double(values_.size());
  double vk = (double(values_.back()) + 1.0) * 0x1.0p-64;
  return double(k_ - 1) / vk;
}

double Kmv::relative_error() const {
  flush();
  if (static_cast<std::int64_t>(values_.size()) < k_) return 0;
  return k_ > 2 ? 1 / std::sqrt(double(k_ - 2)) : 1.0;
}

std::unique_ptr<Kmv> Kmv::union_of(const Kmv& a, const Kmv& b) {
  auto u = std::make_unique<Kmv>(std::min(a.k_, b.k_));
  const auto& va = a.values();
  const auto& vb = b.values();
  u->values_.reserve(va.size() + vb.size());
  std::set_union(va.begin(), va.end(), vb.begin(), vb.end(), std::back_inserter(u->values_));
  if (static_cast<std::int64_t>(u->values_.size()) > u->k_)
    u->values_.resize(static_cast<std::size_t>(u->k_));
  return u;
}

double Kmv::jaccard(const Kmv& a, const Kmv& b) {
  auto u = union_of(a, b);
  if (u->values_.empty()) return 0;
  const auto& va = a.values();
  const auto& vb = b.values();
  std::int64_t both = 0;
  for (std::uint64_t x : u->values_)
    both +=
        std::binary_search(va.begin(), va.end(), x) && std::binary_search(vb.begin(), vb.end(), x);
  return double(both) / double(u->values_.size());
}

double Kmv::intersection(const Kmv& a, const Kmv& b) {
  auto u = union_of(a, b);
  return jaccard(a, b) * u->estimate();
}

std::size_t Kmv::bytes() const {
  return sizeof *this + 8 * (values_.capacity() + pending_.capacity());
}

std::string Kmv::describe() const {
  flush();
  char buf[200];
  std::snprintf(buf, sizeof buf, "kmv(k=%lld, %zu values held, estimate=%s%s)", (long long)k_,
                values_.size(), format_number(std::round(estimate())).c_str(),
                static_cast<std::int64_t>(values_.size()) < k_ ? ", exact" : "");
  return buf;
}

// Payload: varint k, varint count, the sorted values as varint deltas.
void Kmv::save(Writer& w) const {
  flush();
  w.varint(static_cast<std::uint64_t>(k_));
  w.varint(values_.size());
  std::uint64_t prev = 0;
  for (std::uint64_t v : values_) {
    w.varint(v - prev);
    prev = v;
  }
}

std::unique_ptr<Kmv> Kmv::read(Reader& r) {
  std::uint64_t k = r.varint();
  if (k < 2 || k > std::uint64_t(kMaxK)) throw Error("corrupt sketch data (bad KMV k)");
  auto s = std::make_unique<Kmv>(static_cast<std::int64_t>(k));
  std::uint64_t count = r.varint();
  if (count > k) throw Error("corrupt sketch data (KMV holds more than k values)");
  std::uint64_t prev = 0;
  for (std::uint64_t i = 0; i < count; ++i) {
    std::uint64_t d = r.varint();
    if (i > 0 && (d == 0 || prev + d < prev))
      throw Error("corrupt sketch data (KMV values not increasing)");
    prev += d;
    s->values_.push_back(prev);
  }
  return s;
}

}  // namespace tessera::sketch
