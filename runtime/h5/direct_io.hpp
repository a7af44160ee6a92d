// Large reads of contiguous datasets stored without type conversion go
// straight from the file into the array: HDF5 gives the data's file offset
// and descriptor (sec2 driver), and the runtime's threads pread pieces in
// parallel (system calls only; no HDF5 call leaves the calling thread).
// Files are opened with HDF5's sieve buffer off, so HDF5 never holds dirty
// raw data of contiguous datasets that such a read would miss. Anything else
// returns false and is left to HDF5. (Writes stay with HDF5: buffered writes
// to one file serialise in the kernel, so parallel pwrite gains nothing.)
#pragma once

#include <cstdint>

#include "../array.hpp"
#include "../context.hpp"
#include "core.hpp"

namespace tessera::h5 {

// Reads `nbytes` of ds's raw data starting `skip` bytes in, into dst.
bool read_contiguous_direct(Context& ctx, hid_t ds, DType dtype, std::int64_t skip,
                            std::int64_t nbytes, void* dst);

}  // namespace tessera::h5
