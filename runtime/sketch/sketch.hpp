// Probabilistic sketches (ts.sketch): the common base, item keys, and the
// versioned serialization format. No Lua here: the bindings live in
// runtime/lua/sketch.cpp.
//
// Serialized form (all integers little-endian):
//   "TSSK"  magic, 4 bytes
//   u8      format version (kFormatVersion)
//   u8      kind (Kind)
//   u16     0 (reserved)
//   ...     the structure's payload (see each save())
//   u64     h1 of MurmurHash3_x64_128 over every preceding byte, seed 0
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "../../kernels/hash.hpp"
#include "../array.hpp"
#include "../context.hpp"
#include "../errors.hpp"

namespace tessera::sketch {

using kernels::Hash128;

enum class Kind : std::uint8_t {
  Bloom = 1,
  ScalableBloom = 2,
  HyperLogLog = 3,
  Morris = 4,
  Kmv = 5,
  CountMin = 6,
};
const char* kind_name(Kind k);  // "bloom", "scalable_bloom", "hll", "morris", "kmv", "countmin"

inline constexpr std::uint8_t kFormatVersion = 1;

// Appends little-endian values to a byte string.
class Writer {
 public:
  void u8(std::uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void u16(std::uint16_t v) { le(v, 2); }
  void u32(std::uint32_t v) { le(v, 4); }
  void u64(std::uint64_t v) { le(v, 8); }
  void f64(double v);
  void varint(std::uint64_t v);  // LEB128
  void bytes(const void* p, std::size_t n) { out_.append(static_cast<const char*>(p), n); }
  std::string& str() { return out_; }

 private:
  void le(std::uint64_t v, int n) {
    for (int i = 0; i < n; ++i) out_.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
  }
  std::string out_;
};

// Reads what Writer wrote; throws Error("truncated ...") past the end.
class Reader {
 public:
  Reader(const char* p, std::size_t n) : p_(p), end_(p + n) {}
  std::uint8_t u8();
  std::uint16_t u16();
  std::uint32_t u32();
  std::uint64_t u64();
  double f64();
  std::uint64_t varint();
  const char* bytes(std::size_t n);
  std::size_t left() const { return static_cast<std::size_t>(end_ - p_); }

 private:
  const char* need(std::size_t n);
  const char* p_;
  const char* end_;
};

// An item remembered by value (count-min's heavy-hitter candidates): an
// integer (also integral floats), another float, or a string. It hashes as
// kernels/hash.hpp defines.
struct Key {
  enum Type : std::uint8_t { Integer = 0, Float = 1, String = 2 };
  Type type = Integer;
  std::int64_t i = 0;
  double f = 0;
  std::string s;

  static Key integer(std::int64_t v);
  static Key number(double v);  // integral floats become integers, as when hashed
  static Key string(const char* p, std::size_t n);
  Hash128 hash() const;
};

class Sketch {
 public:
  virtual ~Sketch() = default;
  virtual Kind kind() const = 0;
  // Native memory the structure holds, in bytes.
  virtual std::size_t bytes() const = 0;
  // Parameters, fill and current estimate, for tostring.
  virtual std::string describe() const = 0;
  // Writes the payload of the serialized form.
  virtual void save(Writer& w) const = 0;
};

std::string serialize(const Sketch& s);
// Throws Error with a message saying what is wrong with the data.
std::unique_ptr<Sketch> load(const char* data, std::size_t n);

// a itself when C-contiguous, else a contiguous copy.
Array contiguous(Context& ctx, const Array& a);

// Splits [0, n) into `blocks` nearly equal parts: the start of part b.
inline std::int64_t block_start(std::int64_t n, std::int64_t blocks, std::int64_t b) {
  return static_cast<std::int64_t>((static_cast<__int128>(n) * b) / blocks);
}
// How many private partial blocks a bulk operation over n items uses: enough
// for every thread, never smaller than `grain` items each.
std::int64_t block_count(const Context& ctx, std::int64_t n, std::int64_t grain);

std::string format_number(double v);  // %.6g, or an integer when it is one

// Long loops over items poll the interrupt flag (Ctrl-C) every kPollItems:
// fn(b, e) over [begin, end) in such pieces, stopping early once an interrupt
// is requested. Callers then call ctx.interrupt->check() (outside any
// parallel region), which throws Interrupted; the sketch keeps what was added.
inline constexpr std::int64_t kPollItems = std::int64_t{1} << 18;
template <class F>
void run_polled(const InterruptFlag& flag, std::int64_t begin, std::int64_t end, F&& fn) {
  for (std::int64_t i = begin; i < end; i += kPollItems) {
    if (flag.requested()) return;
    fn(i, end - i < kPollItems ? end : i + kPollItems);
  }
}

}  // namespace tessera::sketch
