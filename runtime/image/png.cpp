// libpng reports errors by longjmp. Every function that calls libpng while
// an error can jump (the *_steps functions below) holds only plain C values,
// so that the jump skips no destructor; C++ objects live in their callers.
#include "png.hpp"

#include <png.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <vector>

#include "../errors.hpp"

namespace tessera::image {

namespace {

struct Message {
  char text[256];
};

void on_error(png_structp png, png_const_charp msg) {
  auto* m = static_cast<Message*>(png_get_error_ptr(png));
  std::snprintf(m->text, sizeof m->text, "%s", msg);
  png_longjmp(png, 1);
}
void on_warning(png_structp, png_const_charp) {}

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};
using File = std::unique_ptr<std::FILE, FileCloser>;

// ---- writing -------------------------------------------------------------

// Returns false (with m->text set) when libpng failed.
bool write_steps(png_structp png, png_infop info, std::FILE* f, std::uint32_t width,
                 std::uint32_t height, int channels, png_bytepp rows) {
  if (setjmp(png_jmpbuf(png))) return false;
  png_init_io(png, f);
  png_set_IHDR(png, info, width, height, 8,
               channels == 4 ? PNG_COLOR_TYPE_RGB_ALPHA : PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
               PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_write_info(png, info);
  png_write_image(png, rows);
  png_write_end(png, info);
  return true;
}

struct WriteStruct {
  png_structp png = nullptr;
  png_infop info = nullptr;
  ~WriteStruct() { png_destroy_write_struct(&png, info ? &info : nullptr); }
};

// A C-contiguous copy of pixels unless it already is one.
Array contiguous_pixels(const Array& p) {
  if (p.is_contiguous()) return p;
  Array c = Array::empty(DType::UInt8, p.shape());
  std::uint8_t* dst = c.data_as<std::uint8_t>();
  const std::uint8_t* src = p.data_as<std::uint8_t>();
  for (std::int64_t i = 0; i < p.dim(0); ++i)
    for (std::int64_t j = 0; j < p.dim(1); ++j)
      for (std::int64_t k = 0; k < p.dim(2); ++k)
        *dst++ = src[i * p.stride(0) + j * p.stride(1) + k * p.stride(2)];
  return c;
}

// ---- reading -------------------------------------------------------------

struct Header {
  std::uint32_t width = 0, height = 0;
  int channels = 0;
};

bool read_header_steps(png_structp png, png_infop info, std::FILE* f, Header* h) {
  if (setjmp(png_jmpbuf(png))) return false;
  png_init_io(png, f);
  png_read_info(png, info);
  png_set_expand(png);  // palette -> RGB, gray < 8 bits -> 8, tRNS -> alpha
  png_set_strip_16(png);
  png_set_gray_to_rgb(png);
  png_set_interlace_handling(png);
  png_read_update_info(png, info);
  h->width = png_get_image_width(png, info);
  h->height = png_get_image_height(png, info);
  h->channels = png_get_channels(png, info);
  return true;
}

bool read_rows_steps(png_structp png, png_infop info, png_bytepp rows) {
  if (setjmp(png_jmpbuf(png))) return false;
  png_read_image(png, rows);
  png_read_end(png, info);
  return true;
}

struct ReadStruct {
  png_structp png = nullptr;
  png_infop info = nullptr;
  ~ReadStruct() { png_destroy_read_struct(&png, info ? &info : nullptr, nullptr); }
};

std::vector<png_bytep> row_pointers(const Array& pixels) {
  std::vector<png_bytep> rows(static_cast<std::size_t>(pixels.dim(0)));
  const std::int64_t row_bytes = pixels.dim(1) * pixels.dim(2);
  for (std::size_t i = 0; i < rows.size(); ++i)
    rows[i] = pixels.data_as<std::uint8_t>() + static_cast<std::int64_t>(i) * row_bytes;
  return rows;
}

}  // namespace

void write_png(const std::string& path, const Array& pixels) {
  if (pixels.ndim() != 3 || pixels.dtype() != DType::UInt8 ||
      (pixels.dim(2) != 3 && pixels.dim(2) != 4))
    throw Error("expected uint8 pixels of shape (h, w, 3) or (h, w, 4), got a " +
                std::string(dtype_name(pixels.dtype())) + " array of shape " +
                format_shape(pixels.shape()));
  if (pixels.dim(0) < 1 || pixels.dim(1) < 1 || pixels.dim(0) > 0x7fffffff ||
      pixels.dim(1) > 0x7fffffff)
    throw Error("cannot write a picture of shape " + format_shape(pixels.shape()) +
                " (PNG needs 1 to 2^31 - 1 rows and columns)");
  const Array c = contiguous_pixels(pixels);
  std::vector<png_bytep> rows = row_pointers(c);
  File f(std::fopen(path.c_str(), "wb"));
  if (!f) throw Error("cannot open '" + path + "' for writing: " + std::strerror(errno));
  Message m{"out of memory"};
  WriteStruct w;
  w.png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &m, on_error, on_warning);
  if (w.png) w.info = png_create_info_struct(w.png);
  bool ok =
      w.png && w.info &&
      write_steps(w.png, w.info, f.get(), static_cast<std::uint32_t>(c.dim(1)),
                  static_cast<std::uint32_t>(c.dim(0)), static_cast<int>(c.dim(2)), rows.data());
  if (ok && std::fflush(f.get()) != 0) {
    std::snprintf(m.text, sizeof m.text, "%s", std::strerror(errno));
    ok = false;
  }
  if (std::fclose(f.release()) != 0 && ok) {
    std::snprintf(m.text, sizeof m.text, "%s", std::strerror(errno));
    ok = false;
  }
  if (!ok) {
    std::remove(path.c_str());
    throw Error("cannot write PNG '" + path + "': " + m.text);
  }
}

Array read_png(Context& ctx, const std::string& path) {
  File f(std::fopen(path.c_str(), "rb"));
  if (!f) throw Error("cannot open '" + path + "': " + std::strerror(errno));
  unsigned char sig[8] = {};
  if (std::fread(sig, 1, 8, f.get()) != 8 || png_sig_cmp(sig, 0, 8) != 0)
    throw Error("'" + path + "' is not a PNG file");
  Message m{"out of memory"};
  ReadStruct r;
  r.png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &m, on_error, on_warning);
  if (r.png) r.info = png_create_info_struct(r.png);
  if (!r.png || !r.info) throw Error("cannot read PNG '" + path + "': " + m.text);
  png_set_sig_bytes(r.png, 8);
  Header h;
  if (!read_header_steps(r.png, r.info, f.get(), &h))
    throw Error("cannot read PNG '" + path + "': " + m.text);
  if (h.channels != 3 && h.channels != 4)
    throw Error("cannot read PNG '" + path + "': unexpected " + std::to_string(h.channels) +
                " channels");
  Array out = Array::empty(DType::UInt8, Dims{h.height, h.width, h.channels}, ctx.account);
  std::vector<png_bytep> rows = row_pointers(out);
  if (!read_rows_steps(r.png, r.info, rows.data()))
    throw Error("cannot read PNG '" + path + "': " + m.text);
  return out;
}

}  // namespace tessera::image
