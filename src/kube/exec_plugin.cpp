#include <getmesh/core/base64.hpp>
#include <getmesh/core/date.hpp>
#include <getmesh/core/strings.hpp>
#include <getmesh/exec/process.hpp>
#include <getmesh/kube/rest_config.hpp>

#include <nlohmann/json.hpp>

#include <optional>
#include <regex>

namespace getmesh::kube {

namespace {

constexpr std::string_view kV1 = "client.authentication.k8s.io/v1";
constexpr std::string_view kV1Beta1 = "client.authentication.k8s.io/v1beta1";
constexpr std::size_t kShownOutput = 600;

// What a plugin said on stderr, for messages: redacted, its last part, on one line. Its stdout is
// never shown: it may hold the credential even when the plugin failed.
std::string stderr_excerpt(std::string_view err, const std::string& token) {
  auto shown = redact_secrets(trim(err));
  if (!token.empty()) {
    for (auto at = shown.find(token); at != std::string::npos; at = shown.find(token, at)) {
      shown.replace(at, token.size(), "[redacted]");
    }
  }
  if (shown.size() > kShownOutput) shown = "…" + shown.substr(shown.size() - kShownOutput);
  for (auto& c : shown) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return shown.empty() ? std::string(" (it printed nothing on stderr)") : ": " + shown;
}

// The token in a plugin's stdout when it holds an ExecCredential, to keep it out of messages.
std::string token_in(const std::string& out) {
  const auto document = nlohmann::json::parse(out, nullptr, false);
  if (!document.is_object() || !document.contains("status") || !document["status"].is_object()) {
    return {};
  }
  return document["status"].value("token", "");
}

// Why `out` is not JSON, without quoting it: "not JSON (syntax error at byte 812)".
std::string why_not_json(const std::string& out) {
  if (trim(out).empty()) return "nothing";
  try {
    const auto document = nlohmann::json::parse(out);
    return std::to_string(out.size()) + " bytes of JSON that is not " +
           (document.is_object() ? "an ExecCredential" : "an object");
  } catch (const nlohmann::json::parse_error& error) {
    return std::to_string(out.size()) + " bytes that are not JSON (syntax error at byte " +
           std::to_string(error.byte) + ")";
  }
}

// Plugins run without the terminal, so spec.interactive is false.
nlohmann::json exec_info(const ExecPlugin& plugin, const RestConfig& config) {
  nlohmann::json spec = {{"interactive", false}};
  if (plugin.provide_cluster_info) {
    nlohmann::json cluster = {{"server", config.server}};
    if (!config.tls.server_name.empty()) cluster["tls-server-name"] = config.tls.server_name;
    if (config.tls.insecure_skip_verify) cluster["insecure-skip-tls-verify"] = true;
    if (!config.tls.ca_pem.empty())
      cluster["certificate-authority-data"] = base64_encode(config.tls.ca_pem);
    if (!config.proxy.empty()) cluster["proxy-url"] = config.proxy;
    if (!config.exec_extension.empty())
      cluster["config"] = nlohmann::json::parse(config.exec_extension, nullptr, false);
    spec["cluster"] = cluster;
  }
  return {{"apiVersion", plugin.api_version}, {"kind", "ExecCredential"}, {"spec", spec}};
}

// Seconds since the epoch of a strict RFC 3339 time (`2026-01-31T12:00:00Z`, `…12:00:00.5+02:00`),
// as Go's time.RFC3339 reads it; nullopt for anything else.
std::optional<std::int64_t> parse_rfc3339(const std::string& text) {
  static const std::regex kFormat(
      R"(^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|([+-])(\d{2}):(\d{2}))$)");
  std::smatch match;
  if (!std::regex_match(text, match, kFormat)) return std::nullopt;
  const auto date = CivilDate::parse(match[1].str());
  if (!date) return std::nullopt;
  const auto number = [&](std::size_t group) { return std::stoi(match[group].str()); };
  if (number(2) > 23 || number(3) > 59 || number(4) > 59) return std::nullopt;
  std::int64_t seconds =
      date->days_since_epoch() * 86400 + number(2) * 3600 + number(3) * 60 + number(4);
  if (match[6].str() != "Z") {
    if (number(8) > 23 || number(9) > 59) return std::nullopt;
    const auto offset = number(8) * 3600 + number(9) * 60;
    seconds += match[7].str() == "+" ? -offset : offset;
  }
  return seconds;
}

}  // namespace

Result<ExecCredential> run_exec_plugin(const ExecPlugin& plugin, const RestConfig& config,
                                       const Environment& environment) {
  const std::string who = "the credential plugin " + quote(plugin.command) + " of user " +
                          quote(config.user) + " (in " + config.user_file.string() + ")";
  if (plugin.api_version != kV1 && plugin.api_version != kV1Beta1) {
    return runtime_error(who + " uses exec.apiVersion " + quote(plugin.api_version) +
                             ", which getmesh does not support",
                         "use client.authentication.k8s.io/v1 or v1beta1 (v1alpha1 was removed "
                         "from Kubernetes in 1.24)");
  }
  if (plugin.command.empty()) {
    return runtime_error("user " + quote(config.user) + " in " + config.user_file.string() +
                             " has an exec section without a command",
                         "set users[].user.exec.command");
  }
  std::string mode = plugin.interactive_mode;
  if (mode.empty()) {
    if (plugin.api_version == kV1) {
      return runtime_error(who + ": exec.interactiveMode must be set with " + std::string(kV1),
                           "set interactiveMode to Never or IfAvailable");
    }
    mode = "IfAvailable";
  }
  if (mode != "Never" && mode != "IfAvailable" && mode != "Always") {
    return runtime_error(who + ": exec.interactiveMode " + quote(mode) +
                             " is not one of Never, "
                             "IfAvailable, Always",
                         "set interactiveMode to Never or IfAvailable");
  }
  if (mode == "Always") {
    return runtime_error(who +
                             " needs a terminal (interactiveMode: Always), which getmesh does not "
                             "give to credential plugins",
                         "log in once with the plugin in a shell so it caches a token, or use a "
                         "plugin mode that runs without prompting");
  }
  const auto path = environment.get("PATH").value_or("/usr/local/bin:/usr/bin:/bin");
  const auto program = exec::find_program(plugin.command, path);
  if (!program) {
    return runtime_error(who + " was not found in PATH",
                         plugin.install_hint.empty()
                             ? "install it, or fix exec.command in the kubeconfig"
                             : std::string(trim(plugin.install_hint)));
  }
  std::vector<std::string> argv{*program};
  argv.insert(argv.end(), plugin.args.begin(), plugin.args.end());
  exec::EnvironmentOverrides overrides;
  for (const auto& [name, value] : plugin.env) overrides[name] = value;
  overrides["KUBERNETES_EXEC_INFO"] = exec_info(plugin, config).dump();

  const auto timeout =
      positive_number(environment, "GETMESH_EXEC_PLUGIN_TIMEOUT", kExecPluginTimeout.count());
  if (!timeout) return timeout.error();
  auto ran = exec::run_captured(argv, overrides, std::chrono::seconds(*timeout));
  if (!ran) return ran.error().with_context(who);
  if (ran->exit_code != 0) {
    return runtime_error(
        who + " failed with exit code " + std::to_string(ran->exit_code) +
            stderr_excerpt(ran->err, token_in(ran->out)),
        // Never its arguments: they often carry secrets (--oidc-client-secret=…).
        "run the plugin by hand, with the command and arguments of users[].user.exec in " +
            config.user_file.string() + ", to see why (for example to log in again)");
  }
  const auto document = nlohmann::json::parse(ran->out, nullptr, false);
  if (document.is_discarded() || !document.is_object()) {
    return runtime_error(
        who + " printed " + why_not_json(ran->out) + " on stdout instead of an ExecCredential" +
            (trim(ran->err).empty() ? std::string() : "; on stderr" + stderr_excerpt(ran->err, "")),
        "the plugin must print only ExecCredential JSON on stdout (messages go to "
        "stderr); check its version");
  }
  if (document.value("kind", "") != "ExecCredential" ||
      document.value("apiVersion", "") != plugin.api_version) {
    return runtime_error(who + " printed kind " + quote(document.value("kind", "")) + " " +
                             quote(document.value("apiVersion", "")) +
                             ", expected ExecCredential " + plugin.api_version,
                         "make exec.apiVersion in the kubeconfig match what the plugin prints");
  }
  ExecCredential credential;
  const auto status = document.contains("status") && document["status"].is_object()
                          ? document["status"]
                          : nlohmann::json::object();
  const auto text = [&](const char* key) {
    return status.contains(key) && status[key].is_string() ? status[key].get<std::string>() : "";
  };
  credential.token = text("token");
  credential.client_certificate_pem = text("clientCertificateData");
  credential.client_key_pem = text("clientKeyData");
  if (status.contains("expirationTimestamp") && !status["expirationTimestamp"].is_null()) {
    const auto& stamp = status["expirationTimestamp"];
    const auto seconds =
        stamp.is_string() ? parse_rfc3339(stamp.get<std::string>()) : std::optional<std::int64_t>();
    if (!seconds) {
      return runtime_error(who + " returned an expirationTimestamp that is not an RFC 3339 time (" +
                               quote(stamp.is_string() ? stamp.get<std::string>() : stamp.dump()) +
                               ")",
                           "the plugin must print times like 2026-01-31T12:00:00Z; check its "
                           "version");
    }
    credential.expires = seconds;
  }
  const bool has_certificate =
      !credential.client_certificate_pem.empty() && !credential.client_key_pem.empty();
  if (credential.token.empty() && !has_certificate) {
    return runtime_error(who + " returned an ExecCredential without a token or client certificate",
                         "run the plugin by hand to check that it is logged in");
  }
  return credential;
}

}  // namespace getmesh::kube
