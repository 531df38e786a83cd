#include "download/status_error.hpp"

#include <getmesh/net/http.hpp>

namespace getmesh::download {

Error status_error(const std::string& url, long status) {
  const bool file = url.starts_with("file://");
  std::string message = "cannot download " + url + ": ";
  std::string hint;
  if (file && status == 404) {
    message += "the file does not exist";
  } else if (file && status == 403) {
    message += "the file is not readable";
  } else {
    message += net::describe_status(status);
  }
  if (status == 404 || status == 410) {
    hint =
        "check that this distribution is published for your platform (\"getmesh list\"); if "
        "GETMESH_MIRROR is set, check that the mirror holds this file";
  } else if (status == 401 || status == 403) {
    hint = "the server refused access; check the mirror's permissions or GETMESH_MIRROR";
  } else if (net::is_retryable_status(status)) {
    hint =
        "the server is failing or overloaded; try again later, or use a mirror with "
        "GETMESH_MIRROR";
  } else {
    hint = "check the URL, or use a mirror with GETMESH_MIRROR";
  }
  Error error = runtime_error(std::move(message), std::move(hint));
  error.transient = net::is_retryable_status(status);
  return error;
}

Error with_mirror_advice(const std::string& mirror, Error error) {
  if (mirror.empty() || !error.transient) return error;
  error.hint = "the mirror GETMESH_MIRROR=" + net::redact_url(mirror) +
               " does not answer or is failing: check that it is up and that GETMESH_MIRROR is "
               "its URL, or unset GETMESH_MIRROR to download from upstream";
  return error;
}

}  // namespace getmesh::download
