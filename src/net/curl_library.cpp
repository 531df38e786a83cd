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

// Resolves every function getmesh uses; false when the library lacks one (it is too old).
bool resolve_all(void* handle, CurlLibrary& library) {
  return resolve(handle, "curl_global_init", library.global_init) &&
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
}

}  // namespace

Result<CurlLibrary> CurlLibrary::load(const LibcurlLocation& location) {
  CurlLibrary library{};
  std::string first_error;
  bool found_old = false;
  bool complete = false;
  for (const auto& name : location.names) {
    void* handle = ::dlopen(name.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr) {
      const char* reason = ::dlerror();
      if (first_error.empty()) first_error = reason != nullptr ? reason : name + ": not found";
      continue;
    }
    complete = resolve_all(handle, library);
    if (complete) break;
    found_old = true;
    ::dlclose(handle);
  }
  if (!complete && found_old) {
    return runtime_error("the installed libcurl is too old for getmesh (a function is missing)",
                         location.too_old_hint);
  }
  if (!complete) return runtime_error("cannot load libcurl: " + first_error, location.missing_hint);
  if (library.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
    return runtime_error("cannot initialise libcurl");
  }
  return library;
}

Result<const CurlLibrary*> CurlLibrary::get() {
  static std::once_flag once;
  static std::optional<Result<CurlLibrary>> loaded;
  std::call_once(once, [] { loaded.emplace(load(Platform::host().libcurl())); });
  if (!*loaded) return loaded->error();
  return &loaded->value();
}

}  // namespace getmesh::net
