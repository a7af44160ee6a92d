#include "direct_io.hpp"

#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>

#include "types.hpp"

namespace tessera::h5 {

namespace {

constexpr std::int64_t kMinBytes = std::int64_t{8} << 20;  // smaller I/O: HDF5 as usual
constexpr std::int64_t kPiece = std::int64_t{16} << 20;    // bytes per parallel piece

// The raw data's file offset and the file descriptor, when ds is contiguous,
// allocated, stored as dtype's memory type, in a sec2 file without a user block.
bool locate(hid_t ds, DType dtype, std::int64_t& offset, int& fd, std::int64_t& size) {
  if (dtype == DType::Bool) return false;
  Handle dcpl(H5Dget_create_plist(ds), H5Pclose);
  if (!dcpl || H5Pget_layout(dcpl.get()) != H5D_CONTIGUOUS ||
      H5Pget_external_count(dcpl.get()) != 0)
    return false;
  Handle ft(H5Dget_type(ds), H5Tclose);
  Handle mt = memory_type(dtype);
  if (!ft || H5Tequal(ft.get(), mt.get()) <= 0) return false;
  haddr_t addr = H5Dget_offset(ds);
  H5Eclear2(H5E_DEFAULT);
  if (addr == HADDR_UNDEF) return false;
  Handle file(H5Iget_file_id(ds), H5Fclose);
  if (!file) return false;
  Handle fapl(H5Fget_access_plist(file.get()), H5Pclose);
  Handle fcpl(H5Fget_create_plist(file.get()), H5Pclose);
  hsize_t userblock = 0;
  if (!fapl || !fcpl || H5Pget_driver(fapl.get()) != H5FD_SEC2 ||
      H5Pget_userblock(fcpl.get(), &userblock) < 0 || userblock != 0)
    return false;
  void* handle = nullptr;
  if (H5Fget_vfd_handle(file.get(), H5P_DEFAULT, &handle) < 0 || !handle) return false;
  fd = *static_cast<int*>(handle);
  offset = static_cast<std::int64_t>(addr);
  size = static_cast<std::int64_t>(H5Dget_storage_size(ds));
  H5Eclear2(H5E_DEFAULT);
  return true;
}

// pread of [0, nbytes) at file offset `at`, in parallel pieces.
void transfer(Context& ctx, int fd, std::int64_t at, std::int64_t nbytes, char* buf) {
  std::atomic<int> error{0};
  std::int64_t pieces = (nbytes + kPiece - 1) / kPiece;
  auto body = [&](std::int64_t b, std::int64_t e) {
    for (std::int64_t p = b; p < e && !error; ++p) {
      std::int64_t from = p * kPiece, to = std::min(nbytes, from + kPiece);
      while (from < to) {
        ssize_t n = ::pread(fd, buf + from, static_cast<std::size_t>(to - from), at + from);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
          error = n < 0 ? errno : EIO;
          break;
        }
        from += n;
      }
    }
  };
  ctx.parallel.for_range(pieces, 1, body);
  if (error) throw Error(std::string("cannot read raw data: ") + std::strerror(error));
}

}  // namespace

bool read_contiguous_direct(Context& ctx, hid_t ds, DType dtype, std::int64_t skip,
                            std::int64_t nbytes, void* dst) {
  if (nbytes < kMinBytes) return false;
  std::int64_t offset = 0, size = 0;
  int fd = -1;
  if (!locate(ds, dtype, offset, fd, size) || skip + nbytes > size) return false;
  transfer(ctx, fd, offset + skip, nbytes, static_cast<char*>(dst));
  return true;
}

}  // namespace tessera::h5
