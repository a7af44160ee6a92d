#include <cmath>
#include <complex>
#include <cstdint>
#include <cstring>
#include <type_traits>

#include "../errors.hpp"
#include "png.hpp"

namespace tessera::image {

namespace {

struct NamedColormap {
  const char* name;
  const unsigned char* rgb;
};

#include "colormaps.inc"

struct Range {
  double lo = 0, hi = 0;
  bool any = false, nan = false;
};

template <class T>
double value(const T& v) {
  return static_cast<double>(v);
}

// Calls f(i, j, value as double) for every element of the 2-d array a.
template <class F>
void for_each_value(const Array& a, F&& f) {
  visit_dtype(a.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    if constexpr (std::is_arithmetic_v<T>) {
      const T* base = a.data_as<T>();
      for (std::int64_t i = 0; i < a.dim(0); ++i) {
        const T* row = base + i * a.stride(0);
        for (std::int64_t j = 0; j < a.dim(1); ++j) f(i, j, value(row[j * a.stride(1)]));
      }
    }
  });
}

bool is_real(DType t) { return is_float(t) || is_integer(t) || is_bool(t); }

}  // namespace

const unsigned char* find_colormap(const char* name) {
  for (const NamedColormap& c : kColormaps)
    if (std::strcmp(c.name, name) == 0) return c.rgb;
  return nullptr;
}

std::string colormap_names() {
  std::string s;
  for (const NamedColormap& c : kColormaps) s += (s.empty() ? "" : ", ") + std::string(c.name);
  return s;
}

Array colorize(Context& ctx, const Array& a, const ColorOptions& o) {
  if (a.ndim() != 2 || !is_real(a.dtype()))
    throw Error("expected a 2-d real array to color, got a " + std::to_string(a.ndim()) + "-d " +
                dtype_name(a.dtype()) + " array");
  Range r;
  for_each_value(a, [&](std::int64_t, std::int64_t, double v) {
    if (std::isnan(v)) {
      r.nan = true;
    } else if (!r.any) {
      r.lo = r.hi = v, r.any = true;
    } else {
      r.lo = v < r.lo ? v : r.lo;
      r.hi = v > r.hi ? v : r.hi;
    }
  });
  const double vmin = o.has_vmin ? o.vmin : r.lo, vmax = o.has_vmax ? o.vmax : r.hi;
  if (vmin > vmax)
    throw Error("vmin must not exceed vmax, got vmin = " + std::to_string(vmin) +
                ", vmax = " + std::to_string(vmax));
  const unsigned char* lut = o.cmap ? o.cmap : kColormaps[0].rgb;
  const int channels = r.nan ? 4 : 3;
  Array out = Array::empty(DType::UInt8, Dims{a.dim(0), a.dim(1), channels}, ctx.account);
  std::uint8_t* px = out.data_as<std::uint8_t>();
  const double span = vmax - vmin;
  for_each_value(a, [&](std::int64_t i, std::int64_t j, double v) {
    std::uint8_t* p = px + (i * a.dim(1) + j) * channels;
    if (std::isnan(v)) {
      std::memset(p, 0, 4);
      return;
    }
    int k = 0;
    if (vmin != vmax) {
      const double x = (v - vmin) / span * 256.0;
      k = x >= 255.0 ? 255 : (x >= 0.0 ? static_cast<int>(x) : 0);
    }
    std::memcpy(p, lut + 3 * k, 3);
    if (channels == 4) p[3] = 255;
  });
  return out;
}

}  // namespace tessera::image
