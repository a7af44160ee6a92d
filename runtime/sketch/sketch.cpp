#include "sketch.hpp"

#include <cmath>
#include <cstdio>
#include <cstring>

#include "../ops/elementwise.hpp"
#include "bloom.hpp"
#include "countmin.hpp"
#include "hll.hpp"
#include "kmv.hpp"
#include "morris.hpp"

namespace tessera::sketch {

const char* kind_name(Kind k) {
  switch (k) {
    case Kind::Bloom: return "bloom";
    case Kind::ScalableBloom: return "scalable_bloom";
    case Kind::HyperLogLog: return "hll";
    case Kind::Morris: return "morris";
    case Kind::Kmv: return "kmv";
    case Kind::CountMin: return "countmin";
  }
  return "unknown";
}

void Writer::f64(double v) {
  std::uint64_t bits;
  std::memcpy(&bits, &v, sizeof bits);
  u64(bits);
}

void Writer::varint(std::uint64_t v) {
  while (v >= 0x80) {
    u8(static_cast<std::uint8_t>(v | 0x80));
    v >>= 7;
  }
  u8(static_cast<std::uint8_t>(v));
}

const char* Reader::need(std::size_t n) {
  if (left() < n) throw Error("truncated sketch data");
  const char* p = p_;
  p_ += n;
  return p;
}

std::uint8_t Reader::u8() { return static_cast<std::uint8_t>(*need(1)); }

static std::uint64_t read_le(const char* p, int n) {
  std::uint64_t v = 0;
  for (int i = n - 1; i >= 0; --i) v = (v << 8) | static_cast<std::uint8_t>(p[i]);
  return v;
}

std::uint16_t Reader::u16() { return static_cast<std::uint16_t>(read_le(need(2), 2)); }
std::uint32_t Reader::u32() { return static_cast<std::uint32_t>(read_le(need(4), 4)); }
std::uint64_t Reader::u64() { return read_le(need(8), 8); }

double Reader::f64() {
  std::uint64_t bits = u64();
  double v;
  std::memcpy(&v, &bits, sizeof v);
  return v;
}

std::uint64_t Reader::varint() {
  std::uint64_t v = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    std::uint8_t b = u8();
    v |= static_cast<std::uint64_t>(b & 0x7f) << shift;
    if (!(b & 0x80)) return v;
  }
  throw Error("corrupt sketch data (bad varint)");
}

const char* Reader::bytes(std::size_t n) { return need(n); }

Key Key::integer(std::int64_t v) {
  Key k;
  k.type = Integer;
  k.i = v;
  return k;
}

Key Key::number(double v) {
  if (v >= -9223372036854775808.0 && v < 9223372036854775808.0) {
    auto i = static_cast<std::int64_t>(v);
    if (static_cast<double>(i) == v) return integer(i);
  }
  Key k;
  k.type = Float;
  k.f = std::isnan(v) ? std::numeric_limits<double>::quiet_NaN() : v;
  return k;
}

Key Key::string(const char* p, std::size_t n) {
  Key k;
  k.type = String;
  k.s.assign(p, n);
  return k;
}

Hash128 Key::hash() const {
  switch (type) {
    case Integer: return kernels::hash_integer(i);
    case Float: return kernels::hash_number(f);
    case String: break;
  }
  return kernels::hash_string(s.data(), s.size());
}

static constexpr char kMagic[4] = {'T', 'S', 'S', 'K'};

std::string serialize(const Sketch& s) {
  Writer w;
  w.bytes(kMagic, 4);
  w.u8(kFormatVersion);
  w.u8(static_cast<std::uint8_t>(s.kind()));
  w.u16(0);
  s.save(w);
  std::string& out = w.str();
  std::uint64_t sum = kernels::murmur3_x64_128(out.data(), out.size(), 0).h1;
  w.u64(sum);
  return std::move(out);
}

std::unique_ptr<Sketch> load(const char* data, std::size_t n) {
  if (n < 4 || std::memcmp(data, kMagic, 4) != 0)
    throw Error("not a serialized Tessera sketch (bad magic)");
  if (n < 16) throw Error("truncated sketch data");
  auto version = static_cast<std::uint8_t>(data[4]);
  if (version != kFormatVersion) {
    char msg[128];
    std::snprintf(msg, sizeof msg, "unsupported sketch format version %u (this build reads %u)",
                  unsigned(version), unsigned(kFormatVersion));
    throw Error(msg);
  }
  Reader tail(data + n - 8, 8);
  if (kernels::murmur3_x64_128(data, n - 8, 0).h1 != tail.u64())
    throw Error("corrupt sketch data (checksum mismatch)");
  Reader r(data + 8, n - 16);
  auto kind = static_cast<Kind>(static_cast<std::uint8_t>(data[5]));
  std::unique_ptr<Sketch> s;
  switch (kind) {
    case Kind::Bloom: s = Bloom::read(r); break;
    case Kind::ScalableBloom: s = ScalableBloom::read(r); break;
    case Kind::HyperLogLog: s = HyperLogLog::read(r); break;
    case Kind::Morris: s = Morris::read(r); break;
    case Kind::Kmv: s = Kmv::read(r); break;
    case Kind::CountMin: s = CountMin::read(r); break;
    default: {
      char msg[64];
      std::snprintf(msg, sizeof msg, "unknown sketch kind %u", unsigned(data[5] & 0xff));
      throw Error(msg);
    }
  }
  if (r.left() != 0) throw Error("corrupt sketch data (trailing bytes)");
  return s;
}

Array contiguous(Context& ctx, const Array& a) {
  return a.is_contiguous() ? a : ops::copy(ctx, a);
}

std::int64_t block_count(const Context& ctx, std::int64_t n, std::int64_t grain) {
  std::int64_t blocks = (n + grain - 1) / grain;
  std::int64_t cap = 4 * static_cast<std::int64_t>(ctx.parallel.threads());
  if (blocks > cap) blocks = cap;
  return blocks < 1 ? 1 : blocks;
}

std::string format_number(double v) {
  char buf[64];
  if (std::isfinite(v) && v == std::floor(v) && std::fabs(v) < 1e15)
    std::snprintf(buf, sizeof buf, "%.0f", v);
  else
    std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

}  // namespace tessera::sketch
