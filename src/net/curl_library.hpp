#pragma once

#include <getmesh/core/platform.hpp>
#include <getmesh/core/result.hpp>

#include <curl/curl.h>

namespace getmesh::net {

// The libcurl functions getmesh uses, resolved from libcurl.so.4 (libcurl.4.dylib on macOS) with
// dlopen on first use. Linking libcurl would load it and its ~30 dependencies at every start, which
// costs about 10 ms on the istioctl passthrough that never touches the network.
struct CurlLibrary {
  decltype(&::curl_global_init) global_init;
  decltype(&::curl_easy_init) easy_init;
  decltype(&::curl_easy_setopt) easy_setopt;
  decltype(&::curl_easy_perform) easy_perform;
  decltype(&::curl_easy_getinfo) easy_getinfo;
  decltype(&::curl_easy_cleanup) easy_cleanup;
  decltype(&::curl_easy_strerror) easy_strerror;
  decltype(&::curl_easy_pause) easy_pause;
  decltype(&::curl_slist_append) slist_append;
  decltype(&::curl_slist_free_all) slist_free_all;
  decltype(&::curl_multi_init) multi_init;
  decltype(&::curl_multi_add_handle) multi_add_handle;
  decltype(&::curl_multi_remove_handle) multi_remove_handle;
  decltype(&::curl_multi_perform) multi_perform;
  decltype(&::curl_multi_poll) multi_poll;
  decltype(&::curl_multi_info_read) multi_info_read;
  decltype(&::curl_multi_cleanup) multi_cleanup;
  decltype(&::curl_multi_strerror) multi_strerror;

  // Loads the host's library once per process (thread-safe); an error names what to install.
  static Result<const CurlLibrary*> get();
  // The first library of `location` that has every function: one that is too old is closed and
  // the next tried (macOS 11's /usr/lib/libcurl.4.dylib, then Homebrew's). get() uses the host's.
  static Result<CurlLibrary> load(const LibcurlLocation& location);
};

}  // namespace getmesh::net
