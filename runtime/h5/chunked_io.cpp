#include "chunked_io.hpp"

#include <libdeflate.h>

#include <atomic>
#include <cstring>
#include <vector>

#include "types.hpp"

namespace tessera::h5 {

namespace {

struct Layout {
  int rank = 0;
  hsize_t shape[kMaxDims] = {}, chunk[kMaxDims] = {}, grid[kMaxDims] = {};
  std::int64_t nchunks = 0;
  std::size_t itemsize = 0, chunk_bytes = 0;
  bool shuffle = false;  // shuffle comes before deflate in the pipeline
  int level = 4;
  alignas(8) unsigned char fill[16] = {};  // the fill value, for chunks never written
};

// The dataset's layout when the fast path applies: chunked, filters exactly
// deflate or shuffle + deflate, file type equal to the array's memory type.
bool plan(hid_t ds, const Array& a, Layout& L) {
  Handle dcpl(H5Dget_create_plist(ds), H5Pclose);
  if (!dcpl || H5Pget_layout(dcpl.get()) != H5D_CHUNKED) return false;
  int n = H5Pget_nfilters(dcpl.get());
  if (n < 1 || n > 2) return false;
  for (int i = 0; i < n; ++i) {
    unsigned flags = 0, cd[8] = {};
    std::size_t ncd = 8;
    H5Z_filter_t f = H5Pget_filter2(dcpl.get(), unsigned(i), &flags, &ncd, cd, 0, nullptr, nullptr);
    if (n == 2 && i == 0) {
      if (f != H5Z_FILTER_SHUFFLE) return false;
      L.shuffle = true;
    } else {
      if (f != H5Z_FILTER_DEFLATE) return false;
      L.level = ncd > 0 ? int(cd[0]) : 4;
    }
  }
  if (a.dtype() == DType::Bool) return false;
  Handle ft(H5Dget_type(ds), H5Tclose);
  Handle mt = memory_type(a.dtype());
  if (!ft || H5Tequal(ft.get(), mt.get()) <= 0) return false;
  Handle sp(H5Dget_space(ds), H5Sclose);
  L.rank = H5Sget_simple_extent_ndims(sp.get());
  if (L.rank < 1 || L.rank != a.ndim()) return false;
  H5Sget_simple_extent_dims(sp.get(), L.shape, nullptr);
  H5D_fill_value_t defined = H5D_FILL_VALUE_UNDEFINED;
  if (H5Pfill_value_defined(dcpl.get(), &defined) >= 0 && defined == H5D_FILL_VALUE_USER_DEFINED)
    H5Pget_fill_value(dcpl.get(), mt.get(), L.fill);
  if (H5Pget_chunk(dcpl.get(), L.rank, L.chunk) != L.rank) return false;
  L.itemsize = a.itemsize();
  L.chunk_bytes = L.itemsize;
  L.nchunks = 1;
  for (int d = 0; d < L.rank; ++d) {
    if (static_cast<std::int64_t>(L.shape[d]) != a.dim(d)) return false;
    L.grid[d] = (L.shape[d] + L.chunk[d] - 1) / L.chunk[d];
    L.nchunks *= static_cast<std::int64_t>(L.grid[d]);
    L.chunk_bytes *= L.chunk[d];
  }
  H5Eclear2(H5E_DEFAULT);
  return L.nchunks > 0;
}

// Chunk number k's offset (in elements) per dimension.
void chunk_offset(const Layout& L, std::int64_t k, hsize_t* off) {
  for (int d = L.rank - 1; d >= 0; --d) {
    off[d] = static_cast<hsize_t>(k % static_cast<std::int64_t>(L.grid[d])) * L.chunk[d];
    k /= static_cast<std::int64_t>(L.grid[d]);
  }
}

// Copies between the array (row-major, dataset shape) and a chunk buffer
// (row-major, chunk shape): the part of the chunk inside the dataset.
template <bool ToChunk>
void copy_chunk(const Layout& L, const hsize_t* off, char* array, char* chunk) {
  const int r = L.rank;
  hsize_t extent[kMaxDims];
  for (int d = 0; d < r; ++d) extent[d] = std::min(L.chunk[d], L.shape[d] - off[d]);
  std::size_t row = extent[r - 1] * L.itemsize;
  hsize_t idx[kMaxDims] = {};
  for (;;) {
    std::size_t a_off = 0, c_off = 0;
    for (int d = 0; d < r; ++d) {
      a_off = a_off * L.shape[d] + off[d] + idx[d];
      c_off = c_off * L.chunk[d] + idx[d];
    }
    a_off *= L.itemsize;
    c_off *= L.itemsize;
    if (ToChunk) std::memcpy(chunk + c_off, array + a_off, row);
    else std::memcpy(array + a_off, chunk + c_off, row);
    int d = r - 2;
    for (; d >= 0; --d) {
      if (++idx[d] < extent[d]) break;
      idx[d] = 0;
    }
    if (d < 0) return;
  }
}

bool partial(const Layout& L, const hsize_t* off) {
  for (int d = 0; d < L.rank; ++d)
    if (off[d] + L.chunk[d] > L.shape[d]) return true;
  return false;
}

// HDF5's shuffle filter: byte j of element i goes to j * n + i.
void shuffle(const char* in, char* out, std::size_t nbytes, std::size_t size) {
  std::size_t n = nbytes / size;
  for (std::size_t j = 0; j < size; ++j) {
    char* o = out + j * n;
    const char* p = in + j;
    for (std::size_t i = 0; i < n; ++i) o[i] = p[i * size];
  }
  std::memcpy(out + n * size, in + n * size, nbytes - n * size);
}

void unshuffle(const char* in, char* out, std::size_t nbytes, std::size_t size) {
  std::size_t n = nbytes / size;
  for (std::size_t j = 0; j < size; ++j) {
    const char* p = in + j * n;
    char* o = out + j;
    for (std::size_t i = 0; i < n; ++i) o[i * size] = p[i];
  }
  std::memcpy(out + n * size, in + n * size, nbytes - n * size);
}

// Chunks per batch: enough work for the threads, bounded memory (~64 MiB raw).
std::int64_t batch_size(const Layout& L, const Context& ctx) {
  std::int64_t by_memory =
      std::max<std::int64_t>(1, (std::int64_t{64} << 20) / std::int64_t(L.chunk_bytes));
  std::int64_t by_threads = std::int64_t(ctx.parallel.threads()) * 16;
  return std::max<std::int64_t>(1, std::min(by_memory, std::max<std::int64_t>(by_threads, 8)));
}

}  // namespace

bool write_chunks_parallel(Context& ctx, hid_t ds, const Array& a) {
  if (!a.is_contiguous()) return false;
  Layout L;
  if (!plan(ds, a, L)) return false;
  const std::int64_t batch = batch_size(L, ctx);
  std::vector<std::vector<char>> out(static_cast<std::size_t>(batch));
  std::vector<std::size_t> sizes(static_cast<std::size_t>(batch));
  std::atomic<bool> failed{false};
  char* base = static_cast<char*>(a.data());
  for (std::int64_t first = 0; first < L.nchunks; first += batch) {
    std::int64_t count = std::min(batch, L.nchunks - first);
    auto body = [&](std::int64_t b, std::int64_t e) {
      libdeflate_compressor* z = libdeflate_alloc_compressor(L.level);
      if (!z) {
        failed = true;
        return;
      }
      const std::size_t bound = libdeflate_zlib_compress_bound(z, L.chunk_bytes);
      std::vector<char> raw(L.chunk_bytes), shuffled(L.shuffle ? L.chunk_bytes : 0);
      for (std::int64_t i = b; i < e; ++i) {
        hsize_t off[kMaxDims];
        chunk_offset(L, first + i, off);
        if (partial(L, off)) std::memset(raw.data(), 0, L.chunk_bytes);
        copy_chunk<true>(L, off, base, raw.data());
        const char* src = raw.data();
        if (L.shuffle) {
          shuffle(raw.data(), shuffled.data(), L.chunk_bytes, L.itemsize);
          src = shuffled.data();
        }
        auto& buf = out[static_cast<std::size_t>(i)];
        buf.resize(bound);
        std::size_t len = libdeflate_zlib_compress(z, src, L.chunk_bytes, buf.data(), bound);
        if (len == 0) failed = true;
        sizes[static_cast<std::size_t>(i)] = len;
      }
      libdeflate_free_compressor(z);
    };
    ctx.parallel.for_range(count, 1, body);
    if (failed) throw Error("deflate failed while compressing a chunk (out of memory?)");
    for (std::int64_t i = 0; i < count; ++i) {
      hsize_t off[kMaxDims];
      chunk_offset(L, first + i, off);
      if (H5Dwrite_chunk(ds, H5P_DEFAULT, 0, off, sizes[static_cast<std::size_t>(i)],
                         out[static_cast<std::size_t>(i)].data()) < 0)
        fail("cannot write a chunk");
    }
  }
  return true;
}

bool read_chunks_parallel(Context& ctx, hid_t ds, const Array& outa) {
  if (!outa.is_contiguous()) return false;
  Layout L;
  if (!plan(ds, outa, L)) return false;
  const std::int64_t batch = batch_size(L, ctx);
  // Every chunk must be stored (h5py allocates them all at creation).
  std::vector<std::vector<char>> raw(static_cast<std::size_t>(batch));
  std::vector<hsize_t> sizes(static_cast<std::size_t>(batch));
  std::vector<uint32_t> masks(static_cast<std::size_t>(batch));
  std::atomic<bool> failed{false};
  char* base = static_cast<char*>(outa.data());
  for (std::int64_t first = 0; first < L.nchunks; first += batch) {
    std::int64_t count = std::min(batch, L.nchunks - first);
    for (std::int64_t i = 0; i < count; ++i) {
      hsize_t off[kMaxDims];
      chunk_offset(L, first + i, off);
      hsize_t size = 0;
      haddr_t addr = HADDR_UNDEF;
      unsigned fmask = 0;
      if (H5Dget_chunk_info_by_coord(ds, off, &fmask, &addr, &size) < 0)
        fail("cannot find a chunk");
      if (addr == HADDR_UNDEF) size = 0;
      auto& buf = raw[static_cast<std::size_t>(i)];
      buf.resize(size);
      sizes[static_cast<std::size_t>(i)] = size;
      if (size == 0) continue;  // never written: the fill value
      if (H5Dread_chunk(ds, H5P_DEFAULT, off, &masks[static_cast<std::size_t>(i)], buf.data()) < 0)
        fail("cannot read a chunk");
    }
    auto body = [&](std::int64_t b, std::int64_t e) {
      libdeflate_decompressor* z = libdeflate_alloc_decompressor();
      if (!z) {
        failed = true;
        return;
      }
      std::vector<char> plain(L.chunk_bytes), unshuffled(L.shuffle ? L.chunk_bytes : 0);
      for (std::int64_t i = b; i < e; ++i) {
        uint32_t mask = masks[static_cast<std::size_t>(i)];
        const auto& buf = raw[static_cast<std::size_t>(i)];
        if (buf.empty()) {
          for (std::size_t p = 0; p < L.chunk_bytes; p += L.itemsize)
            std::memcpy(plain.data() + p, L.fill, L.itemsize);
          hsize_t off[kMaxDims];
          chunk_offset(L, first + i, off);
          copy_chunk<false>(L, off, base, plain.data());
          continue;
        }
        bool deflated = !(mask & (L.shuffle ? 2u : 1u));
        bool shuffled = L.shuffle && !(mask & 1u);
        const char* data = buf.data();
        if (deflated) {
          std::size_t len = 0;
          if (libdeflate_zlib_decompress(z, buf.data(), sizes[static_cast<std::size_t>(i)],
                                         plain.data(), L.chunk_bytes, &len) != LIBDEFLATE_SUCCESS ||
              len != L.chunk_bytes) {
            failed = true;
            continue;
          }
          data = plain.data();
        } else if (buf.size() != L.chunk_bytes) {
          failed = true;
          continue;
        }
        if (shuffled) {
          unshuffle(data, unshuffled.data(), L.chunk_bytes, L.itemsize);
          data = unshuffled.data();
        }
        hsize_t off[kMaxDims];
        chunk_offset(L, first + i, off);
        copy_chunk<false>(L, off, base, const_cast<char*>(data));
      }
      libdeflate_free_decompressor(z);
    };
    ctx.parallel.for_range(count, 1, body);
    if (failed) throw Error("a chunk is corrupt (inflate failed or gave the wrong size)");
  }
  return true;
}

}  // namespace tessera::h5
