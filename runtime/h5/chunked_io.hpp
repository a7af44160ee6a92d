// Parallel compression for whole-dataset reads and writes of gzip-chunked
// datasets (with or without shuffle): the chunks' bytes move with HDF5's
// direct chunk calls (H5Dwrite_chunk / H5Dread_chunk) on the calling thread,
// while deflate, inflate and (un)shuffling run on the runtime's TBB threads,
// which never call HDF5. Compression uses libdeflate (zlib-format streams,
// as HDF5's deflate filter writes and reads them, several times faster than
// zlib), so files are interchangeable with HDF5's own filters.
// Other layouts, filters, type conversions and partial selections are left
// to HDF5 (the functions return false).
#pragma once

#include "../array.hpp"
#include "../context.hpp"
#include "core.hpp"

namespace tessera::h5 {

// Writes the C-contiguous array a (whose dtype is stored without conversion)
// as the whole of dataset ds. False when the fast path does not apply.
bool write_chunks_parallel(Context& ctx, hid_t ds, const Array& a);
// Reads the whole of ds into the C-contiguous array out (of the dataset's
// shape, in a dtype stored without conversion). False when it does not apply.
bool read_chunks_parallel(Context& ctx, hid_t ds, const Array& out);

}  // namespace tessera::h5
