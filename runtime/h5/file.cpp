#include "file.hpp"

#include <sys/stat.h>

#include <algorithm>

namespace tessera::h5 {

FileState::~FileState() { close(); }

void FileState::close() {
  std::lock_guard<std::mutex> lock(io);
  if (!open) return;
  init_thread();
  hid_t f = file.get();
  unsigned types =
      H5F_OBJ_DATASET | H5F_OBJ_GROUP | H5F_OBJ_DATATYPE | H5F_OBJ_ATTR | H5F_OBJ_LOCAL;
  ssize_t n = H5Fget_obj_count(f, types);
  if (n > 0) {
    std::vector<hid_t> ids(static_cast<std::size_t>(n));
    n = H5Fget_obj_ids(f, types, ids.size(), ids.data());
    for (ssize_t i = 0; i < n; ++i) {
      switch (H5Iget_type(ids[i])) {
        case H5I_GROUP: H5Gclose(ids[i]); break;
        case H5I_DATASET: H5Dclose(ids[i]); break;
        case H5I_DATATYPE: H5Tclose(ids[i]); break;
        case H5I_ATTR: H5Aclose(ids[i]); break;
        default: break;
      }
    }
  }
  file.reset();
  H5Eclear2(H5E_DEFAULT);
  open = false;
}

Object::Object(std::shared_ptr<FileState> file, hid_t id, ObjectKind kind, std::string name)
    : file_(std::move(file)), id_(id), kind_(kind), name_(std::move(name)) {}

Object::~Object() { close(); }

hid_t Object::id() const {
  if (!file_ || !file_->open) throw Error("file has been closed");
  if (id_ < 0)
    throw Error(std::string(kind_ == ObjectKind::Dataset ? "dataset '" : "group '") + name_ +
                "' has been closed");
  return id_;
}

void Object::close() {
  if (id_ < 0) return;
  if (file_ && file_->open) {
    std::lock_guard<std::mutex> lock(file_->io);
    if (file_->open) {
      init_thread();
      H5Oclose(id_);
    }
  }
  id_ = H5I_INVALID_HID;
}

namespace {

bool file_exists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

std::string object_name(hid_t id) {
  ssize_t n = H5Iget_name(id, nullptr, 0);
  if (n <= 0) return "/";
  std::string s(static_cast<std::size_t>(n), '\0');
  H5Iget_name(id, s.data(), s.size() + 1);
  return s;
}

std::string quoted(const std::string& s) { return "'" + s + "'"; }

}  // namespace

std::shared_ptr<FileState> open_file(const std::string& path, const std::string& mode) {
  init_thread();
  auto state = std::make_shared<FileState>();
  state->path = path;
  state->mode = mode;
  // h5py's default: the earliest file format, so older readers can open it.
  Handle fapl = plist(H5Pcreate(H5P_FILE_ACCESS), "cannot make a file access list");
  // No sieve buffer: HDF5 then keeps no raw data of contiguous datasets that
  // direct reads and writes (direct_io.hpp) could make stale.
  check(H5Pset_sieve_buf_size(fapl.get(), 0), "cannot set the sieve buffer");
  hid_t id = H5I_INVALID_HID;
  std::string what;
  if (mode == "r") {
    what = "cannot open " + quoted(path) + " for reading";
    id = H5Fopen(path.c_str(), H5F_ACC_RDONLY, fapl.get());
  } else if (mode == "r+") {
    what = "cannot open " + quoted(path) + " for reading and writing";
    id = H5Fopen(path.c_str(), H5F_ACC_RDWR, fapl.get());
  } else if (mode == "w") {
    what = "cannot create " + quoted(path);
    id = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, fapl.get());
  } else if (mode == "x" || mode == "w-") {
    what = "cannot create " + quoted(path) + " (mode 'x' requires that it does not exist)";
    if (file_exists(path)) throw Error(what.substr(0, what.find(" (")) + ": file exists");
    id = H5Fcreate(path.c_str(), H5F_ACC_EXCL, H5P_DEFAULT, fapl.get());
  } else if (mode == "a") {
    if (file_exists(path)) {
      what = "cannot open " + quoted(path) + " for appending";
      id = H5Fopen(path.c_str(), H5F_ACC_RDWR, fapl.get());
    } else {
      what = "cannot create " + quoted(path);
      id = H5Fcreate(path.c_str(), H5F_ACC_EXCL, H5P_DEFAULT, fapl.get());
    }
  } else {
    throw Error("unknown mode '" + mode + "' (expected 'r', 'r+', 'w', 'x' or 'a')");
  }
  if (id < 0) fail(what);
  state->file = Handle(id, H5Fclose);
  state->writable = mode != "r";
  state->open = true;
  return state;
}

std::shared_ptr<Object> root(const std::shared_ptr<FileState>& file) {
  if (!file->open) throw Error("file has been closed");
  init_thread();
  hid_t g = check(H5Gopen2(file->file.get(), "/", H5P_DEFAULT), "cannot open the root group");
  return std::make_shared<Object>(file, g, ObjectKind::Group, "/");
}

