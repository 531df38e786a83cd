#include "net/curl_library.hpp"

#include <dlfcn.h>
#include <mutex>
#include <optional>
#include <string>

namespace getmesh::net {

namespace {

template <typename Function>
bool resolve(void* handle, const char* symbol, Function& target) {
  void* address = ::dlsym(handle, symbol);
  if (address == nullptr) return false;
  target = reinterpret_cast<Function>(address);  // NOLINT: dlsym returns untyped addresses
  return true;
}

Result<const CurlLibrary*> load() {
  static CurlLibrary library;
  void* handle = nullptr;
  for (const char* soname : {"libcurl.so.4", "libcurl.so"}) {
    handle = ::dlopen(soname, RTLD_NOW | RTLD_LOCAL);
    if (handle != nullptr) break;
  }
  if (handle == nullptr) {
    const char* reason = ::dlerror();
    return runtime_error(std::string("cannot load libcurl: ") + (reason ? reason : "not found"),
                         "install the libcurl4 package (apt-get install libcurl4)");
  }
  const bool complete = resolve(handle, "curl_global_init", library.global_init) &&
                        resolve(handle, "curl_easy_init", library.easy_init) &&
                        resolve(handle, "curl_easy_setopt", library.easy_setopt) &&
                        resolve(handle, "curl_easy_perform", library.easy_perform) &&
                        resolve(handle, "curl_easy_getinfo", library.easy_getinfo) &&
                        resolve(handle, "curl_easy_cleanup", library.easy_cleanup) &&
                        resolve(handle, "curl_easy_strerror", library.easy_strerror) &&
                        resolve(handle, "curl_easy_pause", library.easy_pause) &&
                        resolve(handle, "curl_slist_append", library.slist_append) &&
                        resolve(handle, "curl_slist_free_all", library.slist_free_all) &&
                        resolve(handle, "curl_multi_init", library.multi_init) &&
                        resolve(handle, "curl_multi_add_handle", library.multi_add_handle) &&
                        resolve(handle, "curl_multi_remove_handle", library.multi_remove_handle) &&
                        resolve(handle, "curl_multi_perform", library.multi_perform) &&
                        resolve(handle, "curl_multi_poll", library.multi_poll) &&
                        resolve(handle, "curl_multi_info_read", library.multi_info_read) &&
                        resolve(handle, "curl_multi_cleanup", library.multi_cleanup) &&
                        resolve(handle, "curl_multi_strerror", library.multi_strerror);
  if (!complete) {
    return runtime_error("the installed libcurl is too old for getmesh (a function is missing)",
                         "upgrade the libcurl4 package to 7.68 or newer");
  }
  if (library.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
    return runtime_error("cannot initialise libcurl");
  }
  return &library;
}

}  // namespace

Result<const CurlLibrary*> CurlLibrary::get() {
  static std::once_flag once;
  static std::optional<Result<const CurlLibrary*>> loaded;
  std::call_once(once, [] { loaded.emplace(load()); });
  return *loaded;
}

}  // namespace getmesh::net
