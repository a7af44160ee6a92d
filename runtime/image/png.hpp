// Pictures: arrays to 8-bit RGB(A) pixels through matplotlib's colormaps,
// and PNG files through libpng. No Lua.
//
// Pixel arrays are uint8 arrays of shape (height, width, 3) for RGB or
// (height, width, 4) for RGBA; row 0 is the top of the picture (like
// matplotlib's imshow(origin='upper') and PIL).
#pragma once

#include <string>

#include "../array.hpp"
#include "../context.hpp"

namespace tessera::image {

// A colormap's 256 RGB entries, or nullptr for an unknown name.
const unsigned char* find_colormap(const char* name);
// "viridis, magma, ..." for messages.
std::string colormap_names();

struct ColorOptions {
  const unsigned char* cmap = nullptr;  // 256 * 3 bytes; null: viridis
  bool has_vmin = false, has_vmax = false;
  double vmin = 0, vmax = 0;  // default: the data's smallest and largest non-NaN values
};

// a (2-d, any real dtype, any layout) through a colormap as matplotlib's
// cmap(Normalize(vmin, vmax)(a), bytes=True) computes it in float64: entry
// floor(256 * (x - vmin) / (vmax - vmin)), values below vmin take the first
// entry, values from vmax up the last, and every value the first when
// vmin == vmax. NaN is matplotlib's "bad" color, transparent black: the
// result is RGBA when a has NaN, else RGB. Throws Error for other shapes or
// dtypes and for vmin > vmax.
Array colorize(Context& ctx, const Array& a, const ColorOptions& options);

// Writes pixels (uint8, (h, w, 3) or (h, w, 4), any layout, h and w >= 1)
// to a PNG file. Throws Error naming the path and the reason; a file that
// could not be completed is removed.
void write_png(const std::string& path, const Array& pixels);

// Reads a PNG file as uint8 pixels (h, w, 3) or (h, w, 4): palette and gray
// images are expanded to RGB, 16-bit channels reduced to 8, transparency
// chunks become an alpha channel.
Array read_png(Context& ctx, const std::string& path);

}  // namespace tessera::image