Handle intermediate_lcpl() {
  Handle lcpl = plist(H5Pcreate(H5P_LINK_CREATE), "cannot make a link creation list");
  check(H5Pset_create_intermediate_group(lcpl.get(), 1), "cannot set intermediate groups");
  check(H5Pset_char_encoding(lcpl.get(), H5T_CSET_UTF8), "cannot set the name encoding");
  return lcpl;
}

std::shared_ptr<Object> create_group(const Object& loc, const std::string& path) {
  hid_t l = loc.id();
  init_thread();
  Handle lcpl = intermediate_lcpl();
  hid_t g = H5Gcreate2(l, path.c_str(), lcpl.get(), H5P_DEFAULT, H5P_DEFAULT);
  if (g < 0) fail("cannot create group " + quoted(path));
  return std::make_shared<Object>(loc.file(), g, ObjectKind::Group, object_name(g));
}

std::shared_ptr<Object> open_object(const Object& loc, const std::string& path) {
  hid_t l = loc.id();
  init_thread();
  hid_t o = H5Oopen(l, path.c_str(), H5P_DEFAULT);
  if (o < 0) fail("no object " + quoted(path) + " in " + quoted(loc.name()));
  H5I_type_t t = H5Iget_type(o);
  if (t == H5I_GROUP)
    return std::make_shared<Object>(loc.file(), o, ObjectKind::Group, object_name(o));
  if (t == H5I_DATASET)
    return std::make_shared<Object>(loc.file(), o, ObjectKind::Dataset, object_name(o));
  H5Oclose(o);
  throw Error(quoted(path) + " is neither a group nor a dataset (a committed datatype?)");
}

bool exists(const Object& loc, const std::string& path) {
  hid_t l = loc.id();
  init_thread();
  if (path.empty()) return false;
  if (path == "/" || path == ".") return true;
  // Every prefix must exist as a link before H5Oexists_by_name may be asked.
  std::size_t pos = path[0] == '/' ? 1 : 0;
  while (pos <= path.size()) {
    std::size_t next = path.find('/', pos);
    if (next == std::string::npos) next = path.size();
    if (next > pos) {
      std::string prefix = path.substr(0, next);
      htri_t r = H5Lexists(l, prefix.c_str(), H5P_DEFAULT);
      if (r <= 0) {
        H5Eclear2(H5E_DEFAULT);
        return false;
      }
      r = H5Oexists_by_name(l, prefix.c_str(), H5P_DEFAULT);
      if (r <= 0) {
        H5Eclear2(H5E_DEFAULT);
        return false;
      }
    }
    pos = next + 1;
  }
  return true;
}

ObjectKind kind_of(const Object& loc, const std::string& path) {
  hid_t l = loc.id();
  init_thread();
  H5O_info_t info;
  if (H5Oget_info_by_name2(l, path.c_str(), &info, H5O_INFO_BASIC, H5P_DEFAULT) < 0)
    fail("no object " + quoted(path) + " in " + quoted(loc.name()));
  if (info.type == H5O_TYPE_GROUP) return ObjectKind::Group;
  if (info.type == H5O_TYPE_DATASET) return ObjectKind::Dataset;
  throw Error(quoted(path) + " is neither a group nor a dataset");
}

namespace {

herr_t collect_name(hid_t, const char* name, const H5L_info_t*, void* data) {
  static_cast<std::vector<std::string>*>(data)->emplace_back(name);
  return 0;
}

herr_t collect_dataset(hid_t, const char* name, const H5O_info_t* info, void* data) {
  if (info->type == H5O_TYPE_DATASET)
    static_cast<std::vector<std::string>*>(data)->emplace_back(name);
  return 0;
}

}  // namespace

std::vector<std::string> keys(const Object& loc) {
  hid_t l = loc.id();
  init_thread();
  std::vector<std::string> names;
  if (H5Literate(l, H5_INDEX_NAME, H5_ITER_INC, nullptr, collect_name, &names) < 0)
    fail("cannot list the members of " + quoted(loc.name()));
  std::sort(names.begin(), names.end());
  return names;
}

void remove(const Object& loc, const std::string& path) {
  hid_t l = loc.id();
  init_thread();
  if (H5Ldelete(l, path.c_str(), H5P_DEFAULT) < 0)
    fail("cannot delete " + quoted(path) + " from " + quoted(loc.name()));
}

void move(const Object& loc, const std::string& from, const std::string& to) {
  hid_t l = loc.id();
  init_thread();
  Handle lcpl = intermediate_lcpl();
  if (H5Lmove(l, from.c_str(), l, to.c_str(), lcpl.get(), H5P_DEFAULT) < 0)
    fail("cannot move " + quoted(from) + " to " + quoted(to));
}

std::vector<std::string> dataset_paths(const Object& loc) {
  hid_t l = loc.id();
  init_thread();
  std::vector<std::string> names;
  if (H5Ovisit2(l, H5_INDEX_NAME, H5_ITER_INC, collect_dataset, &names, H5O_INFO_BASIC) < 0)
    fail("cannot walk the objects below " + quoted(loc.name()));
  return names;
}

void flush(const Object& loc) {
  hid_t l = loc.id();
  init_thread();
  check(H5Fflush(l, H5F_SCOPE_GLOBAL), "cannot flush " + quoted(loc.file()->path));
}

}  // namespace tessera::h5
