#include "cli/command_tree.hpp"
#include "cli/completion.hpp"
#include "cli/context.hpp"
#include "cli/help_format.hpp"
#include "cli/parse_errors.hpp"
#include "cli/passthrough.hpp"

#include <getmesh/cli/run.hpp>
#include <getmesh/core/interrupt.hpp>
#include <getmesh/core/log.hpp>
#include <getmesh/core/strings.hpp>

#include <cstdio>
#include <exception>
#include <new>
#include <system_error>

namespace getmesh::cli {

namespace {

int exit_code_for(const Error& error) {
  // A download stopped by Ctrl-C, which it cleaned up after: 130, as a shell reports it.
  if (error.kind == ErrorKind::kCancelled && interrupted()) return interrupted_exit_code();
  return error.kind == ErrorKind::kUsage ? 2 : 1;
}

int report(Output& output, const Result<int>& result) {
  if (result) return *result;
  output.error(result.error());
  return exit_code_for(result.error());
}

int run_command_line(int argc, char** argv) {
  const auto environment = Environment::from_process();
  auto output = Output::for_process(environment);
  Context context(environment, output);

  if (auto passthrough = parse_passthrough(argc, argv)) {
    context.options().kubeconfig = passthrough->kubeconfig;
    context.options().context = passthrough->context;
    context.options().manifest = passthrough->manifest;
    context.options().strict = passthrough->strict;
    if (passthrough->verbose) log::enable_verbose();
    return report(output, run_passthrough(context, *passthrough));
  }

  auto tree = build_command_tree(context);
  auto& app = *tree.root;
  if (argc >= 2 && std::string_view(argv[1]) == kCompleteCommand) {
    return report(output, run_complete(context, app, {argv + 2, argv + argc}));
  }
  if (auto words = help_request(app, argc, argv))
    return report(output, run_help(context, app, *words));

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    output.out() << help_text(selected_command(app));
    return 0;
  } catch (const CLI::CallForVersion& version) {
    output.out() << version.what() << "\n";
    return 0;
  } catch (const CLI::ParseError& error) {
    output.error(describe_parse_error(error, app));
    return 2;
  }
  if (context.options().verbose) log::enable_verbose();
  for (const auto& command : tree.commands) {
    if (command.app->parsed()) return report(output, command.run());
  }
  output.out() << help_text(app);
  return 0;
}

}  // namespace

namespace {

constexpr const char* kOutOfMemory =
    "error: getmesh ran out of memory\nhint: the input or a server's answer is too large for this "
    "machine; see the limits in docs/configuration.md\n";

void report_bug(const char* what) {
  std::fprintf(stderr,
               "error: unexpected failure: %s\nhint: this is a bug in getmesh; please report it "
               "with the command that caused it\n",
               escape_control(what).c_str());
}

}  // namespace

int run(int argc, char** argv) {
  // Exceptions are bugs or exhausted memory: one error line and exit 1, never an abort. Plain
  // stdio, since memory may be short.
  try {
    return run_command_line(argc, argv);
  } catch (const std::bad_alloc&) {
    std::fputs(kOutOfMemory, stderr);
  } catch (const std::system_error& failure) {
    // A thread that cannot start (EAGAIN: no memory for its stack) is memory running out too.
    if (failure.code() == std::errc::resource_unavailable_try_again) {
      std::fputs(kOutOfMemory, stderr);
    } else {
      report_bug(failure.what());
    }
  } catch (const std::exception& unexpected) {
    report_bug(unexpected.what());
  } catch (...) {
    std::fputs(
        "error: unexpected failure\nhint: this is a bug in getmesh; please report it with "
        "the command that caused it\n",
        stderr);
  }
  return 1;
}

}  // namespace getmesh::cli
