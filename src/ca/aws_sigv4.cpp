#include "ca/encoding.hpp"

#include <getmesh/ca/aws_sigv4.hpp>
#include <getmesh/core/strings.hpp>

#include <algorithm>
#include <ctime>
#include <map>

namespace getmesh::ca {

namespace {

std::string amz_date(std::chrono::system_clock::time_point time) {
  const auto seconds = std::chrono::system_clock::to_time_t(time);
  std::tm parts{};
  ::gmtime_r(&seconds, &parts);
  char buffer[20];
  std::strftime(buffer, sizeof buffer, "%Y%m%dT%H%M%SZ", &parts);
  return buffer;
}

// Header values with surrounding blanks removed and inner runs of blanks collapsed.
std::string canonical_value(std::string_view value) {
  std::string text;
  bool blank = false;
  for (const char c : trim(value)) {
    if (c == ' ' || c == '\t') {
      blank = true;
      continue;
    }
    if (blank && !text.empty()) text += ' ';
    blank = false;
    text += c;
  }
  return text;
}

// Query parameters sorted by name, then value, as SigV4 requires.
std::string canonical_query(std::string_view query) {
  if (query.empty()) return {};
  auto parameters = split(query, '&');
  for (auto& parameter : parameters) {
    if (parameter.find('=') == std::string::npos) parameter += '=';
  }
  std::sort(parameters.begin(), parameters.end());
  return join(parameters, "&");
}

}  // namespace

Headers sign_v4(const SigV4Request& request, const AwsCredentials& credentials) {
  const auto timestamp = amz_date(request.time);
  const auto date = timestamp.substr(0, 8);
  Headers added{{"X-Amz-Date", timestamp}};
  if (!credentials.session_token.empty()) {
    added.emplace_back("X-Amz-Security-Token", credentials.session_token);
  }

  std::map<std::string, std::string> signed_headers;
  for (const auto& list : {request.headers, added}) {
    for (const auto& [name, value] : list) {
      auto& entry = signed_headers[to_lower(name)];
      entry = entry.empty() ? canonical_value(value) : entry + "," + canonical_value(value);
    }
  }
  std::string canonical_headers;
  std::vector<std::string> names;
  for (const auto& [name, value] : signed_headers) {
    canonical_headers += name + ":" + value + "\n";
    names.push_back(name);
  }
  const auto signed_names = join(names, ";");

  const auto canonical_request = request.method + "\n" + request.path + "\n" +
                                 canonical_query(request.query) + "\n" + canonical_headers + "\n" +
                                 signed_names + "\n" + hex_encode(sha256(request.body));
  const auto scope = date + "/" + request.region + "/" + request.service + "/aws4_request";
  const auto string_to_sign = "AWS4-HMAC-SHA256\n" + timestamp + "\n" + scope + "\n" +
                              hex_encode(sha256(canonical_request));

  auto key = hmac_sha256("AWS4" + credentials.secret_access_key, date);
  key = hmac_sha256(key, request.region);
  key = hmac_sha256(key, request.service);
  key = hmac_sha256(key, "aws4_request");
  const auto signature = hex_encode(hmac_sha256(key, string_to_sign));

  added.emplace_back("Authorization", "AWS4-HMAC-SHA256 Credential=" + credentials.access_key_id +
                                          "/" + scope + ", SignedHeaders=" + signed_names +
                                          ", Signature=" + signature);
  return added;
}

}  // namespace getmesh::ca
