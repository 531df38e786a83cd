#pragma once

#include <getmesh/core/result.hpp>

#include <string>
#include <string_view>

namespace getmesh::ca {

// Checks a provider URL: https, or plain http only to a loopback host (127.0.0.1, ::1, localhost)
// such as a local emulator, because credentials travel in these requests. Returns it without a
// trailing slash; `origin` names the flag or field in messages.
Result<std::string> check_endpoint(std::string_view url, std::string_view origin);

}  // namespace getmesh::ca
