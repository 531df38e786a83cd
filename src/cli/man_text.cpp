#include "cli/man_text.hpp"

#include <array>

namespace getmesh::cli::man {

namespace {

constexpr std::array kGetmeshExamples = {
    Example{"getmesh fetch --version 1.31",
            "Download the latest 1.31 patch of the default flavor, verify it and make it active."},
    Example{"getmesh istioctl install -y", "Install Istio with the active istioctl, after checks."},
    Example{"getmesh check-upgrade --all-contexts",
            "Check every cluster of the kubeconfig for patches, end of life and skew."},
    Example{"getmesh help --man fetch", "Print this manual's page of fetch."},
};

constexpr std::array kListExamples = {
    Example{"getmesh list --version 1.30", "The 1.30 distributions of every flavor."},
    Example{"getmesh list --flavor tetratefips -o json", "The FIPS builds, as JSON."},
};

constexpr std::array kFetchExamples = {
    Example{"getmesh fetch --version 1.31", "The latest 1.31 patch of the default flavor."},
    Example{"getmesh fetch --name 1.30.5-istio-v0 --require-checksum",
            "Exactly this distribution, refused when its archive has no checksum."},
};

constexpr std::array kSwitchExamples = {
    Example{"getmesh switch --version 1.30", "Activate the newest fetched 1.30 distribution."},
    Example{"getmesh switch --name 1.29.8-istio-v0", "Activate exactly this one."},
};

constexpr std::array kShowExamples = {
    Example{"getmesh show", "The fetched distributions; the active one is marked."},
    Example{"getmesh show -o json", "The same as JSON, with checksums and source URLs."},
};

constexpr std::array kPruneExamples = {
    Example{"getmesh prune --dry-run", "Say which distributions would be removed."},
    Example{"getmesh prune --name 1.29.8-istio-v0", "Remove one distribution."},
};

constexpr std::array kIstioctlExamples = {
    Example{"getmesh istioctl proxy-status", "Run the active istioctl."},
    Example{"getmesh -c ~/.kube/prod.yaml istioctl analyze -A",
            "Run it against another kubeconfig (given to istioctl as KUBECONFIG)."},
    Example{"getmesh istioctl install -y -f operator.yaml",
            "Install after the version, Kubernetes and hub checks."},
};

constexpr std::array kVersionExamples = {
    Example{"getmesh version", "getmesh, the active istioctl and the mesh in the cluster."},
    Example{"getmesh version --remote=false -o json", "Without asking the cluster, as JSON."},
};

constexpr std::array kDefaultHubExamples = {
    Example{"getmesh default-hub --set registry.example.com/istio",
            "Install from a private registry from now on."},
    Example{"getmesh default-hub --show", "Show the registry in use."},
    Example{"getmesh default-hub --remove", "Go back to istioctl's default registry."},
};

constexpr std::array kCheckUpgradeExamples = {
    Example{"getmesh check-upgrade", "Check the cluster of the current context."},
    Example{"getmesh check-upgrade --all-contexts -o json",
            "Check every context of the kubeconfig in parallel, as JSON."},
};

constexpr std::array kConfigValidateExamples = {
    Example{"getmesh config-validate --offline manifests/", "Check files without a cluster."},
    Example{"getmesh config-validate -n shop -o sarif ./istio",
            "Check files laid over the cluster's namespace shop, as SARIF for code scanning."},
};

constexpr std::array kCompletionExamples = {
    Example{"getmesh completion bash", "Print the bash completion script."},
    Example{"getmesh completion zsh", "Print the zsh completion script."},
};

constexpr std::array kGenCaExamples = {
    Example{"getmesh gen-ca --provider local --generate-root --output-dir ./cluster-1",
            "A new root and an intermediate CA, written as PEM files."},
    Example{"getmesh gen-ca --provider cert-manager --issuer-name mesh-root --issuer-kind "
            "ClusterIssuer",
            "The cacerts secret of the cluster, issued by cert-manager."},
    Example{"getmesh gen-ca --config-file gen-ca.yaml --dry-run",
            "Check a configuration file: issue the CA and print the secret with the key redacted."},
};

constexpr std::array kManifestExamples = {
    Example{"getmesh manifest export -o catalogue.json",
            "Write the whole catalogue as a manifest file."},
};

constexpr std::array kManifestExportExamples = {
    Example{"getmesh manifest export -o istio.json --flavor istio --version 1.31",
            "The 1.31 releases of the istio flavor, to pin in Git or serve beside a mirror."},
    Example{"getmesh manifest export --platform linux-amd64 -o linux.json",
            "Every release, with only the linux-amd64 downloads; getmesh --manifest linux.json "
            "--offline then uses the file as its only source."},
};

constexpr std::array kMirrorExamples = {
    Example{"getmesh mirror create /srv/istio --version 1.31 --platform linux/amd64,linux/arm64",
            "Mirror every 1.31 patch for two platforms."},
    Example{"getmesh mirror verify /srv/istio", "Check every archive of the mirror."},
};

constexpr std::array kMirrorCreateExamples = {
    Example{"getmesh mirror create ./istio-mirror --version 1.30.5,1.31 --flavor istio",
            "1.30.5 and every 1.31 patch of the istio flavor, for this machine's platform."},
    Example{"getmesh mirror create /srv/istio --version 1.31 --base-url "
            "https://mirror.example.com/istio",
            "With absolute URLs in manifest.json."},
    Example{"getmesh mirror create /srv/istio --version 1.30.8,1.31 --flavor istio --charts",
            "Also Istio's Helm charts of those versions and their index.yaml, for upgrades of "
            "Helm-installed meshes from the mirror."},
};

constexpr std::array kMirrorVerifyExamples = {
    Example{"getmesh mirror verify /srv/istio",
            "Re-hash every archive; exit status 1 and each mismatch listed when one differs."},
};

constexpr std::array kMirrorImagesExamples = {
    Example{"getmesh mirror images --version 1.31 --ambient",
            "The images of the latest 1.31 patch, ambient mode included."},
    Example{"getmesh mirror images --version 1.31.1 --target-hub registry.example.com/istio",
            "Source and target pairs, for skopeo copy or crane copy."},
};

constexpr std::array kUpgradeExamples = {
    Example{"getmesh upgrade --dry-run", "The plan: target, steps and istioctl command lines."},
    Example{"getmesh upgrade --to 1.31 --yes", "Upgrade to the latest 1.31 patch, unattended."},
    Example{"getmesh upgrade --to 1.31 --ztunnel-drain --yes",
            "An ambient mesh (Helm): ztunnel replaced node by node, each node drained first."},
};

constexpr std::array kUpgradeStatusExamples = {
    Example{"getmesh upgrade status -o json", "The recorded upgrade and the proxies per revision."},
};

constexpr std::array kUpgradeRollbackExamples = {
    Example{"getmesh upgrade rollback --yes", "Move the proxies back; remove the new revision."},
};

constexpr std::array kUpgradeFinishExamples = {
    Example{"getmesh upgrade finish --yes", "Remove the old control plane once unused."},
};

constexpr std::array kVerifyExamples = {
    Example{"getmesh verify", "Re-hash every fetched istioctl against its install receipt."},
    Example{"getmesh verify 1.31.1-tetratefips-v0 --require-fips",
            "Also fail when this istioctl carries no FIPS 140 module."},
};

constexpr std::array kWhichExamples = {
    Example{"getmesh which", "The istioctl getmesh istioctl runs here (a pin counts)."},
};

constexpr std::array kConfigExamples = {
    Example{"getmesh config list", "Every setting, its value and meaning."},
    Example{"getmesh config set require_checksum true", "Refuse unverified istioctl installs."},
};

constexpr std::array kConfigListExamples = {
    Example{"getmesh config list -o json", "The settings as JSON."},
};

constexpr std::array kConfigGetExamples = {
    Example{"getmesh config get catalog_ttl", "How long the upstream catalogue is fresh."},
};

constexpr std::array kConfigSetExamples = {
    Example{"getmesh config set catalog_ttl 1h", "Ask upstream at most once an hour."},
    Example{"getmesh config set strict_install true", "Stop installs at any guard warning."},
};

constexpr std::array kConfigUnsetExamples = {
    Example{"getmesh config unset manifest_url", "Go back to the embedded manifest."},
};

constexpr std::array kHelpExamples = {
    Example{"getmesh help fetch", "The options of fetch."},
    Example{"getmesh help --man fetch | man -l -", "Read this manual's page of fetch."},
    Example{"getmesh help --man-dir share/man/man1", "Write every page (for packagers)."},
};

constexpr std::array kCommandTexts = {
    CommandText{"",
                "getmesh keeps several istioctl versions side by side in ~/.getmesh, downloads "
                "them from the manifest of vetted distributions (upstream istio, Tetrate's "
                "tetrate and FIPS tetratefips flavors), verifies their checksums, and runs the "
                "active one. It also reads what runs in a cluster and says what needs upgrading, "
                "checks Istio configuration, and creates Istio's intermediate CA.\n\n"
                "Global options may be given before or after the command, except for istioctl: "
                "everything after \"getmesh istioctl\" belongs to istioctl.",
                kGetmeshExamples},
    CommandText{"list",
                "An asterisk in the CURRENT column marks the active distribution; END OF LIFE is "
                "the minor version's end of life for its flavor. Warnings about the local "
                "istioctls (end of life, security fixes) go to stderr, as with fetch.",
                kListExamples},
    CommandText{"fetch",
                "Without --flavor the manifest's default flavor is used; without --version the "
                "newest distribution; --version X.Y means its latest patch. The archive is "
                "downloaded (resumed when interrupted), its SHA-256 checked, and istioctl "
                "installed into ~/.getmesh/istio/NAME with one rename. GETMESH_MIRROR downloads "
                "from a mirror instead.",
                kFetchExamples},
    CommandText{"switch",
                "The flags missing from the command line keep the active distribution's values; "
                "without --flavor, another flavor's fetched version is taken when the active "
                "flavor has none. A .getmesh-version pin in the current directory still wins "
                "there.",
                kSwitchExamples},
    CommandText{"show",
                "(Active) marks the active distribution, (unverified) installs whose checksum "
                "could not be checked.",
                kShowExamples},
    CommandText{"prune",
                "The active distribution is never removed. Pruning everything asks first on a "
                "terminal; -y skips the question.",
                kPruneExamples},
    CommandText{"istioctl",
                "getmesh replaces itself with istioctl, so its exit status and signals pass "
                "through. A .getmesh-version file in the working directory or a parent pins the "
                "version there. \"getmesh istioctl install\" first checks the distribution against "
                "the manifest and the cluster, and injects the default hub.",
                kIstioctlExamples},
    CommandText{"version",
                "The cluster is read from the current kubeconfig context; when it cannot be read, "
                "a warning says why and the exit status is still 0.",
                kVersionExamples},
    CommandText{"default-hub",
                "Exactly one of --set, --remove and --show must be given. The hub is stored in "
                "config.json and added as --set hub=REGISTRY to \"getmesh istioctl install\" "
                "unless its arguments or IstioOperator file choose one.",
                kDefaultHubExamples},
    CommandText{"check-upgrade",
                "Compares the control and data planes with the manifest: newer patches, security "
                "patches, end of life, and the Kubernetes versions each release supports. Exit "
                "status 3 means that something needs action.",
                kCheckUpgradeExamples},
    CommandText{"config-validate",
                "Runs Istio's analyzers, Istio's schema validation and Kiali's checks natively, on "
                "the files laid over the live cluster or (--offline) on the files alone. Exit "
                "status 3 means a finding at or above --failure-threshold.",
                kConfigValidateExamples},
    CommandText{"completion",
                "The script is generated from the command tree. Packages install it for bash, zsh "
                "and fish; by hand, load it with \"source <(getmesh completion bash)\".",
                kCompletionExamples},
    CommandText{"gen-ca",
                "Issues the cacerts secret of the Istio namespace (ca-cert.pem, ca-key.pem, "
                "root-cert.pem, cert-chain.pem) from a local root, cert-manager, AWS Private CA or "
                "Google CA Service, checks the chain, and creates the secret in the cluster or "
                "writes it to files (private keys with mode 0600).",
                kGenCaExamples},
    CommandText{"manifest",
                "The catalogue is the manifest merged with the upstream Istio releases (read from "
                "GitHub and cached for catalog_ttl).",
                kManifestExamples},
    CommandText{"manifest export",
                "The output is the manifest format with a fixed key order, so the same catalogue "
                "always gives the same bytes. Every release gets a per-platform url and, when a "
                "checksum is known ahead, its sha256. -o writes the file atomically.",
                kManifestExportExamples},
    CommandText{"mirror",
                "On a machine with internet access, create fills a directory with verified "
                "istioctl archives and their manifest; copied to the disconnected network and "
                "served by any static web server, it is what GETMESH_MIRROR and --manifest point "
                "at there. images lists the container images to copy into a private registry, "
                "which default-hub then makes istioctl install use.",
                kMirrorExamples},
    CommandText{"mirror create",
                "Each archive goes through the same verified download as fetch: resumed when "
                "interrupted, retried, checked against every checksum known (the manifest's, "
                "upstream's digest, the .sha256 file), and renamed to its final name only when "
                "they match; an archive without a checksum is refused. The layout is flat: "
                "istio-NAME-PLATFORM.tar.gz with its .sha256 beside it, and manifest.json listing "
                "what the mirror holds with each archive's sha256. Running it again adds what is "
                "missing and downloads nothing that is present and verified. With --charts, "
                "Istio's charts (base, istiod, gateway, cni, ztunnel) of each community version "
                "are kept only when they match the digest of the chart repository's index.yaml, "
                "and the mirror's own index.yaml lists them with relative URLs, so the mirror is "
                "a Helm chart repository. Exit status 1 when an archive or chart could not be "
                "mirrored; the others still are.",
                kMirrorCreateExamples},
    CommandText{"mirror verify",
                "Every archive listed in manifest.json is hashed again and compared with its "
                "sha256 there and its .sha256 file, every chart index.yaml lists with its digest "
                "there; archives and charts neither lists count as mismatches too.",
                kMirrorVerifyExamples},
    CommandText{"mirror images",
                "pilot and proxyv2, and with --ambient ztunnel and install-cni. Tags follow each "
                "flavor: X.Y.Z for istio (docker.io/istio), X.Y.Z-tetrate-vN and "
                "X.Y.Z-tetratefips-vN for Tetrate's builds. --version X.Y means its latest patch "
                "in the manifest.",
                kMirrorImagesExamples},
    CommandText{"upgrade",
                "A canary upgrade by revision: the new control plane is installed beside the old "
                "one, namespaces and revision tags are moved to it, workloads are restarted batch "
                "by batch, and every step waits at a gate. The plan and progress are recorded in a "
                "ConfigMap in the cluster, so a killed run continues where it stopped. A control "
                "plane installed with Helm is upgraded with the user's helm (--helm) and Istio's "
                "charts (--chart-repo), each archive checked against the repository's index, an "
                "ambient one in Istio's ambient Helm order (istio-cni, ztunnel, waypoints; "
                "--ztunnel-drain drains each node before its ztunnel is replaced); one that a "
                "cloud or an operator owns is refused unless --force. Exit status 3 when a gate "
                "times out with nothing broken.",
                kUpgradeExamples},
    CommandText{"upgrade status",
                "Reads the record and the proxies of each revision; changes nothing.",
                kUpgradeStatusExamples},
    CommandText{"upgrade rollback",
                "Undoes the upgrade in progress in reverse: the data plane back to the old "
                "revision, then the new control plane removed.",
                kUpgradeRollbackExamples},
    CommandText{"upgrade finish",
                "Removes the old control plane when no proxy uses its revision any more.",
                kUpgradeFinishExamples},
    CommandText{"verify",
                "Every fetched istioctl is hashed again and compared with the SHA-256, size and "
                "time its install receipt recorded; its Go build information (Go version, "
                "build settings, FIPS module) is read without running it. Exit status 1 when an "
                "istioctl is modified or missing, or has no FIPS module under --require-fips.",
                kVerifyExamples},
    CommandText{"which",
                "Prints the path of the istioctl that getmesh istioctl would run in this "
                "directory: a .getmesh-version pin here or above wins over the active "
                "distribution. The checksum policy applies as when it runs.",
                kWhichExamples},
    CommandText{"config",
                "The settings of ~/.getmesh/config.json, typed and checked: a bad value is "
                "refused and nothing is written; every change is atomic.",
                kConfigExamples},
    CommandText{"config list", "Every setting with its value (or default) and what it means.",
                kConfigListExamples},
    CommandText{"config get", "Prints the value of one setting, or its default when unset.",
                kConfigGetExamples},
    CommandText{"config set", "Checks the value against the setting's type, then saves it.",
                kConfigSetExamples},
    CommandText{"config unset", "Removes the setting from config.json: its default applies.",
                kConfigUnsetExamples},
    CommandText{"help",
                "Without a command, the help of getmesh itself. --man prints a manual page in "
                "roff, generated from the same command tree as the help.",
                kHelpExamples},
};

constexpr std::array kEnvironment = {
    Entry{"GETMESH_HOME", "The home directory (default ~/.getmesh)."},
    Entry{"GETMESH_MANIFEST",
          "Manifest URL (https://, http://, file://) or path; overrides manifest_url in "
          "config.json."},
    Entry{"GETMESH_TEST_MANIFEST_PATH",
          "The original getmesh's manifest override, still honoured after GETMESH_MANIFEST."},
    Entry{"GETMESH_MANIFEST_MAX_AGE",
          "Seconds a cached remote manifest is used without asking the server (default 300)."},
    Entry{"GETMESH_STRICT_INSTALL",
          "1 (or true): as --strict, guard warnings of getmesh istioctl install stop the install "
          "when no terminal can confirm."},
    Entry{"GETMESH_MIRROR",
          "Base URL of a flat mirror of istioctl archives; also the chart repository of getmesh "
          "upgrade when neither --chart-repo nor chart_repo names one."},
    Entry{"GETMESH_UPGRADE_RENEW_SECONDS",
          "Seconds between renewals of a getmesh upgrade run's claim on its record (default 30)."},
    Entry{"GETMESH_MAX_DOWNLOAD_MB",
          "Largest archive fetch and mirror create accept when the manifest gives no size for it "
          "(default 1024)."},
    Entry{"GETMESH_STALL_TIMEOUT",
          "Seconds a download may go at less than 1 KiB/s before it is stopped and retried, and "
          "the longest the .sha256 file may take (default 30)."},
    Entry{"GETMESH_EXEC_PLUGIN_TIMEOUT",
          "Seconds a kubeconfig credential plugin may run (default 30)."},
    Entry{"GETMESH_GITHUB_API",
          "GitHub API base of the upstream catalogue; overrides github_api_url in config.json."},
    Entry{"GITHUB_TOKEN, GH_TOKEN",
          "Token sent to the GitHub API (the first one set), for a higher rate limit; never "
          "printed."},
    Entry{"GETMESH_OFFLINE",
          "1 (or anything but 0, false, no, off): never ask upstream for the catalogue, like "
          "--offline."},
    Entry{"GETMESH_CATALOG_TIMEOUT_MS",
          "How long a command waits for upstream in all (default 3000)."},
    Entry{"GETMESH_CA_BUNDLE",
          "PEM bundle of certificate authorities to trust for downloads (also SSL_CERT_FILE and "
          "CURL_CA_BUNDLE)."},
    Entry{"http_proxy, https_proxy, HTTPS_PROXY, all_proxy, no_proxy, NO_PROXY",
          "Proxies, as curl understands them."},
    Entry{"KUBECONFIG", "Kubeconfig files for the cluster commands (default ~/.kube/config)."},
    Entry{"NO_COLOR", "No colours at all."},
    Entry{"AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_PROFILE, "
          "AWS_SHARED_CREDENTIALS_FILE, AWS_CONFIG_FILE",
          "AWS credentials for gen-ca --provider aws."},
    Entry{"GOOGLE_APPLICATION_CREDENTIALS",
          "Service-account key for gen-ca --provider gcp; without it, gcloud auth "
          "print-access-token."},
};

constexpr std::array kFiles = {
    Entry{"~/.getmesh/config.json",
          "The active distribution, the default hub and the settings manifest_url, "
          "require_checksum, require_fips, strict_install, verify_on_exec, auto_select, "
          "github_api_url, catalog_ttl, offline, helm_path and chart_repo."},
    Entry{"~/.getmesh/istio/NAME/bin/istioctl",
          "A fetched distribution, e.g. NAME 1.31.1-istio-v0; .getmesh-install.json beside bin/ "
          "records where it came from and its SHA-256."},
    Entry{"~/.getmesh/cache/",
          "The cached remote manifest, the upstream catalogue (catalog.txt) and the cluster "
          "cache."},
    Entry{"~/.getmesh/downloads/, ~/.getmesh/tmp/",
          "Partial downloads (resumed by the next fetch) and the extraction area."},
    Entry{"~/.getmesh/secret/", "Secret manifests written by gen-ca (mode 0600)."},
    Entry{".getmesh-version",
          "In the working directory or a parent: pins the distribution that getmesh istioctl runs "
          "there."},
};

constexpr std::array kExitStatus = {
    Entry{"0", "Success."},
    Entry{"1",
          "The command could not do its job: bad input data, a failed download or checksum, a "
          "missing istioctl, a declined prompt."},
    Entry{"2", "The command line is wrong: unknown flag or command, invalid value."},
    Entry{"3",
          "check-upgrade: the cluster needs action; config-validate: a finding at or above "
          "--failure-threshold; upgrade: stopped at a gate, the state kept for the next run."},
    Entry{"other",
          "getmesh istioctl returns istioctl's exit status; 128 + N when istioctl was killed by "
          "signal N."},
};

}  // namespace

const CommandText* command_text(std::string_view command) {
  for (const auto& text : kCommandTexts) {
    if (text.command == command) return &text;
  }
  return nullptr;
}

std::span<const CommandText> all_command_texts() { return kCommandTexts; }
std::span<const Entry> environment() { return kEnvironment; }
std::span<const Entry> files() { return kFiles; }
std::span<const Entry> exit_status() { return kExitStatus; }

}  // namespace getmesh::cli::man
