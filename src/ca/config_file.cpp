#include <getmesh/ca/config_file.hpp>
#include <getmesh/core/fs.hpp>
#include <getmesh/core/strings.hpp>

#include <yaml-cpp/yaml.h>

#include <functional>
#include <set>

namespace getmesh::ca {

namespace {

// Reads one field's value into the settings; `path` is the dotted field name for messages.
using Reader = std::function<Status(const YAML::Node& value, const std::string& path)>;

struct Field {
  std::string name;
  Reader read;
};

class ConfigReader {
 public:
  ConfigReader(std::string_view origin, PartialSettings& out) : origin_(origin), out_(out) {}

  Status document(const YAML::Node& root) {
    if (!root || root.IsNull()) return {};
    return map(root, "", top_level());
  }

 private:
  Error error_at(const YAML::Node& node, const std::string& message, std::string hint = {}) const {
    const auto line = node.Mark().line;
    const std::string where = line >= 0 ? " (line " + std::to_string(line + 1) + ")" : "";
    return usage_error(
        origin_ + ": " + message + where,
        hint.empty() ? "see docs/commands/gen-ca.md for the config file format" : std::move(hint));
  }

  Status map(const YAML::Node& node, const std::string& path, const std::vector<Field>& fields) {
    if (node.IsNull()) return {};
    if (!node.IsMap()) {
      return error_at(
          node, (path.empty() ? std::string("the file") : path) + " must be a mapping of fields");
    }
    std::set<std::string> seen;
    for (const auto& entry : node) {
      if (!entry.first.IsScalar()) return error_at(entry.first, "field names must be plain text");
      const auto key = entry.first.Scalar();
      const auto lower = to_lower(key);
      const auto field_path = path.empty() ? key : path + "." + key;
      if (!seen.insert(lower).second) return error_at(entry.first, field_path + " is given twice");
      const auto* field = find(fields, lower);
      if (field == nullptr) {
        std::vector<std::string> names;
        for (const auto& known : fields) names.push_back(known.name);
        return error_at(entry.first, "unknown field " + quote(field_path),
                        "the fields " +
                            (path.empty() ? std::string("at the top") : "under " + path) +
                            " are: " + join(names, ", "));
      }
      if (auto read = field->read(entry.second, field_path); !read) return read;
    }
    return {};
  }

  static const Field* find(const std::vector<Field>& fields, const std::string& lower) {
    for (const auto& field : fields) {
      if (to_lower(field.name) == lower) return &field;
    }
    return nullptr;
  }

  Reader nested(std::vector<Field> fields) {
    return [this, fields = std::move(fields)](const YAML::Node& value, const std::string& path) {
      return map(value, path, fields);
    };
  }

  Reader text(std::optional<std::string>& target) {
    return [this, &target](const YAML::Node& value, const std::string& path) -> Status {
      if (value.IsNull()) return {};
      if (!value.IsScalar()) return error_at(value, path + " must be a string");
      target = value.Scalar();
      return {};
    };
  }

  Reader flag(std::optional<bool>& target) {
    return [this, &target](const YAML::Node& value, const std::string& path) -> Status {
      if (value.IsNull()) return {};
      const auto lower = value.IsScalar() ? to_lower(value.Scalar()) : std::string();
      if (lower != "true" && lower != "false")
        return error_at(value, path + " must be true or false");
      target = lower == "true";
      return {};
    };
  }

  Reader number(std::optional<std::int64_t>& target) {
    return [this, &target](const YAML::Node& value, const std::string& path) -> Status {
      if (value.IsNull()) return {};
      const auto parsed = value.IsScalar() ? parse_non_negative(value.Scalar()) : std::nullopt;
      if (!parsed) return error_at(value, path + " must be a whole number");
      // pathLen and providerConfig.gcp.maxIssuerPathLen both set the path length.
      if (target && *target != *parsed) {
        return error_at(value, path + " contradicts the path length given elsewhere in the file");
      }
      target = *parsed;
      return {};
    };
  }

  Reader list(std::optional<std::vector<std::string>>& target) {
    return [this, &target](const YAML::Node& value, const std::string& path) -> Status {
      if (value.IsNull()) return {};
      if (!value.IsSequence()) return error_at(value, path + " must be a list, e.g. [a, b]");
      std::vector<std::string> items;
      for (const auto& item : value) {
        if (!item.IsScalar()) return error_at(item, path + " must hold only strings");
        items.push_back(item.Scalar());
      }
      target = std::move(items);
      return {};
    };
  }

