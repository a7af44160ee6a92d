#include "core.hpp"

#include <dlfcn.h>

#include <mutex>
#include <string>

namespace tessera::h5 {

namespace {

// Debian 12's hdf5-plugin-lzf does not link liblzf (lzf_compress and
// lzf_decompress stay undefined), so HDF5 can load the plugin only when
// liblzf's symbols are already global in the process. Loading liblzf.so.1
// (package liblzf1) once makes h5py's lzf datasets readable; when it is
// missing nothing changes and reading such data reports the missing filter.
void preload_plugin_dependencies() {
  static std::once_flag once;
  std::call_once(once, [] { (void)dlopen("liblzf.so.1", RTLD_LAZY | RTLD_GLOBAL); });
}

}  // namespace

void init_thread() {
  thread_local bool done = false;
  if (done) return;
  preload_plugin_dependencies();
  H5open();
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  done = true;
}

namespace {

struct Walk {
  std::string outer, inner;
  int count = 0;
};

herr_t walk(unsigned n, const H5E_error2_t* e, void* data) {
  auto* w = static_cast<Walk*>(data);
  const char* desc = e->desc && e->desc[0] ? e->desc : nullptr;
  if (!desc) return 0;
  if (n == 0 || w->count == 0) w->outer = desc;
  w->inner = desc;
  ++w->count;
  return 0;
}

}  // namespace

std::string take_stack_message() {
  init_thread();
  Walk w;
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, walk, &w);
  H5Eclear2(H5E_DEFAULT);
  if (w.count == 0) return {};
  if (w.count == 1 || w.inner.compare(0, w.outer.size(), w.outer) == 0) return w.inner;
  return w.outer + ": " + w.inner;
}

void fail(const std::string& context) {
  std::string hdf5 = take_stack_message();
  if (hdf5.empty()) throw Error(context);
  throw Error(context + " (HDF5: " + hdf5 + ")");
}

void Handle::reset() {
  if (id_ >= 0 && close_) close_(id_);
  id_ = H5I_INVALID_HID;
}

}  // namespace tessera::h5
