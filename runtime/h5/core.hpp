// The base of the HDF5 wrapper: errors that carry HDF5's own message, and
// RAII handles for HDF5 identifiers. No Lua here.
//
// HDF5 calls happen only on the thread that owns a Lua state or on the one
// I/O thread (io_thread.hpp), never inside TBB workers: Debian's libhdf5 is
// the thread-safe build, which serialises every call under one global lock.
// Its error-reporting settings are per thread, so every entry point calls
// init_thread() first; that turns off the automatic printing of the error
// stack to stderr, and failures are reported as exceptions instead.
#pragma once

#include <hdf5.h>

#include <string>
#include <utility>

#include "../errors.hpp"

namespace tessera::h5 {

// An HDF5 failure. what() is "<context> (HDF5: <outermost message>: <innermost
// message>)", e.g. "cannot open 'x.h5' (HDF5: unable to open file: ... No such
// file or directory ...)".
class Error : public tessera::Error {
 public:
  using tessera::Error::Error;
};

// Turns off HDF5's automatic error printing for the calling thread (cheap
// after the first call on a thread).
void init_thread();

// The messages on the calling thread's HDF5 error stack, outermost and
// innermost ("unable to open file: file signature not found"), or "" when the
// stack is empty. Clears the stack.
std::string take_stack_message();

// Throws Error(context + HDF5's messages), clearing the stack.
[[noreturn]] void fail(const std::string& context);

template <class T>
T check(T status, const std::string& context) {
  if (status < 0) fail(context);
  return status;
}

// Owns one identifier and closes it with the function it was given.
class Handle {
 public:
  using Closer = herr_t (*)(hid_t);
  Handle() = default;
  Handle(hid_t id, Closer close) : id_(id), close_(close) {}
  Handle(Handle&& o) noexcept : id_(std::exchange(o.id_, H5I_INVALID_HID)), close_(o.close_) {}
  Handle& operator=(Handle&& o) noexcept {
    if (this != &o) {
      reset();
      id_ = std::exchange(o.id_, H5I_INVALID_HID);
      close_ = o.close_;
    }
    return *this;
  }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  ~Handle() { reset(); }

  hid_t get() const { return id_; }
  bool valid() const { return id_ >= 0; }
  explicit operator bool() const { return valid(); }
  void reset();
  hid_t release() { return std::exchange(id_, H5I_INVALID_HID); }

 private:
  hid_t id_ = H5I_INVALID_HID;
  Closer close_ = nullptr;
};

// Checked constructors: the id, or Error(context + HDF5's message).
inline Handle space(hid_t id, const std::string& context) { return {check(id, context), H5Sclose}; }
inline Handle type(hid_t id, const std::string& context) { return {check(id, context), H5Tclose}; }
inline Handle plist(hid_t id, const std::string& context) { return {check(id, context), H5Pclose}; }
inline Handle attr(hid_t id, const std::string& context) { return {check(id, context), H5Aclose}; }

}  // namespace tessera::h5
