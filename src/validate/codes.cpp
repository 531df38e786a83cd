#include <getmesh/core/strings.hpp>
#include <getmesh/validate/codes.hpp>

#include <array>

namespace getmesh::validate {

namespace {

constexpr auto E = Severity::kError;
constexpr auto W = Severity::kWarning;
constexpr auto I = Severity::kInfo;

constexpr std::array kCodes = {
    CodeInfo{"IST0002", "Deprecated", W},
    CodeInfo{"IST0101", "ReferencedResourceNotFound", E},
    CodeInfo{"IST0102", "NamespaceNotInjected", I},
    CodeInfo{"IST0103", "PodMissingProxy", W},
    CodeInfo{"IST0106", "SchemaValidationError", E},
    CodeInfo{"IST0107", "MisplacedAnnotation", W},
    CodeInfo{"IST0108", "UnknownAnnotation", W},
    CodeInfo{"IST0109", "ConflictingMeshGatewayVirtualServiceHosts", E},
    CodeInfo{"IST0110", "ConflictingSidecarWorkloadSelectors", E},
    CodeInfo{"IST0111", "MultipleSidecarsWithoutWorkloadSelectors", E},
    CodeInfo{"IST0112", "VirtualServiceDestinationPortSelectorRequired", E},
    CodeInfo{"IST0113", "MTLSPolicyConflict", E},
    CodeInfo{"IST0116", "DeploymentAssociatedToMultipleServices", W},
    CodeInfo{"IST0118", "PortNameIsNotUnderNamingConvention", I},
    CodeInfo{"IST0123", "NamespaceMultipleInjectionLabels", W},
    CodeInfo{"IST0125", "InvalidAnnotation", W},
    CodeInfo{"IST0126", "UnknownMeshNetworksServiceRegistry", E},
    CodeInfo{"IST0127", "NoMatchingWorkloadsFound", W},
    CodeInfo{"IST0128", "NoServerCertificateVerificationDestinationLevel", W},
    CodeInfo{"IST0129", "NoServerCertificateVerificationPortLevel", W},
    CodeInfo{"IST0130", "VirtualServiceUnreachableRule", W},
    CodeInfo{"IST0131", "VirtualServiceIneffectiveMatch", I},
    CodeInfo{"IST0132", "VirtualServiceHostNotFoundInGateway", W},
    CodeInfo{"IST0133", "SchemaWarning", W},
    CodeInfo{"IST0134", "ServiceEntryAddressesRequired", W},
    CodeInfo{"IST0135", "DeprecatedAnnotation", I},
    CodeInfo{"IST0136", "AlphaAnnotation", I},
    CodeInfo{"IST0137", "DeploymentConflictingPorts", W},
    CodeInfo{"IST0138", "GatewayDuplicateCertificate", W},
    CodeInfo{"IST0139", "InvalidWebhook", E},
    CodeInfo{"IST0140", "IngressRouteRulesNotAffected", W},
    CodeInfo{"IST0144", "InvalidApplicationUID", W},
    CodeInfo{"IST0145", "ConflictingGateways", E},
    CodeInfo{"IST0146", "ImageAutoWithoutInjectionWarning", W},
    CodeInfo{"IST0147", "ImageAutoWithoutInjectionError", E},
    CodeInfo{"IST0148", "NamespaceInjectionEnabledByDefault", I},
    CodeInfo{"IST0149", "JwtClaimBasedRoutingWithoutRequestAuthN", E},
    CodeInfo{"IST0150", "ExternalNameServiceTypeInvalidPortName", W},
    CodeInfo{"IST0151", "EnvoyFilterUsesRelativeOperation", W},
    CodeInfo{"IST0152", "EnvoyFilterUsesReplaceOperationIncorrectly", E},
    CodeInfo{"IST0153", "EnvoyFilterUsesAddOperationIncorrectly", E},
    CodeInfo{"IST0154", "EnvoyFilterUsesRemoveOperationIncorrectly", E},
    CodeInfo{"IST0155", "EnvoyFilterUsesRelativeOperationWithProxyVersion", W},
    CodeInfo{"IST0156", "UnsupportedGatewayAPIVersion", E},
    CodeInfo{"IST0157", "InvalidTelemetryProvider", W},
    CodeInfo{"IST0158", "PodsIstioProxyImageMismatchInNamespace", W},
    CodeInfo{"IST0159", "ConflictingTelemetryWorkloadSelectors", E},
    CodeInfo{"IST0160", "MultipleTelemetriesWithoutWorkloadSelectors", E},
    CodeInfo{"IST0161", "InvalidGatewayCredential", E},
    CodeInfo{"IST0162", "GatewayPortNotDefinedOnService", W},
    CodeInfo{"IST0163", "InvalidExternalControlPlaneConfig", W},
    CodeInfo{"IST0164", "ExternalControlPlaneAddressIsNotAHostname", I},
    CodeInfo{"IST0165", "ReferencedInternalGateway", W},
    CodeInfo{"IST0166", "IneffectiveSelector", W},
    CodeInfo{"IST0167", "IneffectivePolicy", W},
    CodeInfo{"IST0171", "NegativeConditionStatus", W},
    CodeInfo{"IST0172", "FutureUnsupportedGatewayAPIVersion", W},
    CodeInfo{"IST0173", "DestinationRuleSubsetNotSelectPods", E},
    CodeInfo{"IST0174", "UnknownDestinationRuleHost", W},
    CodeInfo{"IST0175", "JwksUriFetchUnrestricted", W},
    CodeInfo{"IST0176", "GatewayAPICRDVersionBelowMinimum", W},
    CodeInfo{"IST0177", "ConflictingServiceEntryProtocol", W},
    CodeInfo{"KIA0002", "MoreThanOneSelectorlessObject", E},
    CodeInfo{"KIA0003", "MoreThanOneObjectForWorkload", E},
    CodeInfo{"KIA0004", "NoMatchingWorkloadForSelector", W},
    CodeInfo{"KIA0005", "ExportToNamespaceNotFound", E},
    CodeInfo{"KIA0101", "AuthorizationPolicySourceNamespaceNotFound", W},
    CodeInfo{"KIA0102", "AuthorizationPolicyInvalidMethod", W},
    CodeInfo{"KIA0104", "AuthorizationPolicyHostNotFound", E},
    CodeInfo{"KIA0105", "AuthorizationPolicyRequiresMtls", E},
    CodeInfo{"KIA0106", "AuthorizationPolicyPrincipalNotFound", E},
    CodeInfo{"KIA0107", "AuthorizationPolicyPrincipalRemote", I},
    CodeInfo{"KIA0108", "AuthorizationPolicyPrincipalForeignTrustDomain", W},
    CodeInfo{"KIA0201", "DestinationRuleMultiMatch", W},
    CodeInfo{"KIA0202", "DestinationRuleHostNotFound", E},
    CodeInfo{"KIA0203", "DestinationRuleSubsetLabelsNotFound", E},
    CodeInfo{"KIA0204", "DestinationRuleOverridesMtls", W},
    CodeInfo{"KIA0205", "DestinationRuleMeshMtlsWithoutPeerAuthentication", E},
    CodeInfo{"KIA0206", "DestinationRuleNamespaceMtlsWithoutPeerAuthentication", E},
    CodeInfo{"KIA0207", "DestinationRuleDisablesNamespaceStrictMtls", E},
    CodeInfo{"KIA0208", "DestinationRuleDisablesMeshStrictMtls", E},
    CodeInfo{"KIA0209", "DestinationRuleSubsetWithoutLabels", W},
    CodeInfo{"KIA0301", "GatewayMultiMatch", W},
    CodeInfo{"KIA0302", "GatewaySelectorWorkloadNotFound", W},
    CodeInfo{"KIA0401", "PeerAuthenticationMeshMtlsDestinationRuleMissing", E},
    CodeInfo{"KIA0501", "PeerAuthenticationNamespaceMtlsDestinationRuleMissing", E},
    CodeInfo{"KIA0505", "PeerAuthenticationNamespaceDisableDestinationRuleMissing", E},
    CodeInfo{"KIA0506", "PeerAuthenticationMeshDisableDestinationRuleMissing", E},
    CodeInfo{"KIA0601", "ServicePortNameInvalid", E},
    CodeInfo{"KIA0602", "ServicePortAppProtocolInvalid", E},
    CodeInfo{"KIA0701", "ServicePortNotExposedByDeployment", W},
    CodeInfo{"KIA1004", "SidecarEgressHostNotFound", W},
    CodeInfo{"KIA1006", "SidecarRootNamespaceWithSelector", W},
    CodeInfo{"KIA1007", "SidecarOutboundTrafficPolicyModeAmbiguous", I},
    CodeInfo{"KIA1101", "VirtualServiceDestinationHostNotFound", E},
    CodeInfo{"KIA1102", "VirtualServiceGatewayNotFound", E},
    CodeInfo{"KIA1104", "VirtualServiceSingleWeightBelow100", W},
    CodeInfo{"KIA1105", "VirtualServiceRepeatedSubset", W},
    CodeInfo{"KIA1106", "VirtualServiceMultiMatch", W},
    CodeInfo{"KIA1107", "VirtualServiceSubsetNotFound", W},
    CodeInfo{"KIA1108", "VirtualServiceLegacyGatewayName", I},
    CodeInfo{"KIA1201", "ServiceEntryMissingWorkloadEntryAddress", W},
    CodeInfo{"KIA1211", "ServiceEntryDuplicateHostPort", W},
    CodeInfo{"KIA1212", "ServiceEntryConflictingProtocol", W},
    CodeInfo{"KIA1401", "K8sRouteGatewayNotFound", E},
    CodeInfo{"KIA1402", "K8sRouteBackendServiceNotFound", E},
    CodeInfo{"KIA1501", "K8sGatewayMultiMatchListener", W},
    CodeInfo{"KIA1502", "K8sGatewayMultiMatchAddress", W},
    CodeInfo{"KIA1503", "K8sGatewayListenerNotUnique", E},
    CodeInfo{"KIA1504", "K8sGatewayClassNotFound", E},
    CodeInfo{"KIA1601", "ReferenceGrantFromNamespaceNotFound", E},
    CodeInfo{"KIA1701", "WorkloadGroupServiceAccountNotFound", W},
    CodeInfo{"KIA1702", "WorkloadGroupDuplicateLabels", W},
};

}  // namespace

std::span<const CodeInfo> implemented_codes() { return kCodes; }

std::optional<CodeInfo> code_info(std::string_view code) {
  for (const auto& info : kCodes) {
    if (info.code == code) return info;
  }
  return std::nullopt;
}

std::string documentation_url(std::string_view code) {
  if (code.starts_with("IST")) {
    return "https://istio.io/latest/docs/reference/config/analysis/" + to_lower(code) + "/";
  }
  return "https://kiali.io/docs/features/validations/#" + to_lower(code);
}

}  // namespace getmesh::validate