  Reader provider() {
    return [this](const YAML::Node& value, const std::string& path) -> Status {
      if (value.IsNull()) return {};
      if (!value.IsScalar()) return error_at(value, path + " must be a string");
      auto kind = parse_provider(value.Scalar(), path + " in " + origin_);
      if (!kind) return kind.error();
      out_.provider = *kind;
      return {};
    };
  }

  Reader key_type() {
    return [this](const YAML::Node& value, const std::string& path) -> Status {
      if (value.IsNull()) return {};
      if (!value.IsScalar()) return error_at(value, path + " must be a string");
      auto type = parse_key_type(value.Scalar(), path + " in " + origin_);
      if (!type) return type.error();
      out_.key_type = *type;
      return {};
    };
  }

  std::vector<Field> top_level() {
    auto& o = out_;
    return {
        {"providerName", provider()},
        {"disableSecretCreation", flag(o.disable_secret_creation)},
        {"providerConfig",
         nested({
             {"aws", nested({{"signingCAArn", text(o.aws_signing_ca_arn)},
                             {"templateArn", text(o.aws_template_arn)},
                             {"signingAlgorithm", text(o.aws_signing_algorithm)},
                             {"endpoint", text(o.aws_endpoint)}})},
             {"gcp", nested({{"casCAName", text(o.gcp_ca_name)},
                             {"maxIssuerPathLen", number(o.path_len)},
                             {"endpoint", text(o.gcp_endpoint)}})},
             {"local", nested({{"rootCert", text(o.root_cert_file)},
                               {"rootKey", text(o.root_key_file)},
                               {"rootKeyPassphraseFile", text(o.root_key_passphrase_file)},
                               {"generateRoot", flag(o.generate_root)}})},
             {"certManager", nested({{"issuerName", text(o.issuer_name)},
                                     {"issuerKind", text(o.issuer_kind)},
                                     {"certificateNamespace", text(o.certificate_namespace)}})},
         })},
        {"certificateParameters",
         nested({
             {"secretOptions",
              nested({{"istioCANamespace", text(o.istio_ca_namespace)},
                      {"secretFilePath", text(o.secret_file_path)},
                      {"overrideExistingCACertsSecret", flag(o.override_existing_secret)}})},
             {"caOptions", nested({{"certSigningRequestParams", nested(request_fields())},
                                   {"validityDays", number(o.validity_days)},
                                   {"keyLength", number(o.key_length)},
                                   {"keyType", key_type()},
                                   {"pathLen", number(o.path_len)}})},
         })},
    };
  }

  std::vector<Field> request_fields() {
    auto& o = out_;
    return {
        {"subject", nested({{"commonName", text(o.common_name)},
                            {"country", list(o.country)},
                            {"organization", list(o.organization)},
                            {"organizationalUnit", list(o.organizational_unit)},
                            {"locality", list(o.locality)},
                            {"province", list(o.province)},
                            {"streetAddress", list(o.street_address)},
                            {"postalCode", list(o.postal_code)},
                            {"serialNumber", text(o.serial_number)}})},
        {"dnsNames", list(o.dns_names)},
        {"emailAddresses", list(o.emails)},
    };
  }

  std::string origin_;
  PartialSettings& out_;
};

}  // namespace

Result<PartialSettings> parse_config_file(std::string_view text, std::string_view origin) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& error) {
    return usage_error(std::string(origin) + " is not valid YAML: " + error.msg + " (line " +
                           std::to_string(error.mark.line + 1) + ")",
                       "fix the file; see docs/commands/gen-ca.md for its format");
  }
  PartialSettings settings;
  ConfigReader reader(origin, settings);
  if (auto read = reader.document(root); !read) return read.error();
  return settings;
}

Result<PartialSettings> load_config_file(const std::filesystem::path& path) {
  auto text = read_file(path);
  if (!text) {
    return Error{ErrorKind::kUsage, "cannot read the config file: " + text.error().message,
                 "check the path given with --config-file"};
  }
  return parse_config_file(*text, "the config file " + path.string());
}

}  // namespace getmesh::ca
