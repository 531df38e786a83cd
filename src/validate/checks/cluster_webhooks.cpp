// Analyzers of Istio's admission webhooks: injection overlaps and missing services (IST0139),
// `image: auto` Deployments no injection webhook selects (IST0146), external control plane URLs
// (IST0163, IST0164).
#include "validate/checks/checks.hpp"
#include "validate/label_selector.hpp"

#include <getmesh/core/strings.hpp>

#include <algorithm>
#include <map>
#include <set>

namespace getmesh::validate {

namespace {

constexpr std::string_view kRevisionLabel = "istio.io/rev";

// One webhook of a MutatingWebhookConfiguration.
struct Webhook {
  const Resource* configuration;
  const Node* node;
  [[nodiscard]] std::string id() const { return configuration->name + "/" + (*node)["name"].str(); }
};

bool istio_webhook_name(const Node& webhook) { return webhook["name"].str().ends_with("istio.io"); }

// The revisions a configuration serves: its `istio.io/rev` label and the values its selectors
// require for that label.
std::set<std::string> revisions_of(const Resource& configuration) {
  std::set<std::string> revisions;
  if (const auto* revision = configuration.label(kRevisionLabel)) revisions.insert(*revision);
  configuration.document["webhooks"].for_each_item([&](const Node& webhook) {
    for (const char* field : {"namespaceSelector", "objectSelector"}) {
      const auto& selector = webhook[field];
      if (const auto* value = selector["matchLabels"].find(kRevisionLabel)) {
        revisions.insert(value->str());
      }
      selector["matchExpressions"].for_each_item([&](const Node& expression) {
        if (expression["key"].str() != kRevisionLabel) return;
        for (auto& value : expression["values"].strings()) revisions.insert(std::move(value));
      });
    }
  });
  return revisions;
}

// The label sets a namespace or pod may carry as far as injection goes: none, the opt-in and the
// opt-out label, each also with every revision label.
std::vector<Labels> label_permutations(const char* key, const char* on, const char* off,
                                       const std::set<std::string>& revisions) {
  std::vector<Labels> bases = {{}, {{key, on}}, {{key, off}}};
  auto all = bases;
  for (const auto& revision : revisions) {
    for (auto labels : bases) {
      labels.emplace_back(kRevisionLabel, revision);
      all.push_back(std::move(labels));
    }
  }
  return all;
}

// IST0139: injection webhooks that both select some namespace and pod, or name a missing Service.
void check_injection_webhooks(const CheckContext& context) {
  std::vector<Webhook> webhooks;
  std::set<std::string> revisions;
  for (const auto* configuration : context.index.of_kind(Kind::kMutatingWebhookConfiguration)) {
    auto served = revisions_of(*configuration);
    const auto& list = configuration->document["webhooks"];
    bool istio = !served.empty();
    list.for_each_item([&](const Node& webhook) { istio = istio || istio_webhook_name(webhook); });
    if (!istio) continue;
    revisions.insert(served.begin(), served.end());
    list.for_each_item([&](const Node& webhook) { webhooks.push_back({configuration, &webhook}); });
  }
  std::map<std::pair<const Resource*, std::string>, const Node*> overlaps;  // (config, text) → node
  for (const auto& ns_labels :
       label_permutations("istio-injection", "enabled", "disabled", revisions)) {
    for (const auto& pod_labels :
         label_permutations("sidecar.istio.io/inject", "true", "false", revisions)) {
      std::vector<const Webhook*> matching;
      for (const auto& webhook : webhooks) {
        if (label_selector_matches((*webhook.node)["namespaceSelector"], ns_labels) &&
            label_selector_matches((*webhook.node)["objectSelector"], pod_labels))
          matching.push_back(&webhook);
      }
      if (matching.size() < 2) continue;
      for (const auto* webhook : matching) {
        std::vector<std::string> others;
        for (const auto* other : matching) {
          if (other != webhook) others.push_back(other->id());
        }
        std::sort(others.begin(), others.end());
        overlaps.emplace(std::pair(webhook->configuration,
                                   "Webhook overlaps with others: [" + join(others, " ") +
                                       "]. This may cause injection to occur twice."),
                         webhook->node);
      }
    }
  }
  for (const auto& [key, node] : overlaps) {
    context.sink.add(*key.first, "IST0139", key.second, node->line());
  }
  if (!context.index.knows(Kind::kService)) return;
  for (const auto& webhook : webhooks) {
    const auto& service = (*webhook.node)["clientConfig"]["service"];
    if (service.is_null()) continue;  // a URL
    const auto& ns = service["namespace"].str();
    const auto& name = service["name"].str();
    if (context.index.find(Kind::kService, ns, name) != nullptr) continue;
    context.sink.add(
        *webhook.configuration, "IST0139",
        "Injector refers to a control plane service that does not exist: " + ns + "/" + name + ".",
        service.line());
  }
}

bool pod_spec_has_auto_proxy(const Node& pod_spec) {
  bool found = false;
  pod_spec["containers"].for_each_item([&](const Node& container) {
    found =
        found || (container["name"].str() == "istio-proxy" && container["image"].str() == "auto");
  });
  return found;
}

// IST0146: a Deployment that relies on injection (`image: auto`) no injection webhook selects.
void check_auto_image_deployments(const CheckContext& context) {
  if (!context.index.knows(Kind::kMutatingWebhookConfiguration)) return;
  std::vector<const Node*> webhooks;
  for (const auto* configuration : context.index.of_kind(Kind::kMutatingWebhookConfiguration)) {
    configuration->document["webhooks"].for_each_item([&](const Node& webhook) {
      if (istio_webhook_name(webhook)) webhooks.push_back(&webhook);
    });
  }
  for (const auto* deployment : context.index.of_kind(Kind::kDeployment)) {
    const auto& template_ = deployment->spec()["template"];
    if (!pod_spec_has_auto_proxy(template_["spec"])) continue;
    const auto* ns = context.index.find(Kind::kNamespace, "", deployment->namespace_);
    const auto ns_labels = ns != nullptr ? ns->labels : Labels{};
    const auto pod_labels = template_["metadata"]["labels"].string_map();
    const bool injected = std::any_of(webhooks.begin(), webhooks.end(), [&](const Node* webhook) {
      return label_selector_matches((*webhook)["namespaceSelector"], ns_labels) &&
             label_selector_matches((*webhook)["objectSelector"], pod_labels);
    });
    if (injected) continue;
    context.sink.add(*deployment, "IST0146",
                     "Deployment " + deployment->name +
                         " contains `image: auto` but does not match any Istio injection webhook "
                         "selectors.");
  }
}

bool is_ip_address(std::string_view host) {
  if (host.starts_with("[")) return true;  // only IPv6 addresses are bracketed in URLs
  int dots = 0;
  for (const char c : host) {
    if (c == '.') {
      ++dots;
    } else if (c < '0' || c > '9') {
      return false;
    }
  }
  return dots == 3;
}

// The host of an https URL, or nullopt when it is not one (no scheme, no host, spaces).
std::optional<std::string> url_host(std::string_view url) {
  const auto scheme = url.find("://");
  if (scheme == std::string_view::npos || scheme == 0) return std::nullopt;
  if (std::any_of(url.begin(), url.end(), [](char c) { return c <= ' ' || c == 0x7f; }))
    return std::nullopt;
  auto authority = url.substr(scheme + 3);
  authority = authority.substr(0, authority.find_first_of("/?#"));
  if (const auto at = authority.rfind('@'); at != std::string_view::npos)
    authority = authority.substr(at + 1);
  std::string_view host = authority;
  if (authority.starts_with("[")) {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    host = authority.substr(0, close + 1);
  } else if (const auto colon = authority.find(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
  }
  if (host.empty()) return std::nullopt;
  return std::string(host);
}

// IST0163 and IST0164: the webhooks of an external control plane set a URL; it must be one, and
// better a host name than an address. (Upstream also resolves the host name; getmesh does not
// look names up, so an unresolvable name is not reported.)
void check_external_control_plane(const CheckContext& context, const Resource& configuration) {
  configuration.document["webhooks"].for_each_item([&](const Node& webhook) {
    const auto& client = webhook["clientConfig"];
    const auto& name = webhook["name"].str();
    const auto& url = client["url"];
    const auto where = std::string(" that was provided for the webhook (") + name +
                       ") to reach the ingress gateway on the external control plane cluster";
    if (url.is_null() || (url.is_scalar() && url.str().empty() && url.plain())) {
      if (!client["service"].is_null()) return;
      context.sink.add(configuration, "IST0163",
                       "The hostname ()" + where + " is blank. Traffic may not flow properly.",
                       client.line());
      return;
    }
    const auto host = url_host(url.str());
    if (!host) {
      context.sink.add(configuration, "IST0163",
                       "The hostname (" + url.str() + ")" + where +
                           " was provided in an invalid format. Traffic may not flow properly.",
                       url.line());
    } else if (is_ip_address(*host)) {
      context.sink.add(configuration, "IST0164",
                       "The address (" + url.str() + ")" + where +
                           " is an IP address. This is not recommended for a production "
                           "environment.",
                       url.line());
    }
  });
}

}  // namespace

void check_webhooks(const CheckContext& context) {
  check_injection_webhooks(context);
  check_auto_image_deployments(context);
  for (const auto* configuration : context.index.of_kind(Kind::kValidatingWebhookConfiguration)) {
    if (configuration->name == "istiod-default-validator" ||
        configuration->name.starts_with("istio-validator"))
      check_external_control_plane(context, *configuration);
  }
  for (const auto* configuration : context.index.of_kind(Kind::kMutatingWebhookConfiguration)) {
    if (configuration->name.starts_with("istio-sidecar-injector"))
      check_external_control_plane(context, *configuration);
  }
}

}  // namespace getmesh::validate
