#include "validate/checks/checks.hpp"

#include <set>

namespace getmesh::validate {

namespace {

bool is_route_object(const std::string& apply_to) {
  return apply_to == "ROUTE_CONFIGURATION" || apply_to == "HTTP_ROUTE";
}

// The filter a patch is about, as upstream names it: the patch value's `name`, else the listener
// filter it matches.
std::string filter_name(const Node& patch) {
  if (const auto& name = patch["patch"]["value"]["name"]; name.is_scalar()) return name.str();
  return patch["match"]["listener"]["filterChain"]["filter"]["name"].str();
}

}  // namespace

void check_envoy_filters(const CheckContext& context) {
  std::set<std::string> versioned_filters;  // filter names patched with a proxyVersion match
  for (const auto* filter : context.index.of_kind(Kind::kEnvoyFilter)) {
    const bool no_priority = filter->spec()["priority"].as_int().value_or(0) == 0;
    const auto prefix = "The EnvoyFilter " + filter->name + " in namespace " + filter->namespace_;
    filter->spec()["configPatches"].for_each_item([&](const Node& patch) {
      const auto& apply_to = patch["applyTo"].str();
      const auto& operation = patch["patch"]["operation"].str();
      const auto line = patch.line();
      if (operation == "REPLACE" && apply_to != "HTTP_FILTER" && apply_to != "NETWORK_FILTER" &&
          apply_to != "VIRTUAL_HOST") {
        context.sink.add(
            *filter, "IST0152",
            prefix + " has a REPLACE operation for " + apply_to +
                ", which is only supported for HTTP_FILTER, NETWORK_FILTER and VIRTUAL_HOST",
            line);
      }
      if (operation == "ADD" && is_route_object(apply_to)) {
        context.sink.add(*filter, "IST0153",
                         prefix + " has an ADD operation for " + apply_to +
                             ", which is not supported; use MERGE",
                         line);
      }
      if (operation == "REMOVE" && is_route_object(apply_to)) {
        context.sink.add(
            *filter, "IST0154",
            prefix + " has a REMOVE operation for " + apply_to + ", which is not supported", line);
      }
      const bool relative =
          operation == "INSERT_BEFORE" || operation == "INSERT_AFTER" ||
          (operation == "REPLACE" && (apply_to == "HTTP_FILTER" || apply_to == "NETWORK_FILTER")) ||
          (operation == "REMOVE" && !is_route_object(apply_to));
      const auto name = filter_name(patch);
      if (relative && no_priority) {
        if (!name.empty() && versioned_filters.contains(name)) {
          context.sink.add(*filter, "IST0155",
                           prefix + " has a relative operation (" + operation + ") on filter " +
                               name +
                               " that another patch matched with a proxyVersion; set a priority so "
                               "the order is defined",
                           line);
        } else {
          context.sink.add(*filter, "IST0151",
                           prefix + " has a relative operation (" + operation +
                               ") and does not have a priority set; the order of patches with "
                               "other EnvoyFilters is undefined",
                           line);
        }
      }
      if (!name.empty() && !patch["match"]["proxy"]["proxyVersion"].empty())
        versioned_filters.insert(name);
    });
  }
}

}  // namespace getmesh::validate
