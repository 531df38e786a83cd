#include "download/archive_presence.hpp"

#include "download/status_error.hpp"

namespace getmesh::download {

Status check_archive_present(const Plan& plan, const net::Client& http) {
  net::Request request;
  request.method = "HEAD";
  request.url = plan.url;
  request.connect_timeout_ms = 10000;
  request.timeout_ms = 30000;
  auto response = http.send(request);
  if (response && (response->status == 404 || response->status == 410)) {
    return status_error(plan.url, response->status);
  }
  return {};
}

}  // namespace getmesh::download
