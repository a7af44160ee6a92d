#include "morris.hpp"

#include <cmath>
#include <cstdio>

namespace tessera::sketch {

Morris::Morris(double base, std::uint64_t seed) : base_(base), rng_(seed) {
  if (!(base > 1 && base <= 16)) {
    char msg[96];
    std::snprintf(msg, sizeof msg, "base must be greater than 1 and at most 16, got %g", base);
    throw Error(msg);
  }
}

double Morris::uniform() {
  std::uint64_t z = (rng_ += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  z ^= z >> 31;
  return (double(z >> 11) + 0.5) * 0x1.0p-53;
}

void Morris::add_events(std::uint64_t n) {
  while (n > 0 && c_ < 255) {
    // Events until the next increment: geometric with p = base^-c.
    double p = std::pow(base_, -double(c_));
    double g = 1;
    if (p < 1) {
      double draw = std::floor(std::log(uniform()) / std::log1p(-p)) + 1;
      g = draw;
    }
    if (g > double(n)) return;  // the remaining events all fail (memoryless)
    n -= static_cast<std::uint64_t>(g);
    ++c_;
  }
}

void Morris::merge(const Morris& o) {
  if (o.base_ != base_) {
    char msg[160];
    std::snprintf(msg, sizeof msg, "cannot merge Morris counters of different base (%g and %g)",
                  base_, o.base_);
    throw Error(msg);
  }
  double e = o.estimate();
  double whole = std::floor(e);
  auto n = static_cast<std::uint64_t>(whole);
  if (uniform() < e - whole) ++n;
  add_events(n);
}

double Morris::estimate() const { return (std::pow(base_, double(c_)) - 1) / (base_ - 1); }

double Morris::relative_error() const { return std::sqrt((base_ - 1) / 2); }

std::string Morris::describe() const {
  char buf[160];
  std::snprintf(buf, sizeof buf, "morris(base=%g, counter=%d, estimate=%s, rel. error ~%.0f%%)",
                base_, int(c_), format_number(std::round(estimate())).c_str(),
                100 * relative_error());
  return buf;
}

// Payload: f64 base, u8 counter, u64 generator state.
void Morris::save(Writer& w) const {
  w.f64(base_);
  w.u8(c_);
  w.u64(rng_);
}

std::unique_ptr<Morris> Morris::read(Reader& r) {
  double base = r.f64();
  std::uint8_t c = r.u8();
  std::uint64_t state = r.u64();
  if (!(base > 1 && base <= 16)) throw Error("corrupt sketch data (bad Morris base)");
  auto m = std::make_unique<Morris>(base, state);
  m->c_ = c;
  return m;
}

}  // namespace tessera::sketch
