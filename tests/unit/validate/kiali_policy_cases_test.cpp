// Kiali's policy, mTLS and identity checks: principals and service accounts, PeerAuthentication
// mTLS pairing, WorkloadGroups and Sidecar outbound policies.
#include "cases.hpp"

#include <gtest/gtest.h>

#include <array>

namespace getmesh::validate::testing {

namespace {

#define POLICY_OBJ(api, kind, name, ns, spec)                                      \
  "apiVersion: " api "\nkind: " kind "\nmetadata: {name: " name ", namespace: " ns \
  "}\nspec: " spec "\n"
#define PRINCIPALS(list)                                                                        \
  POLICY_OBJ("security.istio.io/v1", "AuthorizationPolicy", "ap", "bookinfo",                   \
             "{selector: {matchLabels: {app: reviews}}, rules: [{from: [{source: {principals: " \
             "[" list "]}}]}]}")
#define ACCOUNT(name) \
  "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: " name ", namespace: bookinfo}\n"
#define MESH(config)                                                                    \
  "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: istio, namespace: istio-system}\n" \
  "data: {mesh: '" config "'}\n"
#define PEER(name, ns, spec) \
  POLICY_OBJ("security.istio.io/v1", "PeerAuthentication", name, ns, spec)
#define RULE(name, ns, host)                                        \
  POLICY_OBJ("networking.istio.io/v1", "DestinationRule", name, ns, \
             "{host: \"" host "\", trafficPolicy: {tls: {mode: ISTIO_MUTUAL}}}")
#define GROUP(name, spec) \
  POLICY_OBJ("networking.istio.io/v1", "WorkloadGroup", name, "bookinfo", spec)
#define SERVICE(spec) POLICY_OBJ("v1", "Service", "svc", "bookinfo", spec)
#define RATINGS                                                                            \
  "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ratings, namespace: bookinfo, " \
  "labels: {app: ratings}}\nspec:\n  template:\n    metadata: {labels: {app: ratings}}\n"  \
  "    spec: {containers: [{name: ratings, image: r:1, ports: [{name: http-app, "          \
  "containerPort: 8080}]}]}\n"
#define PLAIN_POD                                                                          \
  "apiVersion: v1\nkind: Pod\nmetadata: {name: plain, namespace: bookinfo, labels: {app: " \
  "plain}}\nspec: {containers: [{name: app, image: app:1}]}\n"
#define REMOTE_SECRET                                                                    \
  "apiVersion: v1\nkind: Secret\nmetadata: {name: istio-remote-secret-west, namespace: " \
  "istio-system, labels: {istio/multiCluster: \"true\"}}\nstringData: {west: kubeconfig}\n"
#define OUTBOUND(spec) POLICY_OBJ("networking.istio.io/v1", "Sidecar", "sc", "bookinfo", spec)

const std::array kKialiPolicyCases = {
    // Principals (KIA0106, KIA0108): accounts from ServiceAccounts and the workloads' accounts.
    CodeCase{"principal of no account", "KIA0106", true,
             ACCOUNT("reviews") "---\n" PRINCIPALS("\"cluster.local/ns/bookinfo/sa/ratings\"")},
    CodeCase{"principal of a ServiceAccount", "KIA0106", false,
             ACCOUNT("reviews") "---\n" PRINCIPALS("\"cluster.local/ns/bookinfo/sa/reviews\"")},
    CodeCase{"principal of the account a Deployment runs as", "KIA0106", false,
             ACCOUNT("other") "---\n" PRINCIPALS("\"cluster.local/ns/bookinfo/sa/default\"")},
    CodeCase{"principal prefix matching an account", "KIA0106", false,
             ACCOUNT("reviews") "---\n" PRINCIPALS("\"cluster.local/ns/bookinfo/sa/rev*\"")},
    // Many wildcards against a long account name: a backtracking match would take for ever.
    CodeCase{"principal of many wildcards matching no account", "KIA0106", true,
             ACCOUNT("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa") "---\n" PRINCIPALS(
                 "\"*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b\"")},
    CodeCase{"principal of many wildcards matching an account", "KIA0106", false,
             ACCOUNT("reviews") "---\n" PRINCIPALS("\"*cluster*local*bookinfo*sa*re*ws\"")},
    CodeCase{
        "principal in a trust domain alias", "KIA0106", false,
        ACCOUNT("reviews") "---\n" MESH("trustDomainAliases: [old.example.com]") "---\n" PRINCIPALS(
            "\"old.example.com/ns/bookinfo/sa/reviews\"")},
    CodeCase{"principals without any ServiceAccount known", "KIA0106", false,
             PRINCIPALS("\"cluster.local/ns/bookinfo/sa/ratings\"")},
    CodeCase{"principal of no account here in a multi-cluster mesh", "KIA0107", true,
             ACCOUNT("reviews") "---\n" REMOTE_SECRET
                                "---\n" PRINCIPALS("\"cluster.local/ns/bookinfo/sa/ratings\"")},
    CodeCase{"principal of no account in a single-cluster mesh", "KIA0107", false,
             ACCOUNT("reviews") "---\n" PRINCIPALS("\"cluster.local/ns/bookinfo/sa/ratings\"")},
    CodeCase{"principal of a foreign trust domain", "KIA0108", true,
             ACCOUNT("reviews") "---\n" PRINCIPALS("\"other.example.com/ns/bookinfo/sa/reviews\"")},
    CodeCase{"principal of the mesh's own trust domain", "KIA0108", false,
             ACCOUNT("reviews") "---\n" MESH("trustDomain: corp.example.com") "---\n" PRINCIPALS(
                 "\"corp.example.com/ns/bookinfo/sa/ghost\"")},
    // Authorization policy methods and hosts (KIA0102, KIA0104), as Kiali reads them now.
    CodeCase{"gRPC name as a method", "KIA0102", true,
             POLICY_OBJ("security.istio.io/v1", "AuthorizationPolicy", "ap", "bookinfo",
                        "{rules: [{to: [{operation: {methods: [\"/pkg.Service/Method\"]}}]}]}")},
    CodeCase{"lower-case method and suffix pattern", "KIA0102", false,
             POLICY_OBJ("security.istio.io/v1", "AuthorizationPolicy", "ap", "bookinfo",
                        "{rules: [{to: [{operation: {methods: [get, \"*ST\"]}}]}]}")},
    CodeCase{
        "dotted host is a Host-header matcher", "KIA0104", false,
        POLICY_OBJ("security.istio.io/v1", "AuthorizationPolicy", "ap", "bookinfo",
                   "{rules: [{to: [{operation: {hosts: [ghost.example.com, ghost.other]}}]}]}")},
    CodeCase{"service of a known namespace not found", "KIA0104", true,
             POLICY_OBJ("security.istio.io/v1", "AuthorizationPolicy", "ap", "bookinfo",
                        "{rules: [{to: [{operation: {hosts: [ghost.istio-system]}}]}]}")},
    // WorkloadGroups (KIA1701, KIA1702).
    CodeCase{"workload group of an unknown account", "KIA1701", true,
             ACCOUNT("reviews") "---\n" GROUP("vm", "{template: {serviceAccount: ghost}}")},
    CodeCase{"workload group of a known account", "KIA1701", false,
             ACCOUNT("reviews") "---\n" GROUP("vm", "{template: {serviceAccount: reviews}}")},
    CodeCase{"workload groups with the same labels", "KIA1702", true,
             GROUP("vm1", "{metadata: {labels: {app: web}}, template: {}}") "---\n" GROUP(
                 "vm2", "{metadata: {labels: {app: web}}, template: {}}")},
    CodeCase{"workload groups with other labels", "KIA1702", false,
             GROUP("vm1", "{metadata: {labels: {app: web}}, template: {}}") "---\n" GROUP(
                 "vm2", "{metadata: {labels: {app: web2}}, template: {}}")},
    // Service ports (KIA0601, KIA0602, KIA0701).
    CodeCase{"port name without a protocol on an injected workload", "KIA0601", true,
             SERVICE("{selector: {app: reviews}, ports: [{name: web, port: 9080}]}")},
    CodeCase{"port name with a protocol and suffix", "KIA0601", false,
             SERVICE("{selector: {app: reviews}, ports: [{name: http-web, port: 9080}]}")},
    CodeCase{
        "port name of a pod without sidecar", "KIA0601", false,
        SERVICE("{selector: {app: plain}, ports: [{name: web, port: 9080}]}") "---\n" PLAIN_POD},
    CodeCase{"gateway server port named for another protocol", "KIA0601", true,
             POLICY_OBJ("networking.istio.io/v1", "Gateway", "gw2", "bookinfo",
                        "{selector: {istio: ingressgateway}, servers: [{port: {number: 80, name: "
                        "web, protocol: HTTP}, hosts: [a.example.org]}]}")},
    CodeCase{"service entry TCP port of any name", "KIA0601", false,
             POLICY_OBJ("networking.istio.io/v1", "ServiceEntry", "db", "bookinfo",
                        "{hosts: [db.example.org], resolution: DNS, ports: [{number: 5432, name: "
                        "postgres, protocol: TCP}]}")},
    CodeCase{"appProtocol that is no protocol", "KIA0602", true,
             SERVICE("{selector: {app: reviews}, ports: [{name: db, port: 3306, appProtocol: "
                     "mysql-wrong}]}")},
    CodeCase{"appProtocol of a protocol", "KIA0602", false,
             SERVICE("{selector: {app: reviews}, ports: [{name: db, port: 3306, appProtocol: "
                     "MySQL}]}")},
    CodeCase{
        "service port no container exposes", "KIA0701", true,
        SERVICE("{selector: {app: ratings}, ports: [{name: http, port: 9080}]}") "---\n" RATINGS},
    CodeCase{"service target port a container exposes", "KIA0701", false,
             SERVICE("{selector: {app: ratings}, ports: [{name: http, port: 9080, targetPort: "
                     "8080}]}") "---\n" RATINGS},
    CodeCase{"service named target port a container exposes", "KIA0701", false,
             SERVICE("{selector: {app: ratings}, ports: [{name: http, port: 9080, targetPort: "
                     "http-app}]}") "---\n" RATINGS},
    // Selector-less RequestAuthentications (KIA0002): Istio merges them.
    CodeCase{"two selector-less request authentications", "KIA0002", false,
             POLICY_OBJ("security.istio.io/v1", "RequestAuthentication", "a", "bookinfo",
                        "{jwtRules: [{issuer: a}]}") "---\n" POLICY_OBJ("security.istio.io/v1",
                                                                        "RequestAuthentication",
                                                                        "b", "bookinfo",
                                                                        "{jwtRules: [{issuer: "
                                                                        "b}]}")},
    // Sidecar outbound traffic policy (KIA1007).
    CodeCase{"outbound traffic policy without a mode", "KIA1007", true,
             OUTBOUND("{outboundTrafficPolicy: {}}")},
    CodeCase{"outbound traffic policy with a mode", "KIA1007", false,
             OUTBOUND("{outboundTrafficPolicy: {mode: REGISTRY_ONLY}}")},
    // PeerAuthentication mTLS pairing (KIA0401, KIA0501), auto mTLS off.
    CodeCase{"mesh-wide STRICT without a mesh-wide mTLS rule", "KIA0401", true,
             MESH("enableAutoMtls: false") "---\n" PEER("default", "istio-system",
                                                        "{mtls: {mode: STRICT}}")},
    CodeCase{"mesh-wide STRICT with a mesh-wide mTLS rule", "KIA0401", false,
             MESH("enableAutoMtls: false") "---\n" PEER(
                 "default", "istio-system",
                 "{mtls: {mode: STRICT}}") "---\n" RULE("default", "istio-system", "*.local")},
    CodeCase{"mesh-wide STRICT under auto mTLS", "KIA0401", false,
             PEER("default", "istio-system", "{mtls: {mode: STRICT}}")},
    CodeCase{"namespace STRICT without an mTLS rule", "KIA0501", true,
             MESH("enableAutoMtls: false") "---\n" PEER("default", "bookinfo",
                                                        "{mtls: {mode: STRICT}}")},
    CodeCase{"namespace STRICT with a namespace-wide mTLS rule", "KIA0501", false,
             MESH("enableAutoMtls: false") "---\n" PEER(
                 "default", "bookinfo",
                 "{mtls: {mode: STRICT}}") "---\n" RULE("default", "bookinfo",
                                                        "*.bookinfo.svc.cluster.local")},
    CodeCase{"namespace PERMISSIVE without an mTLS rule", "KIA0501", false,
             MESH("enableAutoMtls: false") "---\n" PEER("default", "bookinfo",
                                                        "{mtls: {mode: PERMISSIVE}}")},
};

}  // namespace

std::span<const CodeCase> kiali_policy_cases() { return kKialiPolicyCases; }

TEST(ValidateKialiPolicyChecks, FireAndStayQuiet) { run_cases(kKialiPolicyCases); }

// KIA0104's severity follows the mesh's outbound traffic policy, as Kiali's does: a warning where
// the mesh config lets unknown hosts out (ALLOW_ANY), else an error.
TEST(ValidateKialiPolicyChecks, OperationHostSeverityFollowsOutboundTrafficPolicy) {
  const std::string policy =
      std::string(kWorld) + "---\n" +
      POLICY_OBJ("security.istio.io/v1", "AuthorizationPolicy", "ap", "bookinfo",
                 "{rules: [{to: [{operation: {hosts: [ghost]}}]}]}");
  const auto severity_of = [](const std::string& yaml) {
    for (const auto& finding : findings_of(yaml)) {
      if (finding.code == "KIA0104") return std::string(severity_name(finding.severity));
    }
    return std::string("none");
  };
  EXPECT_EQ(severity_of(policy), "Error");
  EXPECT_EQ(severity_of(policy + "---\n" + MESH("outboundTrafficPolicy: {mode: REGISTRY_ONLY}")),
            "Error");
  EXPECT_EQ(severity_of(policy + "---\n" + MESH("outboundTrafficPolicy: {mode: ALLOW_ANY}")),
            "Warning");
}

}  // namespace getmesh::validate::testing

// Unity builds compile several test files together: these macros end with this file.
#undef POLICY_OBJ
#undef PRINCIPALS
#undef ACCOUNT
#undef MESH
#undef PEER
#undef RULE
#undef GROUP
#undef OUTBOUND
#undef REMOTE_SECRET
#undef SERVICE
#undef RATINGS
#undef PLAIN_POD
